"""Training sequences for MLM + NSP: Google's create_pretraining_data.py recipe, planned per epoch on lengths.

transformers 5 dropped its NSP dataset, so this is ours. Per document (Google's recipe):

1. target length = max_seq_length - 3; with probability ``short_seq_prob`` a random length in [2, target]
   (drawn again after each chunk, so a corpus that is one long document still gets its 10 % of short inputs);
2. fill a chunk with whole sentences until it reaches the target (or the document ends);
3. split the chunk at a random sentence boundary: A = the first part;
4. with probability 0.5, and always when the chunk has one sentence, B is a random stretch of *another* document
   (label 1; drawn uniformly from the other documents, where Google retried 10 times; an eval subset of a single
   document draws from all documents) and the chunk's unused
   sentences are put back to start the next chunk; otherwise B is the rest of the chunk (label 0, A and B in
   document order);
5. trim the longer side, one token at a time from its front or back at random, until [CLS] A [SEP] B [SEP] fits.

Because A and B are runs of consecutive sentences and trimming takes tokens off their ends, each side is one
contiguous range of ``corpus.tokens``: an epoch plan is four int64 arrays (plus labels and documents), built from
sentence offsets only, and ``__getitem__`` slices the token ids. MLM-only packs plain segments of whole sentences up
to max_seq_length - 2 (a sentence longer than that is cut into pieces; nothing is thrown away).

MLM-only with ``cross_documents`` (``masking.mlm_cross_documents``): a segment may run on from one document into the
next, as Hugging Face's ``run_mlm`` concatenates all text into full blocks — on a corpus of short paragraphs the
sequences then fill max_seq_length instead of ending with each paragraph. Only documents that follow each other in
the prepared corpus *and* both belong to this corpus (train or eval subset) are joined, so a held-out document
never enters a training sequence; a document boundary counts as a sentence boundary. NSP pairs never cross.

Randomness: ``random.Random(f"{seed}:{epoch}")`` for the recipe (the same on every platform and Python build) and a
numpy generator seeded with (seed, epoch) for the order of sequences within the epoch. Same seed, same pairs.

Public API:
    ``PretrainingDataset(corpus, tokenizer, max_seq_length=128, nsp=True, short_seq_prob=0.1, seed=42, epochs=1,
    balanced=False)`` (``balanced``: see :func:`plan_epoch`; the engine passes ``masking.nsp_balanced``)
        torch map-style dataset; item i is sequence i of the whole run, epoch-major (new pairs each epoch).
        Item: ``{"input_ids": list[int], "token_type_ids": list[int], "word_start": list[int],
        "next_sentence_label": int, "mask_seed": int}`` (no label in MLM-only mode; ``mask_seed`` for the
        training collator's per-item masks, see ``mask_seed()``). ``len()`` covers every epoch (a float
        ``epochs`` runs the last epoch in part), so a sequential sampler gives a deterministic, resumable order.
        Also: ``epoch_sizes()``, ``epoch_of(i)``, ``epoch_start(e)``, ``describe(i) -> SequenceInfo``,
        ``plan(epoch) -> EpochPlan``.
    ``plan_epoch(corpus, max_seq_length, nsp, short_seq_prob, seed, epoch, balanced=False,
    cross_documents=False) -> EpochPlan``
    ``random_share(plan) -> float``: share of pairs with a random B (the Corpus page shows it)
    ``check_nsp_corpus(corpus)`` raises the CorpusError that offers MLM-only.
"""

from __future__ import annotations

import bisect
import dataclasses
import math
import random
from array import array
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from bertgui.data.batching import TokenBatches, build_token_batches
from bertgui.data.tokenized import TokenizedCorpus
from bertgui.errors import CorpusError
from bertgui.text import text

LABEL_IS_NEXT = 0
LABEL_RANDOM = 1
NO_LABEL = -1


