"""Padding-free batches (``model/packing.py``, ``training.padding_free``): the packed row trains exactly like the
padded batch — same MLM and NSP losses, same gradients — with each attention implementation that runs on a CPU
(flex attention's document mask included), and a run with the option trains and exports a plain model."""

from __future__ import annotations

import json
import math

import pytest
import torch

from bertgui.config import RunConfig
from bertgui.errors import ConfigError
from bertgui.model.losses import compute_loss_parts
from bertgui.model.packing import PACKED_STARTS, pack_batch, packing_supported

V = 120
LENGTHS = (16, 9, 3, 12)  # unequal, so the padded batch has padding and the packed row crosses sequences


def _batch() -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    rows, width = len(LENGTHS), max(LENGTHS)
    ids = torch.randint(5, V, (rows, width), generator=g)
    am = torch.zeros(rows, width, dtype=torch.long)
    types = torch.zeros(rows, width, dtype=torch.long)
    labels = torch.full((rows, width), -100)
    for i, k in enumerate(LENGTHS):
        am[i, :k] = 1
        types[i, k // 2:k] = 1
        ids[i, k:] = 0
        sel = torch.rand(k, generator=g) < 0.4
        sel[1] = True
        labels[i, :k][sel] = ids[i, :k][sel]
    return {"input_ids": ids, "attention_mask": am, "token_type_ids": types, "labels": labels,
            "next_sentence_label": torch.tensor([0, 1, 1, 0])}


def _model(attn: str) -> torch.nn.Module:
    from transformers import BertConfig, BertForPreTraining

    torch.manual_seed(0)
    config = BertConfig(vocab_size=V, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, attention_probs_dropout_prob=0.0, attn_implementation=attn)
    model = BertForPreTraining(config)
    assert model.config._attn_implementation == attn
    model.eval()  # no hidden dropout: both paths see the same network
    return model


def test_pack_batch_lays_the_real_tokens_end_to_end() -> None:
    batch = _batch()
    packed = pack_batch(batch, "sdpa")
    total = sum(LENGTHS)
    assert packed["input_ids"].shape == (1, total)
    assert packed[PACKED_STARTS].tolist() == [0, 16, 25, 28]
    assert packed["position_ids"][0, 16:25].tolist() == list(range(9))  # positions restart at each sequence
    assert packed["input_ids"][0, 25:28].tolist() == batch["input_ids"][2, :3].tolist()
    assert int((packed["labels"] != -100).sum()) == int((batch["labels"] != -100).sum())
    mask = packed["attention_mask"]
    assert mask.shape == (1, 1, total, total)
    assert bool(mask[0, 0, 16, 24]) and not bool(mask[0, 0, 16, 25])  # within a sequence only
    assert torch.equal(packed["next_sentence_label"], batch["next_sentence_label"])


def _flex_runs_here() -> bool:
    try:
        from torch.nn.attention.flex_attention import flex_attention  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("attn", ["sdpa", "eager", "flex_attention"])
def test_packed_row_gives_the_padded_batch_losses_and_gradients(attn: str) -> None:
    if attn == "flex_attention" and not _flex_runs_here():
        pytest.skip("this PyTorch has no flex attention")
    batch = _batch()
    padded_model, packed_model = _model("sdpa"), _model(attn)
    # PyTorch 2.13's flex attention has no backward on the CPU: there its document mask is checked on the losses
    backward = attn != "flex_attention"
    with torch.set_grad_enabled(backward):
        padded = compute_loss_parts(padded_model, batch, fast=True)
        packed = compute_loss_parts(packed_model, pack_batch(batch, attn), fast=True)
    assert packed.sequences == len(LENGTHS) and packed.nsp_sum is not None
    assert int(packed.masked) == int(padded.masked)
    assert float(packed.mlm_sum) == pytest.approx(float(padded.mlm_sum), rel=1e-5)
    assert float(packed.nsp_sum) == pytest.approx(float(padded.nsp_sum), rel=1e-5)
    # the losses of a tiny random model barely depend on what attends to what: the encoder's outputs do
    # (a mask that lets sequences see each other moves them by ~1e-2)
    with torch.no_grad():
        rows = padded_model.bert(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                                 token_type_ids=batch["token_type_ids"]).last_hidden_state
        row = pack_batch(batch, attn)
        flat = packed_model.bert(input_ids=row["input_ids"], attention_mask=row["attention_mask"],
                                 token_type_ids=row["token_type_ids"], position_ids=row["position_ids"]
                                 ).last_hidden_state[0]
    assert torch.allclose(flat, rows[batch["attention_mask"].bool()], atol=1e-5)
    if not backward:
        return
    (padded.mlm_sum + padded.nsp_sum).backward()
    (packed.mlm_sum + packed.nsp_sum).backward()
    grads = dict(packed_model.named_parameters())
    for name, p in padded_model.named_parameters():
        if p.grad is None:
            continue
        assert torch.allclose(grads[name].grad, p.grad, rtol=1e-4, atol=1e-6), name


def test_padding_free_needs_attention_dropout_zero_and_the_fast_head() -> None:
    with pytest.raises(ConfigError, match="padding_free"):
        RunConfig(corpus=["x.txt"], model="m", padding_free=True, attention_dropout=0.1).validate()
    with pytest.raises(ConfigError, match="padding_free"):
        RunConfig(corpus=["x.txt"], model="m", padding_free=True, fast_mlm_head=False).validate()
    RunConfig(corpus=["x.txt"], model="m", padding_free=True).validate()


def test_a_padding_free_run_trains_and_exports_a_plain_model(tmp_path, sample_corpus, tiny_model) -> None:
    from bertgui.engine.run import Engine
    from bertgui.events import StepMetrics

    torch.set_num_threads(1)
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp_path / "run"),
                       max_steps=3, batch_size=4, max_seq_length=32, eval_share=0.0, general_sample=False,
                       replay_share=0.0, padding_free=True, device="cpu", checkpoint_every=100).validate()
    seen: list[str] = []
    original = pack_batch

    def spy(batch, attn):  # noqa: ANN001, ANN202
        seen.append(attn)
        return original(batch, attn)

    import bertgui.engine.trainer as trainer_module

    trainer_module.pack_batch = spy
    try:
        events: list = []
        engine = Engine(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)
        result = engine.run()
    finally:
        trainer_module.pack_batch = original
    assert result.ok, result.failed
    # every training batch went through the packed row; on the CPU with SDPA's dense document mask (flex attention
    # has no CPU backward in this PyTorch), and the run says so
    assert seen and set(seen) == {"sdpa"}
    assert any("padding-free" in str(n).lower() for n in result.summary.get("notes", [])), result.summary.get("notes")
    losses = [e.loss for e in events if isinstance(e, StepMetrics)]
    assert len(losses) == 3 and all(math.isfinite(x) for x in losses)
    saved = json.loads((tmp_path / "run" / "final-model" / "config.json").read_text(encoding="utf-8"))
    assert "flex" not in json.dumps(saved)  # whoever loads the export gets the library's default attention


def test_packing_is_offered_only_to_models_that_number_positions_from_zero() -> None:
    from transformers import RobertaConfig, RobertaForMaskedLM

    assert packing_supported(_model("sdpa"))
    roberta = RobertaForMaskedLM(RobertaConfig(vocab_size=V, hidden_size=32, num_hidden_layers=1,
                                               num_attention_heads=2, intermediate_size=64))
    assert not packing_supported(roberta)  # positions from pad_token_id + 1: packed rows would shift them
