"""Choosing what to export: every evaluated checkpoint with its figures, and the best trade-off marked.

WHY: a run with ``eval_every`` measures the model several times; the last checkpoint is not always the one to keep.
Continued pre-training buys domain perplexity with forgetting (general-text perplexity) and, for a
sentence-transformers base, with its embeddings (the embedding check, :mod:`bertgui.engine.retrieval`). The best
trade-off is the checkpoint with the lowest held-out perplexity whose general perplexity and embedding check stay
within :data:`TOLERANCE` of the base model's — the rule a person would apply by reading the table, applied the same
way every time. Works on a run folder alone (``metrics.jsonl`` and the checkpoints), so ``bertgui export --best``
and the window agree.

Public API: ``choose_checkpoint(run_dir, tolerance=TOLERANCE) -> ExportChoice`` (``rows``, ``best``, ``reason``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bertgui.text import text

TOLERANCE = 0.10  # general perplexity up, or embedding check down, by at most 10 % of the base model's


@dataclass
class CheckpointFigures:
    step: int
    path: str  # what to export: a checkpoint-N folder, or the run folder for its final model
    eval_perplexity: float | None = None
    general_perplexity: float | None = None
    retrieval_mrr: float | None = None
    within: bool = True  # general text and embedding check within the tolerance of the base


@dataclass
class ExportChoice:
    rows: list[CheckpointFigures] = field(default_factory=list)
    base: CheckpointFigures | None = None  # the "before" figures
    best: CheckpointFigures | None = None
    reason: str = ""  # a Text once chosen

    def lines(self) -> list[str]:
        """A plain table for a terminal."""
        def f(v: float | None, fmt: str) -> str:
            return format(v, fmt) if v is not None else "–"

        out = [f"{'step':>7}  {'perplexity':>10}  {'general':>9}  {'emb. MRR':>8}"]
        for r in ([self.base] if self.base else []) + self.rows:
            mark = "  <- best" if r is self.best else ("" if r.within else "  (forgets)")
            label = "base" if r is self.base else str(r.step)
            out.append(f"{label:>7}  {f(r.eval_perplexity, '10.2f')}  {f(r.general_perplexity, '9.2f')}  "
                       f"{f(r.retrieval_mrr, '8.3f')}{mark}")
        return out + [str(self.reason)]


def _figures(events: list[Any], step: int, path: str) -> CheckpointFigures:
    row = CheckpointFigures(step=step, path=path)
    for ev in events:
        if ev.split == "eval":
            row.eval_perplexity = ev.perplexity
            row.retrieval_mrr = ev.retrieval_mrr if ev.retrieval_mrr is not None else row.retrieval_mrr
        elif ev.split == "general":
            row.general_perplexity = ev.perplexity
    return row


def _within(row: CheckpointFigures, base: CheckpointFigures | None, tolerance: float) -> bool:
    if base is None:
        return True
    if row.general_perplexity is not None and base.general_perplexity is not None \
            and row.general_perplexity > base.general_perplexity * (1 + tolerance):
        return False
    return not (row.retrieval_mrr is not None and base.retrieval_mrr is not None
                and row.retrieval_mrr < base.retrieval_mrr * (1 - tolerance))


def choose_checkpoint(run_dir: str | Path, tolerance: float = TOLERANCE) -> ExportChoice:
    """The run's evaluated checkpoints (and final model), each with its figures, and the best trade-off."""
    from bertgui.engine.folder import FINAL_MODEL_DIR, checkpoint_step, complete_checkpoints, read_metrics
    from bertgui.events import EvalMetrics

    run = Path(run_dir)
    evals = [e for e in read_metrics(run) if isinstance(e, EvalMetrics)]
    choice = ExportChoice()
    before = [e for e in evals if e.when == "before"]
    if before:
        choice.base = _figures(before, 0, "")
    later = [e for e in evals if e.when in ("during", "after")]
    by_step: dict[int, list[Any]] = {}
    for e in later:
        by_step.setdefault(e.step, []).append(e)
    paths = {checkpoint_step(p): str(p) for p in complete_checkpoints(run)}
    final_step = max((e.step for e in later if e.when == "after"), default=-1)
    if (run / FINAL_MODEL_DIR / "config.json").is_file() and final_step >= 0:
        paths[final_step] = str(run)
    for step in sorted(by_step):
        if step in paths:
            row = _figures(by_step[step], step, paths[step])
            row.within = _within(row, choice.base, tolerance)
            choice.rows.append(row)
    rated = [r for r in choice.rows if r.within and r.eval_perplexity is not None]
    if not choice.rows:
        choice.reason = text("No checkpoint of this run has an evaluation at its step: nothing to choose from.")
    elif not rated:
        choice.reason = text("Every evaluated checkpoint forgot more than {0:.0%} (general text or embedding check) "
                             "compared with the base model: choose one by hand.", tolerance)
    else:
        choice.best = min(rated, key=lambda r: r.eval_perplexity or 0.0)
        choice.reason = text("Best trade-off: step {0}, the lowest held-out perplexity whose general text and "
                             "embedding check stay within {1:.0%} of the base model.", choice.best.step, tolerance)
    return choice
