"""Runs that would overwrite or mix each other, and folders that are not bertgui's, as one table.

Each row is what a person does to a run folder: a second training into it while one runs, ``--overwrite`` of a
folder that holds their own files, a new run over an earlier one, a resume with other settings, a resume of a
finished run, a read-only output, a non-empty export folder, the corpus deleted mid-run, ``kill -9`` and resume.
Each asserts the exit code, the one line that names the problem (``bertgui: error: …``), no traceback, and that
nothing the person had was changed (bertgui's own ``.bertgui.lock`` aside). The command rows run through
``bertgui.cli.main`` in this process (the function ``python -m bertgui`` calls); ``kill -9`` needs a real process.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch

from bertgui.engine.folder import LOCK_FILE, RunLock

PROSE = ("The committee met on Tuesday. It approved the budget for the new library. The mayor spoke first.\n\n"
         "Rain fell all night. By morning the river had risen above the old stone bridge. Nobody crossed it.\n\n"
         "The market opened at dawn. Farmers sold apples, pears and cheese. The square was full by nine.\n")


@dataclass(frozen=True)
class Case:
    """One row: what is in the run folder (``setup``), what the person types, what they must see."""

    id: str
    setup: Callable[[Path, Path, Path], None]  # (run folder, model, corpus) -> the person's files
    argv: Callable[[Path, Path, Path], list[str]]  # (run folder, model, corpus) -> arguments
    exit_code: int
    says: str  # on the error line
    lock: bool = False  # another process (here: another open file) holds the run's lock meanwhile


def _train(*extra: str) -> Callable[[Path, Path, Path], list[str]]:
    return lambda run, model, corpus: ["train", "--corpus", str(corpus), "--model", str(model), "--output",
                                       str(run), "--device", "cpu", "--max-steps", "2", "--batch-size", "2",
                                       "--max-seq-length", "32", *extra]


def _resume(*extra: str) -> Callable[[Path, Path, Path], list[str]]:
    return lambda run, model, corpus: ["train", "--resume", str(run), *extra]


def _nothing(run: Path, model: Path, corpus: Path) -> None:
    run.mkdir(parents=True, exist_ok=True)


def _own_files(run: Path, model: Path, corpus: Path) -> None:
    run.mkdir(parents=True)
    (run / "thesis.tex").write_text("three years of work")
    (run / "logs").mkdir()
    (run / "logs" / "lab-notes.txt").write_text("mine too")


def _earlier_run(steps: int = 6, done: int = 4) -> Callable[[Path, Path, Path], None]:
    """A run folder as bertgui leaves it: config, event log, run.json, a complete checkpoint at ``done``."""

    def make(run: Path, model: Path, corpus: Path) -> None:
        from bertgui.config import RunConfig

        run.mkdir(parents=True)
        RunConfig(corpus=[str(corpus)], model=str(model), output_dir=str(run), max_steps=steps, batch_size=2,
                  max_seq_length=32, device="cpu").save(run / "bertgui.toml")
        (run / "metrics.jsonl").write_text(json.dumps({"event": "state_changed", "state": "training", "step": 0})
                                           + "\n")
        (run / "run.json").write_text(json.dumps({"format": 1, "id": "a1b2c3d4e5f6", "state": "finished" if
                                                  done == steps else "stopped", "step": done,
                                                  "planned_steps": steps, "sessions": []}))
        ckpt = run / f"checkpoint-{done}"
        ckpt.mkdir()
        (ckpt / "trainer_state.json").write_text(json.dumps({"global_step": done, "max_steps": steps}))
        for name in ("model.safetensors", "config.json"):
            shutil.copy(model / name, ckpt / name)
        torch.save({"state": {}, "param_groups": []}, ckpt / "optimizer.pt")
        torch.save({"python": 0}, ckpt / "rng_state.pth")

    return make


def _hf_trainer_output(run: Path, model: Path, corpus: Path) -> None:
    """What a Hugging Face Trainer leaves: checkpoints with trainer_state.json, the person's script and notes."""
    ckpt = run / "checkpoint-500"
    ckpt.mkdir(parents=True)
    (ckpt / "trainer_state.json").write_text(json.dumps({"global_step": 500, "max_steps": 1000}))
    for name in ("model.safetensors", "config.json"):
        shutil.copy(model / name, ckpt / name)
    (run / "train.py").write_text("# my training script")
    (run / "notes.md").write_text("lr 5e-5 diverged")