@dataclass(frozen=True)
class EpochPlan:
    """One epoch's sequences in training order. ``b_*`` are 0/0 and ``label`` -1 in MLM-only mode."""

    a_start: np.ndarray
    a_end: np.ndarray
    b_start: np.ndarray
    b_end: np.ndarray
    label: np.ndarray  # int8
    a_doc: np.ndarray  # global document ids
    b_doc: np.ndarray
    truncated: np.ndarray  # bool: tokens were trimmed to fit (or a long sentence was cut, MLM-only)

    def __len__(self) -> int:
        return len(self.label)


@dataclass(frozen=True)
class SequenceInfo:
    """Where one training sequence came from, for previews: documents and sentence positions within them."""

    index: int
    epoch: int
    label: int  # 0 = B follows A, 1 = B random, -1 = MLM-only segment
    a_source: str
    a_document: int  # position of the document in its file
    a_sentences: tuple[int, int]  # first and last sentence (0-based, within the document), inclusive
    b_source: str
    b_document: int
    b_sentences: tuple[int, int] | None
    truncated: bool


def check_nsp_corpus(corpus: TokenizedCorpus) -> None:
    """NSP needs documents of two or more sentences, and two documents to draw random B from."""
    if corpus.n_documents == 0:
        raise CorpusError(text("The corpus holds no text after tokenization."),
                          text("Check the files and the text column."))
    counts = corpus.doc_offsets[corpus.docs + 1] - corpus.doc_offsets[corpus.docs]
    if int(counts.max()) < 2:
        raise CorpusError(
            text("None of the {0:,} documents has more than one sentence, so there are no sentence pairs for "
                 "next sentence prediction.", corpus.n_documents),
            text("Train MLM only (masking.nsp = false; in the window: untick 'Next sentence prediction'), or change "
                 "how files split into documents (corpus.documents: 'blank-line' or 'file' instead of 'line')."))
    if len(corpus.doc_offsets) - 1 < 2:
        raise CorpusError(
            text("The corpus is a single document; next sentence prediction needs a second document to draw "
                 "random sentences from."),
            text("Add more text, split the file into documents with blank lines, or train MLM only "
                 "(masking.nsp = false)."))


def _trim(la: int, lb: int, max_tokens: int) -> tuple[int, int]:
    """Tokens to remove from A and B: Google's loop (trim the longer side; B on ties), in closed form."""
    excess = la + lb - max_tokens
    if excess <= 0:
        return 0, 0
    gap = abs(la - lb)
    if gap >= excess:
        return (excess, 0) if la > lb else (0, excess)
    rest = excess - gap
    ra, rb = (gap, 0) if la > lb else (0, gap)
    return ra + rest // 2, rb + (rest + 1) // 2


def _front(rng: random.Random, k: int) -> int:
    """How many of k trimmed tokens came off the front: each one a fair coin, as in Google's loop."""
    return rng.getrandbits(k).bit_count() if k > 0 else 0


def _on_boundary(offs: list[int], x: int) -> bool:
    j = bisect.bisect_left(offs, x)
    return j < len(offs) and offs[j] == x


def _document_runs(docs: np.ndarray, join: bool) -> list[tuple[int, int]]:
    """(first, last) document ids of each stretch a segment may run through: every document alone, or (``join``)
    runs of documents with consecutive ids (adjacent in the prepared corpus, all in this subset)."""
    runs: list[tuple[int, int]] = []
    for d in map(int, docs):
        if join and runs and runs[-1][1] + 1 == d:
            runs[-1] = (runs[-1][0], d)
        else:
            runs.append((d, d))
    return runs


