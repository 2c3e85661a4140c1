"""The command line: help, subcommands, and errors as one clear line."""

from __future__ import annotations

import subprocess
import sys


def bertgui(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bertgui", *args], capture_output=True, text=True, **kw)


def test_help_lists_subcommands():
    out = bertgui("--help")
    assert out.returncode == 0
    assert "new-model" in out.stdout


def test_errors_are_one_line_without_traceback(tmp_path):
    out = bertgui("new-model", "--corpus", str(tmp_path / "missing.txt"), "--output", str(tmp_path / "m"))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert "missing.txt does not exist" in out.stderr.splitlines()[0]
    debug = bertgui("new-model", "--debug", "--corpus", str(tmp_path / "missing.txt"), "--output",
                    str(tmp_path / "m"))
    assert "Traceback" in debug.stderr


def test_new_model_command(sample_corpus, tmp_path):
    out = bertgui("new-model", "--corpus", str(sample_corpus), "--output", str(tmp_path / "m"), "--layers", "1",
                  "--hidden", "32", "--vocab", "500")
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "m" / "model.safetensors").exists() and (tmp_path / "m" / "tokenizer.json").exists()
    again = bertgui("new-model", "--corpus", str(sample_corpus), "--output", str(tmp_path / "m"))
    assert again.returncode == 2 and "not empty" in again.stderr
