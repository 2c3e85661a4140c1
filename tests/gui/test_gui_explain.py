"""Results a person can read: every figure on the Evaluate page has its one-line meaning, accuracies stand beside
their baselines when the run measured them, warnings with advice show on a banner, and the "what the model
learned" list shows base guess → tuned guess. The insights payload is a fake here, in the shapes the core may give
(a dict in the run's summary, or objects from a provider), so the window's side is pinned either way."""

from __future__ import annotations

import dataclasses

from bertgui.events import EvalMetrics
from bertgui.gui.widgets import explain
from bertgui.gui.work.session import RunOutcome


@dataclasses.dataclass
class EvalWithBaselines(EvalMetrics):  # what the core's EvalMetrics may carry
    nsp_majority_share: float | None = None
    masked_baseline: float | None = None


def ev(when, split, ppl, acc, nsp=None, nsp_base=None, mlm_base=None):
    return EvalWithBaselines(step=0 if when == "before" else 10, when=when, split=split, mlm_loss=1.0,
                             perplexity=ppl, masked_accuracy=acc, nsp_accuracy=nsp, nsp_majority_share=nsp_base,
                             masked_baseline=mlm_base)


EVALS = [ev("before", "eval", 289.6, 0.05, 0.75, 0.71, 0.04), ev("after", "eval", 301.3, 0.06, 0.70, 0.71, 0.04),
         ev("before", "general", 30.0, 0.40), ev("after", "general", 33.5, 0.38)]

PAYLOAD = {
    "warnings": [
        {"message": "The held-out set is too small to trust: 2 sequences, 38 masked tokens.",
         "advice": "Add about 40 KB of text or raise corpus.eval_share to 0.1.", "kind": "small_eval"},
        {"message": "The model got worse on held-out text.",
         "advice": "Likely causes: a learning rate too high, too few steps, or a random model."},
    ],
    "learned": [
        {"sentence": "The [MASK] accepts what nature brings.", "word": "stoic", "base_guess": "man",
         "base_p": 0.02, "tuned_guess": "stoic", "tuned_p": 0.41},
    ],
}


def rows(table):
    return {table.cell_text(r, 0): r for r in range(table.rowCount())}


def test_every_figure_has_a_one_line_meaning(window):
    window.session.set_outcome(RunOutcome(output_dir="x", evals=EVALS))
    t = window.evaluate_page.table
    assert t.rowCount() == 5
    for r in range(t.rowCount()):
        meaning = t.meaning_text(r)
        assert meaning and "\n" not in meaning
        assert meaning in t.cellWidget(r, 0).text()  # shown, not only in a tooltip
    ppl = rows(t)["Perplexity on held-out text (lower is better)"]
    assert t.meaning_text(ppl).startswith("How surprised the model is by held-out text of yours; lower is better")


def test_accuracies_stand_beside_their_baselines(window):
    window.session.set_outcome(RunOutcome(output_dir="x", evals=EVALS))
    t = window.evaluate_page.table
    r = rows(t)
    nsp, masked = r["Next-sentence accuracy on held-out text"], r["Masked-word accuracy on held-out text"]
    assert t.cell_text(nsp, 4) == "71.0%" and "more common answer" in t.meaning_text(nsp)
    assert t.cell_text(masked, 4) == "4.0%" and "most frequent word" in t.meaning_text(masked)
    assert t.item(nsp, 4).foreground().color().name() == "#c5221f"  # 70 % after: no better than guessing
    assert t.cell_text(r["Perplexity on held-out text (lower is better)"], 4) == ""  # no baseline for perplexity


def test_without_baselines_the_column_stays_empty(window):
    plain = [EvalMetrics(step=0, when="before", split="eval", mlm_loss=1, perplexity=9, masked_accuracy=0.3,
                         nsp_accuracy=0.6),
             EvalMetrics(step=9, when="after", split="eval", mlm_loss=1, perplexity=8, masked_accuracy=0.4,
                         nsp_accuracy=0.7)]
    window.session.set_outcome(RunOutcome(output_dir="x", evals=plain))
    t = window.evaluate_page.table
    assert all(t.cell_text(r, 4) == "" for r in range(t.rowCount()))
    assert all("Baseline" not in t.meaning_text(r) for r in range(t.rowCount()))


def test_warnings_and_the_learned_list_come_from_the_runs_summary(window, qtbot):
    page = window.evaluate_page
    window.session.set_outcome(RunOutcome(output_dir="x", evals=EVALS, summary={"insights": PAYLOAD}))
    qtbot.waitUntil(lambda: page.warnings.isVisibleTo(page), timeout=5000)
    text = page.warnings.text()
    assert "too small to trust" in text and "raise corpus.eval_share to 0.1" in text
    assert "got worse" in text and "learning rate too high" in text
    assert page.learned.isVisibleTo(page)
    learned = page.learned.text()
    assert "<b>[stoic]</b> accepts what nature brings" in learned
    assert "“stoic”: 2% likely before → 41% after (first guess: “man” → “stoic”)" in learned


