"""The exported model's README.md: Hub metadata, what a downstream user gets, data, settings, before/after figures.

WHY: an exported folder travels without its author. The card states in plain words which heads are inside (MLM
decoder tied to the embeddings, NSP head and pooler for BertForPreTraining exports), how to load it, what it was
trained on and with which settings, and whether it got better on held-out text — and what it forgot on general text.

WHY huggingface_hub's ``ModelCardData``: the Hub reads the front matter (``base_model`` links the model tree,
``model-index`` renders the evaluation widget); the library writes that YAML the way the Hub parses it, so the
card is valid by construction rather than by our reading of the spec. The card never names a local absolute path:
it is meant to be published, and folder names are the user's business (base names only).
"""

from __future__ import annotations

import re
from typing import Any

HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")

METRICS = [("mlm_loss", "MLM loss", 4, "loss"), ("perplexity", "Perplexity", 2, "perplexity"),
           ("masked_accuracy", "Masked-token accuracy", 4, "accuracy"),
           ("nsp_accuracy", "NSP accuracy", 4, "accuracy")]
# the embedding check (issue 24, bertgui.engine.retrieval): a sentence-similarity result, not a fill-mask one
EMBEDDING_METRICS = [("retrieval_recall_at_1", "Embedding check recall@1", 4, "recall_at_1"),
                     ("retrieval_recall_at_10", "Embedding check recall@10", 4, "recall_at_10"),
                     ("retrieval_mrr", "Embedding check MRR", 4, "mrr")]
EMBEDDING_TASK = ("sentence-similarity", "Embedding check (inverse-cloze retrieval of the next passage)")


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def display_name(name: str) -> str:
    """A hub id as it is; a local path by its base name (a published card must not leak the user's folders)."""
    name = str(name or "").strip()
    if not name or HUB_ID.match(name):
        return name
    return re.split(r"[\\/]", name.rstrip("/\\"))[-1] or name


ABSOLUTE_PATH = re.compile(r"(?<![\w.])(?:[A-Za-z]:[\\/]|/)[^\s`'\"|,;()]+")


def strip_paths(line: str) -> str:
    """Absolute paths in free text (notes) by their base names: ``/home/ann/corpus/a.txt`` → ``a.txt``."""
    return ABSOLUTE_PATH.sub(lambda m: display_name(m.group(0)), line)


def split_label(split: str, general_name: str = "") -> str:
    if split == "eval":
        return "held-out documents of the corpus"
    if split == "general":
        return f"general text ({general_name})" if general_name else "general text"
    return split


def metrics_table(summary: dict[str, Any], general_name: str = "") -> str:
    rows = []
    for split, pair in (summary.get("metrics") or {}).items():
        before, after = pair.get("before") or {}, pair.get("after") or {}
        name = split_label(split, general_name)
        for key, label, digits, _ in METRICS + EMBEDDING_METRICS:
            if before.get(key) is None and after.get(key) is None:
                continue
            rows.append(f"| {name} | {label} | {_fmt(before.get(key), digits)} | {_fmt(after.get(key), digits)} |")
    if not rows:
        return "No evaluation was run (eval share 0)."
    return "| Split | Metric | Before | After |\n|---|---|---|---|\n" + "\n".join(rows)


def eval_results(summary: dict[str, Any], general_name: str = "") -> list[Any]:
    """The before/after figures as ``EvalResult`` rows: the Hub's ``model-index``.

    "After" is this model's result; "before" is the base model on the same frozen masks, named as such so that
    nobody reads it as this model's figure.
    """
    from huggingface_hub import EvalResult

    out = []
    for split, pair in (summary.get("metrics") or {}).items():
        for when in ("after", "before"):
            values = pair.get(when) or {}
            for key, label, _, metric_type in METRICS + EMBEDDING_METRICS:
                value = values.get(key)
                if value is None:
                    continue
                name = label if when == "after" else f"{label} of the base model (before training)"
                task_type, task_name = ("fill-mask", "Masked language modelling")
                if (key, label, _, metric_type) in EMBEDDING_METRICS:
                    task_type, task_name = EMBEDDING_TASK
                out.append(EvalResult(task_type=task_type, task_name=task_name,
                                      dataset_type="text", dataset_name=split_label(split, general_name),
                                      dataset_split="held-out" if split == "eval" else split,
                                      metric_type=metric_type, metric_name=name, metric_value=round(float(value), 6)))
    return out


