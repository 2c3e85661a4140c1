"""Corpora as people have them (issue 23, item 13): fortune files, terminal colour codes, markup and logs.

Each file here is written as such files are found: a ``fortune`` database with ``%`` lines between entries and
ANSI colour codes in some of them, a man page with overstrikes, an HTML page and a server log.
"""

from __future__ import annotations

from pathlib import Path

from bertgui.data.cleaning import Cleaning, clean_line, prose_warning
from bertgui.data.corpus import iter_documents

GREEN, YELLOW, RESET = "\x1b[32m", "\x1b[33m", "\x1b[0m"
ENTRIES = [
    f"{GREEN}A hacker{RESET} is a person who enjoys exploring the details of programmable systems.\n"
    "They stretch their capabilities, as opposed to most users.",
    "Real programmers don't comment their code.\n\nIf it was hard to write, it should be hard to understand.",
    f"{YELLOW}:alpha geek:{RESET} n. The most technically accomplished person in an office.",
    "Any sufficiently advanced technology is indistinguishable from magic.",
]


def fortune_file(tmp_path: Path) -> Path:
    path = tmp_path / "jargon"  # fortune databases have no extension
    path.write_text("\n%\n".join(ENTRIES) + "\n%\n", encoding="utf-8")
    return path


def test_fortune_entries_are_the_documents(tmp_path):
    docs = list(iter_documents([str(fortune_file(tmp_path))]))
    assert len(docs) == len(ENTRIES)
    assert all(d.text.strip() != "%" and "\n%" not in d.text for d in docs)
    assert docs[1].text.startswith("Real programmers") and "hard to understand" in docs[1].text  # one entry


def test_colour_codes_never_become_words_and_are_counted(tmp_path):
    cleaning = Cleaning()
    docs = list(iter_documents([str(fortune_file(tmp_path))], cleaning=cleaning))
    body = " ".join(d.text for d in docs)
    assert "32m" not in body and "33m" not in body and "\x1b" not in body
    assert docs[0].text.startswith("A hacker is a person")
    assert cleaning.escapes == 4  # two colours, two resets
    notes = " ".join(map(str, cleaning.notes()))
    assert "4 terminal escape code" in notes and "fortune" in notes


def test_overstrikes_and_control_characters_go_letters_stay():
    cleaning = Cleaning()
    line = "N\bNA\bAM\bME\bE  _\bb_\bo_\bl_\bd\x07 caf\u00e9\ttab\x00"
    assert clean_line(line, cleaning) == "NAME  bold café\ttab\x00"  # NUL: its document is skipped, not mended
    assert cleaning.controls == 9  # eight overstrikes and the bell
    assert clean_line("plain text, untouched\n") == "plain text, untouched\n"


def test_a_blank_line_corpus_is_not_taken_for_a_fortune_file(tmp_path):
    path = tmp_path / "essay.txt"
    path.write_text("First paragraph. It has 50% of the text.\n\nSecond paragraph.\n%\nThird one.\n", "utf-8")
    assert [d.text for d in iter_documents([str(path)])][:2] == ["First paragraph. It has 50% of the text.",
                                                                  "Second paragraph.\n%\nThird one."]


def test_markup_and_logs_are_named_and_prose_is_not():
    html = ["<html>", "<body>", '<div class="x">', "<p>Some text here.</p>", "</div>", "<p>More.</p>"]
    log = [f"2026-12-01 14:11:{i:02d} INFO request served in {i} ms" for i in range(10)]
    prose = ["It was a bright cold day in April, and the clocks were striking thirteen."] * 10
    assert "markup" in str(prose_warning(html))
    assert "log" in str(prose_warning(log))
    assert prose_warning(prose) == ""


def test_the_corpus_statistics_say_what_was_removed(tmp_path, tiny_model):
    from transformers import AutoTokenizer

    from bertgui.data.preview import open_sample

    sample = open_sample([str(fortune_file(tmp_path))], AutoTokenizer.from_pretrained(tiny_model))
    assert sample.corpus.n_documents == len(ENTRIES)
    assert any("escape code" in str(n) for n in sample.notes)


def test_the_notes_of_a_cached_corpus_can_still_be_translated(tmp_path, tiny_model):
    from transformers import AutoTokenizer

    from bertgui.config import RunConfig
    from bertgui.data.prepare import prepare_corpus
    from bertgui.text import Text

    config = RunConfig(corpus=[str(fortune_file(tmp_path))], model=str(tiny_model))
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    first = prepare_corpus(config, tokenizer, num_proc=1, cache_dir=tmp_path / "cache")
    again = prepare_corpus(config, tokenizer, num_proc=1, cache_dir=tmp_path / "cache")
    assert again.cached and not first.cached
    removed = [n for n in again.notes if "escape code" in n]
    assert removed == [n for n in first.notes if "escape code" in n]  # the same sentence from the cache ...
    assert isinstance(removed[0], Text) and removed[0].template.startswith("Removed {0:,}")  # ... with its template
