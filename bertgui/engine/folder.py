"""What a run folder holds and how to read it back: its file names, its event log, its checkpoints.

WHY a module of its own: the engine writes a run folder, and the results stage (export, model card) and the window
read it. Keeping the names and readers here, free of torch and of the engine's heavy imports, lets the readers see
the layout without importing the engine that writes it.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Any

from bertgui.events import Event, event_from_dict

METRICS_FILE = "metrics.jsonl"  # one event per line: the run's history (chart, card, resume)
FINAL_MODEL_DIR = "final-model"  # the trained model, as transformers loads it
CONFIG_FILE = "bertgui.toml"  # the run's RunConfig
LOGS_DIR = "logs"  # TensorBoard event files
RANK_FAILURE_PREFIX = ".failed-rank"  # distributed runs: a failing process's report, `.failed-rank<N>.json`


def read_metrics(output_dir: str | Path) -> list[Event]:
    """The events of earlier sessions of a run (for a resumed run's chart: the whole loss curve)."""
    path = Path(output_dir) / METRICS_FILE
    out: list[Event] = []
    if not path.exists():
        return out
    for line in path.read_text(encoding="utf-8").splitlines():
        with contextlib.suppress(ValueError, KeyError, TypeError):
            out.append(event_from_dict(json.loads(line)))
    return out


def last_checkpoint(output_dir: str | Path) -> str | None:
    """The newest ``checkpoint-N`` folder of a run, or None."""
    from transformers.trainer_utils import get_last_checkpoint

    path = Path(output_dir)
    return get_last_checkpoint(str(path)) if path.is_dir() else None


def checkpoint_step(path: str | Path) -> int:
    """The optimizer step a checkpoint folder was saved at (0 when it cannot be read)."""
    try:
        return int(json.loads((Path(path) / "trainer_state.json").read_text())["global_step"])
    except (OSError, ValueError, KeyError):
        return 0


def check_writable(folder: Path) -> None:
    """Create ``folder`` and prove it takes a file; PermissionError otherwise (the engine names it for the user)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".bertgui-write-test-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise PermissionError(exc.errno, f"cannot write into {folder}", str(folder)) from exc


# ---------------------------------------------------------------------------------------------- run identity
RUN_FILE = "run.json"  # the run's id, state and sessions (see write_run)
LOCK_FILE = ".bertgui.lock"  # held with an OS lock by the one process that works on the run
RUN_FORMAT = 1
RUN_STATES = ("running", "paused", "stopped", "finished", "failed", "interrupted")


def new_run_id() -> str:
    """A short random id that names a run across renames of its folder (12 hex digits)."""
    import uuid

    return uuid.uuid4().hex[:12]


def read_run(folder: str | Path) -> dict[str, Any] | None:
    """``run.json`` of a run folder, or None when it is missing or unreadable (never raises).

    ``run.json`` holds ``{"format": 1, "id", "created", "updated", "state", "step", "planned_steps",
    "bertgui_version", "pid", "host", "sessions": [{"kind": "start"|"resume"|"train-further", "at", "from_step",
    "planned_steps"}], "failure": {"message", "kind"} | null}``. The writer never writes "interrupted": a reader
    infers it (state running or paused, but no process holds the lock) — see :func:`run_state`.
    """
    try:
        data = json.loads((Path(folder) / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def write_run(folder: str | Path, data: dict[str, Any]) -> None:
    """Write ``run.json`` atomically (temporary name, then rename): a reader never sees half a file."""
    path = Path(folder) / RUN_FILE
    partial = path.with_name(f".{RUN_FILE}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)


def lock_holder(folder: str | Path) -> str | None:
    """Who holds the run's lock ("pid host"), or None when no live process does (a dead holder frees it)."""
    import fcntl

    path = Path(folder) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            with contextlib.suppress(OSError):
                return path.read_text(encoding="utf-8").strip() or "another process"
            return "another process"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def run_state(folder: str | Path) -> str:
    """The run's state as a person should read it: a running/paused run whose process is gone is "interrupted"."""
    data = read_run(folder) or {}
    state = str(data.get("state", ""))
    if state in ("running", "paused", "") and lock_holder(folder) is None:
        return "interrupted" if state or (Path(folder) / METRICS_FILE).exists() else "unknown"
    return state if state in RUN_STATES else "unknown"


def is_run_folder(folder: str | Path) -> bool:
    """Whether ``folder`` holds (part of) a bertgui run: its config, events, final model, checkpoints or run.json."""
    path = Path(folder)
    if not path.is_dir():
        return False
    names = (CONFIG_FILE, METRICS_FILE, FINAL_MODEL_DIR, RUN_FILE)
    return any((path / n).exists() for n in names) or any(path.glob("checkpoint-*"))


def complete_checkpoints(folder: str | Path) -> list[Path]:
    """The run's ``checkpoint-N`` folders that were saved whole (weights and trainer state), oldest step first.

    WHY not transformers' ``get_last_checkpoint``: it takes the highest number even when a full disk left only
    ``config.json`` in it, and resuming from that fails.
    """
    found = []
    for path in Path(folder).glob("checkpoint-*"):
        suffix = path.name.removeprefix("checkpoint-")
        if not (suffix.isdigit() and path.is_dir() and (path / "trainer_state.json").is_file()):
            continue
        if any((path / w).is_file() for w in ("model.safetensors", "pytorch_model.bin")) or any(
                path.glob("model-*.safetensors")):
            found.append((int(suffix), path))
    return [p for _, p in sorted(found)]
