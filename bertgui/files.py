"""Writing what a person keeps: replace only bertgui's own folders, write to a temporary name, then rename.

WHY a module below every stage: export, ``new-model``, ``vocab --add``, ``train --overwrite`` and the window's
"Replace its contents" all replace a folder. Before this module each of them deleted the target first (a crash
then left nothing) and deleted *any* non-empty target on ``--overwrite`` (a Documents folder included). Here:

- :func:`check_replaceable` allows only an empty folder, a model folder (``config.json`` + weights) or a run folder
  bertgui wrote; anything else is refused with a message that says why;
- :func:`replace_folder` moves the old folder aside, renames the new one into place, and deletes the old one only
  then (if the rename fails, the old folder is put back);
- :func:`atomic_write_text` writes a file under a temporary name and renames it, so a reader never sees half a file;
- :func:`normalize_modes` gives files the permissions of the user's umask (safetensors writes 0600, the rest 0644).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from bertgui.errors import ConfigError
from bertgui.text import text

WEIGHT_NAMES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json")
# The marks of a run folder bertgui wrote (engine/folder.py names them; repeated here because this module sits
# below the engine). bertgui.toml alone is *not* one: a person may keep a configuration among their own files.
RUN_MARKS = ("run.json", "metrics.jsonl", "final-model/config.json")
OWN_PREFIX = ".bertgui"  # bertgui's own hidden files (the run lock, the write probe): not the user's


class FolderNotReplaceable(ConfigError):
    """A folder holds files bertgui did not write: replacing it would delete the user's work."""


def is_model_folder(folder: str | Path) -> bool:
    """``config.json`` beside weights: a model folder (bertgui's export, new-model, vocab output, or a download)."""
    path = Path(folder)
    return (path / "config.json").is_file() and (
        any((path / w).is_file() for w in WEIGHT_NAMES) or any(path.glob("model-*.safetensors")))


def is_bertgui_run(folder: str | Path) -> bool:
    """A run folder bertgui's engine wrote: its run record, its event log, its final model or a checkpoint."""
    path = Path(folder)
    return any((path / m).exists() for m in RUN_MARKS) or any(
        (p / "trainer_state.json").is_file() for p in path.glob("checkpoint-*"))


def check_replaceable(folder: str | Path) -> None:
    """Raise :class:`FolderNotReplaceable` unless ``folder`` is missing, empty, a model folder or a bertgui run."""
    path = Path(folder)
    if not path.exists():
        return
    if not path.is_dir():
        raise FolderNotReplaceable(text("{0} is a file, not a folder.", path),
                                   text("Choose a folder (a new or empty one)."))
    try:
        entries = sorted(p.name for p in path.iterdir() if not p.name.startswith(OWN_PREFIX))
    except OSError as exc:
        raise FolderNotReplaceable(text("Cannot read {0}: {1}.", path, exc.strerror or exc),
                                   text("Choose a folder you can read and write.")) from None
    if not entries or is_model_folder(path) or is_bertgui_run(path):
        return
    shown = ", ".join(entries[:3]) + (", …" if len(entries) > 3 else "")
    raise FolderNotReplaceable(
        text("{0} holds files that are not a model or a run bertgui wrote ({1}); bertgui replaces only its own "
             "folders.", path, shown),
        text("Choose a new or empty folder, or move those files away first."))


def replace_folder(new: str | Path, target: str | Path) -> None:
    """Put the complete folder ``new`` at ``target``; an old ``target`` is deleted only once ``new`` is in place.

    ``new`` must be on the same file system (a temporary folder beside ``target``), so each move is one rename.
    """
    new, target = Path(new), Path(target)
    if not target.exists():
        os.replace(new, target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.replace(old, target)  # put the old one back: the user keeps what they had
        raise
    shutil.rmtree(old, ignore_errors=True)


def atomic_write_text(path: str | Path, content: str) -> Path:
    """Write ``content`` (UTF-8) to ``path`` through a temporary file in the same folder and one rename."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(content, encoding="utf-8")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    """The process umask, read without changing it where the system says it (Linux), else by setting it back."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def normalize_modes(folder: str | Path) -> None:
    """Files 0666 and folders 0777 less the umask (0644/0755 usually), like any file the user writes.

    WHY: safetensors saves ``model.safetensors`` as 0600 and ``mkdtemp`` makes 0700 folders, so a model meant for
    sharing (on a shared disk, in a web server's folder) could not be read by others while its config could.
    """
    mask = _umask()
    root = Path(folder)
    for path in [root, *root.rglob("*")]:
        with contextlib.suppress(OSError):
            if path.is_symlink():
                continue
            os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~mask)
