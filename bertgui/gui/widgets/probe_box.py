"""The Evaluate page's optional box: "Check on your own labelled examples" (the probe of bertgui.results.probe).

WHY on the Evaluate page: perplexity says whether the model reads the domain more easily; a person with a few
hundred labelled examples can see here whether the trained model sorts *their* documents better than the base.
The work (reading the file, loading two models, embedding, cross-validation) runs in a worker through a
``TaskSlot``, with progress and Cancel; the box only shows what the core reports, in the user's language.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bertgui.gui.messages import error_html, explain, localize
from bertgui.gui.work.tasks import Interrupted, TaskSlot, TaskState

ModelPaths = Callable[[], dict[str, str]]


def probe_job(file: str, paths: dict[str, str], names: dict[str, str], allow_pickle: bool,
              state: TaskState) -> Any:
    """The worker: read the labelled file, probe the base (and the trained) model; Cancel stops between batches."""
    from bertgui.gui.work.tasks import warm_imports

    warm_imports()
    from bertgui.data.labelled import read_labelled
    from bertgui.results.probe import ProbeCancelled, run_probe

    data = read_labelled(file)
    state.check()
    roles = [r for r in ("base", "tuned") if r in paths]
    try:
        return run_probe([paths[r] for r in roles], data, names=[names[r] for r in roles],
                         allow_pickle=allow_pickle, progress=state.set_progress,
                         cancelled=state.is_interruption_requested)
    except ProbeCancelled:
        raise Interrupted from None


class ProbeBox(QGroupBox):
    """File field, Check and Cancel, a progress bar and the result lines."""

    def __init__(self, model_paths: ModelPaths, allow_pickle: Callable[[], bool] = lambda: False,
                 parent: QWidget | None = None, keep: Callable[[Any, str, dict[str, str]], str] | None = None) -> None:
        """``keep(report, file, paths)``: keeps a result with the run (its summary and card); says where."""
        super().__init__(parent)
        self.keep = keep
        self.setTitle(self.tr("Check on your own labelled examples (optional)"))
        self.setObjectName("probeBox")
        self.model_paths = model_paths
        self.allow_pickle = allow_pickle
        self.tasks = TaskSlot(self)
        intro = QLabel(self.tr(
            "A CSV, TSV or JSON-lines file with a text and a label column, or a folder with one sub-folder per "
            "label (20 to 2 000 examples). Each model embeds every text; a simple classifier learns your labels "
            "from those embeddings, cross-validated, and the two models are compared."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #5f6368;")
        self.file = QLineEdit()
        self.file.setObjectName("probeFile")
        self.file.setPlaceholderText(self.tr("for example labelled.csv"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self.choose_file)
        self.run_button = QPushButton(self.tr("Check"))
        self.run_button.setObjectName("probeRun")
        self.run_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("probeCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.file, 1)
        row.addWidget(browse)
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        self.progress = QProgressBar()
        self.progress.setObjectName("probeProgress")
        self.progress.hide()
        self.result = QLabel()
        self.result.setObjectName("probeResult")
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        self.report: Any = None
        self._probed: tuple[str, dict[str, str]] | None = None

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Labelled examples"), "",
                                              self.tr("Labelled examples (*.csv *.tsv *.jsonl *.json);;All files (*)"))
        if path:
            self.file.setText(path)

    def start(self) -> None:
        file = self.file.text().strip()
        paths = {role: p for role, p in self.model_paths().items() if p and Path(p).is_dir()}
        if not file:
            self._problem(self.tr("Choose a labelled file first."), "")
            return
        if not paths:
            self._problem(self.tr("No model to check."), self.tr("Choose a model in step 2."))
            return
        translate = QCoreApplication.translate
        names = {"base": translate("ProbeBox", "base model"), "tuned": translate("ProbeBox", "trained model")}
        allow = self.allow_pickle()
        self.report = None
        self.result.setText("")
        self._busy(True)
        self._probed = (file, paths)
        self.tasks.start(lambda state: probe_job(file, paths, names, allow, state), name="probe",
                         progress=self.show_progress, done=self.show_report, failed=self._failed,
                         finished=lambda: self._busy(False))

    def cancel(self) -> None:
        self.tasks.cancel()
        self._busy(False)
        self.result.setText(escape(self.tr("Cancelled.")))

    def show_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 0))
        self.progress.setValue(min(done, total) if total else 0)
        self.progress.setFormat(f"{message} %v/%m" if total else message)

    def show_report(self, report: Any) -> None:
        self.report = report
        lines = [escape(localize(line)) for line in report.lines()]
        if self.keep is not None and self._probed is not None:
            kept = self.keep(report, *self._probed)
            if kept:
                lines.append(f"<i>{escape(kept)}</i>")
        self.result.setText("<br>".join(lines))

    def _failed(self, exc: BaseException, _tb: str) -> None:
        message, advice = explain(exc)
        self._problem(message, advice)

    def _problem(self, message: str, advice: str) -> None:
        self.result.setText(error_html(message, advice))

    def _busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.cancel_button.setVisible(busy)
        self.progress.setVisible(busy)
        if busy:
            self.progress.setRange(0, 0)

    def result_text(self) -> str:
        """The result as plain text (tests and screen readers)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.result.text())
        return doc.toPlainText()
