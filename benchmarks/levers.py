"""Lever sweep: our engine alone (no tutorial run), one child process per setting, repeated, median reported.

Why: each performance lever (per-batch padding, length grouping, the masked-only decoder, SDPA, attention dropout,
thread count, torch.compile, the fused optimizer) must be measured on the machine it is meant for before it is
kept. The output is the Markdown table pasted into benchmarks/README.md, plus one JSON line per setting.

    .venv/bin/python benchmarks/levers.py --corpus ../shared/corpora/meditations.txt --layers 6 --hidden 384 \
        --vocab 30522 --steps 8 --repeats 2 --set "baseline:" --set "no grouping:group_by_length=false"

A setting is ``NAME:KEY=VALUE,KEY=VALUE`` (values are JSON, else strings); ``threads`` is taken by the harness.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bertgui.bench.harness import BenchConfig, resolve_inputs, run_child  # noqa: E402
from bertgui.bench.spec import RunResult, RunSpec  # noqa: E402


def parse_setting(text: str) -> tuple[str, dict]:
    name, _, rest = text.partition(":")
    options: dict = {}
    for part in filter(None, (p.strip() for p in rest.split(","))):
        key, _, value = part.partition("=")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return name.strip(), options


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", default="")
    ap.add_argument("--model", default="")
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--hidden", type=int, default=128)
    ap.add_argument("--vocab", type=int, default=4000)
    ap.add_argument("--max-seq-length", type=int, default=512)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=1)
    ap.add_argument("--set", dest="settings", action="append", default=[], required=True)
    args = ap.parse_args()
    cfg = BenchConfig(model=args.model, corpus=args.corpus, layers=args.layers, hidden=args.hidden,
                      vocab=args.vocab)
    corpus, model = resolve_inputs(cfg, lambda m: print(m, file=sys.stderr))
    rows = []
    for text in args.settings:
        name, options = parse_setting(text)
        threads = int(options.pop("threads", 0))
        runs: list[RunResult] = []
        for _ in range(args.repeats):
            spec = RunSpec(kind="engine", model=model, corpus=corpus, max_seq_length=args.max_seq_length,
                           batch_size=args.batch_size, steps=args.steps, warmup=args.warmup, threads=threads,
                           options=options)
            res = run_child(spec)
            if not res["ok"]:
                print(f"{name}: {res['error']}", file=sys.stderr)
                continue
            runs.append(RunResult.from_dict(res["result"]))
        if not runs:
            rows.append((name, "failed", "", "", "", ""))
            continue
        tps = [r.tokens_per_s for r in runs]
        loads = [r.extra.get("load_avg_1m") for r in runs]
        line = {"setting": name, "options": options, "threads": runs[0].threads, "tokens_per_s": tps,
                "padding_share": runs[0].padding_share, "peak_rss_bytes": max(r.peak_rss_bytes for r in runs),
                "flops_per_s": [r.flops_per_s for r in runs], "load_avg_1m": loads}
        print(json.dumps(line), flush=True)
        rows.append((name, f"{statistics.median(tps):,.0f}", " / ".join(f"{t:,.0f}" for t in tps),
                     f"{runs[0].padding_share:.0%}", f"{max(r.peak_rss_bytes for r in runs) / 2**30:.2f} GiB",
                     f"{statistics.median(r.flops_per_s for r in runs) / 1e9:.0f}"))
    print("\n| setting | real tokens/s (median) | runs | padding | peak RSS | GFLOP/s |")
    print("| --- | ---: | --- | ---: | ---: | ---: |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
