"""The Train page's basic view: it opens with three questions and Start, the rest one click away; the planned
estimate arrives from a worker before Start; the chosen time budget travels in the RunConfig to the engine.

The planner is a fake here (the core's probe steps are the core's tests); it records the thread it ran on, so a
plan computed on the UI thread fails the test. Before the core's ``time_budget`` key is merged, the run config is
a subclass carrying that one field, so the same tests pin the window's side either way.
"""

from __future__ import annotations

import dataclasses
import threading

import pytest

from bertgui.config import RunConfig
from bertgui.events import Finished, RunStarted
from bertgui.gui.widgets import budget
from bertgui.gui.widgets.budget import PlanSummary

if budget.supports_budget(RunConfig):
    BudgetConfig = RunConfig
else:
    @dataclasses.dataclass
    class BudgetConfig(RunConfig):  # what the core adds: the run's wall-time limit
        time_budget: float = dataclasses.field(default=0.0, metadata={
            "section": "training", "help": "Wall-time limit in seconds (0: none).", "key": None, "min": 0.0})


def fake_planner(calls: list):
    def plan(config, state):
        calls.append((threading.get_ident(), budget.budget_seconds(config), config.nsp))
        seconds = budget.budget_seconds(config) or 0
        return PlanSummary(seconds=seconds * 0.95, passes=seconds / 375, steps=int(seconds))
    return plan


def capturing_engine(seen: list):
    def engine(config, emit, control, resume=None):
        seen.append(config)
        emit(RunStarted(total_steps=1, epochs=1.0, train_sequences=2, eval_sequences=0, train_documents=1,
                        eval_documents=0, mode="mlm+nsp", device="cpu", device_name="CPU", precision="fp32",
                        num_parameters=10, batch_size=1, gradient_accumulation=1, max_seq_length=32))
        emit(Finished(step=1, stopped=False, elapsed_s=0.01, output_dir=config.output_dir))
    return engine


@pytest.fixture
def page(window, tiny_model, sample_corpus):
    from bertgui.model.loading import resolve_model

    calls: list = []
    p = window.train_page
    p.planner = fake_planner(calls)
    p.calls = calls
    window.session.update_config(BudgetConfig(output_dir=window.session.config.output_dir))
    window.session.set_corpus([str(sample_corpus)])
    window.session.set_model(resolve_model(str(tiny_model)))
    window.show_step("train")
    p.basic.budget.setCurrentIndex(p.basic.budget.findData(1200))
    return p


def test_the_page_opens_in_the_basic_view_and_the_rest_is_one_click_away(window, qtbot):
    p = window.train_page
    window.show()
    window.show_step("train")
    assert p.basic.isVisible() and p.device.isVisible() and p.basic.budget.isVisible() and p.basic.nsp.isVisible()
    assert p.start_button.isVisible()
    assert not p.advanced.isVisible() and not p.form.isVisible()
    assert [p.basic.budget.itemData(i) for i in range(p.basic.budget.count())] == [
        300, 1200, 3600, 8 * 3600, budget.CUSTOM, budget.NO_LIMIT]
    assert budget.budget_seconds(window.first_start_config) == 1200  # a first start: 20 minutes
    assert window.first_start_budget_shown == 1200  # ... and the basic view says so (it said "No time limit")
    assert p.basic.budget.currentData() == budget.NO_LIMIT  # the test session's override shows as "no limit"
    before = p.config()
    qtbot.mouseClick(p.view_button, qtbot_button())
    assert p.advanced.isVisible() and p.form.editors["learning_rate"].isVisible()
    assert p.config() == before  # switching views changes no setting
    qtbot.mouseClick(p.view_button, qtbot_button())
    assert not p.advanced.isVisible()


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_the_basic_tooltips_speak_plainly(window):
    b = window.train_page.basic
    jargon = ("epoch", "learning rate", "optimizer", "batch", "gradient", "token", "MLM", "NSP")
    for w in (b.budget, b.nsp, b.device, b.custom):
        tip = w.toolTip()
        assert tip and not any(j.lower() in tip.lower() for j in jargon), tip


def test_the_advanced_choice_is_remembered(window, app):
    from bertgui.gui.window import MainWindow

    window.train_page.set_advanced(True)
    other = MainWindow()
    try:
        assert not other.train_page.advanced.isHidden()
    finally:
        for pg in other.pages.values():
            pg.shutdown()
        other.warmup.wait()
        other.deleteLater()


def test_the_plan_is_shown_before_start_and_computed_off_the_ui_thread(page, qtbot):
    qtbot.waitUntil(lambda: "on this machine" in page.basic.estimate.text(), timeout=10000)
    assert "about 19 min on this machine, 3.2 passes over your text" in page.basic.estimate.text()
    assert page.calls and all(thread != threading.get_ident() for thread, _, _ in page.calls)
    assert page.calls[-1][1] == 1200  # 20 minutes: the default answer
    page.basic.budget.setCurrentIndex(page.basic.budget.findData(3600))
    qtbot.waitUntil(lambda: "about 57 min" in page.basic.estimate.text(), timeout=10000)
    assert "9.6 passes" in page.basic.estimate.text()
    assert page.plan is not None and page.plan.seconds == pytest.approx(3420)


