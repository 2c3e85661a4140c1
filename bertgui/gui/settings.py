"""What the window remembers between sessions (QSettings): geometry, recent corpora and models, folders, the
workspace of runs and the last session (see ``bertgui.gui.work.session``).

An INI file in the user's config folder, so a person can read or delete it; tests point it at a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

RECENT_LIMIT = 8


def settings() -> QSettings:
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "bertgui", "bertgui")


def recent(key: str) -> list[str]:
    value = settings().value(f"recent/{key}", [])
    if isinstance(value, str):
        return [value] if value else []
    return [str(v) for v in (value or [])]


def push_recent(key: str, item: str) -> list[str]:
    items = [item] + [v for v in recent(key) if v != item]
    items = items[:RECENT_LIMIT]
    settings().setValue(f"recent/{key}", items)
    return items


def get(key: str, default: str = "") -> str:
    value = settings().value(key, default)
    return str(value) if value is not None else default


def put(key: str, value: object) -> None:
    settings().setValue(key, value)


# ---------------------------------------------------------------------------------------------- the workspace
WORKSPACE_KEY = "workspace/folder"


def default_workspace() -> Path:
    """``bertgui-runs`` in the user's Documents folder (``$BERTGUI_WORKSPACE`` first: tests, shared machines)."""
    import os

    env = os.environ.get("BERTGUI_WORKSPACE")
    if env:
        return Path(env).expanduser()
    docs = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(docs or Path.home()) / "bertgui-runs"


def workspace() -> Path:
    """The folder that holds one folder per run: the one the person chose, else the default."""
    chosen = get(WORKSPACE_KEY)
    return Path(chosen) if chosen else default_workspace()


def set_workspace(path: str | Path) -> None:
    put(WORKSPACE_KEY, str(path))
