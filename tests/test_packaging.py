"""A regular (non-editable) install must contain every package and the translations."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_is_declared():
    declared = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "bertgui").rglob("__init__.py")}
    assert found | {"bertgui.resources"} == declared


def test_resources_ship_as_package_data():
    from importlib import resources

    names = {entry.name for entry in resources.files("bertgui.resources").iterdir()}
    assert any(n.endswith(".qm") for n in names), names
