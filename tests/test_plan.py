"""Time budget → plan (issue 14): durations, the probe and its cache, the plan's arithmetic, the run honouring it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import torch

from bertgui.config import RunConfig, parse_duration
from bertgui.engine.plan import Throughput, plan_budget, probe_throughput, read_cached
from bertgui.errors import ConfigError


@pytest.fixture(autouse=True)
def _threads() -> None:
    torch.set_num_threads(1)


@pytest.mark.parametrize(("value", "seconds"), [("10m", 600), ("1h", 3600), ("1h30m", 5400), ("90 s", 90),
                                                ("600", 600), (45, 45), ("0", 0), ("", 0), ("0.5h", 1800)])
def test_durations(value, seconds) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("value", ["ten minutes", "10x", "-5", "m", "10m fast"])
def test_bad_durations_name_the_key(value) -> None:
    with pytest.raises(ConfigError, match="training.time_budget"):
        RunConfig(time_budget=value).validate()


def test_toml_number_is_seconds() -> None:
    assert RunConfig.from_toml_dict({"training": {"time_budget": 600}}).time_budget == "600"


def _speed(seq_per_s: float) -> Throughput:
    return Throughput(sequences_per_s=seq_per_s, tokens_per_s=seq_per_s * 100, step_s=8 / seq_per_s, batch_size=8,
                      max_seq_length=128, device="cpu", threads=1)


def test_the_end_of_the_run_reserves_the_after_evaluation() -> None:
    """The final reserve grows by exactly one evaluation when there is one to run, the whole reserve by two
    ("before" and "after"): a margin larger than an evaluation must not hide a reserve that forgot it."""
    config = RunConfig(batch_size=8)
    without = plan_budget(600, _speed(10.0), 500, config, eval_sequences=0, num_parameters=20_000_000)
    with_eval = plan_budget(600, _speed(10.0), 500, config, eval_sequences=300, num_parameters=20_000_000)
    assert with_eval.eval_s > 0 and without.eval_s == 0
    assert with_eval.final_s - without.final_s == pytest.approx(with_eval.eval_s)
    assert with_eval.reserve_s - without.reserve_s == pytest.approx(2 * with_eval.eval_s, abs=8 / 10.0)


def test_plan_fits_the_budget_and_counts_the_reserve() -> None:
    config = RunConfig(batch_size=8, warmup_ratio=0.1)
    plan = plan_budget(600, _speed(10.0), 500, config, eval_sequences=300, num_parameters=20_000_000)
    # training + the "after" evaluation + saving + checkpoints stay inside the budget
    eval_s = 300 / (10.0 * 3)
    assert plan.train_s + 2 * eval_s <= 600  # the "before" and "after" evaluations fit beside the steps
    assert plan.final_s >= eval_s and plan.reserve_s >= plan.final_s + eval_s
    assert plan.train_s + plan.reserve_s == pytest.approx(600, rel=0.01)
    assert plan.steps == int((600 - plan.reserve_s) * 10 // 8)
    assert plan.passes == pytest.approx(plan.steps * 8 / 500)
    assert plan.warmup_steps == round(0.1 * plan.steps)
    assert 1 <= plan.checkpoint_every <= plan.steps
    # twice the speed, about twice the steps; twice the budget, about twice the steps
    faster = plan_budget(600, _speed(20.0), 500, config, eval_sequences=300, num_parameters=20_000_000)
    longer = plan_budget(1200, _speed(10.0), 500, config, eval_sequences=300, num_parameters=20_000_000)
    assert faster.steps == pytest.approx(2 * plan.steps, rel=0.1)
    assert longer.steps > 1.9 * plan.steps
    line = str(plan.text())
    assert "about 10 min" in line and f"{plan.passes:.1f} passes" in line
    assert "about 90 s" in str(plan_budget(90, _speed(10.0), 500, config).text())


def test_probe_measures_a_copy_and_caches(tiny_model, tmp_path) -> None:
    from bertgui.model.loading import load_model, resolve_model

    loaded = load_model(resolve_model(str(tiny_model)), nsp=True)
    before = {k: v.clone() for k, v in loaded.model.state_dict().items()}
    config = RunConfig(model=str(tiny_model), batch_size=4, max_seq_length=32)
    speed = probe_throughput(config, loaded.model, loaded.tokenizer, "cpu", cache_dir=tmp_path, steps=2)
    assert speed.source == "measured" and speed.step_s > 0 and speed.sequences_per_s == pytest.approx(4 / speed.step_s)
    assert all(torch.equal(before[k], v) for k, v in loaded.model.state_dict().items())  # the model is untouched
    again = probe_throughput(config, loaded.model, loaded.tokenizer, "cpu", cache_dir=tmp_path)
    assert again.source == "cache" and again.step_s == speed.step_s
    fresh = probe_throughput(config, loaded.model, loaded.tokenizer, "cpu", cache_dir=tmp_path, steps=1,
                             refresh=True)
    assert fresh.source == "measured" and read_cached_step(tmp_path) == fresh.step_s  # and stored
    longer = probe_throughput(config.replace(max_seq_length=64), loaded.model, loaded.tokenizer, "cpu",
                              cache_dir=tmp_path, steps=1)
    assert longer.source == "measured"  # a different length is a different entry
    assert len(json.loads((tmp_path / "throughput.json").read_text())) == 2
    assert read_cached("no such key", tmp_path) is None


def read_cached_step(folder) -> float:
    (entry,) = json.loads((folder / "throughput.json").read_text()).values()
    return entry["step_s"]


def budget_callback(steps: int, deadline: float, reserve_s: float, **kw):
    from bertgui.engine.budget import BudgetCallback
    from bertgui.engine.schedule import Schedule

    return BudgetCallback(Schedule.plan(steps, warmup_ratio=0.1), deadline, reserve_s, **kw)


def test_budget_callback_lowers_the_steps_to_what_fits() -> None:
    from types import SimpleNamespace

    cb = budget_callback(1000, deadline=0.0, reserve_s=0.2)
    cb.deadline = time.time() + 1.0  # after building it: the first import of transformers takes seconds
    state = SimpleNamespace(global_step=0, max_steps=1000)
    control = SimpleNamespace(should_training_stop=False)
    cb.on_train_begin(None, state, control)
    stopped_at = None
    for step in range(1, 1001):
        time.sleep(0.02)
        state.global_step = step
        cb.on_step_end(None, state, control)
        if control.should_training_stop:
            stopped_at = step
            break
    assert stopped_at is not None and 10 < stopped_at < 1000
    assert cb.schedule.steps < 1000 and state.max_steps == cb.schedule.steps  # the bar and the ETA follow it
    assert time.time() <= cb.deadline + 0.1


def test_engine_honours_the_budget(tiny_model, sample_corpus, tmp_path) -> None:
    """A 20 s budget on the tiny model: a plan before training, the run (with evaluation and saving) within 10 %."""
    from bertgui.engine import train
    from bertgui.events import Progress, RunStarted

    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp_path / "run"),
                       batch_size=8, max_seq_length=48, eval_share=0.05, time_budget="20s", checkpoint_every=10**6,
                       seed=1)
    events: list = []
    t0 = time.time()
    result = train(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)
    wall = time.time() - t0
    assert result.ok, result.failed
    plan_lines = [e for e in events if isinstance(e, Progress) and e.stage == "plan" and e.total == 1]
    assert plan_lines and "about 20 s on this machine" in str(plan_lines[0].message)
    started = next(e for e in events if isinstance(e, RunStarted))
    saved = json.loads((Path(config.output_dir) / "plan.json").read_text())
    assert started.total_steps == saved["steps"] >= 1
    on_disk = RunConfig.load(Path(config.output_dir) / "bertgui.toml")
    raised = [e for e in events if isinstance(e, Progress) and "Faster than planned" in str(e.message)]
    assert on_disk.time_budget == "0"  # a resume continues the plan: the planned steps, or the raised ones
    assert on_disk.max_steps == saved["steps"] or f"{on_disk.max_steps:,} steps" in str(raised[-1].message)
    steps = [e for e in events if type(e).__name__ == "StepMetrics"]
    longest = max(b.elapsed_s - a.elapsed_s for a, b in zip([steps[0], *steps], steps, strict=False))
    # within 10 %, plus the one step the run cannot cut short (seconds on this shared 2-core machine)
    assert wall <= 20 * 1.1 + longest
    # the plan used the budget, not a small part of it (loose: a probe taken at a busy moment plans few steps)
    assert wall >= 20 * 0.25


def test_a_slow_machine_probes_with_the_warm_up_step_alone(tiny_model, tmp_path) -> None:
    from bertgui.model.loading import load_model, resolve_model

    loaded = load_model(resolve_model(str(tiny_model)), nsp=True)
    config = RunConfig(model=str(tiny_model), batch_size=4, max_seq_length=32)
    t0 = time.perf_counter()
    probe_throughput(config, loaded.model, loaded.tokenizer, "cpu", cache_dir=tmp_path, steps=50,
                     use_cache=False, max_seconds=0.0)
    quick = time.perf_counter() - t0
    t0 = time.perf_counter()
    probe_throughput(config, loaded.model, loaded.tokenizer, "cpu", cache_dir=tmp_path, steps=50, use_cache=False)
    full = time.perf_counter() - t0
    assert quick * 5 < full  # 2 steps (copy + warm-up) against 51


def test_budget_callback_uses_the_measured_evaluation() -> None:
    """The time from the plan to the first step (the "before" evaluation) replaces the evaluation estimate."""
    from types import SimpleNamespace

    now = time.time()
    cb = budget_callback(10, now + 100, reserve_s=30.0, eval_estimate_s=25.0, planned_at=now - 2.0)
    cb.on_train_begin(None, SimpleNamespace(global_step=0, max_steps=10), SimpleNamespace())
    assert cb.reserve_s == pytest.approx(5.0 + 2.0, abs=0.5)
    plain = budget_callback(10, now + 100, reserve_s=30.0)
    plain.on_train_begin(None, SimpleNamespace(global_step=0, max_steps=10), SimpleNamespace())
    assert plain.reserve_s == 30.0
    # timed by the engine: building the held-out sets (here 40 s of the 42 s since the plan) is not repeated
    timed = budget_callback(10, now + 100, reserve_s=30.0, eval_estimate_s=25.0, planned_at=now - 42.0,
                            measured_eval_s=2.0)
    timed.on_train_begin(None, SimpleNamespace(global_step=0, max_steps=10), SimpleNamespace())
    assert timed.reserve_s == pytest.approx(5.0 + 2.0)


def test_plan_run_estimates_before_start(tiny_model, sample_corpus, tmp_path, monkeypatch) -> None:
    """The basic view's seam: a budget and a corpus → seconds, passes and steps, in seconds on the tiny model."""
    from bertgui.engine.plan import plan_run

    monkeypatch.setenv("BERTGUI_CACHE", str(tmp_path))
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), batch_size=8, max_seq_length=48,
                       time_budget="5m", device="cpu")
    out = plan_run(config)
    assert out["seconds"] == 300 and out["steps"] > 1 and out["passes"] > 0
    assert "about 5 min" in out["note"] and (tmp_path / "throughput.json").exists()
    assert plan_run(config.replace(time_budget="0")) == {}


