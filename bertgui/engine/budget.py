"""A time budget during the run: the plan made before training, and the callback that holds the run to it.

:func:`plan_time_budget` probes this model on this device, plans steps and cadence (:mod:`bertgui.engine.plan`,
which never imports the run) and writes ``plan.json`` and the planned config (with the budget set back to 0, so a
resume continues the plan instead of planning again). :class:`BudgetCallback` re-plans the remaining steps from the
measured speed while training and revises the run's one :class:`~bertgui.engine.schedule.Schedule`: the stop
condition and the learning rate follow it, without a jump.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from bertgui.config import RunConfig
from bertgui.engine.data_stage import CorpusStage
from bertgui.engine.folder import CONFIG_FILE, PLAN_FILE
from bertgui.engine.model_stage import ModelStage
from bertgui.engine.plan import Plan
from bertgui.engine.schedule import Schedule
from bertgui.engine.state import RunEnv
from bertgui.events import Progress
from bertgui.files import atomic_write_text
from bertgui.text import text


@dataclass(frozen=True)
class Budget:
    """A time budget's plan: the config it makes (steps, cadence), the plan itself, and its clock."""

    config: RunConfig
    plan: Plan
    deadline: float  # time.time() by which the run must have ended
    planned_at: float  # time.time() when the plan was made


def plan_time_budget(env: RunEnv, config: RunConfig, model: ModelStage, corpus: CorpusStage, output: Path,
                     *, head_s: float = 0.0) -> Budget | None:
    """``training.time_budget`` → steps and cadence, from a few probe steps on this device; None: no budget.

    ``head_s``: the seconds the head phase (fresh heads fitted first) takes out of the budget.
    """
    from bertgui.config import parse_duration
    from bertgui.engine.evaluation import DEFAULT_MAX_SEQUENCES
    from bertgui.engine.plan import plan_budget, probe_throughput
    from bertgui.engine.retrieval import MAX_PASSAGES

    PASSAGE_TOKENS = 64  # noqa: N806 - a passage of the embedding check, about (engine/retrieval.py)

    budget = parse_duration(config.time_budget, name="training.time_budget")
    if budget <= 0:
        return None
    env.emit(Progress("plan", 0, 0, text("Measuring the speed of this model on this machine")))
    probe = corpus.probe
    step_config = _step_config(config, probe, env.world_size)  # batches by tokens: one step's sequences
    step_rows = step_config.batch_size * step_config.gradient_accumulation
    samples = [probe[i] for i in range(min(len(probe), step_rows))]
    speed = probe_throughput(step_config, model.model, model.tokenizer, model.choice.device, samples=samples,
                             cache_dir=env.cache_dir, max_seconds=max(2.0, 0.05 * budget), refresh=True)
    speed.step_s = _same_on_every_rank(speed.step_s)  # every process must plan the same number of steps
    speed.sequences_per_s = speed.batch_size / speed.step_s
    prepared = corpus.prepared
    eval_tokens = prepared.eval.n_tokens if prepared.eval is not None and config.eval_share > 0 else 0
    per_seq = max(1.0, prepared.train.n_tokens / max(1, len(probe)))
    eval_sequences = min(DEFAULT_MAX_SEQUENCES, int(eval_tokens / per_seq) + 1) if eval_tokens else 0
    if eval_tokens:  # the embedding check: up to MAX_PASSAGES short passages, one forward each
        eval_sequences += int(MAX_PASSAGES * PASSAGE_TOKENS / per_seq) + 1
    if corpus.general.path is not None:  # about 4 bytes per token; with replay only the held-out part is measured
        with contextlib.suppress(OSError):
            general_tokens = corpus.general.path.stat().st_size / 4
            held = 0.3 if corpus.general.held_out is not None else 1.0
            eval_sequences += min(DEFAULT_MAX_SEQUENCES, int(held * general_tokens / per_seq) + 1)
    used = time.time() - env.started_at  # loading and preparing already spent part of the budget
    plan = plan_budget(max(1.0, budget - used), speed, len(probe), step_config, eval_sequences=eval_sequences,
                       num_parameters=sum(p.numel() for p in model.model.parameters()), world_size=env.world_size,
                       head_s=head_s)
    plan.budget_s = budget
    changes: dict[str, Any] = {"max_steps": plan.steps, "checkpoint_every": plan.checkpoint_every}
    if config.eval_every:
        changes["eval_every"] = plan.eval_every
    planned = config.replace(**changes)
    env.emit(Progress("plan", 1, 1, text("Time budget: {0}", plan.text())))
    if env.is_main:
        save_planned_config(output, planned)
        atomic_write_text(output / PLAN_FILE, json.dumps({**plan.to_dict(), "throughput": speed.to_dict()}, indent=1))
    return Budget(planned, plan, env.started_at + budget, time.time())


def _step_config(config: RunConfig, probe: Any, world_size: int) -> RunConfig:
    """The config as the planner sees one step: with ``tokens_per_step``, the sequences of one step's worth of
    tokens from the start of the text stand in for a batch (the plan then counts steps of that many tokens)."""
    if not config.tokens_per_step:
        return config
    import numpy as np

    lengths = np.asarray(probe.sequence_lengths(0))
    rows = int(np.searchsorted(np.cumsum(lengths), config.tokens_per_step / max(1, world_size), side="right"))
    return dataclasses.replace(config, batch_size=max(1, rows), gradient_accumulation=1, tokens_per_step=0)


