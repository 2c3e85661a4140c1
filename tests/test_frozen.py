"""What the built program (packaging/) needs from the code: the ``python -m`` stand-in of its entry point, and
the general-English sample its build made (a built program has no standard-library sources to make it from)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from bertgui.data import general

ROOT = Path(__file__).resolve().parents[1]


def entry_module():
    spec = importlib.util.spec_from_file_location("bertgui_main", ROOT / "packaging" / "bertgui_main.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(("argv", "expected"), [
    (["-m", "bertgui", "train", "--json"], ("bertgui", ["train", "--json"])),
    (["-u", "-m", "torch.distributed.run", "--nproc_per_node=2"], ("torch.distributed.run", ["--nproc_per_node=2"])),
    (["-X", "utf8", "-m", "bertgui.bench.child"], ("bertgui.bench.child", [])),
    (["train", "-m", "x"], None),  # a bertgui subcommand, not an interpreter's call
    ([], None),
])
def test_interpreter_calls_are_told_from_bertgui_commands(argv, expected):
    assert entry_module().module_call(argv) == expected


def test_an_interpreter_call_runs_the_module_as_main(tmp_path, monkeypatch, capsys):
    (tmp_path / "probe_mod.py").write_text("import sys\nif __name__ == '__main__':\n    print('ran', sys.argv[1:])\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(sys, "argv", ["bertgui", "-u", "-m", "probe_mod", "a", "b"])
    assert entry_module().main() == 0
    assert capsys.readouterr().out == "ran ['a', 'b']\n"


def test_without_library_sources_the_sample_the_build_made_is_used(tmp_path, monkeypatch):
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / general.sample_name()).write_text("A paragraph the build wrote.\n", encoding="utf-8")
    monkeypatch.setattr(general, "BUNDLED", bundled)
    monkeypatch.setattr(general, "_stdlib_root", lambda: tmp_path / "no-sources")
    general._paragraphs.cache_clear()
    try:
        path = general.general_sample_path(tmp_path / "cache")
    finally:
        general._paragraphs.cache_clear()
    assert path.read_text(encoding="utf-8") == "A paragraph the build wrote.\n"
