"""Batches by tokens: each batch holds as many sequences as fit a number of real tokens (``training.tokens_per_step``).

WHY: a step of ``batch_size`` sequences carries as many tokens as the documents are long. On a corpus of short
paragraphs (Meditations at length 512) a batch of 16 held only 1 554–1 960 real tokens against the 8 192 of Hugging
Face's ``run_mlm`` recipe, which concatenates everything into full blocks; every per-step cost (AdamW over the
whole embedding table, the optimizer's memory traffic, Python and Trainer overhead) was spread over a fifth of the
tokens (issue 25). Filling a batch up to a token count makes a step cost the same per token whatever the corpus,
and keeps the learning-rate schedule's meaning: one step is one amount of text.

How a run's batches are made, a pure function of (the epoch plans, the token count, the window, the seed), so the
same seed gives the same batches and a resumed run skips exactly the batches it trained on:

- each epoch's sequences are cut, in the plan's (already shuffled) order, into windows of about ``window`` batches'
  worth of tokens; within a window the sequences are sorted longest first, packed greedily into batches of at most
  ``budget`` real tokens (a sequence longer than the budget still gets a batch of its own), and the window's
  batches are shuffled (seeded by run seed and epoch) so training sees no length ramp. That is
  ``training.group_by_length`` in the new unit: sorted neighbours pack with almost no padding.
- ``window`` 0: no sorting, batches packed in plan order (padding to each batch's longest member remains).
- a window never crosses an epoch, so every epoch's new pairs and masks stay in that epoch.

The forward token budget (``training.forward_token_budget``) keeps working unchanged: it slices whatever padded
batch reaches the Trainer.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from bertgui.errors import ConfigError
from bertgui.text import text


def micro_batch_tokens(tokens_per_step: int, accumulation: int, world_size: int, max_seq_length: int) -> int:
    """Real tokens per batch of one process: the step's tokens shared over accumulation and processes.

    ``tokens_per_step`` is the whole optimizer step (all micro-batches, all processes), so a step means the same
    amount of text on one CPU and on eight GPUs. Refused when a micro-batch could not hold one full sequence.
    """
    parts = max(1, int(accumulation)) * max(1, int(world_size))
    budget = int(tokens_per_step) // parts
    if budget < int(max_seq_length):
        raise ConfigError(
            text("training.tokens_per_step {0} gives {1} tokens per batch over {2} batches per step, less than one "
                 "sequence of {3} tokens.", tokens_per_step, budget, parts, max_seq_length),
            text("Raise training.tokens_per_step to at least {0}, or lower gradient_accumulation.",
                 int(max_seq_length) * parts))
    return budget


def pack(lengths: np.ndarray, budget: int, max_rows: int = 0) -> list[np.ndarray]:
    """Consecutive runs of ``lengths`` whose sums stay within ``budget`` (positions into ``lengths``).

    Greedy and in order: a batch takes sequences until the next one would exceed the budget; a single sequence
    longer than the budget is a batch alone. ``max_rows`` > 0 also caps the sequences of a batch.
    """
    n = len(lengths)
    if n == 0:
        return []
    if budget <= 0:
        raise ValueError("budget must be > 0")
    cum = np.cumsum(np.asarray(lengths, dtype=np.int64))
    out: list[np.ndarray] = []
    start = 0
    while start < n:
        base = int(cum[start - 1]) if start else 0
        end = int(np.searchsorted(cum, base + budget, side="right"))
        end = max(end, start + 1)
        if max_rows > 0:
            end = min(end, start + max_rows)
        out.append(np.arange(start, end, dtype=np.int64))
        start = end
    return out


def token_batches(lengths: np.ndarray, budget: int, *, window: int, seed: int | Sequence[int],
                  max_rows: int = 0) -> list[np.ndarray]:
    """The batches of one epoch (positions into ``lengths``), grouped by length within windows; see the module."""
    lengths = np.asarray(lengths, dtype=np.int64)
    if window <= 0:
        return pack(lengths, budget, max_rows)
    rng = np.random.default_rng(seed)
    batches: list[np.ndarray] = []
    for span in pack(lengths, budget * int(window)):
        order = span[np.argsort(-lengths[span], kind="stable")]
        packed = [order[b] for b in pack(lengths[order], budget, max_rows)]
        batches.extend(packed[k] for k in rng.permutation(len(packed)))
    return batches


@dataclass(frozen=True)
class TokenBatches:
    """A whole run's batches (run-wide dataset indices) and how many of them each epoch holds."""

    batches: list[np.ndarray]
    epoch_batches: list[int]
    budget: int

    def __len__(self) -> int:
        return len(self.batches)

    def steps(self, batches_per_step: int) -> int:
        """Optimizer steps the run's data holds (``batches_per_step`` = accumulation × processes)."""
        return max(1, len(self.batches) // max(1, int(batches_per_step)))

    def epoch_of_step(self, step: int, batches_per_step: int) -> float:
        """The fractional epoch after ``step`` optimizer steps (the chart's x axis)."""
        done = step * max(1, int(batches_per_step))
        for epoch, count in enumerate(self.epoch_batches):
            if done < count:
                return epoch + done / max(1, count)
            done -= count
        return float(len(self.epoch_batches))


def build_token_batches(epoch_lengths: Sequence[np.ndarray], budget: int, *, window: int, seed: int,
                        max_rows: int = 0) -> TokenBatches:
    """Every epoch's batches, offset to run-wide indices; epoch ``e`` is shuffled with ``(seed, e)``."""
    batches: list[np.ndarray] = []
    counts: list[int] = []
    offset = 0
    for epoch, lengths in enumerate(epoch_lengths):
        found = token_batches(lengths, budget, window=window, seed=[int(seed), 25, epoch], max_rows=max_rows)
        batches.extend(b + offset for b in found)
        counts.append(len(found))
        offset += len(lengths)
    return TokenBatches(batches, counts, int(budget))


class TokenBatchSampler(torch.utils.data.Sampler[list[int]]):
    """A ``batch_sampler`` for ``DataLoader`` over precomputed :class:`TokenBatches` (same order every time)."""

    def __init__(self, batches: TokenBatches) -> None:
        self.token_batches = batches

    def __iter__(self) -> Iterator[list[int]]:
        for batch in self.token_batches.batches:
            yield batch.tolist()

    def __len__(self) -> int:
        return len(self.token_batches)


def epochs_for_steps(steps: int, tokens_per_step: int, epoch_tokens: int, headroom: float = 1.0) -> float:
    """Whole epochs of data a run of ``steps`` steps needs (one spare, as the engine plans with sequences).

    Packing leaves each batch a little under its budget, hence the spare epoch.
    """
    return float(int(np.ceil(headroom * steps * tokens_per_step / max(1, epoch_tokens))) + 1)
