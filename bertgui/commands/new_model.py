"""``bertgui new-model``: a small random BERT with a vocabulary learnt from a corpus."""

from __future__ import annotations

import argparse
import sys

NAME = "new-model"
HELP = "Create a small, randomly initialised BERT whose WordPiece vocabulary is trained on a corpus (offline)."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", required=True, nargs="+", help="text files or folders")
    p.add_argument("--output", required=True, help="folder to write (must be empty or new)")
    p.add_argument("--layers", type=int, default=2)
    p.add_argument("--hidden", type=int, default=64)
    p.add_argument("--heads", type=int, default=0, help="attention heads (default: hidden/64, at least 2)")
    p.add_argument("--vocab", type=int, default=4000, help="vocabulary size")
    p.add_argument("--max-positions", type=int, default=512)
    p.add_argument("--cased", action="store_true", help="keep upper case (default: lower-case everything)")
    p.add_argument("--documents", default="auto", choices=["auto", "blank-line", "line", "file"])
    p.add_argument("--text-column", default="text")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--overwrite", action="store_true")


def run(args: argparse.Namespace) -> int:
    from bertgui.files import check_replaceable
    from bertgui.model.new import NewModelSpec, create_model

    if args.overwrite:
        check_replaceable(args.output, whole=True)  # --overwrite replaces a model folder, never someone's other files

    spec = NewModelSpec(layers=args.layers, hidden=args.hidden, heads=args.heads, vocab_size=args.vocab,
                        max_positions=args.max_positions, lowercase=not args.cased, seed=args.seed)
    create_model(args.corpus, args.output, spec, documents=args.documents, text_column=args.text_column,
                 overwrite=args.overwrite, progress=lambda m: print(m, file=sys.stderr))
    return 0
