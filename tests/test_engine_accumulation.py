"""Known trap: with gradient accumulation the Trainer must not average per-micro-batch means.

Batch 4 × accumulation 4 must log the same loss and make the same update as batch 16 on the same data. Masks are
fixed here (a deterministic collator) so the two runs see identical labels; micro-batches hold different numbers
of masked tokens, which is exactly where averaging means would go wrong.
"""

from __future__ import annotations

import pytest
import torch
from transformers import BertConfig, BertForPreTraining, TrainingArguments

from bertgui.engine.trainer import PretrainingTrainer

V, L, N = 80, 12, 32


class Items(torch.utils.data.Dataset):
    def __len__(self) -> int:
        return N

    def __getitem__(self, i: int) -> dict:
        g = torch.Generator().manual_seed(i)
        ids = torch.randint(5, V, (L,), generator=g)
        labels = torch.full((L,), -100)
        k = 1 + i % 5  # 1…5 masked tokens: unequal counts per micro-batch
        labels[1:1 + k] = ids[1:1 + k]
        ids = ids.clone()
        ids[1:1 + k] = 4
        return {"input_ids": ids, "labels": labels, "next_sentence_label": torch.tensor(i % 2)}


def collate(items: list[dict]) -> dict:
    batch = {k: torch.stack([it[k] for it in items]) for k in items[0]}
    batch["attention_mask"] = torch.ones_like(batch["input_ids"])
    batch["token_type_ids"] = torch.zeros_like(batch["input_ids"])
    return batch


def _train(tmp_path, batch: int, accumulation: int) -> tuple[float, dict[str, torch.Tensor]]:
    torch.manual_seed(0)
    model = BertForPreTraining(BertConfig(vocab_size=V, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                                          intermediate_size=64, hidden_dropout_prob=0.0,
                                          attention_probs_dropout_prob=0.0))
    args = TrainingArguments(output_dir=str(tmp_path / f"b{batch}"), per_device_train_batch_size=batch,
                             gradient_accumulation_steps=accumulation, max_steps=1, learning_rate=1e-2,
                             logging_steps=1, report_to="none", save_strategy="no", use_cpu=True,
                             train_sampling_strategy="sequential", remove_unused_columns=False, disable_tqdm=True,
                             max_grad_norm=0.0, warmup_steps=0, lr_scheduler_type="constant", seed=0)
    trainer = PretrainingTrainer(model=model, args=args, train_dataset=Items(), data_collator=collate)
    trainer.train()
    log = next(h for h in trainer.state.log_history if "loss" in h)
    return log, {n: p.detach().clone() for n, p in model.named_parameters()}


def test_accumulation_4x4_equals_batch_16(tmp_path) -> None:
    log16, params16 = _train(tmp_path, 16, 1)
    log4, params4 = _train(tmp_path, 4, 4)
    assert log4["loss"] == pytest.approx(log16["loss"], abs=1e-5)
    assert log4["mlm_loss"] == pytest.approx(log16["mlm_loss"], abs=1e-5)
    assert log4["nsp_loss"] == pytest.approx(log16["nsp_loss"], abs=1e-5)
    assert log4["grad_norm"] == pytest.approx(log16["grad_norm"], rel=1e-4)
    for name, p in params16.items():
        assert torch.allclose(p, params4[name], atol=1e-5), name


def test_the_reference_mean_of_means_differs(tmp_path) -> None:
    """The check above can fail: averaging per-micro-batch means gives a different number on this data."""
    model = BertForPreTraining(BertConfig(vocab_size=V, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                                          intermediate_size=64))
    model.eval()
    from bertgui.model.losses import compute_loss_parts

    ds = Items()
    torch.set_grad_enabled(False)
    full = compute_loss_parts(model, collate([ds[i] for i in range(16)]))
    parts = [compute_loss_parts(model, collate([ds[i] for i in range(s, s + 4)])) for s in range(0, 16, 4)]
    exact = float(full.mlm_sum / full.masked)
    mean_of_means = sum(float(p.mlm_sum / p.masked) for p in parts) / 4
    torch.set_grad_enabled(True)
    assert abs(exact - mean_of_means) > 1e-4