def plan_epoch(corpus: TokenizedCorpus, max_seq_length: int, nsp: bool, short_seq_prob: float, seed: int,
               epoch: int, balanced: bool = False, cross_documents: bool = False) -> EpochPlan:
    """Build one epoch's sequences (see the module docstring); deterministic by (seed, epoch).

    ``balanced`` (issue 14; the engine's default through ``masking.nsp_balanced``): a one-sentence chunk that has
    sentences after it in its document takes them as B ("is next") instead of always a random B, and every
    random B that was forced (a document's last single sentence, a one-sentence document) is paid back by the next
    free choice, which then takes "is next". Google's recipe gives 70 %+ random B on corpora of short documents;
    this keeps the labels near 50/50 wherever enough documents have two or more sentences.
    """
    if nsp:
        check_nsp_corpus(corpus)
    rng = random.Random(f"{seed}:{epoch}")
    docs = corpus.docs
    # Random B comes from the other documents of this corpus; a subset of one document (a small eval split)
    # borrows them from every document of the prepared corpus.
    pool = docs if len(docs) >= 2 else np.arange(len(corpus.doc_offsets) - 1)
    so = corpus.sent_offsets
    do = corpus.doc_offsets
    max_tokens = max_seq_length - 3 if nsp else max_seq_length - 2
    if max_tokens < 2:
        raise CorpusError(text("max_seq_length {0} is too short for a sequence.", max_seq_length),
                          text("Use at least 16 tokens."))
    # array.array: 8 bytes per value while planning millions of sequences (a list would hold 36)
    a_s, a_e, b_s, b_e, a_d, b_d = (array("q") for _ in range(6))
    lab, trunc = array("b"), array("b")

    def draw_target() -> int:
        return rng.randint(2, max_tokens) if rng.random() < short_seq_prob else max_tokens

    debt = 0  # balanced NSP: forced random Bs not yet paid back by an "is next"

    # MLM-only: segments of whole sentences through each document, or through runs of adjacent documents
    for first, last in ([] if nsp else _document_runs(docs, cross_documents)):
        s0, s1 = int(do[first]), int(do[last + 1])
        offs = so[s0:s1 + 1].tolist()  # token offsets of the sentences of these documents (global positions)
        n = s1 - s0
        doc_starts = [int(so[int(do[x])]) for x in range(first, last + 1)]  # first token of each document
        p, end_tok = offs[0], offs[n]
        while p < end_tok:
            limit = p + draw_target()
            k = bisect.bisect_right(offs, limit) - 1
            end = offs[k] if k >= 0 and offs[k] > p else min(limit, end_tok)
            cut = not (_on_boundary(offs, p) and _on_boundary(offs, end))
            da = first + bisect.bisect_right(doc_starts, p) - 1  # the documents of the first and last token
            db = first + bisect.bisect_right(doc_starts, end - 1) - 1
            a_s.append(p), a_e.append(end), b_s.append(0), b_e.append(0), lab.append(NO_LABEL)
            a_d.append(da), b_d.append(db), trunc.append(bool(cut))
            p = end

    for pos, d in enumerate(map(int, docs) if nsp else ()):
        s0, s1 = int(do[d]), int(do[d + 1])
        offs = so[s0:s1 + 1].tolist()  # token offsets of this document's sentences (global positions)
        n = s1 - s0
        i = 0
        while i < n:
            target = draw_target()
            k = min(bisect.bisect_left(offs, offs[i] + target, i + 1, n + 1), n)  # chunk = sentences [i, k)
            m = k - i
            if not balanced:  # Google's recipe, draw for draw
                a_end = i + 1 if m == 1 else i + rng.randint(1, m - 1)
                coin_random = m == 1 or rng.random() < 0.5
            elif m == 1 and i + 1 < n:  # one sentence with more after it: B may be the following sentences
                a_end = i + 1
                coin_random = not (debt > 0 or rng.random() < 0.5)
                if not coin_random:
                    debt = max(0, debt - 1)
                    want = max(target - (offs[i + 1] - offs[i]), 1)
                    k = min(bisect.bisect_left(offs, offs[i + 1] + want, i + 2, n + 1), n)
            elif m == 1:  # the document's last sentence alone: random B is the only choice
                a_end, coin_random = i + 1, True
                debt += 1  # paid back by the next free choice
            else:
                a_end = i + rng.randint(1, m - 1)
                coin_random = debt == 0 and rng.random() < 0.5
                debt = max(0, debt - (not coin_random))
            a0, a1 = offs[i], offs[a_end]
            if coin_random:
                label = LABEL_RANDOM
                other = rng.randrange(len(pool) - 1)  # uniform over the *other* documents (Google: 10 tries)
                me = pos if pool is docs else d
                bd = int(pool[other + 1 if other >= me else other])
                r0, r1 = int(do[bd]), int(do[bd + 1])
                rs = r0 + rng.randrange(r1 - r0)
                b0 = int(so[rs])
                want = max(target - (a1 - a0), 1)
                re_ = int(np.searchsorted(so[rs + 1:r1 + 1], b0 + want, side="left")) + rs + 1
                b1 = int(so[min(re_, r1)])
                next_i = a_end  # the chunk's unused sentences go back
            else:
                label, bd = LABEL_IS_NEXT, d
                b0, b1 = a1, offs[k]
                next_i = k
            ra, rb = _trim(a1 - a0, b1 - b0, max_tokens)
            fa, fb = _front(rng, ra), _front(rng, rb)
            a_s.append(a0 + fa), a_e.append(a1 - (ra - fa)), b_s.append(b0 + fb), b_e.append(b1 - (rb - fb))
            lab.append(label), a_d.append(d), b_d.append(bd), trunc.append(ra + rb > 0)
            i = next_i
    order = np.random.default_rng([seed, epoch]).permutation(len(lab))

    def arr(values: array, dtype: Any) -> np.ndarray:
        return np.frombuffer(values, dtype=np.int64 if values.typecode == "q" else np.int8).astype(dtype)[order]

    return EpochPlan(arr(a_s, np.int64), arr(a_e, np.int64), arr(b_s, np.int64), arr(b_e, np.int64),
                     arr(lab, np.int8), arr(a_d, np.int64), arr(b_d, np.int64), arr(trunc, bool))


