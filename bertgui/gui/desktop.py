"""Behaving like a desktop program during a long run: say so when a run ends or a question waits while the window
is not in front, and keep the computer from sleeping while a run trains.

WHY: a run takes hours; people switch to other work (or walk away), and a laptop suspends after some idle minutes.
Programs in this field notify (LM Studio, Transformer Lab, Unsloth Studio). The window learns every change of the
run's state from ``Session.run_state_changed`` (the Train page sets it for thread and torchrun runs alike), so
this module only listens: no page knows it exists.

A notification goes to the desktop's notification service (freedesktop ``notify-send``, else ``gdbus`` to
``org.freedesktop.Notifications``; ``osascript`` on macOS), else to a tray icon's balloon where a tray exists
(Windows), and the window's taskbar entry asks for attention (``QApplication.alert``) in every case. Nothing is
shown while the window is in front: the person sees it happen. The sleep lock is ``bertgui.engine.awake``.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QProcess, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QSystemTrayIcon, QWidget

from bertgui.engine.awake import KeepAwake

ACTIVE_STATES = {"preparing", "training", "paused", "stopping", "evaluating", "saving"}
ENDED_STATES = {"finished", "stopped", "failed"}
QUIET_AFTER_END_S = 5.0  # a box that comes with the end of a run (the failure's message) is not announced twice

Notify = Callable[[str, str], bool]  # (title, body) -> whether the desktop took it


def window_icon() -> QIcon:
    """bertgui's icon (resources/bertgui.svg); an empty icon, the platform's default, where it is missing."""
    from importlib import resources

    path = resources.files("bertgui.resources").joinpath("bertgui.svg")
    return QIcon(str(path)) if path.is_file() else QIcon()


def start_detached(program: str, args: list[str]) -> bool:
    """Start a helper program without waiting for it (the platform call the tests replace)."""
    return bool(QProcess.startDetached(program, args)[0])


def desktop_notify(title: str, body: str, tray: QSystemTrayIcon | None = None) -> bool:
    """Hand a notification to this desktop; False when it has no way to show one."""
    if sys.platform.startswith("linux") or "bsd" in sys.platform:
        if shutil.which("notify-send"):
            return start_detached("notify-send", ["--app-name=bertgui", "--icon=bertgui", title, body])
        if shutil.which("gdbus"):
            # Each argument is GVariant text: strings in double quotes with JSON's escapes (GVariant reads them the
            # same way), and typed literals, so that the timeout -1 is not read as an option of gdbus.
            args = ["call", "--session", "--dest", "org.freedesktop.Notifications",
                    "--object-path", "/org/freedesktop/Notifications",
                    "--method", "org.freedesktop.Notifications.Notify", '"bertgui"', "uint32 0", '"bertgui"',
                    json.dumps(title), json.dumps(body), "@as []", "@a{sv} {}", "int32 -1"]
            return start_detached("gdbus", args)
    elif sys.platform == "darwin" and shutil.which("osascript"):
        script = f"display notification {json.dumps(body)} with title {json.dumps(title)}"
        return start_detached("osascript", ["-e", script])
    if tray is not None and QSystemTrayIcon.isSystemTrayAvailable():
        tray.show()
        tray.showMessage(title, body, QSystemTrayIcon.MessageIcon.Information, 15000)
        return True
    return False


class DesktopBridge(QObject):
    """Notifications and the sleep lock for ``window`` (which holds ``session``), from the run's state changes.

    ``notify``, ``in_front``, ``keep_awake`` and ``clock`` are the platform's; tests pass their own.
    """

    def __init__(self, window: QWidget, session: QObject, *, notify: Notify | None = None,
                 in_front: Callable[[], bool] | None = None, keep_awake: KeepAwake | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(window)
        self.window = window
        # No screen (offscreen: tests, a headless check of the build): nobody to notify, no desktop to keep awake.
        headless = QGuiApplication.platformName() in ("offscreen", "minimal")
        self.tray = (QSystemTrayIcon(window_icon(), self)
                     if not headless and QSystemTrayIcon.isSystemTrayAvailable() else None)
        self.notify: Notify = notify or ((lambda title, body: False) if headless
                                         else (lambda title, body: desktop_notify(title, body, self.tray)))
        self.in_front = in_front or self._window_in_front
        self.keep_awake = keep_awake or KeepAwake(platform="none" if headless else sys.platform)
        self.clock = clock
        self.state = "idle"
        self.ended_at: float | None = None
        self.sent: list[tuple[str, str]] = []  # what went out, in order (the window's own record, and the tests')
        session.run_state_changed.connect(self.on_run_state)
        QApplication.instance().installEventFilter(self)

    # ------------------------------------------------------------ the run's state
    def on_run_state(self, state: str, text: str) -> None:
        before, self.state = self.state, state
        if state in ACTIVE_STATES:
            self.keep_awake.start()
        elif state in ENDED_STATES:
            self.keep_awake.stop()
            if before in ACTIVE_STATES:
                self.ended_at = self.clock()
                titles = {"finished": self.tr("Training finished"), "stopped": self.tr("Training stopped"),
                          "failed": self.tr("Training failed")}
                self._announce(titles[state], text)

    # ------------------------------------------------------------ questions
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (event.type() == QEvent.Type.Show and isinstance(watched, QDialog) and watched.isWindow()
                and self._belongs_to_window(watched)):
            recent = self.ended_at is not None and self.clock() - self.ended_at < QUIET_AFTER_END_S
            if not recent:
                body = watched.text() if isinstance(watched, QMessageBox) else watched.windowTitle()
                self._announce(self.tr("bertgui needs an answer"), body)
        return False

    def _belongs_to_window(self, dialog: QWidget) -> bool:
        parent = dialog.parentWidget()
        return parent is not None and parent.window() is self.window

    # ------------------------------------------------------------ sending
    def _window_in_front(self) -> bool:
        state = QGuiApplication.applicationState()
        return state == Qt.ApplicationState.ApplicationActive and not self.window.isMinimized()

    def _announce(self, title: str, body: str) -> None:
        if self.in_front():
            return
        self.sent.append((title, body))
        self.notify(title, body)
        QApplication.alert(self.window)  # the taskbar entry asks for attention until the window is raised

    def shutdown(self) -> None:
        QApplication.instance().removeEventFilter(self)
        self.keep_awake.stop()
