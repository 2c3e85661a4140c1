"""What a person checks before training: the NSP pairs, the masks, and corpus statistics — as plain data.

Why plain dataclasses: the same previews feed the GUI (from a worker thread), ``bertgui preview`` (coloured text
or ``--json``) and tests; none of them needs Qt. Why a sample first: the full pass over a large corpus takes
minutes, but a person wants to see pairs and masks at once; :func:`open_sample` tokenizes only the first documents
(about a second on any corpus size, since files are streamed), and the same functions then run on the prepared
corpus (``PreparedCorpus.all``) for exact statistics.

Public API:
    ``open_sample(paths, tokenizer, *, documents="auto", text_column="text", encoding="auto", max_documents=200,
    max_tokens=50_000, chinese_words=None) -> SampleCorpus`` (``.corpus``: TokenizedCorpus, ``.notes``,
    ``.encodings``: file -> EncodingGuess, the encoding each file read was read with and how sure that is)
    ``preview_pairs(corpus, tokenizer, n=5, *, max_seq_length=128, nsp=True, short_seq_prob=0.1, seed=42,
    epoch=0) -> list[PairPreview]``
    ``preview_masking(corpus, tokenizer, n=3, seed=0, *, max_seq_length=128, nsp=True, short_seq_prob=0.1,
    pair_seed=42, mlm_probability=0.15, mask_replace_prob=0.8, random_replace_prob=0.1, whole_word=True)
    -> list[MaskingPreview]``
    ``corpus_stats(corpus, tokenizer, *, max_seq_length=128, nsp=True, short_seq_prob=0.1, seed=42,
    sample=False, progress=None, top_fragmented=15) -> CorpusStats``
    From a RunConfig: ``open_sample_for(config, tokenizer, **kw)``, ``pair_kwargs(config)`` (pairs, stats),
    ``masking_kwargs(config)`` (masking, frozen by the run's seed).
    Every dataclass has ``to_dict()`` (JSON-ready).
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bertgui.data.cleaning import Cleaning
from bertgui.data.corpus import iter_documents, no_usable_text, skipped_notes, weak_encoding_note
from bertgui.data.encoding import EncodingGuess
from bertgui.data.masking import KIND_NAMES, MaskingCollator
from bertgui.data.pairs import LABEL_IS_NEXT, LABEL_RANDOM, PretrainingDataset, plan_epoch
from bertgui.data.sentences import is_cjk
from bertgui.data.tokenized import (
    CHINESE_SEGMENTER_NOTE,
    CJK_RE,
    ProgressFn,
    TokenizedCorpus,
    chinese_segmenter_available,
    encode_sentences,
    tokenize_documents,
)
from bertgui.errors import CorpusError
from bertgui.text import text

PROBE = "The quick brown fox jumps over the lazy dog."


def tokenizer_failure(tokenizer: Any, read_text: str) -> CorpusError | None:
    """The error to give when text *was* read but tokenized to nothing: the tokenizer's fault, not the corpus's.

    WHY: "No usable text in the corpus" sends a person to their files when a broken tokenizer.json (an empty
    vocabulary, a model that maps everything to nothing, no ``[UNK]`` for a script) was the cause. None when the
    tokenizer does make tokens of ``read_text`` (then the corpus really had no usable text).
    """
    if not read_text.strip() or len(encode_sentences([read_text], tokenizer)[0]):
        return None
    name = getattr(tokenizer, "name_or_path", "") or "this model"
    if len(encode_sentences([PROBE], tokenizer)[0]) == 0:
        return CorpusError(text("The tokenizer of {0} turns any text into no tokens at all: it is broken.", name),
                           text("Check the model folder's tokenizer.json (its vocabulary and model), or choose "
                                "another model."))
    sample = " ".join(read_text.split())[:60]
    return CorpusError(text("The tokenizer of {0} makes no tokens of the corpus text (for example {1!r}).", name,
                            sample),
                       text("Its vocabulary has nothing for this text, not even an unknown-word token: choose a "
                            "model whose tokenizer covers the language, or make one with bertgui new-model."))


LABEL_TEXT = {LABEL_IS_NEXT: "B follows A", LABEL_RANDOM: "B is random", -1: "MLM-only segment"}


class _Dict:
    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]


@dataclass
class SampleCorpus(_Dict):
    corpus: TokenizedCorpus
    documents_read: int
    seconds: float
    notes: list[str] = field(default_factory=list)
    encodings: dict[str, EncodingGuess] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"documents_read": self.documents_read, "seconds": self.seconds, "notes": self.notes,
                "encodings": self.encodings_dict()}

    def encodings_dict(self) -> list[dict[str, Any]]:
        """JSON-ready: one entry per file read, with its encoding, confidence, weak flag and how it was found."""
        return [{"file": f, **g.to_dict(), "label": g.label()} for f, g in self.encodings.items()]


@dataclass
class PairPreview(_Dict):
    """One training sequence as the recipe built it (before masking)."""

    index: int
    label: int  # 0 = B follows A, 1 = B random, -1 = MLM-only
    label_text: str
    tokens_a: list[str]
    tokens_b: list[str]
    text_a: str
    text_b: str
    a_source: str
    a_document: int
    a_sentences: tuple[int, int]
    b_source: str
    b_document: int
    b_sentences: tuple[int, int] | None
    truncated: bool
    length: int  # tokens including [CLS]/[SEP]


@dataclass
class TokenView(_Dict):
    """One position of a masked sequence."""

    token: str  # the original token
    shown: str  # what the model sees
    kind: str  # "masked", "random", "kept", "not selected", "special"
    segment: str  # "A" or "B"
    continues_word: bool  # a later piece of a word (##oic, or a later character of a jieba word)


@dataclass
class MaskingPreview(_Dict):
    index: int
    label: int
    label_text: str
    tokens: list[TokenView]
    counts: dict[str, int]  # kind -> number of positions


@dataclass
class FragmentedWord(_Dict):
    word: str
    pieces: list[str]
    count: int


@dataclass
class CorpusStats(_Dict):
    """Numbers a person checks before training; ``sample`` says whether they cover the first documents only."""

    sample: bool
    documents: int
    sentences: int
    words: int
    tokens: int
    multi_sentence_documents: int
    unk_rate: float
    tokens_per_word: float
    tokens_per_sentence: float
    sentences_per_document: float
    fragmented_words: list[FragmentedWord]
    sequences_per_epoch: int  # NSP pairs (or MLM-only segments) per epoch
    nsp: bool
    random_next_share: float  # share of pairs with a random B (0 for MLM-only)
    truncated_share: float  # share of sequences trimmed to fit max_seq_length
    max_seq_length: int
    word_segmenter: str
    seconds: float
    notes: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- sample
def open_sample(paths: list[str] | str, tokenizer: Any, *, documents: str = "auto", text_column: str = "text",
                encoding: str = "auto", max_documents: int = 200, max_tokens: int = 50_000,
                chinese_words: bool | None = None) -> SampleCorpus:
    """The first documents of a corpus, tokenized in memory: the fast first look before the full pass."""
    t0 = time.perf_counter()
    notes: list[str] = []
    if chinese_words is None:
        chinese_words = chinese_segmenter_available()
    elif chinese_words and not chinese_segmenter_available():
        chinese_words = False
    errors: list[CorpusError] = []
    encodings: dict[str, EncodingGuess] = {}
    cleaning = Cleaning()
    docs = iter_documents(paths, documents=documents, text_column=text_column, encoding=encoding,
                          on_error=errors.append, on_encoding=lambda path, g: encodings.__setitem__(str(path), g),
                          cleaning=cleaning)
    read = 0
    first_text: list[str] = []

    def counted():
        nonlocal read
        for d in docs:
            read += 1
            if not first_text and d.text.strip():
                first_text.append(d.text[:2000])
            yield d

    corpus = tokenize_documents(counted(), tokenizer, chinese_words=chinese_words, max_documents=max_documents,
                                max_tokens=max_tokens)
    notes += skipped_notes(errors)
    if corpus.n_documents == 0:
        blamed = tokenizer_failure(tokenizer, first_text[0]) if first_text else None
        if blamed is not None:
            raise blamed
        raise no_usable_text(errors)
    notes += [weak_encoding_note(f, g) for f, g in encodings.items() if g.weak] + cleaning.notes()
    if not chinese_words and _has_cjk_tokens(corpus, tokenizer):
        notes.append(CHINESE_SEGMENTER_NOTE)
    return SampleCorpus(corpus, min(read, max_documents), time.perf_counter() - t0, notes, encodings)


def open_sample_for(config: Any, tokenizer: Any, **kwargs: Any) -> SampleCorpus:
    """:func:`open_sample` with the corpus settings of a RunConfig (files, documents, column, Chinese words)."""
    return open_sample(config.corpus, tokenizer, documents=config.documents, text_column=config.text_column,
                       encoding=config.encoding, chinese_words=config.chinese_word_segmentation, **kwargs)


def _has_cjk_tokens(corpus: TokenizedCorpus, tokenizer: Any, limit: int = 5000) -> bool:
    pieces = tokenizer.convert_ids_to_tokens(np.asarray(corpus.tokens[:limit]).tolist())
    return any(CJK_RE.search(p) for p in pieces)


# ---------------------------------------------------------------------------------------------- pairs
def _tokens(tokenizer: Any, ids: list[int]) -> list[str]:
    return tokenizer.convert_ids_to_tokens(ids)


_UNSPACED = "“”‘’…—·《》「」"


def _decode(tokenizer: Any, ids: list[int]) -> str:
    """The text of ``ids``. BERT's decode spaces every CJK character ("高 血 压"); Chinese is written without them."""
    text = tokenizer.decode(ids)
    keep = [ch for i, ch in enumerate(text)
            if not (ch == " " and 0 < i < len(text) - 1
                    and (is_cjk(text[i - 1]) or text[i - 1] in _UNSPACED)
                    and (is_cjk(text[i + 1]) or text[i + 1] in _UNSPACED))]
    return "".join(keep)


