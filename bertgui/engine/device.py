"""Where and in which number format a run trains, and how many CPU threads it uses.

WHY a module of its own: the same choices ("auto" → CUDA, then Apple MPS, then CPU; bf16 only where the GPU supports
it, fp16 with loss scaling only as a fallback; fused AdamW on CUDA and the CPU) are needed by training, evaluation
and the ``eval`` command, and must be explained in the run's summary.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import torch

from bertgui.errors import ConfigError
from bertgui.text import text


@dataclass
class DeviceChoice:
    device: str  # "cuda", "cuda:1", "mps", "cpu"
    name: str  # human name ("NVIDIA H100", "Apple MPS", "CPU (8 cores)")
    precision: str  # "bf16", "fp16", "fp32"
    optim: str  # Trainer optim name

    @property
    def kind(self) -> str:
        return self.device.split(":")[0]


def physical_cores() -> int:
    try:
        import psutil

        n = psutil.cpu_count(logical=False)
        if n:
            return int(n)
    except ImportError:  # pragma: no cover - psutil ships with the environment
        pass
    return max(1, (os.cpu_count() or 2) // 2)


def set_cpu_threads(local_world_size: int = 1) -> int:
    """One intra-op thread per physical core (hyper-threads slow GEMMs down), shared among local processes."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    threads = max(1, min(physical_cores(), available) // max(1, local_world_size))
    torch.set_num_threads(threads)
    return threads


def mps_available() -> bool:
    return bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())


def resolve_device(name: str = "auto", precision: str = "auto") -> DeviceChoice:
    name = (name or "auto").strip().lower()
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "mps" if mps_available() else "cpu"
    kind = name.split(":")[0]
    if kind == "cuda":
        if not torch.cuda.is_available():
            raise ConfigError(text("training.device is 'cuda' but PyTorch sees no CUDA GPU."),
                              text("Use device 'auto' or 'cpu', or install a CUDA build of PyTorch."))
        index = int(name.split(":")[1]) if ":" in name else torch.cuda.current_device()
        if index >= torch.cuda.device_count():
            raise ConfigError(f"training.device {name!r}: only {torch.cuda.device_count()} GPU(s) visible.")
        label = torch.cuda.get_device_name(index)
    elif kind == "mps":
        if not mps_available():
            raise ConfigError(text("training.device is 'mps' but Apple MPS is not available."),
                              text("Use 'auto' or 'cpu'."))
        label = "Apple MPS"
    elif kind == "cpu":
        label = f"CPU ({physical_cores()} cores)"
    else:
        raise ConfigError(f"training.device {name!r} is not known.", "Use auto, cpu, cuda, cuda:N or mps.")
    return DeviceChoice(device=name, name=label, precision=resolve_precision(precision, name),
                        # fused AdamW on the CPU too: one multi-threaded kernel instead of a Python loop over
                        # tensors (measured ×1.0–1.5 tokens/s; benchmarks/README.md, "Levers")
                        optim="adamw_torch_fused" if kind in ("cuda", "cpu") else "adamw_torch")


# "0": precision "auto" never picks bf16 on the CPU by itself (the test suite sets it, so its numbers are the same on
# every machine; a person who wants fp32 sets training.precision = "fp32").
CPU_BF16_ENV = "BERTGUI_CPU_BF16"


def cpu_has_bf16() -> bool:
    """Whether this CPU multiplies bf16 natively (AVX512-BF16 or AMX): there bf16 autocast pays (a bf16 matmul ran
    ~3.5× the fp32 rate on an AVX512-BF16 EPYC); without them bf16 is emulated and slower than fp32."""
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    return any(bool(getattr(torch.cpu, name, lambda: False)()) for name in checks)


def resolve_precision(precision: str, device: str) -> str:
    """``training.precision`` made concrete for ``device``.

    "auto" takes bf16 autocast on a CPU that multiplies bf16 natively: about 1.5× the real tokens/s of fp32
    (1.09–1.77× in six pairs) with the same loss after 22 steps (all-MiniLM-L6-v2, 2 cores of an AVX512-BF16 EPYC;
    benchmarks/README.md, "Levers (issue 25)"). The weights, the optimizer and the evaluation stay fp32.
    """
    kind = device.split(":")[0]
    if precision == "auto":
        if kind == "cuda":
            return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
        if kind == "cpu" and os.environ.get(CPU_BF16_ENV, "1") != "0" and cpu_has_bf16():
            return "bf16"
        return "fp32"
    if precision == "bf16" and kind == "cpu" and not cpu_has_bf16():
        raise ConfigError(text("training.precision bf16 needs a CPU with AVX512-BF16 or AMX; this one has neither "
                               "(bf16 would be slower than fp32 here)."),
                          text("Use precision 'auto' or 'fp32' on this CPU."))
    if precision == "fp16" and kind == "cpu":
        raise ConfigError(f"training.precision {precision} is not supported on the CPU here.",
                          "Use precision 'auto' or 'fp32' on the CPU.")
    if precision == "bf16" and kind == "cuda" and not torch.cuda.is_bf16_supported():
        raise ConfigError(text("This GPU does not support bf16."),
                          text("Use precision 'auto' (fp16 with loss scaling)."))
    return precision


def device_memory(device: str) -> int:
    """Bytes of device memory in use now (peak-free current allocation); 0 where unknown (CPU)."""
    kind = device.split(":")[0]
    try:
        if kind == "cuda":
            return int(torch.cuda.memory_allocated())
        if kind == "mps":
            return int(torch.mps.current_allocated_memory())
    except (RuntimeError, AttributeError):
        return 0
    return 0


CPU_FORWARD_TOKEN_BUDGET = 1024  # benchmarks/README.md: 1 024 ran fastest and smallest of 1 024…8 192


def resolve_token_budget(budget: int, device: Any) -> int:
    """``forward_token_budget`` with -1 (automatic) made concrete for the device: sliced on CPUs, whole on GPUs."""
    if budget >= 0:
        return budget
    return CPU_FORWARD_TOKEN_BUDGET if str(device).startswith("cpu") else 0
