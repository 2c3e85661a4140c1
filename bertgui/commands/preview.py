"""``bertgui preview``: the NSP pairs, the masks and the corpus statistics, before any training.

Why a command: a person (or a script, with ``--json``) can check on a server without a display that documents,
sentences and masks look right — the same data the window shows. By default it reads only the first documents
(about a second on any corpus); ``--full`` prepares the whole corpus (cached) for exact statistics.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

NAME = "preview"
HELP = ("Show NSP pairs, masked sequences (mask / random / kept) and corpus statistics for a corpus and a model's "
        "tokenizer.")

RESET = "\033[0m"
KIND_STYLE = {"masked": "\033[1;97;44m", "random": "\033[1;97;41m", "kept": "\033[1;30;42m",
              "special": "\033[2m", "not selected": ""}
SEGMENT_STYLE = {"A": "\033[36m", "B": "\033[33m"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", required=True, nargs="+", help="text files, tables or folders")
    p.add_argument("--model", required=True, help="model folder or hub id (its tokenizer is used)")
    p.add_argument("--config", help="a run configuration (TOML) to take masking and length settings from")
    p.add_argument("--pairs", type=int, default=3, help="NSP pairs to show (default 3)")
    p.add_argument("--masked", type=int, default=2, help="masked sequences to show (default 2)")
    p.add_argument("--seed", type=int, help="seed for pairs and masks (default: the configuration's)")
    p.add_argument("--max-seq-length", type=int, help="longest sequence in tokens (default 128)")
    p.add_argument("--mlm-only", action="store_true", help="no NSP: plain segments")
    p.add_argument("--documents", choices=["auto", "blank-line", "line", "file"], help="how text files split")
    p.add_argument("--text-column", help="column of .csv/.tsv/.jsonl files holding the text")
    p.add_argument("--encoding", help="encoding of the corpus files: auto (default: UTF-8, else a guess that is "
                                      "shown) or a name such as latin-1, cp1252, cp1250, cp1257, gb18030")
    p.add_argument("--sample-documents", type=int, default=200, help="documents read for the quick look")
    p.add_argument("--full", action="store_true",
                   help="statistics over the whole corpus (prepares and caches it; may take minutes)")
    p.add_argument("--json", action="store_true", help="print one JSON document instead of coloured text")
    p.add_argument("--color", choices=["auto", "always", "never"], default="auto")
    p.add_argument("--allow-pickle", action="store_true",
                   help="allow a model whose weights are only pickle (.bin) files (read with torch's safe loader)")


def _config(args: argparse.Namespace) -> Any:
    from bertgui.config import RunConfig

    config = RunConfig.load(args.config) if args.config else RunConfig()
    changes: dict[str, Any] = {"corpus": list(args.corpus), "model": args.model}
    if args.seed is not None:
        changes["seed"] = args.seed
    if args.max_seq_length is not None:
        changes["max_seq_length"] = args.max_seq_length
    if args.mlm_only:
        changes["nsp"] = False
    if args.documents:
        changes["documents"] = args.documents
    if args.text_column:
        changes["text_column"] = args.text_column
    if args.allow_pickle:
        changes["allow_pickle"] = True
    if args.encoding:
        changes["encoding"] = args.encoding
    return config.replace(**changes)


def run(args: argparse.Namespace) -> int:
    from bertgui.data.preview import (
        corpus_stats,
        masking_kwargs,
        open_sample_for,
        pair_kwargs,
        preview_masking,
        preview_pairs,
    )
    from bertgui.model.loading import UNK_LIMIT, load_tokenizer, resolve_model
    from bertgui.text import text

    config = _config(args)
    tokenizer = load_tokenizer(resolve_model(config.model, allow_pickle=config.allow_pickle))
    sample = open_sample_for(config, tokenizer, max_documents=args.sample_documents)
    notes = list(sample.notes)
    encodings = sample.encodings_dict()
    pairs = preview_pairs(sample.corpus, tokenizer, args.pairs, **pair_kwargs(config))
    masked = preview_masking(sample.corpus, tokenizer, args.masked, **masking_kwargs(config))
    if args.full:
        from bertgui.data.prepare import prepare_corpus

        def progress(done: int, total: int, message: str) -> None:
            if not args.json:
                print(f"\r{message:<60}", end="", file=sys.stderr, flush=True)

        prepared = prepare_corpus(config, tokenizer, progress=progress)
        if not args.json:
            print(file=sys.stderr)
        notes += prepared.notes
        seen = {e["file"] for e in encodings}
        encodings += [{"file": f, **g} for f, g in prepared.encodings.items() if f not in seen]
        stats = corpus_stats(prepared.all, tokenizer, **pair_kwargs(config))
    else:
        stats = corpus_stats(sample.corpus, tokenizer, sample=True, **pair_kwargs(config))
    notes += stats.notes
    if stats.unk_rate > UNK_LIMIT:  # training refuses such a tokenizer (bertgui.model.loading.check_unknown_share)
        notes.append(text("The tokenizer reads {0:.0%} of this text as [UNK]: training with this model is refused. "
                          "Choose a model whose vocabulary covers the corpus's language and script.", stats.unk_rate))
    notes = list(dict.fromkeys(notes))
    if args.json:
        print(json.dumps({"model": config.model, "corpus": config.corpus, "encodings": encodings,
                          "stats": stats.to_dict(),
                          "pairs": [p.to_dict() for p in pairs], "masking": [m.to_dict() for m in masked],
                          "notes": notes}, ensure_ascii=False))
        return 0
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    print(format_text(stats, pairs, masked, notes, color=color, encodings=encodings))
    return 0


# ---------------------------------------------------------------------------------------------- text output
def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{RESET}" if color and style else text


def _sentences(span: tuple[int, int] | None) -> str:
    if span is None:
        return ""
    a, b = span
    return f"sentence {a + 1}" if a == b else f"sentences {a + 1}–{b + 1}"


def _encoding_line(encodings: list[dict[str, Any]]) -> str:
    """'Encoding: utf-8' for one file, 'Encoding: a.txt utf-8; b.txt cp1252 (guessed, 97 %)' for several."""
    from pathlib import Path

    def label(e: dict[str, Any]) -> str:
        if e.get("label"):
            return str(e["label"])
        if e.get("how") == "detected":
            return f"{e['encoding']} ({'weak guess' if e.get('weak') else 'guessed'}, {e['confidence']:.0%})"
        return str(e["encoding"])

    labels = {label(e) for e in encodings}
    if len(labels) == 1:
        return f"Encoding: {labels.pop()}"
    return "Encoding: " + "; ".join(f"{Path(e['file']).name} {label(e)}" for e in encodings)


def format_text(stats: Any, pairs: list[Any], masked: list[Any], notes: list[str], *, color: bool,
                encodings: list[dict[str, Any]] | None = None) -> str:
    lines: list[str] = []
    scope = "first documents (sample)" if stats.sample else "whole corpus"
    if encodings:
        lines.append(_encoding_line(encodings))
    lines.append(f"Corpus statistics — {scope}")
    lines.append(f"  {stats.documents:,} documents ({stats.multi_sentence_documents:,} with 2+ sentences), "
                 f"{stats.sentences:,} sentences, {stats.words:,} words, {stats.tokens:,} tokens")
    lines.append(f"  {stats.tokens_per_word:.2f} tokens per word, {stats.tokens_per_sentence:.1f} tokens per "
                 f"sentence, [UNK] {stats.unk_rate:.2%}, word boundaries from {stats.word_segmenter}")
    what = "NSP pairs" if stats.nsp else "MLM-only segments"
    extra = f", {stats.random_next_share:.0%} with a random B" if stats.nsp else ""
    lines.append(f"  {stats.sequences_per_epoch:,} {what} per epoch at max length {stats.max_seq_length}{extra}; "
                 f"{stats.truncated_share:.0%} trimmed to fit")
    if stats.fragmented_words:
        frag = ", ".join(f"{w.word} → {' '.join(w.pieces)} ({w.count}×)" for w in stats.fragmented_words[:8])
        lines.append(f"  most fragmented frequent words: {frag}")
    for p in pairs:
        lines.append("")
        where_a = f"{p.a_source} #{p.a_document + 1}, {_sentences(p.a_sentences)}"
        head = f"Pair {p.index + 1}: {p.label_text} — A: {where_a}"
        if p.b_sentences is not None:
            head += f"; B: {p.b_source} #{p.b_document + 1}, {_sentences(p.b_sentences)}"
        if p.truncated:
            head += " (trimmed to fit)"
        lines.append(head)
        lines.append("  " + _paint("A: " + p.text_a, SEGMENT_STYLE["A"], color))
        if p.b_sentences is not None:
            lines.append("  " + _paint("B: " + p.text_b, SEGMENT_STYLE["B"], color))
    if masked:
        lines.append("")
        legend = " ".join(_paint(f" {k} ", KIND_STYLE[k], color) for k in ("masked", "random", "kept"))
        lines.append(f"Masked sequences — {legend}; A {_paint('cyan', SEGMENT_STYLE['A'], color)}, "
                     f"B {_paint('yellow', SEGMENT_STYLE['B'], color)}"
                     + ("" if color else "  (masked: [MASK]:original, random: shown:original, kept: =original=)"))
    for m in masked:
        words = []
        for t in m.tokens:
            if t.kind == "masked" or t.kind == "random":
                text = f"{t.shown}:{t.token}"
            elif t.kind == "kept" and not color:
                text = f"={t.token}="
            else:
                text = t.token
            style = KIND_STYLE[t.kind] or SEGMENT_STYLE[t.segment]
            words.append(_paint(text, style, color))
        counts = ", ".join(f"{k} {v}" for k, v in sorted(m.counts.items()))
        lines.append(f"  #{m.index + 1} ({m.label_text}; {counts})")
        lines.append("    " + " ".join(words))
    for n in notes:
        lines.append(f"Note: {n}")
    return "\n".join(lines)
