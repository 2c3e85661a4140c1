"""The bundled general sample (issue 14): built from the standard library's docstrings, on by default for English
text, replayed and measured; never for text in another language; off when asked."""

from __future__ import annotations

from pathlib import Path

from bertgui.config import RunConfig
from bertgui.data.general import SAMPLE_BYTES, general_sample_path, held_back, stdlib_paragraphs, suits
from bertgui.engine import train
from bertgui.events import EvalMetrics


def test_the_sample_is_english_prose_without_the_held_back_quarter(tmp_path: Path) -> None:
    path = general_sample_path(tmp_path)
    body = path.read_text(encoding="utf-8")
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert len(paragraphs) > 300
    assert SAMPLE_BYTES <= len(body.encode()) < SAMPLE_BYTES + 5_000
    assert not any(held_back(p.strip()) for p in paragraphs)  # the effect benchmark measures on those
    everything = stdlib_paragraphs()
    assert sum(held_back(p) for p in everything) > 0.15 * len(everything)
    assert suits(body[:20_000])
    assert not list(tmp_path.glob("*.tmp"))
    assert general_sample_path(tmp_path) == path and path.read_text(encoding="utf-8") == body  # written once


def test_an_english_sample_does_not_suit_chinese_text() -> None:
    chinese = "我们今天在北京讨论合同的条款，双方同意在下个月签字。这份合同规定了付款的时间和方式。" * 20
    assert not suits(chinese)
    assert suits("The parties agree that the contract shall be signed next month, and that the payment is due "
                 "within thirty days of the date of the invoice. " * 10)


def _run(tmp_path: Path, corpus: Path, model: Path, **kw):
    config = RunConfig(corpus=[str(corpus)], model=str(model), output_dir=str(tmp_path / "run"), max_steps=3,
                       batch_size=8, max_seq_length=48, checkpoint_every=10, eval_share=0.1, seed=3, **kw)
    events: list = []
    result = train(config.validate(), events.append, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.failed is None, result.failed
    return result, events


def test_by_default_an_english_run_replays_and_measures_the_sample(tmp_path, sample_corpus, tiny_model) -> None:
    result, events = _run(tmp_path, sample_corpus, tiny_model)
    general = [e for e in events if isinstance(e, EvalMetrics) and e.split == "general"]
    assert [e.when for e in general] == ["before", "after"]
    assert result.summary["general_text"] == "sample"
    notes = " ".join(result.summary["notes"])
    assert "standard library" in notes and "Replay:" in notes
    assert result.summary["corpus"]["train_tokens"] > 0


def test_the_sample_can_be_turned_off(tmp_path, sample_corpus, tiny_model) -> None:
    result, events = _run(tmp_path, sample_corpus, tiny_model, general_sample=False)
    assert not [e for e in events if isinstance(e, EvalMetrics) and e.split == "general"]
    assert result.summary["general_text"] == ""
    assert "Replay:" not in " ".join(result.summary["notes"])
