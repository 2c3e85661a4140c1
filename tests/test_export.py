"""Export: a folder stock transformers loads unchanged (three ways), same logits, tied decoder, card, atomicity."""

from __future__ import annotations

import json

import pytest
import torch

from bertgui.config import RunConfig
from bertgui.engine import train
from bertgui.results.export import ExportError, export_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory, sample_corpus, tiny_model):
    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("export-run")
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp / "run"), max_steps=4,
                       batch_size=8, max_seq_length=48, learning_rate=1e-3, checkpoint_every=100, log_every=1,
                       eval_share=0.1).validate()
    result = train(config, None, cache_dir=tmp / "cache", num_proc=1)
    assert result.failed is None, result.failed
    return result, config


def test_export_round_trip_through_stock_transformers(trained, tmp_path) -> None:
    from transformers import AutoModel, AutoModelForMaskedLM, AutoTokenizer, BertForPreTraining, pipeline

    result, config = trained
    steps = []
    target = export_model(result, tmp_path / "exported", config=config,
                          progress=lambda d, t, m: steps.append((d, t, m)))
    assert steps[-1][0] == steps[-1][1]
    names = {p.name for p in target.iterdir()}
    assert {"config.json", "model.safetensors", "README.md", "loss.png", "loss.csv", "bertgui.toml",
            "tokenizer_config.json"} <= names
    assert not [p for p in target.parent.iterdir() if p.name.startswith(".exported")]  # temp folder gone

    tok = AutoTokenizer.from_pretrained(target)
    text = f"The {tok.mask_token} statement is executed when the loop ends."
    inputs = tok(text, return_tensors="pt")
    model = result.model.eval()
    with torch.no_grad():
        ref = model(**{k: v.to(model.device) for k, v in inputs.items()}).prediction_logits
        mlm = AutoModelForMaskedLM.from_pretrained(target).eval()
        assert mlm.get_output_embeddings().weight.data_ptr() == mlm.get_input_embeddings().weight.data_ptr()
        assert torch.allclose(mlm(**inputs).logits, ref, atol=1e-5)
        full = BertForPreTraining.from_pretrained(target).eval()
        assert torch.allclose(full(**inputs).prediction_logits, ref, atol=1e-5)  # NSP head kept too
        assert torch.equal(full.cls.seq_relationship.weight, model.cls.seq_relationship.weight)
        enc = AutoModel.from_pretrained(target).eval()
        assert torch.allclose(enc(**inputs).last_hidden_state, model.bert(**inputs).last_hidden_state, atol=1e-5)
    fill = pipeline("fill-mask", model=str(target), top_k=3)
    out = fill(text)
    mask_pos = int((inputs["input_ids"][0] == tok.mask_token_id).nonzero()[0])
    expected = torch.topk(ref[0, mask_pos], 3).indices.tolist()
    assert [o["token"] for o in out] == expected

    card = (target / "README.md").read_text(encoding="utf-8")
    meta = card.split("---")[1]
    assert "library_name: transformers" in meta and "pipeline_tag: fill-mask" in meta and "tags:" in meta
    assert "BertForPreTraining" in card and "| MLM loss |" in card and "loss.png" in card
    assert (target / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = (target / "loss.csv").read_text().splitlines()
    assert rows[0].startswith("step,") and len(rows) == 1 + 4
    assert RunConfig.load(target / "bertgui.toml").max_steps == 4


def test_no_overwrite_without_permission_and_export_from_the_run_folder(trained, tmp_path) -> None:
    result, config = trained
    target = tmp_path / "out"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    with pytest.raises(ExportError):
        export_model(result, target)
    assert (target / "keep.txt").read_text() == "mine"
    with pytest.raises(ExportError, match="not a model or a run bertgui wrote"):  # not even with overwrite
        export_model(result, target, overwrite=True)
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]
    target = export_model(result, tmp_path / "earlier-export", verify=False)
    # from the run folder (what the GUI has after the worker thread ended): final-model + metrics.jsonl
    export_model(result.output_dir, target, overwrite=True, verify=False)
    assert (target / "model.safetensors").exists()
    summary = json.loads((target / "bertgui_summary.json").read_text())
    assert summary["steps"] == 4 and summary["metrics"]["eval"]["after"] is not None
    assert "base_model" not in (target / "README.md").read_text().split("---")[1]  # a local path is no hub id


def test_model_card_names_a_hub_base_model() -> None:
    from bertgui.results.modelcard import model_card

    card = model_card(config=RunConfig(), summary={"steps": 3}, architecture="BertForMaskedLM",
                      model_type="bert", has_loss_curve=False)
    assert "base_model: google-bert/bert-base-uncased" in card
    assert "next-sentence-prediction" not in card
