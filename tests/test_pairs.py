"""NSP pairs and MLM-only segments: Google's recipe, determinism, lengths, document order, the MLM-only offer."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bertgui.data.pairs import LABEL_IS_NEXT, LABEL_RANDOM, PretrainingDataset, _trim, plan_epoch
from bertgui.data.tokenized import TokenizedCorpus, tokenize_documents
from bertgui.errors import CorpusError


@pytest.fixture(scope="session")
def tokenizer(tiny_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


def make_corpus(doc_sentence_lengths: list[list[int]], vocab: int = 2000, seed: int = 0) -> TokenizedCorpus:
    """A corpus with given sentence lengths; token ids are random non-special ids (the tiny vocab has 5 specials)."""
    rng = np.random.default_rng(seed)
    lengths = [n for doc in doc_sentence_lengths for n in doc]
    sent_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    doc_offsets = np.concatenate([[0], np.cumsum([len(d) for d in doc_sentence_lengths])]).astype(np.int64)
    n = int(sent_offsets[-1])
    return TokenizedCorpus(
        tokens=rng.integers(5, vocab, n).astype(np.int32), word_start=(rng.random(n) < 0.7).astype(np.uint8),
        sent_offsets=sent_offsets, doc_offsets=doc_offsets,
        doc_source=np.zeros(len(doc_sentence_lengths), np.int32),
        doc_index=np.arange(len(doc_sentence_lengths), dtype=np.int64), sources=["random.txt"])


corpora = st.lists(st.lists(st.integers(1, 60), min_size=1, max_size=12), min_size=2, max_size=12).filter(
    lambda docs: max(len(d) for d in docs) >= 2)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=corpora, max_len=st.integers(16, 96), seed=st.integers(0, 2**16), short=st.sampled_from([0.0, 0.1, 0.5]))
def test_every_pair_is_well_formed(tokenizer, docs, max_len, seed, short) -> None:
    corpus = make_corpus(docs, seed=seed)
    ds = PretrainingDataset(corpus, tokenizer, max_len, nsp=True, short_seq_prob=short, seed=seed, epochs=1)
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    plan = ds.plan(0)
    for i in range(len(ds)):
        item = ds[i]
        ids, types = item["input_ids"], item["token_type_ids"]
        assert len(ids) <= max_len
        assert len(ids) == len(types) == len(item["word_start"])
        assert ids[0] == cls and ids[-1] == sep and ids.count(sep) == 2
        a_len = ids.index(sep) - 1
        assert a_len >= 1 and len(ids) - a_len - 3 >= 1  # both sides keep at least one token
        assert types == [0] * (a_len + 2) + [1] * (len(ids) - a_len - 2)
        assert item["word_start"][0] == item["word_start"][1] == item["word_start"][a_len + 2] == 1
        assert cls not in ids[1:] and sep not in ids[1:a_len + 1]
        j = i
        if item["next_sentence_label"] == LABEL_IS_NEXT:
            # same document, B after A, in document order
            assert plan.a_doc[j] == plan.b_doc[j] and plan.a_end[j] <= plan.b_start[j]
            info = ds.describe(i)
            assert info.a_sentences[1] < info.b_sentences[0]
            if not plan.truncated[j]:
                assert plan.a_end[j] == plan.b_start[j]
        else:
            assert item["next_sentence_label"] == LABEL_RANDOM
            assert plan.a_doc[j] != plan.b_doc[j]
        a0, a1 = int(plan.a_start[j]), int(plan.a_end[j])
        assert ids[1:a_len + 1] == corpus.tokens[a0:a1].tolist()
        d0, d1 = corpus.document_tokens(int(plan.a_doc[j]))
        assert d0 <= a0 < a1 <= d1


@settings(max_examples=40, deadline=None)
@given(docs=corpora, seed=st.integers(0, 2**16), nsp=st.booleans())
def test_same_seed_same_plan_other_seed_other_plan(docs, seed, nsp) -> None:
    corpus = make_corpus(docs)
    a, b, c = (plan_epoch(corpus, 32, nsp, 0.1, s, 0) for s in (seed, seed, seed + 1))
    fields = ("a_start", "a_end", "b_start", "b_end", "label")
    assert all(np.array_equal(getattr(a, f), getattr(b, f)) for f in fields)
    if len(a) >= 30:
        assert not all(np.array_equal(getattr(a, f), getattr(c, f)) for f in fields)


def test_labels_near_half() -> None:
    rng = np.random.default_rng(1)
    docs = [list(rng.integers(5, 25, rng.integers(5, 30))) for _ in range(300)]
    ds = PretrainingDataset(make_corpus(docs), _FakeTok(), 128, nsp=True, seed=3, epochs=1)
    labels = np.array([int(x) for x in ds.plan(0).label])
    assert len(labels) > 500
    # Google's recipe: 50 % random B, plus the one-sentence chunks that must take a random B
    assert 0.45 <= labels.mean() <= 0.58


class _FakeTok:
    cls_token_id, sep_token_id = 2, 3


def test_same_seed_same_pairs_other_seed_other_pairs(tokenizer, sample_corpus) -> None:
    from bertgui.data.corpus import iter_documents

    corpus = tokenize_documents(iter_documents(str(sample_corpus)), tokenizer, max_documents=30)
    a = PretrainingDataset(corpus, tokenizer, 64, seed=5, epochs=2)
    b = PretrainingDataset(corpus, tokenizer, 64, seed=5, epochs=2)
    c = PretrainingDataset(corpus, tokenizer, 64, seed=6, epochs=2)
    assert len(a) == len(b)
    assert [a[i] for i in range(len(a))] == [b[i] for i in range(len(b))]
    assert [a[i] for i in range(50)] != [c[i] for i in range(50)]
    # a new epoch brings new pairs (like dupe_factor)
    e1 = a.epoch_start(1)
    assert [a[i]["input_ids"] for i in range(20)] != [a[e1 + i]["input_ids"] for i in range(20)]
    assert a.epoch_of(e1) == (1, 0)


def test_fractional_epochs() -> None:
    corpus = make_corpus([[10] * 40, [12] * 40])
    one = PretrainingDataset(corpus, _FakeTok(), 64, seed=1, epochs=1)
    half = PretrainingDataset(corpus, _FakeTok(), 64, seed=1, epochs=1.5)
    assert len(one) < len(half) < len(one) + one.epoch_sizes()[0] + 5
    assert half.epoch_sizes()[0] == one.epoch_sizes()[0]


@settings(max_examples=40, deadline=None)
@given(docs=st.lists(st.lists(st.integers(1, 200), min_size=1, max_size=8), min_size=1, max_size=8),
       max_len=st.integers(16, 128), seed=st.integers(0, 1000))
def test_mlm_only_packs_every_token_once(docs, max_len, seed) -> None:
    corpus = make_corpus(docs, seed=seed)
    ds = PretrainingDataset(corpus, _FakeTok(), max_len, nsp=False, short_seq_prob=0.1, seed=seed)
    plan = ds.plan(0)
    covered = np.zeros(corpus.n_tokens, dtype=int)
    for s, e in zip(plan.a_start, plan.a_end, strict=True):
        covered[s:e] += 1
    assert (covered == 1).all()
    for i in range(len(ds)):
        item = ds[i]
        assert 3 <= len(item["input_ids"]) <= max_len
        assert "next_sentence_label" not in item and set(item["token_type_ids"]) == {0}


def test_no_multi_sentence_documents_offers_mlm_only() -> None:
    with pytest.raises(CorpusError) as err:
        PretrainingDataset(make_corpus([[5], [7], [9]]), _FakeTok(), 64, nsp=True)
    assert "nsp = false" in err.value.advice
    PretrainingDataset(make_corpus([[5], [7], [9]]), _FakeTok(), 64, nsp=False)  # MLM-only works
    with pytest.raises(CorpusError):
        PretrainingDataset(make_corpus([[5, 6, 7]]), _FakeTok(), 64, nsp=True)  # one document: no random B


@given(st.integers(1, 300), st.integers(1, 300), st.integers(2, 200))
def test_trim_matches_googles_loop(la, lb, max_tokens) -> None:
    a, b = la, lb
    while a + b > max_tokens:
        if a > b:
            a -= 1
        else:
            b -= 1
    assert _trim(la, lb, max_tokens) == (la - a, lb - b)


def test_one_document_eval_subset_borrows_random_b() -> None:
    full = make_corpus([[8, 9, 10, 11, 12], [5, 6], [7, 7, 7]])
    ds = PretrainingDataset(full.subset([0]), _FakeTok(), 32, nsp=True, seed=2)
    plan = ds.plan(0)
    assert set(plan.a_doc.tolist()) == {0}
    assert all(b != 0 for b, lab in zip(plan.b_doc, plan.label, strict=True) if lab == LABEL_RANDOM)


def test_group_by_length_keeps_the_sequences_and_cuts_padding() -> None:
    from bertgui.data.pairs import group_by_length, plan_epoch

    rng = np.random.default_rng(5)
    corpus = make_corpus([[int(n) for n in rng.integers(1, 60, 8)] for _ in range(40)])
    plan = plan_epoch(corpus, 128, True, 0.3, 1, 0)
    grouped = group_by_length(plan, batch_size=8, window=4, seed=1)

    def key(p, i):
        return (int(p.a_start[i]), int(p.a_end[i]), int(p.b_start[i]), int(p.b_end[i]), int(p.label[i]))

    assert sorted(key(plan, i) for i in range(len(plan))) == sorted(key(grouped, i) for i in range(len(grouped)))

    def padding(p) -> int:
        lengths = (p.a_end - p.a_start) + (p.b_end - p.b_start)
        return sum(int(b.max()) * len(b) - int(b.sum()) for b in np.array_split(lengths, range(8, len(lengths), 8)))

    assert padding(grouped) < 0.5 * padding(plan)
    again = group_by_length(plan, batch_size=8, window=4, seed=1)
    assert np.array_equal(again.a_start, grouped.a_start)  # deterministic: resuming sees the same order


@settings(max_examples=40, deadline=None)
@given(docs=st.lists(st.lists(st.integers(1, 40), min_size=1, max_size=4), min_size=2, max_size=10),
       max_len=st.integers(16, 128), seed=st.integers(0, 1000), held_out=st.sets(st.integers(0, 9), max_size=3))
def test_mlm_only_across_documents_fills_sequences_and_keeps_out_the_held_out(docs, max_len, seed,
                                                                               held_out) -> None:
    """masking.mlm_cross_documents: every token of the subset once, segments may join adjacent documents of the
    subset but never reach into a document outside it (a held-out document between two others splits them)."""
    corpus = make_corpus(docs, seed=seed)
    keep = np.array([d for d in range(len(docs)) if d not in held_out] or [0], dtype=np.int64)
    subset = corpus.subset(keep)
    joined = plan_epoch(subset, max_len, False, 0.1, seed, 0, cross_documents=True)
    alone = plan_epoch(subset, max_len, False, 0.1, seed, 0)
    allowed = np.zeros(corpus.n_tokens, dtype=bool)
    for d in keep:
        allowed[corpus.sent_offsets[corpus.doc_offsets[d]]:corpus.sent_offsets[corpus.doc_offsets[d + 1]]] = True
    covered = np.zeros(corpus.n_tokens, dtype=int)
    for s, e, da, db in zip(joined.a_start, joined.a_end, joined.a_doc, joined.b_doc, strict=True):
        covered[s:e] += 1
        assert 0 < e - s <= max_len - 2
        assert set(range(int(da), int(db) + 1)) <= set(keep.tolist())  # only this subset's documents, in a run
    assert (covered == allowed.astype(int)).all()
    assert len(joined) <= len(alone)  # joining never makes more sequences
    again = plan_epoch(subset, max_len, False, 0.1, seed, 0, cross_documents=True)
    assert np.array_equal(joined.a_start, again.a_start) and np.array_equal(joined.a_end, again.a_end)


def test_mlm_only_across_documents_joins_short_paragraphs() -> None:
    corpus = make_corpus([[10, 12]] * 12, seed=3)  # twelve paragraphs of 22 tokens
    alone = plan_epoch(corpus, 128, False, 0.0, 1, 0)
    joined = plan_epoch(corpus, 128, False, 0.0, 1, 0, cross_documents=True)
    assert (alone.a_end - alone.a_start).max() == 22 and len(alone) == 12
    lengths = joined.a_end - joined.a_start
    assert len(joined) == 3 and lengths.max() > 100  # full sequences: 264 tokens in three of up to 126
    assert int((joined.b_doc > joined.a_doc).sum()) == 2  # two ran on into later paragraphs; the tail is one
    ds = PretrainingDataset(corpus, _FakeTok(), 128, nsp=False, short_seq_prob=0.0, seed=1, cross_documents=True)
    info = next(ds.describe(i) for i in range(len(ds)) if ds.describe(i).b_document > ds.describe(i).a_document)
    assert info.a_sentences[1] == 1 and info.b_sentences is not None  # A: its first paragraph's two sentences


def test_mlm_cross_documents_is_refused_with_nsp() -> None:
    from bertgui.config import RunConfig
    from bertgui.errors import ConfigError

    with pytest.raises(ConfigError, match="mlm_cross_documents"):
        RunConfig(corpus=["x.txt"], model="m", nsp=True, mlm_cross_documents=True).validate()
    RunConfig(corpus=["x.txt"], model="m", nsp=False, mlm_cross_documents=True).validate()
