"""Results that do not flatter: a gain that still loses to "always the most frequent word" is no green gain."""

from __future__ import annotations

from bertgui.events import EvalMetrics
from bertgui.gui.work.session import RunOutcome


def ev(when: str, acc: float) -> EvalMetrics:
    return EvalMetrics(step=0 if when == "before" else 55, when=when, split="eval", mlm_loss=7.4,
                       perplexity=1617.0 if when == "after" else 54878.0, masked_accuracy=acc,
                       frequent_token_accuracy=0.045, frequent_token="the")


def test_a_gain_below_its_baseline_is_not_coloured_as_a_gain(window) -> None:
    """The session seen: masked-word accuracy 0.0 % → 4.3 % against a 4.5 % baseline, shown as a green "+4.3 pt"."""
    window.session.set_outcome(RunOutcome(output_dir="x", evals=[ev("before", 0.0), ev("after", 0.043)]))
    t = window.evaluate_page.table
    row = next(r for r in range(t.rowCount()) if t.cell_text(r, 0) == "Masked-word accuracy on held-out text")
    change = t.item(row, 3)
    assert change.text() == "+4.3 pt"
    assert change.foreground().color().name() != "#188038"
    assert "no better than the baseline" in change.toolTip()
    assert t.item(row, 4).foreground().color().name() == "#c5221f"  # the baseline it did not beat, in red


def test_a_gain_above_its_baseline_is_green(window) -> None:
    window.session.set_outcome(RunOutcome(output_dir="x", evals=[ev("before", 0.05), ev("after", 0.16)]))
    t = window.evaluate_page.table
    row = next(r for r in range(t.rowCount()) if t.cell_text(r, 0) == "Masked-word accuracy on held-out text")
    assert t.item(row, 3).foreground().color().name() == "#188038"


def test_an_empty_what_the_model_learned_says_why(window, qtbot) -> None:
    summary = {"metrics": {"eval": {"before": {"perplexity": 54878.0}, "after": {"perplexity": 1617.0}}}}
    window.session.set_outcome(RunOutcome(output_dir="x", evals=[ev("before", 0.0), ev("after", 0.043)],
                                          summary=summary))
    page = window.evaluate_page
    qtbot.waitUntil(lambda: page.learned.isVisibleTo(page), timeout=10000)
    assert "guessed clearly better yet" in page.learned.text() and "train longer" in page.learned.text()
