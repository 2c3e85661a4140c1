"""The engine's shape as its callers rely on it: their config untouched, a stop before training a clean stop."""

from __future__ import annotations

import dataclasses

import pytest

from bertgui.config import RunConfig
from bertgui.engine import train
from bertgui.events import Control, Failed, Finished, Progress, StateChanged


def _config(tmp_path, corpus, model, name: str, **kw) -> RunConfig:
    base = dict(corpus=[str(corpus)], model=str(model), output_dir=str(tmp_path / name), max_steps=2,
                batch_size=4, max_seq_length=32, warmup_ratio=0.0, checkpoint_every=100, eval_share=0.05, seed=5)
    base.update(kw)
    return RunConfig(**base).validate()


def test_the_callers_config_is_unchanged_after_a_time_budget_run(tiny_model, sample_corpus, tmp_path) -> None:
    """The window keeps the object it hands the engine (its session's config); the plan must not write into it."""
    config = _config(tmp_path, sample_corpus, tiny_model, "budget", max_steps=0, time_budget="6s", eval_every=1)
    before = dataclasses.asdict(config)
    result = train(config, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.ok, result.failed
    assert result.summary["plan"]["steps"] >= 1
    assert dataclasses.asdict(config) == before


@pytest.mark.parametrize("when", ["loading the model", "the before evaluation"])
def test_stop_before_training_with_a_warm_cache_ends_as_stopped(tiny_model, sample_corpus, tmp_path, when) -> None:
    """With the corpus cached, Stop during loading or the "before" evaluation is a clean stop, not a failure."""
    cache = tmp_path / "cache"
    warm = train(_config(tmp_path, sample_corpus, tiny_model, "warm", max_steps=1), cache_dir=cache, num_proc=1)
    assert warm.ok, warm.failed
    control = Control()
    events: list = []

    def on_event(ev) -> None:
        events.append(ev)
        loading = isinstance(ev, Progress) and ev.stage == "model"
        evaluating = isinstance(ev, StateChanged) and ev.state == "evaluating"
        if (loading if when == "loading the model" else evaluating):
            control.stop()

    result = train(_config(tmp_path, sample_corpus, tiny_model, "stopped"), on_event, control, cache_dir=cache,
                   num_proc=1)
    assert result.failed is None, result.failed
    assert result.stopped
    assert not [e for e in events if isinstance(e, Failed)]
    assert isinstance(events[-1], Finished) and events[-1].stopped and events[-1].step == 0


def test_every_run_measures_the_embedding_check_before_and_after(tiny_model, sample_corpus, tmp_path) -> None:
    result = train(_config(tmp_path, sample_corpus, tiny_model, "embedding", eval_share=0.2),
                   cache_dir=tmp_path / "cache", num_proc=1)
    assert result.ok, result.failed
    held = result.summary["metrics"]["eval"]
    for when in ("before", "after"):
        assert held[when]["retrieval_mrr"] is not None and 0 < held[when]["retrieval_mrr"] <= 1
        assert held[when]["retrieval_queries"] > 0