class PretrainingDataset(torch.utils.data.Dataset):
    """Every training sequence of a run, epoch after epoch; see the module docstring."""

    def __init__(self, corpus: TokenizedCorpus, tokenizer: Any, max_seq_length: int = 128, nsp: bool = True,
                 short_seq_prob: float = 0.1, seed: int = 42, epochs: float = 1, *,
                 group_by_length: int = 0, batch_size: int = 1, balanced: bool = False,
                 tokens_per_batch: int = 0, cross_documents: bool = False) -> None:
        if nsp:
            check_nsp_corpus(corpus)
        elif corpus.n_documents == 0:
            raise CorpusError(text("The corpus holds no text after tokenization."),
                              text("Check the files and the text column."))
        if epochs <= 0:
            raise ValueError("epochs must be > 0")
        self.corpus = corpus
        self.max_seq_length = int(max_seq_length)
        self.nsp = bool(nsp)
        self.short_seq_prob = float(short_seq_prob)
        self.seed = int(seed)
        self.epochs = float(epochs)
        self.n_epochs = math.ceil(self.epochs)
        self.cls_id = _special_id(tokenizer, "cls_token_id", "bos_token_id")
        self.sep_id = _special_id(tokenizer, "sep_token_id", "eos_token_id")
        self.group_by_length = int(group_by_length)
        self.batch_size = max(1, int(batch_size))
        self.balanced = bool(balanced)
        self.tokens_per_batch = max(0, int(tokens_per_batch))  # > 0: batches by tokens (data/batching.py)
        self.cross_documents = bool(cross_documents) and not self.nsp  # MLM-only segments may join documents
        self._plans: dict[int, EpochPlan] = {}
        self._sizes: list[int] | None = None
        self._token_batches: TokenBatches | None = None

    # ------------------------------------------------------------------ epochs
    def plan(self, epoch: int) -> EpochPlan:
        """The plan of one epoch (0-based); the two most recent plans are kept, others rebuilt on demand."""
        if epoch not in self._plans:
            if len(self._plans) >= 2:
                self._plans.pop(next(iter(self._plans)))
            plan = plan_epoch(self.corpus, self.max_seq_length, self.nsp, self.short_seq_prob, self.seed, epoch,
                              balanced=self.balanced, cross_documents=self.cross_documents)
            if self.group_by_length > 0 and self.batch_size > 1 and not self.tokens_per_batch:
                plan = group_by_length(plan, self.batch_size, self.group_by_length, seed=self.seed * 1000 + epoch)
            self._plans[epoch] = plan
        return self._plans[epoch]

    def epoch_sizes(self) -> list[int]:
        """Sequences taken from each epoch (the last one cut short when ``epochs`` is fractional)."""
        if self._sizes is None:
            # last epochs first, so the two plans left in the cache are the ones training needs first
            sizes = [len(self.plan(e)) for e in reversed(range(self.n_epochs))][::-1]
            frac = self.epochs - (self.n_epochs - 1)
            sizes[-1] = max(1, round(sizes[-1] * frac)) if frac < 1 else sizes[-1]
            self._sizes = sizes
        return self._sizes

    def sequence_lengths(self, epoch: int) -> np.ndarray:
        """Tokens of each sequence the run takes from ``epoch`` ([CLS] and [SEP] included), in plan order."""
        p = self.plan(epoch)
        specials = 3 if self.nsp else 2
        lengths = (p.a_end - p.a_start) + (p.b_end - p.b_start if self.nsp else 0) + specials
        return lengths[:self.epoch_sizes()[epoch]]

    def token_batches(self) -> TokenBatches:
        """The run's batches of at most ``tokens_per_batch`` real tokens, grouped by length within windows of
        ``group_by_length`` batches (built once; the same for the same seed)."""
        if self.tokens_per_batch <= 0:
            raise ValueError("token_batches() needs tokens_per_batch > 0")
        if self._token_batches is None:
            self._token_batches = build_token_batches(
                [self.sequence_lengths(e) for e in range(self.n_epochs)], self.tokens_per_batch,
                window=self.group_by_length, seed=self.seed)
        return self._token_batches

    def epoch_start(self, epoch: int) -> int:
        return int(sum(self.epoch_sizes()[:epoch]))

    def epoch_of(self, index: int) -> tuple[int, int]:
        """``(epoch, position within it)`` of a run-wide index."""
        sizes = self.epoch_sizes()
        if not 0 <= index < sum(sizes):
            raise IndexError(index)
        e = 0
        while index >= sizes[e]:
            index -= sizes[e]
            e += 1
        return e, index

    def __len__(self) -> int:
        return int(sum(self.epoch_sizes()))

    # ------------------------------------------------------------------ items
    def __getitem__(self, index: int) -> dict[str, Any]:
        epoch, j = self.epoch_of(int(index))
        p = self.plan(epoch)
        toks, ws = self.corpus.tokens, self.corpus.word_start
        a0, a1, b0, b1 = int(p.a_start[j]), int(p.a_end[j]), int(p.b_start[j]), int(p.b_end[j])
        a_ids = toks[a0:a1].tolist()
        a_ws = ws[a0:a1].tolist()
        a_ws[0] = 1  # a trimmed front may start inside a word
        ids = [self.cls_id, *a_ids, self.sep_id]
        word_start = [1, *a_ws, 1]
        types = [0] * len(ids)
        item: dict[str, Any] = {}
        if self.nsp:
            b_ids = toks[b0:b1].tolist()
            b_ws = ws[b0:b1].tolist()
            b_ws[0] = 1
            ids += [*b_ids, self.sep_id]
            word_start += [*b_ws, 1]
            types += [1] * (len(b_ids) + 1)
            item["next_sentence_label"] = int(p.label[j])
        item.update(input_ids=ids, token_type_ids=types, word_start=word_start,
                    mask_seed=mask_seed(self.seed, epoch, j))
        return item

    def describe(self, index: int) -> SequenceInfo:
        """Provenance of sequence ``index``: documents, sentence positions, label, truncation."""
        epoch, j = self.epoch_of(int(index))
        p = self.plan(epoch)
        c = self.corpus

        def sentences(doc: int, t0: int, t1: int) -> tuple[int, int]:
            first = int(np.searchsorted(c.sent_offsets, t0, side="right")) - 1
            last = int(np.searchsorted(c.sent_offsets, t1, side="left")) - 1
            return first - int(c.doc_offsets[doc]), last - int(c.doc_offsets[doc])

        ad, bd = int(p.a_doc[j]), int(p.b_doc[j])
        a_src, a_idx = c.source_of(ad)
        b_src, b_idx = c.source_of(bd)
        b_sent = sentences(bd, int(p.b_start[j]), int(p.b_end[j])) if self.nsp else None
        # an MLM-only segment that runs into later documents: A's sentences are those in its first document, and
        # B names the document it ends in (its sentences from that document's start)
        a_end = int(p.a_end[j])
        if not self.nsp and bd != ad:
            a_end = int(c.sent_offsets[int(c.doc_offsets[ad + 1])])
            b_sent = sentences(bd, int(c.sent_offsets[int(c.doc_offsets[bd])]), int(p.a_end[j]))
        return SequenceInfo(int(index), epoch, int(p.label[j]), a_src, a_idx,
                            sentences(ad, int(p.a_start[j]), a_end), b_src, b_idx, b_sent,
                            bool(p.truncated[j]))


