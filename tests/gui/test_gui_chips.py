"""Token chips: layout wraps with the width, pieces of a word stay together, hover tells the original."""

from __future__ import annotations

from PySide6.QtCore import QPoint

from bertgui.gui.widgets.chips import KINDS, Chip, ChipLegend, TokenChips


def sample_chips() -> list[Chip]:
    return [Chip("[CLS]", "special"), Chip("[MASK]", "masked", "st", word=1), Chip("[MASK]", "masked", "##oic",
            word=1), Chip("##ism", "kept", "##ism", word=1), Chip("is", "none", word=2),
            Chip("banana", "random", "calm", word=3), Chip("[SEP]", "special"), Chip("禅", "none", word=4, segment=1)]


def test_chips_wrap_and_keep_words_on_one_line(qtbot):
    w = TokenChips()
    qtbot.addWidget(w)
    w.set_chips(sample_chips() * 10)
    assert w.heightForWidth(300) > w.heightForWidth(2000)
    w.resize(300, w.heightForWidth(300))
    w._ensure_layout()
    rects = w._rects
    for i in range(len(w.chips) - 1):
        if w._same_word(i, i + 1):
            assert rects[i].y() == rects[i + 1].y()  # a word's pieces never split across lines
    assert w.kinds()[:3] == ["special", "masked", "masked"]


def test_hover_text_names_kind_and_original(qtbot):
    w = TokenChips()
    qtbot.addWidget(w)
    w.set_chips(sample_chips())
    w.resize(900, w.heightForWidth(900))
    assert w.chip_at(w.chip_rect(5).center()) == 5
    assert w.chip_at(QPoint(-5, -5)) == -1
    text = w.tooltip_for(5)
    assert "random" in text and "original: calm" in text
    assert "sentence B" in w.tooltip_for(7)


def test_chips_paint_cjk_and_the_legend_lists_every_kind(qtbot):
    w = TokenChips()
    qtbot.addWidget(w)
    w.set_chips(sample_chips())
    w.resize(600, w.heightForWidth(600))
    image = w.grab().toImage()
    w._ensure_layout()
    cjk = w._rects[7]  # the 禅 chip

    def ink(img, rect) -> int:  # pixels that differ from the chip's own background colour
        bg = img.pixel(rect.left() + 2, rect.top() + 2)
        return sum(img.pixel(x, y) != bg for x in range(rect.left() + 1, rect.right())
                   for y in range(rect.top() + 1, rect.bottom()))

    painted = ink(image, cjk)
    blank = sample_chips()
    blank[7] = Chip(" ", "none", word=4, segment=1)
    w.set_chips(blank)
    w.resize(600, w.heightForWidth(600))
    empty = ink(w.grab().toImage(), cjk)
    assert painted > empty + 10  # the character's glyph was painted, not an empty chip
    legend = ChipLegend()
    qtbot.addWidget(legend)
    from PySide6.QtWidgets import QLabel

    texts = " ".join(lbl.text() for lbl in legend.findChildren(QLabel))
    assert len(KINDS) == 5 and all(word in texts for word in ("masked", "random", "kept", "not selected",
                                                              "special"))
