"""The figures before Start match the run: sequences per pass from a tokenized sample, the time's adequacy."""

from __future__ import annotations

import pytest

from bertgui.config import RunConfig


def _train_sequences(config: RunConfig, tmp_path) -> int:
    from bertgui.engine import train
    from bertgui.events import RunStarted

    events: list = []
    result = train(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.ok, result.failed
    return next(e for e in events if isinstance(e, RunStarted)).train_sequences


def _short_documents(sample_corpus, tmp_path):
    """A glossary-like text: one short entry (two sentences) a line, as a fortune or glossary file has."""
    import re

    words = re.findall(r"[a-z]+", sample_corpus.read_text(encoding="utf-8").lower())
    lines = [" ".join(words[i:i + 6]).capitalize() + ". " + " ".join(words[i + 6:i + 12]).capitalize() + "."
             for i in range(0, min(len(words) - 12, 12 * 1500), 12)]
    path = tmp_path / "glossary.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("documents", ["blank-line", "line"])
def test_the_estimated_sequences_per_pass_are_the_runs(tiny_model, sample_corpus, tmp_path, documents) -> None:
    """Short documents (one line each) make many short sequences: bytes alone said 1.5 passes for a run's 0.81."""
    from bertgui.engine.plan import corpus_sequences
    from bertgui.model.loading import load_model, resolve_model

    corpus = sample_corpus if documents == "blank-line" else _short_documents(sample_corpus, tmp_path)
    config = RunConfig(corpus=[str(corpus)], model=str(tiny_model), output_dir=str(tmp_path / documents),
                       documents=documents, max_steps=1, batch_size=4, max_seq_length=128, eval_share=0.1,
                       checkpoint_every=100, general_sample=False).validate()
    loaded = load_model(resolve_model(str(tiny_model)), nsp=True)
    estimated, _eval, batch = corpus_sequences(config, loaded.tokenizer, nsp=True,
                                               total_bytes=corpus.stat().st_size)
    actual = _train_sequences(config, tmp_path)
    assert estimated == pytest.approx(actual, rel=0.15)
    assert len(batch) == 4


def test_adequacy_recommends_the_smallest_budget_that_fits_enough_steps() -> None:
    from bertgui.engine.plan import ADAPT_MIN_STEPS, Plan, adequacy

    def plan(budget_s: float, steps: int, train_s: float) -> Plan:
        return Plan(budget_s=budget_s, steps=steps, passes=1.0, warmup_steps=0, checkpoint_every=1, eval_every=0,
                    train_s=train_s, reserve_s=budget_s - train_s, final_s=10, eval_s=5, sequences_per_s=1,
                    corpus_sequences=100, global_batch=32)

    short = adequacy(plan(300, 29, 200))  # 6.9 s a step, 100 s of evaluation, saving and head phase
    assert not short["enough"] and short["recommended_s"] == 1200
    assert short["needed_s"] == pytest.approx(100 + ADAPT_MIN_STEPS * 200 / 29)
    assert adequacy(plan(1200, ADAPT_MIN_STEPS, 1000))["enough"]
