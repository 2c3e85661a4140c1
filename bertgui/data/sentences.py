"""Splitting a document into sentences, for NSP pairs: English and Chinese/Japanese, by a small rule set.

Why rules and not pysbd: NSP only needs plausible sentence boundaries, and the full pass must keep up with the
tokenizer on a 1 GB corpus. pysbd handles more English corner cases but runs at well under 1 MB/s; these rules run
at tens of MB/s (``benchmarks/data_bench.py --splitter`` measures both) and still beat the tutorial's split on '.':

- ``.``, ``!``, ``?``, ``…`` (and runs like ``?!`` or ``...``) end a sentence when whitespace and then something
  other than a lowercase letter follow; closing quotes and brackets after the mark stay with the sentence.
- A ``.`` after a known abbreviation (Mr., e.g., Fig., …), a single-letter initial (J. Smith) or a dotted acronym
  (U.S.) does not end a sentence; decimals (3.14) and dotted names (os.path) never do, as no whitespace follows.
- The full stops and question marks of other scripts end a sentence like ``.`` does (whitespace after them):
  Arabic ``؟``, Urdu ``۔``, Devanagari ``।`` ``॥``, Armenian ``։``, Ethiopic ``።`` ``፧``, Myanmar ``။``,
  Tibetan ``།``.
- ``。！？；`` end a sentence (CJK text has no spaces), with a closing quote after them, except when the text goes
  on right after that quote (“好的！”他说。 is one sentence); ``……`` ends one when a CJK character follows.
- Line breaks inside a document are hard wraps, not boundaries (a line that ends with a mark ends its sentence
  anyway); they become a space, or nothing between two CJK characters.
- A run-on "sentence" longer than :data:`MAX_SENTENCE_CHARS` (tables, code, a book without punctuation) is cut at
  whitespace so one line never becomes one truncated training segment.

Public API: ``split_sentences(text) -> list[str]``; ``SPLITTER_VERSION`` (part of the corpus cache key).
"""

from __future__ import annotations

import re

SPLITTER_VERSION = "rules-2"  # part of the cache key: a new rule re-prepares the corpus
MAX_SENTENCE_CHARS = 2000

_ABBREVIATION_TEXT = """
mr mrs ms dr prof sr jr st mt ft vs e.g i.e cf al approx dept est fig figs eq eqs no nos vol vols pp
ch sec secs art ref refs inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat
sun gen col lt sgt capt cmdr rev hon pres gov sen rep ave blvd rd nr op ed eds repr trans viz ca resp esp
"""
ABBREVIATIONS = frozenset(_ABBREVIATION_TEXT.split())

_CJK_ALWAYS = "。！？；"
# Sentence ends of scripts written with spaces: Arabic ؟, Urdu ۔, Devanagari । ॥, Armenian ։, Ethiopic ። ፧,
# Myanmar ။, Tibetan །.
_OTHER_SCRIPTS = "\u061f\u06d4\u0964\u0965\u0589\u1362\u1367\u104b\u0f0d"
_ENDERS = ".!?…" + _CJK_ALWAYS + "!?" + _OTHER_SCRIPTS
_CLOSERS = "”’\"'」』）)]】》〉"
_OPENERS = "“‘\"'「『（([【《〈"
_CANDIDATE = re.compile(
    f"[{re.escape(_ENDERS)}]+[{re.escape(_CLOSERS)}]*(\\s*)")
_WORD_BEFORE = re.compile(r"([^\s\"'“‘(\[]+)$")
_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_SPACE_RUN = re.compile(r"\s+")


def is_cjk(ch: str) -> bool:
    """CJK ideographs, kana, hangul and CJK punctuation: text written without spaces between words."""
    o = ord(ch)
    return (0x3000 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFF60
            or 0x20000 <= o <= 0x2FA1F)


def _is_boundary(text: str, start: int, end: int, ws_end: int) -> bool:
    marks = text[start:end]
    if ws_end >= len(text):
        return True
    nxt = text[ws_end]
    if any(c in _CJK_ALWAYS for c in marks):
        # “好的！”他说。 is one sentence: a closing quote glued to the words that go on.
        return not (marks[-1] in _CLOSERS and ws_end == end and nxt not in _OPENERS)
    if ws_end == end:  # no whitespace after the mark
        return "…" in marks and is_cjk(nxt) or (marks[0] in "!?" and start > 0 and is_cjk(nxt) and is_cjk(text[start - 1]))
    if nxt.islower():
        return False
    if marks.rstrip(_CLOSERS) == ".":
        m = _WORD_BEFORE.search(text, max(0, start - 40), start)
        if m:
            word = m.group(1)
            if word.lower().rstrip(".") in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                return False
            if _ACRONYM.fullmatch(word):
                return False
    return True


def _clean(piece: str) -> str:
    piece = piece.strip()
    if "\n" in piece or "\r" in piece:
        parts = [p.strip() for p in piece.splitlines() if p.strip()]
        out = parts[0] if parts else ""
        for p in parts[1:]:
            out += p if (is_cjk(out[-1]) and is_cjk(p[0])) else " " + p
        piece = out
    return piece


def _cut_long(sentence: str) -> list[str]:
    if len(sentence) <= MAX_SENTENCE_CHARS:
        return [sentence]
    pieces: list[str] = []
    while len(sentence) > MAX_SENTENCE_CHARS:
        cut = sentence.rfind(" ", MAX_SENTENCE_CHARS // 2, MAX_SENTENCE_CHARS)
        if cut <= 0:
            cut = MAX_SENTENCE_CHARS
        pieces.append(sentence[:cut].strip())
        sentence = sentence[cut:].strip()
    if sentence:
        pieces.append(sentence)
    return [p for p in pieces if p]


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, stripped, none empty; joined they hold every non-space character."""
    out: list[str] = []
    begin = 0
    for m in _CANDIDATE.finditer(text):
        ws_start = m.start(1)
        if _is_boundary(text, m.start(), ws_start, m.end()):
            piece = _clean(text[begin:ws_start])
            if piece:
                out.extend(_cut_long(piece))
            begin = m.end()
    piece = _clean(text[begin:])
    if piece:
        out.extend(_cut_long(piece))
    return out
