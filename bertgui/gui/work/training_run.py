"""A training run seen from the window: engine events in as one Qt signal, pause/resume/stop out.

Two ways to run with the same interface, so the Train page and the chart do not care which:

* ``ThreadRun`` — the engine in a worker QObject moved to a QThread (one machine). The engine's callback emits a
  queued signal; pause and stop go through the engine's thread-safe ``Control``. The UI thread never runs a step.
* ``ProcessRun`` — ``torchrun``/``accelerate launch`` as a QProcess reading the engine's ``--json`` lines back into
  the same event dataclasses with ``event_from_dict``. Stop sends SIGINT (the engine saves a checkpoint and
  ends); pause is not available across processes.
"""

from __future__ import annotations

import json
import os
import signal
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QProcess, QThread, Signal, Slot

from bertgui.config import RunConfig
from bertgui.events import Control, Event, Failed, Finished, RunStarted, event_from_dict
from bertgui.gui.work.tasks import PREPARE_LOCK, warm_imports

# engine(config, on_event, control, resume=None | True | checkpoint folder) -> the engine's TrainResult
EngineFn = Callable[..., object]


def default_engine() -> EngineFn:
    """The core's training entry point (imported lazily: torch loads in the worker, not at window start)."""
    from bertgui.engine import train

    def engine(config: RunConfig, on_event: Callable[[Event], None], control: Control,
               resume: str | bool | None = None) -> object:
        result = train(config, on_event=on_event, control=control, resume=resume)
        if result.final_model_dir:  # the same complete folder as `bertgui train` leaves: card, curve, config
            from bertgui.errors import BertguiError
            from bertgui.results.export import finish_run_folder

            try:
                finish_run_folder(result.output_dir)
            except BertguiError as exc:  # the model is saved; only its card is missing: say so, fail nothing
                result.summary.setdefault("notes", []).append(f"{exc.message} {exc.advice}")
        return result

    return engine


class _EngineWorker(QObject):
    event = Signal(object)
    result = Signal(object)  # what the engine returned (the trained model stays in memory for the next pages)

    def __init__(self, config: RunConfig, control: Control, engine: EngineFn | None,
                 resume: str | bool | None = None) -> None:
        super().__init__()
        self.config = config
        self.control = control
        self.engine = engine
        self.resume = resume
        self._holds_prepare = False

    def _emit(self, ev: Event) -> None:
        if isinstance(ev, (RunStarted, Finished, Failed)):
            self._release_prepare()  # the corpus is prepared (or the run is over)
        self.event.emit(ev)

    def _release_prepare(self) -> None:
        if self._holds_prepare:
            self._holds_prepare = False
            PREPARE_LOCK.release()

    @Slot()
    def run(self) -> None:
        try:
            if self.engine is None:
                warm_imports()
            engine = self.engine or default_engine()
            PREPARE_LOCK.acquire()  # wait for a statistics pass over the corpus to finish
            self._holds_prepare = True
            self.result.emit(engine(self.config, self._emit, self.control, resume=self.resume))
        except BaseException as exc:  # the engine reports its own failures; this catches the unforeseen
            message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
            self.event.emit(Failed(message=message, advice=getattr(exc, "advice", ""), kind="unexpected",
                                   details=traceback.format_exc()))
        finally:
            self._release_prepare()
            self.thread().quit()


