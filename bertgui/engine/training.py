"""The training stage: the Trainer with bertgui's loss, collator, schedule, counters and callbacks, then its loop.

The Trainer's own arguments come from the run's config once (:func:`training_args`); the number of steps, the
learning-rate curve and the checkpoint cadence come from the run's :class:`~bertgui.engine.schedule.Schedule`,
which the planner may revise while the run goes (:class:`~bertgui.engine.schedule.ScheduleCallback` makes the
Trainer's stop condition follow it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bertgui.config import RunConfig
from bertgui.engine.counters import Counters
from bertgui.engine.device import resolve_token_budget
from bertgui.engine.schedule import Schedule, schedule_callback
from bertgui.engine.state import Folder, RunEnv


def training_args(config: RunConfig, choice: Any, world_size: int, *, learning_rate: float | None = None) -> Any:
    """transformers' ``TrainingArguments`` of the run (the schedule replaces its steps and scheduler).

    ``learning_rate``: the run's peak rate when it differs from the config's (:func:`peak_learning_rate`)."""
    from transformers import TrainingArguments

    c = config
    return TrainingArguments(
        output_dir=c.output_dir, per_device_train_batch_size=c.batch_size,
        gradient_accumulation_steps=c.gradient_accumulation,
        learning_rate=c.learning_rate if learning_rate is None else learning_rate,
        weight_decay=c.weight_decay, lr_scheduler_type=c.schedule, warmup_steps=c.warmup_ratio,
        max_steps=c.max_steps or 1, num_train_epochs=1, max_grad_norm=c.max_grad_norm or 0.0, seed=c.seed,
        bf16=choice.precision == "bf16", fp16=choice.precision == "fp16", optim=choice.optim,
        logging_steps=c.log_every, logging_nan_inf_filter=False, report_to="none",
        save_strategy="steps", save_steps=max(1, c.checkpoint_every), save_total_limit=c.keep_checkpoints,
        eval_strategy="no", train_sampling_strategy="sequential", remove_unused_columns=False,
        dataloader_num_workers=c.dataloader_workers, dataloader_pin_memory=choice.kind == "cuda",
        disable_tqdm=True, use_cpu=choice.kind == "cpu", ddp_find_unused_parameters=False,
        torch_compile=c.torch_compile, ddp_backend="gloo" if choice.kind == "cpu" and world_size > 1 else None)


def peak_learning_rate(config: RunConfig, model: Any) -> float:
    """The whole model's peak rate: ``learning_rate``, × ``headless_lr_scale`` when the base has no MLM head.

    WHY: such a base (a sentence-transformers checkpoint) was tuned contrastively after its MLM pre-training; at
    the rate that gently adapts a BERT with its heads (5e-5) five CPU minutes taught it little. Measured with
    ``benchmarks/effect.py --base shipped``: 1e-4 raised held-out masked accuracy from 3.35 × to 3.83 × the
    most-frequent-word baseline and cut perplexity 147 → 104 (licence texts, 5 minutes, 2 cores).
    The config keeps the rate the person chose; the run's summary and card say the rate it trained at.
    """
    if "MLM head" in model.fresh_heads:
        return float(config.learning_rate) * float(config.headless_lr_scale)
    return float(config.learning_rate)


def make_schedule(config: RunConfig, total_steps: int, folder: Folder) -> Schedule:
    """The run's schedule: a new one, the checkpoint's own on resume (revised to the plan now), or train further's.

    Train further: a fresh schedule over the N new steps only, from the checkpoint's step. A checkpoint of an older
    bertgui holds only ``schedule_steps`` (a train-further session's length); its schedule is rebuilt from that.
    """
    fresh = Schedule.plan(total_steps, warmup_ratio=config.warmup_ratio, shape=config.schedule,
                          checkpoint_every=config.checkpoint_every, eval_every=config.eval_every,
                          offset=folder.resumed_step if folder.train_further else 0)
    if folder.resume_dir is None or folder.train_further:
        return fresh
    if folder.saved_schedule:
        saved = Schedule.from_dict(folder.saved_schedule)
    else:
        from bertgui.engine.folder import checkpoint_state

        length = int(checkpoint_state(folder.resume_dir).get("schedule_steps", 0) or 0)
        if not length:
            return fresh
        saved = Schedule.plan(total_steps, warmup_ratio=config.warmup_ratio, shape=config.schedule,
                              offset=max(0, total_steps - length))
    saved.checkpoint_every, saved.eval_every = config.checkpoint_every, config.eval_every
    if saved.steps != total_steps:  # the plan grew after that checkpoint was written: continue it
        saved.revise(total_steps, at_step=folder.resumed_step)
    return saved


def build_trainer(env: RunEnv, config: RunConfig, args: Any, model: Any, tokenizer: Any, dataset: Any,
                  schedule: Schedule, counters: Counters, callbacks: list[Any], *, device: str,
                  fresh_optimizer: bool, fresh_heads: set[str] | None = None) -> Any:
    """The Trainer, its callbacks in order (ours first, then the schedule's, which decides the end)."""
    from transformers.trainer_callback import PrinterCallback, ProgressCallback

    from bertgui.data.masking import MaskingCollator
    from bertgui.engine.trainer import PretrainingTrainer

    args.max_steps = schedule.steps
    if schedule.checkpoint_every > 0:
        args.save_steps = schedule.checkpoint_every
    collator = MaskingCollator.from_config(tokenizer, config, item_seeds=True)
    trainer = PretrainingTrainer(model=model, args=args, train_dataset=dataset, data_collator=collator,
                                 callbacks=[*callbacks, schedule_callback(schedule)],
                                 fast_mlm_head=config.fast_mlm_head,
                                 forward_token_budget=resolve_token_budget(config.forward_token_budget, device),
                                 schedule=schedule, counters=counters, fresh_optimizer=fresh_optimizer,
                                 fresh_heads=fresh_heads, head_lr_scale=config.fresh_head_lr_scale,
                                 padding_free=config.padding_free)
    trainer.remove_callback(PrinterCallback)  # stdout belongs to the CLI (--json lines)
    trainer.remove_callback(ProgressCallback)
    return trainer


def fault_callback(inject: Callable[[int], None]) -> Any:
    """Test hook: call ``inject(step)`` after each step (it raises to simulate OOM, a full disk, …)."""
    from transformers import TrainerCallback

    class FaultCallback(TrainerCallback):
        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            inject(state.global_step)

    return FaultCallback()
