"""Runs a person cannot lose: one folder per run, the Runs page, compare, delete, resume *this* run, reopen.

Real engine runs with the tiny BERT of tests/conftest.py (a few steps each); the two reference runs are trained
once per module, headless, and copied into each test's own workspace.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from bertgui.config import RunConfig
from bertgui.engine.folder import FINAL_MODEL_DIR, METRICS_FILE, complete_checkpoints
from bertgui.engine.runs import list_runs, new_run_folder
from bertgui.events import Control, StepMetrics

SMALL = dict(batch_size=4, max_seq_length=64, eval_share=0.1, log_every=1, device="cpu", documents="blank-line",
             checkpoint_every=1000)


@pytest.fixture(scope="module")
def reference_runs(tmp_path_factory, tiny_model, sample_corpus) -> Path:
    """A workspace with a finished 3-step run and a run stopped at step 2 of 4 (its checkpoint kept)."""
    from bertgui.engine import train

    ws = tmp_path_factory.mktemp("reference") / "ws"
    base = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), **SMALL)
    finished = new_run_folder(ws, "python", "tiny-bert")
    result = train(base.replace(max_steps=3, output_dir=str(finished)))
    assert result.failed is None, result.failed
    stopped = ws / "stopped python run"
    control = Control()

    def stop_at_two(ev) -> None:
        if isinstance(ev, StepMetrics) and ev.step >= 2:
            control.stop()

    result = train(base.replace(max_steps=4, learning_rate=1e-3, output_dir=str(stopped)), stop_at_two, control)
    assert result.failed is None and complete_checkpoints(stopped), result.failed
    return ws


def workspace_copy(reference_runs: Path, tmp_path: Path, window) -> Path:
    ws = tmp_path / "my-runs"
    shutil.copytree(reference_runs, ws)
    window.session.set_workspace(ws)
    return ws


def show_runs(window, qtbot, count: int):
    page = window.runs_page
    window.show_step("runs")
    qtbot.waitUntil(lambda: page.table.rowCount() == count and not page.tasks.busy(), timeout=20000)
    return page


def load(window, tiny_model, sample_corpus) -> None:
    from bertgui.model.loading import resolve_model

    s = window.session
    s.set_corpus([str(sample_corpus)], documents="blank-line")
    s.set_model(resolve_model(str(tiny_model)))


def test_two_runs_in_a_row_are_both_kept_and_listed(window, qtbot, tmp_path, tiny_model, sample_corpus):
    s = window.session
    s.set_workspace(tmp_path / "ws")
    load(window, tiny_model, sample_corpus)
    s.update_config(s.config.replace(max_steps=2, output_dir="", **SMALL))
    train = window.train_page
    window.show_step("train")
    for _ in range(2):
        with qtbot.waitSignal(train.run_ended, timeout=300000):
            assert train.start()
        assert s.run_state == "finished", train.log.toPlainText()
    folders = sorted(p for p in (tmp_path / "ws").iterdir())
    assert len(folders) == 2, folders
    for folder in folders:
        assert (folder / FINAL_MODEL_DIR / "config.json").is_file() and (folder / METRICS_FILE).is_file()
        assert "python" in folder.name.lower() and "tiny-bert" in folder.name
    assert s.config.output_dir == ""  # the next run gets a folder of its own again
    page = show_runs(window, qtbot, 2)
    assert {page.table.item(r, 0).text() for r in range(2)} == {f.name for f in folders}
    assert all(page.table.item(r, 1).text() == "finished" for r in range(2))


def test_compare_two_runs_overlays_both_curves_and_both_rows(window, qtbot, tmp_path, reference_runs):
    ws = workspace_copy(reference_runs, tmp_path, window)
    page = show_runs(window, qtbot, 2)
    names = [page.table.item(r, 0).text() for r in range(2)]
    page.select_runs(*(ws / n for n in names))
    assert sorted(page.overlay_names()) == sorted(names)
    by_folder = {r.name: r for r in list_runs(ws)}
    assert sorted(page.chart.run_legend()) == sorted(f"{by_folder[n].label} (MLM loss)" for n in names)
    assert page.chart.legend_entries() == []
    curves = {c.name(): c.getData()[0] for c in page.overlays}
    assert {len(x) for x in curves.values()} == {2, 3}  # each run its own steps: stopped at 2, finished at 3
    table = page.compare_table
    assert table.columnCount() == 2
    assert sorted(table.horizontalHeaderItem(c).toolTip() for c in range(2)) == sorted(names)
    ppl_row = [table.verticalHeaderItem(r).text() for r in range(table.rowCount())].index("Perplexity after")
    by_name = {r.name: r for r in list_runs(ws)}
    for c in range(2):
        run = by_name[table.horizontalHeaderItem(c).toolTip()]
        assert table.item(ppl_row, c).text() == f"{run.perplexity_after:,.2f}"
    page.select_runs(ws / names[0])  # one run: its own chart and evaluation, no overlay
    assert page.overlays == [] and page.chart.point_count() == by_name[names[0]].steps_done
    assert page.chart.run_legend() == [] and "loss" in page.chart.legend_entries()
    assert page.details.currentWidget() is page.eval_table


def test_delete_asks_and_the_run_goes_to_the_trash(window, qtbot, tmp_path, reference_runs, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    ws = workspace_copy(reference_runs, tmp_path, window)
    page = show_runs(window, qtbot, 2)
    doomed = ws / page.table.item(0, 0).text()
    page.select_runs(doomed)
    page.actions["delete"].click()
    box = page.delete_question
    assert box.isVisible() and doomed.name in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert doomed.is_dir()  # Cancel keeps it
    page.actions["delete"].click()
    page.delete_question.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1 and not page.tasks.busy(), timeout=20000)
    assert not doomed.exists() and (tmp_path / "data" / "Trash" / "files" / doomed.name).is_dir()
    assert page.table.item(0, 0).text() != doomed.name


def test_resume_continues_this_run_from_its_own_checkpoint_named_first(window, qtbot, tmp_path, reference_runs,
                                                                       tiny_model, sample_corpus):
    ws = workspace_copy(reference_runs, tmp_path, window)
    run = ws / "stopped python run"
    (run / "checkpoint-9").mkdir()  # a half-written checkpoint (full disk): never the one resumed
    (run / "checkpoint-9" / "config.json").write_text("{}")
    load(window, tiny_model, sample_corpus)
    s = window.session
    s.update_config(s.config.replace(max_steps=50, learning_rate=5e-5))  # the form's settings are not the run's
    page = show_runs(window, qtbot, 2)
    page.select_runs(run)
    assert page.actions["resume"].isEnabled()
    train = window.train_page
    with qtbot.waitSignal(train.run_ended, timeout=300000):
        page.actions["resume"].click()
    log = train.log.toPlainText()
    assert "Resume run stopped python run from step 2 of 4 (checkpoint-2)" in log, log
    assert s.run_state == "finished", log
    steps = [int(x) for x in train.chart._steps.values()]
    assert steps == [1, 2, 3, 4]  # its own earlier steps, then 3 and 4 of its own 4-step plan
    assert [c.name for c in complete_checkpoints(run)][-1] != "checkpoint-9"


def test_a_resume_after_a_killed_session_shows_each_step_once(window, qtbot, tmp_path, reference_runs,
                                                              tiny_model, sample_corpus):
    """kill -9 at step 3, past checkpoint-2: the chart showed steps 3 twice (the killed session's, then again)."""
    import json

    from bertgui.events import event_to_dict

    ws = workspace_copy(reference_runs, tmp_path, window)
    run = ws / "stopped python run"
    stale = StepMetrics(step=3, total_steps=4, epoch=0.1, loss=9.9, mlm_loss=9.9, nsp_loss=None,
                        learning_rate=1e-3, grad_norm=1.0, tokens_per_second=1.0, real_tokens=1, elapsed_s=1.0,
                        eta_s=0.0)
    with open(run / METRICS_FILE, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(event_to_dict(stale)) + "\n")
    load(window, tiny_model, sample_corpus)
    page = show_runs(window, qtbot, 2)
    page.select_runs(run)
    train = window.train_page
    with qtbot.waitSignal(train.run_ended, timeout=300000):
        page.actions["resume"].click()
    steps = [int(x) for x in train.chart._steps.values()]
    assert steps == [1, 2, 3, 4]


def test_a_chosen_folder_holding_a_run_asks_and_a_new_run_goes_beside_it(window, qtbot, tmp_path, reference_runs,
                                                                          tiny_model, sample_corpus):
    from test_gui_train_page import scripted_engine

    ws = workspace_copy(reference_runs, tmp_path, window)
    taken = ws / "stopped python run"
    seen: list[str] = []
    engine = scripted_engine(steps=2)
    load(window, tiny_model, sample_corpus)
    train = window.train_page
    train.engine = lambda c, emit, control, resume=None: (seen.append(c.output_dir), engine(c, emit, control))[1]
    window.session.update_config(window.session.config.replace(output_dir=str(taken)))
    window.show_step("train")
    assert not train.start()  # asks first
    box = train.folders.question
    assert box is not None and box.isVisible() and str(taken) in box.text()
    with qtbot.waitSignal(train.run_ended, timeout=20000):
        box.findChild(type(box.defaultButton()), "runFolder-beside").click()
    assert len(seen) == 1 and Path(seen[0]).parent == ws and Path(seen[0]) != taken
    assert (taken / METRICS_FILE).is_file()  # the earlier run is untouched


def test_an_unwritable_workspace_is_a_message_and_the_window_lives(window, qtbot, tmp_path, tiny_model,
                                                                     sample_corpus):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder")
    load(window, tiny_model, sample_corpus)
    window.session.set_workspace(blocker / "ws")
    window.session.update_config(window.session.config.replace(output_dir=""))
    train = window.train_page
    assert not train.start()
    assert "Cannot create a run folder" in train.problem_text()
    assert not window.session.training_active
    show_runs(window, qtbot, 0)
    assert "not a folder" in window.runs_page.empty.text() or "does not exist" in window.runs_page.empty.text()


def test_restart_reopens_the_last_session_model_included(app, qtbot, tmp_path, reference_runs, tiny_model,
                                                         sample_corpus):
    from bertgui.gui.window import MainWindow

    first = MainWindow()
    qtbot.addWidget(first)
    ws = workspace_copy(reference_runs, tmp_path, first)
    s = first.session
    s.set_corpus([str(sample_corpus)], documents="blank-line")
    first.model_page.choose(str(tiny_model))
    qtbot.waitUntil(lambda: s.model_info is not None, timeout=60000)
    s.update_config(s.config.replace(learning_rate=3e-4, max_steps=7))
    s.set_last_run(ws / "stopped python run")
    first.close()
    assert not first.isVisible()

    again = MainWindow()
    qtbot.addWidget(again)
    t = again.session
    assert t.config.corpus == [str(sample_corpus)] and t.config.documents == "blank-line"
    assert (t.config.learning_rate, t.config.max_steps) == (3e-4, 7)
    qtbot.waitUntil(lambda: t.model_info is not None, timeout=60000)
    assert Path(t.model_info.path) == Path(tiny_model)
    assert t.last_run == str(ws / "stopped python run") and t.workspace == ws
    train = again.train_page
    assert "Resume run stopped python run from step 2 of 4" in train.resume_button.toolTip()
    assert train.chart.point_count() == 2  # the last run's curve is back on the Train page
    for w in (first, again):
        for page in w.pages.values():
            page.shutdown()
        w.warmup.wait()


def test_open_config_restores_the_model_as_well_as_the_corpus(window, qtbot, tmp_path, tiny_model, sample_corpus):
    path = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), learning_rate=2e-4).save(
        tmp_path / "saved.toml")
    assert window.session.model_info is None
    assert window.train_page.open_config(str(path))
    qtbot.waitUntil(lambda: window.session.model_info is not None, timeout=60000)
    assert Path(window.session.model_info.path) == Path(tiny_model)
    assert window.session.config.corpus == [str(sample_corpus)] and window.session.config.learning_rate == 2e-4


