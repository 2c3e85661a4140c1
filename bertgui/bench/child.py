"""Entry point of one benchmark child process: reads a RunSpec (JSON) on stdin, prints one result line.

Run as ``python -m bertgui.bench.child``. The result is the last stdout line, prefixed with ``RESULT_PREFIX`` so
that anything a library prints on stdout cannot be mistaken for it.
"""

from __future__ import annotations

import json
import os
import sys
import traceback

RESULT_PREFIX = "BERTGUI_BENCH_RESULT "


def run_spec(spec_dict: dict) -> dict:
    from bertgui.bench.spec import RunSpec, peak_rss_bytes

    spec = RunSpec.from_dict(spec_dict)
    if spec.kind == "tutorial":
        from bertgui.bench.tutorial_loop import run

        return run(spec).to_dict()
    if spec.kind == "recipe":
        from bertgui.bench.recipe_loop import run

        return run(spec).to_dict()
    if spec.kind == "engine":
        from bertgui.bench.engine_loop import run

        return run(spec).to_dict()
    if spec.kind == "matmul":
        from bertgui.bench.flops import measure_matmul_flops

        size = int(spec.options.get("size", 2048))
        dtype = spec.options.get("dtype", "float32")
        rate = measure_matmul_flops(spec.device, size=size, dtype=dtype, threads=spec.threads or None,
                                    seconds=float(spec.options.get("seconds", 1.5)))
        import torch

        return {"kind": "matmul", "flops_per_s": rate, "size": size, "dtype": dtype,
                "threads": torch.get_num_threads(), "peak_rss_bytes": peak_rss_bytes()}
    raise ValueError(f"unknown benchmark kind {spec.kind!r}")


def main() -> int:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    spec_dict = json.loads(sys.stdin.read())
    try:
        result = {"ok": True, "result": run_spec(spec_dict)}
    except Exception as exc:  # reported to the parent, which decides what to show
        from bertgui.bench.engine_loop import EngineUnavailable

        result = {"ok": False, "unavailable": isinstance(exc, EngineUnavailable),
                  "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()}
    sys.stdout.flush()
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
