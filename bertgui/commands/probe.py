"""``bertgui probe``: do the models' sentence vectors sort your labelled examples, and is one better than another?

WHY: "did continued pre-training help *my* task?" needs a few labelled examples, not a fine-tuning project. The
probe (:mod:`bertgui.results.probe`) fits a logistic regression on each model's embeddings with cross-validation
and says whether the difference between the first model and each other one is beyond the noise.
"""

from __future__ import annotations

import argparse
import json
import sys

NAME = "probe"
HELP = ("Compare models on your own labelled examples: a logistic regression on their sentence embeddings, "
        "cross-validated (accuracy, macro-F1, whether the difference is beyond the noise).")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", action="append", required=True, metavar="MODEL",
                   help="model folder or hub id; repeat it to compare (the first is the reference)")
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
    data = read_labelled(args.labels, text_column=args.text_column, label_column=args.label_column)

    def progress(done: int, total: int, message: str) -> None:
        if not args.json and message:
            figure = f" {done}/{total}" if total else ""
            print(f"\r{message}{figure}   ", end="", file=sys.stderr, flush=True)

    report = run_probe(args.model, data, folds=args.folds, device=args.device, allow_pickle=args.allow_pickle,
                       progress=progress)
    if args.json:
        print(json.dumps(report.to_dict()))
        return 0
    print(file=sys.stderr)
    for line in report.lines():
        print(line)
    print(f"({report.seconds:.0f} s)")
    return 0