def test_a_run_folder_deleted_by_hand_and_a_finished_run_are_explained(window, qtbot, tmp_path, reference_runs,
                                                                      tiny_model, sample_corpus):
    ws = workspace_copy(reference_runs, tmp_path, window)
    page = show_runs(window, qtbot, 2)
    finished = next(r.folder for r in page.runs if r.state == "finished")
    page.select_runs(finished)
    assert not page.actions["resume"].isEnabled()  # a finished run is not resumed past its end
    load(window, tiny_model, sample_corpus)
    window.session.set_last_run(finished)
    assert not window.train_page.start(resume=True)
    assert "is finished (3 of 3 steps)" in window.train_page.problem_text()
    gone = ws / "stopped python run"
    qtbot.waitUntil(lambda: not page.tasks.busy(), timeout=20000)
    page.select_runs(gone)
    shutil.rmtree(gone)  # by hand, in a file manager, while the window is open
    page.actions["open"].click()
    assert "no longer exists" in page.problem_text()
    qtbot.waitUntil(lambda: page.table.rowCount() == 1 and not page.tasks.busy(), timeout=20000)
    window.session.set_last_run(gone)
    assert not window.train_page.start(resume=True)
    assert "no longer exists" in window.train_page.problem_text()
    assert window.isEnabled() and not window.session.training_active


