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
    from bertgui.commands.launch import maybe_relaunch
    from bertgui.errors import ConfigError

    if (relaunched := maybe_relaunch()) is not None:  # accelerate launch --cpu --num_processes N
        return relaunched
    if args.resume:  # before anything is read or written: bertgui resumes only its own runs
        from bertgui.engine.folder import check_resumable

        check_resumable(args.resume)
    config = build_config(args)
    if not config.corpus:
        raise ConfigError("No corpus given.", "Pass --corpus FILE… or a --config with [corpus] paths.")
    check_run_folder(args, config)
    from bertgui.engine import train

    printer = JsonPrinter() if args.json else ProgressPrinter()
    further = getattr(args, "train_further", None) or 0
    import contextlib

    from bertgui.engine.awake import keep_awake

    with keep_awake() if rank_of() == 0 else contextlib.nullcontext():  # no sleep while it trains (where allowed)
        result = train(config, printer if rank_of() == 0 else None, resume=args.resume or None,
                       overwrite=bool(args.overwrite) and not args.resume, train_further=further)
    printer.close()
    if rank_of() == 0 and result.final_model_dir:  # the same complete folder as an export: card, loss curve, config
        from bertgui.results.export import finish_run_folder

        finish_run_folder(result.output_dir, on_note=lambda note: print(note, file=sys.stderr))
    if result.failed is not None:
        return 2
    return 0


def rank_of() -> int:
    return int(os.environ.get("RANK", 0))


def check_run_folder(args: argparse.Namespace, config: Any) -> None:
    """Refuse at once, before any model is loaded, what the engine would refuse: a run over another run, a flag
    that would change a resumed run, a folder in use. The engine checks the same again under the run's lock."""
    from pathlib import Path

    from bertgui.config import RunConfig
    from bertgui.engine.folder import CONFIG_FILE, RunBusy, is_run_folder, lock_holder, resume_conflicts
    from bertgui.errors import ConfigError

    out = Path(config.output_dir)
    further = getattr(args, "train_further", None)
    if further is not None and (further < 1 or not args.resume):
        raise ConfigError("--train-further N needs --resume DIR and N ≥ 1.",
                          f"Run: bertgui train --resume {out} --train-further 100")
    if rank_of() != 0:
        return
    holder = lock_holder(out)
    if holder is not None:
        raise RunBusy(out, holder)
    if args.resume and args.overwrite:
        raise ConfigError("--resume and --overwrite contradict each other.",
                          "Pass --resume to continue the run, or --overwrite to start afresh.")
    if not args.resume and not args.overwrite and is_run_folder(out):
        raise ConfigError(f"{out} already holds a training run.",
                          f"Resume it with --resume {out}, pass --overwrite to start afresh, or choose another "
                          "--output.")
    if args.overwrite:
        from bertgui.files import check_replaceable

        check_replaceable(out)
    if args.resume and (out / CONFIG_FILE).exists():
        conflicts = resume_conflicts(RunConfig.load(out / CONFIG_FILE), config)
        if conflicts:
            raise ConfigError(f"--resume continues the run with its own settings; these flags would change it: "
                              f"{'; '.join(conflicts)}.",
                              f"Leave those flags out (bertgui train --resume {out}), or start a new run with "
                              "another --output.")


def summary_lines(summary: dict[str, Any]) -> list[str]:
    """The end-of-run summary a person reads: the run's notes (files or lines of the corpus skipped, an encoding
    guessed weakly: otherwise only in metrics.jsonl), baselines, warnings with advice, what the model learned."""
    from bertgui.results.insights import explain

    notes = [f"Note: {n}" for n in (summary or {}).get("notes") or []]
    try:
        ins = explain(summary or {})
    except (KeyError, TypeError, ValueError):
        return notes
    from bertgui.results.embedding_report import embedding_lines

    out = notes + [f"  {b.line}" for bs in ins.baselines.values() for b in bs]
    out += [f"  {line}" for line in embedding_lines(summary or {})]
    out += [f"Warning: {a.message} {a.advice}" for a in ins.warnings]
    if ins.learned:
        out.append("What the model learned (base guess → tuned guess):")
        out += [f"  {w.line()}" for w in ins.learned]
    return out


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

        if isinstance(ev, RunStarted):  # (a resume was named just before, by the engine's "resume" Progress)
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
            if ev.retrieval_mrr is not None:
                nsp += f", embedding check MRR {ev.retrieval_mrr:.3f}"
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
            for line in summary_lines(ev.summary):
                self._line(line)
        elif isinstance(ev, Failed):
            self.close()
            self._line(f"bertgui: error: {ev.message}")
            if ev.advice:
                self._line(f"  {ev.advice}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
