"""Text as people have it, made fit to read: terminal escape codes and control characters out, fortune files split.

WHY a module of its own: a corpus copied from a terminal, a log or a ``fortune`` database carries bytes that are
not language. Read raw, ANSI colour codes become words ("32m", "33m" among the most fragmented words), and the
``%`` lines that separate fortune entries are neither separators nor text, so a file of 400 entries is 7 documents.
The reader (:mod:`bertgui.data.corpus`) calls :func:`clean_line` on every line of a text file and asks
:func:`is_fortune_file` whether ``%`` lines end documents; :func:`prose_warning` says when a sample looks like
markup or logs rather than prose. Counts travel in a :class:`Cleaning` so the pages can say how much was removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# ECMA-48: CSI (ESC [ … final byte), OSC (ESC ] … BEL or ESC \), other two-byte escapes; the 8-bit CSI too.
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
OVERSTRIKE = re.compile(r"[^\x08]\x08")  # man-page bold/underline: "_\bw" or "w\bw" prints one letter
# C0 and C1 controls except tab, line feed, carriage return and form feed (text files use those), plus DEL.
CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f]")  # NUL: binary data, its document is skipped (corpus.py)
FORTUNE_SEPARATOR = re.compile(r"^%%?\s*$")
FORTUNE_MIN_SEPARATORS = 2  # two "%" lines make entries; one could be a stray line of text
MARKUP_LINE = re.compile(r"^\s*</?[A-Za-z][\w:-]*(?:\s[^>]*)?/?>")
LOG_LINE = re.compile(r"^\s*(?:\[?\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}|\[?\d{2}:\d{2}:\d{2}[\].,]|"
                      r"(?:DEBUG|INFO|WARN(?:ING)?|ERROR|FATAL|TRACE)\b[\s:\]])")
NOT_PROSE_SHARE = 0.3  # a sample with this share of markup or log lines is probably not prose


@dataclass
class Cleaning:
    """What was removed while reading, per corpus: escape sequences and other control characters."""

    escapes: int = 0
    controls: int = 0
    fortune_files: list[str] = field(default_factory=list)
    not_prose: dict[str, str] = field(default_factory=dict)  # file name -> why it looks like markup or a log

    @property
    def removed(self) -> int:
        return self.escapes + self.controls

    def notes(self) -> list[str]:
        """Plain-language notes for the pages and ``preview`` (empty when nothing was changed)."""
        from bertgui.text import text

        out = []
        if self.removed:
            out.append(text("Removed {0:,} terminal escape code(s) and {1:,} other control character(s): they are "
                            "not text (colour codes would become words such as '32m').", self.escapes,
                            self.controls))
        if self.fortune_files:
            out.append(text("{0}: entries separated by '%' lines (fortune format); each entry is a document.",
                            ", ".join(self.fortune_files)))
        out += [text("{0}: {1}", name, why) for name, why in self.not_prose.items()]
        return out


def clean_line(line: str, cleaning: Cleaning | None = None) -> str:
    """``line`` without terminal escape codes, overstrikes and control characters; counted into ``cleaning``."""
    if not _suspect(line):
        return line
    line, escapes = ANSI.subn("", line)
    line, overstrikes = OVERSTRIKE.subn("", line)  # "_\bw" and "w\bw" both print "w"
    line, controls = CONTROL.subn("", line)
    if cleaning is not None:
        cleaning.escapes += escapes
        cleaning.controls += controls + overstrikes
    return line


def _suspect(line: str) -> bool:
    """Fast path: most lines hold no character below space except the line end."""
    return any(c < " " and c not in "\t\n\r\f" or "\x7f" <= c <= "\x9f" for c in line)


def is_fortune_file(lines: list[str]) -> bool:
    """Whether a sample of lines is a fortune database: entries between lines that hold only ``%`` (or ``%%``).

    Two or more separator lines with text between them, and no blank-line paragraphs doing the separating
    instead (a blank line inside an entry is allowed: the separators outnumber the blank lines).
    """
    separators = sum(1 for ln in lines if FORTUNE_SEPARATOR.match(ln))
    if separators < FORTUNE_MIN_SEPARATORS:
        return False
    blanks = sum(1 for ln in lines if not ln.strip())
    return separators >= blanks


def is_fortune_separator(line: str) -> bool:
    return bool(FORTUNE_SEPARATOR.match(line))


def prose_warning(lines: list[str]) -> str:
    """A warning when a sample looks like markup (HTML/XML) or a log rather than prose; "" when it reads as text."""
    from bertgui.text import text

    filled = [ln for ln in lines if ln.strip()]
    if len(filled) < 5:
        return ""
    markup = sum(1 for ln in filled if MARKUP_LINE.match(ln)) / len(filled)
    logs = sum(1 for ln in filled if LOG_LINE.match(ln)) / len(filled)
    if markup >= NOT_PROSE_SHARE:
        return text("{0:.0%} of the lines start with a markup tag (HTML/XML): this looks like markup, not prose. "
                    "The model learns the tags as text; export the plain text first.", markup)
    if logs >= NOT_PROSE_SHARE:
        return text("{0:.0%} of the lines start with a time stamp or a log level: this looks like a log, not "
                    "prose. The model learns the time stamps as words; keep only the message text if that matters.",
                    logs)
    return ""
