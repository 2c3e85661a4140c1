"""bf16 on the CPU (training.precision = "bf16"): allowed where the CPU multiplies bf16 natively (AVX512-BF16 or
AMX) and chosen there by "auto", refused with advice elsewhere (emulated bf16 is slower than fp32), and a run with
it trains under bf16 autocast."""

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


def test_auto_takes_bf16_only_on_a_cpu_with_native_bf16(monkeypatch) -> None:
    monkeypatch.delenv(device.CPU_BF16_ENV, raising=False)
    monkeypatch.setattr(device, "cpu_has_bf16", lambda: True)
    assert device.resolve_device("cpu", "auto").precision == "bf16"
    assert device.resolve_device("cpu", "fp32").precision == "fp32"  # a person's fp32 stays fp32
    monkeypatch.setattr(device, "cpu_has_bf16", lambda: False)
    assert device.resolve_device("cpu", "auto").precision == "fp32"  # emulated bf16 would be slower
    monkeypatch.setattr(device, "cpu_has_bf16", lambda: True)
    monkeypatch.setenv(device.CPU_BF16_ENV, "0")  # what the test suite sets for itself
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
    seen: list[torch.dtype] = []  # output dtypes of the encoder's linear layers while training

    def watch(module: torch.nn.Module, _inputs: object, output: object) -> None:
        if isinstance(module, torch.nn.Linear) and module.training and isinstance(output, torch.Tensor):
            seen.append(output.dtype)

    engine = Engine(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)
    handle = torch.nn.modules.module.register_module_forward_hook(watch)
    try:
        result = engine.run()
    finally:
        handle.remove()
    assert result.ok, result.failed
    assert engine.trainer.accelerator.mixed_precision == "bf16"
    # the steps really ran under CPU bf16 autocast (once they silently ran in fp32: the loss replaced the
    # forward that accelerate had wrapped in the autocast)
    assert seen and all(dtype == torch.bfloat16 for dtype in seen), sorted(set(map(str, seen)))
    losses = [e.loss for e in events if isinstance(e, StepMetrics)]
    assert len(losses) == 3 and all(math.isfinite(x) for x in losses)
    assert result.summary["precision"] == "bf16"
