"""Results a person can read (issue 14): exact baselines, meanings, warnings with advice, the learned words."""

from __future__ import annotations

import pytest
import torch

from bertgui.config import RunConfig
from bertgui.results.insights import (
    MEANINGS,
    baselines,
    explain,
    learned_words,
    meaning,
    overfitting,
    small_eval_advice,
    warnings,
)


@pytest.fixture(autouse=True)
def _threads() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="module")
def frozen(tiny_model, sample_corpus):
    """Held-out pairs under Google's recipe (a random-B share far from 1/2), frozen masks."""
    from transformers import AutoTokenizer

    from bertgui.data.corpus import iter_documents
    from bertgui.data.tokenized import tokenize_documents
    from bertgui.engine.evaluation import FrozenEvalSet

    tok = AutoTokenizer.from_pretrained(tiny_model)
    corpus = tokenize_documents(iter_documents([str(sample_corpus)]), tok, max_tokens=60_000)
    config = RunConfig(max_seq_length=48, nsp_balanced=False)
    return tok, FrozenEvalSet(corpus, tok, config, nsp=True, max_sequences=256)


def _forced(tiny_model, *, nsp_answer: int, token: int):
    """The tiny model made to answer one NSP label and one word, whatever the input."""
    from transformers import BertForPreTraining

    model = BertForPreTraining.from_pretrained(tiny_model)
    with torch.no_grad():
        rel = model.cls.seq_relationship
        rel.weight.zero_()
        rel.bias.copy_(torch.tensor([10.0, -10.0]) if nsp_answer == 0 else torch.tensor([-10.0, 10.0]))
        dec = model.cls.predictions
        dec.bias.zero_()
        dec.bias[token] = 1e4
    return model


def test_nsp_and_masked_accuracy_are_exact_on_a_forced_model(tiny_model, frozen) -> None:
    """Planted-bug check (issue 12): with `!=` for `==` in the NSP accuracy count this fails (verified)."""
    from bertgui.engine.evaluation import evaluate_batches

    tok, fs = frozen
    labels = torch.cat([b["next_sentence_label"] for b in fs.batches])
    random_share = int((labels == 1).sum()) / labels.numel()
    assert 0.55 < random_share < 0.95  # far from 1/2, so an inverted count cannot pass by chance
    targets = torch.cat([b["labels"][b["labels"] != -100] for b in fs.batches])
    top = int(torch.bincount(targets).argmax())
    top_share = int((targets == top).sum()) / targets.numel()
    for answer, expected in ((1, random_share), (0, 1 - random_share)):
        r = evaluate_batches(_forced(tiny_model, nsp_answer=answer, token=top), fs.batches, nsp=True)
        assert r.nsp_accuracy == pytest.approx(expected, abs=1e-9)
        assert r.masked_accuracy == pytest.approx(top_share, abs=1e-9)
        # the baselines of the same set, counted by evaluate_batches itself
        assert r.nsp_random_share == pytest.approx(random_share, abs=1e-9)
        assert r.nsp_majority_share == pytest.approx(max(random_share, 1 - random_share), abs=1e-9)
        assert r.frequent_token_accuracy == pytest.approx(top_share, abs=1e-9)
        assert r.frequent_token_id == top
    other = int(torch.bincount(targets, minlength=tok.vocab_size).argmin())
    r = evaluate_batches(_forced(tiny_model, nsp_answer=1, token=other), fs.batches, nsp=True)
    assert r.masked_accuracy == 0.0  # a word that never appears is never right


def _ev(**kw):
    base = {"step": 0, "split": "eval", "mlm_loss": 3.0, "perplexity": 20.0, "masked_accuracy": 0.3,
            "nsp_accuracy": 0.75, "nsp_majority_share": 0.71, "frequent_token_accuracy": 0.05,
            "frequent_token": "the", "sequences": 400, "masked_tokens": 3000}
    base.update(kw)
    return base


def _summary(before, after, **kw):
    out = {"metrics": {"eval": {"before": before, "after": after}}, "new_heads": [],
           "corpus": {"bytes": 100_000, "eval_tokens": 500}}
    out.update(kw)
    return out


def test_every_figure_has_a_meaning() -> None:
    for name in ("perplexity", "masked_accuracy", "nsp_accuracy", "general_perplexity", "mlm_loss"):
        assert len(str(meaning(name))) > 20 and name in MEANINGS
    assert "lower is better" in str(meaning("perplexity"))
    with pytest.raises(KeyError):
        meaning("no such figure")


