"""Evaluation on frozen pairs and masks: repeatable, batch-size independent, perplexity = exp(loss); the CLI."""

from __future__ import annotations

import json
import math

import pytest
import torch

from bertgui.config import RunConfig
from bertgui.engine.evaluation import FrozenEvalSet, evaluate_batches, evaluate_model


@pytest.fixture(scope="module")
def loaded(tiny_model, sample_corpus):
    from bertgui.data.corpus import iter_documents
    from bertgui.data.tokenized import tokenize_documents
    from bertgui.model.loading import load_model, resolve_model

    torch.set_num_threads(1)
    lm = load_model(resolve_model(str(tiny_model)), nsp=True)
    corpus = tokenize_documents(iter_documents([str(sample_corpus)]), lm.tokenizer, max_documents=8)
    return lm, corpus


def test_frozen_and_independent_of_the_training_batch_size(loaded) -> None:
    lm, corpus = loaded
    config = RunConfig(max_seq_length=48, batch_size=4)
    a = evaluate_model(lm.model, lm.tokenizer, corpus, config, nsp=True, max_sequences=40)
    b = evaluate_model(lm.model, lm.tokenizer, corpus, config.replace(batch_size=16), nsp=True, max_sequences=40)
    assert a.sequences == b.sequences == 40 and a.masked_tokens == b.masked_tokens > 0
    assert a.mlm_loss == pytest.approx(b.mlm_loss, abs=1e-5)
    assert a.nsp_accuracy == pytest.approx(b.nsp_accuracy)
    assert a.perplexity == pytest.approx(math.exp(a.mlm_loss))
    assert 0.0 <= a.masked_accuracy <= 1.0 and 0.0 <= a.nsp_accuracy <= 1.0
    # the same set evaluated twice gives the same figures (masks are frozen, not redrawn)
    frozen = FrozenEvalSet(corpus, lm.tokenizer, config, nsp=True, max_sequences=40)
    lm.model.train()
    r1 = evaluate_batches(lm.model, frozen.batches, nsp=True)
    r2 = evaluate_batches(lm.model, frozen.batches, nsp=True)
    assert r1.mlm_loss == r2.mlm_loss == pytest.approx(a.mlm_loss, abs=1e-5)
    assert lm.model.training  # put back in its mode


def test_masked_accuracy_reacts_to_the_model(loaded) -> None:
    """A model whose decoder bias points at the right token must score higher: the metric can fail."""
    lm, corpus = loaded
    config = RunConfig(max_seq_length=48, batch_size=8)
    frozen = FrozenEvalSet(corpus, lm.tokenizer, config, nsp=False, max_sequences=16)
    before = evaluate_batches(lm.model, frozen.batches, nsp=False)
    target = int(next(b["labels"][b["labels"] != -100][0] for b in frozen.batches))
    with torch.no_grad():
        bias = lm.model.cls.predictions.bias
        saved = bias[target].clone()
        bias[target] += 100.0
        after = evaluate_batches(lm.model, frozen.batches, nsp=False)
        bias[target] = saved
    assert after.masked_accuracy > before.masked_accuracy
    assert after.nsp_accuracy is None


def test_eval_command_json(tiny_model, sample_corpus, capsys) -> None:
    from bertgui.cli import main

    code = main(["eval", "--model", str(tiny_model), "--corpus", str(sample_corpus), "--max-sequences", "24",
                 "--max-seq-length", "48", "--device", "cpu", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert data["sequences"] == 24 and data["perplexity"] == pytest.approx(math.exp(data["mlm_loss"]))
    assert data["nsp_accuracy"] is not None
