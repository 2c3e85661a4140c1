"""The full pass over a corpus: split and tokenize every document in worker processes, once, into a cache.

Why not ``datasets.map``: we need flat token arrays in the end (see :mod:`bertgui.data.tokenized`), a progress callback
and a stop button during the pass, and bounded memory while a fast reader feeds slow tokenizers. A datasets pass
would write the text to Arrow, then a chunked Arrow table of tokens, then still need a copy into flat arrays. Here
one streaming pass does it: the main process reads documents (line by line, never a whole file as a string),
sends batches of about 1 MB to ``num_proc`` spawned workers (at most two batches each in flight), and appends the
results in order to ``.npy`` files that are memory-mapped afterwards (zero-copy, shared by train and eval).

The cache folder is keyed by a fingerprint of the corpus files (path, size, modification time), the document and
column settings, the tokenizer (its full JSON), the sentence splitter version and the Chinese segmenter: the same
corpus with the same tokenizer loads in milliseconds the second time; any change builds anew. The train/eval split
is drawn at load time (whole documents, by seed), so changing ``eval_share`` or ``seed`` reuses the cache.

Public API:
    ``prepare_corpus(config, tokenizer, *, progress=None, num_proc=None, cache_dir=None, should_stop=None)
    -> PreparedCorpus``; ``split_documents(n_docs, eval_share, seed) -> (train_ids, eval_ids)``;
    ``corpus_fingerprint(config, tokenizer, chinese_words) -> str``.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
import os
import shutil
import struct
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bertgui.data.cleaning import Cleaning
from bertgui.data.corpus import (
    corpus_files,
    iter_documents,
    no_usable_text,
    skipped_notes,
    weak_encoding_note,
)
from bertgui.data.encoding import EncodingGuess
from bertgui.data.sentences import SPLITTER_VERSION, split_sentences
from bertgui.data.tokenized import (
    CHINESE_SEGMENTER_NOTE,
    CJK_RE,
    ProgressFn,
    TokenizedCorpus,
    chinese_segmenter_available,
    encode_sentences,
)
from bertgui.errors import CorpusError
from bertgui.text import pack, text, unpack

CACHE_FORMAT = "bertgui-corpus-2"  # 2: escape codes and control characters removed, fortune entries split
BATCH_CHARS = 1 << 20
BATCH_DOCS = 4096
OFFSET_STEP = 1 << 22  # sentences summed at a time when the offsets are written
ENCODING_RULE = 2  # bump when the encoding guess changes: caches of text read the old way must not be reused


class Stopped(CorpusError):
    """The full pass was stopped by the caller (``should_stop`` returned True)."""


@dataclass
class PreparedCorpus:
    """A prepared corpus: memory-mapped arrays, split into train and eval documents."""

    train: TokenizedCorpus
    eval: TokenizedCorpus | None
    folder: Path
    cached: bool
    seconds: float
    bytes_read: int
    notes: list[str] = field(default_factory=list)
    encodings: dict[str, dict[str, Any]] = field(default_factory=dict)  # file -> EncodingGuess.to_dict()

    @property
    def all(self) -> TokenizedCorpus:
        return self.train.subset(np.arange(len(self.train.doc_offsets) - 1))


# ---------------------------------------------------------------------------------------------- fingerprint
def _tokenizer_json(tokenizer: Any) -> str:
    backend = getattr(tokenizer, "backend_tokenizer", tokenizer)
    return backend.to_str()


def corpus_fingerprint(config: Any, tokenizer: Any, chinese_words: bool) -> str:
    files = corpus_files(config.corpus)
    h = hashlib.sha256()
    h.update(json.dumps({
        "format": CACHE_FORMAT, "splitter": SPLITTER_VERSION, "documents": config.documents,
        # the chosen encoding and the guessing rule: a file read with another encoding is another corpus
        "encoding": getattr(config, "encoding", "auto"), "encoding_rule": ENCODING_RULE,
        "text_column": config.text_column, "chinese_words": chinese_words,
        "files": [(str(f.resolve()), f.stat().st_size, f.stat().st_mtime_ns) for f in files],
    }, sort_keys=True).encode())
    h.update(_tokenizer_json(tokenizer).encode())
    return h.hexdigest()[:20]


def split_documents(n_docs: int, eval_share: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Train and eval document ids (sorted): ``eval_share`` of the documents, whole, drawn with ``seed``."""
    n_eval = min(max(round(n_docs * eval_share), 1), n_docs - 1) if eval_share > 0 and n_docs >= 2 else 0
    perm = np.random.default_rng(seed).permutation(n_docs)
    return np.sort(perm[n_eval:]).astype(np.int64), np.sort(perm[:n_eval]).astype(np.int64)


