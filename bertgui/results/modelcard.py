"""The exported model's README.md: Hub metadata, what a downstream user gets, data, settings, before/after figures.

WHY: an exported folder travels without its author. The card states in plain words which heads are inside (MLM
decoder tied to the embeddings, NSP head and pooler for BertForPreTraining exports), how to load it, what it was
trained on and with which settings, and whether it got better on held-out text — and what it forgot on general text.
"""

from __future__ import annotations

import re
from typing import Any

import yaml  # PyYAML ships with transformers' dependencies

HUB_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")


def _fmt(value: Any, digits: int = 4) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def metrics_table(summary: dict[str, Any]) -> str:
    rows = []
    labels = [("mlm_loss", "MLM loss", 4), ("perplexity", "Perplexity", 2), ("masked_accuracy", "Masked-token accuracy",
                                                                           4),
              ("nsp_accuracy", "NSP accuracy", 4)]
    for split, pair in (summary.get("metrics") or {}).items():
        before, after = pair.get("before") or {}, pair.get("after") or {}
        name = "held-out documents of the corpus" if split == "eval" else "general text" if split == "general" \
            else split
        for key, label, digits in labels:
            if before.get(key) is None and after.get(key) is None:
                continue
            rows.append(f"| {name} | {label} | {_fmt(before.get(key), digits)} | {_fmt(after.get(key), digits)} |")
    if not rows:
        return "No evaluation was run (eval share 0)."
    return "| Split | Metric | Before | After |\n|---|---|---|---|\n" + "\n".join(rows)


def model_card(*, config: Any, summary: dict[str, Any], architecture: str, model_type: str,
               has_loss_curve: bool, vocab_added: list[str] | None = None) -> str:
    base = str(getattr(config, "model", "") or summary.get("base_model", ""))
    nsp = architecture.endswith("ForPreTraining")
    tags = ["bertgui", "fill-mask", "domain-adaptation", model_type, "masked-language-modeling"]
    if nsp:
        tags.append("next-sentence-prediction")
    meta: dict[str, Any] = {"library_name": "transformers", "pipeline_tag": "fill-mask", "tags": tags}
    if HUB_ID.match(base):
        meta["base_model"] = base
    corpus = summary.get("corpus") or {}
    what = (
        f"a `{architecture}` checkpoint: the encoder, the masked-language-model head (its decoder tied to the word "
        "embeddings) and the next-sentence-prediction head with its pooler. `AutoModelForMaskedLM` and "
        "`pipeline(\"fill-mask\")` load the encoder and MLM head (the NSP head is skipped, as with the original "
        "BERT checkpoints); `AutoModel` loads the encoder with its pooler for fine-tuning; `BertForPreTraining` "
        "loads everything, so pre-training can continue."
        if nsp else
        f"a `{architecture}` checkpoint: the encoder and the masked-language-model head (decoder tied to the "
        "word embeddings). `AutoModelForMaskedLM` / `pipeline(\"fill-mask\")` load all of it; `AutoModel` loads the "
        "encoder for fine-tuning.")
    steps = summary.get("steps", 0)
    lines = [
        "---", yaml.safe_dump(meta, sort_keys=False).strip(), "---", "",
        f"# Continued pre-training of {base or 'a BERT model'}", "",
        f"This model continues the pre-training of `{base}` on a domain corpus with masked language modelling"
        + (" and next sentence prediction" if nsp else "") + f", for {steps} optimizer steps, using bertgui.", "",
        "## What you get", "", f"This folder holds {what}", "",
        "```python",
        "from transformers import pipeline, AutoModel, AutoTokenizer",
        'fill = pipeline("fill-mask", model="PATH_TO_THIS_FOLDER")',
        'print(fill(f"The {fill.tokenizer.mask_token} is here."))',
        'encoder = AutoModel.from_pretrained("PATH_TO_THIS_FOLDER")  # for fine-tuning / embeddings',
        "```", "",
        "## Training data", "",
        f"- Files: {', '.join(f'`{f}`' for f in corpus.get('files', [])) or '—'} "
        f"({corpus.get('bytes', 0) / 1e6:.1f} MB)",
        f"- Training split: {corpus.get('train_documents', 0):,} documents, {corpus.get('train_sentences', 0):,} "
        f"sentences, {corpus.get('train_tokens', 0):,} tokens",
        f"- Held-out split: {corpus.get('eval_documents', 0):,} documents, {corpus.get('eval_tokens', 0):,} tokens "
        "(whole documents, never seen in training)",
        f"- Tokens processed in training (without padding): {summary.get('real_tokens', 0):,}",
    ]
    if vocab_added:
        lines.append(f"- Vocabulary: {len(vocab_added)} domain words added as new tokens: "
                     + ", ".join(f"`{w}`" for w in vocab_added[:50]) + (" …" if len(vocab_added) > 50 else ""))
    lines += ["", "## Training settings", "", "| Setting | Value |", "|---|---|"]
    for key, label in (("nsp", "Next sentence prediction"), ("max_seq_length", "Max sequence length"),
                       ("batch_size", "Batch size per device"), ("gradient_accumulation", "Gradient accumulation"),
                       ("learning_rate", "Peak learning rate"), ("schedule", "Schedule"),
                       ("warmup_ratio", "Warmup share"), ("weight_decay", "Weight decay"),
                       ("mlm_probability", "Masking probability"), ("whole_word_masking", "Whole-word masking"),
                       ("epochs", "Epochs"), ("max_steps", "Max steps"), ("seed", "Seed")):
        lines.append(f"| {label} | {_fmt(getattr(config, key, None), 6)} |")
    lines += [f"| Device | {summary.get('device_name', '—')} ({summary.get('precision', '—')}, "
              f"{summary.get('world_size', 1)} process(es)) |",
              f"| Steps | {steps} of {summary.get('planned_steps', steps)}"
              + (" (stopped early)" if summary.get("stopped") else "") + " |",
              "", "The complete run configuration is in `bertgui.toml` (load it in bertgui to repeat the run).", "",
              "## Evaluation", "",
              "Same held-out sequences and the same masked positions before and after training (fixed seed), so the "
              "figures compare. Perplexity = exp(MLM loss) per WordPiece token.", "",
              metrics_table(summary), ""]
    if has_loss_curve:
        lines += ["## Training loss", "", "![Training loss](loss.png)", "",
                  "Step-by-step values: `loss.csv`.", ""]
    notes = summary.get("notes") or []
    if notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in notes] + [""]
    return "\n".join(lines)
