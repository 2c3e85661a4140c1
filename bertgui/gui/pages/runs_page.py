"""The Runs step: every run of the workspace in one table, one run's chart and evaluation, several runs compared.

WHY: a run is an afternoon's work; a person must be able to find it again, see what it did, compare it with the
others (the way TensorBoard or H2O LLM Studio list experiments) and continue, export or discard it on purpose.
The page only renders ``bertgui.engine.runs`` (the same reader as ``bertgui runs``) and forwards actions: resume
and "use its settings" go through the Train page's own path, export through the Export page.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bertgui.config import RunConfig
from bertgui.engine.folder import read_metrics
from bertgui.engine.runs import RunInfo, delete_run, list_runs, model_name
from bertgui.errors import BertguiError
from bertgui.events import EvalMetrics, StepMetrics
from bertgui.gui.pages.base import Page
from bertgui.gui.widgets.chart import LossChart, Series
from bertgui.gui.widgets.eval_table import EvalTable
from bertgui.gui.work.run_monitor import duration
from bertgui.gui.work.session import RunOutcome, Session
from bertgui.gui.work.tasks import TaskState
from bertgui.states import RunStatus

OVERLAY_COLOURS = ("#1a73e8", "#e8710a", "#188038", "#9334e6", "#d93025", "#12b5cb", "#f9ab00", "#5f6368")


def _ppl(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:,.2f}"


def state_label(state: str) -> str:
    translate = QCoreApplication.translate
    return {"running": translate("RunsPage", "running"), "paused": translate("RunsPage", "paused"),
            "stopped": translate("RunsPage", "stopped"), "finished": translate("RunsPage", "finished"),
            "failed": translate("RunsPage", "failed"), "interrupted": translate("RunsPage", "interrupted"),
            "missing": translate("RunsPage", "missing"), "unknown": translate("RunsPage", "unknown")}.get(state, state)


STATE_COLOURS = {"running": "#188038", "paused": "#e37400", "stopped": "#e37400", "finished": "#188038",
                 "failed": "#c5221f", "interrupted": "#c5221f", "missing": "#c5221f"}


def read_workspace(workspace: Path, state: TaskState) -> tuple[list[RunInfo], str]:
    """Worker: the runs, and a sentence when the workspace itself is missing or unreadable."""
    if not workspace.exists():
        return [], QCoreApplication.translate("RunsPage", "The workspace {0} does not exist yet; it is made when "
                                              "the first run starts.").format(workspace)
    if not workspace.is_dir():
        return [], QCoreApplication.translate("RunsPage", "The workspace {0} is not a folder.").format(workspace)
    return list_runs(workspace), ""


class RunsPage(Page):
    key = "runs"
    resume_requested = Signal(str)  # a run folder: the window hands it to the Train page

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("Runs"), self.tr(
            "Every run of the workspace, newest first. Select one to see its curve and evaluation; select several "
            "(Ctrl or Shift) to compare their loss curves and figures."), parent)
        self.runs: list[RunInfo] = []
        self.workspace_label = QLabel()
        self.workspace_label.setObjectName("workspaceLabel")
        self.workspace_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        change = QPushButton(self.tr("Change workspace…"))
        change.clicked.connect(self.choose_workspace)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Workspace:")))
        top.addWidget(self.workspace_label, 1)
        top.addWidget(change)
        top.addWidget(refresh)
        self.body.addLayout(top)

        self.headers = [self.tr("Run"), self.tr("State"), self.tr("Base model"), self.tr("Corpus"), self.tr("Mode"),
                        self.tr("Steps"), self.tr("Time"), self.tr("Perplexity before → after"),
                        self.tr("General text")]
        self.table = QTableWidget(0, len(self.headers))
        self.table.setObjectName("runsTable")
        self.table.setHorizontalHeaderLabels(self.headers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.empty = QLabel()
        self.empty.setObjectName("runsEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(placeholder-text);")

        self.actions: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for key, label, slot in (("resume", self.tr("Resume"), self.resume_selected),
                                 ("export", self.tr("Export…"), self.export_selected),
                                 ("open", self.tr("Open folder"), self.open_selected),
                                 ("settings", self.tr("Use its settings"), self.use_settings),
                                 ("delete", self.tr("Delete…"), self.delete_selected)):
            b = QPushButton(label)
            b.setObjectName(f"runs-{key}")
            b.clicked.connect(slot)
            bar.addWidget(b)
            self.actions[key] = b
        self.actions["settings"].setToolTip(self.tr("Load this run's settings, corpus and model for a new run."))
        self.actions["delete"].setToolTip(self.tr("Move the run folder to the trash (asks first)."))
        bar.addStretch(1)

        self.chart = LossChart()
        self.chart.setObjectName("runsChart")
        self.overlays: list[pg.PlotDataItem] = []
        self.eval_table = EvalTable()
        self.compare_table = QTableWidget()
        self.compare_table.setObjectName("compareTable")
        self.compare_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.details = QStackedWidget()
        self.details.addWidget(self.eval_table)
        self.details.addWidget(self.compare_table)
        self.problems = QLabel()
        self.problems.setObjectName("runProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b3261e;")
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.addWidget(self.chart)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.details, 1)
        rl.addWidget(self.problems)
        lower.addWidget(right)
        lower.setSizes([620, 480])
        upper = QWidget()
        ul = QVBoxLayout(upper)
        ul.setContentsMargins(0, 0, 0, 0)
        ul.addWidget(self.table, 1)
        ul.addWidget(self.empty)
        ul.addLayout(bar)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setSizes([300, 420])
        self.body.addWidget(split, 1)

        session.runs_changed.connect(self.refresh)
        session.workspace_changed.connect(self._show_workspace)
        self._show_workspace()
        self._update_actions()

    # ------------------------------------------------------------ reading
    def entered(self) -> None:
        self.refresh()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if getattr(self, "_stale", False) and not self.tasks.busy():
            self.refresh()

    def _show_workspace(self) -> None:
        self.workspace_label.setText(str(self.session.workspace))

    def refresh(self) -> None:
        """Read the workspace again, in the background; a hidden page waits until it is shown (no work mid-run)."""
        if self.isHidden():  # another step is shown (the stack hides the other pages)
            self._stale = True
            return
        self._stale = False
        workspace = Path(self.session.workspace)
        self.tasks.start(lambda state: read_workspace(workspace, state), name="runs-list", done=self._show_runs,
                         failed=lambda exc, tb: self.show_problem(exc))

    def _show_runs(self, result: tuple[list[RunInfo], str]) -> None:
        runs, note = result
        selected = {str(r.folder) for r in self.selected_runs()}
        self.runs = runs
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.setRowCount(len(runs))
        for row, info in enumerate(runs):
            for col, value in enumerate(self.row_texts(info)):
                item = QTableWidgetItem(value)
                if col == 1:
                    item.setForeground(QColor(STATE_COLOURS.get(info.state, "#5f6368")))
                if col == 0:
                    item.setToolTip(str(info.folder) + ("\n" + "\n".join(info.problems) if info.problems else ""))
                if col >= 5:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        for row, info in enumerate(runs):
            if str(info.folder) in selected:
                self.table.selectRow(row) if len(selected) == 1 else self._add_row_to_selection(row)
        self.table.blockSignals(False)
        self.empty.setText(note or (self.tr("No runs in this workspace yet. Runs started on the Train page appear "
                                            "here.") if not runs else ""))
        self.empty.setVisible(bool(self.empty.text()))
        self._selection_changed()

    def _add_row_to_selection(self, row: int) -> None:
        model = self.table.selectionModel()
        from PySide6.QtCore import QItemSelectionModel

        model.select(self.table.model().index(row, 0), QItemSelectionModel.SelectionFlag.Select
                     | QItemSelectionModel.SelectionFlag.Rows)

    def row_texts(self, info: RunInfo) -> list[str]:
        change = info.general_change
        steps = f"{info.steps_done:,} / {info.steps_planned:,}" if info.steps_planned else f"{info.steps_done:,}"
        return [info.name, state_label(info.state), model_name(info.base_model), info.corpus,
                {"mlm+nsp": self.tr("MLM + NSP"), "mlm": self.tr("MLM")}.get(info.mode, info.mode), steps,
                duration(info.duration_s) if info.duration_s else "–",
                f"{_ppl(info.perplexity_before)} → {_ppl(info.perplexity_after)}",
                "–" if change is None else f"{change:+.1%}"]

    def selected_runs(self) -> list[RunInfo]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.runs[r] for r in rows if r < len(self.runs)]

    def select_runs(self, *folders: str | Path) -> None:
        wanted = {str(f) for f in folders}
        self.table.clearSelection()
        for row, info in enumerate(self.runs):
            if str(info.folder) in wanted:
                self._add_row_to_selection(row)

    # ------------------------------------------------------------ showing the selection
    def _selection_changed(self) -> None:
        runs = self.selected_runs()
        self._clear_overlays()
        self.chart.clear()
        self.problems.setText("")
        if len(runs) == 1:
            self._show_one(runs[0])
        elif len(runs) > 1:
            self._compare(runs)
        self._update_actions()

    def _show_one(self, info: RunInfo) -> None:
        evals = []
        for ev in read_metrics(info.folder) if info.folder.is_dir() else []:
            if isinstance(ev, StepMetrics):
                self.chart.add_step(ev)
            elif isinstance(ev, EvalMetrics):
                self.chart.add_eval(ev)
                evals.append(ev)
        self.chart.flush()
        self.eval_table.show_evals(evals)
        self.details.setCurrentWidget(self.eval_table)
        self.problems.setText("\n".join(info.problems))

    def _compare(self, runs: list[RunInfo]) -> None:
        """One smoothed MLM-loss curve per run on one chart; their figures side by side.

        The MLM loss, not the total: an MLM + NSP run's total adds its NSP loss, so the totals of an MLM-only run
        and an MLM + NSP run do not compare; their MLM losses do. The legend says so.
        """
        item = self.chart.plot.getPlotItem()
        weight = self.chart.smoothing.value() / 100
        for i, info in enumerate(runs):
            xs, loss = Series(), Series()
            for ev in read_metrics(info.folder) if info.folder.is_dir() else []:
                if isinstance(ev, StepMetrics):
                    xs.append(float(ev.step), 0.0)
                    loss.append(float(ev.mlm_loss), weight)
            curve = item.plot(xs.values(), loss.smoothed(), name=info.name,
                              pen=pg.mkPen(OVERLAY_COLOURS[i % len(OVERLAY_COLOURS)], width=2.2))
            self.overlays.append(curve)
        # the legend names the runs, not one run's loss parts
        self.chart.set_run_legend([(self.tr("{0} (MLM loss)").format(info.label),
                                    OVERLAY_COLOURS[i % len(OVERLAY_COLOURS)]) for i, info in enumerate(runs)])
        rows = [(self.tr("Base model"), lambda r: model_name(r.base_model)), (self.tr("Corpus"), lambda r: r.corpus),
                (self.tr("State"), lambda r: state_label(r.state)),
                (self.tr("Steps"), lambda r: f"{r.steps_done:,} / {r.steps_planned:,}"),
                (self.tr("Time"), lambda r: duration(r.duration_s) if r.duration_s else "–"),
                (self.tr("Perplexity before"), lambda r: _ppl(r.perplexity_before)),
                (self.tr("Perplexity after"), lambda r: _ppl(r.perplexity_after)),
                (self.tr("General text change"),
                 lambda r: "–" if r.general_change is None else f"{r.general_change:+.1%}")]
        table = self.compare_table
        table.clear()
        table.setRowCount(len(rows))
        table.setColumnCount(len(runs))
        # the label without the base model (a row of its own), one part a line: a narrow column still shows it
        table.setHorizontalHeaderLabels([r.label.split(" · ", 1)[-1].replace(" · ", "\n") for r in runs])
        for col in range(len(runs)):
            table.horizontalHeaderItem(col).setForeground(QColor(OVERLAY_COLOURS[col % len(OVERLAY_COLOURS)]))
            table.horizontalHeaderItem(col).setToolTip(runs[col].name)
        table.setVerticalHeaderLabels([label for label, _ in rows])
        for col, info in enumerate(runs):
            for row, (_, get) in enumerate(rows):
                table.setItem(row, col, QTableWidgetItem(get(info)))
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.details.setCurrentWidget(table)
        self.problems.setText("\n".join(f"{r.name}: {p}" for r in runs for p in r.problems))

    def _clear_overlays(self) -> None:
        item = self.chart.plot.getPlotItem()
        if not self.overlays:
            return
        for curve in self.overlays:
            item.removeItem(curve)
        self.overlays.clear()
        self.chart.clear_run_legend()

    def overlay_names(self) -> list[str]:
        return [c.name() for c in self.overlays]

    def _update_actions(self) -> None:
        runs = self.selected_runs()
        one = len(runs) == 1
        busy = self.session.training_active
        for key in ("resume", "export", "open", "settings"):
            self.actions[key].setEnabled(one)
        self.actions["resume"].setEnabled(one and not busy and RunStatus.read(runs[0].state).resumable)
        self.actions["export"].setEnabled(one and bool(runs[0].final_model))
        self.actions["delete"].setEnabled(bool(runs) and all(r.state != "running" for r in runs))

    # ------------------------------------------------------------ actions
    def _one(self) -> RunInfo | None:
        runs = self.selected_runs()
        if len(runs) != 1:
            return None
        if not runs[0].folder.is_dir():
            self.show_problem(message=self.tr("The run folder {0} no longer exists.").format(runs[0].folder),
                              advice=self.tr("It was moved or deleted outside bertgui; the list is read again."))
            self.refresh()
            return None
        self.clear_problem()
        return runs[0]

    def resume_selected(self) -> None:
        info = self._one()
        if info is not None:
            self.resume_requested.emit(str(info.folder))

    def open_selected(self) -> None:
        info = self._one()
        if info is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(info.folder)))

    def use_settings(self) -> bool:
        """Corpus, model and every setting of the run, for a new run (in a new folder of its own)."""
        info = self._one()
        if info is None:
            return False
        try:
            config = RunConfig.load(info.config_path).replace(output_dir="")
        except BertguiError as exc:
            self.show_problem(exc)
            return False
        self.session.update_config(config, source=self)
        if config.corpus:
            self.session.set_corpus(config.corpus, text_column=config.text_column, documents=config.documents)
        self.session.request_model(config.model)
        return True

    def export_selected(self) -> RunOutcome | None:
        """Make the run the one the Export page exports (its final model), then the window shows that page."""
        info = self._one()
        if info is None:
            return None
        evals = [ev for ev in read_metrics(info.folder) if isinstance(ev, EvalMetrics)]
        outcome = RunOutcome(output_dir=str(info.folder), last_checkpoint=info.last_checkpoint,
                             stopped=info.state == "stopped", failed=not info.final_model, step=info.steps_done,
                             evals=evals, summary={"final_model_dir": info.final_model})
        self.session.set_outcome(outcome)
        return outcome

    def delete_selected(self) -> None:
        runs = self.selected_runs()
        if not runs:
            return
        names = "\n".join(f"• {r.name}" for r in runs)
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Delete runs"),
                          self.tr("Move these runs to the trash?\n{0}").format(names),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setObjectName("deleteRunQuestion")
        box.setInformativeText(self.tr("Their models, checkpoints and metrics go with them. You can restore them "
                                       "from the trash."))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.finished.connect(lambda r: self._delete(runs) if r == QMessageBox.StandardButton.Yes else None)
        self.delete_question = box
        box.open()

    def _delete(self, runs: list[RunInfo]) -> None:
        failures: list[Any] = []
        for info in runs:
            try:
                delete_run(info.folder)
            except BertguiError as exc:
                failures.append(exc)
        if failures:
            self.show_problem(failures[0])
        else:
            self.clear_problem()
        if any(str(r.folder) == self.session.last_run for r in runs):
            self.session.set_last_run("")  # also reads the list again
        else:
            self.refresh()

    def choose_workspace(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Workspace folder"), str(self.session.workspace))
        if path:
            self.session.set_workspace(path)
