"""bf16 on the CPU (training.precision = "bf16"): allowed where the CPU multiplies bf16 natively (AVX512-BF16 or
AMX), refused with advice elsewhere (emulated bf16 is slower than fp32), and a run with it trains."""

from __future__ import annotations

import math

import pytest
import torch

import bertgui.engine.device as device
from bertgui.config import RunConfig
from bertgui.errors import ConfigError


def test_bf16_on_a_cpu_with_native_bf16(monkeypatch) -> None:
    monkeypatch.setattr(device, "cpu_has_bf16", lambda: True)
    assert device.resolve_device("cpu", "bf16").precision == "bf16"


def test_bf16_refused_on_a_cpu_without_it(monkeypatch) -> None:
    monkeypatch.setattr(device, "cpu_has_bf16", lambda: False)
    with pytest.raises(ConfigError, match="AVX512-BF16 or AMX"):
        device.resolve_device("cpu", "bf16")


def test_auto_stays_fp32_on_the_cpu(monkeypatch) -> None:
    monkeypatch.setattr(device, "cpu_has_bf16", lambda: True)
    assert device.resolve_device("cpu", "auto").precision == "fp32"


def test_a_bf16_run_trains_on_the_cpu(monkeypatch, tmp_path, sample_corpus, tiny_model) -> None:
    from bertgui.engine.run import Engine
    from bertgui.events import StepMetrics

    torch.set_num_threads(1)
    monkeypatch.setattr(device, "cpu_has_bf16", lambda: True)  # functional everywhere; fast only where native
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp_path / "run"),
                       max_steps=3, batch_size=4, max_seq_length=32, eval_share=0.0, general_sample=False,
                       replay_share=0.0, precision="bf16", device="cpu", checkpoint_every=100).validate()
    events: list = []
    engine = Engine(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)
    result = engine.run()
    assert result.ok, result.failed
    assert engine.trainer.accelerator.mixed_precision == "bf16"  # the steps ran under CPU bf16 autocast
    losses = [e.loss for e in events if isinstance(e, StepMetrics)]
    assert len(losses) == 3 and all(math.isfinite(x) for x in losses)
    assert result.summary["precision"] == "bf16"
