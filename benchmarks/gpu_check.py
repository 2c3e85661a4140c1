"""The first GPU run of bertgui, in one go (issue 25): five parts, one JSON line each on stdout.

No GPU had ever run this code. Run ``benchmarks/gpu_check.sh`` on a machine with one (about 10 minutes on a
recent data-centre GPU); ``--dry-run`` runs every part on the CPU with tiny sizes through the same code paths (apart
from CUDA itself), which is what the test suite does. Progress goes to stderr.

1. ``bench``   — ``bertgui bench``'s GPU section: a random BERT-base (12 × 768, vocabulary 30 522) at 128 and 512
   tokens, bf16, our engine and the tutorial loop: real tokens/s, MFU against the chip's dense bf16 peak and
   against a bf16 matmul measured in the same run.
2. ``train``   — a ~200-step ``bertgui`` run on CUDA, stopped at step 120 (checkpoint), resumed to the end,
   exported, the export loaded by ``pipeline("fill-mask", device=0)``.
3. ``control`` — pause, resume and stop through the engine API with the run in a thread.
4. ``oom``     — a real CUDA out-of-memory (batch 4 096 × 512, token budget off): a ``failed`` event with advice,
   the process alive, the memory given back (engine/release.py), a following small run in the same process
   succeeding. The dry run raises ``torch.OutOfMemoryError`` from inside the training loop instead (a CPU does not
   fail an allocation politely), so the engine's handling is the same code.
5. ``memory``  — the ``device_memory_bytes`` the engine reports per step, against ``torch.cuda.max_memory_allocated``.
6. ``packed``  — padding-free batches (``training.padding_free``: flex attention with a document mask) against
   padded ones: one batch's losses and encoder outputs through both paths, then real tokens/s of a short run each
   (flex attention compiles in the first steps: those are not timed), and the number format the training steps
   really ran in (bf16 autocast once silently fell away: engine/trainer.py).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PARTS = ("bench", "train", "control", "oom", "memory", "packed")


@dataclass(frozen=True)
class Sizes:
    device: str
    precision: str
    layers: int
    hidden: int
    vocab: int
    bench_lengths: tuple[int, int]
    bench_batches: tuple[int, int]
    bench_steps: int
    bench_warmup: int
    matmul_size: int
    matmul_dtype: str
    train_length: int
    train_batch: int
    train_steps: int
    checkpoint_every: int
    stop_at: int
    control_steps: int
    oom_batch: int
    oom_length: int
    small_steps: int
    packed_steps: int
    packed_untimed: int


GPU = Sizes(device="cuda", precision="bf16", layers=12, hidden=768, vocab=30522, bench_lengths=(128, 512),
            bench_batches=(64, 16), bench_steps=20, bench_warmup=5, matmul_size=8192, matmul_dtype="bfloat16",
            train_length=128, train_batch=32, train_steps=200, checkpoint_every=50, stop_at=120, control_steps=400,
            oom_batch=4096, oom_length=512, small_steps=5, packed_steps=40, packed_untimed=10)
DRY = Sizes(device="cpu", precision="fp32", layers=2, hidden=64, vocab=1000, bench_lengths=(32, 64),
            bench_batches=(4, 2), bench_steps=2, bench_warmup=1, matmul_size=256, matmul_dtype="float32",
            train_length=32, train_batch=4, train_steps=12, checkpoint_every=4, stop_at=6, control_steps=30,
            oom_batch=8, oom_length=32, small_steps=3, packed_steps=4, packed_untimed=1)


def say(message: str) -> None:
    print(f"gpu_check: {message}", file=sys.stderr, flush=True)


def _config(sizes: Sizes, corpus: str, model: str, output: Path, **kw: Any) -> Any:
    from bertgui.config import RunConfig

    base: dict[str, Any] = dict(
        corpus=[corpus], model=model, output_dir=str(output), device=sizes.device, precision=sizes.precision,
        max_seq_length=sizes.train_length, batch_size=sizes.train_batch, max_steps=sizes.train_steps,
        checkpoint_every=sizes.checkpoint_every, eval_share=0.05, general_sample=False, replay_share=0.0,
        learning_rate=1e-4, seed=1, log_every=1)
    base.update(kw)
    return RunConfig(**base).validate()


def _engine(config: Any, work: Path, on_event: Callable[[Any], None] | None = None, control: Any = None) -> Any:
    from bertgui.engine.run import Engine

    return Engine(config, on_event, control, cache_dir=work / "cache", num_proc=1)


# ------------------------------------------------------------------------------------------------------ parts
def part_bench(sizes: Sizes, corpus: str, model: str, work: Path) -> dict[str, Any]:
    from bertgui.bench.harness import BenchConfig, GpuSection, run_gpu_section

    cfg = BenchConfig(corpus=corpus, gpu="on", gpu_steps=sizes.bench_steps, gpu_warmup=sizes.bench_warmup,
                      gpu_batch_sizes=sizes.bench_batches, timeout_s=600)
    section = GpuSection(device=sizes.device, layers=sizes.layers, hidden=sizes.hidden, vocab=sizes.vocab,
                         lengths=sizes.bench_lengths, precision=sizes.precision, matmul_size=sizes.matmul_size,
                         matmul_dtype=sizes.matmul_dtype)
    out = run_gpu_section(cfg, corpus, say, section)
    runs = out.get("runs", [])
    ok = bool(runs) and all("error" not in (r.get(k) or {}) and (r.get(k) or {}).get("tokens_per_s", 0) > 0
                            for r in runs for k in ("engine", "tutorial"))
    return {"ok": ok, **out}


def part_train(sizes: Sizes, corpus: str, model: str, work: Path) -> dict[str, Any]:
    import torch
    from transformers import AutoTokenizer, pipeline

    from bertgui.events import Control, StepMetrics
    from bertgui.results.export import export_model

    cuda = sizes.device.startswith("cuda")
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    output = work / "train-run"
    config = _config(sizes, corpus, model, output)
    control = Control()
    steps: list[Any] = []

    def first(ev: Any) -> None:
        if isinstance(ev, StepMetrics):
            steps.append(ev)
            if ev.step >= sizes.stop_at:
                control.stop()

    t0 = time.perf_counter()
    r1 = _engine(config, work, first, control).run()
    stopped_at = r1.step
    resumed: list[Any] = []

    def second(ev: Any) -> None:
        if isinstance(ev, StepMetrics):
            resumed.append(ev)
            steps.append(ev)

    r2 = _engine(config, work, second).run(resume=True)
    export = work / "export"
    export_model(output, export)
    fill = pipeline("fill-mask", model=str(export), device=0 if cuda else -1)
    mask = AutoTokenizer.from_pretrained(str(export)).mask_token
    predictions = fill(f"The {mask} statement is executed.")
    losses = [s.loss for s in steps]
    memory = [int(s.device_memory_bytes) for s in steps]
    result = {
        "ok": bool(r1.ok and r1.stopped and r2.ok and r2.step == sizes.train_steps and predictions
                   and r1.last_checkpoint and resumed and resumed[0].step == stopped_at + 1),
        "seconds": round(time.perf_counter() - t0, 1), "device": sizes.device, "precision": sizes.precision,
        "stopped_at": stopped_at, "checkpoint": Path(r1.last_checkpoint).name if r1.last_checkpoint else "",
        "resumed_first_step": resumed[0].step if resumed else None, "final_step": r2.step,
        "failed": [str(r.failed.message) for r in (r1, r2) if r.failed],
        "loss_first": round(losses[0], 4) if losses else None, "loss_last": round(losses[-1], 4) if losses else None,
        "fill_mask_top": [p["token_str"] for p in predictions[:3]],
    }
    # part 5 reads these: what the engine reported per step, and what the allocator saw at its peak
    result["_memory"] = {"reported_max": max(memory, default=0), "reported_min": min(memory, default=0),
                         "max_memory_allocated": int(torch.cuda.max_memory_allocated()) if cuda else 0}
    return result


def part_control(sizes: Sizes, corpus: str, model: str, work: Path) -> dict[str, Any]:
    from bertgui.events import Control, StateChanged, StepMetrics

    config = _config(sizes, corpus, model, work / "control-run", max_steps=sizes.control_steps, eval_share=0.0,
                     checkpoint_every=10**6)
    control = Control()
    events: list[Any] = []
    results: list[Any] = []
    lock = threading.Lock()

    def on_event(ev: Any) -> None:
        with lock:
            events.append(ev)

    def last_step() -> int:
        with lock:
            return max((e.step for e in events if isinstance(e, StepMetrics)), default=0)

    def wait_for(condition: Callable[[], bool], seconds: float) -> bool:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline or not thread.is_alive():
                return condition()
            time.sleep(0.05)
        return True

    thread = threading.Thread(target=lambda: results.append(_engine(config, work, on_event, control).run()),
                              name="gpu-check-run", daemon=True)
    thread.start()
    reached = wait_for(lambda: last_step() >= 2, 600)
    control.pause()
    paused = wait_for(lambda: any(isinstance(e, StateChanged) and e.state == "paused" for e in list(events)), 120)
    at_pause = last_step()
    time.sleep(1.5)
    moved_while_paused = last_step() - at_pause
    control.resume()
    went_on = wait_for(lambda: last_step() > at_pause, 120)
    control.stop()
    thread.join(300)
    result = results[0] if results else None
    return {"ok": bool(reached and paused and moved_while_paused == 0 and went_on and result is not None
                       and result.ok and result.stopped and result.step < sizes.control_steps
                       and result.last_checkpoint and not thread.is_alive()),
            "paused_at": at_pause, "steps_while_paused": moved_while_paused, "resumed": went_on,
            "stopped_at": result.step if result else None, "stopped": bool(result and result.stopped),
            "checkpoint": Path(result.last_checkpoint).name if result and result.last_checkpoint else "",
            "thread_ended": not thread.is_alive()}


def part_oom(sizes: Sizes, corpus: str, model: str, work: Path) -> dict[str, Any]:
    import torch

    from bertgui.engine.release import release_training_memory

    cuda = sizes.device.startswith("cuda")
    config = _config(sizes, corpus, model, work / "oom-run", batch_size=sizes.oom_batch,
                     max_seq_length=sizes.oom_length, forward_token_budget=0, max_steps=2, eval_share=0.0,
                     checkpoint_every=10**6)
    engine = _engine(config, work, None)
    if not cuda:  # the dry run: the same failure, raised inside the training loop
        def out_of_memory(step: int) -> None:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 96.00 GiB (gpu_check dry run)")

        engine.fault_injector = out_of_memory
    result = engine.run()
    failed = result.failed

    def allocated() -> int:
        return int(torch.cuda.memory_allocated()) if cuda else 0

    held = allocated()
    released = release_training_memory(result.model, engine.trainer, sizes.device)
    del engine, result
    gc.collect()
    after_drop = allocated()
    small = _engine(_config(sizes, corpus, model, work / "after-oom-run", max_steps=sizes.small_steps,
                            eval_share=0.0, checkpoint_every=10**6), work).run()
    return {"ok": bool(failed is not None and failed.kind == "oom" and small.ok and small.step == sizes.small_steps),
            "failed_kind": failed.kind if failed else None, "message": str(failed.message) if failed else "",
            "advice": str(failed.advice) if failed else "", "allocated_after_failure": held,
            "allocated_after_release": released.allocated_after, "reserved_after_release": released.reserved_after,
            "allocated_after_drop": after_drop, "next_run_ok": small.ok,
            "next_run_failed": str(small.failed.message) if small.failed else ""}


def part_memory(sizes: Sizes, memory: dict[str, int] | None) -> dict[str, Any]:
    if memory is None:
        return {"ok": False, "error": "the train part did not run"}
    cuda = sizes.device.startswith("cuda")
    peak, top, low = memory["max_memory_allocated"], memory["reported_max"], memory["reported_min"]
    if not cuda:  # nothing to measure on a CPU: the engine must report 0, not a made-up figure
        return {"ok": top == 0, "device": sizes.device, "reported_max": top, "skipped": "no CUDA memory on a CPU"}
    return {"ok": bool(0 < low <= top <= peak), "reported_min": low, "reported_max": top,
            "max_memory_allocated": peak, "reported_over_peak": round(top / peak, 4) if peak else None}


def _packed_equal(sizes: Sizes, model: str) -> dict[str, Any]:
    """One random batch of unequal lengths through the padded path (SDPA) and the packed one (flex attention on a
    GPU, SDPA's dense document mask on a CPU), fp32, no dropout: the losses and encoder outputs must agree."""
    import torch
    from transformers import BertForPreTraining

    from bertgui.model.losses import compute_loss_parts
    from bertgui.model.packing import pack_batch

    cuda = sizes.device.startswith("cuda")
    attn = "flex_attention" if cuda else "sdpa"
    width = sizes.bench_lengths[1]
    lengths = [width, width // 2, width // 4 + 3, (3 * width) // 4]
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(min(1000, sizes.vocab // 2), sizes.vocab, (len(lengths), width), generator=g)
    mask = torch.zeros_like(ids)
    labels = torch.full_like(ids, -100)
    for i, k in enumerate(lengths):
        mask[i, :k] = 1
        ids[i, k:] = 0
        chosen = torch.rand(k, generator=g) < 0.15
        chosen[1] = True
        labels[i, :k][chosen] = ids[i, :k][chosen]
    batch = {"input_ids": ids, "attention_mask": mask, "token_type_ids": torch.zeros_like(ids), "labels": labels,
             "next_sentence_label": torch.tensor([0, 1, 0, 1])}
    batch = {k: v.to(sizes.device) for k, v in batch.items()}
    models = []
    for implementation in ("sdpa", attn):
        m = BertForPreTraining.from_pretrained(model, attn_implementation=implementation).to(sizes.device).eval()
        models.append(m)
    with torch.no_grad():
        padded = compute_loss_parts(models[0], batch, fast=True)
        row = pack_batch(batch, attn)
        packed = compute_loss_parts(models[1], row, fast=True)
        rows = models[0].bert(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"],
                              token_type_ids=batch["token_type_ids"]).last_hidden_state[batch["attention_mask"].bool()]
        flat = models[1].bert(input_ids=row["input_ids"], attention_mask=row["attention_mask"],
                              token_type_ids=row["token_type_ids"], position_ids=row["position_ids"]
                              ).last_hidden_state[0]
    mlm = (float(padded.mlm_sum), float(packed.mlm_sum))
    nsp = (float(padded.nsp_sum), float(packed.nsp_sum)) if padded.nsp_sum is not None else (0.0, 0.0)
    diff = float((flat - rows).abs().max())
    ok = abs(mlm[0] - mlm[1]) <= 1e-3 * abs(mlm[0]) and abs(nsp[0] - nsp[1]) <= 1e-3 * max(abs(nsp[0]), 1.0) \
        and diff < 1e-3
    return {"ok": ok, "attn_implementation": attn, "mlm_sum": mlm, "nsp_sum": nsp, "hidden_max_abs_diff": diff}


def part_packed(sizes: Sizes, corpus: str, model: str, work: Path) -> dict[str, Any]:
    import torch

    from bertgui.events import StepMetrics

    cuda = sizes.device.startswith("cuda")
    out: dict[str, Any] = {"equal": _packed_equal(sizes, model)}
    dtypes: set[str] = set()

    def watch(module: Any, _inputs: Any, output: Any) -> None:
        if isinstance(module, torch.nn.Linear) and module.training and isinstance(output, torch.Tensor):
            dtypes.add(str(output.dtype).replace("torch.", ""))

    for packed in (False, True):
        config = _config(sizes, corpus, model, work / f"packed-{int(packed)}-run", max_steps=sizes.packed_steps,
                         max_seq_length=sizes.bench_lengths[1], batch_size=sizes.bench_batches[1], eval_share=0.0,
                         checkpoint_every=10**6, padding_free=packed)
        marks: dict[int, tuple[float, int]] = {}

        def on_event(ev: Any, marks: dict[int, tuple[float, int]] = marks) -> None:
            if isinstance(ev, StepMetrics):
                if cuda:
                    torch.cuda.synchronize()
                marks[ev.step] = (time.perf_counter(), ev.real_tokens)

        handle = torch.nn.modules.module.register_module_forward_hook(watch)
        try:
            result = _engine(config, work, on_event).run()
        finally:
            handle.remove()
        first, last = sizes.packed_untimed, sizes.packed_steps
        key = "packed" if packed else "padded"
        if not result.ok or first not in marks or last not in marks:
            out[key] = {"ok": False, "failed": str(result.failed.message) if result.failed else "steps missing"}
            continue
        seconds = marks[last][0] - marks[first][0]
        out[key] = {"ok": True, "tokens_per_s": round((marks[last][1] - marks[first][1]) / seconds, 1),
                    "seconds": round(seconds, 2), "timed_steps": last - first}
    padded, packed_run = out.get("padded", {}), out.get("packed", {})
    if padded.get("tokens_per_s") and packed_run.get("tokens_per_s"):
        out["packed_over_padded"] = round(packed_run["tokens_per_s"] / padded["tokens_per_s"], 3)
    out["training_dtypes"] = sorted(dtypes)
    want = "bfloat16" if sizes.precision == "bf16" else "float32"
    out["ok"] = bool(out["equal"]["ok"] and padded.get("ok") and packed_run.get("ok") and dtypes == {want})
    return out


# ------------------------------------------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dry-run", action="store_true", help="CPU, tiny sizes, the same code paths apart from CUDA")
    p.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated subset of {','.join(PARTS)}")
    p.add_argument("--corpus", default="", help="text file (default: the bundled sample corpus)")
    p.add_argument("--workdir", default="", help="where runs and models go (default: a temporary folder)")
    args = p.parse_args(argv)
    parts = [x.strip() for x in args.parts.split(",") if x.strip()]
    unknown = set(parts) - set(PARTS)
    if unknown:
        p.error(f"unknown part(s): {', '.join(sorted(unknown))}")
    sizes = DRY if args.dry_run else GPU
    # stdout carries the five JSON lines only: whatever libraries print (the tokenizer trainer's progress, from
    # Rust, straight to file descriptor 1) goes to stderr
    sys.stdout.flush()
    report = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    import torch

    if not args.dry_run and not torch.cuda.is_available():
        say(f"torch {torch.__version__} sees no CUDA device; run with --dry-run on a CPU.")
        return 2
    from bertgui.bench.bench_model import prepare_model
    from bertgui.data.samples import sample_corpus_path

    with contextlib.ExitStack() as stack:
        work = Path(args.workdir) if args.workdir else Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="bertgui-gpu-check-")))
        work.mkdir(parents=True, exist_ok=True)
        corpus = args.corpus or str(sample_corpus_path())
        say(f"model: a random {sizes.layers}×{sizes.hidden} BERT, vocabulary {sizes.vocab:,}, on {corpus}")
        model = str(prepare_model(corpus, layers=sizes.layers, hidden=sizes.hidden, vocab=sizes.vocab, seed=0))
        memory: dict[str, int] | None = None
        all_ok = True
        for part in parts:
            say(f"part {part}…")
            started = time.perf_counter()
            try:
                if part == "memory":
                    line = part_memory(sizes, memory)
                else:
                    line = globals()[f"part_{part}"](sizes, corpus, model, work)
                    memory = line.pop("_memory", memory)
            except Exception as exc:  # one part failing must not hide the others
                line = {"ok": False, "error": f"{type(exc).__name__}: {exc}",
                        "traceback": traceback.format_exc()[-3000:]}
            all_ok = all_ok and bool(line.get("ok"))
            line = {"part": part, "dry_run": args.dry_run, **line,
                    "part_seconds": round(time.perf_counter() - started, 1)}
            print(json.dumps(line, default=str), file=report, flush=True)
    return 0 if all_ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