def test_replace_is_explicit_and_the_old_run_goes_to_the_trash(window, qtbot, tmp_path, reference_runs, tiny_model,
                                                               sample_corpus, monkeypatch):
    from test_gui_train_page import scripted_engine

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    ws = workspace_copy(reference_runs, tmp_path, window)
    taken = ws / "stopped python run"
    seen: list[str] = []
    engine = scripted_engine(steps=1)
    load(window, tiny_model, sample_corpus)
    train = window.train_page
    train.engine = lambda c, emit, control, resume=None: (seen.append(c.output_dir), engine(c, emit, control))[1]
    window.session.update_config(window.session.config.replace(output_dir=str(taken)))
    window.show_step("train")
    assert not train.start()
    box = train.folders.question
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert seen == [] and (taken / METRICS_FILE).is_file()  # Cancel: nothing started, nothing moved
    assert not train.start()
    with qtbot.waitSignal(train.run_ended, timeout=20000):
        train.folders.question.findChild(type(box.defaultButton()), "runFolder-replace").click()
    assert seen == [str(taken)] and not (taken / METRICS_FILE).exists()
    assert (tmp_path / "data" / "Trash" / "files" / taken.name / METRICS_FILE).is_file()
    assert "moved to" in train.log.toPlainText()


def test_use_its_settings_loads_the_runs_config_corpus_and_model_for_a_new_run(window, qtbot, tmp_path,
                                                                               reference_runs, tiny_model):
    ws = workspace_copy(reference_runs, tmp_path, window)
    page = show_runs(window, qtbot, 2)
    page.select_runs(ws / "stopped python run")
    page.actions["settings"].click()
    s = window.session
    assert (s.config.learning_rate, s.config.max_steps, s.config.output_dir) == (1e-3, 4, "")  # a new folder next
    assert window.steps.current_key() == "train"
    qtbot.waitUntil(lambda: s.model_info is not None, timeout=60000)
    assert Path(s.model_info.path) == Path(tiny_model)


