"""Checks of a built program that only its window can answer, asked for through the environment.

WHY: ``packaging/test_build.py`` starts the *built* program (not this source tree) and must learn how long the
first window took and what it looks like, without a person at the screen:

- ``BERTGUI_FIRST_WINDOW_REPORT=1``: print ``bertgui: first window after S s`` on stderr once the window is shown
  (counted from the process's start, so a built program's unpacking and imports are in it);
- ``BERTGUI_SCREENSHOT=FILE.png`` (after ``BERTGUI_SCREENSHOT_DELAY_MS``, default 3000): save the window's picture;
- ``BERTGUI_QUIT_AFTER_S=N``: close the window after N seconds (as a person would: the exit status says how it went).
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


def seconds_since_start() -> float:
    import psutil

    return time.time() - psutil.Process().create_time()


def install(window: QWidget) -> None:
    env = os.environ
    if env.get("BERTGUI_FIRST_WINDOW_REPORT"):
        QTimer.singleShot(0, window, lambda: print(f"bertgui: first window after {seconds_since_start():.2f} s",
                                                   file=sys.stderr, flush=True))
    shot = env.get("BERTGUI_SCREENSHOT")
    if shot:
        delay = int(env.get("BERTGUI_SCREENSHOT_DELAY_MS", "3000"))
        QTimer.singleShot(delay, window, lambda: window.grab().save(shot))
    quit_after = env.get("BERTGUI_QUIT_AFTER_S")
    if quit_after:
        QTimer.singleShot(int(float(quit_after) * 1000), window, window.close)
