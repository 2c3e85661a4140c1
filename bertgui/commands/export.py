"""``bertgui export``: a run folder (or one checkpoint) as a complete model folder, optionally published on the Hub.

WHY the same function as the window: ``export_model`` writes weights and tokenizer into a temporary folder,
``complete_model_folder`` adds the card, the loss curve, ``bertgui.toml`` and the sentence-transformers modules,
the result is loaded back and renamed into place — the window's Export page calls the same code, so the two
folders are the same. ``--push-to-hub`` publishes the finished folder; without OUTPUT it publishes an earlier
export as it is (to retry a push that failed).
"""

from __future__ import annotations

import argparse
import sys

NAME = "export"
HELP = "Write a trained run (or a checkpoint) as a standard Hugging Face model folder; optionally publish it."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("source", metavar="RUN_DIR_OR_CHECKPOINT",
                   help="a run's output folder, one of its checkpoint-N folders, or an exported folder to publish")
    p.add_argument("output", metavar="OUTPUT", nargs="?",
                   help="the folder to write (leave it out with --push-to-hub to publish an exported folder as it is)")
    p.add_argument("--overwrite", action="store_true", help="replace OUTPUT if it holds files")
    p.add_argument("--license", default="", help="license for the model card, e.g. apache-2.0 (default: none)")
    p.add_argument("--push-to-hub", metavar="REPO", help="publish the folder as REPO (your-name/model-name)")
    p.add_argument("--private", action="store_true", help="with --push-to-hub: create a private repository")
    p.add_argument("--allow-pickle", action="store_true",
                   help="read a model whose weights are only pickle files (through torch's safe loader)")
    p.add_argument("--with-examples", action="store_true",
                   help="keep the held-out sentences of 'what the model learned' (your corpus text) in the card and "
                        "summary; not with --push-to-hub")
    p.add_argument("--no-verify", action="store_true", help="skip loading the export back with transformers")
    p.add_argument("--best", action="store_true",
                   help="export the run's best trade-off: the evaluated checkpoint with the lowest held-out "
                        "perplexity whose general text and embedding check stay within 10 %% of the base model")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from bertgui.errors import ConfigError

    if args.private and not args.push_to_hub:
        raise ConfigError("--private only applies to --push-to-hub.", "Add --push-to-hub REPO, or drop --private.")
    if args.with_examples and args.push_to_hub:
        raise ConfigError("--with-examples puts sentences of your corpus into the folder; it is not for the Hub.",
                          "Drop --with-examples to publish, or export without --push-to-hub.")
    if args.output is None and not args.push_to_hub:
        raise ConfigError("No OUTPUT folder given.", "Name the folder to write: bertgui export RUN_DIR OUTPUT.")
    folder = Path(args.source)
    if args.best:
        from bertgui.results.choose import choose_checkpoint

        choice = choose_checkpoint(args.source)
        for line in choice.lines():
            print(line, file=sys.stderr)
        if choice.best is None:
            raise ConfigError(choice.reason, "Export a checkpoint folder by name instead (RUN_DIR/checkpoint-N).")
        args.source = choice.best.path
    if args.output is not None:
        from bertgui.results.export import export_model

        name = args.push_to_hub.split("/")[-1] if args.push_to_hub else ""

        def progress(done: int, total: int, message: str) -> None:
            print(f"[{done}/{total}] {message}", file=sys.stderr)

        folder = export_model(args.source, args.output, overwrite=args.overwrite, progress=progress,
                              verify=not args.no_verify, license=args.license, model_name=name,
                              allow_pickle=args.allow_pickle, examples=args.with_examples)
        print(f"Exported to {folder}", file=sys.stderr)
    if args.push_to_hub:
        from bertgui.results.hub import push_to_hub

        url = push_to_hub(folder, args.push_to_hub, private=args.private,
                          progress=lambda d, t, m: print(m, file=sys.stderr))
        print(f"Published: {url}", file=sys.stderr)
    print(folder)
    return 0