def stopped_at_55_with_checkpoint_48(folder: Path) -> Path:
    """A run written by hand: stopped at step 55 of 61, its newest complete checkpoint at 48, run.json behind."""
    import json

    from bertgui.engine.folder import CONFIG_FILE, write_run
    from bertgui.events import Finished, RunStarted, event_to_dict

    folder.mkdir(parents=True)
    RunConfig(corpus=["/data/jargon.txt"], model="org/tiny-bert", max_steps=61).save(folder / CONFIG_FILE)
    started = RunStarted(total_steps=61, epochs=1.0, train_sequences=10, eval_sequences=2, train_documents=5,
                         eval_documents=1, mode="mlm", device="cpu", device_name="CPU", precision="fp32",
                         num_parameters=1000, batch_size=2, gradient_accumulation=1, max_seq_length=32)
    steps = [StepMetrics(step=i, total_steps=61, epoch=i / 61, loss=5.0 / i, mlm_loss=5.0 / i, nsp_loss=None,
                         learning_rate=1e-4, grad_norm=1.0, tokens_per_second=100.0, real_tokens=10 * i,
                         elapsed_s=float(i), eta_s=0.0) for i in range(1, 56)]
    end = Finished(step=55, stopped=True, elapsed_s=55.0, output_dir=str(folder))
    (folder / METRICS_FILE).write_text("".join(json.dumps(event_to_dict(e)) + "\n"
                                               for e in [started, *steps, end]), "utf-8")
    write_run(folder, {"format": 1, "id": "h", "created": "2026-12-01T10:12:00", "state": "stopped", "step": 48,
                       "planned_steps": 61, "sessions": []})
    ckpt = folder / "checkpoint-48"
    ckpt.mkdir()
    (ckpt / "trainer_state.json").write_text('{"global_step": 48}')
    (ckpt / "model.safetensors").write_bytes(b"")
    return folder


