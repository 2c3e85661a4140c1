"""The embedding check in words: the before → after lines, its meaning and the warning when it got worse.

WHY apart from :mod:`bertgui.results.insights`: the check (:mod:`bertgui.engine.retrieval`) is its own measure with
its own chance level, and the CLI summary, the card and the window all need the same sentences. A sentence-
transformers base was tuned for its embeddings; continued MLM can spoil them while perplexity falls, and a person
who uses the model for search must hear that with advice, not find a lower number in a table.

Public API: ``MEANING``, ``EMBEDDING_WORSE_BY``, ``embedding_pair(summary, split)``, ``embedding_lines(summary)``,
``embedding_warning(summary) -> (message, advice) | None`` (``insights`` makes it an ``Advice``).
"""

from __future__ import annotations

from typing import Any

from bertgui.text import Text, text

EMBEDDING_WORSE_BY = 0.05  # MRR down by more than 5 % of the base's: worse (a few queries move by chance)

MEANING = text("Embedding check: how often the model finds the passage that belongs with a passage of yours (the "
               "next one in the same document) among all the others, by the similarity of their sentence "
               "embeddings; higher is better. MRR 1 would always rank it first.")


def embedding_pair(summary: dict[str, Any], split: str) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The before and after evaluations of ``split`` when both hold the embedding check."""
    pair = (summary.get("metrics") or {}).get(split) or {}
    before, after = pair.get("before") or {}, pair.get("after") or {}
    if before.get("retrieval_mrr") is None or after.get("retrieval_mrr") is None:
        return None
    return before, after


def embedding_lines(summary: dict[str, Any]) -> list[Text]:
    """One line per split that has the check: MRR and recall@1/@10 before → after, and chance."""
    from bertgui.engine.retrieval import chance

    out = []
    for split in (summary.get("metrics") or {}):
        found = embedding_pair(summary, split)
        if found is None:
            continue
        b, a = found
        where = text("held-out text") if split == "eval" else text("general text") if split == "general" else split
        out.append(text("Embedding check on {0}: MRR {1:.3f} → {2:.3f}, recall@1 {3:.1%} → {4:.1%}, recall@10 "
                        "{5:.1%} → {6:.1%} (at random: MRR {7:.3f}).", where, b["retrieval_mrr"],
                        a["retrieval_mrr"], b["retrieval_recall_at_1"], a["retrieval_recall_at_1"],
                        b["retrieval_recall_at_10"], a["retrieval_recall_at_10"],
                        chance(int(a.get("retrieval_candidates") or 1))["mrr"]))
    return out


def embedding_warning(summary: dict[str, Any]) -> tuple[Text, Text] | None:
    """What to say when the tuned model's embeddings got worse (message, advice), else None."""
    found = embedding_pair(summary, "eval")
    if found is None:
        return None
    before, after = found
    if after["retrieval_mrr"] >= before["retrieval_mrr"] * (1 - EMBEDDING_WORSE_BY):
        return None
    return (text(
        "Your embeddings got worse: the embedding check's MRR fell from {0:.3f} to {1:.3f} on your held-out text.",
        before["retrieval_mrr"], after["retrieval_mrr"]), text(
        "If you use the model for search or similarity, keep the base model for that, or train fewer steps or "
        "at a lower learning rate; for filling in words and fine-tuning the tuned model may still be better."))