def test_without_text_or_model_the_estimate_says_what_is_missing(window, qtbot):
    p = window.train_page
    calls: list = []
    p.planner = fake_planner(calls)
    p.refresh_plan()
    assert "Choose your text" in p.basic.estimate.text() and not calls


def test_a_failing_planner_leaves_the_page_usable(page, qtbot):
    from bertgui.errors import BertguiError

    def broken(config, state):
        raise BertguiError("The probe ran out of memory.", "Choose the CPU.")

    page.planner = broken
    page._planned_key = None
    page.refresh_plan()
    qtbot.waitUntil(lambda: "No estimate" in page.basic.estimate.text(), timeout=10000)
    assert "out of memory" in page.basic.estimate.text()
    assert page.start_button.isEnabled()


def test_the_budget_and_nsp_reach_the_run_config(page, qtbot):
    seen: list = []
    page.engine = capturing_engine(seen)
    page.basic.budget.setCurrentIndex(page.basic.budget.findData(budget.CUSTOM))
    assert page.basic.custom.isVisibleTo(page)
    page.basic.custom.setValue(45)
    page.basic.nsp.setChecked(False)
    assert budget.budget_seconds(page.session.config) == 45 * 60 and not page.session.config.nsp
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        assert page.start()
    assert budget.budget_seconds(seen[0]) == 45 * 60
    assert seen[0].nsp is False


def test_no_time_limit_leaves_the_advanced_settings_in_charge(page, qtbot):
    qtbot.waitUntil(lambda: bool(page.calls), timeout=10000)
    page.basic.budget.setCurrentIndex(page.basic.budget.findData(budget.NO_LIMIT))
    assert budget.budget_seconds(page.session.config) is None
    qtbot.waitUntil(lambda: "No time limit" in page.basic.estimate.text(), timeout=10000)
    assert all(seconds for _, seconds, _ in page.calls)  # never asked to plan a run without a budget


def test_a_config_opened_with_a_budget_shows_it(page):
    page.session.update_config(budget.with_budget(page.session.config, 300))
    assert page.basic.budget.currentData() == 300
    page.session.update_config(budget.with_budget(page.session.config, 5400))
    assert page.basic.budget.currentData() == budget.CUSTOM and page.basic.custom.value() == 90


def test_the_basic_view_is_locked_while_training(page, qtbot):
    seen: list = []
    page.engine = capturing_engine(seen)
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        page.start()
        assert not page.basic.isEnabled()
    assert page.basic.isEnabled()


# ------------------------------------------------------------------ the adapter functions (no window)
@pytest.mark.parametrize(("value", "seconds"), [("10m", 600), ("1h", 3600), ("90s", 90), ("1.5h", 5400),
                                                (600, 600), (0, None), ("", None), ("soon", None)])
def test_budgets_are_read_in_every_spelling(value, seconds):
    assert budget.parse_budget(value) == seconds


def test_a_budget_is_written_in_the_fields_own_type():
    @dataclasses.dataclass
    class TextBudget(RunConfig):
        time_budget: str = dataclasses.field(default="", metadata={"section": "training", "help": "h", "key": None})

    assert budget.with_budget(TextBudget(), 1200).time_budget == "20m"
    assert budget.with_budget(BudgetConfig(), 1200).time_budget == ("20m" if BudgetConfig is RunConfig else 1200)
    assert budget.budget_seconds(budget.with_budget(BudgetConfig(), 0)) is None


def test_plans_of_any_shape_reduce_to_a_summary():
    s = budget.summarize_plan({"estimated_s": 600.0, "epochs": 2.5, "total_steps": 80})
    assert (s.seconds, s.passes, s.steps) == (600.0, 2.5, 80)
    assert budget.summarize_plan(type("P", (), {"minutes": 3, "passes": 1.0})()).seconds == 180
    assert budget.summarize_plan({"epochs": 2}) is None


def test_durations_read_as_a_person_says_them(app):
    assert budget.describe_duration(59) == "about 1 min"
    assert budget.describe_duration(19 * 60) == "about 19 min"
    assert budget.describe_duration(8 * 3600) == "about 8 h"
    assert budget.describe_duration(100 * 60) == "about 1 h 40 min"


def test_start_cancels_a_plan_still_measuring(page, qtbot):
    import time

    outcome: list = []

    def slow(config, state):
        end = time.monotonic() + 10
        while time.monotonic() < end and not state.is_interruption_requested():
            time.sleep(0.01)
        outcome.append(state.is_interruption_requested())
        return PlanSummary(seconds=60, passes=1)

    page.planner = slow
    page._planned_key = None
    page.refresh_plan()
    qtbot.waitUntil(lambda: page.plan_tasks.busy(), timeout=5000)
    seen: list = []
    page.engine = capturing_engine(seen)
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        assert page.start()
    qtbot.waitUntil(lambda: bool(outcome), timeout=5000)
    assert outcome == [True]  # the probe stopped instead of competing with the run for the CPU