def test_the_learned_list_from_the_core_shows_the_hidden_word(window, qtbot):
    """Through the core's own seam: the hidden word appears in its sentence (it used to be a bare "___")."""
    from bertgui.results.insights import insights_from_summary

    probe = {"batch": 0, "row": 0, "position": 3, "word": "virtue", "left": "the soul of", "right": "is its own"}
    before = dict(probe, guess="the", guess_probability=0.2, word_probability=0.01)
    after = dict(probe, guess="virtue", guess_probability=0.6, word_probability=0.6)
    summary = {"metrics": {"eval": {"before": {"perplexity": 30.0, "word_probes": [before]},
                                    "after": {"perplexity": 20.0, "word_probes": [after]}}}}
    payload = insights_from_summary(summary)
    window.session.set_outcome(RunOutcome(output_dir="x", evals=EVALS, summary={"insights": payload}))
    page = window.evaluate_page
    qtbot.waitUntil(lambda: page.learned.isVisibleTo(page), timeout=5000)
    assert "the soul of <b>[virtue]</b> is its own" in page.learned.text()


def test_a_provider_object_payload_and_a_new_run_clears_it(window, qtbot):
    page = window.evaluate_page

    class Warning_:
        message, advice = "Held-out loss rises while training loss falls (overfitting).", "Fewer passes."

    class Payload:
        warnings = [Warning_()]
        what_learned: list = []

    page.insights_provider = lambda outcome, state: explain.normalise(Payload())
    window.session.set_outcome(RunOutcome(output_dir="x", evals=EVALS))
    qtbot.waitUntil(lambda: page.warnings.isVisibleTo(page), timeout=5000)
    assert "overfitting" in page.warnings.text() and "Fewer passes." in page.warnings.text()
    assert "guessed clearly better yet" in page.learned.text()  # an empty list says why (issue 21)
    page.insights_provider = lambda outcome, state: explain.Insights([], [])
    window.session.set_outcome(RunOutcome(output_dir="y", evals=EVALS))
    qtbot.waitUntil(lambda: not page.warnings.isVisibleTo(page), timeout=5000)


def test_a_failing_provider_shows_no_banner(window, qtbot):
    page = window.evaluate_page

    def broken(outcome, state):
        raise RuntimeError("insights broke")

    page.insights_provider = broken
    window.session.set_outcome(RunOutcome(output_dir="x", evals=EVALS, summary={"insights": PAYLOAD}))
    qtbot.waitUntil(lambda: not page.insight_tasks.busy(), timeout=5000)
    assert not page.warnings.isVisibleTo(page) and page.table.rowCount() == 5


def test_the_base_models_fresh_mlm_head_is_marked(window):
    page = window.evaluate_page
    window.session.set_outcome(RunOutcome(output_dir="x", evals=EVALS, summary={"new_heads": ["NSP head"]}))
    assert page.base_table.header_title() == "Base model" and page.base_note.isHidden()
    window.session.set_outcome(RunOutcome(output_dir="x", evals=EVALS,
                                          summary={"new_heads": ["MLM head", "NSP head"]}))
    assert "head untrained" in page.base_table.header_title()
    assert not page.base_note.isHidden() and "its guesses mean nothing" in page.base_note.text()


def test_payload_shapes_reduce_to_insights():
    got = explain.normalise({"warnings": ["plain text", ("message", "advice"), {"nothing": 1}],
                             "learned": [{"sentence": "a [MASK]", "word": "b"}, {"word": "no sentence"}]})
    assert [(w.message, w.advice) for w in got.warnings] == [("plain text", ""), ("message", "advice")]
    assert [(x.sentence, x.word) for x in got.learned] == [("a [MASK]", "b")]
    assert not explain.read_insights({}) and explain.read_insights({"warnings": ["x"]}).warnings[0].message == "x"
    assert explain.mlm_head_was_random(["MLM head"]) and not explain.mlm_head_was_random(["pooler"], {}, None)


def test_before_any_run_the_loaded_models_new_heads_mark_the_column(window):
    page = window.evaluate_page
    window.session.base_new_heads = ["MLM head"]  # what the Model page records when it loads the model
    window.session.model_changed.emit()
    assert "head untrained" in page.base_table.header_title() and not page.base_note.isHidden()
    window.session.base_new_heads = []
    window.session.model_changed.emit()
    assert page.base_table.header_title() == "Base model" and page.base_note.isHidden()