def test_baselines_sit_beside_the_figures() -> None:
    lines = baselines(_ev())
    assert [b.figure for b in lines] == ["nsp_accuracy", "masked_accuracy"]
    assert "71.0%" in str(lines[0].line) and "75.0%" in str(lines[0].line)
    assert "'the'" in str(lines[1].line) and lines[1].beats
    assert baselines(_ev(nsp_accuracy=None, nsp_majority_share=None))[0].figure == "masked_accuracy"


def test_the_baselines_are_those_of_the_after_evaluation() -> None:
    """The figures beside their baselines are the tuned model's ("after"), not the base model's ("before")."""
    before = _ev(nsp_accuracy=0.52, nsp_majority_share=0.60, masked_accuracy=0.10, frequent_token_accuracy=0.04)
    after = _ev(nsp_accuracy=0.81, nsp_majority_share=0.55, masked_accuracy=0.40, frequent_token_accuracy=0.06)
    ins = explain(_summary(before, after))
    assert [(b.figure, b.value, b.baseline) for b in ins.baselines["eval"]] == [
        ("nsp_accuracy", 0.81, 0.55), ("masked_accuracy", 0.40, 0.06)]


def test_small_held_out_set_says_what_to_do() -> None:
    assert small_eval_advice(_ev()) is None
    tiny = _ev(sequences=25, masked_tokens=100)  # half of what is needed, both ways
    adv = small_eval_advice(tiny, eval_share=0.05)
    assert adv is not None and "100 masked words" in str(adv.message) and "10%" in str(adv.advice)
    adv = small_eval_advice(tiny, {"bytes": 100_000}, eval_share=0.3)  # 0.3 × 2 > 0.5: add text instead
    assert "100 KB" in str(adv.advice)
    assert "25×" in str(small_eval_advice(_ev(sequences=2, masked_tokens=30)).advice)
    assert small_eval_advice(_ev(masked_tokens=150)) is not None  # pairs enough, tokens not


def test_worse_and_forgetting_and_nsp_baseline_warnings() -> None:
    kinds = lambda s: [a.kind for a in warnings(s)]  # noqa: E731
    good = _summary(_ev(), _ev(perplexity=12.0, nsp_accuracy=0.9))
    assert kinds(good) == []
    worse = _summary(_ev(), _ev(perplexity=21.0), new_heads=["MLM head"])
    found = warnings(worse)
    assert "worse" in [a.kind for a in found]
    w = next(a for a in found if a.kind == "worse")
    assert "learning rate" in str(w.advice) and "MLM head" in str(w.advice)
    assert "nsp_baseline" in kinds(_summary(_ev(), _ev(perplexity=12.0, nsp_accuracy=0.70)))
    assert kinds(_summary(_ev(), _ev(perplexity=12.0, nsp_accuracy=0.9), new_heads=["MLM head"])) == ["random_head"]
    forgot = _summary(_ev(), _ev(perplexity=12.0, nsp_accuracy=0.9))
    forgot["metrics"]["general"] = {"before": _ev(perplexity=30.0), "after": _ev(perplexity=34.0)}
    assert "forgetting" in kinds(forgot)
    forgot["metrics"]["general"]["after"]["perplexity"] = 32.0
    assert "forgetting" not in kinds(forgot)


def test_overfitting_needs_held_out_up_and_training_down() -> None:
    evals = [_ev(step=0, mlm_loss=4.0), _ev(step=10, mlm_loss=3.0), _ev(step=20, mlm_loss=3.4)]
    falling = [{"step": s, "loss": 5.0 - 0.1 * s} for s in range(1, 21)]
    flat = [{"step": s, "loss": 3.0} for s in range(1, 21)]
    assert overfitting(evals, falling) is not None
    assert overfitting(evals, flat) is None
    improving = [_ev(step=0, mlm_loss=4.0), _ev(step=10, mlm_loss=3.0), _ev(step=20, mlm_loss=2.9)]
    assert overfitting(improving, falling) is None


def _probe(i, word, guess, gp, wp):
    return {"batch": 0, "row": i, "position": 3, "word": word, "guess": guess, "guess_probability": gp,
            "word_probability": wp, "left": "the", "right": "of the soul"}


