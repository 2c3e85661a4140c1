"""The before/after table: perplexity, masked accuracy, NSP accuracy on held-out text, and forgetting.

It only arranges the engine's ``EvalMetrics`` (``when`` = before/after, ``split`` = eval/general); no figure is
computed here except the difference between two of them. Each row says in one line what its figure means, and
an accuracy stands beside its baseline (what a model that learnt nothing scores) when the core measured one
(``explain.baseline``): 75 % next-sentence accuracy reads differently when always guessing scores 71 %.
"""

from __future__ import annotations

import math
from html import escape

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QTextDocument
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem

from bertgui.events import EvalMetrics
from bertgui.gui.widgets import explain

GOOD, BAD, NEUTRAL = QColor("#188038"), QColor("#c5221f"), QColor("#5f6368")


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
        # the embedding check (issue 24, bertgui.engine.retrieval)
        ("eval", "retrieval_mrr", translate("EvalTable", "Embedding check on held-out text (MRR)"), True),
        ("eval", "retrieval_recall_at_10", translate("EvalTable", "Embedding check: found among the ten closest"),
         True),
        ("general", "retrieval_mrr", translate("EvalTable", "Embedding check on general text (MRR, forgetting)"),
         True),
    ]


def _fmt(attr: str, value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if attr == "retrieval_mrr":
        return f"{value:.3f}"
    return f"{value:,.2f}" if attr == "perplexity" else f"{value:.1%}"


def _text_height(label: QLabel, width: int) -> int:
    """The height ``label``'s rich text needs at ``width`` (QLabel's own heightForWidth overshoots in a cell)."""
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    margins = label.contentsMargins()
    doc.setTextWidth(max(40, width - margins.left() - margins.right() - 4))
    return int(doc.size().height()) + margins.top() + margins.bottom() + 6


class EvalTable(QTableWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("evalTable")
        self.setHorizontalHeaderLabels([self.tr("Measure"), self.tr("Before training"), self.tr("After training"),
                                        self.tr("Change"), self.tr("Baseline")])
        self.horizontalHeaderItem(4).setToolTip(self.tr("What a model that learnt nothing would score on the "
                                                        "same held-out text."))
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        h = self.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3, 4):
            h.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        h.sectionResized.connect(self._section_resized)

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
            base = explain.baseline(latest.get(("after", split)), attr)
            if base is None:
                base = explain.baseline(latest.get(("before", split)), attr)
            rows.append((label, split, attr, before, after, higher, base))
        self.clearContents()
        self.setRowCount(len(rows))
        for r, (label, split, attr, before, after, higher, base) in enumerate(rows):
            meaning = explain.meaning(split, attr)
            if base is not None:
                meaning += " " + self.tr("Baseline: {0}.").format(explain.baseline_meaning(attr))
            self._measure(r, label, meaning)
            self.setItem(r, 1, self._num(_fmt(attr, before)))
            self.setItem(r, 2, self._num(_fmt(attr, after)))
            change = QTableWidgetItem("–")
            if before is not None and after is not None:
                diff = after - before
                change.setText(f"{diff:+,.2f}" if attr == "perplexity" else f"{diff:+.3f}" if attr == "retrieval_mrr"
                               else self.tr("{0:+.1f} pt", "percentage points").format(diff * 100))
                better = (diff > 0) == higher
                below = base is not None and higher and after <= base  # a gain that still loses to guessing
                if abs(diff) > 1e-12:
                    change.setForeground(QBrush(BAD if not better else NEUTRAL if below else GOOD))
                if better and below:
                    change.setToolTip(self.tr("Better than before, but still no better than the baseline."))
            change.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(r, 3, change)
            baseline = self._num(_fmt(attr, base) if base is not None else "")
            if base is not None:
                baseline.setToolTip(explain.baseline_meaning(attr))
                if after is not None and after <= base:  # no better than guessing: say so where the eye is
                    baseline.setForeground(QBrush(BAD))
            self.setItem(r, 4, baseline)
        self.fit_rows()

    def fit_rows(self) -> None:
        """Rows as tall as their wrapped meaning at the current width; the table as tall as its rows."""
        width = max(120, self.columnWidth(0))
        line = self.fontMetrics().height() + 8
        for r in range(self.rowCount()):
            w = self.cellWidget(r, 0)
            self.setRowHeight(r, max(line, _text_height(w, width)) if w is not None else line)
        # As tall as its rows: no empty grid under three lines of figures (the header counts before it is shown).
        header = max(self.horizontalHeader().height(), self.horizontalHeader().sizeHint().height())
        height = header + sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)

    def _section_resized(self, index: int, _old: int, _new: int) -> None:
        if index == 0:  # the stretching Measure column changed width: its meanings wrap differently
            self.fit_rows()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self.fit_rows)  # after the header has given the Measure column its width

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override: filled while hidden, the widths were guesses
        super().showEvent(event)
        QTimer.singleShot(0, self, self.fit_rows)

    def _measure(self, row: int, label: str, meaning: str) -> None:
        """The figure's name, and under it in grey what it means (the item keeps the name for reading back)."""
        item = QTableWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, label)
        item.setToolTip(meaning)
        self.setItem(row, 0, item)
        cell = QLabel(f"{escape(label)}<br><span style='color:#5f6368; font-size:small'>{escape(meaning)}</span>"
                      if meaning else escape(label))
        cell.setObjectName("measureCell")
        cell.setWordWrap(True)
        cell.setTextFormat(Qt.TextFormat.RichText)
        cell.setContentsMargins(4, 2, 4, 2)
        cell.setToolTip(meaning)
        self.setCellWidget(row, 0, cell)

    def meaning_text(self, row: int) -> str:
        item = self.item(row, 0)
        return item.toolTip() if item else ""

    @staticmethod
    def _num(text: str) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def cell_text(self, row: int, col: int) -> str:
        item = self.item(row, col)
        if item is None:
            return ""
        label = item.data(Qt.ItemDataRole.UserRole)
        return str(label) if col == 0 and label is not None else item.text()
