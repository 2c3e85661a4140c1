"""The run's schedule: a learning rate that never jumps when the time-budget plan grows or shrinks mid-run.

Seen before: 12e-6 → 38e-6 in one step when the plan grew from 13 to 24 steps; jumps at steps 31 and 38 when the
plan went 61 → 44 → 64 → 55, and the loss spiked after one.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from bertgui.engine.schedule import Schedule, lr_scheduler


def rates(schedule: Schedule, revisions: dict[int, int], end: int) -> list[float]:
    """The factor after each step, revising the length at the given steps (as the budget callback does)."""
    out = []
    for step in range(1, end + 1):
        if step in revisions:
            schedule.revise(revisions[step], at_step=step)
        out.append(schedule.factor(step))
    return out


@pytest.mark.parametrize("shape", ["linear", "cosine"])
def test_a_plan_that_rises_and_falls_never_steps_the_rate_upward_after_warm_up(shape) -> None:
    schedule = Schedule.plan(61, warmup_ratio=0.1, shape=shape)  # 7 warm-up steps
    curve = rates(schedule, {20: 44, 31: 64, 38: 55}, 55)
    after = curve[schedule.warmup_steps - 1:]
    assert max(after) == pytest.approx(1.0)
    assert all(b <= a + 1e-12 for a, b in zip(after, after[1:], strict=False)), curve
    assert curve[-1] == pytest.approx(0.0)  # ends at the last plan's end
    steps_down = [a - b for a, b in zip(after, after[1:], strict=False)]
    assert max(steps_down) < 0.1  # no cliff either


def test_the_plan_growing_inside_the_warm_up_keeps_the_warm_up() -> None:
    schedule = Schedule.plan(13, warmup_ratio=0.2)  # 3 warm-up steps
    curve = rates(schedule, {2: 24}, 24)
    assert curve[:3] == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert all(b <= a + 1e-12 for a, b in zip(curve[2:], curve[3:], strict=False))


def test_without_revisions_it_is_transformers_linear_schedule() -> None:
    import torch
    from transformers import get_scheduler

    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    ref = get_scheduler("linear", optimizer=opt, num_warmup_steps=6, num_training_steps=100)
    ours = Schedule.plan(100, warmup_ratio=0.06)
    expected = [ref.lr_lambdas[0](i) for i in range(101)]
    assert [ours.factor(i) for i in range(101)] == pytest.approx(expected)


def test_the_scheduler_reads_a_revision_at_the_next_step() -> None:
    import torch

    opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    schedule = Schedule.plan(100, warmup_ratio=0.1)
    sched = lr_scheduler(opt, schedule)
    for _ in range(40):
        opt.step()
        sched.step()
    before = sched.get_last_lr()[0]
    schedule.revise(50, at_step=40)
    opt.step()
    sched.step()
    assert sched.get_last_lr()[0] == pytest.approx(before * 9 / 10)  # 10 steps left: one tenth of the way down
    assert "schedule" not in str(sched.state_dict())  # the checkpoint's scheduler state holds no schedule


def test_train_further_counts_its_own_steps_from_the_offset() -> None:
    schedule = Schedule.plan(30, warmup_ratio=0.1, offset=20)  # 10 new steps after step 20
    assert schedule.length == 10 and schedule.warmup_steps == 1
    assert schedule.factor(0) == 0.0 and schedule.factor(1) == 1.0 and schedule.factor(10) == 0.0


def test_a_schedule_survives_its_checkpoint() -> None:
    schedule = Schedule.plan(61, warmup_ratio=0.1, checkpoint_every=10)
    schedule.revise(44, at_step=20)
    again = Schedule.from_dict(schedule.to_dict())
    assert [again.factor(i) for i in range(45)] == [schedule.factor(i) for i in range(45)]


def test_the_trainer_stops_where_the_schedule_ends() -> None:
    from bertgui.engine.schedule import schedule_callback

    schedule = Schedule.plan(10, warmup_ratio=0.0, checkpoint_every=5)
    cb = schedule_callback(schedule)
    args = SimpleNamespace(save_steps=500)
    state = SimpleNamespace(global_step=0, max_steps=1000, save_steps=500)
    control = SimpleNamespace(should_training_stop=False, should_save=False)
    cb.on_train_begin(args, state, control)
    assert state.max_steps == 10 and state.save_steps == args.save_steps == 5
    schedule.revise(6, at_step=4)
    for step in (5, 6):
        state.global_step = step
        cb.on_step_end(args, state, control)
    assert state.max_steps == 6 and control.should_training_stop and control.should_save


def test_budget_callback_raises_the_steps_when_the_run_is_faster_than_planned(monkeypatch) -> None:
    """A plan of 100 steps, 0.1 s a step, 20 s left: more steps fit; they are planned up to what the data holds,
    the rate goes on without a jump, and the engine is told."""
    import bertgui.engine.budget as budget_module
    from bertgui.engine.budget import BudgetCallback

    told: list[int] = []
    cb = BudgetCallback(Schedule.plan(100, warmup_ratio=0.1), 0.0, 0.0, on_raise=told.append)
    state = SimpleNamespace(global_step=0, max_steps=100)
    control = SimpleNamespace(should_training_stop=False)
    args = SimpleNamespace(gradient_accumulation_steps=1)
    cb.on_train_begin(args, state, control, train_dataloader=[0] * 131)  # the data holds 131 steps
    clock = [cb.t0]
    cb.deadline = cb.t0 + 20.0
    monkeypatch.setattr(budget_module.time, "time", lambda: clock[0])
    curve = []
    for step in range(1, 200):
        if control.should_training_stop:
            break
        clock[0] += 0.1
        state.global_step = step
        cb.on_step_end(args, state, control)
        curve.append(cb.schedule.factor(step))
        if step == 24:
            assert cb.schedule.steps == 100  # not before a quarter of the plan
    assert cb.schedule.steps == state.max_steps == 130 and told == [130]  # capped by the data (one kept back)
    assert cb.raised and cb.raised[0][0] == 25
    after = curve[cb.schedule.warmup_steps - 1:]
    assert all(b <= a + 1e-12 for a, b in zip(after, after[1:], strict=False))
    assert curve[-1] == pytest.approx(0.0)
