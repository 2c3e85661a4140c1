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
from dataclasses import asdict, dataclass
from typing import Any

import torch

from bertgui.model.losses import compute_loss_parts, has_nsp_head

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
        sequences=sequences, masked_tokens=masked, split=split, note=note)


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
