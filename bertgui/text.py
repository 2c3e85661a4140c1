"""Sentences for people that remember their template, so the window can show them in the user's language.

WHY: the core has no Qt (it runs on servers and under torchrun), yet its errors, advice and progress messages reach
the window, whose user may read Chinese. ``text("The corpus file {0} is empty.", path)`` is a plain ``str`` (the CLI
prints it as it is, in English) that also carries its template and arguments; the GUI looks the template up in
its Qt translations (context "Core") and fills in the arguments again. ``scripts/update_translations.py`` finds
every ``text("…")`` call of the core and hands the templates to lupdate.
"""

from __future__ import annotations

from typing import Any


class Text(str):
    """A ``str`` equal to ``template.format(*args)``, with ``template`` and ``args`` kept for translation."""

    template: str
    args: tuple[Any, ...]

    def __new__(cls, template: str, *args: Any) -> Text:
        obj = super().__new__(cls, template.format(*args) if args else template)
        obj.template = template
        obj.args = args
        return obj

    def __reduce__(self) -> tuple[Any, ...]:  # copies and pickles keep the template (dataclasses.asdict copies)
        return (Text, (self.template, *self.args))


def text(template: str, *args: Any) -> Text:
    """Mark a user-facing sentence; positional ``{0}``, ``{1:,}`` placeholders only (translations reorder them)."""
    return Text(template, *args)
