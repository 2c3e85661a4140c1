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


def pack(value: str) -> str | list[Any]:
    """A sentence for a JSON file: a :class:`Text` as ``[template, *args]`` so it can still be translated when read
    back (a cache read in a Chinese window), any other ``str`` as it is."""
    if not isinstance(value, Text):
        return str(value)
    return [value.template, *(a if isinstance(a, (int, float)) and not isinstance(a, bool) else str(a)
                              for a in value.args)]


def unpack(value: Any) -> str:
    """The inverse of :func:`pack`; a damaged entry reads as its text, never fails."""
    if isinstance(value, list) and value and isinstance(value[0], str):
        try:
            return Text(value[0], *value[1:])
        except (IndexError, KeyError, ValueError, TypeError):
            return str(value[0])
    return str(value)
