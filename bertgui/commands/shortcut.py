"""``bertgui --install-shortcut``: put bertgui in the desktop's application menu (freedesktop: Linux, BSD).

WHY a flag and not only the build: a person who installed with pip has no menu entry either. The entry starts the
program that runs this code: the built program itself, or the ``bertgui`` script of this Python environment.

What a person keeps is not ours to replace: a ``bertgui.desktop`` or icon that bertgui did not write (no
:data:`MARK` in it) is left alone and the command says so. Files are written under a temporary name and renamed.
"""

from __future__ import annotations

import os
import sys
from importlib import resources
from pathlib import Path

from bertgui.errors import BertguiError
from bertgui.files import atomic_write_text

MARK = "X-Bertgui-Shortcut=true"  # in every menu entry we write
ICON_MARK = "bertgui icon"  # in the comment of resources/bertgui.svg
APP_ID = "bertgui"  # file names, and the window's desktop file name (gui/app.py) so docks match it


def launcher() -> list[str]:
    """The command that opens the window: the built program, this environment's script, or ``python -m bertgui``."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    script = Path(sys.executable).with_name("bertgui.exe" if os.name == "nt" else "bertgui")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "bertgui"]


def _exec_quote(arg: str) -> str:
    """One argument of a desktop entry's Exec key (freedesktop "Exec key": quoting and %% rules)."""
    arg = arg.replace("%", "%%")
    if not any(c in arg for c in ' \t\n"\'\\><~|&;$*?#()`'):
        return arg
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
    return f'"{escaped}"'


def desktop_entry(*command: str) -> str:
    """The text of ``bertgui.desktop`` that runs ``command`` (default: :func:`launcher`)."""
    exec_line = " ".join(_exec_quote(a) for a in (command or launcher()))
    return "\n".join([
        "[Desktop Entry]",
        "Type=Application",
        "Name=bertgui",
        "GenericName=BERT pre-training",
        "GenericName[zh_CN]=BERT 继续预训练",
        "Comment=Continue pre-training a BERT model on your own text",
        "Comment[zh_CN]=用你自己的文本继续预训练 BERT 模型",
        f"Exec={exec_line}",
        f"Icon={APP_ID}",
        "Terminal=false",
        "Categories=Science;ArtificialIntelligence;",  # one main category: the menu shows it once
        "Keywords=BERT;MLM;NSP;transformers;language model;",
        "StartupNotify=true",
        f"StartupWMClass={APP_ID}",
        MARK,
        "",
    ])


def icon_svg() -> str:
    return resources.files("bertgui.resources").joinpath("bertgui.svg").read_text(encoding="utf-8")


def data_home() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def _check_ours(path: Path, mark: str) -> None:
    """Refuse when a file at ``path`` lacks ``mark``: it is someone else's (a symlink or a folder too)."""
    if not (path.exists() or path.is_symlink()):
        return
    try:
        ours = path.is_file() and not path.is_symlink() and mark in path.read_text(encoding="utf-8",
                                                                                    errors="replace")
    except OSError:
        ours = False
    if not ours:
        raise BertguiError(f"{path} exists and was not written by bertgui; it was left as it is.",
                           "Rename or remove it yourself, then run bertgui --install-shortcut again.")


def _write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write_text(path, content)


def install_shortcut(base: Path | None = None, command: list[str] | None = None) -> list[Path]:
    """Write the menu entry and the icon under ``base`` (``$XDG_DATA_HOME``, else ``~/.local/share``)."""
    base = base or data_home()
    entry = base / "applications" / f"{APP_ID}.desktop"
    icon = base / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"
    # Both checked before either is written: a refusal leaves nothing half installed.
    _check_ours(entry, MARK)
    _check_ours(icon, ICON_MARK)
    written = [_write(icon, icon_svg()), _write(entry, desktop_entry(*(command or launcher())))]
    entry.chmod(0o755)  # some desktops start only entries marked executable
    return written


def run_install() -> int:
    """The ``--install-shortcut`` flag: install, then say where and how to undo it."""
    if sys.platform in ("win32", "darwin"):
        raise BertguiError("--install-shortcut makes a freedesktop menu entry (Linux and BSD desktops).",
                           "On Windows run add-start-menu-shortcut.ps1 from the built folder; on macOS drag "
                           "bertgui.app to Applications.")
    for path in install_shortcut():
        print(f"wrote {path}")
    print("bertgui is in the application menu (some desktops show it after the next login). To remove it, "
          "delete the two files above.")
    return 0
