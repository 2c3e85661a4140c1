"""The runs of a workspace, read back for a person: what each one trained, how far it got, what it changed.

WHY a module of its own (headless, no Qt, no torch): the window's Runs page and ``bertgui runs`` show the same
list, and both must survive whatever a disk holds — a folder from an older bertgui without ``run.json``, a
``metrics.jsonl`` whose last line was cut by a power failure, a folder deleted while it is being read. Every
reader here returns what it could read plus a list of problems; nothing raises for a damaged run.

A workspace is a folder of run folders, one per run, named so a person can read them
(``2026-12-01 10-12 meditations · all-MiniLM-L6-v2``); :func:`new_run_folder` picks such a name.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

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
from bertgui.errors import BertguiError
from bertgui.events import EvalMetrics, Event, Finished, RunStarted, StepMetrics, event_from_dict
from bertgui.states import RunStatus
from bertgui.text import text

NAME_LIMIT = 120  # characters of a run folder's name: far below every file system's limit, readable in a list
UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')  # not allowed in a file name on Windows (and "/" anywhere)


class RunFolderError(BertguiError):
    """A run folder that cannot be created, moved to the trash or read."""


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


GENERIC_FOLDERS = {"model", "models", "final-model", "base", "checkpoint", "snapshot", "weights", "hf"}
CARD_TITLE_CHARS = 60


def model_name(model: str) -> str:
    """The short name of a base model: the name its folder's own model card gives it, else the last part of its
    path or hub id (the folder above for a folder named ``model``, the model for a Hugging Face cache snapshot).

    WHY: all-MiniLM-L6-v2 installed as a package lives in a folder called ``model``; runs named after that folder
    all read "… · model".
    """
    model = model.rstrip("/\\")
    if not model:
        return ""
    parts = re.split(r"[/\\]", model)
    with contextlib.suppress(OSError):
        folder = Path(model).expanduser()
        if folder.is_dir():
            title = _card_title(folder / "README.md")
            if title:
                return title
    if len(parts) >= 3 and parts[-2] == "snapshots" and parts[-3].startswith("models--"):
        return parts[-3].split("--")[-1]
    if parts[-1].lower() in GENERIC_FOLDERS and len(parts) > 1 and parts[-2]:
        return parts[-2]
    return parts[-1]


def _card_title(path: Path) -> str:
    """The first ``# Title`` of a model card (after its front matter), when short enough to be a name."""
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            body = fh.read(65536)
    except OSError:
        return ""
    if body.startswith("---"):
        end = body.find("\n---", 3)
        body = body[end + 4:] if end >= 0 else ""
    title = next((ln[2:].strip() for ln in body.splitlines() if ln.startswith("# ")), "")
    return title if 0 < len(title) <= CARD_TITLE_CHARS else ""


def _duration(events: list[Event]) -> float:
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
    info.duration_s = _duration(events)
    _evaluations(info, [ev for ev in events if isinstance(ev, EvalMetrics)])
    if (path / FINAL_MODEL_DIR / "config.json").is_file():
        info.final_model = str(path / FINAL_MODEL_DIR)
    if not data and not info.holder:  # no run.json: the files say how it ended
        info.state = _inferred_state(info, events)
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
def safe_name(name: str) -> str:
    """A folder name every common file system takes: no reserved characters, no trailing dot or space."""
    name = UNSAFE.sub("-", name).strip().rstrip(". ")
    return name[:NAME_LIMIT].rstrip(". ") or "run"


def new_run_folder(workspace: str | Path, corpus_name: str, model: str, now: _dt.datetime | None = None) -> Path:
    """Create and return a new, empty run folder under ``workspace`` named after the time, corpus and model.

    A name already taken (two runs in one minute) gets `` (2)``, `` (3)``…; the folder is created here with
    ``exist_ok=False`` so two windows cannot pick the same one.
    """
    now = now or _dt.datetime.now()
    root = Path(workspace)
    corpus = Path(corpus_name).stem if corpus_name else ""
    parts = [now.strftime("%Y-%m-%d %H-%M"), corpus]
    base = " ".join(p for p in parts if p)
    short = model_name(model)
    base = safe_name(f"{base} · {short}" if short else base)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _folder_error(root, exc) from None
    for n in range(1, 1000):
        candidate = root / (base if n == 1 else f"{base} ({n})")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        except OSError as exc:
            raise _folder_error(root, exc) from None
        return candidate
    raise RunFolderError(text("Too many runs named {0} in {1}.", base, root), text("Choose another workspace."))


