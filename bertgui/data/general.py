"""The bundled general sample: English prose built on this computer from the documentation of Python's standard
library, for replay (mixed into training against forgetting) and for measuring forgetting.

WHY this text: continued pre-training on a narrow domain makes a model forget general language unless some
general text is mixed back in (``bertgui.data.replay``). A person who has no general corpus at hand should still
get that protection by default, offline, with nothing downloaded and no text shipped that we may not redistribute.
Every Python installation carries the docstrings of its standard library: about 200 KB of English prose on many
subjects (files, dates, networks, numbers, e-mail, text …). It is more technical than news or Wikipedia, so a
general file of the user's own guards better; the window and the card say which one was used.

WHY ``ast`` and not ``import``: importing every standard module runs its code (``antigravity`` opens a browser,
``this`` prints, some modules start threads or probe the platform); parsing the source files only reads them.

A quarter of the paragraphs (by a hash of their text, :func:`held_back`) is never part of the sample: the effect
benchmark (``benchmarks/effect.py``) measures forgetting on them, so its general figure is never text a run
replayed.

Public API:
    ``stdlib_paragraphs() -> list[str]``: docstring paragraphs, hard wraps joined, stable order.
    ``held_back(paragraph) -> bool``: True for the quarter kept out of the sample.
    ``general_sample_path(directory=None) -> Path``: the sample (blank-line separated), written once.
    ``suits(text) -> bool``: whether the (English) sample suits a corpus of this text.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
import sys
import sysconfig
import warnings
from pathlib import Path

SAMPLE_BYTES = 200_000
MIN_PARAGRAPH = 120  # characters; shorter docstring paragraphs are mostly signatures and one-line summaries
MIN_SPACES = 15
# Packages whose docstrings are not prose, or that are not part of every installation.
SKIP = {"test", "tests", "idlelib", "tkinter", "turtledemo", "lib2to3", "ensurepip", "pydoc_data", "venv",
        "site-packages", "dist-packages", "__pycache__", "msilib", "encodings"}
# Where packaging/build.sh puts the sample it made, in the built program (which has no .py files to parse).
BUNDLED = Path(__file__).with_name("bundled")


def _stdlib_root() -> Path:
    return Path(sysconfig.get_paths()["stdlib"])


def _source_files(root: Path) -> list[Path]:
    out: list[Path] = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root).parts
        if any(part in SKIP or part.startswith("config-") for part in rel[:-1]):
            continue
        if any(part.startswith("_") and part != "__init__.py" for part in rel):
            continue  # private modules: their docstrings address maintainers
        out.append(path)
    return out


def _docstrings(tree: ast.AST) -> list[str]:
    docs = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            name = getattr(node, "name", "")
            if name.startswith("_"):
                continue
            doc = ast.get_docstring(node, clean=True)
            if doc:
                docs.append(doc)
    return docs


def stdlib_paragraphs() -> list[str]:
    """Paragraphs of the public docstrings of the standard library's source files (sorted by file), deduplicated."""
    return list(_paragraphs())


@functools.lru_cache(maxsize=1)
def _paragraphs() -> tuple[str, ...]:  # parsing the library takes seconds: once a process
    out: dict[str, None] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences in old modules
        for path in _source_files(_stdlib_root()):
            try:
                tree = ast.parse(path.read_bytes(), filename=str(path))
            except (SyntaxError, ValueError, OSError):
                continue
            for doc in _docstrings(tree):
                for para in doc.split("\n\n"):
                    para = " ".join(ln.strip() for ln in para.splitlines() if ln.strip())
                    if (len(para) >= MIN_PARAGRAPH and ">>>" not in para and para.count(" ") >= MIN_SPACES
                            and para not in out):
                        out[para] = None
    return tuple(out)


def held_back(paragraph: str) -> bool:
    """The quarter of the paragraphs (first byte of a SHA-1 of the text below 64) kept out of the sample."""
    return hashlib.sha1(paragraph.encode("utf-8")).digest()[0] < 64


def sample_name() -> str:
    return f"general-english-py{sys.version_info[0]}{sys.version_info[1]}.txt"


def general_sample_path(directory: str | Path | None = None) -> Path:
    """Write the sample (paragraphs separated by blank lines, at most :data:`SAMPLE_BYTES`) once; return its path."""
    from bertgui.data.samples import cache_dir

    target = Path(directory or cache_dir()) / sample_name()
    if target.exists() and target.stat().st_size > 0:
        return target
    bundled = BUNDLED / sample_name()
    if bundled.is_file():  # the built program has no standard-library sources: its build made the sample
        return bundled
    paragraphs, total = [], 0
    for para in stdlib_paragraphs():
        if held_back(para):
            continue
        paragraphs.append(para)
        total += len(para.encode("utf-8")) + 2
        if total >= SAMPLE_BYTES:
            break
    if not paragraphs:
        raise FileNotFoundError(f"no docstrings found under {_stdlib_root()}")
    tmp = target.with_name(target.name + f".{os.getpid()}.tmp")
    tmp.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def suits(sample_text: str) -> bool:
    """An English sample suits English text only: replaying English into a Chinese model teaches it nothing useful."""
    from bertgui.data.language import detect_language

    return detect_language([sample_text]) == "en"
