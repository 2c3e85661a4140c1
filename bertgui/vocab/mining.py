"""Finding the domain words a general vocabulary cuts into many pieces, ranked by the tokens they would save.

Why this ranking: adding a word as one token saves ``count × (pieces − 1)`` tokens of the corpus (shorter
sequences, and one embedding that can learn the word's meaning instead of spreading it over shared fragments).
A frequent word in 2 pieces can be worth more than a rare word in 6. With a general-text file, words that are not
markedly more frequent in the domain than in general text are left out, so the list is about the domain and not
about words the base vocabulary merely happens to lack.

Words are what the model's own tokenizer calls words: its normalizer (lower-casing, accents) and pre-tokenizer
(whitespace and punctuation) applied to each document, so a candidate is exactly the string the WordPiece model
would see. BERT's pre-tokenizer cuts Chinese into single characters, so Chinese candidates come from jieba's word
segmentation (or, without jieba, from frequent 2–4 character n-grams).

The corpus is streamed document by document; only counters of distinct words are held in memory.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bertgui.data.corpus import Document, iter_documents
from bertgui.model.loading import ProgressFn

# CJK ideographs (not CJK punctuation): the characters BERT's pre-tokenizer isolates one by one.
CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
CJK_RUN_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
NGRAM_SIZES = (2, 3, 4)


@dataclass
class Candidate:
    """One word worth adding: how often it occurs and what it costs today."""

    word: str  # normalised as the tokenizer sees it (lower-cased for uncased models)
    count: int  # occurrences in the corpus
    pieces: list[str]  # its tokens under the current vocabulary
    tokens_saved: int  # count × (len(pieces) − 1): corpus tokens saved if it becomes one token
    share: float  # count × len(pieces) / all corpus tokens: the part of the corpus it accounts for today
    general_ratio: float | None = None  # relative frequency in the corpus ÷ in the general text (None: no file)
    source: str = "tokenizer"  # "tokenizer" (its pre-tokenizer's words), "jieba" or "ngram" (Chinese)
    unknown: bool = False  # some piece is the unknown token: adding the word also removes [UNK]s

    @property
    def n_pieces(self) -> int:
        return len(self.pieces)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["n_pieces"] = self.n_pieces
        return d


class CandidateList(list):
    """The ranked candidates (a plain list) plus the corpus totals the shares refer to."""

    def __init__(self, items: Iterable[Candidate] = (), *, total_tokens: int = 0, total_words: int = 0,
                 documents: int = 0, distinct_words: int = 0, chinese: str = "") -> None:
        super().__init__(items)
        self.total_tokens = total_tokens
        self.total_words = total_words
        self.documents = documents
        self.distinct_words = distinct_words
        self.chinese = chinese  # "", "jieba" or "ngram": how Chinese candidates were found

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "total_tokens": self.total_tokens, "total_words": self.total_words,
                "distinct_words": self.distinct_words, "chinese": self.chinese,
                "candidates": [c.to_dict() for c in self]}


# ---------------------------------------------------------------------------------------------- helpers
def backend_of(tokenizer: Any) -> Any:
    """The Rust tokenizer behind a fast transformers tokenizer (or the tokenizers.Tokenizer itself)."""
    return getattr(tokenizer, "backend_tokenizer", tokenizer)


def normalize(backend: Any, text: str) -> str:
    return backend.normalizer.normalize_str(text) if backend.normalizer is not None else text


def pre_tokens(backend: Any, text: str) -> list[str]:
    """The words of ``text`` exactly as the tokenizer's model receives them (normalised, pre-tokenised)."""
    norm = normalize(backend, text)
    if backend.pre_tokenizer is None:
        return norm.split()
    return [w for w, _ in backend.pre_tokenizer.pre_tokenize_str(norm)]


def model_pieces(backend: Any, word: str) -> list[str]:
    """The tokens the vocabulary model (WordPiece, BPE, …) makes of one pre-tokenised word."""
    return [t.value for t in backend.model.tokenize(word)]


def is_cjk_word(word: str) -> bool:
    return bool(word) and CJK_RUN_RE.fullmatch(word) is not None


