"""Hostile and careless corpus and configuration inputs, through the command line, as one table.

Each row is what a person typed: ``bertgui preview …`` or ``bertgui train …`` with tiny settings. Each asserts the
exit code, the one line that names the problem (``bertgui: error: …``) and its advice, that no traceback is shown,
and that none of the person's files (corpus, configuration, model folder) changed. The rows run through
``bertgui.cli.main`` in this process — the very function ``python -m bertgui`` calls — so the table stays fast;
``test_the_table_matches_the_real_command`` runs rows through a real ``python -m bertgui`` process as well.
"""

from __future__ import annotations

import hashlib
import os
import random
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ZH = "高血压是一种常见的慢性疾病。长期高血压会损害心脏和肾脏。\n医生建议患者定期测量血压，并按时服药。\n"
FRENCH = (  # read as hp_roman8 before the fix
          "Le garçon connaît bien la forêt où il est né. Il aime se promener à côté du ruisseau, même en hiver.\n"
          "Leur mère, qui était institutrice à l'école du village, leur a appris à être curieux et honnêtes.\n"
          "Où est la gare ? Je crois qu'elle est là-bas, à côté de l'hôtel.\n"
          )
ARABIC = "\n\n".join([  # ends with ؟ and . : each document has several sentences
    "هل ذهبت إلى السوق اليوم؟ نعم، ذهبت في الصباح. اشتريت الخبز والفاكهة.",
    "كان الجو باردا في المساء؟ لا، كان دافئا. جلسنا في الحديقة حتى الليل.",
    "متى يبدأ الاجتماع؟ يبدأ في الساعة العاشرة. سيحضر المدير أيضا.",
]) + "\n"
JSONL_MIXED = "".join(line + "\n" for line in [
    '{"text": "The first row is fine. It has two sentences."}',
    '{"text": {"title": "nested", "body": "an object, not text"}}',
    '{"id": 3, "body": "no text field on this line"}',
    '{"text": ["a", "list", "of", "words"]}',
    '{"text": "The fifth row is fine too. It also has two sentences."}',
    '{"text": "The last row closes the file. Nothing after it."}',
])
PROSE = ("The committee met on Tuesday. It approved the budget for the new library.\n\n"
         "Rain fell all night. By morning the river had risen above the old stone bridge.\n")


@dataclass(frozen=True)
class Case:
    """One row: what the person has (``files``), what they type (``argv``), what they must see."""

    id: str
    files: Callable[[Path], None]  # writes the person's files into a folder
    argv: Callable[[Path, Path, Path], list[str]]  # (their folder, the model, a scratch folder) -> arguments
    exit_code: int
    says: str  # on the error line (exit 2) or anywhere in the output (exit 0)
    advice: str = ""  # on the line after the error line
    fixed_here: bool = False  # failed before this branch's fixes (the rest already passed and stay pinned)
    after: Callable[[Path], None] | None = None  # more checks on the scratch folder (the run folder is tmp/run)


def _preview(corpus: str, *extra: str) -> Callable[[Path, Path, Path], list[str]]:
    return lambda d, model, tmp: ["preview", "--corpus", str(d / corpus), "--model", str(model), "--pairs", "1",
                                  "--masked", "1", *extra]


def _preview_path(path: str) -> Callable[[Path, Path, Path], list[str]]:
    return lambda d, model, tmp: ["preview", "--corpus", path, "--model", str(model)]


def _train(*extra: str, corpus: str = "prose.txt") -> Callable[[Path, Path, Path], list[str]]:
    return lambda d, model, tmp: ["train", "--corpus", str(d / corpus), "--model", str(model), "--output",
                                  str(tmp / "run"), "--device", "cpu", "--max-steps", "1", "--batch-size", "2",
                                  *[a.replace("{d}", str(d)) for a in extra]]


def _write(name: str, data: bytes | str) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return make


def _all(*makers: Callable[[Path], None]) -> Callable[[Path], None]:
    def make(d: Path) -> None:
        for m in makers:
            m(d)
    return make


