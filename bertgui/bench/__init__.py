"""Training-throughput benchmark: the well-known tutorial loop against our engine, on the same model and data.

Why it exists: the app's promise is that continued pre-training is affordable on an ordinary computer. The
benchmark measures that promise against the baseline most people copy (a tutorial that pads every pair to 512
tokens and decodes the whole vocabulary at every position), as ratios measured in one run on one machine, so the
figures hold on whatever machine runs it. ``bertgui bench`` is the entry point; see benchmarks/README.md.
"""

from bertgui.bench.harness import BenchConfig, run_bench

__all__ = ["BenchConfig", "run_bench"]
