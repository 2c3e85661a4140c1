"""Give back the device memory a failed run still holds, so the next run in the same process can start.

WHY: after a CUDA out-of-memory the engine reports a ``Failed`` event and keeps ``model`` and ``trainer`` for the
caller (the window shows the run, ``TrainResult.model`` stays usable). But the trainer still holds the AdamW moments
(two tensors per parameter), every parameter still holds its gradient, and PyTorch's caching allocator keeps the
freed blocks of the failed step reserved: a following smaller run in the same process (the window's next Start)
then finds the GPU as full as the failed one left it and fails again. Dropping those references and emptying the
cache leaves only the weights on the device.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any

import torch


@dataclass(frozen=True)
class Released:
    """Device bytes allocated and reserved by PyTorch before and after :func:`release_training_memory` (0 on CPU)."""

    allocated_before: int
    allocated_after: int
    reserved_before: int
    reserved_after: int


def _cuda_bytes(device: str) -> tuple[int, int]:
    if not str(device).startswith("cuda") or not torch.cuda.is_available():
        return 0, 0
    return int(torch.cuda.memory_allocated()), int(torch.cuda.memory_reserved())


def release_training_memory(model: Any, trainer: Any, device: str) -> Released:
    """Drop the gradients, the optimizer state and the scheduler of a run that ended, then empty the CUDA cache.

    The model's weights stay where they are (the caller may still evaluate or export them). ``trainer`` is a
    ``transformers.Trainer`` or None (a run that failed before training started).
    """
    allocated, reserved = _cuda_bytes(device)
    if model is not None:
        model.zero_grad(set_to_none=True)
    if trainer is not None:
        optimizer = trainer.optimizer
        if optimizer is not None:
            optimizer.zero_grad(set_to_none=True)
            optimizer.state.clear()  # AdamW's moments: twice the parameters' memory
        trainer.optimizer = None
        trainer.lr_scheduler = None
        trainer.accelerator.free_memory()  # the references accelerate kept to what it prepared
    gc.collect()
    if str(device).startswith("cuda") and torch.cuda.is_available():
        torch.cuda.empty_cache()
    after_allocated, after_reserved = _cuda_bytes(device)
    return Released(allocated, after_allocated, reserved, after_reserved)
