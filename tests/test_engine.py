"""The engine end to end on the tiny model: learning, events, pause/stop/resume, failures as Failed events."""

from __future__ import annotations

import errno
import threading
from pathlib import Path

import pytest
import torch

from bertgui.config import RunConfig
from bertgui.engine import Engine, read_metrics, train
from bertgui.events import (
    CheckpointSaved,
    Control,
    EvalMetrics,
    Failed,
    Finished,
    RunStarted,
    StateChanged,
    StepMetrics,
)


@pytest.fixture(autouse=True)
def _threads() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory, sample_corpus) -> Path:
    """The first documents of the sample, repeated: a corpus the tiny model can visibly learn in a few steps."""
    docs = sample_corpus.read_text(encoding="utf-8").split("\n\n")[:6]
    path = tmp_path_factory.mktemp("small") / "small.txt"
    path.write_text("\n\n".join(docs * 4) + "\n", encoding="utf-8")
    return path


def _config(tmp_path: Path, corpus: Path, model: Path, **kw) -> RunConfig:
    base = dict(corpus=[str(corpus)], model=str(model), output_dir=str(tmp_path / "run"), max_steps=6,
                batch_size=8, max_seq_length=48, learning_rate=2e-3, warmup_ratio=0.0, checkpoint_every=3,
                log_every=1, eval_share=0.1, seed=3)
    base.update(kw)
    return RunConfig(**base).validate()


def _run(config: RunConfig, tmp_path: Path, **kw):
    events: list = []
    result = train(config, events.append, cache_dir=tmp_path / "cache", num_proc=1, **kw)
    return result, events


def _steps(events: list) -> list[StepMetrics]:
    return [e for e in events if isinstance(e, StepMetrics)]


def _per_step_tokens(steps: list[StepMetrics]) -> list[int]:
    """Tokens of each step (StepMetrics.real_tokens is cumulative over the run, across its sessions)."""
    out, last = [], 0
    for s in steps:
        out.append(s.real_tokens - last)
        last = s.real_tokens
    return out


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


@pytest.mark.parametrize("nsp", [True, False])
def test_training_lowers_the_loss_and_reports_everything(tmp_path, small_corpus, sample_corpus, tiny_model,
                                                        nsp) -> None:
    config = _config(tmp_path, small_corpus, tiny_model, nsp=nsp, max_steps=24, checkpoint_every=12,
                     learning_rate=3e-3, general_corpus="" if nsp else str(sample_corpus), general_sample=False)
    result, events = _run(config, tmp_path)
    assert result.failed is None, result.failed
    steps = _steps(events)
    assert [s.step for s in steps] == list(range(1, 25))
    assert _mean([s.mlm_loss for s in steps[-4:]]) < _mean([s.mlm_loss for s in steps[:4]]) - 0.3
    if nsp:
        assert all(s.nsp_loss is not None for s in steps)
        assert all(s.loss == pytest.approx(s.mlm_loss + s.nsp_loss, rel=1e-4) for s in steps)
    else:
        assert all(s.nsp_loss is None for s in steps)
    assert all(s.tokens_per_second > 0 and s.real_tokens > 0 and s.grad_norm is not None for s in steps)
    assert steps[-1].real_tokens <= 24 * 8 * 48
    started = next(e for e in events if isinstance(e, RunStarted))
    assert started.mode == ("mlm+nsp" if nsp else "mlm") and started.total_steps == 24
    general = [e for e in events if isinstance(e, EvalMetrics) and e.split == "general"]
    assert [e.when for e in general] == ([] if nsp else ["before", "after"])  # the forgetting check
    evals = [e for e in events if isinstance(e, EvalMetrics) and e.split == "eval"]
    assert [e.when for e in evals] == ["before", "after"]
    assert evals[1].mlm_loss < evals[0].mlm_loss
    assert (evals[0].nsp_accuracy is not None) == nsp
    assert [e.step for e in events if isinstance(e, CheckpointSaved)] == [12, 24]
    fin = events[-1]
    assert isinstance(fin, Finished) and not fin.stopped and fin.step == 24
    assert fin.summary["metrics"]["eval"]["before"]["mlm_loss"] == evals[0].mlm_loss
    out = Path(config.output_dir)
    assert (out / "final-model" / "model.safetensors").exists()
    assert (out / "bertgui.toml").exists() and list((out / "logs").rglob("events.out.tfevents*"))
    # metrics.jsonl holds the same events (not Progress) for charts of resumed runs
    assert [e.step for e in read_metrics(out) if isinstance(e, StepMetrics)] == list(range(1, 25))


