"""Fill-mask and next-sentence inference for any loaded model: the playground's computation, Qt-free.

Why in the core: the GUI playground, scripts and tests must get exactly what the exported model gives under
``transformers.pipeline("fill-mask")`` — the model's own heads, a softmax, nothing of ours in between. Keeping it
here lets a test compare it with the pipeline, and keeps torch work out of ``bertgui/gui``.

The engine swaps ``model.forward`` for its loss-only forward while a training step runs (an instance attribute)
and a fast forward may be installed the same way; both return losses, not logits. Predictions therefore always go
through the stock forward: ``_bertgui_original_forward`` when present, else the class's own ``forward``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from bertgui.errors import ModelError
from bertgui.text import text

LITERAL_MASK = "[MASK]"


class Prediction(NamedTuple):
    token: str
    probability: float


def _stock_forward(model: Any) -> Any:
    """The model's unpatched forward, as a callable taking the encoded inputs."""
    original = getattr(model, "_bertgui_original_forward", None)
    if callable(original):
        return original
    if "forward" in vars(model):  # an instance-level patch: bypass it, call the class's forward
        cls_forward = type(model).forward
        return lambda **enc: cls_forward(model, **enc)
    return model


def _run(model: Any, tokenizer: Any, *texts: str) -> tuple[dict[str, Any], Any]:
    import torch

    limit = getattr(getattr(model, "config", None), "max_position_embeddings", None) or 512
    enc = tokenizer(*texts, return_tensors="pt", truncation=True, max_length=min(int(limit), 512))
    device = getattr(model, "device", None)
    if device is not None:
        enc = {k: v.to(device) for k, v in enc.items()}
    was_training = getattr(model, "training", False)
    model.eval()
    try:
        with torch.no_grad():
            out = _stock_forward(model)(**enc)
    finally:
        if was_training:
            model.train()
    return enc, out


def _mlm_logits(out: Any) -> Any:
    for name in ("prediction_logits", "logits"):
        logits = getattr(out, name, None)
        if logits is not None and logits.dim() == 3:
            return logits
    raise ModelError(text("This model has no masked-word head."),
                     text("Use a model trained for fill-mask (BertForPreTraining or a …ForMaskedLM model)."))


def fill_mask(model: Any, tokenizer: Any, sentence: str, top_k: int = 5) -> list[list[Prediction]]:
    """The ``top_k`` most likely tokens with their probabilities, one list per mask in ``sentence``, left to right.

    ``sentence`` may hold the tokenizer's own mask token or the literal ``[MASK]`` (for any tokenizer).
    """
    mask = tokenizer.mask_token
    if mask is None or tokenizer.mask_token_id is None:
        raise ModelError(text("This tokenizer has no mask token."),
                         text("Use a tokenizer of a masked-language model."))
    if mask != LITERAL_MASK:
        sentence = sentence.replace(LITERAL_MASK, mask)
    if mask not in sentence:
        raise ModelError(text("The text has no {0}.", LITERAL_MASK),
                         text("Write {0} where a word should be guessed.", LITERAL_MASK))
    enc, out = _run(model, tokenizer, sentence)
    logits = _mlm_logits(out)
    positions = (enc["input_ids"][0] == tokenizer.mask_token_id).nonzero().flatten().tolist()
    k = max(1, min(int(top_k), logits.shape[-1]))
    result = []
    for pos in positions:
        probs = logits[0, pos].float().softmax(-1)
        top = probs.topk(k)
        tokens = tokenizer.convert_ids_to_tokens(top.indices.tolist())
        result.append([Prediction(t, float(p)) for t, p in zip(tokens, top.values.tolist(), strict=True)])
    return result


def has_next_sentence_head(model: Any) -> bool:
    name = type(model).__name__
    pretraining = name.endswith("ForPreTraining") and hasattr(getattr(model, "cls", None), "seq_relationship")
    return pretraining or name.endswith("ForNextSentencePrediction")


def next_sentence(model: Any, tokenizer: Any, a: str, b: str) -> float:
    """Probability, from the model's NSP head, that sentence ``b`` follows sentence ``a``."""
    if not has_next_sentence_head(model):
        raise ModelError(text("{0} has no next-sentence head.", type(model).__name__),
                         text("Next-sentence prediction needs a BERT trained with NSP (BertForPreTraining); "
                              "MLM-only models can only fill masks."))
    _, out = _run(model, tokenizer, a, b)
    logits = getattr(out, "seq_relationship_logits", None)
    if logits is None:
        logits = getattr(out, "logits", None)
    if logits is None or logits.shape[-1] != 2:
        raise ModelError(text("{0} gave no next-sentence output.", type(model).__name__),
                         text("Use a BertForPreTraining model trained with NSP."))
    return float(logits[0].float().softmax(-1)[0])  # label 0 = "B follows A" (BERT's convention)