CARD_FIGURES = ("perplexity", "masked_accuracy", "nsp_accuracy", "general_perplexity", "nsp_majority_share",
                "frequent_token_accuracy", "masked_tokens")


def reading_the_figures(summary: dict[str, Any]) -> list[str]:
    """What each figure means, its baseline, the warnings and the learned words (bertgui.results.insights)."""
    from bertgui.results.insights import MEANINGS, explain

    try:
        ins = explain(summary)
    except (KeyError, TypeError, ValueError):  # a summary from an older bertgui: no insights, the card still builds
        return []
    out = ["### Reading the figures", ""]
    out += [f"- {MEANINGS[name]}" for name in CARD_FIGURES]
    from bertgui.results.embedding_report import MEANING, embedding_lines  # issue 24

    lines = embedding_lines(summary)
    if lines:
        out += [f"- {MEANING}"] + [f"- {line}" for line in lines]
    out += [f"- {b.line}" for bs in ins.baselines.values() for b in bs]
    out.append("")
    if ins.warnings:
        out += ["### Warnings", ""] + [f"- {strip_paths(str(a.message))} {strip_paths(str(a.advice))}"
                                       for a in ins.warnings] + [""]
    if ins.learned:
        out += ["### What the model learned", "",
                "Held-out sentences where the tuned model's guess for a hidden word improved most:", ""]
        out += [f"- {w.line()}" for w in ins.learned] + [""]
    return out


def length_rows(config: Any, summary: dict[str, Any]) -> list[tuple[str, str]]:
    """What the run did, as the card's settings table shows it: steps of the final plan, passes, what set the length.

    WHY not the configured ``max_steps`` / ``epochs``: a time-budget run has ``max_steps = 0`` and the default
    ``epochs = 3`` in its configuration, neither of which it did; the steps were planned (and re-planned) from the
    machine's measured speed. ``summary["passes"]`` is the epoch of the last step (fractions of the training text).
    """
    steps = int(summary.get("steps") or 0)
    planned = int(summary.get("planned_steps") or steps)
    rows = [("Steps trained", f"{steps} of {planned} planned" + (" (stopped early)" if summary.get("stopped")
                                                                 else ""))]
    passes = summary.get("passes")
    if isinstance(passes, (int, float)):
        rows.append(("Passes over the training text", f"{passes:.2f}"))
    budget = str(getattr(config, "time_budget", "") or "").strip()
    max_steps = int(getattr(config, "max_steps", 0) or 0)
    if budget and budget != "0":
        rows.append(("Length set by", f"a time budget of {budget} (steps planned from this machine's measured "
                                      "speed)"))
    elif max_steps:
        rows.append(("Length set by", f"max steps = {max_steps}"))
    elif config is not None:
        rows.append(("Length set by", f"epochs = {_fmt(getattr(config, 'epochs', None), 2)}"))
    return rows


def _what(architecture: str, nsp: bool) -> str:
    if nsp:
        return (f"a `{architecture}` checkpoint: the encoder, the masked-language-model head (its decoder tied to "
                "the word embeddings) and the next-sentence-prediction head with its pooler. `AutoModelForMaskedLM` "
                "and `pipeline(\"fill-mask\")` load the encoder and MLM head (the NSP head is skipped, as with the "
                "original BERT checkpoints); `AutoModel` loads the encoder with its pooler for fine-tuning; "
                "`BertForPreTraining` loads everything, so pre-training can continue.")
    return (f"a `{architecture}` checkpoint: the encoder and the masked-language-model head (decoder tied to the "
            "word embeddings). `AutoModelForMaskedLM` / `pipeline(\"fill-mask\")` load all of it; `AutoModel` loads "
            "the encoder for fine-tuning.")