def jieba_module() -> Any | None:
    """jieba, initialised quietly, or None when it is not installed."""
    try:
        import jieba
    except ImportError:
        return None
    import logging

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def iter_texts(source: Any, *, documents: str = "auto", text_column: str = "text") -> Iterator[str]:
    """Texts from corpus paths (files or folders, streamed) or from documents given directly.

    A ``Path``, or a string naming an existing file or folder, is read as a corpus; a ``Document`` or any other
    string is a document's text.
    """
    items = [source] if isinstance(source, (str, Path, Document)) else source
    for item in items:
        if isinstance(item, Document):
            yield item.text
        elif isinstance(item, Path) or (isinstance(item, str) and _is_path(item)):
            for doc in iter_documents([str(item)], documents=documents, text_column=text_column):
                yield doc.text
        else:
            yield str(item)


def _is_path(text: str) -> bool:
    if not text or len(text) > 1024 or "\n" in text:
        return False
    try:
        return Path(text).exists()
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------- counting
@dataclass
class WordCounts:
    """Distinct words of a corpus with their counts: all the mining needs from the text."""

    words: Counter = field(default_factory=Counter)  # pre-tokens (CJK characters one by one)
    chinese: Counter = field(default_factory=Counter)  # multi-character Chinese words or n-grams
    documents: int = 0

    @property
    def total_words(self) -> int:
        return sum(self.words.values())


def count_words(source: Any, tokenizer: Any, *, chinese: str = "auto", progress: ProgressFn | None = None,
                documents: str = "auto", text_column: str = "text") -> WordCounts:
    """Stream the corpus once and count its words (and Chinese word candidates)."""
    backend = backend_of(tokenizer)
    mode = _chinese_mode(chinese)
    jieba = jieba_module() if mode == "jieba" else None
    counts = WordCounts()
    for text in iter_texts(source, documents=documents, text_column=text_column):
        counts.documents += 1
        counts.words.update(pre_tokens(backend, text))
        if mode != "off":
            for run in CJK_RUN_RE.findall(text):
                if len(run) < 2:
                    continue
                if jieba is not None:
                    counts.chinese.update(w for w in jieba.cut(run, HMM=True) if len(w) > 1)
                else:
                    counts.chinese.update(run[i:i + n] for n in NGRAM_SIZES for i in range(len(run) - n + 1))
        if progress is not None and counts.documents % 200 == 0:
            progress(counts.documents, 0, f"Counting words: {counts.documents:,} documents")
    if mode == "ngram":
        counts.chinese = _drop_covered_ngrams(counts.chinese)
    return counts


def _chinese_mode(chinese: str) -> str:
    if chinese not in {"auto", "jieba", "ngram", "off"}:
        raise ValueError(f"chinese must be auto, jieba, ngram or off, not {chinese!r}")
    if chinese == "auto":
        return "jieba" if jieba_module() is not None else "ngram"
    return chinese


def _drop_covered_ngrams(grams: Counter, keep: float = 0.75) -> Counter:
    """Without a segmenter, 数据 and 据库 are counted wherever 数据库 is; keep a shorter n-gram only when it
    occurs clearly more often (≥ 1/keep times) than the longest n-gram containing it."""
    out: Counter = Counter()
    covered: dict[str, int] = {}
    for n in sorted(NGRAM_SIZES, reverse=True):
        for g, c in grams.items():
            if len(g) != n or c < 2:
                continue
            if covered.get(g, 0) >= keep * c:
                continue
            out[g] = c
            for m in range(2, n):
                for i in range(n - m + 1):
                    sub = g[i:i + m]
                    covered[sub] = max(covered.get(sub, 0), c)
    return out