class RunBase(QObject):
    """The contract of a run the Train page drives (Orange's ``concurrent.py``: what a subclass must provide
    raises ``NotImplementedError`` here). ``event`` carries every engine event in order; ``ended`` comes last."""

    event = Signal(object)
    result = Signal(object)  # ThreadRun only: the engine's TrainResult, after the last event
    log = Signal(str)
    ended = Signal()
    supports_pause = True

    def start(self) -> None:
        raise NotImplementedError

    def pause(self) -> None:
        raise NotImplementedError

    def resume(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def is_running(self) -> bool:
        raise NotImplementedError

    def wait(self, ms: int = 60000) -> bool:
        raise NotImplementedError


class ThreadRun(RunBase):
    def __init__(self, config: RunConfig, engine: EngineFn | None = None, parent: QObject | None = None, *,
                 resume: str | bool | None = None) -> None:
        super().__init__(parent)
        self.control = Control()
        self._thread = QThread()
        self._thread.setObjectName("bertgui-training")
        self._worker = _EngineWorker(config, self.control, engine, resume)
        self._worker.moveToThread(self._thread)
        self._worker.event.connect(self.event)
        self._worker.result.connect(self.result)
        self._thread.started.connect(self._worker.run)
        self._thread.finished.connect(self.ended)
        self._started = False

    def start(self) -> None:
        from bertgui.gui.work.collector import collect_now, keep_singletons_alive

        self._started = True
        collect_now()  # on the GUI thread: the engine thread's gc.collect() must not find a widget to destroy
        keep_singletons_alive()
        self._thread.start()

    def pause(self) -> None:
        self.control.pause()

    def resume(self) -> None:
        self.control.resume()

    def stop(self) -> None:
        self.control.stop()

    def is_running(self) -> bool:
        return self._started and self._thread.isRunning()

    def wait(self, ms: int = 60000) -> bool:
        return self._thread.wait(ms) if self._started else True


class ProcessRun(RunBase):
    supports_pause = False

    def __init__(self, program: str, arguments: list[str], parent: QObject | None = None,
                 env: dict[str, str] | None = None) -> None:
        super().__init__(parent)
        self.proc = QProcess(self)
        self.proc.setProgram(program)
        self.proc.setArguments(arguments)
        if env:
            from PySide6.QtCore import QProcessEnvironment

            penv = QProcessEnvironment.systemEnvironment()
            for k, v in env.items():
                penv.insert(k, v)
            self.proc.setProcessEnvironment(penv)
        self.proc.readyReadStandardOutput.connect(self._read_stdout)
        self.proc.readyReadStandardError.connect(self._read_stderr)
        self.proc.finished.connect(self._finished)
        self.proc.errorOccurred.connect(self._error)
        self._buffer = b""
        self._saw_end = False

    def start(self) -> None:
        self.proc.start()

    def pause(self) -> None:  # across processes there is no pause (supports_pause is False)
        return None

    def resume(self) -> None:
        return None

    def stop(self) -> None:
        pid = self.proc.processId()
        if pid:
            os.kill(pid, signal.SIGINT)

    def is_running(self) -> bool:
        return self.proc.state() != QProcess.ProcessState.NotRunning

    def wait(self, ms: int = 60000) -> bool:
        return self.proc.waitForFinished(ms) if self.is_running() else True

    def _read_stdout(self) -> None:
        self._buffer += bytes(self.proc.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for raw in lines:
            self._line(raw.decode("utf-8", errors="replace").strip())

    def _line(self, line: str) -> None:
        if not line:
            return
        try:
            data = json.loads(line)
            ev = event_from_dict(data)
        except (ValueError, KeyError, TypeError):
            self.log.emit(line)  # not an event line: show it in the log panel
            return
        if isinstance(ev, (Finished, Failed)):
            self._saw_end = True
        self.event.emit(ev)

    def _read_stderr(self) -> None:
        text = bytes(self.proc.readAllStandardError().data()).decode("utf-8", errors="replace")
        for line in text.splitlines():
            if line.strip():
                self.log.emit(line)

    def _finished(self, code: int, status: QProcess.ExitStatus) -> None:
        self._read_stdout()
        if self._buffer:
            self._line(self._buffer.decode("utf-8", errors="replace").strip())
            self._buffer = b""
        if not self._saw_end:
            self.event.emit(Failed(message=self.tr("The training process ended with exit code {0} without "
                                                   "reporting a result.").format(code),
                                   advice=self.tr("Read the log panel for the process's own messages."),
                                   kind="unexpected"))
        self.ended.emit()

    def _error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._saw_end = True
            self.event.emit(Failed(message=self.tr("Could not start {0}.").format(self.proc.program()),
                                   advice=self.tr("Check that torchrun (PyTorch) is installed in this Python."),
                                   kind="unexpected"))
            self.ended.emit()
