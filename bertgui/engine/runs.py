"""The runs of a workspace, read back for a person: what each one trained, how far it got, what it changed.

WHY a module of its own (headless, no Qt, no torch): the window's Runs page and ``bertgui runs`` show the same
list, and both must survive whatever a disk holds — a folder from an older bertgui without ``run.json``, a
``metrics.jsonl`` whose last line was cut by a power failure, a folder deleted while it is being read. Every
reader here returns what it could read plus a list of problems; nothing raises for a damaged run.

A workspace is a folder of run folders, one per run, named so a person can read them
(``2026-12-01 10-12 meditations · all-MiniLM-L6-v2``); :func:`new_run_folder` picks such a name.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bertgui.config import RunConfig
from bertgui.engine.folder import (
    CONFIG_FILE,
    FINAL_MODEL_DIR,
    METRICS_FILE,
    checkpoint_step,
    complete_checkpoints,
    is_run_folder,
    lock_holder,
    read_run,
    run_state,
)
from bertgui.engine.progress import RunProgress, event_clocks, run_progress, training_duration
from bertgui.engine.workspace import (
    NAME_LIMIT,
    WORKSPACE_DIR,
    RunFolderError,
    default_workspace,
    delete_run,
    documents_folder,
    model_name,
    new_run_folder,
    safe_name,
)
from bertgui.errors import BertguiError
from bertgui.events import EvalMetrics, Event, Finished, RunStarted, StepMetrics, event_from_dict
from bertgui.states import RunStatus
from bertgui.text import text

__all__ = ["NAME_LIMIT", "WORKSPACE_DIR", "RunFolderError", "RunInfo", "RunProgress", "default_workspace",
           "delete_run", "documents_folder", "event_clocks", "list_runs", "model_name", "new_run_folder",
           "read_events", "run_info", "run_progress", "safe_name"]

@dataclass
class RunInfo:
    """One run as the Runs page and ``bertgui runs`` show it; fields are empty/None when the folder does not say."""

    folder: Path
    name: str
    id: str = ""
    state: str = RunStatus.UNKNOWN
    base_model: str = ""
    corpus: str = ""
    mode: str = ""
    steps_done: int = 0
    steps_planned: int = 0
    duration_s: float = 0.0
    created: str = ""  # ISO 8601, local time
    perplexity_before: float | None = None  # held-out text of the corpus
    perplexity_after: float | None = None
    general_before: float | None = None  # the general-text file, when the run had one
    general_after: float | None = None
    final_model: str = ""
    last_checkpoint: str = ""
    holder: str = ""  # "pid host" of the process working on it, when one is
    budget: str = ""  # the run's time budget ("20m"), "" when its length was set in steps or passes
    problems: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        """A name that tells runs apart when they are compared: base model, mode, length, start time.

        WHY: two runs on one corpus from one base folder had the same folder name but for the minute
        ("… jargon300k · model"), and a legend of names that differ in their middle reads as one run twice.
        """
        mode = {"mlm+nsp": "MLM+NSP", "mlm": "MLM"}.get(self.mode, self.mode)
        length = self.budget or (f"{self.steps_planned} steps" if self.steps_planned else "")
        when = self.created[5:16].replace("T", " ") if len(self.created) >= 16 else ""
        return " · ".join(p for p in (model_name(self.base_model) or self.name, mode, length, when) if p)

    @property
    def general_change(self) -> float | None:
        """Relative change of the general-text perplexity (+0.05 = 5 % worse): the cost of domain training."""
        if self.general_before and self.general_after is not None:
            return self.general_after / self.general_before - 1.0
        return None

    @property
    def config_path(self) -> Path:
        return self.folder / CONFIG_FILE

    def to_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "name": self.name, "id": self.id, "state": self.state,
                "base_model": self.base_model, "corpus": self.corpus, "mode": self.mode,
                "steps_done": self.steps_done, "steps_planned": self.steps_planned,
                "duration_s": round(self.duration_s, 1), "created": self.created,
                "perplexity_before": self.perplexity_before, "perplexity_after": self.perplexity_after,
                "general_before": self.general_before, "general_after": self.general_after,
                "general_change": self.general_change, "final_model": self.final_model,
                "last_checkpoint": self.last_checkpoint, "holder": self.holder, "problems": list(self.problems)}


# ---------------------------------------------------------------------------------------------- reading
STEP_MARK = b'"event": "step_metrics"'  # how a step's line starts (event_to_dict puts "event" first)


def _parse(line: bytes) -> Event | None:
    try:
        return event_from_dict(json.loads(line.decode("utf-8", errors="replace")))
    except (ValueError, KeyError, TypeError):
        return None


def read_events(folder: Path, problems: list[str], *, live: bool = False) -> list[Event]:
    """The events a run's summary needs: every event but the steps, and of the steps only each session's last.

    WHY not ``read_metrics``: a long run logs millions of step lines (200 MB), and the list only needs the last
    step of each session (its step, planned steps and clock). The file is streamed and a step line is parsed only
    when it is such a last one, so memory stays flat and ``bertgui runs`` stays quick.

    A line that does not parse is a problem (cut or damaged) — except the last line of a ``live`` run when it has
    no line end yet: that line is being written.
    """
    path = folder / METRICS_FILE
    events: list[Event] = []
    damaged = 0
    pending: bytes | None = None  # the latest step line of the current session, parsed when the session ends

    def flush() -> None:
        nonlocal pending, damaged
        if pending is not None:
            ev = _parse(pending)
            if ev is None:
                damaged += 1
            else:
                events.append(ev)
            pending = None

    try:
        with open(path, "rb") as fh:
            for raw in fh:
                line = raw.strip()
                if not line:
                    continue
                ended = raw.endswith(b"\n")
                if ended and line.startswith(b"{") and STEP_MARK in line[:64]:
                    pending = line
                    continue
                ev = _parse(line)
                if ev is None:
                    if ended or not live:
                        damaged += 1
                    continue
                if isinstance(ev, RunStarted):
                    flush()
                elif isinstance(ev, StepMetrics):  # an unterminated step line that parses: the last one
                    pending = None
                events.append(ev)
    except FileNotFoundError:
        return events
    except OSError as exc:
        problems.append(str(text("Cannot read {0}: {1}.", METRICS_FILE, exc.strerror or exc)))
        return events
    flush()  # the last session's last step (its place within the session does not matter to the summary)
    if damaged:
        problems.append(str(text("{0} line(s) of {1} could not be read (cut or damaged); they are skipped.",
                                 damaged, METRICS_FILE)))
    return events


def _config(folder: Path, problems: list[str]) -> RunConfig | None:
    path = folder / CONFIG_FILE
    if not path.exists():
        return None
    try:
        return RunConfig.load(path)
    except BertguiError as exc:
        problems.append(str(exc.message))
        return None


def _corpus_name(paths: list[str]) -> str:
    names = [Path(p).stem or Path(p).name for p in paths]
    if not names:
        return ""
    return names[0] if len(names) == 1 else f"{names[0]} +{len(names) - 1}"


def run_info(folder: str | Path) -> RunInfo:
    """Everything the folder says about its run; damaged or missing parts become ``problems``, never exceptions."""
    path = Path(folder)
    info = RunInfo(folder=path, name=path.name)
    if not path.is_dir():
        info.state = RunStatus.MISSING
        info.problems.append(str(text("The folder {0} no longer exists (moved or deleted).", path)))
        return info
    data = read_run(path)
    if data is None:
        if (path / "run.json").exists():
            info.problems.append(str(text("run.json cannot be read; the state is inferred from the files.")))
        else:
            info.problems.append(str(text("Made by an older bertgui (no run.json); the state is inferred.")))
    data = data or {}
    holder = lock_holder(path) or ""
    events = read_events(path, info.problems, live=bool(holder))
    config = _config(path, info.problems)
    info.id = str(data.get("id", ""))
    info.holder = holder
    info.state = run_state(path)
    info.created = str(data.get("created", "")) or _mtime(path)
    if config is not None:
        info.base_model, info.corpus = config.model, _corpus_name(config.corpus)
        info.mode = "mlm+nsp" if config.nsp else "mlm"
        info.budget = "" if str(config.time_budget).strip() in ("", "0") else str(config.time_budget)
    starts = [ev for ev in events if isinstance(ev, RunStarted)]
    if starts:
        info.mode = starts[-1].mode
    ckpts = complete_checkpoints(path)
    if ckpts:
        info.last_checkpoint = str(ckpts[-1])
    progress = run_progress(events, data, checkpoint_step(ckpts[-1]) if ckpts else 0,
                            config.max_steps if config else 0)
    info.steps_done, info.steps_planned = progress.step, progress.planned
    info.duration_s = training_duration(events)
    _evaluations(info, [ev for ev in events if isinstance(ev, EvalMetrics)])
    if (path / FINAL_MODEL_DIR / "config.json").is_file():
        info.final_model = str(path / FINAL_MODEL_DIR)
    if not data and not info.holder:  # no run.json: the files say how it ended
        info.state = _inferred_state(info, events)
    if info.state == RunStatus.INTERRUPTED and 0 < info.steps_planned <= info.steps_done:
        info.problems.append(str(text("Interrupted after its last step, while its final model was written: resume "
                                      "finishes it without training further.")))
    return info


def _evaluations(info: RunInfo, evals: list[EvalMetrics]) -> None:
    def first(split: str, when: str) -> float | None:
        found = [e.perplexity for e in evals if e.split == split and e.when == when]
        return float(found[0]) if found and when == "before" else (float(found[-1]) if found else None)

    info.perplexity_before, info.perplexity_after = first("eval", "before"), first("eval", "after")
    info.general_before, info.general_after = first("general", "before"), first("general", "after")


def _inferred_state(info: RunInfo, events: list[Event]) -> str:
    """An older bertgui's folder: finished when it has a final model and no stop, otherwise what it shows."""
    ends = [ev for ev in events if isinstance(ev, Finished)]
    if ends:
        return RunStatus.STOPPED if ends[-1].stopped else RunStatus.FINISHED
    if info.final_model:
        return RunStatus.FINISHED
    return RunStatus.INTERRUPTED if info.last_checkpoint or events else RunStatus.UNKNOWN


def _mtime(path: Path) -> str:
    try:
        stamp = (path / METRICS_FILE).stat().st_mtime if (path / METRICS_FILE).exists() else path.stat().st_mtime
    except OSError:
        return ""
    return _dt.datetime.fromtimestamp(stamp).isoformat(timespec="seconds")


def list_runs(workspace: str | Path) -> list[RunInfo]:
    """Every run folder directly under ``workspace``, newest first; an unreadable workspace is an empty list."""
    root = Path(workspace)
    try:
        children = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    except OSError:
        return []
    runs = []
    for child in children:
        try:
            if is_run_folder(child):
                runs.append(run_info(child))
        except OSError:  # vanished between listing and reading
            continue
    return sorted(runs, key=lambda r: (r.created, r.name), reverse=True)


# ---------------------------------------------------------------------------------------------- creating