def preview_pairs(corpus: TokenizedCorpus, tokenizer: Any, n: int = 5, *, max_seq_length: int = 128,
                  nsp: bool = True, short_seq_prob: float = 0.1, seed: int = 42, epoch: int = 0,
                  balanced: bool = True, cross_documents: bool = False) -> list[PairPreview]:
    """The first ``n`` sequences of an epoch, with where their sentences came from."""
    ds = PretrainingDataset(corpus, tokenizer, max_seq_length, nsp, short_seq_prob, seed, epochs=epoch + 1,
                            balanced=balanced, cross_documents=cross_documents)
    start = ds.epoch_start(epoch) if epoch else 0
    out = []
    for i in range(start, min(start + n, start + len(ds.plan(epoch)))):
        item = ds[i]
        info = ds.describe(i)
        ids = item["input_ids"]
        sep = ids.index(ds.sep_id, 1)
        a_ids, b_ids = ids[1:sep], ids[sep + 1:-1] if nsp else []
        out.append(PairPreview(
            index=i, label=info.label, label_text=LABEL_TEXT[info.label], tokens_a=_tokens(tokenizer, a_ids),
            tokens_b=_tokens(tokenizer, b_ids), text_a=_decode(tokenizer, a_ids), text_b=_decode(tokenizer, b_ids),
            a_source=info.a_source, a_document=info.a_document, a_sentences=info.a_sentences,
            b_source=info.b_source, b_document=info.b_document, b_sentences=info.b_sentences,
            truncated=info.truncated, length=len(ids)))
    return out


