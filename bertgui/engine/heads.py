"""Fresh MLM/NSP heads: what counts as a head, freezing the encoder, and the head phase of a run.

WHY a stage of its own: a sentence-transformers checkpoint or a plain ``BertModel`` has no MLM or NSP head, and a
random head trained together with a pre-trained encoder sends large, meaningless gradients into it during the
first steps. The heads learn alone first (the encoder frozen), then the whole model trains.
"""

from __future__ import annotations

from typing import Any

import torch


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


def head_phase(env: Any, config: Any, model: Any, notes: list[str]) -> tuple[list[Any], str | None]:
    """The head phase of a run whose base lacks a head: ``(callbacks, note)``.

    Today the fresh heads train alone (the encoder frozen) for ``training.head_warmup_share`` of the steps; in a
    distributed run the phase is skipped (DDP fixes the set of parameters with gradients when it wraps the model).
    """
    heads = model.fresh_heads
    if not heads or config.head_warmup_share <= 0:
        return [], None
    if env.world_size > 1:
        return [], (f"{', '.join(heads)} start at random; the head warm-up is skipped in a distributed run.")

    def note(message: str) -> None:
        from bertgui.events import Progress

        notes.append(message)
        env.emit(Progress("heads", 0, 0, message))  # the log and the CLI show it as training starts

    return [head_warmup_callback(model.model, config.head_warmup_share, note=note, heads=heads)], None
