"""Checkpoints torn by a power cut, a full disk or ``kill -9``: one table of damages, each to the newest checkpoint.

transformers writes a checkpoint's files in place, so the newest one can hold an empty ``trainer_state.json`` or an
``optimizer.pt`` cut short beside whole weights. Each row damages ``checkpoint-4`` of a real stopped run (checkpoints
at 2 and 4) and asserts that :func:`verify_checkpoint` names the damaged file, that the resume point falls back to
``checkpoint-2`` with a note that says so, and that nothing is deleted. One resume runs end to end.
"""

from __future__ import annotations

import json
import os
import shutil
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bertgui.engine.folder import last_checkpoint, resume_checkpoint, verify_checkpoint


@pytest.fixture(scope="module")
def stopped_run(tmp_path_factory, sample_corpus, tiny_model) -> Path:
    """A run of 6 planned steps stopped after step 4: checkpoints at 2 and 4, run.json "stopped"."""
    import torch

    from bertgui.config import RunConfig
    from bertgui.engine import train
    from bertgui.events import Control, StepMetrics

    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("stopped")
    control = Control()
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp / "run"),
                       max_steps=6, batch_size=4, max_seq_length=32, checkpoint_every=2, keep_checkpoints=3,
                       eval_share=0.0, device="cpu").validate()

    def on_event(ev) -> None:
        if isinstance(ev, StepMetrics) and ev.step == 4:
            control.stop()

    result = train(config, on_event, control, cache_dir=tmp / "cache", num_proc=1)
    assert result.failed is None and result.step == 4
    assert sorted(p.name for p in (tmp / "run").glob("checkpoint-*")) == ["checkpoint-2", "checkpoint-4"]
    return tmp / "run"


def _cut(name: str, keep: float = 0.5) -> Callable[[Path], None]:
    def damage(ckpt: Path) -> None:
        data = (ckpt / name).read_bytes()
        (ckpt / name).write_bytes(data[:int(len(data) * keep)])

    return damage


def _write(name: str, content: bytes) -> Callable[[Path], None]:
    return lambda ckpt: (ckpt / name).write_bytes(content)


def _huge_header(ckpt: Path) -> None:
    data = bytearray((ckpt / "model.safetensors").read_bytes())
    data[:8] = struct.pack("<Q", 10**15)
    (ckpt / "model.safetensors").write_bytes(bytes(data))


def _other_step(ckpt: Path) -> None:
    state = json.loads((ckpt / "trainer_state.json").read_text())
    (ckpt / "trainer_state.json").write_text(json.dumps({**state, "global_step": 6}))


@dataclass(frozen=True)
class Damage:
    id: str
    apply: Callable[[Path], None]
    names: str  # in the problem verify_checkpoint reports


DAMAGES = [
    Damage("empty trainer_state.json", _write("trainer_state.json", b""), "trainer_state.json is empty"),
    Damage("optimizer.pt cut short", _cut("optimizer.pt"), "optimizer.pt is cut short"),
    Damage("optimizer.pt missing", lambda c: (c / "optimizer.pt").unlink(), "optimizer.pt is missing"),
    Damage("scheduler.pt empty", _write("scheduler.pt", b""), "scheduler.pt is cut short or damaged"),
    Damage("model.safetensors cut short", _cut("model.safetensors", 0.9), "model.safetensors is cut short"),
    Damage("model.safetensors random bytes", _write("model.safetensors", os.urandom(4096)), "model.safetensors"),
    Damage("safetensors header length of 10**15", _huge_header, "its header says 1,000,000,000,000,000 bytes"),
    Damage("trainer_state.json of another step", _other_step, "names step 6, the folder step 4"),
    Damage("bertgui_state.json empty", _write("bertgui_state.json", b""), "bertgui_state.json is empty"),
]


@pytest.fixture
def run_copy(stopped_run, tmp_path) -> Path:
    return shutil.copytree(stopped_run, tmp_path / "run")


def test_an_intact_checkpoint_passes(stopped_run) -> None:
    for ckpt in ("checkpoint-2", "checkpoint-4"):
        health = verify_checkpoint(stopped_run / ckpt)
        assert health.complete and health.problems == [] and health.warnings == [], health
    assert last_checkpoint(stopped_run) == str(stopped_run / "checkpoint-4")
    assert resume_checkpoint(stopped_run)[1] == []


