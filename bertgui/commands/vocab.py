"""``bertgui vocab``: the corpus words the model's vocabulary cuts into most pieces; optionally add them.

Mining needs only the tokenizer (fast, no weights). With ``--add N --output DIR`` (or ``--words``), the model
is loaded, the words are added (``[unused…]`` slots first unless ``--no-reuse-unused``), and a folder that stock
transformers loads is written, followed by tokens per word and [UNK] rate before/after on the corpus.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from bertgui.errors import BertguiError

NAME = "vocab"
HELP = ("Rank the corpus words that the model's vocabulary splits into many pieces (tokens saved if added); "
        "with --add N --output DIR, write a model with the top words added as single tokens.")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", required=True, nargs="+", help="text files or folders")
    p.add_argument("--model", required=True, help="model folder, cached model or hub id")
    p.add_argument("--top", type=int, default=30, help="how many candidates to list (default 30)")
    p.add_argument("--general", nargs="+", default=None,
                   help="general-text files: leave out words not at least --min-ratio times more frequent in the "
                        "corpus than here")
    p.add_argument("--min-count", type=int, default=3, help="least occurrences for a candidate (default 3)")
    p.add_argument("--min-ratio", type=float, default=2.0,
                   help="with --general: least ratio of relative frequencies corpus/general (default 2)")
    p.add_argument("--chinese", default="auto", choices=["auto", "jieba", "ngram", "off"],
                   help="Chinese candidates: jieba words (auto when installed) or frequent 2–4 character n-grams")
    p.add_argument("--documents", default="auto", choices=["auto", "blank-line", "line", "file"])
    p.add_argument("--text-column", default="text")
    p.add_argument("--add", type=int, default=0, metavar="N", help="add the top N candidates (needs --output)")
    p.add_argument("--words", nargs="+", default=None, help="add these words (needs --output)")
    p.add_argument("--output", default=None, help="folder for the extended model (new or empty)")
    p.add_argument("--no-reuse-unused", action="store_true",
                   help="grow the embedding matrix instead of renaming the vocabulary's [unused…] slots")
    p.add_argument("--overwrite", action="store_true", help="replace a non-empty --output folder")
    p.add_argument("--allow-pickle", action="store_true", help="allow pickle (.bin) weights (can run code)")
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args: argparse.Namespace) -> int:
    from bertgui.data.corpus import corpus_files
    from bertgui.model.loading import load_tokenizer, resolve_model
    from bertgui.vocab.report import mine_vocabulary

    adding = args.add > 0 or bool(args.words)
    if adding and not args.output:
        raise BertguiError("--add and --words need --output: the folder for the extended model.",
                           "Add --output DIR (a new or empty folder).")
    if args.output and not adding:
        raise BertguiError("--output is given but nothing to add.", "Add --add N or --words W1 W2 ….")
    out = Path(args.output) if args.output else None
    if out is not None and out.exists() and any(out.iterdir()) and not args.overwrite:
        raise BertguiError(f"{out} exists and is not empty.", "Choose an empty folder or pass --overwrite.")
    if out is not None and args.overwrite:
        from bertgui.files import check_replaceable

        check_replaceable(out, whole=True)  # --overwrite replaces a model folder, never someone's other files
    say = (lambda m: print(m, file=sys.stderr)) if not args.json else (lambda _m: None)
    corpus = [Path(p) for p in args.corpus]  # Path: always read as a file (a missing one is an error, not text)
    general = [Path(p) for p in args.general] if args.general else None
    corpus_files(args.corpus)
    if args.general:
        corpus_files(args.general)

    info = resolve_model(args.model, allow_pickle=args.allow_pickle)
    tokenizer = load_tokenizer(info)
    say(f"Counting words of {', '.join(args.corpus)} with the {info.name} tokenizer…")
    candidates = mine_vocabulary(corpus, tokenizer, top=max(args.top, args.add), general=general,
                                 min_count=args.min_count, min_ratio=args.min_ratio, chinese=args.chinese,
                                 documents=args.documents, text_column=args.text_column)
    result: dict[str, Any] = {"model": info.name, "corpus": args.corpus, **candidates.to_dict()}
    result["candidates"] = result["candidates"][:args.top]
    if not args.json:
        print(_table(candidates[:args.top], candidates.total_tokens, args.general is not None))
    if adding:
        words = list(args.words or []) + [c.word for c in candidates[:args.add]]
        if not words:
            raise BertguiError("No candidate words to add: none is frequent and fragmented enough.",
                               "Lower --min-count or --min-ratio, or name the words with --words.")
        result["change"], result["report"] = _add(info, tokenizer, words, corpus, out, args, say)
        if not args.json:
            print(_report_lines(result["change"], result["report"], out))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


def _add(info: Any, tokenizer: Any, words: list[str], corpus: list[Path], out: Path, args: argparse.Namespace,
         say: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    from bertgui.files import mark_model_folder, normalize_modes, place_folder
    from bertgui.model.loading import load_model
    from bertgui.vocab.report import extend_vocabulary, vocabulary_report

    say(f"Loading {info.name} and adding {len(words)} word(s)…")
    loaded = load_model(info, nsp=info.can_nsp, allow_pickle=args.allow_pickle)
    change = extend_vocabulary(loaded.model, loaded.tokenizer, words, reuse_unused=not args.no_reuse_unused)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".bertgui-vocab-", dir=out.parent))
    try:
        loaded.model.save_pretrained(tmp)
        change.tokenizer.save_pretrained(tmp)
        mark_model_folder(tmp)  # bertgui's: a later --overwrite may replace it
        normalize_modes(tmp)
        place_folder(tmp, out, overwrite=args.overwrite)  # the old folder goes only once the new one is in place
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    say("Measuring the corpus before and after…")
    report = vocabulary_report(corpus, tokenizer, change.tokenizer, words=list(change.added),
                               documents=args.documents, text_column=args.text_column)
    return change.to_dict(), report


def _table(cands: list[Any], total_tokens: int, general: bool) -> str:
    head = f"{'#':>3}  {'word':<24} {'count':>8} {'pieces':>6} {'saved':>8} {'share':>7}"
    head += f" {'×general':>9}" if general else ""
    lines = [f"{total_tokens:,} tokens in the corpus; candidates by tokens saved (count × (pieces − 1)):", head]
    for i, c in enumerate(cands, 1):
        row = f"{i:>3}  {c.word:<24} {c.count:>8,} {c.n_pieces:>6} {c.tokens_saved:>8,} {c.share:>7.2%}"
        if general:
            row += f" {c.general_ratio:>9.1f}"
        lines.append(row + f"  {' '.join(c.pieces)}")
    if not cands:
        lines.append("  (no word occurs often enough and costs more than one token)")
    return "\n".join(lines)


def _report_lines(change: dict[str, Any], report: dict[str, Any], out: Path) -> str:
    b, a = report["before"], report["after"]
    lines = [f"Added {len(change['added'])} word(s) ({change['reused_unused_slots']} in [unused…] slots); "
             f"embedding rows {change['old_vocab_size']:,} → {change['new_vocab_size']:,}."]
    lines += [f"  skipped {w!r}: {why}" for w, why in change["skipped"].items()]
    lines.append(f"Tokens per word {b['tokens_per_word']:.3f} → {a['tokens_per_word']:.3f} "
                 f"({report['token_reduction']:.1%} fewer tokens); [UNK] rate {b['unk_rate']:.3%} → "
                 f"{a['unk_rate']:.3%} ({report['words']:,} words, {report['documents']:,} documents).")
    lines.append(f"Wrote {out}.")
    return "\n".join(lines)
