"""How far a run got, read from its events: its last step and final plan, and when each event happened.

WHY here and not in the run's record: ``run.json`` holds the plan a session started with; a time-budget run
re-plans while it trains, and a stopped run's last step can lie past its last checkpoint. The Runs table,
``bertgui runs``, the Train page after reopening and the model card read the truth from the events.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from bertgui.events import Event, Finished, RunStarted, StepMetrics


def training_duration(events: list[Event]) -> float:
    """Training time over all sessions: each session (from one RunStarted to the next) adds its last clock."""
    total, session = 0.0, 0.0
    for ev in events:
        if isinstance(ev, RunStarted):
            total, session = total + session, 0.0
        elif isinstance(ev, (StepMetrics, Finished)):
            session = max(session, float(ev.elapsed_s or 0.0))
    return total + session


@dataclass(frozen=True)
class RunProgress:
    """How far a run got and the plan it ended under: the last step trained and the steps its last plan counted."""

    step: int
    planned: int


def run_progress(events: list[Event], data: dict[str, Any], checkpoint: int = 0,
                 configured: int = 0) -> RunProgress:
    """The run's last step and final plan, from its own events first; ``run.json`` and checkpoints only fill gaps.

    WHY the events first: a time-budget run re-plans its steps while it trains (``StepMetrics.total_steps`` follows),
    while ``run.json`` kept the first plan ("24 / 13"); and the newest checkpoint is often steps behind the last
    step trained ("48 of 61" for a run that ended at 55). The events are read in the order they were written, so a
    later session (resume, train further) wins over an earlier one. A finished run that was not stopped did its
    whole plan: its last step is the plan (a budget run's last re-plan can overshoot the steps it had time for).
    """
    step = plan = 0
    finished = False
    for ev in events:
        if isinstance(ev, RunStarted):
            plan, finished = int(ev.total_steps or plan), False
        elif isinstance(ev, StepMetrics):
            step, plan, finished = int(ev.step), int(ev.total_steps or plan), False
        elif isinstance(ev, Finished):
            step, finished = max(step, int(ev.step)), not ev.stopped
    step = step or _int(data.get("step")) or checkpoint
    plan = plan or _int(data.get("planned_steps")) or configured
    if finished and step:
        plan = step
    return RunProgress(step=step, planned=plan)


def event_clocks(events: list[Event], data: dict[str, Any]) -> list[float | None]:
    """When each event happened (seconds since the epoch), estimated from ``run.json``'s session starts plus the
    run clock (``elapsed_s``) of the steps before it; None where the folder does not say.

    WHY: a window reopened later replays the run's evaluations into its log; stamped with the time of the replay,
    a run of 14:11–14:15 read as if it happened at 14:18. ``metrics.jsonl`` lines carry no wall time, the
    sessions in ``run.json`` do (each ``RunStarted`` is one session, in order).
    """
    starts = [_epoch(s.get("at")) for s in data.get("sessions", []) if isinstance(s, dict)]
    out: list[float | None] = []
    session, elapsed = 0, 0.0
    base = starts[0] if starts else None
    seen_start = False
    for ev in events:
        if isinstance(ev, RunStarted):
            if seen_start:
                session += 1
            seen_start, elapsed = True, 0.0
            base = starts[session] if session < len(starts) else None
        elif isinstance(ev, (StepMetrics, Finished)):
            elapsed = max(elapsed, float(ev.elapsed_s or 0.0))
        out.append(base + elapsed if base is not None else None)
    return out


def _epoch(stamp: Any) -> float | None:
    try:
        moment = _dt.datetime.strptime(str(stamp), "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            moment = _dt.datetime.fromisoformat(str(stamp))
        except ValueError:
            return None
    return moment.timestamp()


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
