"""Before the window opens on Linux/X11, missing xcb libraries are named with the apt line (not Qt's abort).

The loader is replaced, so the test runs on any machine.
"""

from __future__ import annotations

import pytest

from bertgui.errors import BertguiError
from bertgui.gui.xcb import XCB_LIBRARIES, check_xcb, uses_xcb

X11 = {"DISPLAY": ":0"}


def loader_without(*absent: str):
    tried: list[str] = []

    def load(name: str) -> None:
        tried.append(name)
        if name in absent:
            raise OSError(f"{name}: cannot open shared object file: No such file or directory")

    load.tried = tried  # type: ignore[attr-defined]
    return load


def test_the_missing_libraries_and_their_packages_are_named():
    load = loader_without("libxcb-icccm.so.4", "libxcb-keysyms.so.1")
    with pytest.raises(BertguiError) as exc:
        check_xcb(load, platform="linux", env=X11)
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in exc.value.message
    assert "xcb-cursor" not in exc.value.message + exc.value.advice  # not Qt's misleading guess
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1 " in exc.value.advice
    assert set(load.tried) == set(XCB_LIBRARIES)  # every library is tried, not only up to the first gap


def test_nothing_missing_opens_the_window():
    check_xcb(loader_without(), platform="linux", env=X11)


@pytest.mark.parametrize(("platform", "env", "expected"), [
    ("linux", {}, True),
    ("linux", {"QT_QPA_PLATFORM": "xcb"}, True),
    ("linux", {"QT_QPA_PLATFORM": "offscreen"}, False),
    ("linux", {"QT_QPA_PLATFORM": "wayland;xcb"}, False),
    ("linux", {"XDG_SESSION_TYPE": "wayland", "WAYLAND_DISPLAY": "wayland-0"}, False),
    ("darwin", {}, False),
    ("win32", {}, False),
])
def test_only_when_qt_will_use_x11(platform, env, expected):
    assert uses_xcb(platform, env) is expected
    if not expected:  # then nothing is loaded and nothing raised, even with every library absent
        load = loader_without(*XCB_LIBRARIES)
        check_xcb(load, platform=platform, env=env)
        assert load.tried == []


WINDOW_WITHOUT_ICCCM = """
import sys
import bertgui.gui.xcb as xcb


def load(name):
    if name == "libxcb-icccm.so.4":
        raise OSError(name)


xcb._load = load  # every other library "loads"; this one is missing
from bertgui.cli import main

sys.exit(main([]))
"""


def test_bertgui_without_arguments_stops_before_qt_with_the_apt_line(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": ":99"}
    env.pop("WAYLAND_DISPLAY", None)
    done = subprocess.run([sys.executable, "-c", WINDOW_WITHOUT_ICCCM], capture_output=True, text=True, env=env,
                          timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    lines = done.stderr.splitlines()
    assert lines[0].startswith("bertgui: error: The window cannot open") and "libxcb-icccm.so.4" in lines[0]
    assert "sudo apt-get install libxcb-icccm4 " in lines[1]
    assert "could not connect to display" not in done.stderr and "xcb-cursor0" not in done.stderr
