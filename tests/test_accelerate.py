"""`accelerate launch --num_processes 2 --cpu -m bertgui train` runs as two processes, like torchrun.

accelerate's --cpu launcher starts one process (it leaves multiplying to mpirun); bertgui reads N back from the
launcher's command line and starts itself under torch.distributed.run (bertgui/commands/launch.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bertgui.commands.launch import accelerate_cpu_request

CPU_CHILD = {"ACCELERATE_USE_CPU": "True", "MASTER_ADDR": "127.0.0.1", "MASTER_PORT": "29500"}
ACCELERATE = ["/venv/bin/python", "/venv/bin/accelerate", "launch"]
SCRIPT = ["-m", "bertgui", "train", "--corpus", "c.txt"]


@pytest.mark.parametrize(("env", "cmdline", "expected"), [
    (CPU_CHILD, [*ACCELERATE, "--num_processes", "2", "--cpu", *SCRIPT], 2),
    (CPU_CHILD, [*ACCELERATE, "--cpu", "--num-processes=3", *SCRIPT], 3),
    (CPU_CHILD, ["/venv/bin/python", "-m", "accelerate.commands.launch", "--cpu", "--num_processes", "2", *SCRIPT],
     2),
    (CPU_CHILD, [*ACCELERATE, "--num_processes", "1", "--cpu", *SCRIPT], None),
    (CPU_CHILD, [*ACCELERATE, "--num_processes", "4", "--num_machines", "2", "--cpu", *SCRIPT], None),
    ({**CPU_CHILD, "WORLD_SIZE": "2", "RANK": "0"}, [*ACCELERATE, "--num_processes", "2", "--cpu", *SCRIPT], None),
    ({**CPU_CHILD, "PMI_SIZE": "2"}, [*ACCELERATE, "--num_processes", "2", "--cpu", *SCRIPT], None),
    ({"ACCELERATE_USE_CPU": "False", "MASTER_ADDR": "x"}, [*ACCELERATE, "--num_processes", "2", *SCRIPT], None),
    (CPU_CHILD, ["/bin/bash", "-c", "python -m bertgui train"], None),
], ids=["two", "dashes", "module", "one", "machines", "torchrun-child", "mpirun-child", "not-cpu", "no-accelerate"])
def test_the_dropped_process_count_is_read_back(env, cmdline, expected):
    assert accelerate_cpu_request(env, cmdline) == expected


@pytest.mark.slow
def test_accelerate_cpu_two_processes(tmp_path, sample_corpus, tiny_model):
    out = tmp_path / "run"
    env = {**os.environ, "BERTGUI_CACHE": str(tmp_path / "cache"), "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false", "HF_HOME": str(tmp_path / "hf")}
    for key in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_ADDR", "MASTER_PORT"):
        env.pop(key, None)
    done = subprocess.run(
        [sys.executable, "-m", "accelerate.commands.launch", "--num_processes", "2", "--cpu", "-m", "bertgui",
         "train", "--corpus", str(sample_corpus), "--model", str(tiny_model), "--output", str(out),
         "--max-steps", "2", "--batch-size", "4", "--max-seq-length", "32", "--checkpoint-every", "2", "--json"],
        capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    kinds = [e["event"] for e in events]
    assert kinds.count("run_started") == 1 and kinds.count("finished") == 1  # rank 0 only
    assert events[kinds.index("run_started")]["world_size"] == 2
    assert [e["step"] for e in events if e["event"] == "step_metrics"] == [1, 2]
    lines = (out / "metrics.jsonl").read_text().splitlines()
    assert sum('"run_started"' in line for line in lines) == 1  # one writer
