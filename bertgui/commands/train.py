"""``bertgui train``: the same run as the window's Train page, headless, also under ``torchrun``.

WHY flags on top of TOML: a saved configuration (from the GUI or a colleague) is the reproducible record; the few
flags people change between runs (corpus, steps, batch size, output) override it without editing the file. With
``--json`` every engine event is one JSON line on stdout — the GUI's process runs and scripts read them back.
Under torchrun only rank 0 prints. The flags themselves (one per ``RunConfig`` key, and the Hugging Face names) are
in ``bertgui.commands.train_args``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from bertgui.commands.train_args import add_arguments, build_config  # the flags live there

NAME = "train"
HELP = "Continue pre-training a model on your corpus (MLM + NSP, or MLM only); checkpoints, resume, events."

__all__ = ["HELP", "NAME", "add_arguments", "build_config", "run"]


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bertgui.commands.launch import maybe_relaunch
    from bertgui.errors import ConfigError

    if (relaunched := maybe_relaunch()) is not None:  # accelerate launch --cpu --num_processes N
        return relaunched
    config = build_config(args)
    if not config.corpus:
        raise ConfigError("No corpus given.", "Pass --corpus FILE… or a --config with [corpus] paths.")
    out = Path(config.output_dir)
    rank = int(os.environ.get("RANK", 0))
    if (not args.resume and not args.overwrite and rank == 0 and out.is_dir()
            and any(p.name.startswith("checkpoint-") for p in out.iterdir())):
        raise ConfigError(f"{out} already holds a training run.",
                          f"Resume it with --resume {out}, pass --overwrite to start afresh, or choose another "
                          "--output.")
    if args.overwrite and not args.resume and rank == 0 and out.is_dir():
        import shutil

        for old in out.glob("checkpoint-*"):
            shutil.rmtree(old, ignore_errors=True)
    from bertgui.engine import train

    printer = JsonPrinter() if args.json else ProgressPrinter()
    result = train(config, printer if rank == 0 else None, resume=args.resume or None)
    printer.close()
    if rank == 0 and result.final_model_dir:  # the same complete folder as an export: card, loss curve, config
        from bertgui.results.export import finish_run_folder

        finish_run_folder(result.output_dir)
    if result.failed is not None:
        return 2
    return 0


class JsonPrinter:
    def __call__(self, ev: Any) -> None:
        from bertgui.events import event_to_dict

        sys.stdout.write(json.dumps(event_to_dict(ev)) + "\n")
        sys.stdout.flush()

    def close(self) -> None:
        pass


class ProgressPrinter:
    """A tqdm bar with loss, tokens/s and ETA; other events as short lines above it."""

    def __init__(self) -> None:
        self.bar: Any = None

    def _line(self, text: str) -> None:
        if self.bar is not None:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr)

    def __call__(self, ev: Any) -> None:
        from tqdm import tqdm

        from bertgui.events import (
            CheckpointSaved,
            EvalMetrics,
            Failed,
            Finished,
            Progress,
            RunStarted,
            StepMetrics,
        )

        if isinstance(ev, RunStarted):
            self._line(f"Training {ev.mode} on {ev.device_name} ({ev.precision}), {ev.num_parameters / 1e6:.1f} M "
                       f"parameters, {ev.train_documents} documents, {ev.train_sequences} sequences per epoch, "
                       f"{ev.total_steps} steps; output {ev.output_dir}")
            if ev.new_heads:
                self._line(f"  New (random) heads: {', '.join(ev.new_heads)}")
            self.bar = tqdm(total=ev.total_steps, initial=ev.resumed_from_step, unit="step", file=sys.stderr,
                            dynamic_ncols=True)
        elif isinstance(ev, StepMetrics):
            if self.bar is not None:
                self.bar.n = ev.step
                post = {"loss": f"{ev.loss:.3f}", "tok/s": f"{ev.tokens_per_second:,.0f}"}
                if ev.nsp_loss is not None:
                    post["mlm"] = f"{ev.mlm_loss:.3f}"
                    post["nsp"] = f"{ev.nsp_loss:.3f}"
                self.bar.set_postfix(post, refresh=True)
        elif isinstance(ev, EvalMetrics):
            nsp = f", NSP accuracy {ev.nsp_accuracy:.1%}" if ev.nsp_accuracy is not None else ""
            self._line(f"Evaluation {ev.when} ({ev.split}, step {ev.step}): MLM loss {ev.mlm_loss:.4f}, perplexity "
                       f"{ev.perplexity:.2f}, masked accuracy {ev.masked_accuracy:.1%}{nsp}")
        elif isinstance(ev, CheckpointSaved):
            self._line(f"Checkpoint saved: {ev.path}")
        elif isinstance(ev, Progress):
            if ev.message and ev.stage != "corpus":
                self._line(ev.message)
        elif isinstance(ev, Finished):
            self.close()
            what = "Stopped" if ev.stopped else "Finished"
            self._line(f"{what} at step {ev.step} after {ev.elapsed_s:.0f} s. Model: "
                       f"{ev.summary.get('final_model_dir') or ev.output_dir}")
        elif isinstance(ev, Failed):
            self.close()
            self._line(f"bertgui: error: {ev.message}")
            if ev.advice:
                self._line(f"  {ev.advice}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
