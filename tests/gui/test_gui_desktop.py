"""The window behaves like a desktop program during a run: it announces the end of a run and a waiting question
when it is not in front, and holds the sleep lock while a run trains (gui/desktop.py, platform calls replaced)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from bertgui.gui.desktop import QUIET_AFTER_END_S, DesktopBridge


class FakeSession(QObject):
    run_state_changed = Signal(str, str)


class FakeLock:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def start(self) -> str:
        self.calls.append("start")
        return "fake"

    def stop(self) -> None:
        self.calls.append("stop")


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def desk(app, qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    session = FakeSession()
    sent: list[tuple[str, str]] = []
    front = {"value": False}
    lock, clock = FakeLock(), Clock()
    bridge = DesktopBridge(window, session, notify=lambda t, b: sent.append((t, b)) or True,
                           in_front=lambda: front["value"], keep_awake=lock, clock=clock)
    yield bridge, session, sent, front, lock, clock
    bridge.shutdown()


def test_a_finished_run_is_announced_when_the_window_is_behind(desk):
    bridge, session, sent, _front, _lock, _clock = desk
    session.run_state_changed.emit("training", "Training: step 3 / 10")
    session.run_state_changed.emit("finished", "Finished: 10 steps in 2 min")
    assert sent == [("Training finished", "Finished: 10 steps in 2 min")]


def test_nothing_is_announced_while_the_window_is_in_front(desk):
    _bridge, session, sent, front, _lock, _clock = desk
    front["value"] = True
    session.run_state_changed.emit("training", "Training")
    session.run_state_changed.emit("finished", "Finished")
    assert sent == []


def test_a_failed_run_is_announced(desk):
    _bridge, session, sent, _front, _lock, _clock = desk
    session.run_state_changed.emit("preparing", "Preparing…")
    session.run_state_changed.emit("failed", "Failed at step 0: out of memory")
    assert sent == [("Training failed", "Failed at step 0: out of memory")]


def test_a_question_shown_while_the_window_is_behind_is_announced(desk, qtbot):
    bridge, _session, sent, _front, _lock, _clock = desk
    box = QMessageBox(QMessageBox.Icon.Question, "Folder not empty", "Replace the contents of out/?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, bridge.window)
    box.open()
    qtbot.waitUntil(lambda: bool(sent))
    assert sent == [("bertgui needs an answer", "Replace the contents of out/?")]
    box.close()


def test_the_failure_message_box_is_not_announced_a_second_time(desk, qtbot):
    bridge, session, sent, _front, _lock, clock = desk
    session.run_state_changed.emit("training", "Training")
    session.run_state_changed.emit("failed", "Failed at step 2")
    box = QMessageBox(QMessageBox.Icon.Warning, "bertgui", "Out of memory", QMessageBox.StandardButton.Ok,
                      bridge.window)
    box.open()
    qtbot.wait(50)
    assert [title for title, _ in sent] == ["Training failed"]
    box.close()
    clock.now += QUIET_AFTER_END_S + 1  # a later question is news again
    box.open()
    qtbot.waitUntil(lambda: len(sent) == 2)
    assert sent[1] == ("bertgui needs an answer", "Out of memory")
    box.close()


def test_the_computer_is_kept_awake_while_a_run_trains_and_let_sleep_after(desk):
    _bridge, session, _sent, _front, lock, _clock = desk
    session.run_state_changed.emit("preparing", "Preparing…")
    assert lock.calls == ["start"]
    session.run_state_changed.emit("training", "Training")
    session.run_state_changed.emit("stopped", "Stopped at step 4")
    assert lock.calls[-1] == "stop"


def test_the_main_window_announces_the_end_of_its_run(window):
    sent: list[tuple[str, str]] = []
    window.desktop.notify = lambda t, b: sent.append((t, b)) or True
    window.desktop.in_front = lambda: False
    window.session.set_run_state("training", "Training: step 1 / 3")
    window.session.set_run_state("finished", "Finished: 3 steps in 4 s")
    assert sent == [("Training finished", "Finished: 3 steps in 4 s")]


def test_without_notify_send_the_notification_goes_over_dbus_with_typed_arguments(monkeypatch):
    """gdbus reads each argument as GVariant text: an untyped ``-1`` would be taken for an option of gdbus."""
    import sys

    from bertgui.gui import desktop

    started: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(desktop.shutil, "which", lambda name: "/usr/bin/gdbus" if name == "gdbus" else None)
    monkeypatch.setattr(desktop, "start_detached", lambda program, args: started.append((program, args)) or True)
    assert desktop.desktop_notify('Training "finished"', "训练完成")
    program, args = started[0]
    assert program == "gdbus"
    assert not [a for a in args[args.index("org.freedesktop.Notifications.Notify"):] if a.startswith("-")]
    assert args[-8:] == ['"bertgui"', "uint32 0", '"bertgui"', '"Training \\"finished\\""', '"\\u8bad\\u7ec3\\u5b8c\\u6210"',
                         "@as []", "@a{sv} {}", "int32 -1"]
