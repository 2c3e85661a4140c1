"""Reading a corpus: files or folders of text, CSV/TSV/JSONL, into documents, streamed.

Files are read line by line, so a 1 GB corpus never sits in memory as one string. Encoding: UTF-8 first, then a
guess (:mod:`bertgui.data.encoding`) on a sample of the file, or the encoding the person chose; the guess and how
sure it is are reported (``on_encoding``) so the window and ``preview`` can show them and warn when it is weak.
"""

from __future__ import annotations

import csv
import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bertgui.data.cleaning import Cleaning, clean_line, is_fortune_file, is_fortune_separator, prose_warning
from bertgui.data.encoding import EncodingGuess, guess_encoding
from bertgui.errors import CorpusError
from bertgui.text import text

TEXT_SUFFIXES = {".txt", ".md", ".text"}
TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".json"}
SUFFIXES = TEXT_SUFFIXES | TABLE_SUFFIXES
SAMPLE_BYTES = 1 << 20


@dataclass(frozen=True)
class Document:
    """One document: sentences of it may form NSP pairs with each other."""

    text: str
    source: str  # file name
    index: int  # position of the document within its file (line or row number for 'line' and tables)


def corpus_files(paths: list[str] | str) -> list[Path]:
    """Expand folders (recursively, known suffixes only), keep order, check each file exists."""
    if isinstance(paths, str):
        paths = [paths]
    if not paths:
        raise CorpusError(text("No corpus given."), text("Choose one or more text files or a folder."))
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
            if not found:
                raise CorpusError(text("The folder {0} holds no corpus files ({1}).", p, ", ".join(sorted(SUFFIXES))))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            raise _not_a_file(p)
    return files


def _not_a_file(p: Path) -> CorpusError:
    """Why ``p`` cannot be read as a corpus file: missing, a dangling link, or not a regular file at all."""
    try:
        mode = os.stat(p).st_mode
    except FileNotFoundError:
        if p.is_symlink():
            return CorpusError(text("The corpus file {0} is a link to a file that does not exist.", p),
                               text("Check the path or choose the file again."))
        return CorpusError(text("The corpus file {0} does not exist.", p),
                           text("Check the path or choose the file again."))
    except OSError as exc:
        return CorpusError(text("Cannot read the corpus file {0}: {1}.", p, exc.strerror),
                           text("Check the path and its permissions."))
    kind = (text("a device") if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else text("a pipe") if stat.S_ISFIFO(mode)
            else text("a socket") if stat.S_ISSOCK(mode) else text("not a regular file"))
    return CorpusError(text("The corpus path {0} is not a regular file ({1}).", p, kind),
                       text("Choose a text file (.txt, .md), a table (.csv, .tsv, .jsonl) or a folder of them."))


def read_encoding(path: Path, encoding: str = "auto") -> EncodingGuess:
    """The encoding ``path`` is read with: ``encoding`` when chosen, else a guess; empty and binary files refused."""
    try:
        with open(path, "rb") as fh:
            sample = fh.read(SAMPLE_BYTES)
    except OSError as exc:
        raise CorpusError(text("Cannot read the corpus file {0}: {1}.", path, exc.strerror),
                          text("Check the path and its permissions.")) from None
    if not sample.strip():
        raise CorpusError(text("The corpus file {0} is empty.", path), text("Choose a file with text in it."))
    wide = encoding != "auto" and encoding.replace("-", "_").lower().startswith(("utf_16", "utf_32"))
    if b"\x00" in sample[:65536] and not wide and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(text("{0} is a binary file, not text.", path),
                          text("Export the document as plain text (.txt) or a table (.csv, .jsonl) first."))
    guess = guess_encoding(sample, encoding, complete=len(sample) < SAMPLE_BYTES)
    if not guess.encoding:
        raise CorpusError(text("{0} is not text in any encoding we recognise.", path),
                          text("Save it as UTF-8 text and open it again."))
    return guess


def detect_encoding(path: Path, encoding: str = "auto") -> str:
    """The codec name :func:`read_encoding` picks (kept for callers that only need the name)."""
    return read_encoding(path, encoding).encoding


def weak_encoding_note(path: Path | str, guess: EncodingGuess) -> str:
    """The warning for a guess that may be wrong: what was picked and how to choose another."""
    name = Path(path).name
    if guess.how == "chosen":
        return text("{0} does not read cleanly as {1} (the first undecodable byte is at {2:.0%} of the sample): "
                    "check corpus.encoding.", name, guess.encoding, guess.confidence)
    return text("The encoding of {0} is a weak guess ({1}, {2:.0%}): if accented letters look wrong, set "
                "corpus.encoding (for example latin-1, cp1250, cp1257).", name, guess.encoding, guess.confidence)


def skipped_notes(skipped: list[CorpusError]) -> list[str]:
    """One note per file that could not be used, with its own advice (say, the columns a table does have)."""
    return [text("Skipped: {0}", f"{exc.message} {exc.advice}".strip()) for exc in skipped]


