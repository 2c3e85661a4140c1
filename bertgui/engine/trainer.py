"""``transformers.Trainer`` with bertgui's loss: fast masked-only MLM head, NSP, exact gradient-accumulation scaling.

WHY a subclass: the stock loss of BERT models is a per-micro-batch mean and the models do not take
``num_items_in_batch``, so with gradient accumulation the Trainer would average means (wrong when micro-batches hold
different numbers of masked tokens). Here ``get_batch_samples`` counts the masked tokens and sequences of the whole
accumulated batch (summed over processes), ``compute_loss`` divides the *summed* losses by them and says so with
``loss_is_scaled_for_ga = True``: batch 4 × accumulation 4 logs and trains exactly like batch 16.

A batch whose padded size exceeds ``forward_token_budget`` is run as several forwards/backwards over slices of its
rows (each slice trimmed to its own longest row) before the one optimizer step: the same gradient, since the
losses are sums normalised by the counts of the whole batch, but the activations of only one slice in memory.
WHY: activations of a 16 × 512 batch dominate peak memory on a CPU (≈ 1.7 GB of 3 GB for a 6 × 384 BERT), while
matmuls of about 1 000 rows already run at full speed there (benchmarks/README.md, "Token budget").

"Train further" (more steps for a run that finished) resumes from the run's last checkpoint — weights, step count,
data position, RNG — but with a fresh optimizer and a fresh schedule over only the new steps: ``schedule_steps``
sets the schedule's length, ``fresh_optimizer`` skips loading the checkpoint's optimizer and scheduler state.

Under DDP the forward must go through the wrapper (its hooks sync gradients), so the fast loss runs *as* the model's
forward for the duration of one call (an instance attribute shadowing the class method, removed right after).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch
from transformers import Trainer

from bertgui.model.losses import IGNORE_INDEX, compute_loss_parts


class PretrainingTrainer(Trainer):
    def __init__(self, *args: Any, fast_mlm_head: bool = True, forward_token_budget: int = 0,
                 schedule_steps: int = 0, fresh_optimizer: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.schedule_steps = int(schedule_steps)
        self.fresh_optimizer = bool(fresh_optimizer)
        self.fast_mlm_head = fast_mlm_head
        self.forward_token_budget = forward_token_budget
        self.model_accepts_loss_kwargs = False
        self.loss_is_scaled_for_ga = True
        self._norm: tuple[float, float] | None = None
        self._acc: torch.Tensor | None = None  # mlm part, nsp part, real tokens since the last log (on device)
        self._has_nsp = False
        self.real_tokens_total = 0
        self.last_logged: dict[str, float] = {}

    # -------------------------------------------------------------------------------------------- sessions
    def create_scheduler(self, num_training_steps: int, optimizer: Any = None) -> Any:
        return super().create_scheduler(self.schedule_steps or num_training_steps, optimizer)

    def _load_optimizer_and_scheduler(self, checkpoint: str | None) -> None:
        if not self.fresh_optimizer:
            super()._load_optimizer_and_scheduler(checkpoint)

    def _issue_warnings_after_load(self, load_result: Any) -> None:
        """Leave out the expected "missing keys" of tied weights (the MLM decoder *is* the word embeddings).

        WHY: safetensors stores a tied tensor once, so loading a checkpoint always "misses" the decoder; the
        warning alarmed people although nothing was lost. Any other missing key is still reported.
        """
        tied = _tied_names(self.model)
        missing = [k for k in load_result.missing_keys if k not in tied]
        if len(missing) != len(load_result.missing_keys):
            self.model.tie_weights()
        load_result.missing_keys[:] = missing
        super()._issue_warnings_after_load(load_result)

    # -------------------------------------------------------------------------------------------- counting
    def get_batch_samples(self, epoch_iterator: Iterator, num_batches: int, device: torch.device
                          ) -> tuple[list, Any]:
        batch_samples, num_items = super().get_batch_samples(epoch_iterator, num_batches, device)
        if batch_samples:
            counts = torch.tensor([
                float(sum(int(b["labels"].ne(IGNORE_INDEX).sum()) for b in batch_samples)),
                float(sum(int(b["labels"].shape[0]) for b in batch_samples)),
            ], device=device)
            if self.args.world_size > 1:
                counts = self.accelerator.reduce(counts, reduction="sum")
            self._norm = (max(float(counts[0]), 1.0), max(float(counts[1]), 1.0))
        return batch_samples, num_items

    # -------------------------------------------------------------------------------------------- slicing
    def training_step(self, model: torch.nn.Module, inputs: dict[str, Any],
                      num_items_in_batch: Any = None) -> torch.Tensor:
        slices = split_batch(inputs, self.forward_token_budget)
        if len(slices) == 1:
            return super().training_step(model, slices[0], num_items_in_batch)
        total: torch.Tensor | None = None
        for i, part in enumerate(slices):
            last = i == len(slices) - 1
            # DDP: synchronise gradients once, on the last slice (inside an outer no_sync nothing syncs anyway)
            sync = contextlib.nullcontext() if last or self.args.world_size == 1 else self.accelerator.no_sync(model)
            with sync:
                loss = super().training_step(model, part, num_items_in_batch)
            total = loss if total is None else total + loss
        assert total is not None
        return total

    # -------------------------------------------------------------------------------------------- the loss
    def compute_loss(self, model: torch.nn.Module, inputs: dict[str, Any], return_outputs: bool = False,
                     num_items_in_batch: Any = None) -> Any:
        inner = self.accelerator.unwrap_model(model)
        fast = self.fast_mlm_head

        def loss_forward(**batch: Any) -> dict[str, torch.Tensor]:
            del inner.forward  # the class forward again, for the stock path inside
            try:
                parts = compute_loss_parts(inner, batch, fast=fast)
            finally:
                inner.forward = loss_forward
            out = {"mlm_sum": parts.mlm_sum, "masked": parts.masked.float()}
            if parts.nsp_sum is not None:
                out["nsp_sum"] = parts.nsp_sum
            return out

        inner.forward = loss_forward
        try:
            out = model(**inputs)
        finally:
            with contextlib.suppress(AttributeError):
                del inner.forward
        sequences = float(inputs["input_ids"].shape[0])
        if model.training and self._norm is not None:
            masked_total, seq_total = self._norm
            scale = float(self.args.world_size)  # DDP averages gradients over processes: undo it
        else:  # evaluation-style call: a plain per-batch mean
            masked_total, seq_total, scale = max(float(out["masked"]), 1.0), sequences, 1.0
        mlm = out["mlm_sum"] / masked_total * scale
        loss = mlm
        nsp = None
        if "nsp_sum" in out:
            nsp = out["nsp_sum"] / seq_total * scale
            loss = loss + nsp
            self._has_nsp = True
        if model.training:
            # no .item() here: a host sync per micro-batch would stall the GPU; read once per log
            tokens = (inputs["attention_mask"].sum() if "attention_mask" in inputs
                      else torch.tensor(inputs["input_ids"].numel(), device=mlm.device))
            zero = torch.zeros((), device=mlm.device)
            row = torch.stack([mlm.detach().float(), (nsp.detach().float() if nsp is not None else zero),
                               tokens.float()])
            self._acc = row if self._acc is None else self._acc + row
        return (loss, out) if return_outputs else loss

    # -------------------------------------------------------------------------------------------- logging
    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        if "loss" in logs:
            acc = self._acc if self._acc is not None else torch.zeros(3, device=self.args.device)
            self._acc = None
            if self.args.world_size > 1:
                acc = self.accelerator.reduce(acc.to(self.args.device), reduction="sum")
            acc = acc.double().cpu()
            steps = max(1, self.state.global_step - getattr(self, "_bertgui_last_step", 0))
            self._bertgui_last_step = self.state.global_step
            world = float(self.args.world_size)
            logs["mlm_loss"] = float(acc[0]) / world / steps
            if self._has_nsp:
                logs["nsp_loss"] = float(acc[1]) / world / steps
            logs["real_tokens"] = float(acc[2])
            self.real_tokens_total += int(acc[2])
        super().log(logs, start_time)

    # -------------------------------------------------------------------------------------------- batches by tokens
    def get_train_dataloader(self) -> Any:
        """Batches by tokens when the dataset asks for them (``tokens_per_batch`` > 0), else the stock loader.

        The batches are a fixed list (data/batching.py), so the stock resume (skip the first N batches) lands on
        the same batch, and ``accelerator.prepare`` shards them over processes as it shards any batch sampler.
        """
        from functools import partial

        from torch.utils.data import DataLoader
        from transformers.trainer_utils import seed_worker

        from bertgui.data.batching import TokenBatchSampler
        from bertgui.data.pairs import PretrainingDataset

        dataset = self.train_dataset
        if not isinstance(dataset, PretrainingDataset) or dataset.tokens_per_batch <= 0:
            return super().get_train_dataloader()
        args = self.args
        workers = args.dataloader_num_workers
        loader = DataLoader(
            dataset, batch_sampler=TokenBatchSampler(dataset.token_batches()),
            collate_fn=self._get_collator_with_removed_columns(self.data_collator, description="Training"),
            num_workers=workers, pin_memory=args.dataloader_pin_memory,
            persistent_workers=args.dataloader_persistent_workers and workers > 0,
            prefetch_factor=args.dataloader_prefetch_factor if workers > 0 else None,
            worker_init_fn=partial(seed_worker, num_workers=workers, rank=args.process_index))
        return self.accelerator.prepare(loader)


def _tied_names(model: torch.nn.Module) -> set[str]:
    """Names of parameters that share their tensor with an earlier parameter (tied weights)."""
    seen: dict[int, str] = {}
    tied: set[str] = set()
    for name, p in model.named_parameters(remove_duplicate=False):
        key = p.data_ptr()
        if key in seen:
            tied.add(name)
        else:
            seen[key] = name
    return tied


def split_batch(inputs: dict[str, Any], budget: int) -> list[dict[str, Any]]:
    """Slices of a padded batch whose rows × length stay within ``budget`` positions (0: no split).

    Rows are taken longest first and each slice is cut to its own longest row, so slicing also removes padding.
    Padding is on the right (the collator's), so cutting columns off the end drops only padding.
    """
    ids = inputs.get("input_ids")
    if budget <= 0 or not isinstance(ids, torch.Tensor) or ids.dim() != 2 or ids.numel() <= budget:
        return [inputs]
    rows, width = ids.shape
    mask = inputs.get("attention_mask")
    lengths = (mask.sum(dim=1) if isinstance(mask, torch.Tensor) else torch.full((rows,), width)).cpu()
    order = torch.argsort(lengths, descending=True, stable=True).tolist()
    lengths_list = lengths.tolist()
    slices: list[dict[str, Any]] = []
    start = 0
    while start < rows:
        longest = max(1, int(lengths_list[order[start]]))
        take = max(1, min(rows - start, budget // longest))
        index = torch.tensor(order[start:start + take], device=ids.device)
        part: dict[str, Any] = {}
        for key, value in inputs.items():
            if isinstance(value, torch.Tensor) and value.dim() >= 1 and value.shape[0] == rows:
                value = value.index_select(0, index)
                if value.dim() == 2 and value.shape[1] == width:
                    value = value[:, :longest]
            part[key] = value
        slices.append(part)
        start += take
    return slices


def head_parameter_names(model: torch.nn.Module) -> set[str]:
    """Parameters of the MLM/NSP heads and the pooler (what ``loading.HEAD_PREFIXES`` calls heads).

    A tied decoder weight is the word-embedding matrix itself; ``named_parameters`` lists it once, under the
    encoder's name, so it stays frozen with the encoder (the head's transform and bias still learn).
    """
    from bertgui.model.loading import HEAD_PREFIXES

    return {name for name, _ in model.named_parameters() if name.startswith(tuple(HEAD_PREFIXES))}


def freeze_encoder(model: torch.nn.Module, frozen: bool) -> int:
    """Switch ``requires_grad`` of every non-head parameter; returns how many tensors changed.

    WHY requires_grad and not a second optimizer: the Trainer's AdamW already holds every parameter; a parameter
    without a gradient is skipped by AdamW (no update, no weight decay, moments untouched), so the encoder does not
    move while frozen and resumes from the same optimizer afterwards.
    """
    heads = head_parameter_names(model)
    changed = 0
    for name, p in model.named_parameters():
        if name not in heads and p.requires_grad == frozen:
            p.requires_grad_(not frozen)
            changed += 1
    return changed


def head_warmup_callback(model: torch.nn.Module, share: float, *, note: Any = None,
                         heads: list[str] | None = None) -> Any:
    """A TrainerCallback: the first ``share`` of the steps train only the heads, then the whole model.

    WHY: a randomly initialised MLM head sends large, meaningless gradients into a pre-trained encoder during the
    first steps (sentence-transformers checkpoints such as all-MiniLM-L6-v2 ship no MLM head), which erases part of
    what the encoder knew before the head has learnt anything. Steps are counted from ``state.max_steps`` at the
    start of training, so the share follows a time-budget plan too. On resume past the head phase nothing is frozen.
    """
    from transformers import TrainerCallback

    class HeadWarmupCallback(TrainerCallback):
        def __init__(self) -> None:
            self.warm_steps = 0
            self.frozen = False
            self.unfrozen_at: int | None = None

        def on_train_begin(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            self.warm_steps = int(round(share * state.max_steps))
            if state.global_step < self.warm_steps:
                freeze_encoder(model, True)
                self.frozen = True
                if note is not None:
                    note(f"{', '.join(heads or ['heads'])} started at random: trained alone (encoder frozen) for "
                         f"the first {self.warm_steps} of {state.max_steps} steps, then the whole model.")

        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            if self.frozen and state.global_step >= self.warm_steps:
                freeze_encoder(model, False)
                self.frozen = False
                self.unfrozen_at = state.global_step

        def on_train_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            if self.frozen:  # a run stopped inside the head phase: leave a normal, trainable model behind
                freeze_encoder(model, False)
                self.frozen = False

    return HeadWarmupCallback()
