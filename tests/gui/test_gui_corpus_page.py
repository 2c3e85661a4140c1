"""The Corpus page: files are checked in a worker, binary files are refused with advice, tables offer columns."""

from __future__ import annotations

from bertgui.gui.steps import StepState


def idle(qtbot, page):
    qtbot.waitUntil(lambda: not page.tasks.busy(), timeout=60000)


def test_a_binary_file_is_a_problem_with_advice(window, qtbot, tmp_path):
    binary = tmp_path / "report.txt"
    binary.write_bytes(b"%PDF-1.7\x00\x01\x02" * 100)
    page = window.corpus_page
    page.set_paths([str(binary)])
    idle(qtbot, page)
    assert not page.error.isHidden()
    assert "binary" in page.error.text() and "plain text" in page.error.text()
    assert window.steps.states["corpus"] is StepState.PROBLEM


def test_a_missing_file_is_a_problem(window, qtbot, tmp_path):
    page = window.corpus_page
    page.set_paths([str(tmp_path / "gone.txt")])
    idle(qtbot, page)
    assert "does not exist" in page.error.text()


def test_a_table_offers_its_columns_and_guesses_the_text_column(window, qtbot, tmp_path):
    table = tmp_path / "notes.csv"
    table.write_text("id,body,author\n1,First note. It has two sentences.,me\n2,Second note here.,you\n")
    page = window.corpus_page
    page.set_paths([str(table)])
    idle(qtbot, page)
    assert [page.column.itemText(i) for i in range(page.column.count())] == ["id", "body", "author"]
    assert page.column.currentText() == "body"
    assert window.session.config.text_column == "body"
    assert not page.column.isHidden()


def test_sample_corpus_and_recent_list(window, qtbot):
    page = window.corpus_page
    page.use_sample()
    idle(qtbot, page)
    assert page.error.isHidden()
    assert window.session.config.corpus[0].endswith("python-language-reference.txt")
    assert window.session.config.documents == "blank-line"
    assert page.recent.count() == 1
    assert page.column.isHidden()


def test_dropping_files_opens_them(window, qtbot, sample_corpus):
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_corpus))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.corpus_page.dropEvent(event)
    idle(qtbot, window.corpus_page)
    assert window.session.config.corpus == [str(sample_corpus)]


def test_statistics_follow_the_model_and_warn_in_words(window, qtbot, sample_corpus, tiny_model):
    from bertgui.model.loading import load_tokenizer, resolve_model

    page = window.corpus_page
    page.set_paths([str(sample_corpus)], documents="blank-line")
    idle(qtbot, page)
    assert "Choose a model" in page.stats.status.text()  # no tokenizer yet: says why there are no counts
    info = resolve_model(str(tiny_model))
    window.session.set_model(info, load_tokenizer(info))
    qtbot.waitUntil(lambda: window.steps.states["corpus"] in (StepState.DONE, StepState.PROBLEM), timeout=120000)
    assert window.steps.states["corpus"] is StepState.DONE, page.error.text()
    assert page.stats.figures["documents"] == "79"
    assert page.stats.status.text() == "Whole corpus."
    # The sample's long topics do not fit 128 tokens: the share is said in words.
    assert any("will be cut at 128 tokens" in w for w in page.stats.warning_lines)


def test_a_corpus_from_an_opened_config_shows_on_the_page(window, qtbot, sample_corpus, tmp_path):
    cfg = window.session.config.replace(corpus=[str(sample_corpus)], documents="blank-line")
    path = cfg.save(tmp_path / "run.toml")
    assert window.train_page.open_config(str(path))
    page = window.corpus_page
    idle(qtbot, page)
    assert [page.files.item(i).text() for i in range(page.files.count())] == [str(sample_corpus)]
    assert page.documents.currentData() == "blank-line"
