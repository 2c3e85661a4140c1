"""Held-out measurement on frozen pairs and masks: MLM loss, perplexity, masked-token accuracy, NSP accuracy.

The engine runs it before, during and after training; ``bertgui eval`` (:mod:`bertgui.results.evaluate`) runs the
same recipe on any model.

WHY frozen: the numbers before and after training (and across runs and models) are only comparable when every model
sees the very same sequences with the very same masked positions. The pairs come from ``PretrainingDataset`` with a
fixed seed and one epoch; the masks from a seeded ``MaskingCollator`` that is rewound before each pass. Losses are
summed over all masked tokens (and all pairs) and divided once, so the figure does not depend on the batch size.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import torch

from bertgui.events import EvalMetrics, Event, StateChanged
from bertgui.model.losses import compute_loss_parts, has_nsp_head
from bertgui.states import Phase

EVAL_SEED = 1234  # fixed on purpose: the same masks for every run and every model
DEFAULT_MAX_SEQUENCES = 2000
EVAL_BATCH = 32  # fixed too: the seeded masks depend on how sequences are grouped into batches


@dataclass
class EvalResult:
    mlm_loss: float
    perplexity: float
    masked_accuracy: float
    nsp_loss: float | None
    nsp_accuracy: float | None
    sequences: int
    masked_tokens: int
    split: str = "eval"
    note: str = ""
    # baselines on the very same pairs and masks (issue 14): what a model that learnt nothing would score
    nsp_majority_share: float | None = None  # share of the most common NSP label (always guessing it)
    nsp_random_share: float | None = None  # share of pairs whose B is random
    frequent_token_accuracy: float | None = None  # always guessing the most frequent masked word
    frequent_token_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class FrozenEvalSet:
    """Batches with fixed pairs and fixed masks, built once and reused for every evaluation of a run."""

    def __init__(self, corpus: Any, tokenizer: Any, config: Any, *, nsp: bool, split: str = "eval",
                 batch_size: int | None = None, max_sequences: int = DEFAULT_MAX_SEQUENCES) -> None:
        from bertgui.data.masking import MaskingCollator
        from bertgui.data.pairs import PretrainingDataset
        from bertgui.errors import CorpusError

        self.split = split
        self.note = ""
        try:
            ds = PretrainingDataset(corpus, tokenizer, max_seq_length=config.max_seq_length, nsp=nsp,
                                    short_seq_prob=0.0, seed=EVAL_SEED, epochs=1,
                                    balanced=bool(getattr(config, "nsp_balanced", False)))
        except CorpusError as exc:
            if not nsp:
                raise
            ds = PretrainingDataset(corpus, tokenizer, max_seq_length=config.max_seq_length, nsp=False,
                                    short_seq_prob=0.0, seed=EVAL_SEED, epochs=1)
            self.note = f"NSP not evaluated on the {split} split: {exc.message}"
            nsp = False
        self.nsp = nsp
        n = min(len(ds), max_sequences)
        collator = MaskingCollator.from_config(tokenizer, config, seed=EVAL_SEED)
        collator.reset()
        bs = batch_size or EVAL_BATCH
        # Build the batches now (frozen): the collator's seeded generator runs once, in this order.
        self.batches = [collator([ds[i] for i in range(s, min(n, s + bs))]) for s in range(0, n, bs)]
        self.sequences = n

    def __len__(self) -> int:
        return self.sequences


@torch.no_grad()
def evaluate_batches(model: torch.nn.Module, batches: list[dict[str, torch.Tensor]], *, nsp: bool,
                     device: str | torch.device | None = None, precision: str = "fp32", split: str = "eval",
                     note: str = "") -> EvalResult:
    """Summed MLM/NSP loss and accuracy over the batches; the model is put back in its previous mode."""
    was_training = model.training
    model.eval()
    dev = torch.device(device) if device is not None else next(model.parameters()).device
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)
    use_nsp = nsp and has_nsp_head(model)
    mlm_sum = nsp_sum = 0.0
    masked = mlm_correct = nsp_correct = sequences = 0
    base = batch_baselines(batches, nsp=use_nsp)
    try:
        for batch in batches:
            b = {k: v.to(dev) for k, v in batch.items() if k != "kinds"}
            if not use_nsp:
                b.pop("next_sentence_label", None)
            ctx = torch.autocast(dev.type, dtype=dtype) if dtype is not None else _null()
            with ctx:
                parts = compute_loss_parts(model, b, fast=True, nsp=use_nsp, with_accuracy=True)
            mlm_sum += float(parts.mlm_sum)
            masked += int(parts.masked)
            mlm_correct += int(parts.mlm_correct) if parts.mlm_correct is not None else 0
            sequences += parts.sequences
            if parts.nsp_sum is not None:
                nsp_sum += float(parts.nsp_sum)
                nsp_correct += int(parts.nsp_correct) if parts.nsp_correct is not None else 0
    finally:
        model.train(was_training)
    loss = mlm_sum / max(masked, 1)
    return EvalResult(
        mlm_loss=loss, perplexity=math.exp(min(loss, 700.0)), masked_accuracy=mlm_correct / max(masked, 1),
        nsp_loss=nsp_sum / max(sequences, 1) if use_nsp else None,
        nsp_accuracy=nsp_correct / max(sequences, 1) if use_nsp else None,
        sequences=sequences, masked_tokens=masked, split=split, note=note, **base)


def batch_baselines(batches: list[dict[str, torch.Tensor]], *, nsp: bool) -> dict[str, Any]:
    """Majority-label share of the NSP pairs and the accuracy of always guessing the most frequent masked token.

    WHY: an untrained NSP head that always answers "random" scores the share of random pairs (75 % on a corpus of
    short documents under Google's recipe), and a figure means nothing to a reader without that floor beside it.
    """
    counts: torch.Tensor | None = None
    labels0 = labels1 = 0
    for batch in batches:
        target = batch["labels"][batch["labels"] != -100].long()
        if target.numel():
            c = torch.bincount(target.cpu())
            if counts is None:
                counts = c
            else:
                size = max(len(counts), len(c))
                counts = torch.nn.functional.pad(counts, (0, size - len(counts))) + \
                    torch.nn.functional.pad(c, (0, size - len(c)))
        nl = batch.get("next_sentence_label")
        if nsp and nl is not None:
            labels1 += int((nl == 1).sum())
            labels0 += int((nl == 0).sum())
    out: dict[str, Any] = {}
    if counts is not None and int(counts.sum()) > 0:
        top = int(torch.argmax(counts))
        out["frequent_token_id"] = top
        out["frequent_token_accuracy"] = float(counts[top]) / float(counts.sum())
    pairs = labels0 + labels1
    if pairs:
        out["nsp_majority_share"] = max(labels0, labels1) / pairs
        out["nsp_random_share"] = labels1 / pairs
    return out


# ---------------------------------------------------------------------------------------------- word probes
PROBE_COUNT = 48  # masked domain words followed from "before" to "after"
_MIN_WORD = 4
SKIP_FREQUENT = 30  # the most frequent words of the held-out set are not followed


def choose_probes(batches: list[dict[str, torch.Tensor]], tokenizer: Any, *, count: int = PROBE_COUNT,
                  skip_ids: set[int] | None = None) -> list[tuple[int, int, int]]:
    """``(batch, row, position)`` of masked positions whose hidden word is a whole, alphabetic word of 4+ letters.

    WHY those: "the", "of" and word pieces say nothing to a domain expert; a whole word of the domain does. The
    positions are [MASK] positions of the frozen set, so base and tuned models see exactly the same question.
    ``skip_ids``: tokens not to follow (the most frequent words of the set, which every model learns first).
    """
    mask_id = tokenizer.mask_token_id
    vocab = tokenizer.convert_ids_to_tokens
    if skip_ids is None:
        targets = torch.cat([b["labels"][b["labels"] != -100].long().cpu() for b in batches] or [torch.zeros(0)])
        counts = torch.bincount(targets.long()) if targets.numel() else torch.zeros(0)
        skip_ids = set(torch.argsort(counts, descending=True)[:SKIP_FREQUENT].tolist())
    out: list[tuple[int, int, int]] = []
    for bi, batch in enumerate(batches):
        labels, ids = batch["labels"], batch["input_ids"]
        rows, cols = torch.nonzero((labels != -100) & (ids == mask_id), as_tuple=True)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            tid = int(labels[r, c])
            word = vocab(tid)
            if skip_ids and tid in skip_ids:
                continue
            nxt = int(labels[r, c + 1]) if c + 1 < labels.shape[1] else -100
            if nxt != -100 and vocab(nxt).startswith("##"):
                continue  # the word goes on in the next piece: not a whole word
            if len(word) >= _MIN_WORD and word.isalpha():
                out.append((bi, r, c))
                if len(out) >= count:
                    return out
    return out


@torch.no_grad()
def probe_predictions(model: torch.nn.Module, batches: list[dict[str, torch.Tensor]], tokenizer: Any,
                      probes: list[tuple[int, int, int]], *, device: str | torch.device | None = None,
                      context: int = 12) -> list[dict[str, Any]]:
    """For each probe: the hidden word, the model's guess, the guess's and the word's probability, the context."""
    from bertgui.model.losses import _model_inputs, mlm_head

    if not probes:
        return []
    was_training = model.training
    model.eval()
    dev = torch.device(device) if device is not None else next(model.parameters()).device
    out: list[dict[str, Any]] = []
    try:
        for bi in sorted({p[0] for p in probes}):
            batch = {k: v.to(dev) for k, v in batches[bi].items() if k not in ("kinds", "labels",
                                                                                 "next_sentence_label")}
            here = [p for p in probes if p[0] == bi]
            head = mlm_head(model)
            base = getattr(model, "base_model", None)
            if head is not None and base is not None and base is not model:
                hidden = base(**_model_inputs(base, batch), return_dict=True).last_hidden_state
                rows = torch.tensor([p[1] for p in here], device=dev)
                cols = torch.tensor([p[2] for p in here], device=dev)
                logits = head(hidden[rows, cols])
            else:
                res = model(**_model_inputs(model, batch), return_dict=True)
                full = res.logits if hasattr(res, "logits") else res.prediction_logits
                logits = full[[p[1] for p in here], [p[2] for p in here]]
            probs = torch.softmax(logits.float(), dim=-1).cpu()
            labels = batches[bi]["labels"]
            ids = batches[bi]["input_ids"]
            for k, (_, r, c) in enumerate(here):
                target = int(labels[r, c])
                guess = int(torch.argmax(probs[k]))
                # the context as written: every other masked position shows its own word again, not [MASK]
                # (dropped as a special token: a gap) or the 10 % random replacement (a stray word such as "theych")
                row = torch.where(labels[r] != -100, labels[r], ids[r]).tolist()
                left = tokenizer.decode(row[max(1, c - context):c], skip_special_tokens=True)
                right = tokenizer.decode(row[c + 1:c + 1 + context], skip_special_tokens=True)
                out.append({"batch": bi, "row": r, "position": c, "word": tokenizer.decode([target]).strip(),
                            "guess": tokenizer.decode([guess]).strip(), "guess_probability": float(probs[k, guess]),
                            "word_probability": float(probs[k, target]), "left": left, "right": right})
    finally:
        model.train(was_training)
    return out


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


def evaluate_model(model: torch.nn.Module, tokenizer: Any, corpus: Any, config: Any, *, nsp: bool,
                   split: str = "eval", device: str | None = None, precision: str = "fp32",
                   max_sequences: int = DEFAULT_MAX_SEQUENCES) -> EvalResult:
    """One-shot: frozen pairs and masks of ``corpus`` (a TokenizedCorpus), then the metrics."""
    frozen = FrozenEvalSet(corpus, tokenizer, config, nsp=nsp, split=split, max_sequences=max_sequences)
    return evaluate_batches(model, frozen.batches, nsp=frozen.nsp, device=device, precision=precision,
                            split=split, note=frozen.note)


# ---------------------------------------------------------------------------------------------- the run's stage
class Evaluation:
    """The frozen held-out sets of a run and how to measure the model on them (main process only).

    ``durations`` holds how long each measurement took by its ``when`` ("before", "after", …): the time budget
    reserves the "before" time for the "after" one.
    """

    def __init__(self, frozen: list[FrozenEvalSet], emit: Callable[[Event], None], model: Callable[[], Any],
                 device: str, precision: str, tokenizer: Any = None, retrieval: dict[str, Any] | None = None,
                 pooling: Any = None) -> None:
        self.frozen = frozen
        self.emit = emit
        self.model = model
        self.device = device
        self.precision = precision
        self.tokenizer = tokenizer  # for the word probes ("what the model learned")
        self.retrieval = dict(retrieval or {})  # split -> RetrievalSet: the embedding check (engine/retrieval.py)
        self.pooling = pooling  # the base model's own sentence pooling (model/pooling.py)
        self.durations: dict[str, float] = {}

    def __call__(self, step: int, when: str) -> None:
        if not self.frozen:
            return
        started = time.perf_counter()
        self.emit(StateChanged(Phase.EVALUATING, step))
        for f in self.frozen:
            r = evaluate_batches(self.model(), f.batches, nsp=f.nsp, device=self.device, precision=self.precision,
                                 split=f.split, note=f.note)
            self.emit(EvalMetrics(step=step, when=when, split=f.split, mlm_loss=r.mlm_loss,
                                  perplexity=r.perplexity, masked_accuracy=r.masked_accuracy,
                                  nsp_loss=r.nsp_loss, nsp_accuracy=r.nsp_accuracy, sequences=r.sequences,
                                  masked_tokens=r.masked_tokens, **self.insight_fields(f, r, when)))
        self.durations[when] = time.perf_counter() - started
        if when == "during":
            self.emit(StateChanged(Phase.TRAINING, step))

    def insight_fields(self, frozen: FrozenEvalSet, r: EvalResult, when: str) -> dict[str, Any]:
        """Baselines of the same set, and (before/after, held-out split) the word probes."""
        out: dict[str, Any] = {"nsp_majority_share": r.nsp_majority_share, "nsp_random_share": r.nsp_random_share,
                               "frequent_token_accuracy": r.frequent_token_accuracy}
        if self.tokenizer is not None and r.frequent_token_id is not None:
            out["frequent_token"] = self.tokenizer.decode([r.frequent_token_id]).strip()
        if self.tokenizer is not None and frozen.split == "eval" and when in ("before", "after"):
            probes = choose_probes(frozen.batches, self.tokenizer)
            out["word_probes"] = probe_predictions(self.model(), frozen.batches, self.tokenizer, probes,
                                                   device=self.device)
        if frozen.split in self.retrieval and self.pooling is not None and when in ("before", "after"):
            from bertgui.engine.retrieval import embedding_fields

            out.update(embedding_fields(self.model(), self.tokenizer, self.retrieval[frozen.split], self.pooling,
                                        device=self.device, precision=self.precision))
        return out

    def sequences(self) -> int:
        """Sequences of the first (held-out) set: what ``RunStarted`` announces."""
        return sum(len(f) for f in self.frozen[:1])
