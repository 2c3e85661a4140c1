"""Turning the data pipeline's preview dataclasses into what the widgets draw: chips and pair cards.

Only presentation: token ids become token strings, kind codes become kind names, word starts become word
numbers. Which tokens are masked and how pairs are drawn is decided by ``bertgui.data.preview``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication

from bertgui.gui.widgets.chips import Chip
from bertgui.gui.widgets.pair_cards import PairCardData

# bertgui.data.masking kind codes: NOT_SELECTED=0, MASKED=1, RANDOM=2, KEPT=3, SPECIAL=4
KIND_BY_CODE = {0: "none", 1: "masked", 2: "random", 3: "kept", 4: "special"}
KIND_BY_NAME = {"not selected": "none", "masked": "masked", "random": "random", "kept": "kept",
                "special": "special"}


def chips_from_arrays(tokenizer: Any, input_ids: Sequence[int], original_ids: Sequence[int],
                      kinds: Sequence[int | str], word_start: Sequence[int] | None = None,
                      token_type_ids: Sequence[int] | None = None) -> list[Chip]:
    shown = tokenizer.convert_ids_to_tokens([int(i) for i in input_ids])
    originals = tokenizer.convert_ids_to_tokens([int(i) for i in original_ids])
    chips: list[Chip] = []
    word = -1
    for i, (tok, orig, k) in enumerate(zip(shown, originals, kinds, strict=True)):
        kind = KIND_BY_CODE.get(k, "none") if isinstance(k, int) else KIND_BY_NAME.get(str(k), str(k))
        if kind == "special":
            chips.append(Chip(tok, kind, "", -1, int(token_type_ids[i]) if token_type_ids is not None else 0))
            continue
        if word_start is None or int(word_start[i]) == 1 or word < 0:
            word += 1
        original = orig if kind in ("masked", "random", "kept") else ""
        chips.append(Chip(tok, kind, original, word, int(token_type_ids[i]) if token_type_ids is not None else 0))
    return chips


def chips_for(m: Any, tokenizer: Any = None) -> list[Chip]:
    """Chips for one ``bertgui.data.preview.MaskingPreview`` (one ``TokenView`` per position)."""
    chips: list[Chip] = []
    word = -1
    for t in m.tokens:
        kind = KIND_BY_NAME.get(t.kind, t.kind)
        segment = 0 if t.segment == "A" else 1
        if kind == "special":
            chips.append(Chip(t.shown, kind, "", -1, segment))
            continue
        if not t.continues_word or word < 0:
            word += 1
        chips.append(Chip(t.shown, kind, t.token if kind in ("masked", "random", "kept") else "", word, segment))
    return chips


def origin_text(source: str, document: int, sentences: tuple[int, int] | None) -> str:
    translate = QCoreApplication.translate
    if sentences is None:
        return translate("PairCards", "{0}, document {1}").format(source, document + 1)
    first, last = sentences
    where = (translate("PairCards", "sentence {0}").format(first + 1) if first == last
             else translate("PairCards", "sentences {0}–{1}").format(first + 1, last + 1))
    return translate("PairCards", "{0}, document {1}, {2}").format(source, document + 1, where)


def card_data(p: Any) -> PairCardData:
    """Card text for one ``bertgui.data.preview.PairPreview``."""
    is_next = None if p.label < 0 else p.label == 0  # bertgui.data.pairs: 0 = B follows A, 1 = random, -1 = MLM only
    return PairCardData(a_text=p.text_a, b_text=p.text_b, is_next=is_next,
                        a_origin=origin_text(p.a_source, p.a_document, p.a_sentences),
                        b_origin=origin_text(p.b_source, p.b_document, p.b_sentences) if is_next is not None
                        else "", truncated=bool(getattr(p, "truncated", False)))
