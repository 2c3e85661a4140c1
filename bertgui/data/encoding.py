"""Which encoding a corpus file is in: UTF-8 first, then a guess that a person can see and overrule.

WHY our own rule over charset-normalizer's pick: a short Western European text fits several single-byte code pages
almost equally well by its measures, and its pick among them is close to arbitrary (a latin-1 French text came out
as cp1257, 'connaît' read as 'connaīt', or as hp_roman8). Each such decoding turns the same bytes into real letters,
so "are these letters?" cannot tell them apart; "are these the letters of *one* language?" can: French read as
cp1257 mixes Lithuanian 'ą' and Latvian 'ē' with French 'é', while the right code page gives French letters only.
So for the Latin code pages every candidate is scored by the share of its non-ASCII characters that belong to the
alphabet of a single language (or are common punctuation), and Windows-1252 — the most common, a superset of
latin-1's letters — is kept unless another decodes clearly better. Non-Latin scripts and multi-byte encodings
(GBK, Shift-JIS, UTF-16 …) stay charset-normalizer's call.

Public API: ``guess_encoding(sample, chosen="auto", *, complete=True) -> EncodingGuess``, ``plausibility(char_counts)``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from bertgui.text import text

# Letters (lower case) of the languages each Latin code page serves; a real text is written in one of them.
ALPHABETS = {
    "French": "àâæçéèêëîïôœùûüÿ", "German": "äöüß", "Spanish": "áéíñóúü", "Portuguese": "áâãàçéêíóôõú",
    "Italian": "àèéìíîòóùú", "Catalan": "àçèéíïòóúü", "Dutch": "áéíóúëïöüè", "Danish/Norwegian": "æøåéó",
    "Swedish/Finnish": "åäöé", "Icelandic": "áðéíóúýþæö", "Polish": "ąćęłńóśźż", "Czech": "áčďéěíňóřšťúůýž",
    "Slovak": "áäčďéíĺľňóôŕšťúýž", "Hungarian": "áéíóöőúüű", "Slovenian/Croatian": "čćđšž",
    "Romanian": "ăâîșțşţ", "Lithuanian": "ąčęėįšųūž", "Latvian": "āčēģīķļņšūž", "Estonian": "äõöüšž",
    "Turkish": "çğıöşü",
}
# Non-letters that any Western text may hold (quotes, dashes, currency, the no-break space …).
COMMON_SYMBOLS = set("“”‘’„‚«»‹›–—…•·°€£¥¢©®™§¶±×÷¿¡²³µ†‡\u00a0")
WESTERN = "cp1252"
# Latin-script single-byte code pages: among these, our scoring decides. (Python codec names.)
LATIN_CANDIDATES = ("cp1252", "cp1250", "cp1257", "cp1254", "iso8859_2", "iso8859_13", "iso8859_4")
LATIN_FAMILY = set(LATIN_CANDIDATES) | {
    "latin_1", "iso8859_3", "iso8859_9", "iso8859_10", "iso8859_14", "iso8859_15", "iso8859_16", "cp1258",
    "cp437", "cp850", "cp852", "cp775", "cp857", "cp858", "cp860", "cp861", "cp863", "cp865", "mac_roman",
    "mac_latin2", "mac_iceland", "mac_turkish", "hp_roman8",
}
CLEARLY_BETTER = 0.1  # another code page must explain this much more of the text to beat Windows-1252
WEAK_BELOW = 0.9  # a guess whose best reading leaves more than a tenth of the accented characters odd is weak
FEW_CHARACTERS = 8  # fewer non-ASCII characters than this say too little to be sure
TIE = 0.02  # a rival reading the text differently and scoring within this of the choice makes the guess weak
NOT_TEXT_BELOW = 0.5  # when charset-normalizer finds nothing and most accented characters read as noise
ASCII = bytes(range(128))
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


@dataclass(frozen=True)
class EncodingGuess:
    """The encoding a file is read with, how sure the guess is, and how it was found."""

    encoding: str  # a Python codec name
    confidence: float  # 0..1: share of the sample's non-ASCII text that reads as plausible text
    weak: bool  # True: accented letters may be wrong; the person should check or choose the encoding
    how: str  # "bom", "utf-8", "detected", "chosen", or "none" (encoding "": not text in any encoding)

    def label(self) -> str:
        """How the window and ``preview`` name it: 'cp1252 (guessed, 97 %)', 'utf-8', 'latin-1 (chosen)'."""
        if self.how == "chosen":
            return text("{0} (chosen)", self.encoding)
        if self.how == "detected":
            sure = text("weak guess") if self.weak else text("guessed")
            return text("{0} ({1}, {2:.0%})", self.encoding, sure, self.confidence)
        return self.encoding

    def to_dict(self) -> dict[str, object]:
        return {"encoding": self.encoding, "confidence": round(self.confidence, 4), "weak": self.weak,
                "how": self.how}


def guess_encoding(sample: bytes, chosen: str = "auto", *, complete: bool = True) -> EncodingGuess:
    """The encoding of ``sample`` (the first bytes of a file; ``complete``: the whole file, never cut)."""
    body = sample if complete else sample[:-4]  # a sample cut mid-character must not count as invalid
    if chosen != "auto":
        try:
            body.decode(chosen)
            return EncodingGuess(chosen, 1.0, False, "chosen")
        except UnicodeDecodeError as exc:
            return EncodingGuess(chosen, exc.start / max(len(body), 1), True, "chosen")
    if sample.startswith(b"\xef\xbb\xbf"):
        return EncodingGuess("utf-8-sig", 1.0, False, "bom")
    if sample.startswith(UTF16_BOMS):
        return EncodingGuess("utf-16", 1.0, False, "bom")
    try:
        body.decode("utf-8")
        return EncodingGuess("utf-8", 1.0, False, "utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    found = best.encoding if best is not None else None
    if found is not None and found.lower() in {"gbk", "gb2312", "gb18030", "hz"}:
        found = "gb18030"  # a superset: a GBK guess must not garble the few characters GBK lacks
    if found is not None and found not in LATIN_FAMILY:
        confidence = max(0.0, 1.0 - float(best.chaos))
        return EncodingGuess(found, confidence, confidence < WEAK_BELOW, "detected")
    guess = _latin_guess(body, found)
    if best is None and guess.confidence < NOT_TEXT_BELOW:  # no encoding reads it as text: not text at all
        return EncodingGuess("", guess.confidence, True, "none")
    return guess


def _latin_guess(body: bytes, found: str | None) -> EncodingGuess:
    """Among the Latin code pages: Windows-1252 unless another explains the text clearly better.

    Single-byte code pages differ only in what the bytes 128-255 mean, so each candidate reads just the distinct
    high bytes of the sample (a few dozen), weighted by how often they occur: fast on a 1 MB sample.
    """
    high = Counter(body.translate(None, ASCII))  # non-ASCII byte -> occurrences
    readings: dict[str, tuple[tuple[float, int], tuple[str, ...]]] = {}
    for enc in dict.fromkeys((WESTERN, "latin_1", *LATIN_CANDIDATES, *([found] if found else []))):
        chars = _read_bytes(high, enc)
        if chars is not None:
            counts: dict[str, int] = {}
            for ch, n in zip(chars, high.values(), strict=True):
                counts[ch] = counts.get(ch, 0) + n
            readings[enc] = (plausibility(counts), chars)
    western = WESTERN if WESTERN in readings else "latin_1"  # latin-1 reads any byte
    chosen = western
    rival = max((e for e in readings if e not in (WESTERN, "latin_1")), key=lambda e: readings[e][0][0], default=None)
    if rival is not None and readings[rival][0][0] > readings[western][0][0] + CLEARLY_BETTER:
        chosen = rival
    (score, n_chars), chars = readings[chosen]
    # Weak: little evidence, a poor best reading, or a rival that reads differently and almost as well.
    close = any(other != chars and s >= score - TIE for e, ((s, _), other) in readings.items() if e != chosen)
    return EncodingGuess(chosen, score, n_chars < FEW_CHARACTERS or score < WEAK_BELOW or close, "detected")


def _read_bytes(high: Counter[int], encoding: str) -> tuple[str, ...] | None:
    """What each of the high bytes means in ``encoding`` (in ``high``'s order); None when one means nothing."""
    try:
        return tuple(bytes([b]).decode(encoding) for b in high)
    except UnicodeDecodeError:
        return None


def plausibility(counts: dict[str, int]) -> tuple[float, int]:
    """Share of the non-ASCII characters (char -> occurrences) that are letters of one language or common
    punctuation, and how many there are."""
    total = sum(counts.values())
    if total == 0:
        return 1.0, 0
    symbols = sum(n for ch, n in counts.items() if ch in COMMON_SYMBOLS)
    letters: dict[str, int] = {}
    for ch, n in counts.items():
        letters[ch.lower()] = letters.get(ch.lower(), 0) + n
    best_language = max(sum(n for ch, n in letters.items() if ch in alphabet) for alphabet in ALPHABETS.values())
    return (symbols + best_language) / total, total