@pytest.mark.parametrize("damage", DAMAGES, ids=[d.id for d in DAMAGES])
def test_a_torn_newest_checkpoint_gives_way_to_the_one_before(damage: Damage, run_copy) -> None:
    newest = run_copy / "checkpoint-4"
    damage.apply(newest)
    health = verify_checkpoint(newest)
    assert not health.complete and any(damage.names in p for p in health.problems), health.problems
    assert last_checkpoint(run_copy) == str(run_copy / "checkpoint-2")
    found, notes = resume_checkpoint(run_copy)
    assert found is not None and found.path == run_copy / "checkpoint-2" and found.step == 2
    assert notes[0].startswith("checkpoint-4 is damaged and is skipped: ") and damage.names in notes[0]
    assert "Resuming from checkpoint-2 (step 2)" in notes[1]
    assert newest.is_dir()  # nothing deleted: its weights may still be worth exporting


def test_a_missing_rng_state_is_said(run_copy) -> None:
    (run_copy / "checkpoint-4" / "rng_state.pth").unlink()
    found, notes = resume_checkpoint(run_copy)
    assert found is not None and found.step == 4  # it resumes, but says that the losses will not match
    assert len(notes) == 1 and "checkpoint-4 has no rng_state.pth" in notes[0] and "differ" in notes[0]


def test_every_checkpoint_torn_leaves_nothing_to_resume(run_copy) -> None:
    for ckpt in ("checkpoint-2", "checkpoint-4"):
        _cut("optimizer.pt")(run_copy / ckpt)
    found, notes = resume_checkpoint(run_copy)
    assert found is None and len(notes) == 2 and last_checkpoint(run_copy) is None


def test_resume_after_a_torn_optimizer_continues_from_the_complete_checkpoint(run_copy, tmp_path) -> None:
    """End to end: the resume starts at step 2 (not "unexpected error"), and the run's loss history survives."""
    from bertgui.config import RunConfig
    from bertgui.engine import read_metrics, train
    from bertgui.events import RunStarted, StepMetrics

    _cut("optimizer.pt")(run_copy / "checkpoint-4")
    config = RunConfig.load(run_copy / "bertgui.toml").replace(output_dir=str(run_copy))
    events: list = []
    result = train(config, events.append, resume=True, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.failed is None, result.failed
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.resumed_from_step == 2
    steps = [e.step for e in read_metrics(run_copy) if isinstance(e, StepMetrics)]
    assert steps == [1, 2, 3, 4, 5, 6]


def test_the_resume_says_which_checkpoint_it_takes_and_why(run_copy, tmp_path) -> None:
    from bertgui.config import RunConfig
    from bertgui.engine import train
    from bertgui.events import Progress

    _cut("optimizer.pt")(run_copy / "checkpoint-4")
    config = RunConfig.load(run_copy / "bertgui.toml").replace(output_dir=str(run_copy))
    events: list = []
    result = train(config, events.append, resume=True, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.failed is None, result.failed
    said = [str(e.message) for e in events if isinstance(e, Progress) and e.stage == "resume"]
    assert any(s.startswith("checkpoint-4 is damaged and is skipped") for s in said), said
    assert any("checkpoint-4 is damaged" in n for n in result.summary["notes"])


def test_a_resume_that_fails_before_training_keeps_the_whole_history(run_copy, tmp_path, monkeypatch) -> None:
    """The resume from checkpoint-2 fails while the model loads: metrics.jsonl keeps steps 3 and 4 (the issue: each
    failed attempt erased the run's loss history); only a resume that really started trims them."""
    import bertgui.engine.model_stage as model_stage
    from bertgui.config import RunConfig
    from bertgui.engine import train

    _cut("optimizer.pt")(run_copy / "checkpoint-4")
    log = (run_copy / "metrics.jsonl").read_text(encoding="utf-8")
    assert '"step": 4' in log

    def broken(*a, **kw):
        raise RuntimeError("the disk holding the model went away")

    monkeypatch.setattr(model_stage, "load_model_stage", broken)
    config = RunConfig.load(run_copy / "bertgui.toml").replace(output_dir=str(run_copy))
    result = train(config, resume=True, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.failed is not None
    assert (run_copy / "metrics.jsonl").read_text(encoding="utf-8").startswith(log)
