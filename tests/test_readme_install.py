"""The README's first install command suits the machine most people have (issue 23, item 18)."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def start_section() -> str:
    body = README.read_text(encoding="utf-8")
    return body[body.index("## Start"):].split("\n## ", 1)[0]


def test_the_first_install_command_is_the_cpu_way():
    first = re.search(r"```bash\n(.*?)```", start_section(), re.S)
    assert first is not None
    assert "download.pytorch.org/whl/cpu" in first.group(1)  # not the 6 GB CUDA build on a laptop


def test_the_chinese_extra_is_named():
    assert '".[chinese]"' in start_section() or "'.[chinese]'" in start_section()
