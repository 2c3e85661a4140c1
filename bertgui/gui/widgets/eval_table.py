"""The before/after table: perplexity, masked accuracy, NSP accuracy on held-out text, and forgetting.

It only arranges the engine's ``EvalMetrics`` (``when`` = before/after, ``split`` = eval/general); no figure is
computed here except the difference between two of them.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from bertgui.events import EvalMetrics

GOOD, BAD = QColor("#188038"), QColor("#c5221f")


def _rows() -> list[tuple[str, str, str, bool]]:
    """(split, attribute, label, higher is better)."""
    translate = QCoreApplication.translate
    return [
        ("eval", "perplexity", translate("EvalTable", "Perplexity on held-out text (lower is better)"), False),
        ("eval", "masked_accuracy", translate("EvalTable", "Masked-word accuracy on held-out text"), True),
        ("eval", "nsp_accuracy", translate("EvalTable", "Next-sentence accuracy on held-out text"), True),
        ("general", "perplexity", translate("EvalTable", "Perplexity on general text (forgetting: lower is better)"),
         False),
        ("general", "masked_accuracy", translate("EvalTable", "Masked-word accuracy on general text (forgetting)"),
         True),
    ]


def _fmt(attr: str, value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.2f}" if attr == "perplexity" else f"{value:.1%}"


class EvalTable(QTableWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("evalTable")
        self.setHorizontalHeaderLabels([self.tr("Measure"), self.tr("Before training"), self.tr("After training"),
                                        self.tr("Change")])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        h = self.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)

    def show_evals(self, evals: list[EvalMetrics]) -> None:
        latest: dict[tuple[str, str], EvalMetrics] = {}
        for ev in evals:
            if ev.when in ("before", "after"):
                latest[(ev.when, ev.split)] = ev
        rows = []
        for split, attr, label, higher in _rows():
            before = getattr(latest.get(("before", split)), attr, None)
            after = getattr(latest.get(("after", split)), attr, None)
            if before is None and after is None:
                continue
            rows.append((label, attr, before, after, higher))
        self.setRowCount(len(rows))
        for r, (label, attr, before, after, higher) in enumerate(rows):
            self.setItem(r, 0, QTableWidgetItem(label))
            self.setItem(r, 1, self._num(_fmt(attr, before)))
            self.setItem(r, 2, self._num(_fmt(attr, after)))
            change = QTableWidgetItem("–")
            if before is not None and after is not None:
                diff = after - before
                change.setText(f"{diff:+,.2f}" if attr == "perplexity"
                               else self.tr("{0:+.1f} pt", "percentage points").format(diff * 100))
                better = (diff > 0) == higher
                if abs(diff) > 1e-12:
                    change.setForeground(QBrush(GOOD if better else BAD))
            change.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(r, 3, change)
        self.resizeRowsToContents()
        # As tall as its rows: no empty grid under three lines of figures.
        height = self.horizontalHeader().height() + sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)

    @staticmethod
    def _num(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def cell_text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        return item.text() if item else ""
