"""Batches by tokens (training.tokens_per_step): reproducible, bounded, grouped by length, and the Trainer's schedule
as long as the batches the run's data holds."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from bertgui.config import RunConfig
from bertgui.data.batching import micro_batch_tokens, pack, token_batches
from bertgui.data.pairs import PretrainingDataset
from bertgui.errors import ConfigError
from tests.test_pairs import make_corpus

BUDGET = 256


@pytest.fixture(scope="module")
def tokenizer(tiny_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


def _corpus():
    rng = np.random.default_rng(7)  # documents of very different lengths: short paragraphs and long chapters
    return make_corpus([[int(n) for n in rng.integers(3, 40, int(k))] for k in rng.integers(2, 14, 60)])


def _dataset(tokenizer, *, seed: int = 42, window: int = 8, budget: int = BUDGET, nsp: bool = True,
             epochs: float = 2) -> PretrainingDataset:
    return PretrainingDataset(_corpus(), tokenizer, max_seq_length=64, nsp=nsp, seed=seed, epochs=epochs,
                              group_by_length=window, batch_size=4, tokens_per_batch=budget)


def _lengths(ds: PretrainingDataset) -> np.ndarray:
    return np.concatenate([ds.sequence_lengths(e) for e in range(ds.n_epochs)])


def test_same_seed_same_batches(tokenizer) -> None:
    first = _dataset(tokenizer).token_batches().batches
    again = _dataset(tokenizer).token_batches().batches
    assert [b.tolist() for b in first] == [b.tolist() for b in again]


def test_another_seed_other_batches(tokenizer) -> None:
    first = _dataset(tokenizer, seed=1).token_batches().batches
    other = _dataset(tokenizer, seed=2).token_batches().batches
    assert [b.tolist() for b in first] != [b.tolist() for b in other]


def test_every_sequence_once_per_run(tokenizer) -> None:
    ds = _dataset(tokenizer, epochs=1.5)
    taken = np.concatenate(ds.token_batches().batches)
    assert sorted(taken.tolist()) == list(range(len(ds)))


@pytest.mark.parametrize("window", [0, 8])
def test_batches_stay_within_the_budget_and_fill_it(tokenizer, window) -> None:
    ds = _dataset(tokenizer, window=window)
    lengths = _lengths(ds)
    sums = [int(lengths[b].sum()) for b in ds.token_batches().batches]
    assert max(sums) <= BUDGET
    # a batch closes only when the next sequence would not fit: all but the last of each window are nearly full
    assert np.median(sums) > BUDGET - int(lengths.max())


@pytest.mark.parametrize("nsp", [True, False])
def test_the_items_are_the_real_tokens_counted(tokenizer, nsp) -> None:
    ds = _dataset(tokenizer, nsp=nsp)
    batch = ds.token_batches().batches[3]
    assert sum(len(ds[int(i)]["input_ids"]) for i in batch) == int(_lengths(ds)[batch].sum())


def test_length_grouping_keeps_padding_small(tokenizer) -> None:
    def padding_share(window: int) -> float:  # MLM-only: segments as long as their documents allow
        ds = _dataset(tokenizer, window=window, nsp=False)
        lengths = _lengths(ds)
        batches = ds.token_batches().batches
        padded = sum(len(b) * int(lengths[b].max()) for b in batches)
        return 1 - int(lengths.sum()) / padded

    grouped, plain = padding_share(8), padding_share(0)
    assert grouped < 0.5 * plain


def test_a_sequence_longer_than_the_budget_gets_a_batch_alone() -> None:
    assert [b.tolist() for b in pack(np.array([3, 9, 2, 2]), 4)] == [[0], [1], [2, 3]]


def test_rows_can_be_capped() -> None:
    batches = token_batches(np.ones(10, dtype=np.int64), 100, window=0, seed=0, max_rows=4)
    assert [len(b) for b in batches] == [4, 4, 2]


def test_the_step_is_shared_over_accumulation_and_processes() -> None:
    assert micro_batch_tokens(8192, 2, 4, 512) == 1024
    with pytest.raises(ConfigError, match="tokens_per_step"):
        micro_batch_tokens(2048, 2, 4, 512)


def test_config_refuses_a_step_smaller_than_one_sequence() -> None:
    assert RunConfig(tokens_per_step=0).validate().tokens_per_step == 0
    assert RunConfig(tokens_per_step=4096, max_seq_length=512).validate().tokens_per_step == 4096
    with pytest.raises(ConfigError, match="training.tokens_per_step"):
        RunConfig(tokens_per_step=1000, max_seq_length=512, gradient_accumulation=4).validate()


# ------------------------------------------------------------------------------------------------ the Trainer
class _Seen:
    """A collator that records the real tokens of every batch the Trainer asks for."""

    def __init__(self, collator) -> None:
        self.collator = collator
        self.batches: list[list[int]] = []
        self.seeds: list[list[int]] = []  # each item's mask seed: which sequence it is

    def __call__(self, items):
        self.batches.append([len(it["input_ids"]) for it in items])
        self.seeds.append([it["mask_seed"] for it in items])
        return self.collator(items)


def _trainer(tokenizer, tiny_model, tmp_path, ds, *, accumulation: int = 1, max_steps: int = -1):
    from transformers import AutoModelForPreTraining, TrainingArguments

    from bertgui.data.masking import MaskingCollator
    from bertgui.engine.trainer import PretrainingTrainer

    model = AutoModelForPreTraining.from_pretrained(tiny_model)
    args = TrainingArguments(output_dir=str(tmp_path), per_device_train_batch_size=4, max_steps=max_steps,
                             num_train_epochs=1, gradient_accumulation_steps=accumulation, report_to="none",
                             save_strategy="no", use_cpu=True, train_sampling_strategy="sequential",
                             remove_unused_columns=False, disable_tqdm=True, logging_steps=1)
    collator = _Seen(MaskingCollator.from_config(tokenizer, RunConfig(), item_seeds=True))
    return PretrainingTrainer(model=model, args=args, train_dataset=ds, data_collator=collator), collator


def test_the_trainer_takes_the_token_batches_in_order(tokenizer, tiny_model, tmp_path) -> None:
    ds = _dataset(tokenizer, epochs=1)
    trainer, seen = _trainer(tokenizer, tiny_model, tmp_path, ds)
    loader = trainer.get_train_dataloader()
    batches = ds.token_batches().batches
    assert len(loader) == len(batches)
    for got, _ in zip(loader, range(5), strict=False):
        del got
    assert seen.seeds == [[ds[int(i)]["mask_seed"] for i in b] for b in batches[:len(seen.seeds)]]


def test_schedule_length_is_the_batches_of_the_run(tokenizer, tiny_model, tmp_path) -> None:
    """The engine sets max_steps from the token batches: the run ends on the data's last full step, no second pass."""
    torch.manual_seed(0)
    ds = _dataset(tokenizer, epochs=1, budget=512)
    tb = ds.token_batches()
    steps = tb.steps(2)
    trainer, seen = _trainer(tokenizer, tiny_model, tmp_path, ds, accumulation=2, max_steps=steps)
    trainer.train()
    assert trainer.state.global_step == steps
    assert trainer.state.epoch <= 1.0  # the schedule fits the data: nothing is trained twice
    assert len(tb) - 2 * steps < 2  # and only a last partial step is left out
    assert max(sum(b) for b in seen.batches) <= 512


