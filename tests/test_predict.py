"""bertgui.model.predict gives what stock transformers gives: the fill-mask pipeline's top-k, BERT's NSP head."""

from __future__ import annotations

import pytest

from bertgui.errors import ModelError

TEXT = "The [MASK] statement is used to leave a [MASK] early."


@pytest.fixture(scope="module")
def loaded(tiny_model):
    import torch
    from transformers import AutoTokenizer, BertForPreTraining

    torch.set_num_threads(1)
    model = BertForPreTraining.from_pretrained(tiny_model).eval()
    return model, AutoTokenizer.from_pretrained(tiny_model)


def test_fill_mask_matches_the_pipeline(loaded, tiny_model):
    from transformers import pipeline

    from bertgui.model.predict import Prediction, fill_mask

    model, tok = loaded
    ours = fill_mask(model, tok, TEXT, top_k=5)
    assert len(ours) == 2 and all(len(p) == 5 for p in ours)
    assert all(isinstance(p, Prediction) for p in ours[0])
    stock = pipeline("fill-mask", model=str(tiny_model), tokenizer=str(tiny_model), device="cpu")
    theirs = stock(TEXT.replace("[MASK]", tok.mask_token), top_k=5)
    assert len(theirs) == 2
    for mine, ref in zip(ours, theirs, strict=True):
        assert [p.token for p in mine] == tok.convert_ids_to_tokens([r["token"] for r in ref])
        assert [p.probability for p in mine] == pytest.approx([r["score"] for r in ref], abs=1e-5)
        probs = [p.probability for p in mine]
        assert probs == sorted(probs, reverse=True)


def test_the_literal_mask_works_for_any_mask_token(loaded):
    from bertgui.model.predict import fill_mask

    model, tok = loaded
    own = fill_mask(model, tok, TEXT.replace("[MASK]", tok.mask_token), top_k=3)
    assert fill_mask(model, tok, TEXT, top_k=3) == own
    with pytest.raises(ModelError):
        fill_mask(model, tok, "No mask here.")


def test_a_patched_forward_is_bypassed(loaded):
    from bertgui.model.predict import fill_mask, next_sentence

    model, tok = loaded
    expected = fill_mask(model, tok, TEXT, top_k=3)
    nsp = next_sentence(model, tok, "The loop ends.", "The else clause is skipped.")

    def loss_only(**_):
        raise AssertionError("the training forward must not be used for predictions")

    model.forward = loss_only  # what the engine's trainer does during a step
    try:
        assert fill_mask(model, tok, TEXT, top_k=3) == expected
        assert next_sentence(model, tok, "The loop ends.", "The else clause is skipped.") == pytest.approx(nsp)
        calls = []
        original = type(model).forward.__get__(model)
        model._bertgui_original_forward = lambda **enc: (calls.append(1), original(**enc))[1]
        assert fill_mask(model, tok, TEXT, top_k=3) == expected
        assert calls == [1]
    finally:
        del model.forward
        vars(model).pop("_bertgui_original_forward", None)


def test_next_sentence_is_the_nsp_heads_is_next_probability(loaded, tiny_model):
    import torch
    from transformers import BertForNextSentencePrediction

    from bertgui.model.predict import next_sentence

    model, tok = loaded
    a, b = "The break statement ends the nearest enclosing loop.", "The else clause of the loop is skipped."
    p = next_sentence(model, tok, a, b)
    stock = BertForNextSentencePrediction.from_pretrained(tiny_model).eval()
    with torch.no_grad():
        logits = stock(**tok(a, b, return_tensors="pt")).logits
    assert 0.0 < p < 1.0
    assert p == pytest.approx(float(logits.softmax(-1)[0, 0]), abs=1e-5)  # label 0: B follows A
    assert next_sentence(model, tok, b, a) != pytest.approx(p, abs=1e-9)


def test_next_sentence_refuses_an_mlm_only_model(tiny_model, loaded):
    from transformers import BertForMaskedLM

    from bertgui.model.predict import fill_mask, next_sentence

    _, tok = loaded
    mlm = BertForMaskedLM.from_pretrained(tiny_model).eval()
    assert len(fill_mask(mlm, tok, TEXT, top_k=2)) == 2
    with pytest.raises(ModelError, match="no next-sentence head") as info:
        next_sentence(mlm, tok, "One.", "Two.")
    assert "NSP" in info.value.advice