def test_learned_words_rank_by_gain_and_keep_only_improvements() -> None:
    before = [_probe(0, "virtue", "the", 0.2, 0.01), _probe(1, "reason", "it", 0.3, 0.05),
              _probe(2, "nature", "nature", 0.4, 0.4), _probe(3, "death", "life", 0.5, 0.1)]
    after = [_probe(0, "virtue", "virtue", 0.6, 0.6), _probe(1, "reason", "reason", 0.2, 0.2),
             _probe(2, "nature", "nature", 0.45, 0.45), _probe(3, "death", "life", 0.6, 0.05)]
    words = learned_words(before, after, top=5)
    assert [w.word for w in words] == ["virtue", "reason"]
    assert words[0].base_guess == "the" and words[0].tuned_guess == "virtue"
    assert "the (20%) → virtue (60%)" in str(words[0].line())


def test_a_run_records_baselines_and_probes(tiny_model, sample_corpus, tmp_path) -> None:
    from bertgui.engine import train
    from bertgui.events import EvalMetrics

    docs = sample_corpus.read_text(encoding="utf-8").split("\n\n")[:8]
    small = tmp_path / "small.txt"
    small.write_text("\n\n".join(docs * 3) + "\n", encoding="utf-8")
    config = RunConfig(corpus=[str(small)], model=str(tiny_model), output_dir=str(tmp_path / "run"), max_steps=8,
                       batch_size=8, max_seq_length=48, learning_rate=3e-3, warmup_ratio=0.0, eval_share=0.2,
                       checkpoint_every=100, seed=3, general_sample=False)  # the held-out split alone
    events: list = []
    result = train(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.ok, result.failed
    evs = [e for e in events if isinstance(e, EvalMetrics)]
    assert {e.when for e in evs} == {"before", "after"}
    for e in evs:
        assert e.nsp_majority_share is not None and 0.5 <= e.nsp_majority_share <= 1
        assert e.frequent_token_accuracy is not None and 0 < e.frequent_token_accuracy < 1 and e.frequent_token
        assert e.word_probes and all(p["word"].isalpha() for p in e.word_probes)
    before, after = (next(e for e in evs if e.when == w) for w in ("before", "after"))
    assert [p["position"] for p in before.word_probes] == [p["position"] for p in after.word_probes]
    ins = explain(result.summary, evals=evs, eval_share=0.2)
    assert set(ins.baselines) == {"eval"} and ins.lines()


def test_the_window_seam_gives_plain_warnings_and_learned_words() -> None:
    from bertgui.results.insights import insights_from_summary

    summary = _summary(_ev(word_probes=[_probe(0, "virtue", "the", 0.2, 0.01)]),
                       _ev(perplexity=21.0, word_probes=[_probe(0, "virtue", "virtue", 0.6, 0.6)]))
    out = insights_from_summary(summary)
    assert [w["kind"] for w in out["warnings"]] == ["worse"]
    (learned,) = out["learned"]
    assert learned["word"] == "virtue" and learned["base_p"] == 0.01 and learned["tuned_p"] == 0.6
    assert "[MASK]" in learned["sentence"] and out["baselines"]["eval"]


def test_the_learned_words_context_reads_as_written(tiny_model) -> None:
    """Other masked positions around a probed word show their own words, not a gap or a random replacement."""
    import torch
    from transformers import AutoTokenizer, BertForPreTraining

    from bertgui.engine.evaluation import probe_predictions

    tok = AutoTokenizer.from_pretrained(tiny_model)
    model = BertForPreTraining.from_pretrained(tiny_model)
    sentence = "the statement is executed when the loop ends and the value is returned to the caller"
    enc = tok(sentence, return_tensors="pt")
    ids = enc["input_ids"].clone()
    labels = torch.full_like(ids, -100)
    first, second, third = 2, 5, 9  # token positions (after [CLS]); one is probed, two are masked around it
    for pos in (first, second, third):
        labels[0, pos] = ids[0, pos]
    ids[0, first] = tok.mask_token_id
    ids[0, third] = tok.convert_tokens_to_ids("loop")  # a 10 % random replacement
    batch = {"input_ids": ids, "attention_mask": enc["attention_mask"], "token_type_ids": enc["token_type_ids"],
             "labels": labels}
    ids[0, second] = tok.mask_token_id
    out = probe_predictions(model, [batch], tok, [(0, 0, second)], device="cpu", context=40)
    original = tok.decode(enc["input_ids"][0, 1:-1])
    assert (out[0]["left"] + " " + out[0]["word"] + " " + out[0]["right"]).split() == original.split()
