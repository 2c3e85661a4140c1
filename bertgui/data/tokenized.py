"""A tokenized corpus as flat numpy arrays with offsets (Megatron-style), and the in-memory way to build one.

Why flat arrays: planning an epoch of NSP pairs needs only sentence *lengths* (``np.diff(sent_offsets)``), and a
training item needs one slice of ``tokens``. Millions of Python lists would cost gigabytes and seconds per epoch;
two int arrays cost bytes per token, can be memory-mapped from disk (see :mod:`bertgui.data.prepare`), and are shared
zero-copy by the train and eval subsets.

Layout (all documents of the prepared corpus; a subset selects some of them through ``docs``)::

    tokens        int32  [n_tokens]        token ids, no special tokens
    word_start    uint8  [n_tokens]        1 where a token begins a word (fast tokenizer's word_ids, or jieba
                                           words for CJK text), so whole-word masking groups "st ##oic ##ism"
    sent_offsets  int64  [n_sentences + 1] sentence s is tokens[sent_offsets[s]:sent_offsets[s + 1]]
    doc_offsets   int64  [n_all_docs + 1]  document d is sentences doc_offsets[d]:doc_offsets[d + 1]
    doc_source    int32  [n_all_docs]      index into ``sources`` (file name) of each document
    doc_index     int64  [n_all_docs]      position of the document in its file
    docs          int64  [n_documents]     the documents that belong to this corpus (train or eval subset)

Every stored sentence has at least one token and every stored document at least one sentence.

Public API:
    ``TokenizedCorpus`` (fields above; ``n_documents``, ``n_sentences``, ``n_tokens``, ``sentence_lengths()``,
    ``document_sentences(d)``, ``document_tokens(d)``, ``sentence_tokens(s)``, ``subset(doc_ids)``,
    ``source_of(d)``, ``save(folder)``, ``TokenizedCorpus.load(folder, mmap=True)``)
    ``tokenize_documents(documents, tokenizer, *, chinese_words=None, max_documents=None, progress=None)``
    ``encode_sentences(sentences, tokenizer, *, chinese_words)`` -> (ids, word_start, lengths) (the shared kernel)
    ``chinese_segmenter_available() -> bool``; ``CHINESE_SEGMENTER_NOTE`` (what to tell a person when it is not)
    ``position_limit(model_type, max_positions, pad_token_id)``, ``cap_sequence_length(max_seq_length, limit)``
    (the longest sequence a model holds, and the note when a longer one is asked for)
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bertgui.data.corpus import Document
from bertgui.data.sentences import split_sentences
from bertgui.text import text

# Models that number positions from padding_idx + 1: 514 position embeddings hold 512 tokens.
POSITION_OFFSET_TYPES = {"roberta", "xlm-roberta", "camembert", "data2vec-text", "longformer", "mpnet"}


def position_limit(model_type: str, max_positions: int, pad_token_id: int | None = None) -> int:
    """The longest sequence, in tokens, that a model's position embeddings hold (0: unknown)."""
    if max_positions <= 0:
        return 0
    if model_type in POSITION_OFFSET_TYPES:
        return max_positions - ((pad_token_id if pad_token_id is not None else 1) + 1)
    return max_positions


def cap_sequence_length(max_seq_length: int, limit: int) -> tuple[int, str]:
    """``max_seq_length`` capped at the model's ``limit``, and the note saying so ("" when no cap was needed).

    WHY a note: a model cannot read past its last position embedding, so a longer setting can only be capped;
    capping in silence would leave a person believing the run used the length they asked for.
    """
    if limit <= 0 or max_seq_length <= limit:
        return max_seq_length, ""
    return limit, text("max_seq_length is {0}, but the model has only {1} positions: sequences are capped at {1} "
                       "tokens. Set {1} or less to silence this note.", max_seq_length, limit)


