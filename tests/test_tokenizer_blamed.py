"""A tokenizer that encodes text to nothing is named as the cause — not "No usable text in the corpus"."""

from __future__ import annotations

import pytest

from bertgui.config import RunConfig
from bertgui.data.prepare import prepare_corpus
from bertgui.data.preview import open_sample
from bertgui.errors import CorpusError


def wrap(backend):
    from transformers import PreTrainedTokenizerFast

    return PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="[UNK]", pad_token="[PAD]",
                                   cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")


def broken_tokenizer():
    """Its normalizer deletes every character: any text becomes zero tokens."""
    from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "fox"])}
    backend = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    backend.normalizer = normalizers.Replace(Regex(r"[\s\S]"), "")
    return wrap(backend)


def no_unknown_tokenizer():
    """A BPE without an unknown token: a script it has no pieces for vanishes."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *"abcdefghijklmnopqrstuvwxyz",
                                         *"ABCDEFGHIJKLMNOPQRSTUVWXYZ"])}
    backend = Tokenizer(models.BPE(vocab=vocab, merges=[]))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    return wrap(backend)


def working_tokenizer():
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "fox"])}
    backend = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    return wrap(backend)


@pytest.fixture()
def corpus(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("Σωκράτης ἔφη. Γνῶθι σεαυτόν.\n\nἝν οἶδα ὅτι οὐδὲν οἶδα. Τὸ δὲ ζῆν.\n", encoding="utf-8")
    return path


def both_paths(corpus, tokenizer, tmp_path) -> list[str]:
    """The messages of the quick look (preview) and of the full pass (training)."""
    messages = []
    with pytest.raises(CorpusError) as exc:
        open_sample([str(corpus)], tokenizer)
    messages.append(exc.value.message)
    with pytest.raises(CorpusError) as exc:
        prepare_corpus(RunConfig(corpus=[str(corpus)]), tokenizer, cache_dir=tmp_path / "cache", num_proc=1)
    messages.append(exc.value.message)
    return messages


def test_a_tokenizer_that_makes_nothing_of_any_text_is_called_broken(corpus, tmp_path):
    for message in both_paths(corpus, broken_tokenizer(), tmp_path):
        assert "tokenizer" in message and "broken" in message, message
        assert "No usable text" not in message


def test_a_tokenizer_without_pieces_for_the_script_is_named(corpus, tmp_path):
    for message in both_paths(corpus, no_unknown_tokenizer(), tmp_path):
        assert "makes no tokens of the corpus text" in message and "Σωκράτης" in message, message


def test_a_really_empty_corpus_still_says_so(tmp_path):
    empty = tmp_path / "blank.txt"
    empty.write_text("   \n\n  \n", encoding="utf-8")
    for message in both_paths(empty, working_tokenizer(), tmp_path):
        assert "tokenizer" not in message.lower(), message
