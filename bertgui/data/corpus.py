"""Reading a corpus: files or folders of text, CSV/TSV/JSONL, into documents, streamed.

Files are read line by line, so a 1 GB corpus never sits in memory as one string. Encoding: UTF-8 first, then
detection with charset-normalizer (GBK/GB18030 Chinese, latin-1, …) on a sample of the file.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

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
            raise CorpusError(text("The corpus file {0} does not exist.", p),
                              text("Check the path or choose the file again."))
    return files


def detect_encoding(path: Path) -> str:
    """UTF-8 when the sample decodes as UTF-8, else charset-normalizer's best guess; binary files are refused."""
    with open(path, "rb") as fh:
        sample = fh.read(SAMPLE_BYTES)
    if not sample.strip():
        raise CorpusError(text("The corpus file {0} is empty.", path), text("Choose a file with text in it."))
    if b"\x00" in sample[:65536] and not sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CorpusError(text("{0} is a binary file, not text.", path),
                          text("Export the document as plain text (.txt) or a table (.csv, .jsonl) first."))
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        # A sample cut mid-character must not count as invalid UTF-8.
        sample.decode("utf-8") if len(sample) < SAMPLE_BYTES else sample[:-4].decode("utf-8", errors="strict")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    results = from_bytes(sample)
    best = results.best()
    if best is None:
        raise CorpusError(text("{0} is not text in any encoding we recognise.", path),
                          text("Save it as UTF-8 text and open it again."))
    enc = best.encoding
    # Short Western European text often fits several single-byte code pages equally well (cp1250 turns 'è'
    # into 'č'); on a tie, take the most common one, Windows-1252 (a superset of latin-1's letters).
    ties = {m.encoding for m in results if m.chaos == best.chaos and m.coherence == best.coherence}
    for preferred in ("cp1252", "latin_1"):
        if preferred in ties:
            enc = preferred
            break
    return "gb18030" if enc.lower() in {"gbk", "gb2312", "gb18030", "hz"} else enc


def iter_documents(paths: list[str] | str, *, documents: str = "auto", text_column: str = "text",
                   on_error: Callable[[CorpusError], None] | None = None) -> Iterator[Document]:
    """Yield documents from every file in order; each file's problems raise a CorpusError naming it.

    With ``on_error``, a file that cannot be read (binary, empty, undecodable, no usable text) is reported to it
    instead and reading goes on with the next file: documents already read are kept.
    """
    for path in corpus_files(paths):
        if on_error is None:
            yield from iter_file_documents(path, documents=documents, text_column=text_column)
            continue
        try:
            yield from iter_file_documents(path, documents=documents, text_column=text_column)
        except CorpusError as exc:
            on_error(exc)


def iter_file_documents(path: Path, *, documents: str = "auto", text_column: str = "text") -> Iterator[Document]:
    encoding = detect_encoding(path)
    suffix = path.suffix.lower()
    count = 0
    if suffix in {".csv", ".tsv"}:
        gen = _table_documents(path, encoding, text_column, "\t" if suffix == ".tsv" else ",")
    elif suffix in {".jsonl", ".json"}:
        gen = _jsonl_documents(path, encoding, text_column)
    else:
        gen = _text_documents(path, encoding, documents)
    for doc in gen:
        count += 1
        yield doc
    if count == 0:
        raise CorpusError(text("{0} holds no usable text.", path),
                          text("Check the file and, for tables, the text column."))


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


def _text_documents(path: Path, encoding: str, mode: str) -> Iterator[Document]:
    if mode == "auto":
        mode = "blank-line" if _has_blank_line(path, encoding) else "line"
    name = path.name
    with _open(path, encoding) as fh:
        if mode == "line":
            for i, line in enumerate(fh):
                if line.strip():
                    yield Document(line.strip(), name, i)
            return
        buf: list[str] = []
        index = 0
        for line in fh:
            if line.strip():
                buf.append(line.strip())
            elif buf and mode == "blank-line":
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


def _jsonl_documents(path: Path, encoding: str, column: str) -> Iterator[Document]:
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
                keys = ", ".join(row) if isinstance(row, dict) else type(row).__name__
                raise CorpusError(text("{0}, line {1}: no field {2!r} (has: {3}).", path.name, i + 1, column, keys),
                                  text("Choose the text column."))
            body = str(row[column] or "").strip()
            if body:
                yield Document(body, path.name, i)


def table_columns(path: str | Path) -> list[str]:
    """Column names of a CSV/TSV/JSONL file, for the GUI's column picker."""
    path = Path(path)
    encoding = detect_encoding(path)
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