# ---------------------------------------------------------------------------------------------- workers
_WORKER: dict[str, Any] = {}


def _init_worker(tokenizer_json: str, chinese_words: bool) -> None:
    os.environ["TOKENIZERS_PARALLELISM"] = "false"
    from tokenizers import Tokenizer

    tok = Tokenizer.from_str(tokenizer_json)
    tok.no_truncation()
    tok.no_padding()
    _WORKER.update(tokenizer=tok, chinese=chinese_words)


def _work(texts: list[str]) -> tuple[bytes, bytes, np.ndarray, np.ndarray, int]:
    """Split and tokenize a batch of documents: ids, word starts, sentence lengths, sentences per document."""
    per_doc = [split_sentences(t) for t in texts]
    flat = [s for sents in per_doc for s in sents]
    if not flat:
        return b"", b"", np.zeros(0, np.int32), np.zeros(len(texts), np.int32), 0
    ids, ws, lengths = encode_sentences(flat, _WORKER["tokenizer"], chinese_words=_WORKER["chinese"])
    keep = lengths > 0
    kept_before = np.concatenate([[0], np.cumsum(keep)])
    bounds = np.cumsum([0] + [len(s) for s in per_doc])
    counts = (kept_before[bounds[1:]] - kept_before[bounds[:-1]]).astype(np.int64)
    cjk = sum(1 for s in flat if _has_cjk(s))
    return ids.tobytes(), ws.tobytes(), lengths[keep].astype(np.int32), counts.astype(np.int32), cjk


def _has_cjk(text: str) -> bool:
    return CJK_RE.search(text) is not None


# ---------------------------------------------------------------------------------------------- npy streaming
class _NpyAppender:
    """A 1-D .npy file written in pieces: a fixed-size header is rewritten with the final length at the end."""

    HEADER = 128

    def __init__(self, path: Path, dtype: np.dtype) -> None:
        self.path, self.dtype, self.n = path, np.dtype(dtype), 0
        self.fh = open(path, "wb")  # noqa: SIM115 (closed in close(), after the header is rewritten)
        self.fh.write(b"\0" * self.HEADER)

    def append(self, data: bytes) -> None:
        self.fh.write(data)
        self.n += len(data) // self.dtype.itemsize

    def close(self) -> None:
        d = f"{{'descr': '{self.dtype.str}', 'fortran_order': False, 'shape': ({self.n},), }}"
        body = d.ljust(self.HEADER - 10 - 1).encode("latin1") + b"\n"
        self.fh.seek(0)
        self.fh.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(body)) + body)
        self.fh.close()


# ---------------------------------------------------------------------------------------------- the pass
def _batches(docs: Iterator[Any], sources: dict[str, int],
             ) -> Iterator[tuple[list[str], list[int], list[int], int]]:
    texts: list[str] = []
    src: list[int] = []
    idx: list[int] = []
    chars = 0
    for doc in docs:
        texts.append(doc.text)
        src.append(sources.setdefault(doc.source, len(sources)))
        idx.append(doc.index)
        chars += len(doc.text.encode("utf-8", "surrogatepass"))
        if chars >= BATCH_CHARS or len(texts) >= BATCH_DOCS:
            yield texts, src, idx, chars
            texts, src, idx, chars = [], [], [], 0
    if texts:
        yield texts, src, idx, chars


def _mb(n: int) -> str:
    return f"{n / 1e6:,.0f}" if n >= 10e6 else f"{n / 1e6:.1f}"