def test_a_resumed_run_goes_on_with_the_next_batch(tokenizer, tiny_model, tmp_path) -> None:
    """The Trainer resumes by skipping the batches already trained on: the next one is the one it would have had."""
    from accelerate import skip_first_batches

    ds = _dataset(tokenizer, epochs=1)
    trainer, seen = _trainer(tokenizer, tiny_model, tmp_path, ds)
    resumed = skip_first_batches(trainer.get_train_dataloader(), 7)
    next(iter(resumed))
    assert seen.seeds[0] == [ds[int(i)]["mask_seed"] for i in ds.token_batches().batches[7]]


def test_epochs_for_steps_give_the_run_enough_batches(tokenizer) -> None:
    """The planner's unit: a run of N steps of T tokens asks for enough epochs that the data holds N full steps."""
    from bertgui.data.batching import epochs_for_steps

    epoch_tokens = int(_dataset(tokenizer, epochs=1).sequence_lengths(0).sum())
    for steps in (5, 150, 400):  # up to several epochs of data
        ds = _dataset(tokenizer, epochs=epochs_for_steps(steps, BUDGET, epoch_tokens))
        assert ds.token_batches().steps(1) >= steps


def test_epoch_of_step_follows_the_batches_of_each_epoch(tokenizer) -> None:
    tb = _dataset(tokenizer, epochs=2).token_batches()
    first = tb.epoch_batches[0]
    assert tb.epoch_of_step(0, 1) == 0.0
    assert tb.epoch_of_step(first // 2, 2) == pytest.approx((first // 2 * 2) / first)
    assert tb.epoch_of_step(first, 1) == 1.0
    assert tb.epoch_of_step(len(tb), 1) == 2.0