def probe_card_lines(probe: dict[str, Any]) -> list[str]:
    """The card's section: the probe's figures per model and what the difference means."""
    out = ["## On labelled examples (a probe)", "",
           f"A logistic regression on each model's sentence vectors, {int(probe.get('folds', 0))}-fold "
           f"cross-validated on {int(probe.get('examples', 0)):,} labelled examples "
           f"({len(probe.get('labels') or {})} labels"
           + (f", `{probe['labels_file']}`" if probe.get("labels_file") else "")
           + f"); always guessing the most common label scores {float(probe.get('majority_share', 0)):.1%}.", "",
           "| Model | Accuracy (95 % interval) | Macro-F1 (95 % interval) |", "|---|---|---|"]
    for s in probe.get("scores", []):
        acc, f1 = s.get("accuracy_ci") or (0, 0), s.get("macro_f1_ci") or (0, 0)
        out.append(f"| {display_name(s.get('model', ''))} | {s['accuracy']:.1%} ({acc[0]:.1%}–{acc[1]:.1%}) | "
                   f"{s['macro_f1']:.3f} ({f1[0]:.3f}–{f1[1]:.3f}) |")
    out.append("")
    for c in probe.get("comparisons", []):
        low, high = c.get("macro_f1_diff_ci") or (0, 0)
        verdict = ("better than" if c["macro_f1_diff"] > 0 else "worse than") if c.get("beyond_noise") \
            else "not different beyond the noise from"
        out.append(f"- {display_name(c.get('model', ''))} is {verdict} {display_name(c.get('reference', ''))}: macro-F1 "
                   f"{c['macro_f1_diff']:+.3f} ({low:+.3f} to {high:+.3f}).")
    return [*out, ""]


