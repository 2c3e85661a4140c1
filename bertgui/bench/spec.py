"""What one benchmark child runs and what it reports back: plain dataclasses that travel as JSON.

Each contender runs in its own process so that its peak resident memory is its own (``ru_maxrss`` of a process
is a high-water mark: two runs in one process would report the larger of the two for both).
"""

from __future__ import annotations

import dataclasses
import resource
import sys
from dataclasses import dataclass, field
from typing import Any


@dataclass
class RunSpec:
    kind: str  # "tutorial", "engine", "recipe" (run_mlm) or "matmul"
    model: str = ""
    corpus: str = ""
    max_seq_length: int = 512
    batch_size: int = 16
    steps: int = 5
    warmup: int = 2
    device: str = "cpu"
    threads: int = 0  # 0: torch's default (one per core)
    seed: int = 0
    precision: str = "fp32"  # engine: fp32 / bf16 (GPU section)
    options: dict[str, Any] = field(default_factory=dict)  # levers: attn, compile, group_by_length, …

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunSpec:
        return cls(**data)


@dataclass
class RunResult:
    kind: str
    steps: int  # timed optimizer steps
    seconds: float  # wall time of the timed steps (data loading included)
    real_tokens: int  # non-padding positions in the timed steps
    positions: int  # all positions (padding included) in the timed steps
    decoded: int  # positions that went through the vocabulary-wide MLM decoder
    flops: int  # training FLOPs of the timed steps (see flops.py)
    peak_rss_bytes: int
    threads: int
    device: str
    final_loss: float | None = None
    device_peak_bytes: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tokens_per_s(self) -> float:
        return self.real_tokens / self.seconds if self.seconds > 0 else 0.0

    @property
    def padding_share(self) -> float:
        return 1.0 - self.real_tokens / self.positions if self.positions else 0.0

    @property
    def flops_per_s(self) -> float:
        return self.flops / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunResult:
        return cls(**data)


def peak_rss_bytes() -> int:
    """This process's resident-set high-water mark (``ru_maxrss`` is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(rss if sys.platform == "darwin" else rss * 1024)
