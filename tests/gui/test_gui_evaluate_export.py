"""Evaluate and Export pages: their states before and after a run, the before/after table, word clicking."""

from __future__ import annotations

import pytest

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


# ---------------------------------------------------------------------------------------------- issue 15
def test_progress_line_shows_gpu_memory_and_its_peak(qtbot):
    from bertgui.events import RunStarted, StepMetrics
    from bertgui.gui.work.run_monitor import RunMonitor

    def step(i, memory):
        return StepMetrics(step=i, total_steps=10, epoch=0.1 * i, loss=3.0, mlm_loss=3.0, nsp_loss=None,
                           learning_rate=1e-4, grad_norm=1.0, tokens_per_second=1000.0, real_tokens=100 * i,
                           elapsed_s=float(i), eta_s=10.0, device_memory_bytes=memory)

    def started(device):
        return RunStarted(total_steps=10, epochs=1.0, train_sequences=10, eval_sequences=2, train_documents=5,
                          eval_documents=1, mode="mlm", device=device, device_name="GPU", precision="bf16",
                          num_parameters=1000, batch_size=2, gradient_accumulation=1, max_seq_length=32)

    monitor = RunMonitor()
    qtbot.addWidget(monitor)
    monitor.show_event(started("cuda:0"))
    monitor.show_event(step(1, 3 * 2**30))
    assert "GPU memory 3.00 GB (peak 3.00 GB)" in monitor.progress_text.text()
    monitor.show_event(step(2, 2 * 2**30))
    assert "GPU memory 2.00 GB (peak 3.00 GB)" in monitor.progress_text.text()
    monitor.reset()
    monitor.show_event(started("cpu"))
    monitor.show_event(step(1, 3 * 2**30))
    assert "GPU memory" not in monitor.progress_text.text()


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory, sample_corpus, tiny_model):
    import torch

    from bertgui.config import RunConfig
    from bertgui.engine import train

    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("gui-export-run")
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp / "run"), max_steps=3,
                       batch_size=8, max_seq_length=48, learning_rate=1e-3, checkpoint_every=100, log_every=1,
                       eval_share=0.1).validate()
    result = train(config, None, cache_dir=tmp / "cache", num_proc=1)
    assert result.failed is None, result.failed
    return result, config


def test_window_export_equals_bertgui_export(window, qtbot, tmp_path, finished_run):
    from bertgui.cli import main

    result, config = finished_run
    window.session.update_config(config)
    window.session.set_outcome(RunOutcome(output_dir=result.output_dir, step=result.step, summary=result.summary,
                                          result=result))
    page = window.export_page
    page.folder.setText(str(tmp_path / "window" / "exported"))
    page.license.setCurrentText("apache-2.0")
    page.export()
    qtbot.waitUntil(lambda: page.exported is not None or not page.error.isHidden(), timeout=120000)
    assert page.error.isHidden(), page.error.text()
    assert main(["export", result.output_dir, str(tmp_path / "cli" / "exported"), "--license", "apache-2.0"]) == 0
    gui, cli = tmp_path / "window" / "exported", tmp_path / "cli" / "exported"

    def listing(folder):
        return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())

    assert listing(gui) == listing(cli)
    assert {"README.md", "loss.png", "loss.csv", "bertgui.toml", "model.safetensors"} <= set(listing(gui))
    for name in ("README.md", "loss.csv", "bertgui.toml", "bertgui_summary.json", "config.json"):
        assert (gui / name).read_text() == (cli / name).read_text(), name
    assert "license: apache-2.0" in (gui / "README.md").read_text()


def test_publish_uploads_the_exported_folder(window, qtbot, tmp_path, monkeypatch, finished_run):
    import huggingface_hub
    from huggingface_hub import constants

    sent = {}

    class FakeApi:
        def __init__(self, token=None, **kw):
            sent["token"] = token

        def create_repo(self, repo_id, private=False, **kw):
            sent["private"] = private
            return f"https://huggingface.co/{repo_id}"

        def upload_folder(self, *, repo_id, folder_path, **kw):
            sent["repo_id"], sent["folder"] = repo_id, folder_path

    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    monkeypatch.setattr(huggingface_hub, "get_token", lambda: "hf_x")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    result, config = finished_run
    window.session.update_config(config)
    window.session.set_outcome(RunOutcome(output_dir=result.output_dir, step=result.step, summary=result.summary))
    page = window.export_page
    page.repo.setText("me/tiny-python")
    assert not page.publish_button.isEnabled()  # nothing exported yet
    page.folder.setText(str(tmp_path / "out"))
    page.export()
    qtbot.waitUntil(lambda: page.exported is not None or not page.error.isHidden(), timeout=120000)
    assert page.error.isHidden(), page.error.text()
    assert "name: tiny-python" in (page.exported / "README.md").read_text()  # the repository's name
    qtbot.waitUntil(page.publish_button.isEnabled, timeout=5000)
    page.publish()
    qtbot.waitUntil(lambda: page.publish_result.text() != "" or not page.error.isHidden(), timeout=30000)
    assert page.error.isHidden(), page.error.text()
    assert sent == {"token": "hf_x", "private": True, "repo_id": "me/tiny-python", "folder": str(page.exported)}
    assert "https://huggingface.co/me/tiny-python" in page.publish_result.text()
