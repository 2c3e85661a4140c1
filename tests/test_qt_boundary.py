"""The headless core never imports Qt: checked statically (every import statement) and at run time."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "bertgui"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "pyqtgraph", "shiboken6", "bertgui.gui")


def core_modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts]


def imported_names(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_no_core_module_imports_qt():
    offenders = [f"{p.relative_to(PACKAGE)} imports {n}" for p in core_modules() for n in imported_names(p)
                 if n.startswith(FORBIDDEN) and not (p.name == "cli.py" and n == "bertgui.gui.app")]
    assert not offenders, offenders


def test_importing_the_whole_core_loads_no_qt():
    mods = []
    for p in core_modules():
        rel = p.relative_to(PACKAGE.parent).with_suffix("")
        mods.append(".".join(rel.parts).removesuffix(".__init__"))
    code = ("import importlib, sys\n"
            f"for m in {mods!r}: importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'shiboken6')]\n"
            "print(bad); sys.exit(1 if bad else 0)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PACKAGE.parent)
    assert out.returncode == 0, out.stdout + out.stderr


def test_boundary_check_detects_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport pyqtgraph as pg\n")
    assert [n for n in imported_names(bad) if n.startswith(FORBIDDEN)] == ["PySide6.QtCore", "pyqtgraph"]