def default_num_proc() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def prepare_corpus(config: Any, tokenizer: Any, *, progress: ProgressFn | None = None,
                   num_proc: int | None = None, cache_dir: str | Path | None = None,
                   should_stop: Callable[[], bool] | None = None) -> PreparedCorpus:
    """Tokenize the whole corpus of ``config`` once (cached) and split it into train and eval documents.

    ``progress(bytes_done, bytes_total, message)`` is called about once per MB; ``should_stop()`` is polled as
    often and, when it returns True, the pass ends with :class:`Stopped` and leaves no cache behind. Unreadable
    files (binary, empty, no text) are skipped with a note naming them; if no file is usable, CorpusError.
    """
    t0 = time.perf_counter()
    chinese = bool(getattr(config, "chinese_word_segmentation", True))
    jieba_missing = chinese and not chinese_segmenter_available()
    chinese = chinese and not jieba_missing
    files = corpus_files(config.corpus)
    total_bytes = sum(f.stat().st_size for f in files)
    fp = corpus_fingerprint(config, tokenizer, chinese)
    if cache_dir is None:
        from bertgui.data.samples import cache_dir as default_cache

        cache_dir = default_cache() / "corpora"
    folder = Path(cache_dir) / fp
    cached = (folder / "complete").exists()
    if not cached:
        meta = _full_pass(config, tokenizer, folder, files, total_bytes, chinese, progress, should_stop,
                          num_proc or default_num_proc())
    else:
        meta = json.loads((folder / "complete").read_text(encoding="utf-8"))
        if progress is not None:
            progress(total_bytes, total_bytes, text("corpus loaded from the cache"))
    notes = [unpack(n) for n in meta.get("notes", [])]  # Text again: a cached corpus's notes still translate
    if jieba_missing and meta.get("cjk_sentences", 0):
        notes.append(CHINESE_SEGMENTER_NOTE)
    full = TokenizedCorpus.load(folder, mmap=True)
    if full.n_documents == 0:
        raise CorpusError(text("The corpus holds no text after tokenization."),
                          text("Check the files and the text column."))
    train_ids, eval_ids = split_documents(full.n_documents, float(config.eval_share), int(config.seed))
    return PreparedCorpus(full.subset(train_ids), full.subset(eval_ids) if len(eval_ids) else None, folder, cached,
                          time.perf_counter() - t0, total_bytes, notes, dict(meta.get("encodings", {})))


