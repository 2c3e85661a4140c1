"""Sentence splitting: English corner cases the tutorial's split on '.' gets wrong, and Chinese punctuation."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bertgui.data.sentences import MAX_SENTENCE_CHARS, split_sentences


def test_english_abbreviations_decimals_quotes() -> None:
    text = ('Mr. Smith paid $3.14 for it. Then he left! Did he? Yes. He said "Stop." Then he went home. '
            "See Fig. 3 and e.g. the U.S. data. J. R. R. Tolkien wrote it. Use os.path.join() here.")
    assert split_sentences(text) == [
        "Mr. Smith paid $3.14 for it.", "Then he left!", "Did he?", "Yes.", 'He said "Stop."',
        "Then he went home.", "See Fig. 3 and e.g. the U.S. data.", "J. R. R. Tolkien wrote it.",
        "Use os.path.join() here."]


def test_lowercase_after_mark_is_not_a_boundary() -> None:
    assert split_sentences("Is it? no, it is not... and so on. Next one.") == [
        "Is it? no, it is not... and so on.", "Next one."]


def test_chinese_punctuation_and_quotes() -> None:
    text = "我们今天去公园。你呢？“好的！”他说。真的吗……好吧；再见。“走吧。”“好。”"
    assert split_sentences(text) == [
        "我们今天去公园。", "你呢？", "“好的！”他说。", "真的吗……", "好吧；", "再见。", "“走吧。”", "“好。”"]


def test_japanese_and_mixed() -> None:
    assert split_sentences("今日は晴れです。明日は雨でしょう！ Then English. OK") == [
        "今日は晴れです。", "明日は雨でしょう！", "Then English.", "OK"]


@pytest.mark.parametrize(("text", "sentences"), [
    ("هل أنت بخير؟ نعم، أنا بخير. شكرا لك.", ["هل أنت بخير؟", "نعم، أنا بخير.", "شكرا لك."]),  # Arabic ؟
    ("آپ کیسے ہیں؟ میں ٹھیک ہوں۔ شکریہ۔", ["آپ کیسے ہیں؟", "میں ٹھیک ہوں۔", "شکریہ۔"]),  # Urdu ۔
    ("मैं घर जा रहा हूँ। तुम कहाँ हो? ठीक है।", ["मैं घर जा रहा हूँ।", "तुम कहाँ हो?", "ठीक है।"]),  # Hindi ।
    ("Ես գնում եմ տուն։ Դու որտե՞ղ ես։", ["Ես գնում եմ տուն։", "Դու որտե՞ղ ես։"]),  # Armenian ։
    ("ወደ ቤት እሄዳለሁ። አንተ የት ነህ፧ ደህና ነው።", ["ወደ ቤት እሄዳለሁ።", "አንተ የት ነህ፧", "ደህና ነው።"]),  # Ethiopic ። ፧
], ids=["arabic", "urdu", "hindi", "armenian", "ethiopic"])
def test_sentence_ends_of_other_scripts(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_line_breaks_are_hard_wraps() -> None:
    assert split_sentences("line one\ncontinues here. Next\nline.") == ["line one continues here.", "Next line."]
    assert split_sentences("中文句子\n继续。下一句") == ["中文句子继续。", "下一句"]


def test_empty_and_whitespace() -> None:
    assert split_sentences("") == []
    assert split_sentences("  \n\t ") == []


def test_run_on_text_is_cut() -> None:
    pieces = split_sentences(" ".join(["word"] * 3000))
    assert len(pieces) > 1
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(list("ab Z.?!。！？；…”\"\n3'") + ["Mr.", "中", "文"]), max_size=150).map("".join))
def test_no_text_is_lost(text: str) -> None:
    out = split_sentences(text)
    assert all(s and s == s.strip() for s in out)
    strip = re.compile(r"\s+")
    assert strip.sub("", "".join(out)) == strip.sub("", text)