def random_share(plan: EpochPlan) -> float:
    """Share of an epoch's pairs whose B is random (0 for MLM-only): about 0.5 balanced, 0.7+ Google on short docs."""
    labelled = plan.label[plan.label != NO_LABEL]
    return float(np.mean(labelled == LABEL_RANDOM)) if len(labelled) else 0.0


def mask_seed(seed: int, epoch: int, position: int) -> int:
    """The seed of one training sequence's masks: a function of (run seed, epoch, position in the epoch's plan).

    WHY carried by the item: masks drawn from a shared generator depend on everything drawn before them, so a
    resumed run (or another worker count) would mask differently from an uninterrupted one. SplitMix64-style
    mixing keeps neighbouring positions' seeds far apart.
    """
    x = (int(seed) * 0x9E3779B97F4A7C15 + int(epoch) * 0xBF58476D1CE4E5B9 + int(position) + 1) & (2**64 - 1)
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & (2**64 - 1)
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & (2**64 - 1)
    return (x ^ (x >> 31)) & (2**63 - 1)


def group_by_length(plan: EpochPlan, batch_size: int, window: int, seed: int) -> EpochPlan:
    """Reorder an epoch so each batch holds sequences of similar length; per-batch padding then nearly vanishes.

    Within windows of ``window`` batches the sequences are sorted longest first and cut into batches, and the
    batches of a window are shuffled (seeded), so training does not see a length ramp. Only the order within a
    window changes: the epoch's sequences, and the determinism that resuming relies on, stay the same. Lengths come
    from the plan (token ranges), so no sequence is materialised.
    """
    lengths = (plan.a_end - plan.a_start) + (plan.b_end - plan.b_start)
    rng = np.random.default_rng(seed)
    size = batch_size * window
    order: list[np.ndarray] = []
    for start in range(0, len(lengths), size):
        idx = np.arange(start, min(len(lengths), start + size))
        idx = idx[np.argsort(-lengths[idx], kind="stable")]
        batches = [idx[i:i + batch_size] for i in range(0, len(idx), batch_size)]
        order.extend(batches[k] for k in rng.permutation(len(batches)))
    perm = np.concatenate(order) if order else np.arange(0)
    return EpochPlan(**{f.name: getattr(plan, f.name)[perm] for f in dataclasses.fields(plan)})


def _special_id(tokenizer: Any, *names: str) -> int:
    for name in names:
        value = getattr(tokenizer, name, None)
        if value is not None:
            return int(value)
    from bertgui.errors import ModelError

    raise ModelError(f"The tokenizer has no {names[0].removesuffix('_id')} ({type(tokenizer).__name__}).",
                     "Choose a BERT-style model whose tokenizer defines [CLS] and [SEP].")
