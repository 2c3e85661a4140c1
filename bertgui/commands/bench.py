"""``bertgui bench``: training throughput of our engine against the well-known tutorial loop, on this machine.

Prints one JSON line (``--json``) or a short table; the figures are ratios measured in one run, so they are
comparable between machines even when absolute speeds are not. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

NAME = "bench"
HELP = ("Benchmark training: real tokens/s, padding and peak memory of our engine against the classic tutorial "
        "loop on the same model and corpus, and compute efficiency against this machine's matmul rate.")


def _option(text: str) -> tuple[str, Any]:
    key, _, value = text.partition("=")
    if not key or not _:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    try:
        return key.strip(), json.loads(value)
    except json.JSONDecodeError:
        return key.strip(), value


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default="", help="model folder both contenders train (default: a random BERT "
                   "built on the corpus with --layers/--hidden/--vocab)")
    p.add_argument("--corpus", default="", help="text file, one paragraph per line (default: the bundled sample)")
    p.add_argument("--layers", type=int, default=2, help="layers of the built model (default 2)")
    p.add_argument("--hidden", type=int, default=128, help="hidden size of the built model (default 128)")
    p.add_argument("--vocab", type=int, default=4000, help="vocabulary width of the built model; a vocabulary "
                   "learnt smaller is padded with [unusedN] entries (default 4000; the tutorial's: 30522)")
    p.add_argument("--max-seq-length", type=int, default=512)
    p.add_argument("--batch-size", type=int, default=16)
    p.add_argument("--steps", type=int, default=5, help="timed optimizer steps of each contender")
    p.add_argument("--warmup", type=int, default=2, help="untimed steps before timing starts")
    p.add_argument("--device", default="cpu", help="cpu or cuda (default cpu)")
    p.add_argument("--threads", type=int, default=0, help="torch threads (default: one per core)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--matmul-size", type=int, default=2048, help="square matmul timed for the machine's rate")
    p.add_argument("--engine-option", dest="engine_options", action="append", type=_option, default=[],
                   metavar="KEY=VALUE", help="engine lever, repeatable (e.g. torch_compile=true, "
                   "attn_implementation=eager, fast_mlm_head=false, group_by_length=true)")
    p.add_argument("--tutorial-option", dest="tutorial_options", action="append", type=_option, default=[],
                   metavar="KEY=VALUE", help="tutorial option, e.g. tutorial_attn=eager (default: library default)")
    p.add_argument("--skip-tutorial", action="store_true", help="run only our engine (lever sweeps)")
    p.add_argument("--recipe", action="store_true",
                   help="also Hugging Face's run_mlm recipe (group_texts, DataCollatorForLanguageModeling, stock "
                   "Trainer; MLM only) and our engine MLM-only, side by side with ratios")
    p.add_argument("--gpu", choices=["auto", "on", "off"], default="auto",
                   help="GPU section (12×768 BERT, bf16, 128 and 512 tokens): auto = when CUDA is present")
    p.add_argument("--data", action="store_true", help="also run benchmarks/data_bench.py when it exists")
    p.add_argument("--data-size-mb", type=float, default=20.0,
                   help="size of the corpus the data benchmark generates (default 20)")
    p.add_argument("--json", action="store_true", help="print one JSON line only")


def _fmt_bytes(n: int | None) -> str:
    return "—" if n is None else f"{n / 2**30:.2f} GiB"


def run(args: argparse.Namespace) -> int:
    from bertgui.bench.harness import BenchConfig, run_bench

    cfg = BenchConfig(
        model=args.model, corpus=args.corpus, layers=args.layers, hidden=args.hidden, vocab=args.vocab,
        max_seq_length=args.max_seq_length, batch_size=args.batch_size, steps=args.steps, warmup=args.warmup,
        device=args.device, threads=args.threads, seed=args.seed, matmul_size=args.matmul_size,
        engine_options=dict(args.engine_options), tutorial_options=dict(args.tutorial_options),
        skip_tutorial=args.skip_tutorial, recipe=args.recipe, gpu=args.gpu, data=args.data,
        data_size_mb=args.data_size_mb,
    )
    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    out = run_bench(cfg, say=say)
    if args.json:
        print(json.dumps(out), flush=True)
        return 0
    rows = [("", "tutorial (a)", "ours (b)")]
    a, b = out.get("tutorial") or {}, out.get("ours") or {}
    rows.append(("real tokens/s", str(a.get("tokens_per_s", "—")), str(b.get("tokens_per_s", "—"))))
    rows.append(("padding share", str(a.get("padding_share", "—")), str(b.get("padding_share", "—"))))
    rows.append(("peak RSS", _fmt_bytes(a.get("peak_rss_bytes")), _fmt_bytes(b.get("peak_rss_bytes"))))
    rows.append(("compute efficiency", str(a.get("compute_efficiency", "—")), str(b.get("compute_efficiency", "—"))))
    for r in rows:
        print(f"{r[0]:<20}{r[1]:>16}{r[2]:>16}")
    print(f"tokens/s ratio b/a: {out['tokens_per_s_ratio']}   peak RSS ratio b/a: {out['peak_rss_ratio']}   "
          f"matmul fp32: {out['matmul_flops_per_s']} FLOP/s")
    if out.get("vs_recipe"):
        c, d, vs = out.get("recipe") or {}, out.get("ours_mlm_only") or {}, out["vs_recipe"]
        print(f"run_mlm recipe (c): {c.get('tokens_per_s', '—')} real tokens/s   ours MLM-only (d): "
              f"{d.get('tokens_per_s', '—')}   d/c: {vs['mlm_only_over_recipe']}   b/c: {vs['mlm_nsp_over_recipe']}"
              f"   b/d: {vs['mlm_nsp_over_mlm_only']}")
        for key, ok in vs["targets"].items():
            print(f"target {key}: {'met' if ok else 'not met' if ok is not None else 'n/a'}")
    for key, ok in out["targets"].items():
        print(f"target {key}: {'met' if ok else 'not met' if ok is not None else 'n/a'}")
    for name, err in (out.get("errors") or {}).items():
        print(f"{name}: {err}")
    print(json.dumps(out), flush=True)
    return 0
