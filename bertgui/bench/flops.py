"""Counting training FLOPs of a BERT step, and measuring what the machine itself can do.

Why count by hand: the question the benchmark answers is "how much of this machine's arithmetic does a training
step turn into useful model work", so the numerator must be the model's arithmetic (independent of how a kernel is
written) and the denominator the machine's own best dense matmul at the same thread count, measured in the same run
(not a datasheet figure: a 2-core VM shares its cores and its clock). The GPU section compares with the datasheet
dense bf16 peak instead, because that is how MFU is quoted for GPUs.

Counting convention (the usual 6·N·D rule, Kaplan et al. 2020, with attention added as in Chinchilla's appendix):
- every matmul weight of the encoder costs 6 FLOPs per weight per token processed (2 forward, 4 backward);
- attention scores and the weighted sum cost 2·2·n²·h per layer per sequence forward, ×3 for training;
- the MLM head (transform dense + the vocabulary-wide decoder) only at the positions actually decoded;
- the pooler and NSP classifier once per sequence;
- embeddings are look-ups (no FLOPs); layer norms, GELU, softmax and the optimizer are not counted (they are the
  overhead the efficiency figure exposes).
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass(frozen=True)
class BertShape:
    layers: int
    hidden: int
    intermediate: int
    vocab: int

    @classmethod
    def from_config(cls, config) -> BertShape:
        return cls(config.num_hidden_layers, config.hidden_size, config.intermediate_size, config.vocab_size)

    @property
    def encoder_matmul_params(self) -> int:
        """Q, K, V, attention output, FFN in and out of every layer (weights only)."""
        h, i = self.hidden, self.intermediate
        return self.layers * (4 * h * h + 2 * h * i)

    @property
    def mlm_head_params(self) -> int:
        return self.hidden * self.hidden + self.hidden * self.vocab

    @property
    def pooler_nsp_params(self) -> int:
        return self.hidden * self.hidden + 2 * self.hidden


def attention_flops(shape: BertShape, lengths_sq_sum: int) -> int:
    """Training FLOPs of QKᵀ and A·V for sequences whose squared lengths sum to ``lengths_sq_sum``."""
    return 3 * 4 * shape.layers * shape.hidden * lengths_sq_sum


def step_flops(shape: BertShape, *, tokens: int, lengths_sq_sum: int, decoded: int, sequences: int) -> int:
    """Training FLOPs of one or more steps: ``tokens`` positions through the encoder, ``decoded`` positions through
    the MLM head, ``sequences`` through pooler + NSP."""
    return (6 * shape.encoder_matmul_params * tokens
            + attention_flops(shape, lengths_sq_sum)
            + 6 * shape.mlm_head_params * decoded
            + 6 * shape.pooler_nsp_params * sequences)


def measure_matmul_flops(device: str = "cpu", *, size: int = 2048, dtype: str = "float32",
                         seconds: float = 1.5, threads: int | None = None) -> float:
    """Best FLOP/s of a square ``size`` matmul on ``device`` over short timed bursts (each ≥ 50 ms)."""
    import torch

    if threads:
        torch.set_num_threads(threads)
    dt = getattr(torch, dtype)
    a = torch.randn(size, size, device=device, dtype=dt)
    b = torch.randn(size, size, device=device, dtype=dt)
    out = torch.empty(size, size, device=device, dtype=dt)

    def sync() -> None:
        if device.startswith("cuda"):
            torch.cuda.synchronize()

    for _ in range(3):  # warm-up: thread pool, allocator, clocks
        torch.matmul(a, b, out=out)
    sync()
    rates: list[float] = []
    deadline = time.perf_counter() + seconds
    reps = 1
    while time.perf_counter() < deadline or len(rates) < 3:
        t0 = time.perf_counter()
        for _ in range(reps):
            torch.matmul(a, b, out=out)
        sync()
        dt_s = time.perf_counter() - t0
        if dt_s < 0.05:  # too short to time well: do more per burst
            reps *= 2
            continue
        rates.append(2 * size**3 * reps / dt_s)
        if len(rates) >= 50:
            break
    return max(rates)  # the machine's capability: other processes can only make a burst slower


# Dense (no sparsity) bf16 tensor-core peaks from the vendors' datasheets, FLOP/s. Matched on the CUDA device name.
GPU_BF16_PEAK: list[tuple[str, float]] = [
    ("H200", 989e12),
    ("H100 PCIe", 756e12),
    ("H100 NVL", 835e12),
    ("H100", 989e12),  # SXM
    ("GH200", 989e12),
    ("B200", 2250e12),
    ("A100", 312e12),
    ("A800", 312e12),
    ("L40S", 362e12),
    ("L40", 181e12),
    ("L4", 121e12),
    ("A10G", 70e12),
    ("A10", 125e12),
    ("RTX 4090", 165e12),
    ("RTX 3090", 71e12),
]


def gpu_bf16_peak(device_name: str) -> float | None:
    """Datasheet dense bf16 FLOP/s for a CUDA device name, or None when unknown (the first match wins)."""
    for key, peak in GPU_BF16_PEAK:
        if key.lower() in device_name.lower():
            return peak
    return None
