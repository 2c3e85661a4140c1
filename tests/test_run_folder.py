"""Run folders a person cannot lose: one lock per run, no run over another, replace only bertgui's own folders,
a final model that is complete or absent, resume = this run's latest complete checkpoint with its own settings.

Several tests pin a bug that was planted to see them fail (see the report of the runs-core branch): export deleting
the old folder before the new one is in place, export leaving its temporary folder, resume taking the earliest
checkpoint, the CPU token budget turned off.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch

from bertgui.config import RunConfig
from bertgui.engine import Engine, read_metrics, train
from bertgui.engine.folder import (
    RunBusy,
    RunLock,
    complete_checkpoints,
    lock_holder,
    read_run,
    resume_conflicts,
    run_state,
)
from bertgui.events import CheckpointSaved, Control, Failed, Progress, RunStarted, StateChanged, StepMetrics
from bertgui.files import FolderNotReplaceable, check_replaceable, replace_folder


@pytest.fixture(autouse=True)
def _threads() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory, sample_corpus) -> Path:
    docs = sample_corpus.read_text(encoding="utf-8").split("\n\n")[:6]
    path = tmp_path_factory.mktemp("small") / "small.txt"
    path.write_text("\n\n".join(docs * 4) + "\n", encoding="utf-8")
    return path


def _config(tmp_path: Path, corpus: Path, model: Path, **kw) -> RunConfig:
    base = dict(corpus=[str(corpus)], model=str(model), output_dir=str(tmp_path / "run"), max_steps=4,
                batch_size=4, max_seq_length=32, learning_rate=2e-3, warmup_ratio=0.0, checkpoint_every=2,
                log_every=1, eval_share=0.0, seed=5, short_seq_prob=0.5)
    base.update(kw)
    return RunConfig(**base).validate()


def _run(config: RunConfig, tmp_path: Path, **kw):
    events: list = []
    result = train(config, events.append, cache_dir=tmp_path / "cache", num_proc=1, **kw)
    return result, events


def _steps(events: list) -> list[StepMetrics]:
    return [e for e in events if isinstance(e, StepMetrics)]


def _listing(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------------------------------------ the lock
def test_lock_names_its_holder_and_dies_with_it(tmp_path) -> None:
    folder = tmp_path / "run"
    with RunLock(folder):
        assert lock_holder(folder).split()[0] == str(os.getpid())
        with pytest.raises(RunBusy, match=str(os.getpid())):
            RunLock(folder).acquire()
    assert lock_holder(folder) is None
    # another process holds it, then dies by kill -9: no stale lock is left
    code = ("import sys, time; from bertgui.engine.folder import RunLock; RunLock(sys.argv[1]).acquire(); "
            "print('locked', flush=True); time.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    try:
        assert proc.stdout.readline().strip() == "locked"
        assert lock_holder(folder).split()[0] == str(proc.pid)
        with pytest.raises(RunBusy, match=f"process {proc.pid}"):
            RunLock(folder).acquire()
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    assert lock_holder(folder) is None
    RunLock(folder).acquire().release()


def test_a_second_run_into_a_locked_folder_fails_at_once_and_changes_nothing(tmp_path, small_corpus,
                                                                           tiny_model) -> None:
    config = _config(tmp_path, small_corpus, tiny_model)
    out = Path(config.output_dir)
    with RunLock(out):
        before = _listing(out)
        for kw in ({}, {"resume": True}, {"overwrite": True}):
            started = time.monotonic()
            result, events = _run(config, tmp_path, **kw)
            assert result.failed is not None and result.failed.kind == "config", (kw, result.failed)
            assert f"process {os.getpid()}" in result.failed.message
            assert time.monotonic() - started < 10  # refused before any model is loaded
            assert not _steps(events) and _listing(out) == before


# ------------------------------------------------------------------------------------------------ replacing
def test_only_bertgui_folders_are_replaceable(tmp_path, tiny_model) -> None:
    check_replaceable(tmp_path / "new")
    (tmp_path / "empty").mkdir()
    check_replaceable(tmp_path / "empty")
    check_replaceable(tiny_model)  # a model folder new-model wrote (its marker)
    run = tmp_path / "run"
    (run / "checkpoint-3").mkdir(parents=True)
    (run / "checkpoint-3" / "trainer_state.json").write_text("{}")
    (run / "run.json").write_text(json.dumps({"format": 1, "id": "0123456789ab", "state": "stopped"}))
    check_replaceable(run)  # its run.json has bertgui's format and a run id
    docs = tmp_path / "Documents"
    docs.mkdir()
    (docs / "thesis.tex").write_text("years of work")
    (docs / "bertgui.toml").write_text("")  # a saved configuration does not make it bertgui's folder
    with pytest.raises(FolderNotReplaceable, match="not a model or a run bertgui wrote"):
        check_replaceable(docs)


@pytest.fixture(scope="module")
def model_pair(tiny_model):
    from transformers import AutoTokenizer, BertForPreTraining

    return BertForPreTraining.from_pretrained(tiny_model), AutoTokenizer.from_pretrained(tiny_model)


def test_export_keeps_the_old_folder_until_the_new_one_is_in_place(tmp_path, model_pair, monkeypatch) -> None:
    """Planted bug caught: deleting the old export before moving the new one in."""
    import bertgui.files
    from bertgui.results.export import ExportError, export_model

    target = export_model(model_pair, tmp_path / "export", verify=False)
    before = _listing(target)
    real_replace = os.replace

    def failing_replace(src, dst):  # the move of the new folder into place fails (disk, permissions …)
        if Path(src).name.startswith(".export.export-"):
            raise OSError(5, "Input/output error")
        return real_replace(src, dst)

    monkeypatch.setattr(bertgui.files.os, "replace", failing_replace)
    with pytest.raises(ExportError, match="failed"):
        export_model(model_pair, target, overwrite=True, verify=False)
    assert _listing(target) == before  # the old export, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]  # no temporary or set-aside folder


def test_a_failed_export_leaves_no_temporary_folder(tmp_path, model_pair, monkeypatch) -> None:
    """Planted bug caught: the temporary folder left behind after a failure."""
    import bertgui.results.export as export
    from bertgui.errors import ModelError

    target = export.export_model(model_pair, tmp_path / "export", verify=False)
    before = _listing(target)

    def broken(folder: Path) -> None:
        raise ModelError("does not load")

    monkeypatch.setattr(export, "verify_export", broken)
    with pytest.raises(ModelError):
        export.export_model(model_pair, target, overwrite=True)
    with pytest.raises(ModelError):
        export.export_model(model_pair, tmp_path / "fresh")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]
    assert _listing(target) == before


def test_export_files_share_one_mode_and_hold_no_pickle(tmp_path, model_pair) -> None:
    from bertgui.results.export import export_model

    target = export_model(model_pair, tmp_path / "export", verify=False)
    modes = {p.name: p.stat().st_mode & 0o777 for p in target.iterdir()}
    assert modes["model.safetensors"] == modes["config.json"] == 0o666 & ~_umask(), modes
    assert not [n for n in modes if n.endswith((".bin", ".pt", ".pth", ".pkl"))]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_replace_folder_puts_the_old_one_back_when_the_move_fails(tmp_path, monkeypatch) -> None:
    old, new = tmp_path / "target", tmp_path / ".target.new"
    old.mkdir()
    (old / "a").write_text("old")
    new.mkdir()
    (new / "a").write_text("new")
    replace_folder(new, old)
    assert (old / "a").read_text() == "new" and not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["target"]


# ------------------------------------------------------------------------------------------------ a run's folder
def test_runs_never_mix(tmp_path, small_corpus, tiny_model) -> None:
    config = _config(tmp_path, small_corpus, tiny_model, max_steps=2)
    out = Path(config.output_dir)
    # someone's folder: refused with overwrite, nothing touched
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result, _ = _run(config, tmp_path, overwrite=True)
    assert result.failed.kind == "config" and "not a model or a run bertgui wrote" in result.failed.message
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]  # not even a lock file
    (out / "notes.txt").unlink()

    result, events = _run(config, tmp_path)
    assert result.failed is None, result.failed
    final = out / "final-model"
    assert not (final / "training_args.bin").exists()  # no pickle in the folder meant for sharing
    modes = {p.name: p.stat().st_mode & 0o777 for p in final.iterdir()}
    assert modes["model.safetensors"] == modes["config.json"], modes
    assert not [p for p in out.iterdir() if p.name.startswith(".final-model")]
    info = read_run(out)
    assert info["state"] == "finished" and info["step"] == 2 and info["planned_steps"] == 2
    assert [s["kind"] for s in info["sessions"]] == ["start"] and run_state(out) == "finished"
    run_id = info["id"]
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.run_id == run_id and started.resumed_from == ""

    # a finished run is finished: resume says so and trains nothing (no step past the end at learning rate 0)
    before = _listing(out)
    result, events = _run(config, tmp_path, resume=True)
    assert result.failed.kind == "config" and f"Run {run_id} is finished" in result.failed.message
    assert "train it further" in result.failed.advice.lower() and not _steps(events)
    assert _listing(out) == before and not (out / "checkpoint-3").exists()
    # an earlier run in the folder: refused without resume/overwrite, whatever it still holds
    import shutil

    shutil.rmtree(out / "checkpoint-2")
    before = _listing(out)
    result, _ = _run(config, tmp_path)
    assert result.failed.kind == "config" and "already holds a training run" in result.failed.message
    assert _listing(out) == before
    # overwrite: a new run with a new id
    result, _ = _run(config, tmp_path, overwrite=True)
    assert result.failed is None and read_run(out)["id"] != run_id


def test_disk_full_while_saving_removes_the_half_checkpoint_and_resume_skips_it(tmp_path, small_corpus,
                                                                               tiny_model, monkeypatch) -> None:
    from safetensors import SafetensorError

    from bertgui.engine.trainer import PretrainingTrainer

    config = _config(tmp_path, small_corpus, tiny_model, max_steps=6, checkpoint_every=2)
    out = Path(config.output_dir)
    real_save = PretrainingTrainer._save

    full = {"checkpoint-4"}  # the disk is full at checkpoint-4 (once) and at every final save

    def save(self, output_dir=None, state_dict=None):
        name = Path(output_dir or "").name
        if name in full or name.startswith(".final-model"):
            full.discard(name)
            os.makedirs(output_dir, exist_ok=True)
            Path(output_dir, "config.json").write_text("{}")  # what a full disk leaves: config, no weights
            raise SafetensorError('Error while serializing: I/O error: No space left on device (os error 28)')
        return real_save(self, output_dir, state_dict)

    monkeypatch.setattr(PretrainingTrainer, "_save", save)
    result, _ = _run(config, tmp_path)
    assert result.failed is not None and result.failed.kind == "disk", result.failed
    assert "disk is full" in result.failed.message
    assert sorted(p.name for p in out.glob("checkpoint-*")) == ["checkpoint-2"]  # the half one is gone
    assert read_run(out)["state"] == "failed" and run_state(out) == "failed"

    # a kill mid-save leaves one too: resume skips it and takes the last complete checkpoint
    (out / "checkpoint-5").mkdir()
    (out / "checkpoint-5" / "config.json").write_text("{}")
    assert [p.name for p in complete_checkpoints(out)] == ["checkpoint-2"]
    result, events = _run(config, tmp_path, resume=True)  # the final save fails again: a disk message, no model
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.resumed_from_step == 2 and started.resumed_from.endswith("checkpoint-2")
    assert result.failed is not None and result.failed.kind == "disk"
    assert not (out / "final-model").exists() and not list(out.glob(".final-model*"))
    assert [s.step for s in _steps(events)] == [3, 4, 5, 6]


# ------------------------------------------------------------------------------------------------ resume
def test_resume_continues_this_run_exactly_like_an_uninterrupted_one(tmp_path, small_corpus, tiny_model) -> None:
    """Killed at step 6 with checkpoints 2 and 4: the resume takes checkpoint-4 (not the earliest), drops the
    killed session's step 5 from the log, continues the token count, and logs the uninterrupted run's losses."""
    config = _config(tmp_path, small_corpus, tiny_model, max_steps=8, checkpoint_every=2, keep_checkpoints=3)
    reference, ref_events = _run(config.replace(output_dir=str(tmp_path / "reference")), tmp_path)
    assert reference.failed is None, reference.failed

    events: list = []
    eng = Engine(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)

    def kill(step: int) -> None:
        if step == 6:
            raise RuntimeError("killed")

    eng.fault_injector = kill
    first = eng.run()
    out = Path(config.output_dir)
    assert first.failed is not None
    assert [p.name for p in complete_checkpoints(out)] == ["checkpoint-2", "checkpoint-4"]
    assert [e.step for e in read_metrics(out) if isinstance(e, StepMetrics)] == [1, 2, 3, 4, 5]

    result, events2 = _run(config, tmp_path, resume=True)
    assert result.failed is None, result.failed
    started = next(e for e in events2 if isinstance(e, RunStarted))
    assert started.resumed_from_step == 4 and started.resumed_from.endswith("checkpoint-4")
    assert started.run_id == read_run(out)["id"]
    named = [e.message for e in events2 if isinstance(e, Progress) and e.stage == "resume"]
    assert len(named) == 1 and named[0].startswith(f"Resume run {started.run_id} from step 4 of 8 (")
    on_disk = [e for e in read_metrics(out) if isinstance(e, StepMetrics)]
    assert [e.step for e in on_disk] == list(range(1, 9))  # one curve: step 5 of the killed session dropped
    ref = _steps(ref_events)
    assert [e.real_tokens for e in on_disk] == [e.real_tokens for e in ref]  # the count continues
    assert [e.loss for e in on_disk] == pytest.approx([e.loss for e in ref], abs=1e-6)
    assert [e.learning_rate for e in on_disk] == pytest.approx([e.learning_rate for e in ref], abs=1e-12)
    assert [s["kind"] for s in read_run(out)["sessions"]] == ["start", "resume"]

    # settings that would make it another run are refused, with the reason
    changed, _ = _run(config.replace(learning_rate=1e-3), tmp_path, resume=True)
    assert changed.failed.kind == "config" and "training.learning_rate" in changed.failed.message
    # finished: resume says so; train further is the explicit choice, with a fresh schedule
    again, events3 = _run(config, tmp_path, resume=True)
    assert again.failed is not None and "finished" in again.failed.message and not _steps(events3)
    assert not (out / "checkpoint-9").exists()
    further, events4 = _run(config, tmp_path, train_further=2)
    assert further.failed is None, further.failed
    steps4 = _steps(events4)
    assert [s.step for s in steps4] == [9, 10]
    assert steps4[0].learning_rate == pytest.approx(config.learning_rate)
    assert steps4[0].learning_rate > on_disk[-1].learning_rate
    # its checkpoints record the session's own schedule, so resuming it keeps that schedule
    assert json.loads((out / "checkpoint-10" / "bertgui_state.json").read_text())["schedule_steps"] == 2
    info = read_run(out)
    assert [s["kind"] for s in info["sessions"]] == ["start", "resume", "train-further"]
    assert info["state"] == "finished" and info["step"] == 10 and info["planned_steps"] == 10


def test_run_json_follows_pause_and_stop(tmp_path, small_corpus, tiny_model) -> None:
    config = _config(tmp_path, small_corpus, tiny_model, max_steps=20, checkpoint_every=100)
    out = Path(config.output_dir)
    control = Control()
    seen: dict[str, object] = {}

    def on_event(ev) -> None:
        if isinstance(ev, StepMetrics) and ev.step == 2:
            control.pause()
        if isinstance(ev, StateChanged) and ev.state == "paused":
            seen["paused"] = (read_run(out)["state"], run_state(out), lock_holder(out))
            control.stop()
        if isinstance(ev, CheckpointSaved):
            seen["checkpoint"] = read_run(out)["step"]

    result = train(config, on_event, control, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.failed is None and result.stopped
    state, shown, holder = seen["paused"]
    assert state == "paused" and shown == "paused" and holder.split()[0] == str(os.getpid())
    assert seen["checkpoint"] == 2
    assert read_run(out)["state"] == "stopped" and run_state(out) == "stopped" and lock_holder(out) is None


def test_resume_conflicts_name_each_changed_setting() -> None:
    saved = RunConfig(corpus=["a.txt"], max_steps=60, checkpoint_every=20)
    assert resume_conflicts(saved, saved.replace(checkpoint_every=500, log_every=5, device="cpu")) == []
    found = resume_conflicts(saved, saved.replace(max_steps=80, seed=1, corpus=["b.txt"]))
    assert len(found) == 3 and any("training.max_steps" in f and "60" in f and "80" in f for f in found)
    assert any("corpus.paths" in f for f in found) and any("training.seed" in f for f in found)


def test_masks_are_a_function_of_seed_epoch_and_index(tiny_model, small_corpus) -> None:
    from transformers import AutoTokenizer

    from bertgui.data.corpus import iter_documents
    from bertgui.data.masking import MaskingCollator
    from bertgui.data.pairs import PretrainingDataset
    from bertgui.data.tokenized import tokenize_documents

    tok = AutoTokenizer.from_pretrained(tiny_model)
    corpus = tokenize_documents(iter_documents([str(small_corpus)]), tok)
    ds = PretrainingDataset(corpus, tok, max_seq_length=32, seed=3, epochs=2)
    collator = MaskingCollator(tok, item_seeds=True)
    n = ds.epoch_sizes()[0]
    torch.manual_seed(0)
    alone = collator([ds[5]])
    torch.manual_seed(1)  # the global generator plays no part
    among = collator([ds[9], ds[5], ds[2]])
    k = len(ds[5]["input_ids"])
    assert torch.equal(alone["input_ids"][0, :k], among["input_ids"][1, :k])
    assert torch.equal(alone["labels"][0, :k], among["labels"][1, :k])
    # the same pair position in the next epoch gets new masks (dynamic masking), reproducibly
    other_epoch = collator([ds[n + 5]])
    assert ds[n + 5]["mask_seed"] != ds[5]["mask_seed"]
    assert torch.equal(collator([ds[n + 5]])["labels"], other_epoch["labels"])


# ------------------------------------------------------------------------------------------------ CPU budget
def test_the_default_token_budget_slices_a_cpu_batch() -> None:
    """Planted bug caught: the automatic (-1) budget resolved to 0 (no slicing) on a CPU."""
    from bertgui.engine.device import resolve_token_budget
    from bertgui.engine.trainer import split_batch

    budget = resolve_token_budget(RunConfig().forward_token_budget, "cpu")
    assert budget > 0
    rows, width = 8, 256  # 2 048 positions: more than the CPU budget of 1 024
    batch = {"input_ids": torch.ones(rows, width, dtype=torch.long),
             "attention_mask": torch.ones(rows, width, dtype=torch.long),
             "labels": torch.full((rows, width), -100)}
    slices = split_batch(batch, budget)
    assert len(slices) >= 2 and sum(s["input_ids"].shape[0] for s in slices) == rows
    assert all(s["input_ids"].numel() <= budget for s in slices)
    assert resolve_token_budget(-1, "cuda:0") == 0


def test_resume_hides_only_the_tied_weights_warning(tmp_path, monkeypatch) -> None:
    """The "missing keys … decoder" warning of tied weights is expected noise; other missing keys still warn."""
    from types import SimpleNamespace

    import transformers.trainer
    from transformers import BertConfig, BertForPreTraining, TrainingArguments

    from bertgui.engine.trainer import PretrainingTrainer

    model = BertForPreTraining(BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                          intermediate_size=16))
    warned: list[str] = []
    monkeypatch.setattr(transformers.trainer.logger, "warning", lambda msg, *a, **k: warned.append(str(msg)))
    trainer = PretrainingTrainer(model=model, args=TrainingArguments(output_dir=str(tmp_path), use_cpu=True,
                                                                     report_to="none"))
    tied = ["cls.predictions.decoder.weight"]
    trainer._issue_warnings_after_load(SimpleNamespace(missing_keys=list(tied), unexpected_keys=[]))
    assert warned == []
    trainer._issue_warnings_after_load(SimpleNamespace(missing_keys=[*tied, "bert.pooler.dense.weight"],
                                                       unexpected_keys=[]))
    assert len(warned) == 1 and "pooler" in warned[0] and "decoder" not in warned[0]


def test_failed_event_is_recorded_in_run_json(tmp_path, small_corpus, tiny_model) -> None:
    config = _config(tmp_path, tmp_path / "missing.txt", tiny_model)
    result, _ = _run(config, tmp_path)
    assert isinstance(result.failed, Failed)
    info = read_run(config.output_dir)
    assert info["state"] == "failed" and "missing.txt" in info["failure"]["message"]
    assert json.loads((Path(config.output_dir) / "run.json").read_text())["id"] == info["id"]


def test_a_log_line_cut_mid_write_is_skipped_and_dropped_on_resume(tmp_path) -> None:
    from bertgui.engine.folder import trim_metrics
    from bertgui.events import event_to_dict

    good = [StateChanged("training", 0), CheckpointSaved(2, "checkpoint-2"), StateChanged("training", 3)]
    lines = b"".join(json.dumps(event_to_dict(e)).encode() + b"\n" for e in good)
    cut = json.dumps({"event": "failed", "message": "磁盘已满", "step": 2}, ensure_ascii=False).encode()[:-9]
    (tmp_path / "metrics.jsonl").write_bytes(lines + cut)  # ends inside a character, no newline
    assert read_metrics(tmp_path) == good
    assert trim_metrics(tmp_path, 2) == 2  # the event after step 2 and the cut line
    assert read_metrics(tmp_path) == good[:2]
    assert (tmp_path / "metrics.jsonl").read_bytes().endswith(b"\n")


def test_export_on_a_full_disk_says_so_and_keeps_the_old_export(tmp_path, model_pair, monkeypatch) -> None:
    from safetensors import SafetensorError

    from bertgui.results.export import ExportError, export_model

    target = export_model(model_pair, tmp_path / "export", verify=False)
    before = _listing(target)
    model = model_pair[0]

    def full(folder, *a, **kw):
        Path(folder, "config.json").write_text("{}")
        raise SafetensorError("Error while serializing: I/O error: No space left on device (os error 28)")

    monkeypatch.setattr(model, "save_pretrained", full)
    with pytest.raises(ExportError, match="the disk is full"):
        export_model(model_pair, target, overwrite=True, verify=False)
    assert _listing(target) == before and sorted(p.name for p in tmp_path.iterdir()) == ["export"]


def test_a_checkpoint_resumes_only_into_its_own_run(tmp_path, small_corpus, tiny_model) -> None:
    other = tmp_path / "other"
    (other / "checkpoint-2").mkdir(parents=True)
    (other / "checkpoint-2" / "trainer_state.json").write_text(json.dumps({"global_step": 2, "max_steps": 4}))
    shutil.copy(tiny_model / "model.safetensors", other / "checkpoint-2" / "model.safetensors")
    torch.save({"state": {}, "param_groups": []}, other / "checkpoint-2" / "optimizer.pt")  # a whole checkpoint
    torch.save({"python": 0}, other / "checkpoint-2" / "rng_state.pth")
    config = _config(tmp_path, small_corpus, tiny_model)
    result, events = _run(config, tmp_path, resume=str(other))
    assert result.failed.kind == "config" and "is a checkpoint of the run in" in result.failed.message
    assert not _steps(events) and not (Path(config.output_dir) / "run.json").exists()


@pytest.mark.parametrize(("field", "value", "key"), [
    ("replay_share", 0.5, "corpus.replay_share"),
    ("general_corpus", "/data/news.txt", "corpus.general_corpus"),
    ("general_sample", False, "corpus.general_sample"),
])
def test_a_resume_keeps_the_general_text_settings(field, value, key) -> None:
    """The general text mixed in (and measured) is part of the run's data: a resume must not change it."""
    from bertgui.engine.folder import resume_conflicts

    saved = RunConfig(corpus=["/data/a.txt"], model="m")
    conflicts = resume_conflicts(saved, saved.replace(**{field: value}))
    assert len(conflicts) == 1 and str(conflicts[0]).startswith(key)