def _full_pass(config: Any, tokenizer: Any, folder: Path, files: list[Path], total_bytes: int, chinese: bool,
               progress: ProgressFn | None, should_stop: Callable[[], bool] | None, num_proc: int) -> dict:
    # Unique per call, not per process: two threads of one process (the window's statistics worker and its
    # training run) may prepare the same corpus at once.
    work = folder.with_name(f"{folder.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:12]}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    skipped: list[CorpusError] = []
    encodings: dict[str, EncodingGuess] = {}
    sources: dict[str, int] = {}
    tokens = _NpyAppender(work / "tokens.npy", np.int32)
    word_start = _NpyAppender(work / "word_start.npy", np.uint8)
    sent_lengths = _NpyAppender(work / "sent_lengths.npy", np.int32)  # on disk: 6.5 M sentences per GB
    doc_counts: list[np.ndarray] = []
    doc_source: list[np.ndarray] = []
    doc_index: list[np.ndarray] = []
    state = {"chars": 0, "cjk": 0}
    tok_json = _tokenizer_json(tokenizer)
    cleaning = Cleaning()
    docs = iter_documents([str(f) for f in files], documents=config.documents, text_column=config.text_column,
                          encoding=getattr(config, "encoding", "auto"), on_error=skipped.append,
                          on_encoding=lambda path, guess: encodings.__setitem__(str(path), guess), cleaning=cleaning)
    first_text: list[str] = []  # to tell a tokenizer that makes nothing from a corpus that has nothing

    def remembered(it: Iterator[Any]) -> Iterator[Any]:
        for doc in it:
            if not first_text and doc.text.strip():
                first_text.append(doc.text[:2000])
            yield doc

    docs = remembered(docs)

    def take(result: tuple, src: list[int], idx: list[int], chars: int) -> None:
        ids, ws, lengths, counts, cjk = result
        tokens.append(ids)
        word_start.append(ws)
        sent_lengths.append(lengths.tobytes())
        keep = counts > 0
        doc_counts.append(counts[keep])
        doc_source.append(np.asarray(src, np.int32)[keep])
        doc_index.append(np.asarray(idx, np.int64)[keep])
        state["chars"] += chars
        state["cjk"] += cjk
        if progress is not None:
            done = min(state["chars"], total_bytes)
            progress(done, total_bytes, text("{0} of {1} MB tokenized", _mb(done), _mb(total_bytes)))
        if should_stop is not None and should_stop():
            raise Stopped("Corpus preparation was stopped.", "Start it again to go on (it starts from the beginning).")

    try:
        if num_proc <= 1:
            _init_worker(tok_json, chinese)
            for texts, src, idx, chars in _batches(docs, sources):
                take(_work(texts), src, idx, chars)
        else:
            # spawn, not fork: the parent may hold tokenizer threads and Qt; a dead worker raises, never hangs
            with ProcessPoolExecutor(num_proc, mp_context=mp.get_context("spawn"), initializer=_init_worker,
                                     initargs=(tok_json, chinese)) as pool:
                inflight: deque = deque()
                try:
                    for texts, src, idx, chars in _batches(docs, sources):
                        inflight.append((pool.submit(_work, texts), src, idx, chars))
                        while len(inflight) >= 2 * num_proc:
                            r, s, i, c = inflight.popleft()
                            take(r.result(), s, i, c)
                    while inflight:
                        r, s, i, c = inflight.popleft()
                        take(r.result(), s, i, c)
                except BaseException:
                    for r, *_ in inflight:
                        r.cancel()
                    raise
        for appender in (tokens, word_start, sent_lengths):
            appender.close()
    except BrokenProcessPool:
        for appender in (tokens, word_start, sent_lengths):
            appender.fh.close()
        shutil.rmtree(work, ignore_errors=True)
        raise CorpusError(text("A worker process preparing the corpus died (out of memory?)."),
                          text("Close other programs or prepare with fewer processes, then try again.")) from None
    except BaseException:
        for appender in (tokens, word_start, sent_lengths):
            appender.fh.close()
        shutil.rmtree(work, ignore_errors=True)
        raise
    if not sources or not doc_counts or sum(len(c) for c in doc_counts) == 0:
        shutil.rmtree(work, ignore_errors=True)
        from bertgui.data.preview import tokenizer_failure

        blamed = tokenizer_failure(tokenizer, first_text[0]) if first_text else None
        if blamed is not None:
            raise blamed
        raise no_usable_text(skipped)
    lengths = np.load(work / "sent_lengths.npy", mmap_mode="r")
    counts = np.concatenate(doc_counts)
    sent_offsets = np.lib.format.open_memmap(work / "sent_offsets.npy", "w+", np.int64, (len(lengths) + 1,))
    sent_offsets[0] = 0
    step = OFFSET_STEP
    for k in range(0, len(lengths), step):  # a running sum in pieces: memory stays flat on any corpus size
        np.cumsum(lengths[k:k + step], out=sent_offsets[k + 1:k + step + 1])
        sent_offsets[k + 1:k + step + 1] += sent_offsets[k]
    sent_offsets.flush()
    del sent_offsets, lengths
    (work / "sent_lengths.npy").unlink()
    doc_offsets = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(counts, out=doc_offsets[1:])
    names = [""] * len(sources)
    for name, k in sources.items():
        names[k] = name
    np.save(work / "doc_offsets.npy", doc_offsets)
    np.save(work / "doc_source.npy", np.concatenate(doc_source))
    np.save(work / "doc_index.npy", np.concatenate(doc_index))
    np.save(work / "docs.npy", np.arange(len(counts), dtype=np.int64))
    segmenter = "jieba" if chinese and state["cjk"] else "tokenizer"
    (work / "corpus.json").write_text(json.dumps({"sources": names, "word_segmenter": segmenter}), encoding="utf-8")
    notes = skipped_notes(skipped) + [weak_encoding_note(f, g) for f, g in encodings.items() if g.weak]
    notes += cleaning.notes()
    if progress is not None:
        progress(total_bytes, total_bytes, text("corpus prepared"))
    meta = {"notes": [pack(n) for n in notes], "bytes": total_bytes, "cjk_sentences": state["cjk"], "num_proc": num_proc,
            "encodings": {f: g.to_dict() for f, g in encodings.items()}}
    (work / "complete").write_text(json.dumps(meta), encoding="utf-8")
    if (folder / "complete").exists():  # another caller finished the same corpus first: keep theirs
        shutil.rmtree(work, ignore_errors=True)
        return meta
    if folder.exists():
        shutil.rmtree(folder, ignore_errors=True)
    try:
        work.rename(folder)
    except OSError:  # another process finished the same corpus first: use theirs
        shutil.rmtree(work, ignore_errors=True)
    return meta