# ---------------------------------------------------------------------------------------------- masking
def preview_masking(corpus: TokenizedCorpus, tokenizer: Any, n: int = 3, seed: int = 0, *,
                    max_seq_length: int = 128, nsp: bool = True, short_seq_prob: float = 0.1, pair_seed: int = 42,
                    mlm_probability: float = 0.15, mask_replace_prob: float = 0.8, random_replace_prob: float = 0.1,
                    whole_word: bool = True, balanced: bool = True, cross_documents: bool = False
                    ) -> list[MaskingPreview]:
    """``n`` sequences masked as training would mask them, frozen by ``seed``; one TokenView per position."""
    ds = PretrainingDataset(corpus, tokenizer, max_seq_length, nsp, short_seq_prob, pair_seed, epochs=1,
                            balanced=balanced, cross_documents=cross_documents)
    items = [ds[i] for i in range(min(n, len(ds.plan(0))))]
    if not items:
        return []
    col = MaskingCollator(tokenizer, mlm_probability, mask_replace_prob, random_replace_prob, whole_word,
                          seed=seed, return_kinds=True)
    batch = col(items)
    out = []
    for i, item in enumerate(items):
        k = len(item["input_ids"])
        orig = _tokens(tokenizer, item["input_ids"])
        shown = _tokens(tokenizer, batch["input_ids"][i, :k].tolist())
        kinds = [KIND_NAMES[int(c)] for c in batch["kinds"][i, :k]]
        views = [TokenView(o, s, kd, "AB"[t], not w)
                 for o, s, kd, t, w in zip(orig, shown, kinds, item["token_type_ids"], item["word_start"],
                                           strict=True)]
        label = item.get("next_sentence_label", -1)
        out.append(MaskingPreview(i, label, LABEL_TEXT[label], views, dict(Counter(kinds))))
    return out


