"""`torchrun --nproc_per_node 2 -m bertgui train` on CPU (gloo): completes, and only rank 0 reports and writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# torchrun as a module of the torch in this Python: no skip when the console script is missing, and CI fails
# when torch's launcher itself is missing.
TORCHRUN = [sys.executable, "-m", "torch.distributed.run"]


@pytest.mark.parametrize("budget", [None, 40], ids=["whole-batches", "sliced-batches"])
def test_two_processes(tmp_path, sample_corpus, tiny_model, budget) -> None:
    """Sliced batches (token budget) sync gradients once per step under DDP, on the last slice."""
    out = tmp_path / "run"
    extra: list[str] = []
    if budget is not None:
        from bertgui.config import RunConfig

        extra = ["--config", str(RunConfig(forward_token_budget=budget).save(tmp_path / "run.toml"))]
    env = {**os.environ, "BERTGUI_CACHE": str(tmp_path / "cache"), "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run(
        [*TORCHRUN, "--standalone", "--nproc_per_node", "2", "-m", "bertgui", "train", "--corpus",
         str(sample_corpus), "--model", str(tiny_model), "--output", str(out), "--max-steps", "4", "--batch-size",
         "4", "--max-seq-length", "32", "--checkpoint-every", "2", "--json", *extra],
        capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    kinds = [e["event"] for e in events]
    assert kinds.count("run_started") == 1 and kinds.count("finished") == 1  # rank 0 only
    started = events[kinds.index("run_started")]
    assert started["world_size"] == 2
    assert [e["step"] for e in events if e["event"] == "step_metrics"] == [1, 2, 3, 4]
    assert [e["step"] for e in events if e["event"] == "checkpoint_saved"] == [2, 4]
    lines = (out / "metrics.jsonl").read_text().splitlines()
    assert sum('"run_started"' in line for line in lines) == 1  # one writer
    assert sorted(p.name for p in out.iterdir()) == ["bertgui.toml", "checkpoint-2", "checkpoint-4", "final-model",
                                                     "logs", "metrics.jsonl"]
    assert len(list((out / "logs").glob("events.out.tfevents*"))) == 1


RANK_FAILS = '''
import os, sys
from bertgui.config import RunConfig
from bertgui.engine.run import Engine


def main():
    events = []
    engine = Engine(RunConfig.load(sys.argv[1]), events.append)

    def out_of_memory(step):
        if os.environ["RANK"] == sys.argv[2] and step == 2:
            raise MemoryError("simulated")

    engine.fault_injector = out_of_memory
    result = engine.run()
    if os.environ["RANK"] == "0":
        print("RANK0-FAILED:", result.failed.kind, "|", result.failed.message, flush=True)
    sys.exit(2 if result.failed else 0)


if __name__ == "__main__":
    main()
'''


@pytest.mark.parametrize("failing", ["1", "0"])
def test_a_failing_rank_is_named_with_its_own_cause(tmp_path, sample_corpus, tiny_model, failing) -> None:
    """A rank runs out of memory; rank 0 (the only one that reports) gives that cause — and names the process when
    it was another one — not the "connection closed" that the surviving rank saw."""
    from bertgui.config import RunConfig

    script = tmp_path / "rank_fails.py"
    script.write_text(RANK_FAILS, encoding="utf-8")
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp_path / "run"),
                       max_steps=6, batch_size=4, max_seq_length=32).save(tmp_path / "run.toml")
    env = {**os.environ, "BERTGUI_CACHE": str(tmp_path / "cache"), "OMP_NUM_THREADS": "1", "HF_HUB_OFFLINE": "1",
           "TOKENIZERS_PARALLELISM": "false"}
    done = subprocess.run([*TORCHRUN, "--standalone", "--nproc_per_node", "2",
                           str(script), str(config), failing], capture_output=True, text=True, env=env,
                          timeout=300)
    assert done.returncode != 0
    line = next((x for x in done.stdout.splitlines() if x.startswith("RANK0-FAILED:")), None)
    assert line is not None, done.stdout[-2000:] + done.stderr[-3000:]
    expected = "The computer ran out of memory at step 2."
    if failing == "1":
        expected = "Process 1 of 2 failed: " + expected
    assert line == f"RANK0-FAILED: oom | {expected}", line
    if failing == "1":  # rank 1 leaves its record before it exits (whole: no half-written temporary)
        reports = sorted(p.name for p in (tmp_path / "run").glob(".failed-rank*"))
        assert reports == [".failed-rank1.json"], reports
