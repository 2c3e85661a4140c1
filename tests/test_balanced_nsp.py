"""Balanced NSP (issue 14): labels near 50/50 on corpora of short documents, where Google's recipe gives 70 %+ random.

A one-sentence chunk takes the following sentences of its document as B when there are any, and a forced random B
(a document's last sentence alone) is paid back by the next free choice. Google's recipe stays available.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bertgui.data.pairs import LABEL_IS_NEXT, PretrainingDataset, plan_epoch, random_share
from bertgui.data.tokenized import TokenizedCorpus


def make_corpus(doc_sentence_lengths: list[list[int]], seed: int = 0) -> TokenizedCorpus:
    rng = np.random.default_rng(seed)
    lengths = [n for doc in doc_sentence_lengths for n in doc]
    sent_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    doc_offsets = np.concatenate([[0], np.cumsum([len(d) for d in doc_sentence_lengths])]).astype(np.int64)
    n = int(sent_offsets[-1])
    return TokenizedCorpus(
        tokens=rng.integers(5, 2000, n).astype(np.int32), word_start=np.ones(n, np.uint8),
        sent_offsets=sent_offsets, doc_offsets=doc_offsets, doc_source=np.zeros(len(doc_sentence_lengths), np.int32),
        doc_index=np.arange(len(doc_sentence_lengths), dtype=np.int64), sources=["short.txt"])


def meditations_like(n_docs: int = 300, seed: int = 1) -> TokenizedCorpus:
    """Short paragraphs of 1–4 long sentences (20–70 tokens each), as in *Meditations*: chunks of one sentence."""
    rng = np.random.default_rng(seed)
    return make_corpus([[int(x) for x in rng.integers(20, 70, int(rng.integers(1, 5)))] for _ in range(n_docs)])


class _Tok:
    cls_token_id, sep_token_id = 2, 3


@pytest.mark.parametrize("seed", [42, 1])
def test_google_recipe_is_mostly_random_on_short_documents_and_balanced_is_not(seed) -> None:
    """4 000 short paragraphs: the balanced share lands within ±0.006 of a half on every seed tried, so ±0.02
    holds it while a forced random B that is not paid back (0.55 and up) cannot slip through."""
    corpus = meditations_like(n_docs=4000)
    google = random_share(plan_epoch(corpus, 64, True, 0.1, seed, 0, balanced=False))
    balanced = random_share(plan_epoch(corpus, 64, True, 0.1, seed, 0, balanced=True))
    assert google > 0.65  # the problem the issue describes
    assert abs(balanced - 0.5) <= 0.02


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sample_corpus_of_short_documents_is_balanced(tiny_model, seed) -> None:
    """The tiny corpora of tests/conftest.py, cut into short paragraphs: real tokens and sentence splits."""
    from transformers import AutoTokenizer

    from bertgui.data.samples import sample_documents
    from bertgui.data.tokenized import tokenize_documents

    tok = AutoTokenizer.from_pretrained(tiny_model)
    paragraphs = []
    for doc in sample_documents()[:40]:
        sentences = doc.split(". ")
        paragraphs += [". ".join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)]
    corpus = tokenize_documents(iter(paragraphs), tok)
    plan = plan_epoch(corpus, 128, True, 0.1, seed, 0, balanced=True)
    assert len(plan) > 200
    assert abs(random_share(plan) - 0.5) <= 0.05


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=st.lists(st.lists(st.integers(1, 60), min_size=1, max_size=8), min_size=2, max_size=12).filter(
    lambda d: max(len(x) for x in d) >= 2), max_len=st.integers(16, 96), seed=st.integers(0, 2**16))
def test_balanced_pairs_are_well_formed_and_in_document_order(docs, max_len, seed) -> None:
    corpus = make_corpus(docs, seed=seed)
    ds = PretrainingDataset(corpus, _Tok(), max_len, nsp=True, seed=seed, balanced=True)
    plan = ds.plan(0)
    for j in range(len(plan)):
        assert plan.a_end[j] > plan.a_start[j] and plan.b_end[j] > plan.b_start[j]
        assert (plan.a_end[j] - plan.a_start[j]) + (plan.b_end[j] - plan.b_start[j]) <= max_len - 3
        if plan.label[j] == LABEL_IS_NEXT:
            assert plan.a_doc[j] == plan.b_doc[j] and plan.b_start[j] >= plan.a_end[j]
        else:
            assert plan.a_doc[j] != plan.b_doc[j]
        assert len(ds[j]["input_ids"]) <= max_len


def test_a_corpus_of_one_sentence_documents_cannot_be_balanced_and_stays_valid() -> None:
    """No document has a following sentence: every B must be random (the recipe may not invent "is next")."""
    corpus = make_corpus([[30]] * 20 + [[30, 30]])
    plan = plan_epoch(corpus, 128, True, 0.0, 1, 0, balanced=True)
    assert random_share(plan) > 0.9


def test_balanced_is_the_default_and_reaches_the_engine() -> None:
    from bertgui.config import RunConfig

    assert RunConfig().nsp_balanced is True
    assert RunConfig.from_toml_dict({"masking": {"nsp_balanced": False}}).nsp_balanced is False
