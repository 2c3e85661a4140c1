"""Token chips: one sequence as the model sees it, each token a coloured chip, the original under it.

Painted by one widget (not one QLabel per token): a 512-token sequence is one paint call, and the layout wraps
with the width. Pieces of one word sit together with a joint underline, so whole-word masking is visible. Text
uses the widget's (system) font, so Chinese and other scripts render wherever the system has a font for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QToolTip, QWidget

KINDS = ("masked", "random", "kept", "none", "special")
# (fill, border, text)
STYLE = {
    "masked": ("#fce8e6", "#c5221f", "#a50e0e"),
    "random": ("#fef7e0", "#e37400", "#8a4b00"),
    "kept": ("#e8f0fe", "#1967d2", "#174ea6"),
    "none": ("#ffffff", "#c4c7c5", "#202124"),
    "special": ("#e8eaed", "#9aa0a6", "#5f6368"),
}


def kind_label(kind: str) -> str:
    translate = QCoreApplication.translate
    return {"masked": translate("Chips", "masked → [MASK]"), "random": translate("Chips", "replaced by a random token"),
            "kept": translate("Chips", "selected, kept unchanged"), "none": translate("Chips", "not selected"),
            "special": translate("Chips", "special token")}[kind]


@dataclass
class Chip:
    text: str  # what the model sees at this position
    kind: str = "none"
    original: str = ""  # the token before masking ('' when unchanged and unselected)
    word: int = -1  # chips with the same word number (>= 0) and adjacent form one word
    segment: int = 0  # token type (sentence A = 0, B = 1)


class TokenChips(QWidget):
    H_GAP = 6  # between words
    PIECE_GAP = 1  # between pieces of one word
    V_GAP = 8
    PAD = 5

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("tokenChips")
        self.chips: list[Chip] = []
        self._rects: list[QRect] = []
        self._layout_width = -1
        self.setMouseTracking(True)
        sp = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        sp.setHeightForWidth(True)
        self.setSizePolicy(sp)

    def set_chips(self, chips: list[Chip]) -> None:
        self.chips = list(chips)
        self._layout_width = -1
        self.updateGeometry()
        self.update()

    def kinds(self) -> list[str]:
        return [c.kind for c in self.chips]

    # ------------------------------------------------------------ geometry
    def _small_font(self) -> QFont:
        f = QFont(self.font())
        f.setPointSizeF(max(6.0, f.pointSizeF() * 0.8))
        return f

    def _chip_size(self, chip: Chip, fm: QFontMetrics, sfm: QFontMetrics) -> QSize:
        w = max(fm.horizontalAdvance(chip.text), sfm.horizontalAdvance(chip.original)) + 2 * self.PAD
        return QSize(max(w, 18), fm.height() + sfm.height() + 6)

    def _compute(self, width: int) -> tuple[list[QRect], int]:
        fm, sfm = QFontMetrics(self.font()), QFontMetrics(self._small_font())
        rects: list[QRect] = []
        x = y = 0
        row_h = fm.height() + sfm.height() + 6
        # Keep a word's pieces on one line when it fits: wrap at word starts.
        i = 0
        n = len(self.chips)
        while i < n:
            j = i + 1
            while j < n and self._same_word(j - 1, j):
                j += 1
            sizes = [self._chip_size(c, fm, sfm) for c in self.chips[i:j]]
            word_w = sum(s.width() for s in sizes) + self.PIECE_GAP * (len(sizes) - 1)
            if x > 0 and x + word_w > width:
                x, y = 0, y + row_h + self.V_GAP
            for s in sizes:
                if x > 0 and x + s.width() > width:
                    x, y = 0, y + row_h + self.V_GAP
                rects.append(QRect(x, y, s.width(), row_h))
                x += s.width() + self.PIECE_GAP
            x += self.H_GAP - self.PIECE_GAP
            i = j
        return rects, (y + row_h if n else row_h)

    def _same_word(self, a: int, b: int) -> bool:
        return self.chips[a].word >= 0 and self.chips[a].word == self.chips[b].word

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt override
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._compute(max(width, 50))[1] + 4

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, self.heightForWidth(600))

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(100, 30)

    def _ensure_layout(self) -> None:
        if self._layout_width != self.width():
            self._rects, _ = self._compute(max(self.width(), 50))
            self._layout_width = self.width()

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._layout_width = -1
        super().resizeEvent(event)

    # ------------------------------------------------------------ painting
    def paintEvent(self, event) -> None:  # noqa: N802
        self._ensure_layout()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        fm = QFontMetrics(self.font())
        small = self._small_font()
        for i, (chip, r) in enumerate(zip(self.chips, self._rects, strict=False)):
            fill, border, text = STYLE.get(chip.kind, STYLE["none"])
            top = QRect(r.x(), r.y(), r.width(), fm.height() + 4)
            p.setPen(QPen(QColor(border), 1.6 if chip.kind in ("masked", "random", "kept") else 1))
            p.setBrush(QColor(fill))
            p.drawRoundedRect(top.adjusted(0, 0, -1, -1), 4, 4)
            p.setPen(QColor(text))
            p.setFont(self.font())
            p.drawText(top, Qt.AlignmentFlag.AlignCenter, chip.text)
            if chip.original:
                p.setFont(small)
                p.setPen(QColor("#5f6368"))
                p.drawText(QRect(r.x(), top.bottom() + 1, r.width(), r.height() - top.height()),
                           Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, chip.original)
            # A joint underline under the pieces of one word.
            if i + 1 < len(self.chips) and self._same_word(i, i + 1) and i + 1 < len(self._rects):
                nxt = self._rects[i + 1]
                if nxt.y() == r.y():
                    p.setPen(QPen(QColor("#5f6368"), 2))
                    p.drawLine(r.center().x(), top.bottom() + 1, nxt.center().x(), top.bottom() + 1)
        p.end()

    # ------------------------------------------------------------ hover
    def chip_rect(self, i: int) -> QRect:
        self._ensure_layout()
        return self._rects[i]

    def chip_at(self, pos: QPoint) -> int:
        self._ensure_layout()
        for i, r in enumerate(self._rects):
            if r.contains(pos):
                return i
        return -1

    def tooltip_for(self, i: int) -> str:
        c = self.chips[i]
        translate = QCoreApplication.translate
        lines = [f"{c.text}  —  {kind_label(c.kind)}"]
        if c.original and c.original != c.text:
            lines.append(translate("Chips", "original: {0}").format(c.original))
        lines.append(translate("Chips", "sentence {0}").format("A" if c.segment == 0 else "B"))
        return "\n".join(lines)

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            i = self.chip_at(e.pos())
            if i >= 0:
                QToolTip.showText(e.globalPos(), self.tooltip_for(i), self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)


class ChipLegend(QWidget):
    """One small chip per kind with its meaning, in a grid of ``columns`` so it fits a narrow panel."""

    def __init__(self, parent: QWidget | None = None, columns: int = 3) -> None:
        super().__init__(parent)
        lay = QGridLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setHorizontalSpacing(6)
        lay.setVerticalSpacing(2)
        for i, kind in enumerate(KINDS):
            fill, border, _text = STYLE[kind]
            sw = QLabel()
            sw.setFixedSize(22, 14)
            sw.setStyleSheet(f"background:{fill}; border:1.5px solid {border}; border-radius:3px;")
            row, col = divmod(i, columns)
            lay.addWidget(sw, row, 2 * col)
            lay.addWidget(QLabel(kind_label(kind)), row, 2 * col + 1)
        lay.setColumnStretch(2 * columns, 1)
