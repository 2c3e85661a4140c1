"""``run.json`` following the run: started, paused, running again, checkpoint saved, stopped, finished, failed.

The states are :class:`bertgui.states.RunStatus`; the file's layout is :func:`bertgui.engine.folder.read_run`.
Only the main process writes it; every write is atomic (temporary name, then rename).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from pathlib import Path
from typing import Any

from bertgui.engine.folder import METRICS_FILE, checkpoint_step, new_run_id, write_run
from bertgui.events import CheckpointSaved, Event, Failed, Finished, Progress, StateChanged, event_to_dict
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
    """Where the main process writes a run's events: ``metrics.jsonl``, TensorBoard and ``run.json``."""

    def __init__(self) -> None:
        self.owned = False
        self.metrics: Path | None = None
        self.tensorboard: Any = None
        self.record: Any = None  # bertgui.engine.record.RunRecord
        self.lock: Any = None

    def open(self, opened: Any) -> None:
        self.owned = opened.lock is not None
        self.lock, self.record, self.tensorboard = opened.lock, opened.record, opened.tensorboard
        if self.owned:
            self.metrics = opened.folder.output / METRICS_FILE

    def write(self, ev: Event, step: int) -> None:
        if self.metrics is not None and not isinstance(ev, Progress):
            with contextlib.suppress(OSError), open(self.metrics, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(event_to_dict(ev)) + "\n")
        if self.tensorboard is not None:
            self.tensorboard(ev)
        if self.record is not None:
            self.record.follow(ev, step)

    def planned(self, steps: int) -> None:
        if self.record is not None:
            self.record.planned(steps)

    def trainer_callbacks(self) -> list[Any]:
        return [self.tensorboard.trainer_callback()] if self.tensorboard is not None else []

    def close(self) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None