def test_the_train_page_after_reopening_shows_the_last_step_not_the_last_checkpoint(window, tmp_path):
    folder = stopped_at_55_with_checkpoint_48(tmp_path / "ws" / "stopped run")
    window.session.set_last_run(folder)
    progress = window.train_page.monitor.progress
    assert (progress.value(), progress.maximum()) == (55, 61)
    assert "from step 48 of 61" in window.train_page.resume_button.toolTip()  # a resume continues its checkpoint


def test_a_replanned_finished_run_says_the_steps_it_did(window, tmp_path):
    folder = stopped_at_55_with_checkpoint_48(tmp_path / "ws" / "budget run")
    lines = (folder / METRICS_FILE).read_text("utf-8").replace('"stopped": true', '"stopped": false')
    (folder / METRICS_FILE).write_text(lines, "utf-8")  # finished at 55: its budget re-planned the 61 down
    from bertgui.engine.folder import read_run, write_run

    write_run(folder, {**(read_run(folder) or {}), "state": "finished"})
    window.session.set_last_run(folder)
    assert "is finished (55 of 55 steps)" in window.train_page.monitor.progress_text.text()


def test_replayed_log_lines_carry_the_runs_time_not_the_reopening_time(window, tmp_path, monkeypatch):
    import json
    import time

    from bertgui.engine.folder import read_run, write_run
    from bertgui.events import EvalMetrics, event_to_dict

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        folder = stopped_at_55_with_checkpoint_48(tmp_path / "ws" / "earlier run")
        write_run(folder, {**(read_run(folder) or {}), "sessions": [{"kind": "start", "at": "2026-12-01T14:11:00+0000"}]})
        lines = (folder / METRICS_FILE).read_text("utf-8").splitlines()
        before = EvalMetrics(step=0, when="before", split="eval", mlm_loss=2.0, perplexity=7.4, masked_accuracy=0.3)
        after = EvalMetrics(step=55, when="after", split="eval", mlm_loss=1.0, perplexity=2.7, masked_accuracy=0.5)
        lines = [lines[0], json.dumps(event_to_dict(before)), *lines[1:-1], json.dumps(event_to_dict(after)), lines[-1]]
        (folder / METRICS_FILE).write_text("\n".join(lines) + "\n", "utf-8")
        window.session.set_last_run(folder)
        log = window.train_page.monitor.log.toPlainText().splitlines()
        evaluations = [line for line in log if "Evaluation" in line]
        assert [line[:10] for line in evaluations] == ["[14:11:00]", "[14:11:55]"]  # start, and 55 s of steps later
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
