"""The Train page: the form comes from RunConfig, presets and TOML round-trip, and engine events drive the
status bar, progress bar, chart and log. A scripted engine stands in for the real one here (the end-to-end test
runs the real engine); it obeys the same Control object, so pause and stop are tested through it."""

from __future__ import annotations

import dataclasses
import time

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QSpinBox

from bertgui.config import PRESETS, RunConfig, field_help
from bertgui.events import Failed, Finished, RunStarted, StateChanged, StepMetrics
from bertgui.gui.steps import StepState


def scripted_engine(steps: int = 6, fail_at: int | None = None, delay: float = 0.01):
    def engine(config, emit, control, resume=None):
        emit(RunStarted(total_steps=steps, epochs=1.0, train_sequences=10, eval_sequences=2, train_documents=5,
                        eval_documents=1, mode="mlm+nsp", device="cpu", device_name="CPU", precision="fp32",
                        num_parameters=1000, batch_size=2, gradient_accumulation=1, max_seq_length=32))
        emit(StateChanged("training", 0))
        for i in range(1, steps + 1):
            if control.paused:
                emit(StateChanged("paused", i - 1))
                control.wait_while_paused()
                emit(StateChanged("training", i - 1))
            if control.stop_requested:
                emit(Finished(step=i - 1, stopped=True, elapsed_s=0.1, output_dir=config.output_dir))
                return
            if fail_at == i:
                emit(Failed(message="Loss became NaN.", advice="Lower the learning rate.", kind="nan", step=i))
                return
            time.sleep(delay)
            emit(StepMetrics(step=i, total_steps=steps, epoch=i / steps, loss=5.0 / i, mlm_loss=4.0 / i,
                             nsp_loss=1.0 / i, learning_rate=1e-4, grad_norm=1.0, tokens_per_second=500.0,
                             real_tokens=64 * i, elapsed_s=i * delay, eta_s=(steps - i) * delay))
        emit(Finished(step=steps, stopped=False, elapsed_s=steps * delay, output_dir=config.output_dir))
    return engine


def ready(window, tiny_model, sample_corpus, engine):
    from bertgui.model.loading import resolve_model

    window.session.set_corpus([str(sample_corpus)])
    window.session.set_model(resolve_model(str(tiny_model)))
    page = window.train_page
    page.engine = engine
    window.show_step("train")
    return page


def test_form_is_generated_from_the_config_with_help_as_tooltips(window):
    form = window.train_page.form
    assert isinstance(form.editors["whole_word_masking"], QCheckBox)
    assert isinstance(form.editors["schedule"], QComboBox)
    assert isinstance(form.editors["max_seq_length"], QSpinBox)
    assert isinstance(form.editors["learning_rate"], QLineEdit)
    assert form.editors["learning_rate"].toolTip() == field_help("learning_rate")
    assert "corpus" not in form.editors and "model" not in form.editors  # owned by their pages
    shown = {f.name for f in dataclasses.fields(RunConfig)} - set(form.editors)
    basic = {"device", "nsp"} | ({"time_budget"} & {f.name for f in dataclasses.fields(RunConfig)})
    assert shown == {"corpus", "text_column", "documents", "model", "allow_pickle"} | basic  # basic view asks these


def test_editing_a_field_updates_the_session_config_and_bad_values_are_named(window, qtbot):
    form = window.train_page.form
    lr = form.editors["learning_rate"]
    lr.setText("2e-5")
    lr.editingFinished.emit()
    assert window.session.config.learning_rate == 2e-5
    lr.setText("-1")
    lr.editingFinished.emit()
    assert not form.error.isHidden() and "training.learning_rate" in form.error.text()
    assert window.session.config.learning_rate == 2e-5


def test_presets_fill_the_form(window):
    page = window.train_page
    page.preset_buttons["thorough"].click()
    assert window.session.config.max_seq_length == PRESETS["thorough"]["max_seq_length"]
    assert page.form.editors["max_seq_length"].value() == PRESETS["thorough"]["max_seq_length"]
    page.preset_buttons["quick look"].click()
    assert page.form.editors["max_steps"].value() == 200


