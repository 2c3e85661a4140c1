"""``bertgui probe``: do the models' sentence vectors sort your labelled examples, and is one better than another?

WHY: "did continued pre-training help *my* task?" needs a few labelled examples, not a fine-tuning project. The
probe (:mod:`bertgui.results.probe`) fits a logistic regression on each model's embeddings with cross-validation
and says whether the difference between the first model and each other one is beyond the noise.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

NAME = "probe"
HELP = ("Compare models on your own labelled examples: a logistic regression on their sentence embeddings, "
        "cross-validated (accuracy, macro-F1, whether the difference is beyond the noise).")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", action="append", metavar="MODEL",
                   help="model folder or hub id; repeat it to compare (the first is the reference)")
    p.add_argument("--run", metavar="RUN_DIR",
                   help="a finished run: probe its base model and its trained model (unless --model names others) "
                        "and keep the result in the run folder, so its summary and every export's card show it")
    p.add_argument("--labels", required=True, metavar="FILE",
                   help="CSV, TSV or JSONL with a text and a label column, or a folder with one sub-folder per label")
    p.add_argument("--text-column", help="the text column (default: text, sentence, content, …)")
    p.add_argument("--label-column", help="the label column (default: label, category, class, …)")
    p.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--allow-pickle", action="store_true", help="allow pickle (.bin) weights")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from bertgui.data.labelled import read_labelled
    from bertgui.errors import ConfigError
    from bertgui.results.probe import run_probe

    if args.folds < 2:
        raise ConfigError("--folds must be 2 or more.", "Use the default, 5.")
    models, names, run_dir, step = _models(args)
    data = read_labelled(args.labels, text_column=args.text_column, label_column=args.label_column)

    def progress(done: int, total: int, message: str) -> None:
        if not args.json and message:
            figure = f" {done}/{total}" if total else ""
            print(f"\r{message}{figure}   ", end="", file=sys.stderr, flush=True)

    report = run_probe(models, data, folds=args.folds, device=args.device, allow_pickle=args.allow_pickle,
                       progress=progress, names=names)
    if run_dir is not None:
        from bertgui.results.probe import save_probe

        kept = save_probe(run_dir, report, args.labels, step=step)
        if not args.json:
            print(f"Kept in {kept}: the run's summary and its exports' cards show it.", file=sys.stderr)
    if args.json:
        print(json.dumps(report.to_dict()))
        return 0
    print(file=sys.stderr)
    for line in report.lines():
        print(line)
    print(f"({report.seconds:.0f} s)")
    return 0


def _models(args: argparse.Namespace) -> tuple[list[str], list[str] | None, Path | None, int | None]:
    """The models to probe and what to call them; with ``--run``: the run folder and its step."""
    from bertgui.errors import ConfigError

    if not args.run:
        if not args.model:
            raise ConfigError("Name the models to compare (--model, repeated) or a run (--run RUN_DIR).",
                              "e.g. bertgui probe --run runs/contracts --labels labelled.csv")
        return list(args.model), None, None, None
    from bertgui.config import RunConfig
    from bertgui.engine.folder import CONFIG_FILE, FINAL_MODEL_DIR, read_metrics, read_run
    from bertgui.engine.runs import run_progress

    run = Path(args.run)
    final = run / FINAL_MODEL_DIR
    if not (final / "config.json").is_file() or not (run / CONFIG_FILE).is_file():
        raise ConfigError(f"{run} is not a finished bertgui run (no {FINAL_MODEL_DIR} or {CONFIG_FILE}).",
                          "Name the run's output folder after it has finished, or compare models with --model.")
    step = run_progress(read_metrics(run), read_run(run) or {}).step
    if args.model:
        return list(args.model), None, run, step
    base = RunConfig.load(run / CONFIG_FILE).model
    return [base, str(final)], ["base model", "trained model"], run, step
