"""The Export page's link to the core's export (``bertgui.results.export``) and publishing (``bertgui.results.hub``).

The source is the run's output folder (final model, metrics, config), which stays valid after the training thread
has ended; ``export_model`` writes into a temporary folder, completes it with the same ``complete_model_folder``
that ``bertgui export`` and ``bertgui train`` use, loads it back and only then renames it into place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bertgui.gui.work.tasks import TaskState, warm_imports

LICENSES = ["", "apache-2.0", "mit", "bsd-3-clause", "cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "openrail",
            "other"]


def plan_lines(outcome: Any, config: Any, folder: str) -> list[str]:
    from bertgui.results.export import plan_export

    return plan_export(folder, str(getattr(config, "model", "") or "")) if folder else []


def target_is_occupied(folder: str) -> bool:
    p = Path(folder).expanduser()
    return p.exists() and (not p.is_dir() or any(p.iterdir()))


def choose_job(run_dir: str, state: TaskState) -> Any:
    """The run's evaluated checkpoints and the best trade-off (the Export page's table; ``export --best``)."""
    from bertgui.results.choose import choose_checkpoint

    return choose_checkpoint(run_dir)


def run_export(outcome: Any, config: Any, folder: str, state: TaskState, overwrite: bool = False,
               license: str = "", model_name: str = "", checkpoint: str = "") -> str:
    """``checkpoint``: a checkpoint folder of the run chosen on the page (its weights and its figures)."""
    warm_imports()
    from bertgui.results.export import export_model

    result = getattr(outcome, "result", None)
    source = result if result is not None and getattr(result, "model", None) is not None else outcome.output_dir
    summary = outcome.summary or None
    if checkpoint:
        source, summary = checkpoint, None  # the checkpoint's own figures, from the run's record
    path = export_model(source, folder, config=config, summary=summary, overwrite=overwrite,
                        progress=lambda d, t, m: state.set_progress(d, t, m), license=license,
                        model_name=model_name)
    return str(path)


def run_publish(folder: str, repo_id: str, private: bool, state: TaskState) -> str:
    """Publish an exported folder; returns the repository's address."""
    from bertgui.results.hub import push_to_hub

    return push_to_hub(folder, repo_id, private=private, progress=lambda d, t, m: state.set_progress(d, t, m))