def _cap_in_the_runs_notes(tmp: Path) -> None:
    import json

    events = [json.loads(line) for line in (tmp / "run" / "metrics.jsonl").read_text(encoding="utf-8").splitlines()]
    finished = [e for e in events if e.get("event") == "finished"]
    assert finished, "the run did not finish"
    assert any("capped at 512 tokens" in n for n in finished[-1]["summary"]["notes"])
    assert [e["max_seq_length"] for e in events if e.get("event") == "run_started"] == [512]


def _fifo(d: Path) -> None:
    os.mkfifo(d / "pipe.txt")


def _dangling(d: Path) -> None:
    (d / "gone.txt").symlink_to(d / "deleted.txt")


def _long_line(d: Path) -> None:
    """A few ordinary lines, then one line of 50 MB without a newline or a full stop."""
    with open(d / "long.txt", "w", encoding="utf-8") as fh:
        fh.write("".join(f"Line {i} is a short document of its own.\n" for i in range(8)))
        chunk = "lorem ipsum dolor sit amet " * 40_000
        for _ in range(50_000_000 // len(chunk) + 1):
            fh.write(chunk)


_RNG = random.Random(1)
NOISE = bytes(_RNG.randrange(1, 256) for _ in range(5000))  # no NUL byte, so not "binary": noise all the same
PROSE_FILE = _write("prose.txt", PROSE)
BAD_CSV = _write("table.csv", 'id,body\n1,"One sentence here. And another one."\n2,"A second row. With text."\n')
TOML_NOT_UTF8 = _write("run.toml", "[corpus]\n# réglages de l'équipe\ntext_column = \"texte\"\n".encode("latin-1"))

CASES = [
    # ------------------------------------------------ files that are not a corpus
    Case("empty", _write("empty.txt", ""), _preview("empty.txt"), 2, "empty.txt is empty"),
    Case("binary", _write("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8),
         _preview("photo.txt"), 2, "is a binary file"),
    Case("noise", _write("noise.txt", NOISE),
         _preview("noise.txt"), 2, "noise.txt is not text in any encoding we recognise", "Save it as UTF-8",
         fixed_here=True),  # the message passed before; its advice was lost to the generic one
    Case("missing", PROSE_FILE, _preview("nowhere.txt"), 2, "nowhere.txt does not exist"),
    Case("dev-zero", PROSE_FILE, _preview_path("/dev/zero"), 2, "/dev/zero is not a regular file (a device)",
         "Choose a text file", fixed_here=True),
    Case("fifo", _fifo, _preview("pipe.txt"), 2, "pipe.txt is not a regular file (a pipe)", fixed_here=True),
    Case("dangling-link", _dangling, _preview("gone.txt"), 2, "is a link to a file that does not exist",
         fixed_here=True),
    Case("folder-without-text", _write("pictures/a.png", b"\x89PNG"), _preview("pictures"), 2,
         "holds no corpus files"),
    # ------------------------------------------------ text that is a corpus, oddly shaped
    Case("gbk", _write("zh.txt", ZH.encode("gbk")), _preview("zh.txt"), 0, "Encoding: gb18030",
         fixed_here=True),  # read well before; the encoding line is new
    Case("latin1-french", _write("fr.txt", FRENCH.encode("latin-1")), _preview("fr.txt"), 0,
         "Encoding: cp1252 (guessed", fixed_here=True),
    Case("chosen-encoding", _write("fr.txt", FRENCH.encode("latin-1")), _preview("fr.txt", "--encoding", "latin-1"),
         0, "Encoding: latin-1 (chosen)", fixed_here=True),
    Case("unknown-encoding", PROSE_FILE, _preview("prose.txt", "--encoding", "klingon"), 2,
         "corpus.encoding 'klingon' is not a text encoding", "latin-1", fixed_here=True),
    Case("one-line", _write("one.txt", "Just one line with a few words in it.\n"), _preview("one.txt"), 2,
         "None of the 1 documents has more than one sentence", "Train MLM only"),
    Case("one-line-mlm-only", _write("one.txt", "Just one line with a few words in it.\n"),
         _preview("one.txt", "--mlm-only"), 0, "MLM-only segments per epoch"),
    Case("no-punctuation", _write("flat.txt", "".join(f"words without any stop {i} and more words\n"
                                                      for i in range(30))), _preview("flat.txt", "--mlm-only"),
         0, "MLM-only segments per epoch"),
    Case("50mb-line", _long_line, _preview("long.txt", "--sample-documents", "4", "--mlm-only"), 0,
         "MLM-only segments per epoch"),
    Case("folder", _all(_write("docs/a.txt", PROSE), _write("docs/sub/b.md", PROSE)), _preview("docs"), 0,
         "Corpus statistics"),
    Case("csv", BAD_CSV, _preview("table.csv", "--text-column", "body"), 0, "Corpus statistics"),
    Case("jsonl", _write("rows.jsonl", '{"id": 1, "text": "One row. Two sentences."}\n{"id": 2, "text": "More."}\n'),
         _preview("rows.jsonl"), 0, "Corpus statistics"),
    Case("arabic-sentences", _write("ar.txt", ARABIC), _preview("ar.txt"), 0, "Corpus statistics",
         fixed_here=True),  # ؟ ended no sentence: "no document with more than one sentence"
    Case("jsonl-nested-and-missing", _write("rows.jsonl", JSONL_MIXED), _preview("rows.jsonl"), 0,
         "rows.jsonl: 3 line(s) skipped (1 without the field 'text', 2 whose 'text' is not text; the first at line 2",
         fixed_here=True),  # stopped at line 3, and trained on "{'title': 'nested', …}"
    Case("punctuation-only", _write("dots.txt", "... !!! ???\n\n--- *** ;;;\n\n« » … ‼\n"),
         _train("--no-nsp", corpus="dots.txt"), 2, "dots.txt holds no words: only spaces, punctuation and symbols",
         fixed_here=True),
    # ------------------------------------------------ tables whose text column is not there: the columns are the advice
    Case("csv-bad-column", BAD_CSV, _preview("table.csv"), 2, "table.csv has no column 'text'",
         "Its columns are: id, body", fixed_here=True),
    Case("tsv-bad-column", _write("table.tsv", "id\tbody\n1\tOne sentence. Two.\n"), _preview("table.tsv"), 2,
         "table.tsv has no column 'text'", "Its columns are: id, body", fixed_here=True),
    Case("jsonl-bad-field", _write("rows.jsonl", '{"id": 1, "body": "One row."}\n'), _preview("rows.jsonl"), 2,
         "no field 'text' (has: id, body)", "Choose the text column", fixed_here=True),
    Case("train-csv-bad-column", BAD_CSV, _train(corpus="table.csv"), 2, "table.csv has no column 'text'",
         "Its columns are: id, body", fixed_here=True),
    # ------------------------------------------------ configurations
    Case("malformed-toml", _all(PROSE_FILE, _write("run.toml", "[training\nbatch_size = 4\n")),
         _preview("prose.txt", "--config", "{d}/run.toml"), 2, "is not valid TOML"),
    Case("toml-not-utf8", _all(PROSE_FILE, TOML_NOT_UTF8), _preview("prose.txt", "--config", "{d}/run.toml"), 2,
         "run.toml is not UTF-8 text (line 2)", "save it again as UTF-8", fixed_here=True),
    Case("nan-learning-rate", _all(PROSE_FILE, _write("run.toml", "[training]\nlearning_rate = nan\n")),
         _train("--config", "{d}/run.toml"), 2, "training.learning_rate must be a finite number"),
    Case("inf-learning-rate", _all(PROSE_FILE, _write("run.toml", "[training]\nlearning_rate = inf\n")),
         _train("--config", "{d}/run.toml"), 2, "training.learning_rate must be a finite number"),
    Case("huge-learning-rate", _all(PROSE_FILE, _write("run.toml", "[training]\nlearning_rate = 1e10\n")),
         _train("--config", "{d}/run.toml"), 2, "training.learning_rate must be ≤ 1"),
    Case("short-length", PROSE_FILE, _preview("prose.txt", "--max-seq-length", "8"), 2,
         "masking.max_seq_length must be ≥ 16"),
    Case("huge-length", PROSE_FILE, _train("--max-seq-length", "100000"), 2, "masking.max_seq_length must be ≤ 8192"),
    Case("zero-batch", PROSE_FILE, _train("--batch-size", "0"), 2, "training.batch_size must be ≥ 1"),
    Case("negative-steps", PROSE_FILE, _train("--max-steps", "-5"), 2, "training.max_steps must be ≥ 0"),
    # ------------------------------------------------ a length beyond the model's positions: capped, and said
    Case("length-beyond-positions", _all(PROSE_FILE, _write("run.toml", "[corpus]\neval_share = 0.0\n")),
         _train("--max-seq-length", "1024", "--config", "{d}/run.toml"), 0,
         "max_seq_length is 1024, but the model has only 512 positions: sequences are capped at 512 tokens",
         fixed_here=True, after=_cap_in_the_runs_notes),
]


def _fill(argv: list[str], d: Path) -> list[str]:
    return [a.replace("{d}", str(d)) for a in argv]


def _snapshot(*folders: Path) -> dict[str, str]:
    """Every regular file under the folders, by content hash (links and pipes by what they are)."""
    out: dict[str, str] = {}
    for folder in folders:
        for p in sorted(folder.rglob("*")):
            if p.is_symlink():
                out[str(p)] = "link:" + os.readlink(p)
            elif p.is_file():
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
            elif not p.is_dir():
                out[str(p)] = "special"
    return out


def _check(case: Case, code: int, out: str, err: str) -> None:
    shown = out + err
    assert "Traceback" not in shown, shown[-3000:]
    assert code == case.exit_code, shown[-3000:]
    if case.exit_code == 0:
        assert case.says in shown, shown[-3000:]
        return
    lines = err.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith("bertgui: error: ")]
    assert len(errors) == 1, err[-3000:]  # one line names the problem
    assert case.says in lines[errors[0]], lines[errors[0]]
    assert "unexpected error" not in lines[errors[0]]
    if case.advice:
        assert errors[0] + 1 < len(lines) and case.advice in lines[errors[0] + 1], err[-3000:]


@pytest.fixture
def person(tmp_path, monkeypatch) -> Path:
    """The person's own folder; the prepared-corpus cache goes to a scratch folder, not their home."""
    monkeypatch.setenv("BERTGUI_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "mine"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, person: Path, tiny_model: Path, tmp_path: Path, capsys) -> None:
    from bertgui.cli import main

    case.files(person)
    before = _snapshot(person, tiny_model)
    code = main(_fill(case.argv(person, tiny_model, tmp_path), person))
    captured = capsys.readouterr()
    _check(case, code, captured.out, captured.err)
    assert _snapshot(person, tiny_model) == before  # nothing the person had was changed
    if case.after is not None:
        case.after(tmp_path)


REAL_PROCESS = ["dev-zero", "csv-bad-column", "toml-not-utf8"]


@pytest.mark.parametrize("case_id", REAL_PROCESS)
def test_the_table_matches_the_real_command(case_id: str, person: Path, tiny_model: Path, tmp_path: Path) -> None:
    """The same rows through ``python -m bertgui`` in a process of its own: the same code, the same lines."""
    case = next(c for c in CASES if c.id == case_id)
    case.files(person)
    before = _snapshot(person, tiny_model)
    env = {**os.environ, "BERTGUI_CACHE": str(tmp_path / "cache"), "HF_HUB_OFFLINE": "1"}
    run = subprocess.run([sys.executable, "-m", "bertgui", *_fill(case.argv(person, tiny_model, tmp_path), person)],
                         capture_output=True, text=True, env=env, timeout=600)
    _check(case, run.returncode, run.stdout, run.stderr)
    assert _snapshot(person, tiny_model) == before

