"""The Model page's Vocabulary tab: candidates are mined in a worker, ticks are the config's vocab_add, and the
before/after figures come from the core's vocabulary_report."""

from __future__ import annotations

from PySide6.QtCore import Qt


def open_vocabulary(window, qtbot, tiny_model, sample_corpus):
    window.session.set_corpus([str(sample_corpus)], documents="blank-line")
    page = window.model_page
    window.show_step("model")
    assert not page.tabs.isTabEnabled(1)  # no model yet
    page.choose(str(tiny_model))
    qtbot.waitUntil(lambda: window.session.tokenizer is not None and not page.tasks.busy(), timeout=60000)
    assert page.tabs.isTabEnabled(1)
    page.show_vocabulary()  # opening the tab starts the mining
    panel = page.vocabulary
    qtbot.waitUntil(lambda: panel.table.rowCount() > 0 and not panel.mine_tasks.busy(), timeout=60000)
    qtbot.waitUntil(lambda: panel.last_report is not None and not panel.report_tasks.busy(), timeout=60000)
    return panel


def test_candidates_fill_the_table_with_their_pieces(window, qtbot, tiny_model, sample_corpus):
    panel = open_vocabulary(window, qtbot, tiny_model, sample_corpus)
    from bertgui.vocab.report import mine_vocabulary

    expected = mine_vocabulary([str(sample_corpus)], window.session.tokenizer, top=panel.top.value(),
                               documents="blank-line")
    assert [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())] == [c.word for c in expected]
    first = expected[0]
    assert panel.table.item(0, 1).text() == f"{first.count:,}"
    assert " ".join(first.pieces) in panel.table.item(0, 2).text()
    assert first.n_pieces > 1
    assert "%" in panel.table.item(0, 4).text()
    assert panel.ticked() == [] and window.session.config.vocab_add == []


def test_ticking_words_changes_vocab_add_and_the_figures(window, qtbot, tiny_model, sample_corpus):
    panel = open_vocabulary(window, qtbot, tiny_model, sample_corpus)
    before = panel.last_report
    assert before["before"]["tokens"] == before["after"]["tokens"]  # nothing ticked yet
    words = [c.word for c in panel.candidates]

    panel.table.item(1, 0).setCheckState(Qt.CheckState.Checked)  # as a click does
    assert window.session.config.vocab_add == [words[1]]
    panel.take_top(3)
    assert window.session.config.vocab_add == words[:3]
    panel.set_ticked(words[0], False)
    assert window.session.config.vocab_add == words[1:3]

    qtbot.waitUntil(lambda: panel.last_report is not before and panel.last_report["added"] == 2
                    and not panel.report_tasks.busy(), timeout=60000)
    r = panel.last_report
    assert r["after"]["tokens"] < r["before"]["tokens"]
    assert r["after"]["tokens_per_word"] < r["before"]["tokens_per_word"]
    text = panel.figures.text()
    assert "Tokens per word" in text and "[UNK] rate" in text
    assert f"{r['before']['tokens_per_word']:.3f}" in text and f"{r['after']['tokens_per_word']:.3f}" in text

    # The Train page's form and the saved TOML carry the same words.
    form_config = window.train_page.form.config()  # read back from the widgets
    assert form_config.vocab_add == words[1:3]
    from bertgui.config import RunConfig

    path = window.session.config.save(str(window.session.config.output_dir) + ".toml")
    assert RunConfig.load(path).vocab_add == words[1:3]


def test_reuse_unused_is_the_config_flag(window, qtbot, tiny_model, sample_corpus):
    panel = open_vocabulary(window, qtbot, tiny_model, sample_corpus)
    assert window.session.config.vocab_reuse_unused is True
    panel.reuse.setChecked(False)
    assert window.session.config.vocab_reuse_unused is False
    # A config loaded elsewhere (TOML, Train form) ticks the listed words.
    word = panel.candidates[0].word
    window.session.update_config(window.session.config.replace(vocab_add=[word, "elsewhere"]))
    assert panel.ticked() == [word]
    panel.set_ticked(word, False)
    assert window.session.config.vocab_add == ["elsewhere"]  # words not in the list stay
    qtbot.waitUntil(lambda: not panel.report_tasks.busy() and not panel._report_timer.isActive(), timeout=60000)


def test_a_general_text_file_of_the_run_ranks_the_candidates(window, qtbot, tiny_model, sample_corpus, tmp_path):
    """With the run's general-text file set, words as common there as here are left out, and the table says so."""
    panel = open_vocabulary(window, qtbot, tiny_model, sample_corpus)
    assert "general-text file" in panel.status.text() and panel.table.isColumnHidden(5)
    everyday = [c.word for c in panel.candidates[:2]]
    general = tmp_path / "general.txt"
    filler = " ".join(f"w{i % 5000}" for i in range(40000))  # enough words that absent ones count as rare
    general.write_text("\n\n".join(f"The {everyday[0]} and the {everyday[1]} are everywhere." for _ in range(400))
                       + "\n\n" + filler, encoding="utf-8")
    window.session.update_config(window.session.config.replace(general_corpus=str(general)))
    panel.find()
    qtbot.waitUntil(lambda: not panel.mine_tasks.busy(), timeout=60000)
    assert "general.txt" in panel.status.text(), panel.status.text()
    words = [c.word for c in panel.candidates]
    assert words and not set(everyday) & set(words)
    assert not panel.table.isColumnHidden(5)
    assert all(c.general_ratio is not None and c.general_ratio >= 2 for c in panel.candidates)
