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
