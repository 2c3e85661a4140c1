"""Showing errors: the core's message and its advice, in a box that does not block the event loop.

``QMessageBox.open()`` (window-modal, asynchronous) instead of ``exec()``: a nested event loop inside a slot is
how Qt applications re-enter half-finished code, and tests could not see the box either.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from bertgui.errors import BertguiError
from bertgui.text import Text


def localize(message: str) -> str:
    """The core's sentence in the user's language: a :class:`Text` is looked up by its template (context "Core")
    and filled in again; anything else, or a template without a translation, is shown as it is."""
    if not isinstance(message, Text):
        return message
    translated = QCoreApplication.translate("Core", message.template)
    if translated == message.template:
        return str(message)
    try:
        return translated.format(*(localize(a) if isinstance(a, Text) else a for a in message.args))
    except (IndexError, KeyError, ValueError):  # a broken translation must not hide the message
        return str(message)


def explain(exc: BaseException) -> tuple[str, str]:
    """(message, advice) for any exception: the core's own words when it is a BertguiError."""
    translate = QCoreApplication.translate
    if isinstance(exc, BertguiError):
        return localize(exc.message), localize(exc.advice)
    if isinstance(exc, MemoryError):
        return (translate("Messages", "The computer ran out of memory."),
                translate("Messages", "Close other programs, or choose a smaller model or batch size."))
    return (f"{type(exc).__name__}: {exc}",
            translate("Messages", "This is unexpected. The details are printed in the terminal that started bertgui; please report "
                                  "it if it persists."))


def show_error(parent: QWidget, exc: BaseException | None = None, *, message: str = "", advice: str = "",
               details: str = "", title: str = "") -> QMessageBox:
    if exc is not None:
        message, advice = explain(exc)
    else:
        message, advice = localize(message), localize(advice)
    box = QMessageBox(QMessageBox.Icon.Warning, title or QCoreApplication.translate("Messages", "bertgui"),
                      message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    if advice:
        box.setInformativeText(advice)
    if details:
        box.setDetailedText(details)
    box.open()
    return box


def error_html(message: str, advice: str = "") -> str:
    from html import escape

    out = f"<b>{escape(message)}</b>"
    if advice:
        out += f"<br>{escape(advice)}"
    return out
