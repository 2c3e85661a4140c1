"""``bertgui eval``: the engine's held-out metrics for any model on any text, comparable across models.

WHY: "did continued pre-training help, and what did it cost elsewhere?" is answered by running the same frozen pairs
and masks through the base model, the trained model and, on a general-text file, both again. Same recipe as the
engine's before/after evaluation (bertgui.engine.evaluation).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

NAME = "eval"
HELP = "Evaluate a model on a corpus: MLM loss, perplexity, masked-token accuracy, NSP accuracy (frozen masks)."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", required=True, help="model folder or hub id")
    p.add_argument("--corpus", required=True, nargs="+", help="text files or folders")
    p.add_argument("--config", help="run configuration (TOML) for masking, length and document settings")
    p.add_argument("--max-seq-length", type=int, help="longest sequence in tokens (default 128)")
    p.add_argument("--max-sequences", type=int, default=2000, help="sequences evaluated at most (default 2000)")
    p.add_argument("--mlm-only", action="store_true", help="do not evaluate NSP")
    p.add_argument("--no-embedding-check", action="store_true",
                   help="skip the embedding check (retrieval of the next passage: recall@1, recall@10, MRR)")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    p.add_argument("--allow-pickle", action="store_true", help="allow pickle (.bin) weights")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from bertgui.config import RunConfig
    from bertgui.results.evaluate import evaluate_files

    config = RunConfig.load(args.config) if args.config else RunConfig()
    changes: dict[str, Any] = {"corpus": list(args.corpus), "model": args.model}
    if args.max_seq_length:
        changes["max_seq_length"] = args.max_seq_length
    config = config.replace(**changes)
    result = evaluate_files(args.model, list(args.corpus), config=config, nsp=False if args.mlm_only else None,
                            device=args.device, max_sequences=args.max_sequences, allow_pickle=args.allow_pickle,
                            embedding_check=not args.no_embedding_check)
    data = {"model": args.model, **result.to_dict()}
    if args.json:
        print(json.dumps(data))
        return 0
    print(f"Model: {args.model}")
    print(f"Sequences: {result.sequences}, masked tokens: {result.masked_tokens}")
    print(f"MLM loss:          {result.mlm_loss:.4f}")
    print(f"Perplexity:        {result.perplexity:.2f}")
    print(f"Masked accuracy:   {result.masked_accuracy:.2%}")
    if result.nsp_accuracy is not None:
        print(f"NSP loss:          {result.nsp_loss:.4f}")
        print(f"NSP accuracy:      {result.nsp_accuracy:.2%}")
    if result.retrieval_mrr is not None:
        from bertgui.engine.retrieval import chance

        luck = chance(result.retrieval_candidates)
        print(f"Embedding check:   recall@1 {result.retrieval_recall_at_1:.1%}, recall@10 "
              f"{result.retrieval_recall_at_10:.1%}, MRR {result.retrieval_mrr:.3f} "
              f"({result.retrieval_queries} queries, each ranked against {result.retrieval_candidates} passages; "
              f"at random: MRR {luck['mrr']:.3f})")
        print("                   how often the model finds the passage that follows a passage of this text "
              "among all the others: higher is better")
    elif result.retrieval_note:
        print(f"Note: {result.retrieval_note}")
    if result.note:
        print(f"Note: {result.note}")
    return 0