def no_usable_text(skipped: list[CorpusError]) -> CorpusError:
    """The error when no file gave text: each file's own message *and advice*, not only a generic hint.

    WHY: a table without the chosen column says which columns it has; that list is the answer, and a generic
    "choose files with a text column" in its place leaves the person guessing.
    """
    generic = text("Choose text files (.txt, .md) or tables (.csv, .tsv, .jsonl) with a text column.")
    if not skipped:
        return CorpusError(text("No usable text in the corpus."), generic)
    advice = " ".join(dict.fromkeys(exc.advice for exc in skipped if exc.advice)) or generic
    return CorpusError(text("No usable text in the corpus. {0}", " ".join(exc.message for exc in skipped)), advice)


EncodingFn = Callable[[Path, EncodingGuess], None]


def iter_documents(paths: list[str] | str, *, documents: str = "auto", text_column: str = "text",
                   encoding: str = "auto", on_error: Callable[[CorpusError], None] | None = None,
                   on_encoding: EncodingFn | None = None, cleaning: Cleaning | None = None) -> Iterator[Document]:
    """Yield documents from every file in order; each file's problems raise a CorpusError naming it.

    With ``on_error``, a file that cannot be read (binary, empty, undecodable, no usable text) is reported to it
    instead and reading goes on with the next file: documents already read are kept. ``on_encoding`` hears the
    encoding each file is read with (and whether that is a weak guess) before its first document. ``cleaning``
    counts the escape codes and control characters removed from text files (:mod:`bertgui.data.cleaning`).
    """
    for path in corpus_files(paths):
        if on_error is None:
            yield from iter_file_documents(path, documents=documents, text_column=text_column, encoding=encoding,
                                           on_encoding=on_encoding, cleaning=cleaning)
            continue
        try:
            yield from iter_file_documents(path, documents=documents, text_column=text_column, encoding=encoding,
                                           on_encoding=on_encoding, cleaning=cleaning, on_error=on_error)
        except CorpusError as exc:
            on_error(exc)


def iter_file_documents(path: Path, *, documents: str = "auto", text_column: str = "text", encoding: str = "auto",
                        on_encoding: EncodingFn | None = None, cleaning: Cleaning | None = None,
                        on_error: Callable[[CorpusError], None] | None = None) -> Iterator[Document]:
    """The documents of one file; ``on_error`` hears what was skipped inside it (lines of a table, documents with
    NUL bytes) and the reading goes on; a file-level problem raises.

    Documents without a word (only spaces, punctuation, symbols) are held back until the file shows a word, so a
    file without any is refused before one of its documents is used."""
    guess = read_encoding(path, encoding)
    if on_encoding is not None:
        on_encoding(path, guess)
    encoding = guess.encoding
    suffix = path.suffix.lower()
    count = 0
    if suffix in {".csv", ".tsv"}:
        gen = _table_documents(path, encoding, text_column, "\t" if suffix == ".tsv" else ",")
    elif suffix in {".jsonl", ".json"}:
        gen = _jsonl_documents(path, encoding, text_column, on_error)
    else:
        gen = _text_documents(path, encoding, documents, cleaning if cleaning is not None else Cleaning())
    with_nul = 0
    pending: list[Document] = []  # documents without a word, held back until the file shows one
    pending_chars = 0
    seen_words = False
    for doc in gen:
        if "\x00" in doc.text:  # binary data past the first 64 KB the encoding check reads: never trained on
            with_nul += 1
            continue
        count += 1
        if seen_words:
            yield doc
        elif has_words(doc.text):
            seen_words = True
            yield from pending
            pending.clear()
            yield doc
        else:
            pending.append(doc)
            pending_chars += len(doc.text)
            if pending_chars > NO_WORDS_LIMIT:
                break
    if count == 0 and with_nul:
        raise CorpusError(text("{0} is a binary file, not text.", path),
                          text("Export the document as plain text (.txt) or a table (.csv, .jsonl) first."))
    if count == 0:
        raise CorpusError(text("{0} holds no usable text.", path),
                          text("Check the file and, for tables, the text column."))
    if not seen_words:
        raise CorpusError(text("{0} holds no words: only spaces, punctuation and symbols.", path),
                          text("Choose a file with text in it."))
    if with_nul and on_error is not None:
        on_error(CorpusError(text("{0}: {1} document(s) skipped because they hold NUL bytes (binary data inside a "
                                  "text file).", path.name, with_nul),
                             text("Check the file: it may be damaged or joined with a binary file.")))


NO_WORDS_LIMIT = 1 << 20  # characters of word-less documents read before a file is refused as holding no words


def has_words(body: str) -> bool:
    """Whether ``body`` holds a letter or a digit of any script (not only spaces, punctuation and symbols)."""
    return any(ch.isalnum() for ch in body)


def _open(path: Path, encoding: str):
    return open(path, encoding=encoding, errors="replace", newline="")


BLANK_LINE_SCAN_BYTES = 8 << 20


