"""Evaluate and Export pages: their states before and after a run, the before/after table, word clicking."""

from __future__ import annotations

from bertgui.events import EvalMetrics
from bertgui.gui.work.session import RunOutcome


def ev(when, split, ppl, acc, nsp=None):
    return EvalMetrics(step=0 if when == "before" else 10, when=when, split=split, mlm_loss=1.0, perplexity=ppl,
                       masked_accuracy=acc, nsp_accuracy=nsp)


def test_before_after_table_with_forgetting(window):
    evals = [ev("before", "eval", 120.0, 0.20, 0.55), ev("after", "eval", 40.0, 0.35, 0.80),
             ev("before", "general", 30.0, 0.40), ev("after", "general", 33.5, 0.38)]
    window.session.set_outcome(RunOutcome(output_dir="x", evals=evals))
    t = window.evaluate_page.table
    rows = {t.cell_text(r, 0): (t.cell_text(r, 1), t.cell_text(r, 2), t.cell_text(r, 3)) for r in range(t.rowCount())}
    assert rows["Perplexity on held-out text (lower is better)"] == ("120.00", "40.00", "-80.00")
    assert rows["Masked-word accuracy on held-out text"] == ("20.0%", "35.0%", "+15.0 pt")
    assert rows["Next-sentence accuracy on held-out text"] == ("55.0%", "80.0%", "+25.0 pt")
    assert rows["Perplexity on general text (forgetting: lower is better)"][2] == "+3.50"
    # Better is green, worse is red, whichever direction "better" is.
    ppl_row = list(rows).index("Perplexity on held-out text (lower is better)")
    forget_row = list(rows).index("Perplexity on general text (forgetting: lower is better)")
    assert t.item(ppl_row, 3).foreground().color().name() == "#188038"
    assert t.item(forget_row, 3).foreground().color().name() == "#c5221f"


def test_mlm_only_runs_have_no_nsp_row(window):
    window.session.set_outcome(RunOutcome(evals=[ev("before", "eval", 10.0, 0.3), ev("after", "eval", 8.0, 0.4)]))
    t = window.evaluate_page.table
    assert t.rowCount() == 2
    assert not any("Next-sentence" in t.cell_text(r, 0) for r in range(t.rowCount()))


def test_clicking_a_word_masks_it(window):
    page = window.evaluate_page
    page.sentence.setText("The break statement ends a loop.")
    assert "<a href='1'>break</a>" in page.words.text()
    page.mask_word("1")
    assert page.sentence.text() == "The [MASK] statement ends a loop."
    assert "<b>[MASK]</b>" in page.words.text()


def test_predict_explains_what_is_missing(window):
    page = window.evaluate_page
    page.sentence.setText("No mask here.")
    page.predict()
    assert "no [MASK]" in page.error.text()
    page.sentence.setText("A [MASK] here.")
    page.predict()
    assert "No model" in page.error.text()


def test_export_waits_for_a_finished_run(window):
    page = window.export_page
    assert not page.export_button.isEnabled()
    assert "train a model first" in page.plan.item(0).text()
    window.session.set_outcome(RunOutcome(output_dir="x", failed=True))
    assert not page.export_button.isEnabled()


def test_playground_asks_the_base_model_when_nothing_is_trained(window, qtbot, tiny_model):
    from bertgui.model.loading import load_tokenizer, resolve_model

    info = resolve_model(str(tiny_model))
    window.session.set_model(info, load_tokenizer(info))
    page = window.evaluate_page
    page.top_k.setValue(3)
    page.sentence.setText("The [MASK] statement ends a [MASK].")
    page.predict()
    qtbot.waitUntil(lambda: page.base_table.rowCount() > 0 or not page.error.isHidden(), timeout=60000)
    assert page.error.isHidden(), page.error.text()
    assert page.base_table.rowCount() == 2 * 3  # two masks, top 3 each
    assert page.tuned_table.rowCount() == 0
    probs = [float(page.base_table.item(r, 2).text().rstrip("%")) for r in range(3)]
    assert probs == sorted(probs, reverse=True) and 0 < sum(probs) <= 100
    page.nsp_a.setText("The break statement ends a loop.")
    page.nsp_b.setText("Execution continues after the loop.")
    page.check_nsp()
    qtbot.waitUntil(lambda: page.nsp_result.text() != "", timeout=60000)
    assert "base model: B follows A with probability" in page.nsp_result.text()


def test_export_asks_before_replacing_a_folder(window, qtbot, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    window.session.set_outcome(RunOutcome(output_dir=str(tmp_path / "run")))
    page = window.export_page
    page.folder.setText(str(occupied))
    assert page.export_button.isEnabled() and page.plan.count() > 3
    page.export()
    assert "already holds files" in page.overwrite_question.text()
    assert not page.tasks.busy()  # nothing is written before the answer
    page.overwrite_question.done(QMessageBox.StandardButton.No)
    assert (occupied / "keep.txt").exists() and page.exported is None
