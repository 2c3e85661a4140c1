"""Every third-party module that bertgui imports is declared in pyproject.toml (psutil and tqdm once were not).

WHY: an undeclared import works on the developer's machine, where something else pulled it in, and fails on a
user's fresh install with a ModuleNotFoundError. The imports are read from the source (every ``import`` statement,
also inside functions), mapped to their distributions through the installed metadata, and compared with the
declared requirements (dependencies and extras).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_top_names(package: Path) -> dict[str, str]:
    """Top-level module name → one file that imports it (absolute imports only)."""
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def declared_distributions() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return {normalise(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requirements}


def undeclared(imports: dict[str, str], declared: set[str]) -> list[str]:
    dists = packages_distributions()
    missing = []
    for name, where in sorted(imports.items()):
        if name in sys.stdlib_module_names or name in ("bertgui", "__future__"):
            continue
        providers = {normalise(d) for d in dists.get(name, [])}
        if not providers & declared:
            missing.append(f"{name} (imported in {where}; distribution {sorted(providers) or 'not installed'})")
    return missing


def test_every_third_party_import_is_declared():
    imports = imported_top_names(ROOT / "bertgui")
    assert {"torch", "transformers", "psutil", "tqdm"} <= set(imports)  # the scan does read the imports
    assert undeclared(imports, declared_distributions()) == []


def test_an_undeclared_import_is_found():
    declared = declared_distributions() - {"tqdm"}
    assert undeclared({"tqdm": "bertgui/x.py", "json": "bertgui/y.py"}, declared) == [
        "tqdm (imported in bertgui/x.py; distribution ['tqdm'])"]
