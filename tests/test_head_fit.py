"""Fresh heads fitted first: only when a head is missing, never touching the encoder, and the "before" after them."""

from __future__ import annotations

import pytest
import torch

from bertgui.config import RunConfig
from bertgui.engine.heads import head_parameter_names


@pytest.fixture(autouse=True)
def _threads() -> None:
    torch.set_num_threads(1)


def test_heads_are_the_heads(tiny_model) -> None:
    from transformers import BertForPreTraining

    model = BertForPreTraining.from_pretrained(tiny_model)
    heads = head_parameter_names(model)
    assert heads and all(n.startswith(("cls.", "bert.pooler")) for n in heads)
    assert "bert.embeddings.word_embeddings.weight" not in heads


def _items(tiny_model, sample_corpus, tmp_path):
    from bertgui.data.pairs import PretrainingDataset
    from bertgui.data.prepare import prepare_corpus
    from bertgui.model.loading import load_model, resolve_model

    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), max_seq_length=48).validate()
    loaded = load_model(resolve_model(str(tiny_model)), nsp=True)
    prepared = prepare_corpus(config, loaded.tokenizer, cache_dir=tmp_path / "cache", num_proc=1)
    items = PretrainingDataset(prepared.train, loaded.tokenizer, max_seq_length=48, nsp=True, seed=1, epochs=1)
    return config, loaded, items


def test_fitting_heads_changes_no_encoder_weight_and_beats_the_random_head(tiny_model, sample_corpus,
                                                                           tmp_path) -> None:
    from bertgui.engine.head_fit import fit_heads

    config, loaded, items = _items(tiny_model, sample_corpus, tmp_path)
    model = loaded.model
    torch.manual_seed(0)
    model.cls.predictions.transform.apply(model._init_weights)  # as if the base had shipped no heads
    model.cls.predictions.bias.data.zero_()
    model.cls.seq_relationship.apply(model._init_weights)
    heads = head_parameter_names(model)
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    fit = fit_heads(model, loaded.tokenizer, items, config, heads=["MLM head", "NSP head"], device="cpu",
                    seconds=30.0)
    changed = {n for n, p in model.named_parameters() if not torch.equal(p, before[n])}
    assert changed and changed <= heads  # the heads learned, nothing else moved
    assert "cls.predictions.bias" in changed and "cls.seq_relationship.weight" in changed
    assert all(p.requires_grad for p in model.parameters())  # a normal, trainable model afterwards
    assert fit.steps > 0 and fit.positions > 0 and fit.ended in ("converged", "time", "steps")
    assert fit.mlm_loss is not None and fit.mlm_loss_random is not None
    assert fit.mlm_loss < 0.85 * fit.mlm_loss_random  # a random 2-layer encoder: mostly the word frequencies
    assert fit.mlm_accuracy is not None and fit.mlm_accuracy > 0.05


def _encoder_only(tiny_model, tmp_path):
    from transformers import BertModel

    folder = tmp_path / "encoder-only"
    BertModel.from_pretrained(tiny_model, add_pooling_layer=False).save_pretrained(folder)
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt", "special_tokens_map.json"):
        if (tiny_model / name).exists():
            (folder / name).write_bytes((tiny_model / name).read_bytes())
    return folder


def _run(model, sample_corpus, tmp_path, name: str, **kw):
    from bertgui.engine import train

    config = RunConfig(corpus=[str(sample_corpus)], model=str(model), output_dir=str(tmp_path / name),
                       max_steps=2, batch_size=8, max_seq_length=48, warmup_ratio=0.0, checkpoint_every=100,
                       eval_share=0.1, seed=2, general_sample=False, **kw)
    events: list = []
    result = train(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.ok, result.failed
    return result, events


def test_a_head_less_base_is_measured_before_with_its_fitted_heads(tiny_model, sample_corpus, tmp_path) -> None:
    """The meaningful "before" is the base with fitted heads, not with a random layer."""
    base = _encoder_only(tiny_model, tmp_path)
    fitted, events = _run(base, sample_corpus, tmp_path, "fitted")
    random, _ = _run(base, sample_corpus, tmp_path, "random", head_warmup_share=0.0)
    heads = fitted.summary["heads"]
    assert heads["steps"] > 0 and "MLM head" in heads["heads"]
    assert any("fitted in" in n for n in fitted.summary["notes"])
    assert "heads" not in random.summary
    assert any(getattr(e, "state", None) == "fitting-heads" for e in events)
    before = fitted.summary["metrics"]["eval"]["before"]["perplexity"]
    before_random = random.summary["metrics"]["eval"]["before"]["perplexity"]
    assert before < 0.5 * before_random


def test_a_base_with_its_heads_fits_nothing(tiny_model, sample_corpus, tmp_path) -> None:
    result, events = _run(tiny_model, sample_corpus, tmp_path, "whole")
    assert "heads" not in result.summary
    assert not any(getattr(e, "state", None) == "fitting-heads" for e in events)


def test_fresh_heads_keep_a_new_layers_rate_while_the_whole_model_trains(tiny_model, sample_corpus,
                                                                        tmp_path) -> None:
    from bertgui.engine import Engine

    summaries = {}

    def head_rates(model_folder, name: str, **kw) -> tuple[set[float], set[float]]:
        config = RunConfig(corpus=[str(sample_corpus)], model=str(model_folder), output_dir=str(tmp_path / name),
                           max_steps=1, batch_size=4, max_seq_length=32, learning_rate=5e-5, warmup_ratio=0.0,
                           checkpoint_every=100, eval_share=0.0, head_warmup_share=0.0, general_sample=False, **kw)
        engine = Engine(config, cache_dir=tmp_path / "cache", num_proc=1)
        result = engine.run()
        assert result.ok
        summaries[name] = result.summary
        names = {id(p): n for n, p in engine.model.named_parameters()}
        heads, rest = set(), set()
        for group in engine.trainer.optimizer.param_groups:
            for p in group["params"]:
                (heads if names[id(p)].startswith(("cls.", "bert.pooler")) else rest).add(group["initial_lr"])
        return heads, rest

    # a base without MLM head: the whole model at headless_lr_scale (2) × the rate, the new heads 20 × that
    heads, rest = head_rates(_encoder_only(tiny_model, tmp_path), "fresh")
    assert sorted(heads) == pytest.approx([2e-3]) and sorted(rest) == pytest.approx([1e-4])
    assert summaries["fresh"]["learning_rate"] == pytest.approx(1e-4)
    assert any("no MLM head" in n for n in summaries["fresh"]["notes"])
    heads, rest = head_rates(_encoder_only(tiny_model, tmp_path), "fresh-1x", headless_lr_scale=1.0)
    assert sorted(heads) == pytest.approx([1e-3]) and sorted(rest) == pytest.approx([5e-5])
    heads, rest = head_rates(tiny_model, "whole")  # a base with its heads: one rate for all, as configured
    assert sorted(heads) == sorted(rest) == pytest.approx([5e-5])
    assert summaries["whole"]["learning_rate"] == pytest.approx(5e-5)