# ---------------------------------------------------------------------------------------------- statistics
def _sum_over_docs(corpus: TokenizedCorpus, array: np.ndarray, predicate: Any) -> int:
    """Sum of predicate(array[range]) over the token ranges of the corpus's documents (all at once when full)."""
    n_all = len(corpus.doc_offsets) - 1
    if corpus.n_documents == n_all:
        return int(predicate(np.asarray(array[:int(corpus.sent_offsets[-1])])))
    total = 0
    for d in corpus.docs:
        t0, t1 = corpus.document_tokens(int(d))
        total += int(predicate(np.asarray(array[t0:t1])))
    return total


def fragmented_words(corpus: TokenizedCorpus, tokenizer: Any, *, limit_tokens: int = 2_000_000,
                     top: int = 15) -> list[FragmentedWord]:
    """Frequent words the tokenizer cuts into several pieces, ranked by pieces spent beyond one per word."""
    d0 = int(corpus.docs[0]) if corpus.n_documents else 0
    t0 = corpus.document_tokens(d0)[0] if corpus.n_documents else 0
    toks = np.asarray(corpus.tokens[t0:t0 + limit_tokens])
    ws = np.asarray(corpus.word_start[t0:t0 + limit_tokens]).astype(bool)
    if len(toks) == 0:
        return []
    ws[0] = True
    starts = np.flatnonzero(ws)
    ends = np.append(starts[1:], len(toks))
    multi = np.flatnonzero((ends - starts >= 2) & (ends - starts <= 12))
    counts: Counter[tuple[int, ...]] = Counter(tuple(toks[starts[k]:ends[k]].tolist()) for k in multi)
    ranked = sorted(counts.items(), key=lambda kv: (-(kv[1] * (len(kv[0]) - 1)), kv[0]))
    out = []
    unk = tokenizer.unk_token_id
    for ids, count in ranked:
        if unk is not None and unk in ids:  # unknown characters are a vocabulary gap, not fragmentation
            continue
        pieces = _tokens(tokenizer, list(ids))
        if CJK_RE.match(pieces[0]):  # jieba words of single-character tokens are not fragmentation
            continue
        word = tokenizer.convert_tokens_to_string(pieces).replace(" ", "")
        out.append(FragmentedWord(word, pieces, count))
        if len(out) >= top:
            break
    return out