def test_save_open_config_round_trip_and_copy_command(window, tmp_path):
    page = window.train_page
    page.form.editors["batch_size"].setValue(7)
    path = page.save_config(str(tmp_path / "run.toml"))
    assert RunConfig.load(path).batch_size == 7
    page.form.editors["batch_size"].setValue(9)
    assert page.open_config(str(path))
    assert page.form.editors["batch_size"].value() == 7
    text = page.copy_command()
    assert QGuiApplication.clipboard().text() == text
    assert text.startswith(f"bertgui train --config {path.resolve()}")
    assert "torchrun --nproc_per_node=" in text


def test_a_bad_config_file_shows_the_core_message(window, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[training]\nlearning_rate = -3\n")
    assert not window.train_page.open_config(str(bad))
    from PySide6.QtWidgets import QMessageBox

    box = [b for b in window.train_page.findChildren(QMessageBox) if b.objectName() == "errorBox"][-1]
    assert "training.learning_rate" in box.text()


def test_start_without_a_model_explains(window, sample_corpus):
    window.session.set_corpus([str(sample_corpus)])
    assert not window.train_page.start()
    assert "No model" in window.train_page.error.text()


def test_a_run_drives_status_bar_progress_and_chart(window, qtbot, tiny_model, sample_corpus):
    page = ready(window, tiny_model, sample_corpus, scripted_engine(steps=6))
    states = []
    window.session.run_state_changed.connect(lambda s, t: states.append(s))
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        assert page.start()
    assert window.run_state_text().startswith("Finished: 6 steps")
    assert states[0] == "preparing" and "training" in states and states[-1] == "finished"
    page.chart.flush()
    assert page.chart.point_count() == 6
    assert page.progress.value() == 6 and page.progress.maximum() == 6
    assert window.steps.states["train"] is StepState.DONE
    assert window.session.outcome is not None and not window.session.outcome.failed
    assert "Run started: 6 steps" in page.log.toPlainText()
    assert page.start_button.isEnabled() and not page.stop_button.isEnabled()


def test_pause_resume_and_stop_go_through_the_control(window, qtbot, tiny_model, sample_corpus):
    page = ready(window, tiny_model, sample_corpus, scripted_engine(steps=10_000, delay=0.002))
    page.start()
    qtbot.waitUntil(lambda: page.chart.point_count() >= 3, timeout=20000)
    page.toggle_pause()
    assert page.run.control.paused
    qtbot.waitUntil(lambda: window.run_state_text().startswith("Paused"), timeout=5000)
    assert page.pause_button.text() == "Resume"
    page.toggle_pause()
    assert not page.run.control.paused
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        page.stop()
    assert window.run_state_text().startswith("Stopped at step")
    assert window.session.outcome.stopped
    assert "stopped" in page.chart.markers()


def test_a_failed_run_is_marked_and_the_window_stays_usable(window, qtbot, tiny_model, sample_corpus):
    page = ready(window, tiny_model, sample_corpus, scripted_engine(steps=6, fail_at=4))
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        page.start()
    assert window.run_state_text().startswith("Failed at step 4")
    assert "Lower the learning rate." in page.error.text()
    assert page.error_box.informativeText() == "Lower the learning rate."
    assert page.chart.markers() == ["failed"]
    assert window.steps.states["train"] is StepState.PROBLEM
    assert page.start_button.isEnabled()
    page.engine = scripted_engine(steps=2)
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        assert page.start()
    assert window.run_state_text().startswith("Finished")


def test_an_engine_exception_becomes_a_failed_event(window, qtbot, tiny_model, sample_corpus):
    def broken(config, emit, control, resume=None):
        raise RuntimeError("boom")

    page = ready(window, tiny_model, sample_corpus, broken)
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        page.start()
    assert window.session.run_state == "failed"
    assert "boom" in page.log.toPlainText()


def test_closing_during_training_asks_and_stop_keeps_a_checkpoint(window, qtbot, tiny_model, sample_corpus):
    page = ready(window, tiny_model, sample_corpus, scripted_engine(steps=100_000, delay=0.002))
    window.show()
    page.start()
    qtbot.waitUntil(lambda: page.chart.point_count() >= 2, timeout=20000)
    window.close()
    assert window.isVisible()  # not closed: asked first
    box = window.close_question
    keep = [b for b in box.buttons() if b.text() == "Keep training"][0]
    keep.click()
    assert window.isVisible() and window.session.training_active
    window.close()
    box = window.close_question
    stop = [b for b in box.buttons() if b.text().startswith("Stop")][0]
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        stop.click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert window.session.outcome.stopped


def test_a_process_run_reads_json_events_into_the_same_chart(window, qtbot, tmp_path, tiny_model, sample_corpus):
    """What a torchrun launch does, with a small Python script printing the engine's --json lines."""
    import sys

    from bertgui.events import event_to_dict
    from bertgui.gui.work.training_run import ProcessRun

    lines = []
    eng = scripted_engine(steps=5, delay=0)
    from bertgui.events import Control

    eng(window.session.config, lambda ev: lines.append(event_to_dict(ev)), Control())
    script = tmp_path / "fake_torchrun.py"
    script.write_text("import json, sys\n"
                      f"for ev in {lines!r}:\n    print(json.dumps(ev), flush=True)\n"
                      "print('a plain log line', file=sys.stderr)\n")
    page = ready(window, tiny_model, sample_corpus, None)
    run = ProcessRun(sys.executable, [str(script)], page)
    assert not run.supports_pause
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        page.launch(run, window.session.config)
    page.chart.flush()
    assert page.chart.point_count() == 5
    assert window.run_state_text().startswith("Finished: 5 steps")
    assert "a plain log line" in page.log.toPlainText()


def test_a_process_that_dies_silently_is_a_failure(window, qtbot, tmp_path, tiny_model, sample_corpus):
    import sys

    from bertgui.gui.work.training_run import ProcessRun

    page = ready(window, tiny_model, sample_corpus, None)
    run = ProcessRun(sys.executable, ["-c", "import sys; sys.exit(3)"], page)
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        page.launch(run, window.session.config)
    assert window.session.run_state == "failed"
    assert "exit code 3" in page.error.text()


def test_launchers_build_torchrun_and_accelerate_lines(window, tmp_path):
    page = window.train_page
    page.processes.setValue(4)
    page.launcher.setCurrentIndex(page.launcher.findData("torchrun"))
    args = page.launch_arguments(tmp_path / "c.toml")
    assert args[:3] == ["-m", "torch.distributed.run", "--nproc_per_node=4"]
    assert args[-4:] == ["train", "--config", str(tmp_path / "c.toml"), "--json"]
    page.launcher.setCurrentIndex(page.launcher.findData("accelerate"))
    args = page.launch_arguments(tmp_path / "c.toml")
    assert args[:5] == ["-m", "accelerate.commands.launch", "--num_processes", "4", "-m"]
    assert page.processes.isEnabled()
    page.launcher.setCurrentIndex(page.launcher.findData("thread"))
    assert not page.processes.isEnabled()


def test_device_selector_lists_what_torch_sees(window, qtbot):
    import torch

    page = window.train_page
    window.show_step("train")
    qtbot.waitUntil(lambda: page.device.count() >= 2, timeout=30000)
    values = [page.device.itemData(i) for i in range(page.device.count())]
    assert values[:2] == ["auto", "cpu"]
    assert len([v for v in values if v.startswith("cuda")]) == (torch.cuda.device_count()
                                                                  if torch.cuda.is_available() else 0)
    page.device.setCurrentIndex(values.index("cpu"))
    assert window.session.config.device == "cpu"


def test_the_output_folder_is_remembered(window, qtbot, tiny_model, sample_corpus, tmp_path, app):
    from bertgui.gui.window import MainWindow

    page = ready(window, tiny_model, sample_corpus, scripted_engine(steps=1))
    window.session.update_config(window.session.config.replace(output_dir=str(tmp_path / "kept")))
    with qtbot.waitSignal(page.run_ended, timeout=20000):
        page.start()
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.session.config.output_dir == str(tmp_path / "kept")
