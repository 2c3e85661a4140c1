"""The Model page: a folder is inspected and loaded in a worker; errors show with advice; pickle asks first."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QMessageBox

from bertgui.gui.steps import StepState


def wait_idle(qtbot, page):
    qtbot.waitUntil(lambda: not page.tasks.busy(), timeout=60000)


def test_a_model_folder_is_described(window, qtbot, tiny_model):
    page = window.model_page
    window.show_step("model")
    page.choose(str(tiny_model))
    wait_idle(qtbot, page)
    text = page.info.text()
    assert "bert" in text and "MLM + NSP" in text
    assert "2,000" in text or "2000" in text  # vocabulary size as read from the config
    assert window.steps.states["model"] is StepState.DONE
    assert window.session.model_info.path == tiny_model
    assert window.session.tokenizer.mask_token == "[MASK]"
    assert window.session.config.model == str(tiny_model)
    assert page.recent.count() == 1  # remembered in QSettings


def test_a_missing_model_is_a_problem_with_advice(window, qtbot, tmp_path):
    page = window.model_page
    page.choose(str(tmp_path / "no-such-model"))
    wait_idle(qtbot, page)
    assert not page.error.isHidden()
    assert "does not exist" in page.error.text()
    assert window.steps.states["model"] is StepState.PROBLEM
    assert window.session.model_info is None


def test_a_folder_without_weights_names_the_fix(window, qtbot, tiny_model, tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(tiny_model, broken)
    (broken / "model.safetensors").unlink()
    window.model_page.choose(str(broken))
    wait_idle(qtbot, window.model_page)
    assert "no weights" in window.model_page.error.text()


def pickled_copy(tiny_model, tmp_path):
    import torch
    from safetensors.torch import load_file

    pickled = tmp_path / "pickled"
    shutil.copytree(tiny_model, pickled)
    torch.save(load_file(pickled / "model.safetensors"), pickled / "pytorch_model.bin")
    (pickled / "model.safetensors").unlink()
    return pickled


def test_pickle_only_weights_ask_before_loading(window, qtbot, tiny_model, tmp_path):
    pickled = pickled_copy(tiny_model, tmp_path)
    page = window.model_page
    page.choose(str(pickled))
    qtbot.waitUntil(lambda: getattr(page, "pickle_question", None) is not None or not page.error.isHidden(),
                    timeout=60000)
    assert page.error.isHidden(), page.error.text()
    box = page.pickle_question
    assert "pickle" in box.text().lower()
    assert window.session.model_info is None  # nothing loaded before the answer
    box.done(QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: window.session.model_info is not None, timeout=60000)
    wait_idle(qtbot, page)
    assert window.session.model_info.weights_format == "pickle"
    assert window.session.config.allow_pickle is True


def test_declining_pickle_leaves_no_model(window, qtbot, tiny_model, tmp_path):
    pickled = pickled_copy(tiny_model, tmp_path)
    page = window.model_page
    page.choose(str(pickled))
    qtbot.waitUntil(lambda: getattr(page, "pickle_question", None) is not None or not page.error.isHidden(),
                    timeout=60000)
    assert page.error.isHidden(), page.error.text()
    page.pickle_question.done(QMessageBox.StandardButton.No)
    assert window.session.model_info is None
    assert window.steps.states["model"] is StepState.PROBLEM


def test_new_small_model_from_the_corpus(window, qtbot, sample_corpus, tmp_path):
    window.session.set_corpus([str(sample_corpus)], documents="blank-line")
    page = window.model_page
    page.new_vocab.setValue(500)
    page.new_hidden.setValue(32)
    page.new_layers.setValue(1)
    page.new_output.setText(str(tmp_path / "fresh"))
    page.create_button.click()
    qtbot.waitUntil(lambda: window.session.model_info is not None, timeout=120000)
    wait_idle(qtbot, page)
    info = window.session.model_info
    assert info.num_layers == 1 and info.hidden_size == 32
    assert "MLM head" not in page.new_heads and "NSP head" not in page.new_heads
    assert (tmp_path / "fresh" / "model.safetensors").exists()


def test_cache_list_is_filled_in_a_worker(window, qtbot, monkeypatch, tiny_model):
    import threading

    from bertgui.model import loading

    scanned_on: list[threading.Thread] = []

    def fake_scan(cache_dir=None):
        scanned_on.append(threading.current_thread())
        return [loading.CachedModel("org/tiny-bert", tiny_model, "bert", ["mlm", "mlm+nsp"], 3 * 2**20)]

    monkeypatch.setattr(loading, "list_cached_models", fake_scan)
    page = window.model_page
    window.show_step("model")
    qtbot.waitUntil(lambda: not page.cache_tasks.busy() and "Looking" not in page.cached_note.text(), timeout=10000)
    assert scanned_on and scanned_on[0] is not threading.main_thread()  # the scan ran in a worker
    assert page.cached.count() == 1
    item = page.cached.item(0)
    assert "org/tiny-bert" in item.text() and "MLM + NSP" in item.text()
    assert "1 usable models found" in page.cached_note.text()
    page.cached.setCurrentRow(0)
    chosen: list[str] = []
    monkeypatch.setattr(page, "choose", chosen.append)
    page._use_selected()
    assert chosen == ["org/tiny-bert"]
