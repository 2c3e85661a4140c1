"""Fresh heads (issue 14): the encoder stays frozen while a random head learns, then the whole model trains."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import torch

from bertgui.engine.heads import freeze_encoder, head_parameter_names, head_warmup_callback


@pytest.fixture(autouse=True)
def _threads() -> None:
    torch.set_num_threads(1)


def _snapshot(model: torch.nn.Module, heads: set[str]) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone() for n, p in model.named_parameters() if n not in heads}


def _changed(model: torch.nn.Module, snap: dict[str, torch.Tensor]) -> list[str]:
    return [n for n, p in model.named_parameters() if n in snap and not torch.equal(p, snap[n])]


def test_heads_are_the_heads(tiny_model) -> None:
    from transformers import BertForPreTraining

    model = BertForPreTraining.from_pretrained(tiny_model)
    heads = head_parameter_names(model)
    assert heads and all(n.startswith(("cls.", "bert.pooler")) for n in heads)
    assert "bert.embeddings.word_embeddings.weight" not in heads
    assert freeze_encoder(model, True) == len(list(model.parameters())) - len(heads)
    assert all(p.requires_grad == (n in heads) for n, p in model.named_parameters())
    freeze_encoder(model, False)
    assert all(p.requires_grad for p in model.parameters())


def test_engine_freezes_the_encoder_during_the_head_phase(tiny_model, sample_corpus, tmp_path) -> None:
    """A base model without its MLM head (a plain BertModel folder): heads alone first, then everything."""
    from transformers import BertForPreTraining, BertModel

    from bertgui.config import RunConfig
    from bertgui.engine import Engine

    encoder_only = tmp_path / "encoder-only"
    BertModel.from_pretrained(tiny_model, add_pooling_layer=False).save_pretrained(encoder_only)
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        src = tiny_model / name
        if src.exists():
            (encoder_only / name).write_bytes(src.read_bytes())
    config = RunConfig(corpus=[str(sample_corpus)], model=str(encoder_only), output_dir=str(tmp_path / "run"),
                       max_steps=6, batch_size=8, max_seq_length=48, learning_rate=5e-3, warmup_ratio=0.0,
                       checkpoint_every=100, eval_share=0.05, head_warmup_share=0.5, seed=2)
    engine = Engine(config, cache_dir=tmp_path / "cache", num_proc=1)
    seen: dict[int, list[str]] = {}
    snap: dict[str, torch.Tensor] = {}

    def watch(step: int) -> None:
        nonlocal snap
        model = engine.model
        heads = head_parameter_names(model)
        if not snap:
            snap = _snapshot(model, heads)
        seen[step] = _changed(model, snap)

    engine.fault_injector = watch  # called after every step
    start_weights: dict[str, torch.Tensor] = {}
    original_train = engine.train

    def train_and_snapshot(*a, **kw):
        start_weights.update(_snapshot(engine.model, head_parameter_names(engine.model)))
        snap.update(start_weights)
        return original_train(*a, **kw)

    engine.train = train_and_snapshot
    result = engine.run()
    assert result.ok, result.failed
    assert isinstance(result.model, BertForPreTraining)
    assert result.model is not None and "MLM head" in result.summary["new_heads"]
    assert seen[1] == [] and seen[3] == []  # steps 1..3: heads only, the encoder did not move
    assert seen[6], "the encoder must train after the head phase"
    assert any("encoder frozen" in n for n in result.summary["notes"])
    assert all(p.requires_grad for p in result.model.parameters())


def test_no_warmup_when_heads_came_with_the_checkpoint() -> None:
    model = torch.nn.Sequential(torch.nn.Linear(2, 2))
    cb = head_warmup_callback(model, 0.0)
    cb.on_train_begin(None, SimpleNamespace(global_step=0, max_steps=10), None)
    assert cb.warm_steps == 0 and all(p.requires_grad for p in model.parameters())