def _merge_spellings(backend: Any, found: list[Candidate]) -> list[Candidate]:
    """Byte-level BPE and SentencePiece pre-tokens carry the space before a word ("Ġword", "▁word"): show the
    word itself, and merge the with/without-space spellings (the most frequent one gives the pieces)."""
    merged: dict[str, Candidate] = {}
    for c in sorted(found, key=lambda c: -c.count):
        if c.source != "tokenizer":
            merged.setdefault(c.word, c)
            continue
        word = backend.decoder.decode([c.word]).strip() or c.word
        if word not in merged:
            merged[word] = Candidate(**{**c.__dict__, "word": word})
            continue
        m = merged[word]
        m.count += c.count
        m.tokens_saved += c.tokens_saved
        m.share += c.share
        m.unknown = m.unknown or c.unknown
    return list(merged.values())


# ---------------------------------------------------------------------------------------------- ranking
def mine_vocabulary(documents_or_corpus_paths: Any, tokenizer: Any, top: int = 50, general: Any = None,
                    progress: ProgressFn | None = None, *, min_count: int = 3, min_ratio: float = 2.0,
                    chinese: str = "auto", documents: str = "auto", text_column: str = "text") -> CandidateList:
    """Rank words of the corpus by the tokens they would save as single tokens; return the ``top`` ones.

    ``general``: a general-text corpus (paths or texts); a word is kept only when its relative frequency in the
    corpus is at least ``min_ratio`` times that in the general text (add-½ smoothing for words it lacks).
    ``chinese``: "auto" (jieba when installed, else n-grams), "jieba", "ngram" or "off".
    """
    backend = backend_of(tokenizer)
    dom = count_words(documents_or_corpus_paths, tokenizer, chinese=chinese, progress=progress,
                      documents=documents, text_column=text_column)
    gen = count_words(general, tokenizer, chinese=chinese, documents=documents, text_column=text_column) \
        if general is not None else None
    if progress is not None:
        progress(dom.documents, dom.documents, f"Measuring {len(dom.words):,} distinct words")

    unk = getattr(tokenizer, "unk_token", None)
    pieces: dict[str, list[str]] = {w: model_pieces(backend, w) for w in dom.words}
    total_tokens = sum(c * len(pieces[w]) for w, c in dom.words.items())
    total_words = dom.total_words
    char_pieces: dict[str, list[str]] = {}

    def chinese_pieces(word: str) -> list[str]:
        out: list[str] = []
        for ch in word:
            if ch not in char_pieces:
                char_pieces[ch] = pieces.get(ch) or model_pieces(backend, normalize(backend, ch).strip() or ch)
            out.extend(char_pieces[ch])
        return out

    def ratio(word: str, count: int) -> float | None:
        if gen is None:
            return None
        g_total = max(gen.total_words, 1)
        g_count = gen.words.get(word, 0) or gen.chinese.get(word, 0)
        return (count / max(total_words, 1)) / ((g_count + 0.5) / g_total)

    found: list[Candidate] = []
    pools: list[tuple[Counter, str]] = [(dom.words, "tokenizer")]
    if dom.chinese:
        pools.append((dom.chinese, _chinese_mode(chinese)))
    merge = backend.decoder is not None and type(backend.model).__name__ != "WordPiece"
    for pool, source in pools:
        for word, count in pool.items():
            if count < (1 if merge and source == "tokenizer" else min_count):
                continue
            if source == "tokenizer":
                if not any(ch.isalpha() for ch in word) or is_cjk_word(word):
                    continue
                word_pieces = pieces[word]
            else:
                word_pieces = chinese_pieces(word)
            if len(word_pieces) < 2 and not (unk and word_pieces == [unk]):
                continue
            r = ratio(word, count)
            if r is not None and r < min_ratio:
                continue
            found.append(Candidate(word=word, count=count, pieces=word_pieces,
                                   tokens_saved=count * (len(word_pieces) - 1),
                                   share=count * len(word_pieces) / max(total_tokens, 1), general_ratio=r,
                                   source=source, unknown=bool(unk) and unk in word_pieces))
    if merge:
        found = [c for c in _merge_spellings(backend, found) if c.count >= min_count]
    found.sort(key=lambda c: (-c.tokens_saved, -c.count, c.word))
    return CandidateList(found[:top] if top else found, total_tokens=total_tokens, total_words=total_words,
                         documents=dom.documents, distinct_words=len(dom.words),
                         chinese=_chinese_mode(chinese) if dom.chinese else "")
