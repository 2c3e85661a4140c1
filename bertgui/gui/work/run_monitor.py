"""What a run looks like while it goes: progress bar, one line of figures, the live chart and a log.

Display only: every engine event is drawn here; what the events mean for the run's state (status bar, step
marks, the outcome other pages use) is the Train page's business.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QPlainTextEdit, QProgressBar, QSplitter, QVBoxLayout, QWidget

from bertgui.events import (
    CheckpointSaved,
    EvalMetrics,
    Failed,
    Finished,
    Progress,
    RunStarted,
    StateChanged,
    StepMetrics,
)
from bertgui.gui.messages import localize
from bertgui.gui.widgets.chart import LossChart
from bertgui.states import Phase


def duration(seconds: float | None) -> str:
    if seconds is None or seconds != seconds:
        return "–"
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"


class RunMonitor(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.total_steps = 0
        self.state = ""  # the engine's last StateChanged state (for the paused/resumed log lines)
        self.ended = False  # stopping or ended: no time-left estimate any more
        self.device = ""
        self.peak_memory = 0  # the highest device memory the run's steps reported (bytes)
        self._at: float | None = None  # when the event being drawn happened (replayed events), None: now
        self.progress = QProgressBar()
        self.progress.setObjectName("trainProgress")
        self.progress.setFormat(self.tr("step %v / %m"))
        self.progress_text = QLabel(self.tr("Not started."))
        self.progress_text.setObjectName("trainProgressText")
        self.chart = LossChart()
        self.log = QPlainTextEdit()
        self.log.setObjectName("trainLog")
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(5000)
        self.log.setPlaceholderText(self.tr("Messages from the run appear here."))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.chart)
        log_box = QGroupBox(self.tr("Log"))
        QVBoxLayout(log_box).addWidget(self.log)
        split.addWidget(log_box)
        split.setSizes([430, 140])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.progress)
        lay.addWidget(self.progress_text)
        lay.addWidget(split, 1)

    def reset(self) -> None:
        self.chart.clear()
        self.total_steps = 0
        self.state = ""
        self.ended = False
        self.device = ""
        self.peak_memory = 0
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress_text.setText(self.tr("Starting…"))

    def stopping(self) -> None:
        """Stop was asked for: the run ends after this step, so "about N left" would be wrong from now on."""
        self.ended = True
        self.progress_text.setText(self.tr("Step {0} / {1} · stopping: saving a checkpoint…").format(
            self.progress.value(), self.total_steps))

    def log_line(self, text: str, at: float | None = None) -> None:
        """One log line stamped with its time: now, or ``at`` for an event of a run replayed from its folder."""
        self.log.appendPlainText(f"[{time.strftime('%H:%M:%S', time.localtime(at))}] {text}")

    def show_event(self, ev: Any, at: float | None = None) -> None:
        """Draw one event; ``at``: when it happened, for events replayed from a run folder (None: now)."""
        self._at = at
        try:
            self._show_event(ev)
        finally:
            self._at = None

    def _log(self, text: str) -> None:
        self.log_line(text, self._at)

    def _show_event(self, ev: Any) -> None:
        if isinstance(ev, StepMetrics):
            self._step(ev)
        elif isinstance(ev, Progress):
            text = localize(ev.message) or ev.stage
            if ev.total:
                text += f" ({ev.done:,} / {ev.total:,})"
            self.progress_text.setText(text)
        elif isinstance(ev, RunStarted):
            self.total_steps = ev.total_steps
            self.device = ev.device
            self.progress.setRange(0, max(1, ev.total_steps))
            self.progress.setValue(ev.resumed_from_step)
            self.chart.set_planned_steps(ev.total_steps)
            heads = (self.tr("{0} start at random").format(", ".join(ev.new_heads)) if ev.new_heads
                     else self.tr("all heads from the checkpoint"))
            self._log(self.tr("Run started: {0} steps on {1} ({2}, {3}); {4:,} training sequences, {5:,} "
                                  "held-out sequences; {6}.").format(
                ev.total_steps, ev.device_name or ev.device, ev.precision, ev.mode, ev.train_sequences,
                ev.eval_sequences, heads))
        elif isinstance(ev, EvalMetrics):
            self.chart.add_eval(ev)
            nsp = (self.tr(", next-sentence accuracy {0:.1%}").format(ev.nsp_accuracy)
                   if ev.nsp_accuracy is not None else "")
            self._log(self.tr("Evaluation ({0}, {1}): perplexity {2:.2f}, masked accuracy {3:.1%}{4}.").format(
                {"before": self.tr("before training"), "during": self.tr("during training"),
                 "after": self.tr("after training")}.get(ev.when, ev.when),
                {"eval": self.tr("held-out text"), "general": self.tr("general text")}.get(ev.split, ev.split),
                ev.perplexity, ev.masked_accuracy, nsp))
        elif isinstance(ev, StateChanged):
            self._state(ev)
        elif isinstance(ev, CheckpointSaved):
            self._log(self.tr("Checkpoint saved at step {0}: {1}").format(ev.step, ev.path))
        elif isinstance(ev, Finished):
            self.ended = True
            self.progress.setValue(min(ev.step, self.progress.maximum()))
            done = (self.tr("Stopped at step {0} / {1} · elapsed {2}") if ev.stopped
                    else self.tr("Done: step {0} / {1} · elapsed {2}"))
            self.progress_text.setText(done.format(ev.step, self.total_steps, duration(ev.elapsed_s)))
            self.chart.flush()
            if ev.stopped:
                self.chart.mark(ev.step, self.tr("stopped"), "#e37400")
            self._log(self.tr("Run ended at step {0}; output in {1}.").format(ev.step, ev.output_dir))
        elif isinstance(ev, Failed):
            self.ended = True
            self.progress_text.setText(self.tr("Failed at step {0}").format(ev.step))
            self.chart.flush()
            self.chart.mark(ev.step, self.tr("failed"))
            self._log(self.tr("Failed: {0} {1}").format(localize(ev.message), localize(ev.advice)))
            if ev.details and ev.kind == "unexpected":  # a refusal (corpus, model, config …) is its message
                self._log(ev.details)

    def _state(self, ev: StateChanged) -> None:
        """Paused/resumed in the log; a pause after step N shows N on the bar (its figures come later)."""
        if ev.state == Phase.PAUSED:
            if ev.step > self.progress.value() and ev.step <= self.progress.maximum():
                self.progress.setValue(ev.step)
            if self.state != Phase.PAUSED:
                self._log(self.tr("Paused after step {0}.").format(ev.step))
        elif ev.state == Phase.TRAINING and self.state == Phase.PAUSED:
            self._log(self.tr("Resumed at step {0}.").format(ev.step))
        elif ev.state == Phase.STOPPING and not self.ended:
            self.stopping()
        self.state = ev.state

    def _step(self, m: StepMetrics) -> None:
        self.chart.add_step(m)
        self.total_steps = m.total_steps or self.total_steps
        if self.progress.maximum() != max(1, self.total_steps):
            self.progress.setRange(0, max(1, self.total_steps))
        self.progress.setValue(m.step)
        if self.ended:
            self.progress_text.setText(self.tr("Step {0} / {1} · stopping: saving a checkpoint…").format(
                m.step, self.total_steps))
            return
        line = self.tr("Step {0} / {1} · epoch {2:.2f} · {3:,.0f} tokens/s · elapsed {4} · about {5} "
                       "left").format(m.step, self.total_steps, m.epoch, m.tokens_per_second, duration(m.elapsed_s),
                                      duration(m.eta_s))
        self.progress_text.setText(line + self.memory_text(m))

    def memory_text(self, m: StepMetrics) -> str:
        """On a GPU, the memory in use now and the highest seen in this run (what decides a larger batch)."""
        if not m.device_memory_bytes or not self.device.startswith(("cuda", "mps")):
            return ""
        self.peak_memory = max(self.peak_memory, m.device_memory_bytes)
        return self.tr(" · GPU memory {0:.2f} GB (peak {1:.2f} GB)").format(m.device_memory_bytes / 2**30,
                                                                           self.peak_memory / 2**30)
