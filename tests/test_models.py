"""Base model resolution: folders, errors, safety, and what a model can train."""

from __future__ import annotations

import shutil

import pytest
import torch

from bertgui.errors import ModelError
from bertgui.model.loading import (
    MODE_MLM,
    MODE_MLM_NSP,
    PickleWeightsRefused,
    list_cached_models,
    load_model,
    resolve_model,
)


def test_new_model_loads_in_stock_transformers(tiny_model):
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    model = AutoModelForMaskedLM.from_pretrained(tiny_model)
    tok = AutoTokenizer.from_pretrained(tiny_model)
    enc = tok("The import statement binds a name.", return_tensors="pt")
    with torch.no_grad():
        logits = model(**enc).logits
    assert logits.shape[-1] == len(tok)
    assert "[unused0]" in tok.get_vocab()


def test_local_folder_resolves_and_says_what_it_trains(tiny_model):
    info = resolve_model(str(tiny_model))
    assert info.source == "folder" and info.model_type == "bert"
    assert info.modes == [MODE_MLM_NSP, MODE_MLM] and info.can_nsp
    assert info.num_layers == 2 and info.hidden_size == 64
    assert 100_000 < info.num_parameters < 2_000_000
    assert "MLM + NSP" in info.summary()


def test_loading_reports_fresh_heads(tiny_model, tmp_path):
    from transformers import BertModel

    # A checkpoint with only the encoder: both heads and nothing else must be reported as new.
    encoder_only = tmp_path / "encoder-only"
    BertModel.from_pretrained(tiny_model, add_pooling_layer=False).save_pretrained(encoder_only)
    shutil.copy(tiny_model / "tokenizer.json", encoder_only)
    shutil.copy(tiny_model / "tokenizer_config.json", encoder_only)
    loaded = load_model(resolve_model(str(encoder_only)), nsp=True)
    assert set(loaded.new_heads) == {"MLM head", "NSP head", "pooler"}
    full = load_model(resolve_model(str(tiny_model)), nsp=True)
    assert full.new_heads == [] and full.mode == MODE_MLM_NSP
    assert type(full.model).__name__ == "BertForPreTraining"
    mlm = load_model(resolve_model(str(tiny_model)), nsp=False)
    assert type(mlm.model).__name__ == "BertForMaskedLM" and mlm.mode == MODE_MLM


def test_missing_folder(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "no-such-model"))


def test_folder_without_weights(tiny_model, tmp_path):
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copy(tiny_model / "config.json", bare)
    with pytest.raises(ModelError, match="no weights"):
        resolve_model(str(bare))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(ModelError, match="no config.json"):
        resolve_model(str(empty))


def test_non_masked_lm_architecture_is_refused(tmp_path, tiny_model):
    from transformers import GPT2Config, GPT2LMHeadModel

    gpt = tmp_path / "gpt2"
    GPT2LMHeadModel(GPT2Config(n_layer=1, n_embd=32, n_head=2, vocab_size=100)).save_pretrained(gpt)
    shutil.copy(tiny_model / "tokenizer.json", gpt)  # a folder without tokenizer files is refused first
    with pytest.raises(ModelError, match="cannot do masked language modelling"):
        resolve_model(str(gpt))


def test_mlm_only_architecture(tmp_path, tiny_model):
    from transformers import DistilBertConfig, DistilBertForMaskedLM

    d = tmp_path / "distil"
    DistilBertForMaskedLM(DistilBertConfig(n_layers=1, dim=32, n_heads=2, hidden_dim=64,
                                           vocab_size=100)).save_pretrained(d)
    shutil.copy(tiny_model / "tokenizer.json", d)  # a folder without tokenizer files is refused first
    info = resolve_model(str(d))
    assert info.modes == [MODE_MLM] and not info.can_nsp


def test_pickle_only_folder_refused_by_default(tiny_model, tmp_path):
    from safetensors.torch import load_file

    pk = tmp_path / "pickled"
    pk.mkdir()
    for name in ("config.json", "tokenizer.json", "tokenizer_config.json"):
        shutil.copy(tiny_model / name, pk)
    torch.save(load_file(tiny_model / "model.safetensors"), pk / "pytorch_model.bin")
    with pytest.raises(PickleWeightsRefused, match="pickle"):
        resolve_model(str(pk))
    info = resolve_model(str(pk), allow_pickle=True)
    assert info.weights_format == "pickle"
    loaded = load_model(info, nsp=True, allow_pickle=True)
    assert loaded.new_heads == []


def test_hub_id_offline_gives_advice(monkeypatch, tmp_path):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path))
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    with pytest.raises(ModelError) as err:
        resolve_model("google-bert/bert-base-uncased")
    assert "not in the local model cache" in err.value.message
    assert "hf download google-bert/bert-base-uncased" in err.value.advice


def test_cached_models_are_listed(tiny_model, tmp_path):
    # Lay out a cache the way huggingface_hub does, with the tiny model as one snapshot.
    repo = tmp_path / "models--someone--tiny-bert"
    snap = repo / "snapshots" / ("a" * 40)
    shutil.copytree(tiny_model, snap)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text("a" * 40)
    found = list_cached_models(tmp_path)
    assert [m.repo_id for m in found] == ["someone/tiny-bert"]
    assert found[0].modes[0] == MODE_MLM_NSP
    assert list_cached_models(tmp_path / "nothing-here") == []
