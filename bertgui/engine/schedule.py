"""The run's schedule: how many steps, the learning-rate curve over them, and the checkpoint/evaluation cadence.

WHY one object: a time-budget run changes its length while it trains (the planner re-plans from the measured
speed). Before, the new length was written into transformers' scheduler partials, ``state.max_steps``, the config
and the training arguments, each by a different hand, and the learning rate jumped when the length changed (about
12e-6 → 38e-6 in one step when the plan grew from 13 to 24 steps). Here the planner revises one ``Schedule``;
the learning-rate function (a pure function of the step, as nanoGPT's ``get_lr``), the Trainer's stop condition
(:class:`ScheduleCallback`) and the checkpoint cadence read it.

A revision after the warm-up re-plans the decay *from the current rate* to zero over the remaining steps, so the
rate is continuous and never steps upward. The schedule is saved in every checkpoint (``bertgui_state.json``) and
restored on resume, revisions included.

Steps here are the schedule's own: a "train further" session has a fresh schedule that starts at the run's step
``offset`` (its scheduler counts from 0 there); otherwise ``offset`` is 0 and the scheduler's step is the run's.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

SHAPES = ("linear", "cosine", "constant_with_warmup")


@dataclass
class Schedule:
    steps: int  #: the run's planned optimizer steps in all (the stop condition), counted from step 0 of the run
    warmup_steps: int = 0  #: steps of linear warm-up from 0, counted from ``offset``
    shape: str = "linear"  #: the decay after warm-up (``training.schedule``)
    checkpoint_every: int = 0  #: 0: none during training
    eval_every: int = 0  #: 0: no evaluation during training
    offset: int = 0  #: the run's step at which this schedule starts (train further); 0 otherwise
    anchor_step: int = -1  #: a revision: from this schedule step on, decay from ``anchor_factor`` (-1: none)
    anchor_factor: float = 1.0

    @classmethod
    def plan(cls, steps: int, *, warmup_ratio: float, shape: str = "linear", checkpoint_every: int = 0,
             eval_every: int = 0, offset: int = 0) -> Schedule:
        """A schedule of ``steps`` in all; warm-up as transformers counts it (``ceil(ratio × length)``)."""
        if shape not in SHAPES:
            raise ValueError(f"unknown learning-rate schedule {shape!r} (one of {', '.join(SHAPES)})")
        length = max(1, int(steps) - int(offset))
        warmup = math.ceil(float(warmup_ratio) * length) if warmup_ratio < 1 else int(warmup_ratio)
        return cls(steps=int(steps), warmup_steps=min(warmup, length), shape=shape,
                   checkpoint_every=int(checkpoint_every), eval_every=int(eval_every), offset=int(offset))

    @property
    def length(self) -> int:
        """Steps of this schedule (from ``offset`` to ``steps``)."""
        return max(1, self.steps - self.offset)

    # ------------------------------------------------------------------------------------------ the rate
    def factor(self, i: int) -> float:
        """The learning-rate multiplier after ``i`` optimizer steps of this schedule (a pure function of ``i``)."""
        i = max(0, int(i))
        if i < self.warmup_steps:
            return i / max(1, self.warmup_steps)
        if self.shape == "constant_with_warmup":
            return 1.0
        start, top = self.warmup_steps, 1.0
        if self.anchor_step >= 0 and i >= self.anchor_step:
            start, top = self.anchor_step, self.anchor_factor
        span = self.length - start
        if span <= 0:
            return 0.0
        progress = min(1.0, (i - start) / span)
        if self.shape == "cosine":
            return top * 0.5 * (1.0 + math.cos(math.pi * progress))
        return top * (1.0 - progress)

    # ------------------------------------------------------------------------------------------ the planner's
    def revise(self, steps: int, *, at_step: int) -> None:
        """A new length (run steps in all) decided after ``at_step`` run steps; the rate stays continuous.

        In the warm-up only the length changes (the warm-up does not depend on it). After it, the decay starts
        again from the rate at ``at_step`` and reaches zero at the new end.
        """
        steps = max(int(steps), int(at_step))
        i = int(at_step) - self.offset
        if i > self.warmup_steps:
            self.anchor_factor = self.factor(i)
            self.anchor_step = i
        self.steps = steps
        if self.checkpoint_every > self.length:
            self.checkpoint_every = self.length

    # ------------------------------------------------------------------------------------------ on disk
    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Schedule:
        names = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in names})


def lr_scheduler(optimizer: Any, schedule: Schedule) -> Any:
    """A ``LambdaLR`` that reads ``schedule`` at every step (so a revision takes effect at the next step).

    A plain function, not the bound method, so ``LambdaLR.state_dict`` stores only its step count, never the
    schedule (which the checkpoint's ``bertgui_state.json`` holds).
    """
    from torch.optim.lr_scheduler import LambdaLR

    def factor(i: int) -> float:
        return schedule.factor(i)

    return LambdaLR(optimizer, factor)


def schedule_callback(schedule: Schedule) -> Any:
    """A TrainerCallback that makes the Trainer's stop condition and checkpoint cadence follow ``schedule``.

    Put it after every callback that revises the schedule: the Trainer's own flow callback runs first and reads
    ``state.max_steps`` as it was, so the end of a shortened run is decided here (with a last checkpoint, as the
    Trainer's flow does at its planned end).
    """
    from transformers import TrainerCallback

    class ScheduleCallback(TrainerCallback):
        def _follow(self, args: Any, state: Any) -> None:
            state.max_steps = schedule.steps
            if schedule.checkpoint_every > 0:
                state.save_steps = schedule.checkpoint_every
                args.save_steps = schedule.checkpoint_every

        def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self._follow(args, state)

        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self._follow(args, state)
            if state.global_step >= schedule.steps and not control.should_training_stop:
                control.should_training_stop = True
                control.should_save = True

    return ScheduleCallback()
