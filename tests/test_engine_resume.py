"""kill -9 in the middle of `bertgui train`, then `--resume`: the step count continues from the last checkpoint,
the event log holds one curve (the killed session's steps after its checkpoint are dropped) and the real-token
count continues instead of restarting at 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bertgui.events import StepMetrics

CMD = [sys.executable, "-m", "bertgui", "train", "--max-steps", "12", "--batch-size", "4", "--max-seq-length", "32",
       "--checkpoint-every", "3", "--log-every", "1", "--learning-rate", "1e-3", "--json"]


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "BERTGUI_CACHE": str(tmp_path / "cache"), "OMP_NUM_THREADS": "1",
            "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def test_kill_9_then_resume_continues(tmp_path, sample_corpus, tiny_model) -> None:
    out = tmp_path / "run"
    args = CMD + ["--corpus", str(sample_corpus), "--model", str(tiny_model), "--output", str(out)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=_env(tmp_path), text=True)
    saved = 0
    tokens_at: dict[int, int] = {}
    deadline = time.time() + 180
    try:
        for line in proc.stdout:
            ev = json.loads(line)
            if ev["event"] == "checkpoint_saved":
                saved = ev["step"]
            if ev["event"] == "step_metrics":
                tokens_at[ev["step"]] = ev["real_tokens"]
            if ev["event"] == "step_metrics" and saved >= 3 and ev["step"] > saved:
                break  # mid-run, after a checkpoint
            assert time.time() < deadline
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert saved >= 3 and (out / f"checkpoint-{saved}" / "trainer_state.json").exists()
    assert not (out / "final-model").exists()
    from bertgui.engine.folder import lock_holder, read_run, run_state

    assert lock_holder(out) is None and run_state(out) == "interrupted"  # kill -9 leaves no stale lock
    run_id = read_run(out)["id"]

    # a new run in the same folder without --resume is refused (no silent overwrite of a run)
    refused = subprocess.run(args, capture_output=True, env=_env(tmp_path), text=True, timeout=180)
    assert refused.returncode == 2 and "--resume" in refused.stderr

    done = subprocess.run(CMD[:4] + ["--resume", str(out), "--json"], capture_output=True, env=_env(tmp_path),
                          text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    events = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    started = next(e for e in events if e["event"] == "run_started")
    assert started["resumed_from_step"] == saved and started["run_id"] == run_id
    assert started["resumed_from"].endswith(f"checkpoint-{saved}")
    steps = [e["step"] for e in events if e["event"] == "step_metrics"]
    assert steps == list(range(saved + 1, 13))
    assert events[-1]["event"] == "finished" and events[-1]["step"] == 12
    # the curve on disk covers both sessions (the killed one up to where it died)
    from bertgui.engine import read_metrics

    on_disk = [e for e in read_metrics(out) if isinstance(e, StepMetrics)]
    assert [e.step for e in on_disk] == list(range(1, 13))  # one curve: no step twice
    resumed = [e for e in events if e["event"] == "step_metrics"]
    assert resumed[0]["real_tokens"] > tokens_at[saved]  # continues from the checkpoint's count, not from 0
    tokens = [e.real_tokens for e in on_disk]
    assert tokens == sorted(tokens) and len(set(tokens)) == len(tokens)
    assert read_run(out)["state"] == "finished" and [s["kind"] for s in read_run(out)["sessions"]] == [
        "start", "resume"]
