"""``benchmarks/gpu_check.sh --dry-run``: the GPU check's six parts pass on the CPU with tiny sizes, one JSON line
each and nothing else on stdout, so the first machine with a GPU runs code that already ran."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_gpu_check_dry_run_passes_every_part(tmp_path) -> None:
    env = {**os.environ, "PYTHON": sys.executable}
    proc = subprocess.run(["bash", str(ROOT / "benchmarks" / "gpu_check.sh"), "--dry-run", "--workdir",
                           str(tmp_path)], capture_output=True, text=True, env=env, timeout=560)
    lines = proc.stdout.splitlines()
    parts = [json.loads(line) for line in lines]
    assert [p["part"] for p in parts] == ["bench", "train", "control", "oom", "memory", "packed"], \
        proc.stderr[-3000:]
    failed = {p["part"]: p for p in parts if not p["ok"]}
    assert not failed, json.dumps(failed)[:3000]
    assert proc.returncode == 0
    train, oom = parts[1], parts[3]
    assert train["resumed_first_step"] == train["stopped_at"] + 1 and train["final_step"] > train["stopped_at"]
    assert oom["failed_kind"] == "oom" and "batch size" in oom["advice"] and oom["next_run_ok"]
    packed = parts[5]
    assert packed["equal"]["hidden_max_abs_diff"] < 1e-3 and packed["training_dtypes"] == ["float32"]
    assert packed["padded"]["tokens_per_s"] > 0 and packed["packed"]["tokens_per_s"] > 0
