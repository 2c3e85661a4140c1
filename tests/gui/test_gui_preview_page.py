"""The Preview page: pair cards and masked chips from the data pipeline; the controls update them at once."""

from __future__ import annotations

import pytest

from bertgui.gui.steps import StepState


@pytest.fixture
def preview(window, qtbot, tiny_model, sample_corpus):
    from bertgui.model.loading import load_tokenizer, resolve_model

    info = resolve_model(str(tiny_model))
    window.session.set_corpus([str(sample_corpus)], documents="blank-line")
    window.session.set_model(info, load_tokenizer(info))
    window.show()
    window.show_step("preview")
    page = window.preview_page
    qtbot.waitUntil(lambda: any(v.chips for v in page.chip_views), timeout=60000)
    qtbot.waitUntil(lambda: not page.tasks.busy(), timeout=60000)
    return page


def all_kinds(page):
    return [k for v in page.chip_views if not v.isHidden() for k in v.kinds()]


def test_cards_and_chips_show(preview, window):
    labels = preview.card_labels()
    assert len(labels) == 4
    assert all(("B follows A" in lbl) or ("B is random" in lbl) for lbl in labels)
    kinds = all_kinds(preview)
    assert kinds.count("special") >= 3 * 3  # [CLS] A [SEP] B [SEP] in each sequence
    assert "masked" in kinds
    assert window.steps.states["preview"] is StepState.DONE
    chips = [c for v in preview.chip_views for c in v.chips if c.kind == "masked"]
    assert all(c.text == "[MASK]" and c.original and c.original != "[MASK]" for c in chips)


def test_masking_probability_control_updates_the_preview_and_the_config(preview, window, qtbot):
    before = all_kinds(preview).count("masked") + all_kinds(preview).count("random") + all_kinds(preview).count(
        "kept")
    preview.mlm.setValue(0.6)
    assert window.session.config.mlm_probability == 0.6
    qtbot.waitUntil(lambda: sum(all_kinds(preview).count(k) for k in ("masked", "random", "kept")) > before * 2,
                    timeout=20000)
    assert window.train_page.form.editors["mlm_probability"].text() == "0.6"


def test_all_mask_setting_masks_every_selected_token(preview, qtbot):
    preview.mask_pct.setValue(100)
    preview.random_pct.setValue(0)
    qtbot.waitUntil(lambda: "random" not in all_kinds(preview) and "kept" not in all_kinds(preview), timeout=20000)
    assert "masked" in all_kinds(preview)
    assert preview.keep_label.text() == "kept: 0 %"


def test_an_impossible_split_is_refused_with_the_config_message(preview, window):
    preview.mask_pct.setValue(80)
    preview.random_pct.setValue(50)
    assert not preview.error.isHidden()
    assert "mask_replace_prob" in preview.error.text()
    assert window.session.config.random_replace_prob <= 0.2 + 1e-9


def test_whole_word_masking_groups_pieces(preview, window, qtbot):
    selected = ("masked", "random", "kept")

    def split_words() -> int:  # words of which some pieces are selected and others not
        n = 0
        for view in preview.chip_views:
            words: dict[int, set[bool]] = {}
            for c in view.chips:
                if c.word >= 0:
                    words.setdefault(c.word, set()).add(c.kind in selected)
            n += sum(len(s) == 2 for s in words.values())
        return n

    preview.mlm.setValue(0.5)
    preview.whole_word.setChecked(False)
    qtbot.wait(400)
    qtbot.waitUntil(lambda: not preview.tasks.busy(), timeout=20000)
    assert window.session.config.whole_word_masking is False
    assert split_words() > 0  # piece by piece: some words are cut (the check below can fail)
    preview.whole_word.setChecked(True)
    qtbot.wait(400)
    qtbot.waitUntil(lambda: not preview.tasks.busy(), timeout=20000)
    assert window.session.config.whole_word_masking is True
    assert split_words() == 0  # a word is selected whole or not at all


def test_new_sample_and_max_length(preview, qtbot):
    first = [c.text for c in preview.chip_views[0].chips]
    preview.new_sample.click()
    qtbot.waitUntil(lambda: [c.text for c in preview.chip_views[0].chips] != first, timeout=20000)
    preview.max_len.setValue(32)
    qtbot.waitUntil(lambda: all(len(v.chips) <= 32 for v in preview.chip_views), timeout=20000)
