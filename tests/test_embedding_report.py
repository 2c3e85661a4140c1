"""The embedding check after a run: in the card's model-index, in the CLI summary, and a warning when worse."""

from __future__ import annotations

from huggingface_hub import ModelCard

from bertgui.config import RunConfig
from bertgui.results.insights import warnings
from bertgui.results.modelcard import model_card


def metric(when: str, mrr: float, r1: float, r10: float) -> dict:
    return {"step": 0 if when == "before" else 9, "when": when, "split": "eval", "mlm_loss": 2.0,
            "perplexity": 40.0 if when == "before" else 20.0, "masked_accuracy": 0.3, "nsp_accuracy": None,
            "retrieval_mrr": mrr, "retrieval_recall_at_1": r1, "retrieval_recall_at_10": r10,
            "retrieval_queries": 400, "retrieval_candidates": 550}


def summary(before_mrr: float, after_mrr: float) -> dict:
    return {"steps": 9, "planned_steps": 9, "base_model": "acme/minilm", "corpus": {"files": [], "bytes": 0},
            "metrics": {"eval": {"before": metric("before", before_mrr, 0.09, 0.27),
                                 "after": metric("after", after_mrr, 0.05, 0.20)}}}


def test_the_card_model_index_holds_the_embedding_check(tmp_path):
    text = model_card(config=RunConfig(model="acme/minilm"), summary=summary(0.157, 0.101),
                      architecture="BertForMaskedLM", model_type="bert", has_loss_curve=False,
                      sentence_transformers=True)
    (tmp_path / "README.md").write_text(text, encoding="utf-8")
    card = ModelCard.load(tmp_path / "README.md")
    found = {(r.task_type, r.metric_name): r.metric_value for r in card.data.eval_results}
    assert found[("sentence-similarity", "Embedding check MRR")] == 0.101
    assert found[("sentence-similarity", "Embedding check MRR of the base model (before training)")] == 0.157
    assert found[("sentence-similarity", "Embedding check recall@10")] == 0.2
    assert "| Embedding check recall@1 | 0.0900 | 0.0500 |" in text
    assert "MRR 0.157 → 0.101" in text


def test_worse_embeddings_are_a_warning_with_advice():
    found = [a for a in warnings(summary(0.157, 0.101)) if a.kind == "embeddings_worse"]
    assert len(found) == 1
    assert "0.157" in found[0].message and "search" in found[0].advice


def test_no_warning_when_the_embeddings_held_or_improved():
    assert not [a for a in warnings(summary(0.157, 0.156)) if a.kind == "embeddings_worse"]
    assert not [a for a in warnings(summary(0.157, 0.2)) if a.kind == "embeddings_worse"]


def test_the_cli_summary_says_it():
    from bertgui.commands.train import summary_lines

    lines = summary_lines(summary(0.157, 0.101))
    assert any("Embedding check on held-out text: MRR 0.157 → 0.101" in line for line in lines)
    assert any(line.startswith("Warning: Your embeddings got worse") for line in lines)