def test_pause_stop_resume(tmp_path, small_corpus, tiny_model) -> None:
    # short_seq_prob 0.5: sequence lengths vary, so the tokens per step identify the batches (data order check)
    config = _config(tmp_path, small_corpus, tiny_model, max_steps=10, checkpoint_every=100, short_seq_prob=0.5)
    control = Control()
    events: list = []
    paused_at: dict[str, float] = {}

    def on_event(ev) -> None:
        events.append(ev)
        if isinstance(ev, StepMetrics) and ev.step == 2:
            control.pause()
        if isinstance(ev, StateChanged) and ev.state == "paused":
            paused_at["step"] = ev.step

    box: dict = {}
    worker = threading.Thread(target=lambda: box.setdefault(
        "r", train(config, on_event, control, cache_dir=tmp_path / "cache", num_proc=1)), daemon=True)
    worker.start()
    try:
        for _ in range(600):
            if "step" in paused_at:
                break
            worker.join(0.1)
        assert paused_at.get("step") == 2  # honoured right after the step that asked
        n = len(_steps(events))
        worker.join(1.0)
        assert len(_steps(events)) == n  # nothing trains while paused
    finally:
        control.stop()
    worker.join(120)
    result = box["r"]
    assert result.failed is None and result.stopped and result.step == 2
    # exportable after stop: the in-memory model exports and loads again, with the weights it had at the stop
    from transformers import AutoModelForMaskedLM

    from bertgui.results.export import export_model

    target = export_model(result, tmp_path / "stopped-export", config=config)
    again = AutoModelForMaskedLM.from_pretrained(str(target), trust_remote_code=False)
    name, param = next((n, p) for n, p in result.model.named_parameters() if n.endswith("query.weight"))
    assert torch.equal(dict(again.named_parameters())[name.removeprefix("module.")].detach().cpu(),
                       param.detach().cpu())
    assert isinstance(events[-1], Finished) and events[-1].stopped
    assert [e.step for e in events if isinstance(e, CheckpointSaved)] == [2]
    assert (Path(config.output_dir) / "checkpoint-2" / "trainer_state.json").exists()

    result2, events2 = _run(config, tmp_path, resume=True)
    assert result2.failed is None and result2.step == 10
    started = next(e for e in events2 if isinstance(e, RunStarted))
    assert started.resumed_from_step == 2
    assert [s.step for s in _steps(events2)] == list(range(3, 11))
    # the whole loss curve is on disk: both sessions
    assert [e.step for e in read_metrics(config.output_dir) if isinstance(e, StepMetrics)] == list(range(1, 11))
    # same data order: the real (non-padding) tokens of every step match an uninterrupted run's, step for step
    reference, ref_events = _run(config.replace(output_dir=str(tmp_path / "reference")), tmp_path)
    assert reference.failed is None
    # (real_tokens continues across sessions: one cumulative count for the whole run)
    assert _per_step_tokens(_steps(events) + _steps(events2)) == _per_step_tokens(_steps(ref_events))
    # the resumed run does not re-evaluate the base model: its "before" is the first session's
    assert result2.summary["metrics"]["eval"]["before"] == events[-1].summary["metrics"]["eval"]["before"]


def _engine_with_fault(config: RunConfig, tmp_path: Path, exc: BaseException) -> tuple[Engine, list]:
    events: list = []
    eng = Engine(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)

    def inject(step: int) -> None:
        if step == 2:
            raise exc

    eng.fault_injector = inject
    return eng, events


def test_out_of_memory_becomes_a_failed_event(tmp_path, small_corpus, tiny_model) -> None:
    config = _config(tmp_path, small_corpus, tiny_model, eval_share=0.0)
    eng, events = _engine_with_fault(config, tmp_path, torch.OutOfMemoryError("CUDA out of memory. Tried 2 GiB"))
    result = eng.run()
    assert isinstance(result.failed, Failed) and result.failed.kind == "oom"
    assert "batch size (now 8)" in result.failed.advice and "(now 48)" in result.failed.advice
    assert result.failed.step == 2 and "step 2" in result.failed.message
    assert isinstance(events[-1], Failed)
    assert result.model is not None


