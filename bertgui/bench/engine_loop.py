"""Contender (b): our training engine (``bertgui.engine.Engine``) on the same model, corpus, length and batch.

It runs the engine's public training path — our data pipeline (Google's pair recipe over sentence-split
documents), per-batch padding, dynamic whole-word masking, the masked-only MLM decoder, the engine's optimizer and
thread settings — with evaluation off, a step log every step, and as many steps as the tutorial loop.

Timing is the same as for the tutorial loop: wall time from the end of the last warm-up step to the end of the last
timed step, taken when the engine reports each step (``StepMetrics``). Real tokens come from those reports. The
padded positions and the decoded (masked) positions, which the events don't carry, are counted by a thin wrapper
around the engine's collator that passes every batch through unchanged.

Levers (``RunSpec.options``) for the sweep in benchmarks/levers.py:
- any ``RunConfig`` field by name (``fast_mlm_head``, ``torch_compile``, ``dataloader_workers``, …);
- ``attn_implementation``: "sdpa" (the engine's default) or "eager";
- ``hidden_dropout``: override the model's hidden dropout (a temporary copy of its config); ``attention_dropout``
  and ``group_by_length`` are engine settings (RunConfig fields) and pass straight through;
- ``group_by_length``: a window size in batches to order sequences by length within (0 = the engine's order),
  applied here only when the engine itself has no such setting;
- ``optim``: the Trainer optimizer name on the CPU (e.g. "adamw_torch_fused");
- ``pad_to_max``: pad every batch to the maximum sequence length (turns per-batch padding off);
- ``flush_denormal``: ``torch.set_flush_denormal(True)`` (denormal floats are slow on x86 CPUs).
Thread count: the engine uses one thread per core it may run on, so ``RunSpec.threads`` pins the child to that
many cores (``os.sched_setaffinity``) instead of overriding the engine.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bertgui.bench.flops import BertShape, step_flops
from bertgui.bench.spec import RunResult, RunSpec, peak_rss_bytes


class EngineUnavailable(RuntimeError):
    """The training engine is not importable in this tree."""


class CountingCollator:
    """Passes batches through unchanged and records what each one holds (in the order they are made)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.batches: list[dict[str, int]] = []

    def __call__(self, features: Any) -> dict[str, Any]:
        batch = self.inner(features)
        mask = batch["attention_mask"]
        lengths = mask.sum(dim=1)
        self.batches.append({
            "sequences": int(mask.shape[0]), "positions": int(mask.numel()), "real": int(lengths.sum()),
            "len_sq": int((lengths.long() ** 2).sum()), "decoded": int((batch["labels"] != -100).sum()),
        })
        return batch

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _model_copy(model: str, overrides: dict[str, Any], workdir: Path) -> str:
    """A copy of the model folder whose config.json carries ``overrides`` (weights linked, not copied)."""
    src = Path(model)
    dst = workdir / "model"
    dst.mkdir()
    for item in src.iterdir():
        if item.name == "config.json":
            continue
        try:
            os.symlink(item.resolve(), dst / item.name)
        except OSError:
            shutil.copy2(item, dst / item.name)
    cfg = json.loads((src / "config.json").read_text(encoding="utf-8"))
    cfg.update(overrides)
    (dst / "config.json").write_text(json.dumps(cfg, indent=2), encoding="utf-8")
    return str(dst)


def _pin_threads(threads: int) -> None:
    if threads and hasattr(os, "sched_getaffinity"):
        cores = sorted(os.sched_getaffinity(0))
        if threads < len(cores):
            os.sched_setaffinity(0, cores[:threads])


class _LengthGrouped:
    """Dataset view: within windows of ``window`` batches, sequences ordered longest first, then the batches of the
    window shuffled (seeded) — per-batch padding shrinks, the order stays deterministic and resumable."""

    def __init__(self, ds: Any, batch_size: int, window: int, seed: int) -> None:
        import random

        self.ds = ds
        size = batch_size * window
        n = len(ds)
        order: list[int] = []
        rng = random.Random(seed)
        for start in range(0, n, size):
            idx = list(range(start, min(n, start + size)))
            idx.sort(key=lambda i: -self._length(i))
            batches = [idx[i:i + batch_size] for i in range(0, len(idx), batch_size)]
            rng.shuffle(batches)
            order.extend(i for b in batches for i in b)
        self.order = order

    def _length(self, i: int) -> int:
        return len(self.ds[i]["input_ids"])

    def __len__(self) -> int:
        return len(self.ds)

    def __getitem__(self, i: int) -> Any:
        return self.ds[self.order[i]]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ds, name)


