"""A small labelled file for the probe: CSV, TSV, JSONL with a text and a label column, or a folder per label.

WHY its own reader: the probe (:mod:`bertgui.results.probe`) answers "is the tuned model better at sorting *my*
documents?" on whatever a domain expert has at hand — a spreadsheet export, a JSON-lines dump, or files sorted into
folders. Every way such a file can be unusable gets a sentence that says what is wrong and what to do: columns not
found (named, with the ones that are there), one label only, a label with too few examples, empty texts. A huge
file is sampled (fixed seed) and the note says so, so the probe stays a one-minute check.

Public API: ``LabelledSet`` (texts, labels, notes, ``counts()``), ``read_labelled(path, ...) -> LabelledSet``,
``check_labelled(data, folds)``.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from bertgui.errors import CorpusError
from bertgui.text import Text, text

TEXT_COLUMNS = ("text", "sentence", "content", "document", "body", "abstract")
LABEL_COLUMNS = ("label", "labels", "category", "class", "target", "tag")
MAX_ROWS = 100_000
SAMPLE_SEED = 1234
FOLDER_SUFFIXES = (".txt", ".md", "")


@dataclass
class LabelledSet:
    texts: list[str]
    labels: list[str]
    notes: list[Text] = field(default_factory=list)
    source: str = ""

    def counts(self) -> Counter[str]:
        return Counter(self.labels)

    def __len__(self) -> int:
        return len(self.texts)


def read_labelled(path: str | Path, *, text_column: str | None = None, label_column: str | None = None,
                  max_rows: int = MAX_ROWS) -> LabelledSet:
    """Read ``path``; empty texts are dropped (and counted in a note); more than ``max_rows`` rows are sampled."""
    p = Path(path)
    if not p.exists():
        raise CorpusError(text("The labelled file {0} does not exist.", p),
                          text("Choose a CSV, TSV or JSONL file with a text and a label column, or a folder with "
                               "one sub-folder per label."))
    rows = _folder_rows(p) if p.is_dir() else _file_rows(p, text_column, label_column)
    data = LabelledSet([], [], source=p.name)
    empty = 0
    for body, label in rows:
        body, label = (body or "").strip(), str(label if label is not None else "").strip()
        if not body or not label:
            empty += 1
            continue
        data.texts.append(body)
        data.labels.append(label)
    if empty:
        data.notes.append(text("{0:,} rows with an empty text or label were skipped.", empty))
    if not data.texts:
        raise CorpusError(text("{0} holds no example with both a text and a label.", p.name),
                          text("Fill in the text and label columns (or put text files in the label folders)."))
    if len(data) > max_rows:
        keep = sorted(random.Random(SAMPLE_SEED).sample(range(len(data)), max_rows))
        data.notes.append(text("{0:,} examples: a sample of {1:,} (fixed seed) is used.", len(data), max_rows))
        data.texts = [data.texts[i] for i in keep]
        data.labels = [data.labels[i] for i in keep]
    return data


def check_labelled(data: LabelledSet, folds: int) -> None:
    """Refuse a set the probe cannot cross-validate: one label, or a label with fewer examples than folds."""
    counts = data.counts()
    if len(counts) < 2:
        only = next(iter(counts), "")
        raise CorpusError(text("Every example has the same label ({0}): there is nothing to tell apart.", only),
                          text("Give examples of at least two labels."))
    few = sorted((n, label) for label, n in counts.items() if n < folds)
    if few:
        listed = ", ".join(f"{label} ({n})" for n, label in few[:5]) + (" …" if len(few) > 5 else "")
        raise CorpusError(text("These labels have fewer than {0} examples, one per cross-validation fold: {1}.",
                               folds, listed),
                          text("Add examples to them, merge them into other labels, or remove them."))


def _file_rows(p: Path, text_column: str | None, label_column: str | None) -> list[tuple[str, str]]:
    suffix = p.suffix.lower()
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(text("{0} is not UTF-8 text.", p.name),
                          text("Save it as UTF-8 (a spreadsheet's \"CSV UTF-8\" export).")) from None
    except OSError as exc:
        raise CorpusError(text("Cannot read {0}: {1}", p.name, exc.strerror or exc)) from None
    if suffix in (".jsonl", ".ndjson", ".json"):
        records = []
        for n, line in enumerate(raw.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError:
                raise CorpusError(text("Line {0} of {1} is not JSON.", n, p.name),
                                  text("A JSON-lines file holds one object per line, such as "
                                       "{\"text\": \"…\", \"label\": \"…\"}.")) from None
            if isinstance(record, dict):
                records.append({str(k): v for k, v in record.items()})
        columns = list(dict.fromkeys(k for r in records for k in r))
    else:
        delimiter = "\t" if suffix in (".tsv", ".tab") else ","
        if suffix not in (".tsv", ".tab", ".csv"):
            with contextlib.suppress(csv.Error):
                delimiter = csv.Sniffer().sniff(raw[:4096], delimiters=",\t;").delimiter
        reader = csv.DictReader(io.StringIO(raw, newline=""), delimiter=delimiter)
        columns = [c for c in (reader.fieldnames or []) if c is not None]
        records = [{k: v for k, v in row.items() if k is not None} for row in reader]
    tc = _column(columns, text_column, TEXT_COLUMNS, "text", p.name)
    lc = _column(columns, label_column, LABEL_COLUMNS, "label", p.name)
    return [(_as_text(r.get(tc)), _as_text(r.get(lc))) for r in records]


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def _column(columns: list[str], asked: str | None, names: tuple[str, ...], what: str, file: str) -> str:
    found = ", ".join(columns[:12]) if columns else "none"
    if asked:
        if asked in columns:
            return asked
        raise CorpusError(text("{0} has no column {1} (its columns: {2}).", file, asked, found),
                          text("Name the {0} column with --{0}-column, or rename it in the file.", what))
    lower = {c.lower().strip(): c for c in columns}
    for name in names:
        if name in lower:
            return lower[name]
    raise CorpusError(text("{0} has no {1} column (looked for {2}; its columns: {3}).", file, what,
                           ", ".join(names), found),
                      text("Name the {0} column with --{0}-column, or rename it in the file.", what))


def _folder_rows(p: Path) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    labels = sorted(d for d in p.iterdir() if d.is_dir() and not d.name.startswith("."))
    if not labels:
        raise CorpusError(text("{0} has no sub-folders: a labelled folder holds one sub-folder per label.", p.name),
                          text("Put the texts of each label in a sub-folder named after it, one text per file."))
    for folder in labels:
        for f in sorted(folder.rglob("*")):
            if f.is_file() and f.suffix.lower() in FOLDER_SUFFIXES and not f.name.startswith("."):
                try:
                    rows.append((f.read_text(encoding="utf-8", errors="replace"), folder.name))
                except OSError:
                    continue
    return rows