def test_the_head_phase_comes_out_of_the_budget() -> None:
    """Fresh heads fitted first take their seconds from the same budget: fewer training steps, same end."""
    from bertgui.engine.plan import Throughput, plan_budget

    speed = Throughput(sequences_per_s=20.0, tokens_per_s=2000.0, step_s=1.6, batch_size=32, max_seq_length=128,
                       device="cpu", threads=2)
    config = RunConfig(batch_size=32, max_seq_length=128)
    full = plan_budget(600, speed, 200, config, num_parameters=22_000_000)
    heads = plan_budget(600, speed, 200, config, num_parameters=22_000_000, head_s=90)
    assert heads.train_s == pytest.approx(full.train_s - 90, abs=2.0) and heads.head_s == 90
    assert heads.steps < full.steps
    assert full.train_s + full.final_s + full.eval_s <= 600 and full.train_s > 0.88 * 600


def test_budget_callback_follows_the_later_steps_not_a_cheap_start(monkeypatch) -> None:
    """Fast first steps (a head warm-up) must not make the callback believe the rest will be as fast."""
    from types import SimpleNamespace

    cb = budget_callback(10**6, deadline=0.0, reserve_s=0.0)
    state = SimpleNamespace(global_step=0, max_steps=10**6)
    control = SimpleNamespace(should_training_stop=False)
    cb.on_train_begin(None, state, control)
    t = cb.t0
    for step in range(1, 21):  # 10 steps of 0.1 s, then 10 of 1 s; the deadline 20 s after the last
        t += 0.1 if step <= 10 else 1.0
        cb.times.append(t)
    cb.times.pop()
    cb.deadline = t + 20.0
    state.global_step = 20
    import bertgui.engine.budget as budget_module

    monkeypatch.setattr(budget_module.time, "time", lambda: t)
    cb.on_step_end(None, state, control)
    assert cb.schedule.steps == state.max_steps == 20 + 20  # 1 s a step from now on: 20 more steps, not 20 / 0.55 = 36


def test_openmp_threads_wait_passively_unless_the_user_chose(tmp_path) -> None:
    """A shared desktop: spinning OpenMP threads lost 62 % of the speed beside one busy process (passive: 31 %)."""
    import os
    import subprocess
    import sys

    code = "import os, bertgui, torch; print(os.environ['OMP_WAIT_POLICY'])"
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "PASSIVE"
    out = subprocess.run([sys.executable, "-c", code], env={**env, "OMP_WAIT_POLICY": "ACTIVE"},
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ACTIVE"