def _folder_error(root: Path, exc: OSError) -> RunFolderError:
    return RunFolderError(text("Cannot create a run folder in the workspace {0}: {1}.", root, exc.strerror or exc),
                          text("Choose a workspace folder you can write to, on a disk with free space."))


# ---------------------------------------------------------------------------------------------- deleting
def delete_run(folder: str | Path) -> Path:
    """Move a run folder to the system trash (never delete it outright); return where it went.

    Refused while a process holds the run's lock (it is running, in this window or elsewhere). Linux follows the
    freedesktop.org trash spec (``files/`` + ``info/*.trashinfo``, so the file manager can restore it), macOS
    uses ``~/.Trash``; where no trash can be reached the run stays and the error says so.
    """
    path = Path(folder)
    if not path.is_dir():
        raise RunFolderError(text("The run folder {0} no longer exists.", path),
                             text("It was moved or deleted outside bertgui; refresh the list."))
    holder = lock_holder(path)
    if holder:
        raise RunFolderError(text("The run in {0} is running (process {1}).", path, holder),
                             text("Stop the run first, then delete it."))
    if sys.platform == "darwin":
        return _move_into(path, Path.home() / ".Trash")
    if os.name == "nt":
        raise RunFolderError(text("Moving to the Recycle Bin is not available here."),
                             text("Delete the folder {0} in Explorer.", path))
    return _xdg_trash(path)


def _xdg_trash(path: Path) -> Path:
    data_home = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    trash = data_home / "Trash"
    try:
        (trash / "files").mkdir(parents=True, exist_ok=True)
        (trash / "info").mkdir(parents=True, exist_ok=True)
        name = _free_name(trash / "files", path.name, trash / "info")
        info = trash / "info" / f"{name}.trashinfo"
        stamp = _dt.datetime.now().strftime("%Y-%m-%dT%H:%M:%S")
        with open(info, "x", encoding="utf-8") as fh:  # "x": the spec's atomic claim of the name
            fh.write(f"[Trash Info]\nPath={quote(str(path.resolve()))}\nDeletionDate={stamp}\n")
        try:
            os.rename(path, trash / "files" / name)
        except OSError:
            info.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise RunFolderError(text("Cannot move {0} to the trash ({1}): {2}.", path, trash, exc.strerror or exc),
                             text("The run is kept. Delete the folder by hand if you want it gone.")) from None
    return trash / "files" / name


def _move_into(path: Path, trash: Path) -> Path:
    try:
        trash.mkdir(parents=True, exist_ok=True)
        target = trash / _free_name(trash, path.name)
        os.rename(path, target)  # same disk as the home folder; across disks the error keeps the run
    except OSError as exc:
        raise RunFolderError(text("Cannot move {0} to the trash: {1}.", path, exc.strerror or exc),
                             text("The run is kept. Delete the folder by hand if you want it gone.")) from None
    return target


def _free_name(folder: Path, name: str, info: Path | None = None) -> str:
    for n in range(1, 10000):
        candidate = name if n == 1 else f"{name} ({n})"
        if not (folder / candidate).exists() and not (info and (info / f"{candidate}.trashinfo").exists()):
            return candidate
    return f"{name} {os.getpid()}"


# ---------------------------------------------------------------------------------------------- where
WORKSPACE_DIR = "bertgui-runs"


def default_workspace() -> Path:
    """``$BERTGUI_WORKSPACE``, else ``bertgui-runs`` in the user's documents folder (the XDG one on Linux).

    The window asks Qt for the documents folder and remembers a changed workspace; this is the same default for
    the command line, which has no Qt.
    """
    env = os.environ.get("BERTGUI_WORKSPACE")
    if env:
        return Path(env).expanduser()
    return documents_folder() / WORKSPACE_DIR


def documents_folder() -> Path:
    home = Path.home()
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "user-dirs.dirs"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        for line in config.read_text(encoding="utf-8").splitlines():
            if line.startswith("XDG_DOCUMENTS_DIR="):
                value = line.split("=", 1)[1].strip().strip('"').replace("$HOME", str(home))
                if value:
                    return Path(value)
    return home / "Documents"
