"""Background work with one contract, after Orange3's ``ConcurrentWidgetMixin``.

A task is a plain function ``fn(state)`` that runs in a worker thread, reports through ``state.set_progress()`` and
``state.set_partial_result()`` and checks ``state.is_interruption_requested()``. It never touches a widget. The
page that started it only connects ``progress``, ``partial``, ``done`` and ``failed``: every one of them arrives on
the UI thread through a queued signal, so the UI thread never loads a model or tokenises a corpus.

Progress is throttled (Anki polls at 100 ms): a tight loop calling ``set_progress`` a million times does not flood
the event queue; the last report always arrives.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from bertgui.gui.messages import localize

PROGRESS_INTERVAL_S = 0.1
log = logging.getLogger("bertgui.gui")


_IMPORT_LOCK = threading.Lock()
# One full corpus preparation at a time in this process: the statistics worker and the training run both call
# prepare_corpus, whose scratch folder is named after the process, so two threads would write the same files.
PREPARE_LOCK = threading.Lock()
_imported = False


def warm_imports() -> None:
    """Import torch and transformers once, under a lock, before a worker uses them.

    transformers resolves its names lazily on first access, and two threads doing that first access together can
    see a half-initialised module ("cannot import name 'AutoConfig'"). Every worker that needs the ML stack calls
    this first; the first caller pays the import (seconds), the others wait for it instead of racing it. The window
    also calls it in a worker right after it opens: some of these imports hold the GIL for 150–300 ms at a time
    (extension modules loading), which would otherwise freeze the window at the start of a training run.
    """
    global _imported
    if _imported:
        return
    with _IMPORT_LOCK:
        if _imported:
            return
        import torch  # noqa: F401
        import transformers

        for name in ("CONFIG_MAPPING", "AutoConfig", "AutoTokenizer", "AutoModelForMaskedLM", "BertForPreTraining",
                     "MODEL_FOR_MASKED_LM_MAPPING", "PreTrainedTokenizerFast", "pipeline", "Trainer",
                     "TrainingArguments"):
            getattr(transformers, name)
        with contextlib.suppress(ImportError):  # the engine's own imports (accelerate, Trainer subclasses)
            import bertgui.engine  # noqa: F401
        # The hundreds of thousands of objects these imports created live as long as the process. Freezing them
        # keeps every later full gc.collect() (accelerate calls one while the Trainer starts) from walking them
        # while it holds the GIL, which froze the window for 250–400 ms at the start of each run.
        gc.freeze()
        _imported = True


class Interrupted(Exception):
    """Raised by ``state.check()`` when the page cancelled the task; not reported as a failure."""


class TaskState:
    """What the worker function sees: thread-safe reporting and a cancellation flag."""

    def __init__(self, worker: _Worker) -> None:
        self._worker = worker
        self._cancel = threading.Event()
        self._last_progress = 0.0

    def set_progress(self, done: int, total: int = 0, message: str = "") -> None:
        now = time.monotonic()
        if now - self._last_progress >= PROGRESS_INTERVAL_S or (total and done >= total):
            self._last_progress = now
            # the core's Text in the user's language (QCoreApplication.translate is thread-safe)
            self._worker.progress.emit(int(done), int(total), str(localize(message)))

    def set_partial_result(self, value: Any) -> None:
        self._worker.partial.emit(value)

    def is_interruption_requested(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Interrupted

    def request_interruption(self) -> None:
        self._cancel.set()


class _Worker(QObject):
    progress = Signal(int, int, str)
    partial = Signal(object)
    done = Signal(object)
    failed = Signal(object, str)  # exception, formatted traceback
    cancelled = Signal()

    def __init__(self, fn: Callable[[TaskState], Any]) -> None:
        super().__init__()
        self._fn = fn
        self.state = TaskState(self)

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn(self.state)
        except Interrupted:
            self.cancelled.emit()
        except BaseException as exc:  # every failure must reach the page, never kill the thread silently
            from bertgui.errors import BertguiError

            if not isinstance(exc, BertguiError):
                log.error("Unexpected error in background task:\n%s", traceback.format_exc())
            self.failed.emit(exc, traceback.format_exc())
        else:
            if self.state.is_interruption_requested():
                self.cancelled.emit()
            else:
                self.done.emit(result)
        finally:
            self.thread().quit()


class Task(QObject):
    """One run of ``fn`` in its own QThread. Signals arrive on the thread that created the Task (the UI)."""

    progress = Signal(int, int, str)
    partial = Signal(object)
    done = Signal(object)
    failed = Signal(object, str)
    cancelled = Signal()
    finished = Signal()  # after the thread has stopped, whatever the outcome

    def __init__(self, fn: Callable[[TaskState], Any], parent: QObject | None = None, name: str = "task") -> None:
        super().__init__(parent)
        self.name = name
        self._thread = QThread()
        self._thread.setObjectName(f"bertgui-{name}")
        self._worker = _Worker(fn)
        self._worker.moveToThread(self._thread)
        self._worker.progress.connect(self.progress)
        self._worker.partial.connect(self.partial)
        self._worker.done.connect(self.done)
        self._worker.failed.connect(self.failed)
        self._worker.cancelled.connect(self.cancelled)
        self._thread.started.connect(self._worker.run)
        self._thread.finished.connect(self._on_thread_finished)
        self._running = False

    def start(self) -> Task:
        self._running = True
        self._thread.start()
        return self

    def cancel(self) -> None:
        self._worker.state.request_interruption()

    def is_running(self) -> bool:
        return self._running

    def wait(self, ms: int = 30000) -> bool:
        """Block until the thread stopped (used on close and in tests); True when it did."""
        return self._thread.wait(ms) if self._running else True

    def _on_thread_finished(self) -> None:
        self._running = False
        self.finished.emit()


class TaskSlot(QObject):
    """At most one task of a kind per page: starting a new one cancels the old one (its results are dropped)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.current: Task | None = None
        self._old: list[Task] = []

    def start(self, fn: Callable[[TaskState], Any], *, name: str = "task",
              progress: Callable[[int, int, str], None] | None = None,
              partial: Callable[[Any], None] | None = None,
              done: Callable[[Any], None] | None = None,
              failed: Callable[[BaseException, str], None] | None = None,
              finished: Callable[[], None] | None = None) -> Task:
        self.cancel()
        task = Task(fn, self, name)
        # Results of a superseded task are dropped: every callback checks that its task is still current.
        def current(cb):
            return lambda *a: cb(*a) if self.current is task else None
        if progress:
            task.progress.connect(current(progress))
        if partial:
            task.partial.connect(current(partial))
        if done:
            task.done.connect(current(done))
        if failed:
            task.failed.connect(current(failed))
        if finished:
            task.finished.connect(current(finished))
        task.finished.connect(lambda: self._reap(task))
        self.current = task
        return task.start()

    def cancel(self) -> None:
        if self.current is not None and self.current.is_running():
            self.current.cancel()
            self._old.append(self.current)
        self.current = None

    def busy(self) -> bool:
        return self.current is not None and self.current.is_running()

    def wait(self, ms: int = 30000) -> bool:
        ok = True
        for task in [*self._old, *([self.current] if self.current else [])]:
            ok = task.wait(ms) and ok
        return ok

    def _reap(self, task: Task) -> None:
        if task in self._old:
            self._old.remove(task)
        if self.current is task:
            self.current = None
        task.deleteLater()