ProgressFn = Callable[[int, int, str], None]
"""``progress(done, total, message)``: ``total`` is 0 when unknown (the same convention as bertgui.model.loading)."""

CHINESE_SEGMENTER_NOTE = text(
    "Chinese whole-word masking is off: the word segmenter jieba is not installed, so each Chinese character is "
    "masked on its own. Install it with: pip install jieba")  # text(): the window shows it in the user's language
CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
ENCODE_CHUNK = 2048
_ARRAYS = ("tokens", "word_start", "sent_offsets", "doc_offsets", "doc_source", "doc_index", "docs")


@dataclass
class TokenizedCorpus:
    """Token ids of a corpus, flat, with sentence and document offsets; see the module docstring."""

    tokens: np.ndarray
    word_start: np.ndarray
    sent_offsets: np.ndarray
    doc_offsets: np.ndarray
    doc_source: np.ndarray
    doc_index: np.ndarray
    sources: list[str]
    docs: np.ndarray = field(default=None)  # type: ignore[assignment]
    word_segmenter: str = "tokenizer"  # "jieba" when jieba gave the word boundaries of CJK text, else "tokenizer"
    folder: Path | None = None  # set by load(): pickling then sends the folder, not the arrays

    def __post_init__(self) -> None:
        if self.docs is None:
            self.docs = np.arange(len(self.doc_offsets) - 1, dtype=np.int64)

    def __getstate__(self) -> dict[str, Any]:
        """A memory-mapped corpus pickles as its folder (DataLoader workers under spawn would copy gigabytes)."""
        state = dict(self.__dict__)
        if self.folder is not None:
            for name in _ARRAYS[:-1]:
                state[name] = None
            state["docs"] = np.asarray(self.docs)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        if self.folder is not None and state.get("tokens") is None:
            for name in _ARRAYS[:-1]:
                setattr(self, name, np.load(self.folder / f"{name}.npy", mmap_mode="r"))

    # ------------------------------------------------------------------ sizes
    @property
    def n_documents(self) -> int:
        return int(len(self.docs))

    @property
    def n_sentences(self) -> int:
        starts, ends = self.doc_offsets[self.docs], self.doc_offsets[self.docs + 1]
        return int((ends - starts).sum())

    @property
    def n_tokens(self) -> int:
        s0, s1 = self.doc_offsets[self.docs], self.doc_offsets[self.docs + 1]
        return int((self.sent_offsets[s1] - self.sent_offsets[s0]).sum())

    def sentence_lengths(self) -> np.ndarray:
        """Tokens per sentence for *all* sentences (index by global sentence id)."""
        return np.diff(self.sent_offsets)

    # ------------------------------------------------------------------ access
    def document_sentences(self, d: int) -> range:
        """Global sentence ids of document ``d`` (a global document id)."""
        return range(int(self.doc_offsets[d]), int(self.doc_offsets[d + 1]))

    def document_tokens(self, d: int) -> tuple[int, int]:
        """``(start, end)`` of document ``d`` in ``tokens``."""
        return int(self.sent_offsets[self.doc_offsets[d]]), int(self.sent_offsets[self.doc_offsets[d + 1]])

    def sentence_tokens(self, s: int) -> np.ndarray:
        return np.asarray(self.tokens[self.sent_offsets[s]:self.sent_offsets[s + 1]])

    def source_of(self, d: int) -> tuple[str, int]:
        """``(file name, position in that file)`` of global document ``d``."""
        return self.sources[int(self.doc_source[d])], int(self.doc_index[d])

    def subset(self, doc_ids: np.ndarray | list[int]) -> TokenizedCorpus:
        """The same arrays (no copy) restricted to some global document ids."""
        return TokenizedCorpus(self.tokens, self.word_start, self.sent_offsets, self.doc_offsets, self.doc_source,
                               self.doc_index, self.sources, np.asarray(doc_ids, dtype=np.int64),
                               self.word_segmenter, self.folder)

    # ------------------------------------------------------------------ disk
    def save(self, folder: str | Path) -> Path:
        """Write ``.npy`` arrays plus ``corpus.json`` (sources, segmenter); ``load`` memory-maps them back."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for name in _ARRAYS:
            np.save(folder / f"{name}.npy", np.asarray(getattr(self, name)))
        (folder / "corpus.json").write_text(json.dumps(
            {"sources": self.sources, "word_segmenter": self.word_segmenter}), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path, *, mmap: bool = True) -> TokenizedCorpus:
        folder = Path(folder)
        meta = json.loads((folder / "corpus.json").read_text(encoding="utf-8"))
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r" if mmap else None) for name in _ARRAYS}
        return cls(**arrays, sources=meta["sources"], word_segmenter=meta["word_segmenter"],
                   folder=folder if mmap else None)


# ---------------------------------------------------------------------------------------------- the kernel
_BACKENDS: dict[int, Any] = {}


def _backend(tokenizer: Any) -> Any:
    """The Rust tokenizer without truncation or padding (a copy when the model's own has them set)."""
    key = id(tokenizer)
    if key not in _BACKENDS:
        backend = getattr(tokenizer, "backend_tokenizer", tokenizer)  # a tokenizers.Tokenizer is its own backend
        if backend.truncation is not None or backend.padding is not None:
            from tokenizers import Tokenizer

            backend = Tokenizer.from_str(backend.to_str())
            backend.no_truncation()
            backend.no_padding()
        _BACKENDS[key] = backend
    return _BACKENDS[key]


def chinese_segmenter_available() -> bool:
    try:
        import jieba  # noqa: F401
    except ImportError:
        return False
    return True


_JIEBA: Any = None


def _jieba() -> Any:
    global _JIEBA
    if _JIEBA is None:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        jieba.initialize()
        _JIEBA = jieba
    return _JIEBA


def encode_sentences(sentences: list[str], tokenizer: Any, *, chinese_words: bool = False,
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Token ids (int32), word starts (uint8) and token counts per sentence (int64), all flat.

    ``chinese_words``: in sentences with CJK characters, a CJK token starts a word only where jieba's
    segmentation starts one, so whole-word masking takes 数据库 as one unit (as Chinese-BERT-wwm did).
    Encodes ``ENCODE_CHUNK`` sentences at a time: Rust Encoding objects cost about 1 KB per token.
    """
    if len(sentences) > ENCODE_CHUNK:
        parts = [_encode_chunk(sentences[i:i + ENCODE_CHUNK], tokenizer, chinese_words)
                 for i in range(0, len(sentences), ENCODE_CHUNK)]
        return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))  # type: ignore[return-value]
    return _encode_chunk(sentences, tokenizer, chinese_words)


def _encode_chunk(sentences: list[str], tokenizer: Any, chinese_words: bool,
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    encs = _backend(tokenizer).encode_batch(sentences, add_special_tokens=False)
    lengths = np.fromiter((len(e.ids) for e in encs), dtype=np.int64, count=len(encs))
    total = int(lengths.sum())
    ids = np.fromiter((i for e in encs for i in e.ids), dtype=np.int32, count=total)
    wid = np.fromiter((-1 if w is None else w for e in encs for w in e.word_ids), dtype=np.int64, count=total)
    ws = np.ones(total, dtype=np.uint8)
    if total > 1:
        ws[1:] = (wid[1:] != wid[:-1]) | (wid[1:] < 0)
    starts = np.cumsum(lengths) - lengths
    ws[starts[lengths > 0]] = 1
    if chinese_words:
        for k, text in enumerate(sentences):
            if lengths[k] == 0 or not CJK_RE.search(text):
                continue
            bounds, pos = set(), 0
            for word in _jieba().cut(text, HMM=True):
                bounds.add(pos)
                pos += len(word)
            base = int(starts[k])
            for j, (c0, _c1) in enumerate(encs[k].offsets):
                if j and c0 < len(text) and CJK_RE.match(text[c0]):
                    ws[base + j] = 1 if c0 in bounds else 0
    return ids, ws, lengths


# ---------------------------------------------------------------------------------------------- in memory
def tokenize_documents(documents: Iterable[Document | str], tokenizer: Any, *, chinese_words: bool | None = None,
                       max_documents: int | None = None, max_tokens: int | None = None,
                       progress: ProgressFn | None = None, batch_documents: int = 64) -> TokenizedCorpus:
    """Split and tokenize documents in memory: for previews, statistics on a sample, and tests.

    ``chinese_words``: None = use jieba when it is installed; True/False force it (True without jieba raises
    ImportError). Stops after ``max_documents`` documents or once ``max_tokens`` tokens are held.
    """
    if chinese_words is None:
        chinese_words = chinese_segmenter_available()
    sources: list[str] = []
    source_ids: dict[str, int] = {}
    ids_parts: list[np.ndarray] = []
    ws_parts: list[np.ndarray] = []
    sent_lengths: list[np.ndarray] = []
    doc_sent_counts: list[int] = []
    doc_source: list[int] = []
    doc_index: list[int] = []
    n_tokens = 0
    pending: list[tuple[str, int, list[str]]] = []

    def flush() -> None:
        nonlocal n_tokens
        nonlocal cjk_seen
        flat = [s for _, _, sents in pending for s in sents]
        cjk_seen = cjk_seen or (chinese_words and any(CJK_RE.search(s) for s in flat))
        ids, ws, lengths = encode_sentences(flat, tokenizer, chinese_words=chinese_words)
        keep = lengths > 0
        pos = 0
        for src, idx, sents in pending:
            k = int(keep[pos:pos + len(sents)].sum())
            pos += len(sents)
            if k:
                doc_sent_counts.append(k)
                doc_source.append(source_ids.setdefault(src, len(source_ids)))
                doc_index.append(idx)
        ids_parts.append(ids)
        ws_parts.append(ws)
        sent_lengths.append(lengths[keep])
        n_tokens += len(ids)
        pending.clear()

    seen = pending_chars = 0
    cjk_seen = False
    for i, doc in enumerate(documents):
        if (max_documents is not None and i >= max_documents) or (max_tokens is not None and n_tokens >= max_tokens):
            break
        text, src, idx = (doc.text, doc.source, doc.index) if isinstance(doc, Document) else (str(doc), "", i)
        sents = split_sentences(text)
        seen = i + 1
        if sents:
            pending.append((src, idx, sents))
            pending_chars += len(text)
        if len(pending) >= batch_documents or pending_chars >= 1 << 16:
            pending_chars = 0
            flush()
            if progress is not None:
                progress(seen, max_documents or 0, f"{seen:,} documents tokenized")
    if pending:
        flush()
    sources = [None] * len(source_ids)  # type: ignore[list-item]
    for name, k in source_ids.items():
        sources[k] = name
    lengths = np.concatenate(sent_lengths) if sent_lengths else np.zeros(0, np.int64)
    sent_offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=sent_offsets[1:])
    doc_offsets = np.zeros(len(doc_sent_counts) + 1, dtype=np.int64)
    np.cumsum(np.asarray(doc_sent_counts, dtype=np.int64), out=doc_offsets[1:])
    return TokenizedCorpus(
        tokens=np.concatenate(ids_parts) if ids_parts else np.zeros(0, np.int32),
        word_start=np.concatenate(ws_parts) if ws_parts else np.zeros(0, np.uint8),
        sent_offsets=sent_offsets, doc_offsets=doc_offsets,
        doc_source=np.asarray(doc_source, dtype=np.int32), doc_index=np.asarray(doc_index, dtype=np.int64),
        sources=list(sources), word_segmenter="jieba" if cjk_seen else "tokenizer")
