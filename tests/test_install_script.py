"""install.sh picks the CPU build of torch unless an NVIDIA GPU is there (README's one-line install)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="install.sh picks for Linux here")


def choice(tmp_path: Path, nvidia_smi: str | None, *args: str) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    if nvidia_smi is not None:
        tool = bin_dir / "nvidia-smi"
        tool.write_text(f"#!/bin/sh\n{nvidia_smi}\n")
        tool.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin"}
    out = subprocess.run(["bash", str(ROOT / "install.sh"), "--print-choice", *args], env=env,
                         capture_output=True, text=True, check=True, timeout=60)
    return out.stdout.split("torch build: ")[1].split()[0]


def test_no_nvidia_smi_means_the_cpu_build(tmp_path):
    assert choice(tmp_path, None) == "cpu"


def test_an_nvidia_smi_that_lists_no_gpu_means_the_cpu_build(tmp_path):
    assert choice(tmp_path, "echo 'No devices were found'; exit 6") == "cpu"


def test_a_listed_gpu_means_the_cuda_build(tmp_path):
    assert choice(tmp_path, "echo 'GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-1234)'") == "cuda"


def test_the_choice_can_be_forced(tmp_path):
    assert choice(tmp_path, "echo 'GPU 0: NVIDIA H100'", "--cpu") == "cpu"
