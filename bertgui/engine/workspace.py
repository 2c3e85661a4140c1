"""A workspace of run folders: naming a new run so a person can read it, moving one to the trash.

A workspace is a folder of run folders, one per run, named ``2026-12-01 10-12 meditations · all-MiniLM-L6-v2``.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import sys
from pathlib import Path
from urllib.parse import quote

from bertgui.engine.folder import lock_holder
from bertgui.errors import BertguiError
from bertgui.text import text

NAME_LIMIT = 120  # characters of a run folder's name: far below every file system's limit, readable in a list
UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')  # not allowed in a file name on Windows (and "/" anywhere)


class RunFolderError(BertguiError):
    """A run folder that cannot be created, moved to the trash or read."""


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
