"""The Export page's "Which model to export": every evaluated checkpoint with its figures, the best trade-off marked.

WHY: a run with evaluations during training (``eval_every``) measured the model several times, and the last one is
not always the one to keep: continued pre-training buys held-out perplexity with forgetting (general text) and, for
a sentence-transformers base, with its embeddings. The table shows the core's own choice
(:func:`bertgui.results.choose.choose_checkpoint`, the same as ``bertgui export --best``); the person picks a row
or lets the best trade-off be picked, and the export takes that checkpoint. Reading the run folder happens in a
worker (a long run's log can be large); the table only shows what came back.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bertgui.gui.messages import localize


class CheckpointChooser(QGroupBox):
    """Rows: the base model (for reference), then each evaluated checkpoint and the final model."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Which model to export"))
        self.setObjectName("checkpointChooser")
        self.choice: Any = None
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("checkpointTable")
        self.table.setHorizontalHeaderLabels([self.tr("Step"), self.tr("Held-out perplexity"),
                                              self.tr("General text perplexity"), self.tr("Embedding check (MRR)"),
                                              self.tr("Note")])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.reason = QLabel()
        self.reason.setObjectName("checkpointReason")
        self.reason.setWordWrap(True)
        self.best_button = QPushButton(self.tr("Select the best trade-off"))
        self.best_button.setObjectName("selectBestCheckpoint")
        self.best_button.clicked.connect(self.select_best)
        self.selected_label = QLabel()
        self.selected_label.setObjectName("checkpointSelected")
        self.selected_label.setWordWrap(True)
        intro = QLabel(self.tr(
            "The run measured the model more than once. Lower perplexity is better; the general text and the "
            "embedding check show what it forgot. The best trade-off: the lowest held-out perplexity whose general "
            "text and embedding check stay within 10 % of the base model."))
        intro.setWordWrap(True)
        intro.setStyleSheet("color: #5f6368;")
        row = QHBoxLayout()
        row.addWidget(self.best_button)
        row.addWidget(self.selected_label, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.reason)
        layout.addLayout(row)
        self.hide()

    # ------------------------------------------------------------------------------------------ showing
    def show_choice(self, choice: Any, final_path: str = "") -> None:
        """The core's ``ExportChoice``; shown only when there is more than one model to choose from.

        The final model (``final_path``, the run folder) is selected at first: what Export wrote before."""
        self.choice = choice
        rows = list(choice.rows) if choice is not None else []
        self.table.setRowCount(0)
        if len(rows) < 2:
            self.hide()
            self.changed.emit()
            return
        shown = ([choice.base] if choice.base is not None else []) + rows
        self.table.setRowCount(len(shown))
        for i, r in enumerate(shown):
            is_base = r is choice.base
            note = (self.tr("base model (not exported)") if is_base else
                    self.tr("best trade-off") if r is choice.best else
                    self.tr("forgets more than 10 %") if not r.within else "")
            if not is_base and r.path == final_path:
                note = self.tr("{0}; final model").format(note) if note else self.tr("final model")
            cells = [self.tr("base") if is_base else f"{r.step:,}", _fmt(r.eval_perplexity, ".2f"),
                     _fmt(r.general_perplexity, ".2f"), _fmt(r.retrieval_mrr, ".3f"), note]
            for col, value in enumerate(cells):
                item = QTableWidgetItem(value)
                if col < 4:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if is_base:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                    item.setForeground(QColor("#5f6368"))
                elif r is choice.best:
                    item.setBackground(QColor("#e6f4ea"))
                elif not r.within:
                    item.setForeground(QColor("#b06000"))
                if col == 3 and r.retrieval_mrr is None:
                    item.setToolTip(self.tr("Not measured at this step: the embedding check runs before and after "
                                            "training."))
                item.setData(Qt.ItemDataRole.UserRole, None if is_base else r.path)
                self.table.setItem(i, col, item)
        self.reason.setText(localize(choice.reason))
        self.best_button.setEnabled(choice.best is not None)
        self.show()
        final_row = next((i for i, r in enumerate(shown) if r is not choice.base and r.path == final_path),
                         len(shown) - 1)
        self.table.selectRow(final_row)
        self.table.setMaximumHeight(self.table.verticalHeader().length() + self.table.horizontalHeader().height()
                                    + 2 * self.table.frameWidth() + 2)

    def select_best(self) -> None:
        if self.choice is None or self.choice.best is None:
            return
        for i in range(self.table.rowCount()):
            item = self.table.item(i, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == self.choice.best.path:
                self.table.selectRow(i)
                return

    # ------------------------------------------------------------------------------------------ reading
    def selected_path(self) -> str:
        """What the export should take: a checkpoint folder, the run folder (its final model), or '' (no choice
        shown: the run as it is)."""
        if self.isHidden():
            return ""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return ""
        item = self.table.item(rows[0].row(), 0)
        return str(item.data(Qt.ItemDataRole.UserRole) or "") if item is not None else ""

    def selected_step(self) -> int | None:
        if self.isHidden() or self.choice is None:
            return None
        path = self.selected_path()
        return next((r.step for r in self.choice.rows if r.path == path), None)

    def _selection_changed(self) -> None:
        step = self.selected_step()
        best = self.choice.best if self.choice is not None else None
        if step is None:
            self.selected_label.setText("")
        elif best is not None and step == best.step:
            self.selected_label.setText(self.tr("Export takes step {0}: the best trade-off.").format(f"{step:,}"))
        else:
            self.selected_label.setText(self.tr("Export takes step {0}.").format(f"{step:,}"))
        self.changed.emit()


def _fmt(value: float | None, spec: str) -> str:
    return format(value, spec) if value is not None else "–"
