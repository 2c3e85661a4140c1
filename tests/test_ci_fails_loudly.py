"""CI fails, not skips, when the window's toolkit or torch's launcher is missing.

The modules are hidden from every Python the run starts (a ``sitecustomize`` on PYTHONPATH), so the launcher is
missing in torchrun's subprocesses too.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

HIDE = """
import sys, importlib.abc
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name in {names!r} or name.split('.')[0] in {names!r}:
            raise ModuleNotFoundError(f"No module named {{name!r}} (hidden by the test)")
        return None
sys.meta_path.insert(0, Hide())
"""


def run_hidden(tmp_path: Path, names: set[str], args: list[str]) -> tuple[int, str]:
    (tmp_path / "sitecustomize.py").write_text(HIDE.format(names=sorted(names)), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    return out.returncode, out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-2000:]


def test_gui_tests_error_without_pyside6(tmp_path) -> None:
    code, last = run_hidden(tmp_path, {"PySide6", "shiboken6", "pyqtgraph", "pytestqt"},
                            ["-p", "no:pytest-qt", "tests/gui/test_gui_chips.py"])
    assert code != 0 and "skipped" not in last and "passed" not in last, last


def test_torchrun_tests_fail_without_the_launcher(tmp_path) -> None:
    code, last = run_hidden(tmp_path, {"torch.distributed.run"}, ["tests/test_torchrun.py", "-k", "whole-batches"])
    assert code != 0 and "failed" in last and "skipped" not in last, last
