"""Before the window opens on Linux/X11: are the system libraries of Qt's xcb platform plugin there?

WHY: PySide6's wheels bundle Qt but not the X11 client libraries. When one is missing, Qt aborts with "xcb-cursor0
is needed" (its message since 6.5, shown whatever is actually missing) and a core dump — on a minimal Ubuntu the
real gaps were ``libxcb-icccm4`` and ``libxcb-keysyms1``. Loading each library the plugin links against first tells
exactly which are missing, and the one ``apt-get install`` line that fixes them. Qt-free on purpose: it must run
before anything of Qt is loaded.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable

from bertgui.errors import BertguiError
from bertgui.text import text

# The shared libraries libqxcb.so (and libQt6XcbQpa) load from the system, with their Debian/Ubuntu package.
XCB_LIBRARIES: dict[str, str] = {
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
}


def _load(name: str) -> None:
    ctypes.CDLL(name)


def missing_libraries(load: Callable[[str], object] | None = None) -> list[str]:
    """The xcb plugin's system libraries that do not load here."""
    load = load or _load
    missing = []
    for name in XCB_LIBRARIES:
        try:
            load(name)
        except OSError:
            missing.append(name)
    return missing


def uses_xcb(platform: str = sys.platform, env: dict[str, str] | None = None) -> bool:
    """True when Qt will try X11 first: Linux, and QT_QPA_PLATFORM naming xcb first, or unset outside a Wayland
    session (Qt's default there is xcb; in a Wayland session it starts with its Wayland plugin)."""
    env = dict(os.environ) if env is None else env
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";")[0].split(":")[0] == "xcb"
    return not (env.get("XDG_SESSION_TYPE") == "wayland" and env.get("WAYLAND_DISPLAY"))


def check_xcb(load: Callable[[str], object] | None = None, platform: str = sys.platform,
              env: dict[str, str] | None = None) -> None:
    """Raise a BertguiError naming the missing libraries and the apt line, instead of Qt's abort."""
    if not uses_xcb(platform, env):
        return
    missing = missing_libraries(load)
    if not missing:
        return
    packages = " ".join(dict.fromkeys(XCB_LIBRARIES[m] for m in missing))
    raise BertguiError(
        text("The window cannot open: Qt's X11 platform needs system libraries that are missing here: {0}.",
             ", ".join(missing)),
        text("On Debian or Ubuntu: sudo apt-get install {0} (every step also runs without a window: bertgui "
             "--help).", packages))
