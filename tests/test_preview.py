"""Previews: plain data a person can check (pairs, masks, statistics), fast on a large corpus, and the command."""

from __future__ import annotations

import json
import time

import pytest

from bertgui.cli import main
from bertgui.data.preview import corpus_stats, open_sample, preview_masking, preview_pairs
from bertgui.data.tokenized import chinese_segmenter_available
from bertgui.errors import CorpusError


@pytest.fixture(scope="session")
def tokenizer(tiny_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


@pytest.fixture(scope="session")
def sample(tokenizer, sample_corpus):
    return open_sample(str(sample_corpus), tokenizer, max_documents=30)


def test_preview_pairs_show_sources_and_fit(tokenizer, sample) -> None:
    pairs = preview_pairs(sample.corpus, tokenizer, 12, max_seq_length=64, seed=1)
    assert len(pairs) == 12
    for p in pairs:
        assert p.length == len(p.tokens_a) + len(p.tokens_b) + 3 <= 64
        assert p.label in (0, 1) and p.label_text
        assert p.tokens_a and p.tokens_b and p.text_a and p.text_b
        if p.label == 0:
            assert (p.a_source, p.a_document) == (p.b_source, p.b_document)
            assert p.a_sentences[1] < p.b_sentences[0]
    assert preview_pairs(sample.corpus, tokenizer, 3, seed=1) == preview_pairs(sample.corpus, tokenizer, 3, seed=1)
    assert json.dumps([p.to_dict() for p in pairs])


def test_preview_masking_kinds_segments_and_words(tokenizer, sample) -> None:
    views = preview_masking(sample.corpus, tokenizer, 4, seed=3, mlm_probability=0.3)
    assert views == preview_masking(sample.corpus, tokenizer, 4, seed=3, mlm_probability=0.3)  # frozen by seed
    assert views != preview_masking(sample.corpus, tokenizer, 4, seed=4, mlm_probability=0.3)
    kinds = {t.kind for v in views for t in v.tokens}
    assert {"masked", "not selected", "special"} <= kinds
    for v in views:
        toks = v.tokens
        assert toks[0].token == tokenizer.cls_token and toks[0].kind == "special"
        assert {t.segment for t in toks} == {"A", "B"}
        assert sum(v.counts.values()) == len(toks)
        for t in toks:
            if t.kind == "masked":
                assert t.shown == tokenizer.mask_token
            if t.kind in ("kept", "not selected", "special"):
                assert t.shown == t.token
        for prev, t in zip(toks, toks[1:], strict=False):
            if t.token.startswith("##") and prev.kind != "special":  # a trimmed front may start inside a word
                assert t.continues_word
        # whole-word masking: a continuing piece is selected exactly when the piece before it is
        for prev, cur in zip(toks, toks[1:], strict=False):
            if cur.continues_word:
                assert (prev.kind in ("masked", "random", "kept")) == (cur.kind in ("masked", "random", "kept"))


def test_corpus_stats(tokenizer, sample) -> None:
    stats = corpus_stats(sample.corpus, tokenizer, max_seq_length=64, sample=True)
    assert stats.sample and stats.documents == 30
    assert stats.tokens == sample.corpus.n_tokens and stats.words <= stats.tokens
    assert stats.tokens_per_word >= 1
    assert 0 <= stats.unk_rate < 0.05
    assert stats.sequences_per_epoch > 0 and 0.3 < stats.random_next_share < 0.7
    assert 0 <= stats.truncated_share <= 1
    assert stats.fragmented_words and all(len(w.pieces) >= 2 for w in stats.fragmented_words)
    assert any(w.pieces[1].startswith("##") for w in stats.fragmented_words)
    json.dumps(stats.to_dict())


def test_single_sentence_documents_offer_mlm_only(tmp_path, tokenizer) -> None:
    path = tmp_path / "lines.txt"
    path.write_text("\n".join(f"Line number {i} is one document." for i in range(20)), encoding="utf-8")
    corpus = open_sample(str(path), tokenizer).corpus
    with pytest.raises(CorpusError, match="more than one sentence"):
        preview_pairs(corpus, tokenizer)
    segments = preview_pairs(corpus, tokenizer, 3, nsp=False)
    assert segments and all(s.label == -1 and not s.tokens_b for s in segments)
    stats = corpus_stats(corpus, tokenizer)
    assert not stats.nsp and stats.notes


def test_first_preview_is_fast_on_a_large_corpus(tmp_path, tokenizer, sample_corpus) -> None:
    big = tmp_path / "big.txt"
    text = sample_corpus.read_text(encoding="utf-8")
    with open(big, "w", encoding="utf-8") as fh:
        for _ in range(40):  # ~18 MB
            fh.write(text)
    t0 = time.perf_counter()
    corpus = open_sample(str(big), tokenizer).corpus
    preview_pairs(corpus, tokenizer, 5)
    preview_masking(corpus, tokenizer, 3)
    corpus_stats(corpus, tokenizer, sample=True)
    assert time.perf_counter() - t0 < 3.0  # about a second, with room for a busy CI machine


def test_preview_command_json(capsys, tiny_model, sample_corpus) -> None:
    assert main(["preview", "--corpus", str(sample_corpus), "--model", str(tiny_model), "--pairs", "2",
                 "--masked", "1", "--json", "--sample-documents", "20"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) >= {"stats", "pairs", "masking", "notes"}
    assert len(data["pairs"]) == 2 and len(data["masking"]) == 1
    assert {t["kind"] for t in data["masking"][0]["tokens"]} <= {"masked", "random", "kept", "not selected",
                                                                  "special"}


def test_preview_command_colours(capsys, tiny_model, sample_corpus) -> None:
    args = ["preview", "--corpus", str(sample_corpus), "--model", str(tiny_model), "--sample-documents", "20"]
    assert main([*args, "--color", "always"]) == 0
    out = capsys.readouterr().out
    assert "\033[1;97;44m" in out and "Pair 1" in out and "Corpus statistics" in out
    assert main([*args, "--color", "never", "--mlm-only"]) == 0
    out = capsys.readouterr().out
    assert "\033[" not in out and "MLM-only segment" in out


def test_preview_command_error_is_one_line(capsys, tmp_path, tiny_model) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert main(["preview", "--corpus", str(empty), "--model", str(tiny_model)]) == 2
    err = capsys.readouterr().err
    assert "empty.txt" in err and "Traceback" not in err


@pytest.mark.skipif(not chinese_segmenter_available(), reason="jieba is not installed")
def test_chinese_previews_mask_whole_jieba_words(tmp_path) -> None:
    from test_corpus import ZH, make_zh_tokenizer

    tok = make_zh_tokenizer()
    path = tmp_path / "zh.txt"
    path.write_text("\n\n".join([ZH.replace("\n\n", "")] * 6), encoding="utf-8")
    sample = open_sample(str(path), tok)
    assert sample.corpus.word_segmenter == "jieba" and not sample.notes
    stats = corpus_stats(sample.corpus, tok, max_seq_length=32)
    assert stats.sentences == 6 * 6 and stats.words < stats.tokens and stats.word_segmenter == "jieba"
    views = preview_masking(sample.corpus, tok, 6, seed=2, max_seq_length=32, mlm_probability=0.4)
    chosen = {"masked", "random", "kept"}
    continuing = 0
    for v in views:
        for prev, cur in zip(v.tokens, v.tokens[1:], strict=False):
            if cur.continues_word:
                continuing += 1
                assert (prev.kind in chosen) == (cur.kind in chosen)  # all characters of a word together
    assert continuing > 10
