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


def test_the_planner_never_imports_the_run(tmp_path: Path) -> None:
    tree = scratch_tree(tmp_path)
    target = tree / "bertgui" / "engine" / "plan.py"
    target.write_text(target.read_text(encoding="utf-8") + "\nfrom bertgui.engine import run as _run\n",
                      encoding="utf-8")
    out = lint(tree)
    broken = [ln for ln in out.stdout.splitlines() if ln.rstrip().endswith("BROKEN")]
    assert any("planner never imports the run" in ln for ln in broken), out.stdout


def import_cycles(package: str = "bertgui") -> list[list[str]]:
    """Module-level import circles inside ``package`` (imports inside functions included: grimp sees them all)."""
    import grimp

    graph = grimp.build_graph(package)
    modules = sorted(graph.modules)
    cycles = []
    for module in modules:
        for other in graph.find_modules_directly_imported_by(module):
            if other != module and graph.chain_exists(importer=other, imported=module):
                cycles.append(sorted([module, other]))
    return sorted({tuple(c) for c in cycles})


def test_no_import_circle_inside_bertgui() -> None:
    assert import_cycles() == []


def test_an_import_circle_is_found(tmp_path: Path, monkeypatch) -> None:
    tree = scratch_tree(tmp_path)
    target = tree / "bertgui" / "engine" / "device.py"
    target.write_text(target.read_text(encoding="utf-8") + "\nfrom bertgui.engine import plan as _plan\n",
                      encoding="utf-8")
    monkeypatch.syspath_prepend(str(tree))
    for name in [m for m in sys.modules if m == "bertgui" or m.startswith("bertgui.")]:
        monkeypatch.delitem(sys.modules, name)
    assert import_cycles()  # plan imports device (token budget); device importing plan closes a circle
