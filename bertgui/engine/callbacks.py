"""The bridge from ``Trainer`` hooks to bertgui events: step metrics, pause/stop, NaN guard, checkpoints.

WHY a TrainerCallback: ``on_step_end`` runs after every optimizer step on every process, so pause and stop are
honoured within one step without touching the Trainer's loop, and ``should_save`` at stop gives a resumable
checkpoint through the Trainer's own saving code (optimizer, scheduler, RNG and data position included).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from bertgui.engine.counters import Counters
from bertgui.engine.device import device_memory
from bertgui.engine.schedule import Schedule
from bertgui.errors import BertguiError
from bertgui.events import CheckpointSaved, Control, Event, StateChanged, StepMetrics
from bertgui.states import Phase
from bertgui.text import text


class NonFiniteLoss(BertguiError):
    def __init__(self, step: int, value: float, learning_rate: float) -> None:
        super().__init__(
            text("The loss became {0} at step {1}: training diverged.", value, step),
            text("Lower the learning rate (now {0:g}; try {1:g}), keep warmup on, and keep gradient clipping "
                 "(max_grad_norm) on.", learning_rate, learning_rate / 10))
        self.step = step


class EventCallback(TrainerCallback):
    """Steps → ``StepMetrics``, pause/stop honoured after each step, evaluation at the schedule's cadence."""

    def __init__(self, emit: Callable[[Event], None], control: Control, *, is_main: bool, device: str,
                 learning_rate: float, schedule: Schedule, counters: Counters,
                 epoch_of_step: Callable[[int], float], evaluate: Callable[[int], None] | None = None) -> None:
        self.emit = emit
        self.ctl = control
        self.is_main = is_main
        self.device = device
        self.learning_rate = learning_rate
        self.schedule = schedule
        self.counters = counters
        self.epoch_of_step = epoch_of_step
        self.evaluate = evaluate
        self.stopped = False
        self.start_time = time.perf_counter()
        self.start_step = 0
        self.last_time = self.start_time
        self.last_checkpoint = ""

    @property
    def real_tokens(self) -> int:
        return self.counters.real_tokens

    def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        self.start_time = self.last_time = time.perf_counter()
        self.start_step = state.global_step
        self.counters.last_logged_step = state.global_step
        if self.is_main:
            self.emit(StateChanged(Phase.TRAINING, state.global_step))

    def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        self._honour(args, state, control)
        every = self.schedule.eval_every
        if (not self.stopped and self.evaluate is not None and every
                and state.global_step % every == 0 and state.global_step < self.schedule.steps):
            self.evaluate(state.global_step)

    def _honour(self, args: Any, state: Any, control: Any) -> None:
        """Pause and stop, checked after the optimizer step and again after its metrics were reported."""
        if self.stopped:
            return
        if self.ctl.paused and not self.ctl.stop_requested:
            if self.is_main:
                self.emit(StateChanged(Phase.PAUSED, state.global_step))
            paused_at = time.perf_counter()
            while not self.ctl.wait_while_paused(0.2):
                pass
            self.start_time += time.perf_counter() - paused_at  # paused time is not training time
            self.last_time = time.perf_counter()
            if not self.ctl.stop_requested and self.is_main:
                self.emit(StateChanged(Phase.TRAINING, state.global_step))
        if state.global_step < self.schedule.steps and _any_rank(self.ctl.stop_requested, args):
            self.stopped = True
            control.should_training_stop = True
            control.should_save = True
            if self.is_main:
                self.emit(StateChanged(Phase.STOPPING, state.global_step))

    def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, float] | None = None,
               **kw: Any) -> None:
        if not logs or "loss" not in logs:
            return
        step = state.global_step
        loss = float(logs["loss"])
        if not math.isfinite(loss):
            raise NonFiniteLoss(step, loss, self.learning_rate)
        now = time.perf_counter()
        tokens = int(logs.get("real_tokens", 0))  # already added to the counters by the trainer's log
        interval = max(now - self.last_time, 1e-9)
        self.last_time = now
        elapsed = now - self.start_time
        done = step - self.start_step
        total = self.schedule.steps
        eta = elapsed / done * (total - step) if done > 0 else None
        if self.is_main:
            self.emit(StepMetrics(
                step=step, total_steps=total, epoch=self.epoch_of_step(step), loss=loss,
                mlm_loss=float(logs.get("mlm_loss", loss)), nsp_loss=logs.get("nsp_loss"),
                learning_rate=float(logs.get("learning_rate", 0.0)), grad_norm=logs.get("grad_norm"),
                tokens_per_second=tokens / interval, real_tokens=self.counters.real_tokens, elapsed_s=elapsed, eta_s=eta,
                device_memory_bytes=device_memory(self.device)))
        self._honour(args, state, control)

    def on_save(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
        path = Path(args.output_dir) / f"checkpoint-{state.global_step}"
        self.last_checkpoint = str(path)
        if self.is_main:
            if path.is_dir():  # what the Trainer's state lacks, for a resume to continue the counters and schedule
                tokens = self.counters.real_tokens
                if getattr(args, "world_size", 1) == 1:  # the steps since the last log (log_every > 1)
                    tokens += self.counters.pending_tokens()
                save_state(path, {"real_tokens": tokens, "schedule_steps": self.schedule.length,
                                  "schedule": self.schedule.to_dict()})
            self.emit(CheckpointSaved(state.global_step, str(path)))


def save_state(checkpoint: Path, data: dict[str, Any]) -> None:
    import json
    import os

    from bertgui.engine.folder import STATE_FILE

    partial = checkpoint / f".{STATE_FILE}.tmp"
    partial.write_text(json.dumps(data), encoding="utf-8")
    os.replace(partial, checkpoint / STATE_FILE)


def _any_rank(flag: bool, args: Any) -> bool:
    """In distributed runs every process must stop at the same step, or the others wait forever."""
    if getattr(args, "world_size", 1) <= 1:
        return flag
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()):
        return flag
    t = torch.tensor([1.0 if flag else 0.0], device=args.device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item() > 0)
