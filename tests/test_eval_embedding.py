"""``bertgui eval`` reports the embedding check beside perplexity, and skips it when asked."""

from __future__ import annotations

import json

ARGS = ["--max-sequences", "24", "--max-seq-length", "48", "--device", "cpu"]


def test_eval_prints_the_embedding_check(tiny_model, sample_corpus, capsys):
    from bertgui.cli import main

    assert main(["eval", "--model", str(tiny_model), "--corpus", str(sample_corpus), *ARGS]) == 0
    out = capsys.readouterr().out
    assert "Embedding check:" in out and "recall@10" in out and "higher is better" in out


def test_eval_json_holds_the_figures_or_none_when_skipped(tiny_model, sample_corpus, capsys):
    from bertgui.cli import main

    main(["eval", "--model", str(tiny_model), "--corpus", str(sample_corpus), *ARGS, "--json"])
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert 0.0 < data["retrieval_mrr"] <= 1.0 and data["retrieval_queries"] >= 10
    main(["eval", "--model", str(tiny_model), "--corpus", str(sample_corpus), *ARGS, "--json",
          "--no-embedding-check"])
    data = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert data["retrieval_mrr"] is None