def save_planned_config(output: Path, config: RunConfig) -> None:
    """The run's ``bertgui.toml`` with the plan in it and the budget set back to 0 (a resume continues the plan)."""
    with contextlib.suppress(OSError):
        dataclasses.replace(config, time_budget="0").save(output / CONFIG_FILE)


def _same_on_every_rank(value: float) -> float:
    """Rank 0's value on every process (torchrun); the value itself otherwise."""
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
        return value
    t = torch.tensor([value], dtype=torch.float64)
    if dist.get_backend() == "nccl":
        t = t.cuda()
    dist.broadcast(t, src=0)
    return float(t.item())


# ---------------------------------------------------------------------------------------------- honouring
RAISE_AFTER = 0.25  # share of the planned steps after which the callback may plan more steps (the rate is known)
RAISE_EVERY = 0.10  # ... and then at most once per this share of the plan
RAISE_MIN_GAIN = 0.02  # ... when at least this many more steps fit


class BudgetCallback(TrainerCallback):
    """Holds the run to ``deadline`` (a ``time.time()`` value) by revising ``schedule``.

    The "before" evaluation, which the "after" one repeats, replaces the estimate ``eval_estimate_s`` inside
    ``reserve_s``: measured (``measured_eval_s``, timed by the engine), or else the time from the plan
    (``planned_at``) to the first step, which also holds building the held-out sets (a 10-minute run with the
    general sample ended 67 s early on that over-count).

    After every step it re-plans from the rate of the later half of the steps done so far (the first steps can be a
    cheap head phase, or pay for a cold start): when the planned steps would not end ``reserve_s`` before the
    deadline, the schedule is shortened to what fits; past the point of no return training stops. When the run is
    faster than planned it lengthens the schedule once a quarter of the plan is done, at most once per tenth of it,
    as far as the training data reaches; ``on_raise(steps)`` is told (the engine saves it, so a resume continues that
    plan). Without the raise, 10-minute runs ended at 498-502 s. Either way the learning rate stays continuous
    (:meth:`Schedule.revise`).
    """

    def __init__(self, schedule: Schedule, deadline: float, reserve_s: float, *, min_steps: int = 1,
                 eval_estimate_s: float = 0.0, planned_at: float | None = None,
                 measured_eval_s: float | None = None, on_raise: Callable[[int], None] | None = None) -> None:
        self.schedule = schedule
        self.deadline = deadline
        self.planned_reserve_s = reserve_s
        self.reserve_s = reserve_s
        self.min_steps = min_steps
        self.eval_estimate_s = eval_estimate_s
        self.planned_at = planned_at
        self.measured_eval_s = measured_eval_s
        self.on_raise = on_raise
        self.t0 = time.time()
        self.step0 = 0
        self.times: list[float] = []  # time.time() after each step of this session
        self.replanned_to: int | None = None
        self.stopped_for_budget = False
        self.planned = 0
        self.cap = 0  # the most steps the training data holds (0: never raise)
        self.next_raise = 0
        self.raised: list[tuple[int, int]] = []  # (at step, to steps)

    def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        self.t0, self.step0 = time.time(), state.global_step
        self.times = []
        base = max(0.0, self.planned_reserve_s - self.eval_estimate_s)
        if self.measured_eval_s is not None:  # the "after" evaluation repeats the "before" one
            self.reserve_s = base + self.measured_eval_s
        elif self.planned_at is not None:  # from the plan to the first step: building the sets and "before"
            self.reserve_s = base + (self.t0 - self.planned_at)
        self.planned = int(self.schedule.steps)
        loader = kw.get("train_dataloader")
        accumulation = max(1, int(getattr(args, "gradient_accumulation_steps", 1) or 1))
        try:
            holds = len(loader) // accumulation if loader is not None else 0
        except TypeError:  # an iterable dataset: no length, no raise
            holds = 0
        self.cap = holds - 1 if holds > self.planned else 0  # one pass of the loader: the Trainer's one epoch
        self.next_raise = state.global_step + max(10, math.ceil(RAISE_AFTER * self.planned))

    def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        now = time.time()
        step = state.global_step
        if step - self.step0 <= 0:
            return
        self.times.append(now)
        half = len(self.times) // 2
        if half >= 1:
            per_step = (now - self.times[half - 1]) / (len(self.times) - half)
        else:
            per_step = (now - self.t0) / (step - self.step0)
        left = self.deadline - self.reserve_s - now
        fits = max(step + max(0, int(left // max(per_step, 1e-9))), self.min_steps, step)
        if fits < self.schedule.steps:
            self.schedule.revise(fits, at_step=step)
            self.replanned_to = fits
        elif (self.cap and step >= self.next_raise and fits >= self.schedule.steps * (1 + RAISE_MIN_GAIN)):
            target = min(fits, self.cap)
            if target > self.schedule.steps:
                self.schedule.revise(target, at_step=step)
                self.replanned_to = target
                self.raised.append((step, target))
                if self.on_raise is not None:
                    self.on_raise(target)
            self.next_raise = step + max(1, math.ceil(RAISE_EVERY * self.planned))
        state.max_steps = self.schedule.steps
        if step >= self.schedule.steps or left <= 0:
            control.should_training_stop = True
            self.stopped_for_budget = step < (self.replanned_to or self.schedule.steps) or left <= 0
