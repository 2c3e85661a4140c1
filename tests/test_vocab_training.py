"""A run with ``[vocab] add`` trains on the extended vocabulary and exports a folder stock transformers loads."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from bertgui.config import RunConfig
from bertgui.events import Failed, RunStarted


@pytest.mark.parametrize("reuse", [True, False])
def test_a_run_with_extended_vocabulary_trains_and_exports(tiny_model, sample_corpus, tmp_path, reuse):
    from transformers import AutoModelForMaskedLM, AutoTokenizer, BertForPreTraining

    from bertgui.engine import train
    from bertgui.vocab.report import mine_vocabulary

    torch.set_num_threads(1)
    base_tok = AutoTokenizer.from_pretrained(tiny_model)
    words = [c.word for c in mine_vocabulary([str(sample_corpus)], base_tok, top=3)]
    assert len(words) == 3 and all(len(base_tok.tokenize(w)) > 1 for w in words)
    base_rows = BertForPreTraining.from_pretrained(tiny_model).get_input_embeddings().weight.shape[0]

    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp_path / "run"),
                       vocab_add=words, vocab_reuse_unused=reuse, max_steps=3, batch_size=4,
                       max_seq_length=64, eval_share=0.1, seed=1, device="cpu")
    events: list = []
    result = train(config.validate(), events.append, cache_dir=tmp_path / "cache")
    assert result.ok, [e for e in events if isinstance(e, Failed)]
    assert any(isinstance(e, RunStarted) for e in events) and result.step == 3
    assert any(n.startswith("added 3 word(s) as single tokens") for n in result.summary["notes"])
    new_ids = {result.tokenizer(w, add_special_tokens=False)["input_ids"][0] for w in words}
    tokens = np.concatenate([np.load(f) for f in (tmp_path / "cache").rglob("tokens.npy")])
    assert new_ids <= set(np.unique(tokens).tolist())  # the corpus was tokenised with the extended vocabulary

    tok = AutoTokenizer.from_pretrained(result.final_model_dir)
    ids = {w: tok(w, add_special_tokens=False)["input_ids"] for w in words}
    assert all(len(i) == 1 for i in ids.values())
    for cls in (AutoModelForMaskedLM, BertForPreTraining):
        model = cls.from_pretrained(result.final_model_dir)
        emb = model.get_input_embeddings().weight
        assert model.get_output_embeddings().weight is emb
        assert emb.shape[0] == len(tok) == (base_rows if reuse else base_rows + 3)
    trained = result.model.get_input_embeddings().weight.detach()
    torch.testing.assert_close(emb, trained.cpu())
