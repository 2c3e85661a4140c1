"""A plain guess of the corpus's language for the card's ``language``: by script, then by common words.

WHY this simple: the card must not claim what bertgui does not know. A script decides Chinese, Japanese, Korean,
Greek, Hebrew or Thai on its own; Latin-script text needs a clear majority of one language's commonest words.
Anything else (Cyrillic, Arabic or Devanagari script, mixed text, too little text) gives no language, and the user
fills it in.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

SAMPLE_CHARS = 200_000
MIN_LETTERS = 200
SCRIPT_SHARE = 0.6  # the dominant script's share of letters
STOPWORD_SHARE = 0.2  # share of words that are the language's commonest ones (English prose: 0.3–0.5)
STOPWORD_LEAD = 2.0  # ... and this many times the runner-up's

_COMMON_WORDS = {
    "en": "the of and to in is that it for was on are as with be by this not or which an at from have but",
    "fr": "le la les de des du et un une est que qui dans pour pas sur au ce il elle sont avec par se aux",
    "de": "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es wird sind",
    "es": "el la los las de del y que en un una es por con para se no su al lo como más pero",
    "it": "il lo la gli le di del della e che è un una per con non si sono al nel da",
    "nl": "de het een en van is dat op te in niet zijn voor met die er aan ook als maar",
    "pt": "o a os as de do da dos das e que em um uma é para com não se por mais ao",
}
STOPWORDS = {lang: frozenset(words.split()) for lang, words in _COMMON_WORDS.items()}
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def script_of(ch: str) -> str:
    cp = ord(ch)
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
        return "han"
    if 0x3040 <= cp <= 0x30FF:
        return "kana"
    if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF:
        return "hangul"
    if 0x0370 <= cp <= 0x03FF:
        return "greek"
    if 0x0590 <= cp <= 0x05FF:
        return "hebrew"
    if 0x0E00 <= cp <= 0x0E7F:
        return "thai"
    if cp < 0x0250:
        return "latin"
    return "other"


def detect_language(texts: Iterable[str], max_chars: int = SAMPLE_CHARS) -> str | None:
    """An ISO 639-1 code, or None when the text does not say clearly."""
    sample: list[str] = []
    size = 0
    for t in texts:
        sample.append(t)
        size += len(t)
        if size >= max_chars:
            break
    joined = "".join(sample)[:max_chars]
    scripts = Counter(script_of(ch) for ch in joined if ch.isalpha())
    letters = sum(scripts.values())
    if letters < MIN_LETTERS:
        return None
    if scripts["kana"] > 0.05 * letters and scripts["han"] + scripts["kana"] > SCRIPT_SHARE * letters:
        return "ja"
    script, count = scripts.most_common(1)[0]
    if count < SCRIPT_SHARE * letters:
        return None
    simple = {"han": "zh", "hangul": "ko", "greek": "el", "hebrew": "he", "thai": "th"}
    if script in simple:
        return simple[script]
    if script != "latin":
        return None
    words = [w.lower() for w in WORD.findall(joined)]
    if not words:
        return None
    counts = Counter(words)
    scores = sorted(((sum(counts[w] for w in ws) / len(words), lang) for lang, ws in STOPWORDS.items()),
                    reverse=True)
    (best, lang), (second, _) = scores[0], scores[1]
    if best >= STOPWORD_SHARE and best >= STOPWORD_LEAD * second:
        return lang
    return None


def corpus_language(config: object, max_chars: int = SAMPLE_CHARS) -> str | None:
    """The guess for a run's corpus files (None when they are gone or unreadable)."""
    from bertgui.data.corpus import iter_documents
    from bertgui.errors import BertguiError

    paths = list(getattr(config, "corpus", None) or [])
    if not paths:
        return None
    try:
        docs = iter_documents(paths, documents=getattr(config, "documents", "auto"),
                              text_column=getattr(config, "text_column", "text"), on_error=lambda exc: None)
        return detect_language((getattr(d, "text", str(d)) for d in docs), max_chars)
    except (BertguiError, OSError):
        return None
