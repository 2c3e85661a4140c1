"""``run.json`` following the run: started, paused, running again, checkpoint saved, stopped, finished, failed.

The states are :class:`bertgui.states.RunStatus`; the file's layout is :func:`bertgui.engine.folder.read_run`.
Only the main process writes it; every write is atomic (temporary name, then rename).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import time
from pathlib import Path
from typing import Any

from bertgui.engine.folder import METRICS_FILE, checkpoint_step, new_run_id, write_run
from bertgui.events import (
    CheckpointSaved,
    Event,
    Failed,
    Finished,
    Progress,
    StateChanged,
    StepMetrics,
    event_to_dict,
)
from bertgui.states import Phase, RunStatus, recorded_state


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


class RunRecord:
    """The run's ``run.json``, held by the process that owns the run folder."""

    def __init__(self, output: Path, earlier: dict[str, Any], *, resume_dir: str | None, planned_steps: int,
                 kind: str) -> None:
        import socket

        from bertgui import __version__

        self.output = output
        stamp = now()
        info = dict(earlier) if resume_dir else {}
        info.update({"format": 1, "id": info.get("id") or new_run_id(), "created": info.get("created") or stamp,
                     "updated": stamp, "state": str(RunStatus.RUNNING),
                     "step": checkpoint_step(resume_dir) if resume_dir else 0, "planned_steps": planned_steps,
                     "bertgui_version": __version__, "pid": os.getpid(), "host": socket.gethostname(),
                     "failure": None})
        info["sessions"] = [*info.get("sessions", []), {
            "kind": kind, "at": stamp, "from_step": info["step"], "planned_steps": planned_steps,
            "checkpoint": Path(resume_dir).name if resume_dir else None}]
        self.info = info
        self.write()

    @property
    def run_id(self) -> str:
        return str(self.info["id"])

    def write(self) -> None:
        with contextlib.suppress(OSError):
            write_run(self.output, self.info)

    def planned(self, steps: int) -> None:
        """The plan changed (the time budget planned it, or re-planned it while training)."""
        if self.info.get("planned_steps") != steps:
            self.info["planned_steps"] = self.info["sessions"][-1]["planned_steps"] = int(steps)
            self.write()

    def follow(self, ev: Event, step: int) -> None:
        """Record what ``ev`` means for the run's state (``step``: the run's current step)."""
        state: RunStatus | None = None
        if isinstance(ev, StateChanged):
            state = recorded_state(Phase(ev.state)) if ev.state in Phase._value2member_map_ else None
        elif isinstance(ev, CheckpointSaved):
            state = RunStatus.read(self.info["state"])
        elif isinstance(ev, Finished):
            state = RunStatus.STOPPED if ev.stopped else RunStatus.FINISHED
        elif isinstance(ev, Failed):
            state = RunStatus.FAILED
            self.info["failure"] = {"message": str(ev.message), "kind": ev.kind}
        if state is None:
            return
        self.info["state"] = str(state)
        self.info["step"] = step if isinstance(ev, Failed) else max(int(getattr(ev, "step", 0) or 0), step)
        self.info["updated"] = now()
        self.write()


class EventSinks:
    """Where the main process writes a run's events: ``metrics.jsonl``, TensorBoard and ``run.json``.

    A resumed run's log is trimmed to its checkpoint only once the Trainer has loaded that checkpoint (a resume
    that fails before, on a damaged file say, keeps the whole history). A run folder that disappears while the run
    writes into it stops the run with that said, instead of a TensorBoard thread's traceback.
    """

    def __init__(self) -> None:
        self.owned = False
        self.output: Path | None = None
        self.metrics: Path | None = None
        self.tensorboard: Any = None
        self.record: Any = None  # bertgui.engine.record.RunRecord
        self.lock: Any = None
        self.trim_at: int | None = None  # a resume: the checkpoint's step, trimmed to at the start of training
        self.gone = False

    def open(self, opened: Any) -> None:
        self.owned = opened.lock is not None
        self.lock, self.record, self.tensorboard = opened.lock, opened.record, opened.tensorboard
        if self.owned:
            self.output = opened.folder.output
            self.metrics = opened.folder.output / METRICS_FILE
            if opened.folder.resume_dir:
                self.trim_at = opened.folder.resumed_step

    def write(self, ev: Event, step: int) -> None:
        if self.output is not None and not self.gone and isinstance(ev, (StepMetrics, CheckpointSaved)):
            self._check_folder()
        if self.metrics is not None and not isinstance(ev, Progress):
            with contextlib.suppress(OSError), open(self.metrics, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(event_to_dict(ev)) + "\n")
        if self.tensorboard is not None:
            try:
                self.tensorboard(ev)
            except OSError:  # its folder went: the run's own figures are in metrics.jsonl
                self.tensorboard = None
        if self.record is not None:
            self.record.follow(ev, step)

    def _check_folder(self) -> None:
        from bertgui.engine.failures import folder_gone

        if self.output is not None and folder_gone(self.output):
            self.gone = True
            self.close_writers()
            raise FileNotFoundError(errno.ENOENT, "the run folder disappeared", str(self.output))

    def close_writers(self) -> None:
        """Nothing more is written into the folder (it disappeared)."""
        if self.tensorboard is not None:
            with contextlib.suppress(Exception):
                self.tensorboard.close()
        self.tensorboard = self.metrics = self.record = None

    def planned(self, steps: int) -> None:
        if self.record is not None:
            self.record.planned(steps)

    def trainer_callbacks(self) -> list[Any]:
        out = [self.tensorboard.trainer_callback()] if self.tensorboard is not None else []
        if self.trim_at is not None and self.output is not None:
            out.append(_trim_on_start(self.output, self.trim_at))
        return out

    def close(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _trim_on_start(output: Path, step: int) -> Any:
    """A TrainerCallback: at the start of training (the checkpoint loaded), drop the log's events past ``step``."""
    from transformers import TrainerCallback

    from bertgui.engine.folder import trim_metrics

    class TrimOnStart(TrainerCallback):
        def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            trim_metrics(output, step)

    return TrimOnStart()
