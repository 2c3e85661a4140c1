"""NSP pairs as cards: sentence A and sentence B in two colours, the label in words, where each came from."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

A_STYLE = "background:#e8f0fe; border-left:4px solid #1967d2; padding:6px; border-radius:3px;"
B_STYLE = "background:#fef7e0; border-left:4px solid #e37400; padding:6px; border-radius:3px;"
FOLLOWS_COLOUR = "#188038"
RANDOM_COLOUR = "#c5221f"


@dataclass
class PairCardData:
    a_text: str
    b_text: str
    is_next: bool | None  # None: MLM-only (no label)
    a_origin: str
    b_origin: str
    truncated: bool = False


class PairCard(QFrame):
    def __init__(self, number: int, data: PairCardData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pairCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.data = data
        lay = QVBoxLayout(self)
        lay.setSpacing(4)
        if data.is_next is None:
            label, colour = self.tr("Segment (MLM only, no sentence pair)"), "#5f6368"
        elif data.is_next:
            label, colour = self.tr("B follows A"), FOLLOWS_COLOUR
        else:
            label, colour = self.tr("B is random"), RANDOM_COLOUR
        cut = self.tr("cut to fit the length")  # outside the f-string, where lupdate can see it
        self.label = QLabel(f"<b>{number}.</b> <b style='color:{colour}'>{label}</b>"
                            + (f" <span style='color:#5f6368'>— {cut}</span>" if data.truncated else ""))
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setWordWrap(True)
        lay.addWidget(self.label)
        self.a = self._sentence("A", data.a_text, data.a_origin, A_STYLE)
        lay.addWidget(self.a)
        if data.is_next is not None:
            self.b = self._sentence("B", data.b_text, data.b_origin, B_STYLE)
            lay.addWidget(self.b)

    def _sentence(self, tag: str, text: str, origin: str, style: str) -> QLabel:
        from html import escape

        w = QLabel(f"<b>{tag}</b>&nbsp; {escape(text)}<br><span style='color:#5f6368; font-size:small'>"
                   f"{escape(origin)}</span>")
        w.setTextFormat(Qt.TextFormat.RichText)
        w.setWordWrap(True)
        w.setStyleSheet(style)
        w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return w

    def label_text(self) -> str:
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.label.text())
        return doc.toPlainText()