def test_disk_full_becomes_a_failed_event(tmp_path, small_corpus, tiny_model) -> None:
    config = _config(tmp_path, small_corpus, tiny_model, eval_share=0.0)
    eng, _ = _engine_with_fault(config, tmp_path, OSError(errno.ENOSPC, "No space left on device"))
    result = eng.run()
    assert result.failed.kind == "disk" and "space" in result.failed.advice


def test_nan_loss_is_caught_with_the_step(tmp_path, small_corpus, tiny_model, monkeypatch) -> None:
    config = _config(tmp_path, small_corpus, tiny_model, max_grad_norm=0.0, max_steps=30, eval_share=0.0,
                     checkpoint_every=1000)
    # the configuration caps the learning rate at 1 (which this tiny model survives); a real divergence needs more
    config.learning_rate = 1e6
    monkeypatch.setattr(RunConfig, "validate", lambda self: self)
    result, events = _run(config, tmp_path)
    assert result.failed is not None and result.failed.kind == "nan", result.failed
    assert f"step {result.failed.step}" in result.failed.message
    assert "learning rate" in result.failed.advice.lower() and result.failed.step < 30
    assert not any(isinstance(e, Finished) for e in events)


def test_missing_corpus_and_unwritable_output(tmp_path, tiny_model) -> None:
    config = _config(tmp_path, tmp_path / "gone.txt", tiny_model)
    result, _ = _run(config, tmp_path)
    assert result.failed.kind == "corpus" and "gone.txt" in result.failed.message
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    config = _config(tmp_path, tmp_path / "gone.txt", tiny_model, output_dir=str(blocker / "run"))
    result, _ = _run(config, tmp_path)
    assert result.failed.kind == "permission" and "not writable" in result.failed.message


def test_stop_while_preparing_ends_cleanly(tmp_path, small_corpus, tiny_model) -> None:
    control = Control()
    control.stop()
    config = _config(tmp_path, small_corpus, tiny_model)
    events: list = []
    result = train(config, events.append, control, cache_dir=tmp_path / "cache2", num_proc=1)
    assert result.failed is None and result.stopped and isinstance(events[-1], Finished)


def test_vocabulary_is_extended_before_the_corpus_is_tokenised(tmp_path, small_corpus, tiny_model) -> None:
    from transformers import AutoTokenizer

    word = "coroutines"
    base = AutoTokenizer.from_pretrained(tiny_model)
    assert len(base.tokenize(word)) > 1
    config = _config(tmp_path, small_corpus, tiny_model, max_steps=2, eval_share=0.0, vocab_add=[word])
    result, _ = _run(config, tmp_path)
    assert result.failed is None, result.failed
    assert result.tokenizer.tokenize(word) == [word]
    saved = AutoTokenizer.from_pretrained(Path(config.output_dir) / "final-model")
    assert saved.tokenize(word) == [word]
    assert result.model.get_input_embeddings().weight.shape[0] >= len(saved)
    assert any(word in n or "added" in n.lower() or "vocab" in n.lower() for n in result.summary["notes"])


def test_attention_dropout_is_zero_while_training_and_restored_for_export(tmp_path, small_corpus,
                                                                          tiny_model) -> None:
    import json

    base = json.loads((tiny_model / "config.json").read_text())["attention_probs_dropout_prob"]
    seen: list[float] = []
    config = _config(tmp_path, small_corpus, tiny_model, max_steps=2, attention_dropout=0.0, eval_share=0.0)
    events: list = []
    engine = Engine(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)

    def watch(ev) -> None:
        events.append(ev)
        if isinstance(ev, StepMetrics):
            seen.append(engine.model.config.attention_probs_dropout_prob)

    engine.on_event = watch
    result = engine.run()
    assert result.failed is None, result.failed
    assert base > 0 and seen and set(seen) == {0.0}
    saved = json.loads((Path(result.final_model_dir) / "config.json").read_text())
    assert saved["attention_probs_dropout_prob"] == base