def model_card(*, config: Any, summary: dict[str, Any], architecture: str, model_type: str,
               has_loss_curve: bool, vocab_added: list[str] | None = None, base_model: str | None = None,
               base_origin: str = "", language: str | None = None, license: str = "",
               model_name: str = "", sentence_transformers: bool = False, license_origin: str = "") -> str:
    """The card's text. ``base_model``: the Hub id the run started from (found by
    :func:`bertgui.results.origin.hub_origin` for a local folder), ``base_origin`` how it was found;
    ``license_origin``: where ``license`` came from when the person chose none (the base model's card)."""
    from huggingface_hub import ModelCard, ModelCardData

    base = str(getattr(config, "model", "") or summary.get("base_model", ""))
    base_label = display_name(base)
    if base_model is None and HUB_ID.match(base):
        base_model = base
    nsp = architecture.endswith("ForPreTraining")
    tags = ["bertgui", "fill-mask", "domain-adaptation", model_type, "masked-language-modeling"]
    if nsp:
        tags.append("next-sentence-prediction")
    if sentence_transformers:
        tags += ["sentence-transformers", "feature-extraction", "sentence-similarity"]
    general_name = display_name(str(getattr(config, "general_corpus", "") or ""))
    if summary.get("general_text") == "sample":
        general_name = "a sample of Python's standard-library documentation"
    results = eval_results(summary, general_name)
    name = model_name or (f"{base_label.split('/')[-1]}-bertgui" if base_label else "bertgui-model")
    data = ModelCardData(base_model=base_model or None, language=language or None, license=license or None,
                         library_name="transformers", pipeline_tag="fill-mask", tags=tags,
                         model_name=name if results else None, eval_results=results or None)
    corpus = summary.get("corpus") or {}
    steps = summary.get("steps", 0)
    files = [display_name(f) for f in corpus.get("files", [])]
    lines = [
        f"# {name}", "",
        f"This model continues the pre-training of `{base_label or 'a BERT model'}` on a domain corpus with masked "
        "language modelling" + (" and next sentence prediction" if nsp else "") + f", for {steps} optimizer steps, "
        "using bertgui.", "",
    ]
    if base_model and base_origin:
        lines += [f"The run started from the local folder `{base_label}`; {base_origin}, so the card names "
                  f"`{base_model}` as the base model.", ""]
    lines += [
        "## What you get", "", f"This folder holds {_what(architecture, nsp)}", "",
        "```python",
        "from transformers import pipeline, AutoModel, AutoTokenizer",
        'fill = pipeline("fill-mask", model="PATH_TO_THIS_FOLDER")',
        'print(fill(f"The {fill.tokenizer.mask_token} is here."))',
        'encoder = AutoModel.from_pretrained("PATH_TO_THIS_FOLDER")  # for fine-tuning / embeddings',
        "```", "",
    ]
    if sentence_transformers:
        lines += ["The base model's sentence-transformers modules (`modules.json`, pooling, normalisation) are kept, "
                  "so it still loads as the same sentence-embedding model:", "",
                  "```python", "from sentence_transformers import SentenceTransformer",
                  'embedder = SentenceTransformer("PATH_TO_THIS_FOLDER")', "```", ""]
    lines += [
        "## Training data", "",
        f"- Files: {', '.join(f'`{f}`' for f in files) or '—'} ({corpus.get('bytes', 0) / 1e6:.1f} MB)",
        f"- Training split: {corpus.get('train_documents', 0):,} documents, {corpus.get('train_sentences', 0):,} "
        f"sentences, {corpus.get('train_tokens', 0):,} tokens",
        f"- Held-out split: {corpus.get('eval_documents', 0):,} documents, {corpus.get('eval_tokens', 0):,} tokens "
        "(whole documents, never seen in training)",
        f"- Tokens processed in training (without padding): {summary.get('real_tokens', 0):,}",
    ]
    if language:
        lines.append(f"- Language: `{language}` (guessed by bertgui from the corpus's script and common words)")
    if vocab_added:
        lines.append(f"- Vocabulary: {len(vocab_added)} domain words added as new tokens: "
                     + ", ".join(f"`{w}`" for w in vocab_added[:50]) + (" …" if len(vocab_added) > 50 else ""))
    lines += ["", "## Training settings", "", "| Setting | Value |", "|---|---|"]
    for key, label in (("nsp", "Next sentence prediction"), ("max_seq_length", "Max sequence length"),
                       ("batch_size", "Batch size per device"), ("gradient_accumulation", "Gradient accumulation"),
                       ("learning_rate", "Peak learning rate"), ("schedule", "Schedule"),
                       ("warmup_ratio", "Warmup share"), ("weight_decay", "Weight decay"),
                       ("mlm_probability", "Masking probability"), ("whole_word_masking", "Whole-word masking"),
                       ("seed", "Seed")):
        value = _fmt(getattr(config, key, None), 6)
        trained = summary.get("learning_rate")
        if key == "learning_rate" and isinstance(trained, (int, float)) and getattr(config, key, None) \
                and abs(trained - float(config.learning_rate)) > 1e-12:  # a base without MLM head: × headless_lr_scale
            value = (f"{_fmt(trained, 6)} ({_fmt(trained / float(config.learning_rate), 3)} × the configured "
                     f"{value}: the base model had no MLM head)")
        lines.append(f"| {label} | {value} |")
    lines += [f"| {label} | {value} |" for label, value in length_rows(config, summary)]
    lines += [f"| Device | {summary.get('device_name', '—')} ({summary.get('precision', '—')}, "
              f"{summary.get('world_size', 1)} process(es)) |",
              "", "The complete run configuration is in `bertgui.toml` (load it in bertgui to repeat the run).", "",
              "## Evaluation", "",
              "Same held-out sequences and the same masked positions before and after training (fixed seed), so the "
              "figures compare. Perplexity = exp(MLM loss) per WordPiece token.", "",
              metrics_table(summary, general_name), ""]
    lines += reading_the_figures(summary)
    if isinstance(summary.get("probe"), dict):  # the person's own labelled examples (bertgui.results.probe)
        lines += probe_card_lines(summary["probe"])
    if has_loss_curve:
        lines += ["## Training loss", "", "![Training loss](loss.png)", "",
                  "Step-by-step values: `loss.csv`.", ""]
    notes = summary.get("notes") or []
    if notes:
        lines += ["## Notes", ""] + [f"- {strip_paths(str(n))}" for n in notes] + [""]
    lines += ["## Before you publish", ""]
    if license and license_origin:
        lines += [f"The licence `{license}` is {license_origin}: no licence was chosen for this model, so the "
                  "base model's was carried over. Check that it fits your corpus and change it if not.", ""]
    lines += ["Fill in `license` and `datasets` in the header above if bertgui could not know them (the corpus is "
              "yours: name it if it is public).", ""]
    content = "---\n" + data.to_yaml() + "\n---\n\n" + "\n".join(lines)
    return str(ModelCard(content))
