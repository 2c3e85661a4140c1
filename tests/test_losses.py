"""The fast masked-only MLM loss must equal the models' own loss (same batch, same weights), gradients included."""

from __future__ import annotations

import pytest
import torch

from bertgui.model.losses import compute_loss_parts, mlm_head, stock_loss, supports_fast_loss

V, B, L = 120, 4, 16


def _batch(nsp: bool) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(5, V, (B, L), generator=g)
    am = torch.ones(B, L, dtype=torch.long)
    am[0, 10:] = 0
    labels = torch.full((B, L), -100)
    sel = torch.rand(B, L, generator=g) < 0.3
    sel[:, 1] = True
    labels[sel] = ids[sel]
    labels[0, 10:] = -100
    batch = {"input_ids": ids, "attention_mask": am, "token_type_ids": torch.zeros_like(ids), "labels": labels}
    if nsp:
        batch["next_sentence_label"] = torch.tensor([0, 1, 0, 1])
    return batch


def _models() -> list[tuple[str, torch.nn.Module, bool]]:
    from transformers import (
        BertConfig,
        BertForMaskedLM,
        BertForPreTraining,
        DistilBertConfig,
        DistilBertForMaskedLM,
        RobertaConfig,
        RobertaForMaskedLM,
    )

    torch.manual_seed(0)
    bert = {"vocab_size": V, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2,
            "intermediate_size": 64}
    return [
        ("bert-pretraining", BertForPreTraining(BertConfig(**bert)), True),
        ("bert-mlm", BertForMaskedLM(BertConfig(**bert)), False),
        ("distilbert", DistilBertForMaskedLM(DistilBertConfig(vocab_size=V, dim=32, n_layers=2, n_heads=2,
                                                              hidden_dim=64)), False),
        ("roberta", RobertaForMaskedLM(RobertaConfig(**bert, type_vocab_size=1, pad_token_id=1)), False),
    ]


@pytest.mark.parametrize("index", range(4))
def test_fast_loss_equals_stock_loss_and_gradients(index: int) -> None:
    name, model, nsp = _models()[index]
    model.eval()  # no dropout: both paths see the same network
    assert supports_fast_loss(model), name
    batch = _batch(nsp)
    fast = compute_loss_parts(model, batch, fast=True)
    assert (fast.nsp_sum is not None) == nsp
    fast_loss = fast.mean()
    fast_loss.backward()
    fast_grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
    model.zero_grad()
    ref = stock_loss(model, batch)
    ref.backward()
    assert fast_loss.item() == pytest.approx(ref.item(), abs=1e-5), name
    for n, p in model.named_parameters():
        if p.grad is not None:
            assert torch.allclose(fast_grads[n], p.grad, atol=1e-5), (name, n)
    slow = compute_loss_parts(model, batch, fast=False).mean()
    assert slow.item() == pytest.approx(ref.item(), abs=1e-5)


def test_sums_and_counts() -> None:
    _, model, _ = _models()[0]
    model.eval()
    batch = _batch(True)
    parts = compute_loss_parts(model, batch, with_accuracy=True)
    assert int(parts.masked) == int((batch["labels"] != -100).sum())
    assert parts.sequences == B
    assert 0 <= int(parts.mlm_correct) <= int(parts.masked)
    assert 0 <= int(parts.nsp_correct) <= B
    no_nsp = compute_loss_parts(model, batch, nsp=False)
    assert no_nsp.nsp_sum is None


def test_unknown_architecture_uses_the_models_own_forward() -> None:
    class Plain(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = torch.nn.Embedding(V, 8)
            self.out = torch.nn.Linear(8, V)

        def forward(self, input_ids: torch.Tensor, return_dict: bool = True) -> object:
            class Out:
                pass
            o = Out()
            o.logits = self.out(self.emb(input_ids))
            return o

    m = Plain()
    assert mlm_head(m) is None
    batch = _batch(False)
    parts = compute_loss_parts(m, batch)
    logits = m(batch["input_ids"]).logits
    ref = torch.nn.functional.cross_entropy(logits.view(-1, V), batch["labels"].view(-1))
    assert parts.mean().item() == pytest.approx(ref.item(), abs=1e-5)
