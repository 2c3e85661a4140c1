"""The Evaluate page's embedding check rows and its "Check on your own labelled examples" box."""

from __future__ import annotations

import pytest

from bertgui.events import EvalMetrics
from bertgui.gui.work.session import RunOutcome


def ev(when: str, split: str, mrr: float, r10: float) -> EvalMetrics:
    return EvalMetrics(step=0 if when == "before" else 10, when=when, split=split, mlm_loss=1.0, perplexity=20.0,
                       masked_accuracy=0.3, retrieval_mrr=mrr, retrieval_recall_at_1=mrr / 2,
                       retrieval_recall_at_10=r10, retrieval_queries=400, retrieval_candidates=599)


def rows(table) -> dict[str, tuple[str, ...]]:
    return {table.cell_text(r, 0): tuple(table.cell_text(r, c) for c in range(1, 5)) for r in range(table.rowCount())}


def test_the_embedding_check_stands_beside_perplexity_with_chance(window):
    window.session.set_outcome(RunOutcome(output_dir="x", evals=[ev("before", "eval", 0.157, 0.27),
                                                                 ev("after", "eval", 0.101, 0.20)]))
    t = window.evaluate_page.table
    found = rows(t)
    assert found["Embedding check on held-out text (MRR)"][:3] == ("0.157", "0.101", "-0.056")
    assert found["Embedding check on held-out text (MRR)"][3] == "0.012"  # ranking 599 passages at random
    assert found["Embedding check: found among the ten closest"][:2] == ("27.0%", "20.0%")
    r = list(found).index("Embedding check on held-out text (MRR)")
    assert "higher is better" in t.meaning_text(r)
    assert t.item(r, 3).foreground().color().name() == "#c5221f"  # worse is red


def labelled_file(tmp_path, labels=("for", "while"), per_label=6):
    rows_ = ["text,label"] + [f"\"The {w} loop number {i} runs.\",{w}" for w in labels for i in range(per_label)]
    path = tmp_path / "labelled.csv"
    path.write_text("\n".join(rows_))
    return path


@pytest.fixture
def box(window, tiny_model):
    from bertgui.model.loading import load_tokenizer, resolve_model

    info = resolve_model(str(tiny_model))
    window.session.set_model(info, load_tokenizer(info))
    return window.evaluate_page.probe_box


def test_a_valid_file_gives_accuracy_and_macro_f1_with_progress(box, qtbot, tmp_path):
    seen = []
    show = box.show_progress
    box.show_progress = lambda done, total, message: (seen.append((done, total, message)), show(done, total, message))
    box.file.setText(str(labelled_file(tmp_path)))
    box.start()
    assert not box.progress.isHidden() and not box.cancel_button.isHidden() and not box.run_button.isEnabled()
    qtbot.waitUntil(lambda: box.report is not None or "same label" in box.result_text(), timeout=60000)
    qtbot.waitUntil(lambda: box.run_button.isEnabled(), timeout=10000)
    text = box.result_text()
    assert "12 examples, 2 labels" in text and "base model: accuracy" in text and "macro-F1" in text
    assert any(total == 12 and done == 12 for done, total, _ in seen)
    assert any("Embedding the examples with base model" in m for _, _, m in seen)
    assert box.progress.isHidden()


def test_a_bad_file_says_what_is_wrong(box, qtbot, tmp_path):
    box.file.setText(str(labelled_file(tmp_path, labels=("only",))))
    box.start()
    qtbot.waitUntil(lambda: bool(box.result_text()), timeout=60000)
    qtbot.waitUntil(lambda: box.run_button.isEnabled(), timeout=10000)
    assert "same label (only)" in box.result_text() and "at least two labels" in box.result_text()
    assert box.report is None


def test_no_file_and_no_model_are_said_before_any_work(window, tmp_path):
    box = window.evaluate_page.probe_box
    box.start()
    assert "Choose a labelled file" in box.result_text()
    box.file.setText(str(labelled_file(tmp_path)))
    box.start()
    assert "No model" in box.result_text()


def test_cancel_gives_the_box_back_and_drops_the_result(box, qtbot, tmp_path):
    box.file.setText(str(labelled_file(tmp_path)))
    box.start()
    box.cancel()
    assert box.run_button.isEnabled() and box.cancel_button.isHidden()
    assert box.result_text() == "Cancelled."
    assert box.tasks.wait(60000)
    qtbot.wait(50)
    assert box.report is None and box.result_text() == "Cancelled."


def test_the_worker_stops_when_cancelled(tiny_model, tmp_path):
    from bertgui.gui.widgets.probe_box import probe_job
    from bertgui.gui.work.tasks import Interrupted

    class CancelledWhileLoading:
        """Cancel pressed after the file was read: the models' loop must notice it."""

        def set_progress(self, *a):
            pass

        def is_interruption_requested(self):
            return True

        def check(self):
            pass

    with pytest.raises(Interrupted):
        probe_job(str(labelled_file(tmp_path)), {"base": str(tiny_model)}, {"base": "base model"}, False,
                  CancelledWhileLoading())
