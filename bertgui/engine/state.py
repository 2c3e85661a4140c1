"""One run's state in one place: what the stages produced, what the Trainer and callbacks share, the run's record.

WHY (Lightning's ``trainer/states.py``, nanoGPT's one checkpoint dict): the engine used to hold about 25
attributes, some created late by the stage that needed them and read back elsewhere with ``getattr`` defaults.
Here every field exists from the start; a stage's result is a value (``Folder``, ``ModelStage``, ``DataStage``,
``Evaluation``) that the orchestration in :mod:`bertgui.engine.run` hands on, and is kept here only so that a
failure, a stop and the result can see how far the run got.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bertgui.config import RunConfig
from bertgui.engine.counters import Counters
from bertgui.events import Control, EvalMetrics, Event


@dataclass(frozen=True)
class RunEnv:
    """Where the run happens and how it talks: fixed for the whole run."""

    emit: Callable[[Event], None]
    control: Control
    rank: int = 0
    local_rank: int = 0
    world_size: int = 1
    cache_dir: str | Path | None = None
    num_proc: int | None = None
    started_at: float = field(default_factory=time.time)  # time.time() at the start: the budget's clock

    @property
    def is_main(self) -> bool:
        return self.rank == 0


@dataclass(frozen=True)
class Folder:
    """What opening the run folder decided: where, and what a resume continues from."""

    output: Path
    resume_dir: str | None = None  # the checkpoint this session continues (None: a new run)
    resumed_step: int = 0
    resume_tokens: int = 0  # real tokens trained up to that checkpoint
    saved_schedule: dict[str, Any] | None = None  # the checkpoint's schedule (revisions included)
    train_further: int = 0  # N more steps for a finished run, with a fresh optimizer and schedule
    run_id: str = ""
    finish_only: bool = False  # every step trained, the end never recorded (killed while the final model was written)


@dataclass
class RunState:
    """The mutable part of one run, fully initialised; stages fill it in order."""

    config: RunConfig  # the engine's own copy: the caller's config is never changed
    folder: Folder | None = None
    model: Any = None  # ModelStage
    data: Any = None  # DataStage
    evaluation: Any = None  # Evaluation
    schedule: Any = None  # Schedule
    plan: Any = None  # the time-budget Plan, or None
    heads: Any = None  # what the head phase did (a dict for the summary), or None
    counters: Counters = field(default_factory=Counters)
    trainer: Any = None  # the PretrainingTrainer, once built
    training_started: bool = False  # the Trainer's loop began (a stop from here on ends with a checkpoint)
    evals: list[EvalMetrics] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    learning_rate: float = 0.0  # the whole model's peak rate (× headless_lr_scale for a base without MLM head)

    @property
    def step(self) -> int:
        if self.trainer is not None:
            return int(self.trainer.state.global_step)
        return self.folder.resumed_step if self.folder is not None else 0