def _blocked(run: Path, model: Path, corpus: Path) -> None:
    run.parent.mkdir(parents=True, exist_ok=True)
    (run.parent / "a-file").write_text("not a folder")


CASES = [
    Case("two trainings at once", _nothing, _train(), 2, "is in use by another training run (process", lock=True),
    Case("--overwrite of a run in progress", _earlier_run(6, 4), _train("--overwrite"), 2,
         "is in use by another training run (process", lock=True),
    Case("--resume of a run in progress", _earlier_run(6, 4), _resume(), 2,
         "is in use by another training run (process", lock=True),
    Case("--overwrite of a folder that is not bertgui's", _own_files, _train("--overwrite"), 2,
         "holds files that are not a model or a run bertgui wrote (logs, thesis.tex)"),
    Case("a new run over an earlier run", _earlier_run(6, 4), _train(), 2, "already holds a training run"),
    Case("a new run over a run whose checkpoints were deleted", _earlier_run(6, 4), _train(), 2,
         "already holds a training run"),
    Case("--resume with a flag that changes the run", _earlier_run(6, 4), _resume("--learning-rate", "0.01"), 2,
         "these flags would change it: training.learning_rate"),
    Case("--resume of a finished run", _earlier_run(6, 6), _resume(), 2,
         "Run a1b2c3d4e5f6 is finished: it trained all 6 of its 6 steps"),
    Case("--resume of a Hugging Face Trainer output", _hf_trainer_output,
         lambda run, model, corpus: _resume("--corpus", str(corpus))(run, model, corpus), 2,
         "is not a run bertgui wrote (it has no run.json of bertgui's)"),
    Case("--resume of a Hugging Face Trainer checkpoint", _hf_trainer_output,
         lambda run, model, corpus: _resume("--corpus", str(corpus))(run / "checkpoint-500", model, corpus), 2,
         "is not a run bertgui wrote"),
    Case("--train-further without --resume", _nothing, _train("--train-further", "3"), 2,
         "--train-further N needs --resume DIR"),
    Case("--resume and --overwrite together", _earlier_run(6, 4), _resume("--overwrite"), 2,
         "--resume and --overwrite contradict each other"),
    Case("read-only output (below a file)", _blocked, lambda run, m, c: _train()(run.parent / "a-file" / "run", m, c),
         2, "is not writable"),
    Case("new-model --overwrite of a folder that is not bertgui's", _own_files,
         lambda run, model, corpus: ["new-model", "--corpus", str(corpus), "--output", str(run), "--overwrite"], 2,
         "holds files that are not a model or a run bertgui wrote"),
    Case("vocab --add --overwrite of a folder that is not bertgui's", _own_files,
         lambda run, model, corpus: ["vocab", "--corpus", str(corpus), "--model", str(model), "--add", "2",
                                     "--output", str(run), "--overwrite"], 2,
         "holds files that are not a model or a run bertgui wrote"),
]


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != LOCK_FILE and "cache" not in p.relative_to(root).parts}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("corpus") / "prose.txt"
    path.write_text(PROSE, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_run_inputs(case: Case, tmp_path, tiny_model, corpus, capsys, monkeypatch) -> None:
    from bertgui.cli import main

    monkeypatch.setenv("BERTGUI_CACHE", str(tmp_path / "cache"))
    run = tmp_path / "work" / "run"
    case.setup(run, tiny_model, corpus)
    if case.id.endswith("checkpoints were deleted"):
        import shutil

        for ckpt in run.glob("checkpoint-*"):
            shutil.rmtree(ckpt)
    before = _snapshot(tmp_path)
    model_before = _snapshot(tiny_model)
    lock = RunLock(run).acquire() if case.lock else None
    try:
        started = time.monotonic()
        code = main(case.argv(run, tiny_model, corpus))
        elapsed = time.monotonic() - started
    finally:
        if lock is not None:
            lock.release()
    err = capsys.readouterr().err
    assert code == case.exit_code, err[-2000:]
    errors = [line for line in err.splitlines() if line.startswith("bertgui: error: ")]
    assert len(errors) == 1 and case.says in errors[0], err[-2000:]
    if case.lock:
        assert str(os.getpid()) in errors[0]  # names the holder
    assert "Traceback" not in err
    assert elapsed < 30  # refused before any training
    assert _snapshot(tmp_path) == before  # nothing of the person's changed
    assert _snapshot(tiny_model) == model_before
    if case.setup is _hf_trainer_output:  # not even bertgui's own lock file goes into someone else's folder
        assert not (run / LOCK_FILE).exists()


def test_non_empty_export_folder(tmp_path, tiny_model) -> None:
    from transformers import AutoTokenizer, BertForPreTraining

    from bertgui.results.export import ExportError, export_model

    source = BertForPreTraining.from_pretrained(tiny_model), AutoTokenizer.from_pretrained(tiny_model)
    target = tmp_path / "Documents"
    _own_files(target, tiny_model, tiny_model)
    before = _snapshot(tmp_path)
    with pytest.raises(ExportError, match="already exists and is not empty"):
        export_model(source, target, verify=False)
    with pytest.raises(ExportError, match="not a model or a run bertgui wrote") as refused:
        export_model(source, target, overwrite=True, verify=False)
    assert "move those files away" in refused.value.advice
    assert _snapshot(tmp_path) == before


def test_corpus_deleted_mid_run_still_finishes(tmp_path, tiny_model, corpus) -> None:
    """The corpus is read once (into the prepared cache) before the first step: deleting it later loses nothing."""
    import shutil

    from bertgui.config import RunConfig
    from bertgui.engine import train
    from bertgui.events import StepMetrics

    mine = tmp_path / "corpus.txt"
    shutil.copy(corpus, mine)
    config = RunConfig(corpus=[str(mine)], model=str(tiny_model), output_dir=str(tmp_path / "run"), max_steps=3,
                       batch_size=2, max_seq_length=32, device="cpu", eval_share=0.0).validate()

    def on_event(ev) -> None:
        if isinstance(ev, StepMetrics) and ev.step == 1:
            mine.unlink()

    result = train(config, on_event, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.failed is None and result.step == 3 and not mine.exists()
    assert (Path(result.final_model_dir) / "model.safetensors").exists()


def test_kill_9_then_resume_names_the_run_and_its_checkpoint(tmp_path, tiny_model, corpus) -> None:
    run = tmp_path / "run"
    env = {**os.environ, "BERTGUI_CACHE": str(tmp_path / "cache"), "OMP_NUM_THREADS": "1",
           "PYTHONPATH": os.pathsep.join(sys.path)}
    args = [sys.executable, "-m", "bertgui", "train", "--corpus", str(corpus), "--model", str(tiny_model),
            "--output", str(run), "--device", "cpu", "--max-steps", "6", "--batch-size", "2", "--max-seq-length",
            "32", "--checkpoint-every", "2", "--json"]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True)
    saved = 0
    try:
        for line in proc.stdout:
            ev = json.loads(line)
            if ev["event"] == "checkpoint_saved":
                saved = ev["step"]
            if ev["event"] == "step_metrics" and saved and ev["step"] > saved:
                break
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    from bertgui.engine.folder import lock_holder, read_run, run_state

    assert saved and lock_holder(run) is None and run_state(run) == "interrupted"
    run_id = read_run(run)["id"]
    done = subprocess.run([sys.executable, "-m", "bertgui", "train", "--resume", str(run)], capture_output=True,
                          env=env, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"Resume run {run_id} from step {saved} of 6" in done.stderr
    assert "Traceback" not in done.stderr and "missing keys" not in done.stderr.lower()
    assert read_run(run)["state"] == "finished" and run_state(run) == "finished"
