"""A max_seq_length beyond the model's position embeddings is capped at what the model holds, and said."""

from __future__ import annotations

import pytest

from bertgui.data.tokenized import cap_sequence_length, position_limit


@pytest.mark.parametrize(("model_type", "positions", "pad", "limit"), [
    ("bert", 512, 0, 512),
    ("distilbert", 512, 0, 512),
    ("modernbert", 8192, 50283, 8192),
    ("roberta", 514, 1, 512),  # positions counted from padding_idx + 1
    ("xlm-roberta", 514, 1, 512),
    ("bert", 0, 0, 0),  # unknown: no cap
])
def test_the_longest_sequence_a_model_holds(model_type, positions, pad, limit) -> None:
    assert position_limit(model_type, positions, pad) == limit


def test_a_longer_setting_is_capped_with_a_note_that_names_both_lengths() -> None:
    length, note = cap_sequence_length(1024, 512)
    assert length == 512
    assert "1024" in note and "capped at 512 tokens" in note


@pytest.mark.parametrize(("asked", "limit"), [(128, 512), (512, 512), (1024, 0)])
def test_a_setting_that_fits_is_kept_silently(asked, limit) -> None:
    assert cap_sequence_length(asked, limit) == (asked, "")
