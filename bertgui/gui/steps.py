"""The step list on the left of the window: the flow in order, each step with a state mark.

States are words, not colours only (the mark's shape differs too, and the tooltip says it), so the list reads
the same for colour-blind people and in a screenshot.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem


class StepState(Enum):
    NOT_STARTED = "not started"
    READY = "ready"
    PROBLEM = "problem"
    DONE = "done"


MARK_COLOURS = {
    StepState.NOT_STARTED: QColor("#9aa0a6"),
    StepState.READY: QColor("#1a73e8"),
    StepState.PROBLEM: QColor("#d93025"),
    StepState.DONE: QColor("#188038"),
}


def state_label(state: StepState) -> str:
    translate = QCoreApplication.translate
    return {
        StepState.NOT_STARTED: translate("StepList", "not started"),
        StepState.READY: translate("StepList", "ready"),
        StepState.PROBLEM: translate("StepList", "problem"),
        StepState.DONE: translate("StepList", "done"),
    }[state]


def mark_icon(state: StepState, size: int = 20, ratio: float = 1.0) -> QIcon:
    """A circle: hollow (not started), filled (ready), red with '!' (problem), green with a tick (done)."""
    pix = QPixmap(int(size * ratio), int(size * ratio))
    pix.setDevicePixelRatio(ratio)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = MARK_COLOURS[state]
    r = QRectF(2, 2, size - 4, size - 4)
    if state is StepState.NOT_STARTED:
        p.setPen(QPen(colour, 2))
        p.drawEllipse(r)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawEllipse(r)
        p.setPen(QPen(QColor("white"), 2.2))
        if state is StepState.DONE:
            p.drawPolyline([r.center() + d for d in (_pt(-4, 0), _pt(-1, 3), _pt(4, -3))])
        elif state is StepState.PROBLEM:
            p.drawLine(_pt(size / 2, 6), _pt(size / 2, size - 9))
            p.drawPoint(_pt(size / 2, size - 6))
        else:
            p.setBrush(QColor("white"))
            p.drawEllipse(r.center(), 2.5, 2.5)
    p.end()
    return QIcon(pix)


def _pt(x: float, y: float) -> QPointF:
    return QPointF(x, y)


class StepList(QListWidget):
    """The steps, in order; selecting one shows its page. ``set_state(key, state)`` updates a mark."""

    step_selected = Signal(str)

    def __init__(self, steps: list[tuple[str, str]], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("stepList")
        self.setIconSize(QSize(20, 20))
        self.setSpacing(3)
        # A light selection keeps the state mark readable on the current step.
        self.setStyleSheet("QListWidget#stepList { border: none; background: palette(base); padding: 6px; }"
                           "QListWidget#stepList::item { border-radius: 6px; padding-left: 4px; }"
                           "QListWidget#stepList::item:selected { background: #d2e3fc; color: #174ea6; }")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.setFont(font)
        self._keys: list[str] = []
        self._titles: dict[str, str] = {}
        self.states: dict[str, StepState] = {}
        for i, (key, title) in enumerate(steps, 1):
            item = QListWidgetItem(f"{i}.  {title}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, 36))
            self.addItem(item)
            self._keys.append(key)
            self._titles[key] = title
            self.set_state(key, StepState.NOT_STARTED)
        self.currentRowChanged.connect(lambda row: self.step_selected.emit(self._keys[row]) if row >= 0 else None)
        self.setMinimumWidth(max(180, self.sizeHintForColumn(0) + 48))  # the page never squeezes the steps

    def set_state(self, key: str, state: StepState) -> None:
        self.states[key] = state
        item = self.item(self._keys.index(key))
        item.setIcon(mark_icon(state, ratio=self.devicePixelRatioF()))
        item.setToolTip(f"{self._titles[key]}: {state_label(state)}")
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, state_label(state))

    def select(self, key: str) -> None:
        self.setCurrentRow(self._keys.index(key))

    def current_key(self) -> str:
        return self._keys[max(0, self.currentRow())]
