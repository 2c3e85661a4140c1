"""The worker contract: a plain function in a QThread; results, failures and progress arrive on the UI thread."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QThread

from bertgui.errors import CorpusError
from bertgui.gui.work.tasks import Task, TaskSlot


def test_result_arrives_on_the_ui_thread_and_work_ran_elsewhere(qtbot):
    ui = threading.get_ident()
    seen = {}

    def work(state):
        seen["worker"] = threading.get_ident()
        state.set_progress(1, 2, "half")
        state.set_partial_result("partial")
        return 42

    task = Task(work)
    got = {}
    task.done.connect(lambda r: got.update(result=r, thread=threading.get_ident()))
    task.partial.connect(lambda p: got.update(partial=p))
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert got == {"result": 42, "thread": ui, "partial": "partial"}
    assert seen["worker"] != ui


def test_failures_carry_the_exception_and_a_traceback(qtbot):
    def work(state):
        raise CorpusError("binary", "export as text")

    task = Task(work)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        task.start()
    exc, tb = blocker.args
    assert isinstance(exc, CorpusError) and exc.advice == "export as text"
    assert "CorpusError" in tb
    task.wait()


def test_progress_is_throttled_but_the_last_report_arrives(qtbot):
    def work(state):
        for i in range(1, 100_001):
            state.set_progress(i, 100_000, "")

    task = Task(work)
    reports = []
    task.progress.connect(lambda d, t, m: reports.append(d))
    with qtbot.waitSignal(task.finished, timeout=10000):
        task.start()
    assert reports[-1] == 100_000
    assert len(reports) < 1000


def test_a_new_task_in_a_slot_cancels_the_old_one_and_drops_its_result(qtbot):
    slot = TaskSlot(None)
    release = threading.Event()
    results = []

    def slow(state):
        release.wait(5)
        return "old"

    slot.start(slow, done=results.append)
    first = slot.current
    slot.start(lambda state: "new", done=results.append)
    release.set()
    qtbot.waitUntil(lambda: not slot.busy() and not first.is_running(), timeout=5000)
    qtbot.wait(50)
    assert results == ["new"]
    assert first._worker.state.is_interruption_requested()
    assert slot.wait()


def test_the_thread_fixture_sees_every_started_thread(qtbot, fail_on_running_qthreads):
    task = Task(lambda state: None)
    with qtbot.waitSignal(task.finished, timeout=5000):
        task.start()
    assert any(isinstance(t, QThread) for t in fail_on_running_qthreads)


@pytest.mark.parametrize("cancel_first", [True])
def test_cancelled_work_reports_cancelled_not_failed(qtbot, cancel_first):
    started = threading.Event()

    def work(state):
        started.set()
        while True:
            state.check()

    task = Task(work)
    failures = []
    task.failed.connect(lambda e, tb: failures.append(e))
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        task.start()
        started.wait(5)
        task.cancel()
    task.wait()
    assert failures == []
