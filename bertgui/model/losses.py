"""Pre-training losses computed only where they are needed: the MLM decoder at the masked positions.

WHY: the vocabulary-wide decoder (hidden × vocab, 30 k+ outputs) is the largest single matmul of a BERT step, yet
only the ~15 % masked positions carry a label. Gathering those hidden states *before* the prediction head gives the
same loss with the same parameters (the tied decoder is untouched, so checkpoints are unchanged) for a fraction of the
compute and activation memory. The head is found generically (BERT ``cls``, RoBERTa-style ``lm_head``, DistilBERT's
``vocab_*`` layers, ModernBERT ``head``+``decoder``); unknown architectures use the model's own forward.

The functions return *sums* and counts, not means, so the trainer can normalise by the masked tokens and sequences of
the whole accumulated (and distributed) batch: then batch 4 × accumulation 4 gives exactly the loss of batch 16.
Under DDP the trainer runs :func:`compute_loss_parts` *as* the model's forward (see ``engine/trainer.py``), so the
wrapper's gradient hooks stay in play. A padding-free batch (``model/packing.py``: one row, a document mask) goes
through the same path; its pooled outputs are taken at each sequence's own [CLS].
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from bertgui.model.packing import PACKED_STARTS, is_packed, packed_pooled

IGNORE_INDEX = -100

HeadFn = Callable[[torch.Tensor], torch.Tensor]


@dataclass
class LossParts:
    """Summed losses and their counts for one micro-batch (tensors on the model's device)."""

    mlm_sum: torch.Tensor
    masked: torch.Tensor  # number of labelled positions
    nsp_sum: torch.Tensor | None
    sequences: int
    mlm_correct: torch.Tensor | None = None  # filled when asked (evaluation)
    nsp_correct: torch.Tensor | None = None

    def mean(self) -> torch.Tensor:
        """Per-micro-batch mean loss (MLM mean + NSP mean), what the stock ``model(..., labels=...)`` returns."""
        loss = self.mlm_sum / self.masked.clamp(min=1)
        if self.nsp_sum is not None:
            loss = loss + self.nsp_sum / max(self.sequences, 1)
        return loss


def _accepts(module: torch.nn.Module, name: str) -> bool:
    try:
        return name in inspect.signature(module.forward).parameters
    except (TypeError, ValueError):
        return False


def mlm_head(model: torch.nn.Module) -> HeadFn | None:
    """The function hidden states → vocabulary logits of a masked-LM model, or None when unknown."""
    cls = getattr(model, "cls", None)
    if cls is not None:
        predictions = getattr(cls, "predictions", None)
        if predictions is not None:
            return predictions
    lm_head = getattr(model, "lm_head", None)
    if isinstance(lm_head, torch.nn.Module):
        return lm_head
    if all(hasattr(model, n) for n in ("vocab_transform", "activation", "vocab_layer_norm", "vocab_projector")):
        def distilbert(h: torch.Tensor) -> torch.Tensor:
            return model.vocab_projector(model.vocab_layer_norm(model.activation(model.vocab_transform(h))))
        return distilbert
    head, decoder = getattr(model, "head", None), getattr(model, "decoder", None)
    if isinstance(head, torch.nn.Module) and isinstance(decoder, torch.nn.Module):
        def head_decoder(h: torch.Tensor) -> torch.Tensor:
            return decoder(head(h))
        return head_decoder
    return None


def has_nsp_head(model: torch.nn.Module) -> bool:
    cls = getattr(model, "cls", None)
    return cls is not None and hasattr(cls, "seq_relationship")


def supports_fast_loss(model: torch.nn.Module) -> bool:
    base = getattr(model, "base_model", None)
    return base is not None and base is not model and mlm_head(model) is not None


def _model_inputs(module: torch.nn.Module, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    inputs = {"input_ids": batch["input_ids"]}
    for key in ("attention_mask", "token_type_ids", "position_ids"):
        if key in batch and _accepts(module, key):
            inputs[key] = batch[key]
    return inputs


def compute_loss_parts(model: torch.nn.Module, batch: dict[str, torch.Tensor], *, fast: bool = True,
                       nsp: bool | None = None, with_accuracy: bool = False) -> LossParts:
    """MLM (+ NSP when the batch has ``next_sentence_label`` and the model an NSP head) as sums and counts."""
    labels = batch["labels"]
    nsp_labels = batch.get("next_sentence_label")
    use_nsp = (nsp_labels is not None and has_nsp_head(model)) if nsp is None else nsp
    selected = labels != IGNORE_INDEX
    masked = selected.sum()
    head = mlm_head(model) if fast else None
    base = getattr(model, "base_model", None)
    packed = is_packed(batch)
    if packed and (head is None or base is None or base is model):
        raise RuntimeError("A padding-free (packed) batch needs the masked-only MLM head (fast_mlm_head) and a "
                           "BERT-style model with a base encoder.")
    if head is not None and base is not None and base is not model:
        out = base(**_model_inputs(base, batch), return_dict=True)
        hidden = out.last_hidden_state if hasattr(out, "last_hidden_state") else out[0]
        logits = head(hidden[selected])  # [n_masked, vocab]: the decoder runs only here
        target = labels[selected]
        pooled = (packed_pooled(base, hidden, batch[PACKED_STARTS]) if packed and use_nsp
                  else getattr(out, "pooler_output", None))
        seq_logits = model.cls.seq_relationship(pooled) if use_nsp and pooled is not None else None
        if use_nsp and seq_logits is None:
            raise RuntimeError("The model has an NSP head but its encoder returned no pooled output.")
    else:
        out = model(**_model_inputs(model, batch), return_dict=True)
        full = out.logits if hasattr(out, "logits") else out.prediction_logits
        logits, target = full[selected], labels[selected]
        seq_logits = getattr(out, "seq_relationship_logits", None) if use_nsp else None
    mlm_sum = F.cross_entropy(logits.float(), target, reduction="sum")
    nsp_sum = None
    if use_nsp and seq_logits is not None and nsp_labels is not None:
        nsp_sum = F.cross_entropy(seq_logits.float().view(-1, 2), nsp_labels.view(-1), reduction="sum")
    sequences = int(batch[PACKED_STARTS].shape[0]) if packed else int(labels.shape[0])
    parts = LossParts(mlm_sum=mlm_sum, masked=masked, nsp_sum=nsp_sum, sequences=sequences)
    if with_accuracy:
        parts.mlm_correct = (logits.argmax(-1) == target).sum()
        if nsp_sum is not None and seq_logits is not None and nsp_labels is not None:
            parts.nsp_correct = (seq_logits.argmax(-1).view(-1) == nsp_labels.view(-1)).sum()
    return parts


def stock_loss(model: torch.nn.Module, batch: dict[str, torch.Tensor]) -> torch.Tensor:
    """The model's own loss (``model(**batch, labels=...)``): the reference the fast path must match."""
    kwargs: dict[str, Any] = _model_inputs(model, batch)
    kwargs["labels"] = batch["labels"]
    if "next_sentence_label" in batch and _accepts(model, "next_sentence_label"):
        kwargs["next_sentence_label"] = batch["next_sentence_label"]
    return model(**kwargs, return_dict=True).loss