class Ragged(Items):
    """Items of unequal real length (right-padded with 0), so slicing must also trim padding correctly."""

    def __getitem__(self, i: int) -> dict:
        item = super().__getitem__(i)
        real = 4 + (i * 7) % (L - 4)  # 4…11 real tokens
        item["input_ids"][real:] = 0
        item["labels"][real:] = -100
        item["attention_mask"] = (torch.arange(L) < real).long()
        return item


def collate_ragged(items: list[dict]) -> dict:
    batch = {k: torch.stack([it[k] for it in items]) for k in items[0]}
    batch["token_type_ids"] = torch.zeros_like(batch["input_ids"])
    return batch


def _train_sliced(tmp_path, budget: int) -> tuple[dict, dict[str, torch.Tensor], PretrainingTrainer]:
    torch.manual_seed(0)
    model = BertForPreTraining(BertConfig(vocab_size=V, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                                          intermediate_size=64, hidden_dropout_prob=0.0,
                                          attention_probs_dropout_prob=0.0))
    args = TrainingArguments(output_dir=str(tmp_path / f"s{budget}"), per_device_train_batch_size=16,
                             max_steps=2, learning_rate=1e-2, logging_steps=1, report_to="none",
                             save_strategy="no", use_cpu=True, train_sampling_strategy="sequential",
                             remove_unused_columns=False, disable_tqdm=True, max_grad_norm=0.0, warmup_steps=0,
                             lr_scheduler_type="constant", seed=0)
    trainer = PretrainingTrainer(model=model, args=args, train_dataset=Ragged(), data_collator=collate_ragged,
                                 forward_token_budget=budget)
    calls = []
    original = trainer.compute_loss

    def counting(model, inputs, *a, **k):
        calls.append(tuple(inputs["input_ids"].shape))
        return original(model, inputs, *a, **k)

    trainer.compute_loss = counting
    trainer.train()
    trainer.calls = calls
    logs = [h for h in trainer.state.log_history if "loss" in h]
    return logs, {n: p.detach().clone() for n, p in model.named_parameters()}, trainer


def test_a_batch_sliced_by_the_token_budget_trains_like_the_whole_batch(tmp_path) -> None:
    logs_whole, params_whole, whole = _train_sliced(tmp_path, 0)
    logs_sliced, params_sliced, sliced = _train_sliced(tmp_path, 3 * L)
    assert all(shape[0] == 16 for shape in whole.calls) and len(whole.calls) == 2
    assert len(sliced.calls) >= 2 * 3, sliced.calls  # every batch ran as several slices…
    assert all(rows * width <= 3 * L for rows, width in sliced.calls)  # …each within the budget…
    assert any(width < L for _, width in sliced.calls)  # …and cut to its own longest row
    for a, b in zip(logs_whole, logs_sliced, strict=True):
        for key in ("loss", "mlm_loss", "nsp_loss", "grad_norm"):
            assert b[key] == pytest.approx(a[key], rel=1e-4, abs=1e-5), key
    for name, p in params_whole.items():
        assert torch.allclose(p, params_sliced[name], atol=1e-5), name


def test_split_batch_keeps_every_row_and_drops_only_padding() -> None:
    from bertgui.engine.trainer import split_batch

    batch = collate_ragged([Ragged()[i] for i in range(16)])
    batch["next_sentence_label"] = torch.arange(16)
    parts = split_batch(batch, 20)
    assert sorted(int(x) for p in parts for x in p["next_sentence_label"]) == list(range(16))
    for part in parts:
        for row, label in enumerate(part["next_sentence_label"].tolist()):
            width = part["input_ids"].shape[1]
            assert torch.equal(part["input_ids"][row], batch["input_ids"][label, :width])
            assert int(batch["attention_mask"][label, width:].sum()) == 0  # only padding was cut
            assert torch.equal(part["labels"][row], batch["labels"][label, :width])
    assert split_batch(batch, 0) == [batch]
    assert split_batch(batch, 16 * L) == [batch]