def run(spec: RunSpec) -> RunResult:
    try:
        from bertgui.engine import Engine
    except ImportError as exc:
        raise EngineUnavailable(f"bertgui.engine cannot be imported: {exc}") from exc
    import torch

    import bertgui.data.masking
    import bertgui.model.loading
    from bertgui.config import RunConfig
    from bertgui.events import Failed, StepMetrics

    _pin_threads(spec.threads)
    options = dict(spec.options)
    if options.pop("flush_denormal", False):
        torch.set_flush_denormal(True)
    workdir = Path(tempfile.mkdtemp(prefix="bertgui-bench-"))
    try:
        model = spec.model
        overrides = {}
        if "hidden_dropout" in options:
            overrides["hidden_dropout_prob"] = float(options.pop("hidden_dropout"))
        if overrides:
            model = _model_copy(model, overrides, workdir)
        attn = options.pop("attn_implementation", None)
        if attn:
            original_load = bertgui.model.loading.load_model

            def load_model(info: Any, **kw: Any) -> Any:
                kw.setdefault("attn_implementation", attn)
                return original_load(info, **kw)

            bertgui.model.loading.load_model = load_model
        optim = options.pop("optim", None)
        if optim:
            import bertgui.engine.device as device_mod

            original_resolve = device_mod.resolve_device

            def resolve_device(*a: Any, **kw: Any) -> Any:
                choice = original_resolve(*a, **kw)
                return dataclasses.replace(choice, optim=optim) if choice.kind == "cpu" else choice

            device_mod.resolve_device = resolve_device
        group = int(options.pop("group_by_length", 0) or 0)
        field_names = {f.name for f in dataclasses.fields(RunConfig)}
        if group and "group_by_length" in field_names:
            options["group_by_length"] = group  # the engine has its own setting: use it
            group = 0
        if group:
            import bertgui.data.pairs

            original_ds = bertgui.data.pairs.PretrainingDataset

            def grouped_dataset(*a: Any, **kw: Any) -> Any:
                return _LengthGrouped(original_ds(*a, **kw), spec.batch_size, group, spec.seed)

            bertgui.data.pairs.PretrainingDataset = grouped_dataset
        pad_kw = {"pad_to_multiple_of": spec.max_seq_length} if options.pop("pad_to_max", False) else {}
        unknown = set(options) - field_names
        if unknown:
            raise ValueError(f"unknown engine option(s): {', '.join(sorted(unknown))}")

        counting: list[CountingCollator] = []
        original_from_config = bertgui.data.masking.MaskingCollator.from_config

        def from_config(*a: Any, **kw: Any) -> CountingCollator:
            wrapped = CountingCollator(original_from_config(*a, **{**pad_kw, **kw}))
            counting.append(wrapped)
            return wrapped

        bertgui.data.masking.MaskingCollator.from_config = from_config  # type: ignore[method-assign]

        total = spec.warmup + spec.steps
        config = RunConfig(
            corpus=[spec.corpus], model=model, output_dir=str(workdir / "out"), nsp=True,
            max_seq_length=spec.max_seq_length, batch_size=spec.batch_size, max_steps=total, epochs=1.0,
            learning_rate=5e-5, eval_share=0.0, eval_every=0, log_every=1, checkpoint_every=10**9,
            general_sample=False, replay_share=0.0,  # the same text as the loops it is compared with
            head_warmup_share=0.0,  # training steps only: no head phase (its collator would be counted here)
            # the CPU: the engine's own choice ("auto": bf16 autocast where the CPU has native bf16, else fp32)
            device=spec.device, precision=spec.precision if spec.device != "cpu" else "auto", seed=spec.seed,
        )
        if options:
            config = config.replace(**options)
        marks: dict[int, tuple[float, int, float]] = {}  # step -> (time, cumulative real tokens, loss)
        failures: list[Failed] = []

        def on_event(ev: Any) -> None:
            if isinstance(ev, StepMetrics):
                if ev.step and spec.device.startswith("cuda"):
                    torch.cuda.synchronize()
                marks[ev.step] = (time.perf_counter(), ev.real_tokens, ev.loss)
            elif isinstance(ev, Failed):
                failures.append(ev)

        if spec.device.startswith("cuda"):
            torch.cuda.reset_peak_memory_stats()
        engine = Engine(config, on_event, cache_dir=str(workdir / "cache"), num_proc=1)  # preparation is not timed
        result = engine.run()
        if failures or not result.ok:
            f = failures[0] if failures else result.failed
            raise RuntimeError(f"engine run failed: {f.message} {f.advice}\n{f.details[-2000:]}")
        if spec.warmup not in marks and spec.warmup != 0 or total not in marks:
            raise RuntimeError(f"the engine reported steps {sorted(marks)}, expected up to {total}")
        t0, tok0 = (marks[spec.warmup][:2] if spec.warmup else (min(m[0] for m in marks.values()), 0))
        t1, tok1, loss = marks[total]
        stats = counting[0].batches[spec.warmup:total] if counting else []
        if len(stats) != spec.steps:
            raise RuntimeError(f"counted {len(stats)} batches in the timed window, expected {spec.steps}")
        shape = BertShape.from_config(engine.model.config)
        real = sum(b["real"] for b in stats)
        if real != tok1 - tok0:
            raise RuntimeError(f"collator counted {real} real tokens, the engine reported {tok1 - tok0}")
        key = "decoded" if config.fast_mlm_head else "positions"  # the stock head decodes every position
        flops = sum(step_flops(shape, tokens=b["real"], lengths_sq_sum=b["len_sq"], decoded=b[key],
                               sequences=b["sequences"]) for b in stats)
        decoded = sum(b[key] for b in stats)
        return RunResult(
            kind="engine", steps=spec.steps, seconds=t1 - t0, real_tokens=real,
            positions=sum(b["positions"] for b in stats), decoded=decoded, flops=flops,
            peak_rss_bytes=peak_rss_bytes(), threads=torch.get_num_threads(), device=spec.device,
            final_loss=loss,
            device_peak_bytes=int(torch.cuda.max_memory_allocated()) if spec.device.startswith("cuda") else 0,
            extra={"attn_implementation": engine.model.config._attn_implementation,
                   "attention_dropout": config.attention_dropout,  # while training (the export keeps the base's)
                   "precision": result.summary.get("precision", config.precision),
                   "fast_mlm_head": config.fast_mlm_head, "padding_free": config.padding_free,
                   "torch_compile": config.torch_compile, "optim": getattr(engine.trainer.args, "optim", None)
                   and str(engine.trainer.args.optim), "group_by_length": group or config.group_by_length,
                   "forward_token_budget": getattr(engine.trainer, "forward_token_budget", None)})
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
