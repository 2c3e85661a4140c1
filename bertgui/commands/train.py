"""``bertgui train``: the same run as the window's Train page, headless, also under ``torchrun``.

WHY flags on top of TOML: a saved configuration (from the GUI or a colleague) is the reproducible record; the few
flags people change between runs (corpus, steps, batch size, output) override it without editing the file. With
``--json`` every engine event is one JSON line on stdout — the GUI's process runs and scripts read them back.
Under torchrun only rank 0 prints.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

NAME = "train"
HELP = "Continue pre-training a model on your corpus (MLM + NSP, or MLM only); checkpoints, resume, events."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", help="run configuration (TOML); flags below override it")
    p.add_argument("--corpus", nargs="+", help="text files or folders")
    p.add_argument("--model", help="base model: folder or hub id")
    p.add_argument("--output", help="output folder (checkpoints, logs, final model)")
    p.add_argument("--no-nsp", action="store_true", help="masked language modelling only")
    steps = p.add_mutually_exclusive_group()
    steps.add_argument("--max-steps", type=int, help="optimizer steps (overrides epochs)")
    steps.add_argument("--epochs", type=float, help="passes over the corpus")
    p.add_argument("--batch-size", type=int, help="sequences per step on each device")
    p.add_argument("--gradient-accumulation", type=int, help="micro-batches per optimizer step")
    p.add_argument("--max-seq-length", type=int, help="longest sequence in tokens")
    p.add_argument("--learning-rate", type=float, help="peak learning rate")
    p.add_argument("--seed", type=int, help="seed for pairs, masks and initialisation")
    p.add_argument("--device", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--checkpoint-every", type=int, help="save a checkpoint every N steps")
    p.add_argument("--eval-every", type=int, help="evaluate every N steps (0: before and after only)")
    p.add_argument("--log-every", type=int, help="report the loss every N steps")
    p.add_argument("--resume", metavar="DIR", help="continue from the last checkpoint in DIR (or a checkpoint folder)")
    p.add_argument("--overwrite", action="store_true", help="start afresh in an output folder that holds a run")
    p.add_argument("--allow-pickle", action="store_const", const=True, help="allow pickle (.bin) weights (safe loader)")
    p.add_argument("--json", action="store_true", help="one JSON object per event on stdout")


FLAG_FIELDS = {"model": "model", "output": "output_dir", "max_steps": "max_steps", "epochs": "epochs",
               "batch_size": "batch_size", "gradient_accumulation": "gradient_accumulation",
               "max_seq_length": "max_seq_length", "learning_rate": "learning_rate", "seed": "seed",
               "device": "device", "checkpoint_every": "checkpoint_every", "eval_every": "eval_every",
               "log_every": "log_every", "allow_pickle": "allow_pickle"}


def build_config(args: argparse.Namespace) -> Any:
    from pathlib import Path

    from bertgui.config import RunConfig

    if args.config:
        config = RunConfig.load(args.config)
    elif args.resume and (Path(args.resume) / "bertgui.toml").exists() and not args.corpus:
        config = RunConfig.load(Path(args.resume) / "bertgui.toml")  # resume = the run's own settings
    else:
        config = RunConfig()
    changes: dict[str, Any] = {}
    if args.corpus:
        changes["corpus"] = list(args.corpus)
    for flag, name in FLAG_FIELDS.items():
        value = getattr(args, flag, None)
        if value is not None:
            changes[name] = value
    if args.epochs is not None:
        changes["max_steps"] = 0
    if args.no_nsp:
        changes["nsp"] = False
    if args.resume and "output_dir" not in changes and not args.config:
        res = Path(args.resume)
        changes["output_dir"] = str(res.parent if (res / "trainer_state.json").exists() else res)
    return config.replace(**changes)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bertgui.errors import ConfigError

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
