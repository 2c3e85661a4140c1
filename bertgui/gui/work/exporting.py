"""The Export page's link to the core's export (``bertgui.results.export``): what will be written, then writing it.

The source is the run's output folder (final model, metrics, config), which stays valid after the training thread
has ended; ``export_model`` writes into a temporary folder, loads it back and only then renames it into place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bertgui.gui.work.tasks import TaskState, warm_imports


def plan_lines(outcome: Any, config: Any, folder: str) -> list[str]:
    from bertgui.results.export import plan_export

    return plan_export(folder) if folder else []


def target_is_occupied(folder: str) -> bool:
    p = Path(folder).expanduser()
    return p.exists() and (not p.is_dir() or any(p.iterdir()))


def run_export(outcome: Any, config: Any, folder: str, state: TaskState, overwrite: bool = False) -> str:
    warm_imports()
    from bertgui.results.export import export_model

    result = getattr(outcome, "result", None)
    source = result if result is not None and getattr(result, "model", None) is not None else outcome.output_dir
    path = export_model(source, folder, config=config, summary=outcome.summary or None, overwrite=overwrite,
                        progress=lambda d, t, m: state.set_progress(d, t, m))
    return str(path)
