"""What every page has: a title, a one-paragraph explanation, a progress line and an inline error line.

The error line names what is wrong and, given the field at fault, outlines that field in red; it goes away by
itself once the problem is gone (``resolved``, checked by ``recheck_problem`` whenever the page's inputs change),
so a banner never keeps complaining about something the person already fixed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from bertgui.gui.messages import error_html, explain
from bertgui.gui.work.session import Session
from bertgui.gui.work.tasks import TaskSlot

PROBLEM_FIELD_STYLE = "border: 2px solid #d93025; border-radius: 3px;"


def mark_field(widget: QWidget, on: bool) -> None:
    """Outline ``widget`` in red (on) or give it back its own style (off)."""
    if on:
        if widget.property("problem") is not True:
            widget.setProperty("styleBeforeProblem", widget.styleSheet())
        widget.setProperty("problem", True)
        widget.setStyleSheet(PROBLEM_FIELD_STYLE)
    elif widget.property("problem") is True:
        widget.setProperty("problem", False)
        widget.setStyleSheet(str(widget.property("styleBeforeProblem") or ""))


class Page(QWidget):
    key = ""

    def __init__(self, session: Session, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tasks = TaskSlot(self)
        self.title = QLabel(title)
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.intro.setStyleSheet("color: palette(placeholder-text);")
        self.busy = QProgressBar()
        self.busy.setObjectName("pageProgress")
        self.busy.setMaximumWidth(260)
        self.busy.setTextVisible(False)
        self.busy_label = QLabel()
        self.busy_label.setObjectName("pageProgressText")
        busy_row = QHBoxLayout()
        busy_row.addWidget(self.busy)
        busy_row.addWidget(self.busy_label, 1)
        self.busy_row = QWidget()
        self.busy_row.setLayout(busy_row)
        busy_row.setContentsMargins(0, 0, 0, 0)
        self.busy_row.hide()
        self.error = QLabel()
        self.error.setObjectName("pageError")
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.RichText)
        self.error.setStyleSheet("color: #b3261e; background: #fce8e6; border-radius: 4px; padding: 6px;")
        self.error.hide()
        self.problem_field: QWidget | None = None
        self._problem_resolved: Callable[[], bool] | None = None
        self.body = QVBoxLayout()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(18, 14, 18, 10)
        lay.addWidget(self.title)
        lay.addWidget(self.intro)
        lay.addWidget(self.busy_row)
        lay.addWidget(self.error)
        lay.addLayout(self.body, 1)

    # ------------------------------------------------------------ progress and errors
    def show_progress(self, done: int, total: int, message: str) -> None:
        self.busy_row.show()
        if total > 0:
            self.busy.setRange(0, total)
            self.busy.setValue(min(done, total))
        else:
            self.busy.setRange(0, 0)  # busy indicator
        self.busy_label.setText(message)

    def hide_progress(self) -> None:
        self.busy_row.hide()

    def show_problem(self, exc: BaseException | None = None, message: str = "", advice: str = "", *,
                     field: QWidget | None = None, resolved: Callable[[], bool] | None = None) -> None:
        """Show the problem; ``field`` is outlined, and ``resolved()`` turning true clears both."""
        if exc is not None:
            message, advice = explain(exc)
        self._unmark()
        self.problem_field, self._problem_resolved = field, resolved
        if field is not None:
            mark_field(field, True)
        self.error.setText(error_html(message, advice))
        self.error.show()

    def recheck_problem(self) -> bool:
        """Clear the shown problem when its condition is met now; True when it was cleared."""
        check = self._problem_resolved
        if check is None or self.error.isHidden():
            return False
        try:
            fixed = bool(check())
        except Exception:  # noqa: BLE001 - a check that cannot tell leaves the banner as it is
            return False
        if fixed:
            self.clear_problem()
        return fixed

    def _unmark(self) -> None:
        if self.problem_field is not None:
            mark_field(self.problem_field, False)
        self.problem_field, self._problem_resolved = None, None

    def clear_problem(self) -> None:
        self._unmark()
        self.error.hide()
        self.error.clear()

    def problem_text(self) -> str:
        return self.error.text() if self.error.isVisible() or self.error.text() else ""

    def shutdown(self, ms: int = 30000) -> None:
        """Cancel background work and wait for it (window closing, tests)."""
        slots = self.findChildren(TaskSlot)
        for slot in slots:
            slot.cancel()
        for slot in slots:
            slot.wait(ms)
