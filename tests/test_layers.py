"""The folder tree's layer contracts (pyproject.toml, [tool.importlinter]) hold, and break when a layer is crossed.

WHY both halves: a contract that passes on the real tree proves little unless the same check fails on a tree that
crosses a layer on purpose (data importing the engine, the engine importing the GUI, Qt in the core).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT = [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command as c; sys.exit(c())"]


def lint(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run([*LINT, "--config", str(tree / "pyproject.toml"), "--no-cache"], cwd=tree, env=env,
                          capture_output=True, text=True, timeout=300)


def scratch_tree(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    shutil.copytree(ROOT / "bertgui", tree / "bertgui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tree / "pyproject.toml")
    return tree


def test_the_real_tree_keeps_every_contract() -> None:
    out = lint(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "broken" in out.stdout and " 0 broken" in out.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("data/corpus.py", "from bertgui.engine import run as _run", "Stages"),
    ("data/pairs.py", "from bertgui.model import loading as _loading", "Stages"),
    ("engine/callbacks.py", "from bertgui.gui import settings as _settings", "Stages"),
    ("engine/device.py", "from bertgui.commands import train as _train", "Stages"),
    ("model/losses.py", "from bertgui.results import export as _export", "Stages"),
    ("results/modelcard.py", "import PySide6.QtCore", "Qt only in the GUI"),
])
def test_a_crossed_layer_breaks_a_contract(tmp_path: Path, module: str, line: str, contract: str) -> None:
    tree = scratch_tree(tmp_path)
    target = tree / "bertgui" / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    out = lint(tree)
    assert out.returncode != 0, out.stdout
    broken = [ln for ln in out.stdout.splitlines() if ln.rstrip().endswith("BROKEN")]
    assert any(contract in ln for ln in broken), out.stdout
