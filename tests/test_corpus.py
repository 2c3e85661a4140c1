"""Reading corpora (encodings, tables, broken files) and the full cached pass (prepare_corpus), Chinese included."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from bertgui.config import RunConfig
from bertgui.data.corpus import iter_documents
from bertgui.data.prepare import Stopped, prepare_corpus, split_documents
from bertgui.data.tokenized import (
    TokenizedCorpus,
    chinese_segmenter_available,
    encode_sentences,
    tokenize_documents,
)
from bertgui.errors import CorpusError

ZH = ("数据库管理系统是一种操纵和管理数据库的大型软件。它用于建立、使用和维护数据库！你知道吗？"
      "“当然知道。”他说。\n\n自然语言处理是人工智能的一个重要方向。我们研究中文分词。")


@pytest.fixture(scope="session")
def tokenizer(tiny_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


@pytest.fixture(scope="session")
def zh_tokenizer():
    return make_zh_tokenizer()


def make_zh_tokenizer():
    """A tiny WordPiece tokenizer that knows the Chinese characters of ZH (BERT splits CJK per character)."""
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = sorted({c for c in ZH if not c.isspace()})
    vocab = {t: i for i, t in enumerate(specials + chars + ["the", "data", "##base"])}
    tok = Tokenizer(models.WordPiece(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]")


# ---------------------------------------------------------------------------------------------- encodings
def test_gbk_and_gb18030_files_load(tmp_path) -> None:
    for enc in ("gbk", "gb18030"):
        path = tmp_path / f"zh-{enc}.txt"
        path.write_bytes(ZH.encode(enc))
        docs = list(iter_documents(str(path)))
        assert [d.text for d in docs] == [t.strip() for t in ZH.split("\n\n")]


def test_latin1_file_loads(tmp_path) -> None:
    text = "Café crème à la française. Über große Straßen.\n\nGarçon, l'addition! Très bien."
    path = tmp_path / "fr.txt"
    path.write_bytes(text.encode("latin-1"))
    assert [d.text for d in iter_documents(str(path))] == [t.strip() for t in text.split("\n\n")]


def test_binary_and_empty_files_name_the_file(tmp_path) -> None:
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("\n  \n\t\n", encoding="utf-8")
    for path, words in ((binary, "binary"), (empty, "empty"), (blank, "empty")):
        with pytest.raises(CorpusError) as err:
            list(iter_documents(str(path)))
        assert path.name in err.value.message and words in err.value.message
        assert err.value.advice


def test_bad_file_in_a_folder_loses_nothing_else(tmp_path) -> None:
    (tmp_path / "a.txt").write_text("First document. Two sentences.\n\nSecond one. Also two.", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "c.txt").write_text("Third document. Fine.", encoding="utf-8")
    errors: list[CorpusError] = []
    docs = list(iter_documents(str(tmp_path), on_error=errors.append))
    assert [d.source for d in docs] == ["a.txt", "a.txt", "c.txt"]
    assert len(errors) == 1 and "b.txt" in errors[0].message
    with pytest.raises(CorpusError):
        list(iter_documents(str(tmp_path)))  # without on_error the error stops the reading


def test_tables_and_document_modes(tmp_path) -> None:
    csv = tmp_path / "t.csv"
    csv.write_text('id,body\n1,"One. Two."\n2,""\n3,Three.\n', encoding="utf-8")
    assert [(d.text, d.index) for d in iter_documents(str(csv), text_column="body")] == [("One. Two.", 0),
                                                                                      ("Three.", 2)]
    jsonl = tmp_path / "t.jsonl"
    jsonl.write_text("\n".join(json.dumps({"text": t}) for t in ["A b. C d.", "E f."]), encoding="utf-8")
    assert [d.text for d in iter_documents(str(jsonl))] == ["A b. C d.", "E f."]
    with pytest.raises(CorpusError, match="column"):
        list(iter_documents(str(csv), text_column="missing"))
    txt = tmp_path / "lines.txt"
    txt.write_text("one.\ntwo.\nthree.\n", encoding="utf-8")
    assert len(list(iter_documents(str(txt)))) == 3  # auto: no blank line -> a line is a document
    assert len(list(iter_documents(str(txt), documents="file"))) == 1


# ---------------------------------------------------------------------------------------------- Chinese
@pytest.mark.skipif(not chinese_segmenter_available(), reason="jieba is not installed")
def test_jsonl_lines_without_text_are_skipped_and_counted_never_stringified(tmp_path) -> None:
    rows = [{"text": "First row."}, {"text": {"nested": "object"}}, {"id": 3}, {"text": ["a", "list"]},
            {"text": 42}, {"text": "Last row."}]
    (tmp_path / "rows.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    heard: list[CorpusError] = []
    docs = list(iter_documents([str(tmp_path / "rows.jsonl")], on_error=heard.append))
    assert [d.text for d in docs] == ["First row.", "Last row."]  # the line after the missing field is read too
    assert len(heard) == 1
    assert heard[0].message == ("rows.jsonl: 4 line(s) skipped (1 without the field 'text', 3 whose 'text' is not "
                                "text; the first at line 2: field 'text' holds dict, not text).")


def test_nul_bytes_past_the_encoding_sample_are_never_read_as_text(tmp_path) -> None:
    prose = "".join(f"Paragraph {i} is ordinary text. It goes on.\n\n" for i in range(3000))  # > 64 KB
    assert len(prose) > 65536
    (tmp_path / "joined.txt").write_bytes(prose.encode() + b"Then\x00binary\x00data.\n\nAnd text again.\n")
    heard: list[CorpusError] = []
    docs = list(iter_documents([str(tmp_path / "joined.txt")], on_error=heard.append))
    assert not any("\x00" in d.text for d in docs) and docs[-1].text == "And text again."
    assert len(heard) == 1 and "1 document(s) skipped because they hold NUL bytes" in heard[0].message


def test_text_without_a_word_is_refused_before_a_document_is_used(tmp_path) -> None:
    (tmp_path / "dots.txt").write_text("... !!!\n\n--- ***\n")
    with pytest.raises(CorpusError, match="holds no words"):
        next(iter(iter_documents([str(tmp_path / "dots.txt")])))
    (tmp_path / "late.txt").write_text("... !!!\n\nA word at last.\n")  # a word-less document before a real one
    assert [d.text for d in iter_documents([str(tmp_path / "late.txt")])] == ["... !!!", "A word at last."]


def test_jieba_word_boundaries_group_characters(zh_tokenizer) -> None:
    import jieba

    sentence = "数据库管理系统是一种大型软件。"
    ids, ws, lengths = encode_sentences([sentence], zh_tokenizer, chinese_words=True)
    assert lengths[0] == len(sentence)  # one token per character
    words = list(jieba.cut(sentence))
    expected = [1 if j == 0 else 0 for w in words for j in range(len(w))]
    assert ws.tolist() == expected
    assert sum(expected) < len(sentence)  # some words really have several characters
    _, ws_off, _ = encode_sentences([sentence], zh_tokenizer, chinese_words=False)
    assert ws_off.tolist() == [1] * len(sentence)  # without a segmenter every character is its own word


def test_jieba_missing_is_said(tmp_path, zh_tokenizer, monkeypatch) -> None:
    from bertgui.data import preview, tokenized

    path = tmp_path / "zh.txt"
    path.write_text(ZH, encoding="utf-8")
    monkeypatch.setitem(sys.modules, "jieba", None)  # import jieba now fails
    assert not tokenized.chinese_segmenter_available()
    sample = preview.open_sample(str(path), zh_tokenizer)
    assert sample.corpus.word_segmenter == "tokenizer"
    assert tokenized.CHINESE_SEGMENTER_NOTE in sample.notes


# ---------------------------------------------------------------------------------------------- full pass
def _config(paths, **kw) -> RunConfig:
    return RunConfig(corpus=[str(p) for p in paths], **kw).validate()


def test_prepare_matches_in_memory_and_caches(tmp_path, tokenizer, sample_corpus, monkeypatch) -> None:
    calls: list[tuple[int, int]] = []
    cfg = _config([sample_corpus], eval_share=0.1, seed=3)
    first = prepare_corpus(cfg, tokenizer, num_proc=1, cache_dir=tmp_path, progress=lambda d, t, m: calls.append((d, t)))
    assert not first.cached and calls and calls[-1][0] == calls[-1][1] > 0
    assert all(a[0] <= b[0] for a, b in zip(calls, calls[1:], strict=False))
    memory = tokenize_documents(iter_documents(str(sample_corpus)), tokenizer)
    full = first.all
    for name in ("tokens", "word_start", "sent_offsets", "doc_offsets"):
        assert np.array_equal(getattr(full, name), getattr(memory, name)), name
    assert isinstance(full.tokens, np.memmap)
    # whole documents: train and eval partition the documents
    assert first.eval is not None
    assert set(first.train.docs) | set(first.eval.docs) == set(range(full.n_documents))
    assert not set(first.train.docs) & set(first.eval.docs)
    assert first.eval.n_documents == round(0.1 * full.n_documents)
    monkeypatch.setattr("bertgui.data.prepare.OFFSET_STEP", 7)  # offsets are summed in pieces: they must join up
    pieces = prepare_corpus(cfg, tokenizer, num_proc=1, cache_dir=tmp_path / "pieces")
    assert np.array_equal(pieces.all.sent_offsets, memory.sent_offsets)
    again = prepare_corpus(cfg, tokenizer, num_proc=1, cache_dir=tmp_path)
    assert again.cached and np.array_equal(again.eval.docs, first.eval.docs)
    other = prepare_corpus(cfg.replace(seed=4), tokenizer, num_proc=1, cache_dir=tmp_path)
    assert other.cached and not np.array_equal(other.eval.docs, first.eval.docs)


@pytest.mark.slow
def test_prepare_with_worker_processes(tmp_path, tokenizer, sample_corpus) -> None:
    one = prepare_corpus(_config([sample_corpus]), tokenizer, num_proc=1, cache_dir=tmp_path / "one")
    two = prepare_corpus(_config([sample_corpus]), tokenizer, num_proc=2, cache_dir=tmp_path / "two")
    assert np.array_equal(one.all.tokens, two.all.tokens)
    assert np.array_equal(one.all.doc_offsets, two.all.doc_offsets)


def test_prepare_skips_bad_files_and_refuses_nothing_usable(tmp_path, tokenizer) -> None:
    good = tmp_path / "good.txt"
    good.write_text("One sentence here. And another.\n\nA second document. With two sentences.", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00" * 2000)
    prepared = prepare_corpus(_config([good, bad]), tokenizer, num_proc=1, cache_dir=tmp_path / "c")
    assert prepared.all.n_documents == 2
    assert any("bad.txt" in n for n in prepared.notes)
    with pytest.raises(CorpusError, match="bad.txt"):
        prepare_corpus(_config([bad]), tokenizer, num_proc=1, cache_dir=tmp_path / "c")


def test_prepare_can_be_stopped(tmp_path, tokenizer, sample_corpus) -> None:
    with pytest.raises(Stopped):
        prepare_corpus(_config([sample_corpus]), tokenizer, num_proc=1, cache_dir=tmp_path, should_stop=lambda: True)
    assert not any(tmp_path.iterdir())  # nothing half-built is left to be mistaken for a cache


def test_split_documents_edge_cases() -> None:
    train, ev = split_documents(1, 0.2, 0)
    assert train.tolist() == [0] and ev.tolist() == []
    train, ev = split_documents(10, 0.0, 0)
    assert len(ev) == 0
    train, ev = split_documents(10, 0.01, 0)
    assert len(ev) == 1 and len(train) == 9


def test_saved_corpus_round_trip(tmp_path, tokenizer) -> None:
    corpus = tokenize_documents(["One. Two.", "Three four. Five."], tokenizer)
    loaded = TokenizedCorpus.load(corpus.save(tmp_path / "c"))
    assert np.array_equal(loaded.tokens, corpus.tokens) and loaded.sources == corpus.sources


def test_memory_mapped_corpus_pickles_as_its_folder(tmp_path, tokenizer, sample_corpus) -> None:
    import pickle

    prepared = prepare_corpus(_config([sample_corpus], eval_share=0.2), tokenizer, num_proc=1, cache_dir=tmp_path)
    blob = pickle.dumps(prepared.train)
    assert len(blob) < 20_000 < prepared.train.tokens.nbytes  # not the token arrays
    back = pickle.loads(blob)
    assert isinstance(back.tokens, np.memmap) and np.array_equal(back.docs, prepared.train.docs)
    assert back.n_tokens == prepared.train.n_tokens


def test_two_threads_preparing_the_same_corpus_at_once(tmp_path, tokenizer, sample_corpus) -> None:
    """The window's statistics worker and its training run may prepare one corpus together in one process."""
    import threading

    cfg = _config([sample_corpus])
    results: list = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def work() -> None:
        barrier.wait()
        try:
            results.append(prepare_corpus(cfg, tokenizer, num_proc=1, cache_dir=tmp_path))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert np.array_equal(results[0].all.tokens, results[1].all.tokens)
    assert not [p for p in tmp_path.rglob("*") if ".tmp-" in p.name]
