"""The bundled sample corpus: the Python language reference that every Python installation carries.

``pydoc_data.topics`` holds 79 topics (about 460 KB of English technical prose); one topic becomes one document.
It is read at run time, so nothing is copied into the package, and a newcomer can try the whole flow offline.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

SAMPLE_NAME = "python-language-reference.txt"
_UNDERLINE = re.compile(r"^[*=\-~^\"#]{3,}\s*$")


def sample_documents() -> list[str]:
    """One document per pydoc topic, with hard line wraps joined and heading underlines dropped."""
    from pydoc_data.topics import topics

    docs = []
    for _key, text in sorted(topics.items()):
        paragraphs = []
        for block in re.split(r"\n\s*\n", text):
            lines = [ln.strip() for ln in block.splitlines() if ln.strip() and not _UNDERLINE.match(ln.strip())]
            if lines:
                paragraphs.append(" ".join(lines))
        if paragraphs:
            docs.append(" ".join(paragraphs))
    return docs


def cache_dir() -> Path:
    base = os.environ.get("BERTGUI_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "bertgui")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def sample_corpus_path(directory: str | Path | None = None) -> Path:
    """Write the sample corpus (documents separated by blank lines) once and return its path."""
    target = Path(directory or cache_dir()) / SAMPLE_NAME
    if not target.exists():
        tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
        tmp.write_text("\n\n".join(sample_documents()) + "\n", encoding="utf-8")
        tmp.replace(target)
    return target
