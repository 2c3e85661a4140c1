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
