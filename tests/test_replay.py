"""Replay (issue 14): general text mixed into training at a set share, its held-out part never trained on."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from bertgui.data.replay import concat_corpora, mix_replay, split_general
from bertgui.data.tokenized import TokenizedCorpus


@pytest.fixture(autouse=True)
def _threads() -> None:
    torch.set_num_threads(1)


def make_corpus(docs: list[list[int]], offset: int, name: str) -> TokenizedCorpus:
    lengths = [n for d in docs for n in d]
    so = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    n = int(so[-1])
    return TokenizedCorpus(
        tokens=(np.arange(n) % 50 + offset).astype(np.int32), word_start=np.ones(n, np.uint8), sent_offsets=so,
        doc_offsets=np.concatenate([[0], np.cumsum([len(d) for d in docs])]).astype(np.int64),
        doc_source=np.zeros(len(docs), np.int32), doc_index=np.arange(len(docs), dtype=np.int64), sources=[name])


@pytest.mark.parametrize("share", [0.1, 0.3, 0.5])
def test_mix_reaches_the_share(share) -> None:
    domain = make_corpus([[20, 30, 25]] * 40, 100, "domain.txt")
    general = make_corpus([[15, 10]] * 30, 1000, "general.txt")
    mixed = mix_replay(domain, general, share, seed=1)
    toks = np.asarray(mixed.tokens)
    got = float(np.mean(toks >= 1000))
    assert abs(got - share) < 0.05
    assert mixed.n_documents > domain.n_documents and set(mixed.sources) == {"domain.txt", "general.txt"}
    # the domain text is all there, unchanged, first
    assert np.array_equal(toks[:domain.n_tokens], np.asarray(domain.tokens))
    assert mix_replay(domain, general, 0.0) is domain


def test_short_general_text_repeats_and_concat_keeps_sentences() -> None:
    domain = make_corpus([[20, 30]] * 20, 100, "d.txt")
    general = make_corpus([[5, 5]], 1000, "g.txt")
    mixed = mix_replay(domain, general, 0.4)
    assert mixed.n_documents > domain.n_documents + 1
    both = concat_corpora(domain, general)
    assert both.n_sentences == domain.n_sentences + general.n_sentences
    assert both.n_tokens == domain.n_tokens + general.n_tokens


def test_split_general_is_disjoint_by_documents() -> None:
    general = make_corpus([[5, 5]] * 10, 1000, "g.txt")
    held, rest = split_general(general, 0.3, seed=2)
    assert rest is not None and held.n_documents == 3 and rest.n_documents == 7
    assert not set(held.docs.tolist()) & set(rest.docs.tolist())
    one, none = split_general(make_corpus([[5, 5]], 0, "x"))
    assert none is None and one.n_documents == 1


def test_engine_replays_and_reports_general_perplexity(tiny_model, sample_corpus, tmp_path, monkeypatch) -> None:
    from bertgui.config import RunConfig
    from bertgui.engine import Engine

    docs = sample_corpus.read_text(encoding="utf-8").split("\n\n")
    domain, general = tmp_path / "domain.txt", tmp_path / "general.txt"
    domain.write_text("\n\n".join(docs[:6] * 3) + "\n", encoding="utf-8")
    general.write_text("\n\n".join(docs[40:60]) + "\n", encoding="utf-8")
    config = RunConfig(corpus=[str(domain)], model=str(tiny_model), output_dir=str(tmp_path / "run"), max_steps=3,
                       batch_size=8, max_seq_length=48, eval_share=0.1, checkpoint_every=100, seed=4,
                       general_corpus=str(general), replay_share=0.3)
    import bertgui.engine.data_stage as data_stage

    engine = Engine(config, cache_dir=tmp_path / "cache", num_proc=1)
    seen = {}
    original = data_stage.prepare_corpus_stage

    def spy(*a, **kw):
        corpus = original(*a, **kw)
        seen["train"], seen["held"] = corpus.prepared.train, corpus.general.held_out
        return corpus

    monkeypatch.setattr(data_stage, "prepare_corpus_stage", spy)
    result = engine.run()
    assert result.ok, result.failed
    assert any(n.startswith("Replay:") for n in result.summary["notes"])
    assert result.summary["metrics"]["general"]["before"] and result.summary["metrics"]["general"]["after"]
    train = seen["train"]
    assert "general.txt" in {train.source_of(int(d))[0] for d in train.docs}
    held = seen["held"]
    held_texts = {tuple(np.asarray(held.tokens[slice(*held.document_tokens(int(d)))]).tolist()) for d in held.docs}
    trained = {tuple(np.asarray(train.tokens[slice(*train.document_tokens(int(d)))]).tolist())
               for d in train.docs if train.source_of(int(d))[0] == "general.txt"}
    assert held_texts and trained and not held_texts & trained  # forgetting is measured on unseen text