def _has_blank_line(path: Path, encoding: str) -> bool:
    """Whether a blank line follows text within the first 8 MB (so 'auto' never reads a 1 GB file twice)."""
    with _open(path, encoding) as fh:
        seen_text = False
        for line in fh.readlines(BLANK_LINE_SCAN_BYTES):
            if line.strip():
                seen_text = True
            elif seen_text:
                return True
    return False


HEAD_LINES = 2000  # lines looked at to recognise a fortune file or a log


def _head(path: Path, encoding: str) -> list[str]:
    with _open(path, encoding) as fh:
        return [line for _, line in zip(range(HEAD_LINES), fh, strict=False)]


def _text_documents(path: Path, encoding: str, mode: str, cleaning: Cleaning) -> Iterator[Document]:
    head = [clean_line(line) for line in _head(path, encoding)]
    fortune = is_fortune_file(head)  # its "%" lines are separators, never text
    if fortune and path.name not in cleaning.fortune_files:
        cleaning.fortune_files.append(path.name)
    warning = prose_warning(head)
    if warning:
        cleaning.not_prose.setdefault(path.name, warning)
    if mode == "auto":
        mode = "fortune" if fortune else "blank-line" if _has_blank_line(path, encoding) else "line"
    name = path.name
    with _open(path, encoding) as fh:
        lines = (clean_line(line, cleaning) for line in fh)
        if mode == "line":
            for i, line in enumerate(lines):
                if line.strip() and not (fortune and is_fortune_separator(line)):
                    yield Document(line.strip(), name, i)
            return
        buf: list[str] = []
        index = 0
        for line in lines:
            separator = fortune and is_fortune_separator(line)
            if line.strip() and not separator:
                buf.append(line.strip())
            elif buf and (mode == "blank-line" or mode == "fortune" and separator):
                yield Document("\n".join(buf), name, index)
                index += 1
                buf = []
        if buf:
            yield Document("\n".join(buf), name, index)


def _table_documents(path: Path, encoding: str, column: str, delimiter: str) -> Iterator[Document]:
    csv.field_size_limit(1 << 30)
    with _open(path, encoding) as fh:
        reader = csv.DictReader(fh, delimiter=delimiter)
        if reader.fieldnames is None or column not in reader.fieldnames:
            raise CorpusError(text("{0} has no column {1!r}.", path.name, column),
                              text("Its columns are: {0}. Choose the text column.",
                                   ", ".join(reader.fieldnames or [])))
        for i, row in enumerate(reader):
            body = (row.get(column) or "").strip()
            if body:
                yield Document(body, path.name, i)


def _jsonl_documents(path: Path, encoding: str, column: str,
                     on_error: Callable[[CorpusError], None] | None = None) -> Iterator[Document]:
    """One document per line's ``column`` text. Lines without it, or whose value is not text (an object, a list, a
    number), are skipped and counted — never trained on as their Python spelling, and never the end of the file:
    ``on_error`` hears how many were skipped and where the first was. A file with no usable line is an error that
    names the fields the first line does have."""
    missing = not_text = 0
    first: tuple[int, str] | None = None  # (line, what was wrong) of the first skipped line
    yielded = 0
    with _open(path, encoding) as fh:
        for i, line in enumerate(fh):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise CorpusError(text("{0}, line {1}: not valid JSON ({2}).", path.name, i + 1, exc.msg),
                                  text("Each line of a .jsonl file must be one JSON object.")) from None
            if not isinstance(row, dict) or column not in row:
                missing += 1
                if first is None:
                    keys = ", ".join(row) if isinstance(row, dict) else type(row).__name__
                    first = (i + 1, text("no field {0!r} (has: {1})", column, keys))
                continue
            value = row[column]
            if value is not None and not isinstance(value, str):
                not_text += 1
                if first is None:
                    first = (i + 1, text("field {0!r} holds {1}, not text", column, type(value).__name__))
                continue
            body = (value or "").strip()
            if body:
                yielded += 1
                yield Document(body, path.name, i)
    if first is None:
        return
    if not yielded:
        raise CorpusError(text("{0}, line {1}: {2}.", path.name, first[0], first[1]), text("Choose the text column."))
    if on_error is not None:
        on_error(CorpusError(
            text("{0}: {1} line(s) skipped ({2} without the field {3!r}, {4} whose {3!r} is not text; the first at "
                 "line {5}: {6}).", path.name, missing + not_text, missing, column, not_text, first[0], first[1]),
            text("Fix those lines, or choose the text column that every line has.")))


def table_columns(path: str | Path, encoding: str = "auto") -> list[str]:
    """Column names of a CSV/TSV/JSONL file, for the GUI's column picker."""
    path = Path(path)
    encoding = detect_encoding(path, encoding)
    suffix = path.suffix.lower()
    with _open(path, encoding) as fh:
        if suffix in {".csv", ".tsv"}:
            return next(csv.reader(fh, delimiter="\t" if suffix == ".tsv" else ","), [])
        if suffix in {".jsonl", ".json"}:
            for line in fh:
                if line.strip():
                    try:
                        row = json.loads(line)
                    except json.JSONDecodeError:
                        return []
                    return list(row) if isinstance(row, dict) else []
    return []
