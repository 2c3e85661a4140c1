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

The learning rate follows the run's :class:`~bertgui.engine.schedule.Schedule` (the planner may revise it while
the run goes); the losses and token counts go to the run's :class:`~bertgui.engine.counters.Counters`.
"Train further" (more steps for a run that finished) resumes from the run's last checkpoint — weights, step count,
data position, RNG — but with a fresh optimizer and a fresh schedule over only the new steps: ``fresh_optimizer``
skips loading the checkpoint's optimizer and scheduler state.

Under DDP the forward must go through the wrapper (its hooks sync gradients), so the fast loss runs *as* the model's
forward for the duration of one call (an instance attribute shadowing the class method, removed right after).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import torch
from transformers import Trainer

from bertgui.engine.counters import Counters
from bertgui.engine.schedule import Schedule, lr_scheduler
from bertgui.model.losses import IGNORE_INDEX, compute_loss_parts
from bertgui.model.packing import pack_batch


class PretrainingTrainer(Trainer):
    def __init__(self, *args: Any, fast_mlm_head: bool = True, forward_token_budget: int = 0,
                 schedule: Schedule | None = None, counters: Counters | None = None,
                 fresh_optimizer: bool = False, fresh_heads: set[str] | None = None, head_lr_scale: float = 1.0,
                 padding_free: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.padding_free = bool(padding_free)  # each (sliced) batch packed into one row: model/packing.py
        self.fresh_heads = set(fresh_heads or ())  # parameter names of heads the base came without
        self.head_lr_scale = float(head_lr_scale)
        self.schedule = schedule
        self.counters = counters if counters is not None else Counters()
        self.fresh_optimizer = bool(fresh_optimizer)
        self.fast_mlm_head = fast_mlm_head
        self.forward_token_budget = forward_token_budget
        self.model_accepts_loss_kwargs = False
        self.loss_is_scaled_for_ga = True
        self._norm: tuple[float, float] | None = None

    # -------------------------------------------------------------------------------------------- sessions
    def create_optimizer(self, model: Any = None) -> Any:
        """The stock AdamW groups, with the fresh heads in groups of their own at ``head_lr_scale`` × the rate.

        WHY: a head the base came without is a new layer; at the adaptation rate (5e-5) it stops following the
        encoder as the encoder adapts (an NSP head fitted to 67 % fell to 52 % in 25 steps). The split is decided
        by names alone, so a resumed run rebuilds the same groups and its optimizer state loads into them.
        """
        created = self.optimizer is None
        optimizer = super().create_optimizer(model)
        if not created or not self.fresh_heads or self.head_lr_scale == 1.0:
            return optimizer
        heads = {id(p) for n, p in (model or self.model).named_parameters() if n in self.fresh_heads}
        for group in list(optimizer.param_groups):
            moved = [p for p in group["params"] if id(p) in heads]
            if not moved:
                continue
            group["params"] = [p for p in group["params"] if id(p) not in heads]
            optimizer.add_param_group({**{k: v for k, v in group.items() if k != "params"}, "params": moved,
                                       "lr": group["lr"] * self.head_lr_scale})
        return optimizer

    def create_scheduler(self, num_training_steps: int, optimizer: Any = None) -> Any:
        """The run's own schedule (revisable, continuous); transformers' when none is given (tests, tools)."""
        if self.schedule is None:
            return super().create_scheduler(num_training_steps, optimizer)
        if self.lr_scheduler is None:
            self.lr_scheduler = lr_scheduler(optimizer or self.optimizer, self.schedule)
            self._created_lr_scheduler = True
        return self.lr_scheduler

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
        # accelerate puts mixed precision (bf16/fp16 autocast) *into* the model as an instance ``forward``; it is
        # set aside while the loss runs as the forward and put back after, and the autocast is entered here
        # explicitly, since the loss calls the encoder and head modules directly, not that wrapped forward.
        # (Replacing it once silently trained bf16 runs in fp32: benchmarks/README.md, "Levers".)
        wrapped = inner.__dict__.get("forward")
        autocast = self.accelerator.autocast
        packing = self.padding_free

        def loss_forward(**batch: Any) -> dict[str, torch.Tensor]:
            del inner.forward  # the class forward again, for the stock path inside
            if packing:
                batch = pack_batch(batch, str(getattr(inner.config, "_attn_implementation", "sdpa")))
            try:
                with autocast():
                    parts = compute_loss_parts(inner, batch, fast=fast)
            finally:
                inner.forward = loss_forward
            out = {"mlm_sum": parts.mlm_sum.float(), "masked": parts.masked.float()}
            if parts.nsp_sum is not None:
                out["nsp_sum"] = parts.nsp_sum.float()
            return out

        inner.forward = loss_forward
        try:
            out = model(**inputs)
        finally:
            with contextlib.suppress(AttributeError):
                del inner.forward
            if wrapped is not None:
                inner.forward = wrapped
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
            self.counters.has_nsp = True
        if model.training:
            # no .item() here: a host sync per micro-batch would stall the GPU; read once per log
            tokens = (inputs["attention_mask"].sum() if "attention_mask" in inputs
                      else torch.tensor(inputs["input_ids"].numel(), device=mlm.device))
            zero = torch.zeros((), device=mlm.device)
            row = torch.stack([mlm.detach().float(), (nsp.detach().float() if nsp is not None else zero),
                               tokens.float()])
            self.counters.add(row)
        return (loss, out) if return_outputs else loss

    # -------------------------------------------------------------------------------------------- logging
    def log(self, logs: dict[str, float], start_time: float | None = None) -> None:
        if "loss" in logs:
            counters = self.counters
            acc = counters.drain()
            if acc is None:
                acc = torch.zeros(3, device=self.args.device)
            if self.args.world_size > 1:
                acc = self.accelerator.reduce(acc.to(self.args.device), reduction="sum")
            acc = acc.double().cpu()
            steps = max(1, self.state.global_step - counters.last_logged_step)
            counters.last_logged_step = self.state.global_step
            world = float(self.args.world_size)
            logs["mlm_loss"] = float(acc[0]) / world / steps
            if counters.has_nsp:
                logs["nsp_loss"] = float(acc[1]) / world / steps
            logs["real_tokens"] = float(acc[2])
            counters.real_tokens += int(acc[2])
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
