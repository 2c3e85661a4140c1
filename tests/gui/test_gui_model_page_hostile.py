"""The Model page against hostile folders: each is refused (or, for pickle, questioned) within two seconds.

The refusals must not wait for torch and transformers to load: on a busy machine that import took minutes while the
page said "Reading …". The test makes the import slow on purpose (``warm_imports`` sleeps first), so a page that
imports the ML stack before looking at the folder misses the time bound.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtWidgets import QMessageBox

from bertgui.gui.pages import model_page
from bertgui.gui.steps import StepState
from tests.bad_inputs import hostile_models as hm

BOUND_MS = 2000
SLOW_IMPORT_S = 6.0

FOLDERS = {
    "auto-map": (lambda tiny, dst, marker: hm.remote_code(tiny, dst, marker), "never runs"),
    "tokenizer-auto-map": (lambda tiny, dst, marker: hm.remote_tokenizer(tiny, dst, marker), "never runs"),
    "no-tokenizer-files": (lambda tiny, dst, marker: hm.no_tokenizer(tiny, dst), "no tokenizer files"),
    "broken-config": (lambda tiny, dst, marker: hm.broken_config(tiny, dst), "config.json cannot be read"),
    "missing-weights": (lambda tiny, dst, marker: hm.no_weights(tiny, dst), "no weights"),
    "missing-config": (lambda tiny, dst, marker: hm.no_config(tiny, dst), "no config.json"),
    "does-not-exist": (lambda tiny, dst, marker: dst, "does not exist"),
    "a-file": (lambda tiny, dst, marker: _a_file(dst), "is a file"),
}


def _a_file(path):
    path.write_bytes(bytes(64))
    return path


@pytest.fixture
def slow_imports(monkeypatch):
    """The ML stack takes seconds to import (minutes on a loaded machine): model it, for the page's worker."""
    real = model_page.warm_imports

    def slow() -> None:
        time.sleep(SLOW_IMPORT_S)
        real()

    monkeypatch.setattr(model_page, "warm_imports", slow)


@pytest.mark.parametrize("kind", list(FOLDERS))
def test_a_hostile_folder_is_refused_at_once(kind, window, qtbot, tiny_model, tmp_path, slow_imports):
    build, message = FOLDERS[kind]
    marker = tmp_path / "MARKER"
    folder = build(tiny_model, tmp_path / kind, marker)
    before = hm.snapshot(folder) if folder.exists() else {}
    page = window.model_page
    window.show_step("model")
    started = time.monotonic()
    page.choose(str(folder))
    qtbot.waitUntil(lambda: not page.error.isHidden(), timeout=BOUND_MS)
    elapsed = time.monotonic() - started
    assert message in page.error.text(), page.error.text()
    assert elapsed < BOUND_MS / 1000
    assert window.session.model_info is None
    assert window.steps.states["model"] is StepState.PROBLEM
    assert "Reading" not in page.info.text()
    page.tasks.wait()
    assert not marker.exists(), "the folder's code ran"
    assert (hm.snapshot(folder) if folder.exists() else {}) == before


def test_pickle_only_asks_at_once_and_no_is_the_default(window, qtbot, tiny_model, tmp_path, slow_imports):
    folder = hm.pickle_only(tiny_model, tmp_path / "pickled")
    page = window.model_page
    window.show_step("model")
    page.choose(str(folder))
    qtbot.waitUntil(lambda: getattr(page, "pickle_question", None) is not None, timeout=BOUND_MS)
    box = page.pickle_question
    assert box.isVisible()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    risk = (box.text() + " " + box.informativeText()).lower()
    assert "pickle" in risk and "run code" in risk and "trust" in risk
    assert "Reading" not in page.info.text()  # the page says it waits for the answer, not that it is still reading
    assert window.session.model_info is None
    box.done(QMessageBox.StandardButton.No)
    page.tasks.wait()
    assert window.session.model_info is None
    assert window.steps.states["model"] is StepState.PROBLEM


def test_a_tokenizer_that_does_not_fit_the_model_is_refused(window, qtbot, tiny_model, sample_corpus, tmp_path):
    folder = hm.small_tokenizer(tiny_model, tmp_path / "small-tokenizer", sample_corpus)
    page = window.model_page
    page.choose(str(folder))
    qtbot.waitUntil(lambda: not page.error.isHidden(), timeout=60000)
    assert "does not fit the model" in page.error.text(), page.error.text()
    assert window.session.model_info is None