def corpus_stats(corpus: TokenizedCorpus, tokenizer: Any, *, max_seq_length: int = 128, nsp: bool = True,
                 short_seq_prob: float = 0.1, seed: int = 42, sample: bool = False,
                 progress: ProgressFn | None = None, top_fragmented: int = 15, balanced: bool = True,
                 cross_documents: bool = False) -> CorpusStats:
    """Documents, sentences, words, tokens, [UNK] rate, fragmentation, and what one epoch of sequences looks
    like (count, random-B share, truncated share) for these settings. ``sample`` only labels the result."""
    t0 = time.perf_counter()
    steps = 4

    def step(k: int, message: str) -> None:
        if progress is not None:
            progress(k, steps, message)

    notes: list[str] = []
    n_tokens = corpus.n_tokens
    step(0, "counting words")
    words = _sum_over_docs(corpus, corpus.word_start, np.count_nonzero)
    unk_id = tokenizer.unk_token_id
    unk = _sum_over_docs(corpus, corpus.tokens, lambda a: np.count_nonzero(a == unk_id)) if unk_id is not None else 0
    step(1, "finding fragmented words")
    frag = fragmented_words(corpus, tokenizer, top=top_fragmented)
    per_doc = corpus.doc_offsets[corpus.docs + 1] - corpus.doc_offsets[corpus.docs]
    multi = int(np.count_nonzero(per_doc >= 2))
    step(2, "planning one epoch of sequences")
    use_nsp = nsp
    if nsp and (multi == 0 or corpus.n_documents < 2):
        notes.append("No NSP pairs possible (no document with two sentences, or a single document): "
                     "the counts below are for MLM-only segments.")
        use_nsp = False
    plan = (plan_epoch(corpus, max_seq_length, use_nsp, short_seq_prob, seed, 0, balanced=balanced,
                       cross_documents=cross_documents and not use_nsp)
            if corpus.n_documents else None)
    n_seq = len(plan) if plan is not None else 0
    step(4, "done")
    n_sent = corpus.n_sentences
    return CorpusStats(
        sample=sample, documents=corpus.n_documents, sentences=n_sent, words=words, tokens=n_tokens,
        multi_sentence_documents=multi, unk_rate=unk / n_tokens if n_tokens else 0.0,
        tokens_per_word=n_tokens / words if words else 0.0,
        tokens_per_sentence=n_tokens / n_sent if n_sent else 0.0,
        sentences_per_document=n_sent / corpus.n_documents if corpus.n_documents else 0.0,
        fragmented_words=frag, sequences_per_epoch=n_seq, nsp=use_nsp,
        random_next_share=float(np.mean(plan.label == LABEL_RANDOM)) if use_nsp and n_seq else 0.0,
        truncated_share=float(np.mean(plan.truncated)) if n_seq else 0.0, max_seq_length=max_seq_length,
        word_segmenter=corpus.word_segmenter, seconds=time.perf_counter() - t0, notes=notes)


# ---------------------------------------------------------------------------------------------- config glue
def pair_kwargs(config: Any) -> dict[str, Any]:
    """Keyword arguments of preview_pairs / corpus_stats taken from a RunConfig."""
    return {"max_seq_length": config.max_seq_length, "nsp": config.nsp, "short_seq_prob": config.short_seq_prob,
            "seed": config.seed, "balanced": config.nsp_balanced,
            "cross_documents": bool(getattr(config, "mlm_cross_documents", False))}


def masking_kwargs(config: Any) -> dict[str, Any]:
    """Keyword arguments of preview_masking taken from a RunConfig (masks frozen by the run's seed)."""
    return {"max_seq_length": config.max_seq_length, "nsp": config.nsp, "short_seq_prob": config.short_seq_prob,
            "pair_seed": config.seed, "mlm_probability": config.mlm_probability,
            "mask_replace_prob": config.mask_replace_prob, "random_replace_prob": config.random_replace_prob,
            "whole_word": config.whole_word_masking, "seed": config.seed, "balanced": config.nsp_balanced,
            "cross_documents": bool(getattr(config, "mlm_cross_documents", False))}
