"""Padding-free batches: the real tokens of a padded batch laid end to end in one row, attention kept per sequence.

WHY: a batch padded to its longest sequence spends the padded positions' share of every matmul on nothing. On a GPU
the padded positions can be dropped altogether: the sequences go into one row, each keeps its own position ids
(0, 1, … from its [CLS]), and the attention is restricted to each sequence's own tokens by a *document mask*.
With PyTorch's flex attention (``torch.nn.attention.flex_attention``, through transformers' ``"flex_attention"``
implementation) the mask is a ``BlockMask``: blocks of the row that no sequence spans are skipped, so attention costs
what the sequences cost, not the row's square. Any other attention implementation gets the same mask as a dense
4-D tensor (correct everywhere, but it pays the row's square: that is the CPU reference the tests compare with).

What is ours: turning the collator's padded batch into the packed one, and the NSP pooled output taken at each
sequence's own [CLS] (a BERT pooler reads position 0 of each row, which here is only the first sequence's).
The mask machinery is PyTorch's (``create_block_mask``) and transformers' (a prepared 4-D mask or ``BlockMask`` is
passed through to the attention as it is).

Attention dropout must be 0 (flex attention has none); ``RunConfig`` refuses the combination.
"""

from __future__ import annotations

from typing import Any

import torch

PACKED_STARTS = "packed_starts"  # the key that marks a packed batch: where each sequence's [CLS] is in the row


def packing_supported(model: Any) -> bool:
    """Whether ``model`` reads packed rows right: BERT numbers positions from 0 and its pooler takes [CLS];
    RoBERTa-style models count positions from ``pad_token_id + 1`` and would be fed wrong ones."""
    return str(getattr(getattr(model, "config", None), "model_type", "")) == "bert"


def is_packed(batch: dict[str, Any]) -> bool:
    return PACKED_STARTS in batch


def pack_batch(batch: dict[str, Any], attn_implementation: str) -> dict[str, Any]:
    """The padded ``batch`` (``input_ids``/``attention_mask``/``token_type_ids``/``labels`` of shape [n, width]) as
    one row of its real tokens, with per-sequence position ids and the document mask the attention needs.

    Padding is on the right (the collator's), so each sequence's tokens are its row's first ``length`` positions.
    Per-sequence tensors (``next_sentence_label``) pass through unchanged.
    """
    mask = batch["attention_mask"].bool()
    rows, width = mask.shape
    lengths = mask.sum(dim=1)
    device = mask.device
    total = int(lengths.sum())
    packed: dict[str, Any] = {}
    for key, value in batch.items():
        if isinstance(value, torch.Tensor) and value.dim() == 2 and value.shape == (rows, width):
            if key == "attention_mask":
                continue
            packed[key] = value[mask].unsqueeze(0)  # row-major: each sequence stays contiguous, in batch order
        else:
            packed[key] = value
    positions = torch.arange(width, device=device).expand(rows, width)
    packed["position_ids"] = positions[mask].unsqueeze(0)
    document = torch.repeat_interleave(torch.arange(rows, device=device), lengths)
    packed[PACKED_STARTS] = torch.cumsum(lengths, 0) - lengths
    packed["attention_mask"] = document_mask(document, total, attn_implementation)
    return packed


def document_mask(document: torch.Tensor, total: int, attn_implementation: str) -> Any:
    """Token i may attend to token j only within the same sequence: a ``BlockMask`` for flex attention, else the
    dense 4-D mask in the form the implementation expects (bool for SDPA, additive floats for eager)."""
    if attn_implementation == "flex_attention":
        from torch.nn.attention.flex_attention import create_block_mask

        def same_document(_b: Any, _h: Any, q: torch.Tensor, kv: torch.Tensor) -> torch.Tensor:
            return document[q] == document[kv]

        return create_block_mask(same_document, 1, None, total, total, device=document.device)
    allowed = (document[:, None] == document[None, :])[None, None]  # [1, 1, total, total]
    if attn_implementation == "sdpa":
        return allowed
    additive = torch.zeros(allowed.shape, dtype=torch.float32, device=document.device)
    return additive.masked_fill(~allowed, torch.finfo(torch.float32).min)


def packed_pooled(base: torch.nn.Module, hidden: torch.Tensor, starts: torch.Tensor) -> torch.Tensor | None:
    """The pooled output of each packed sequence: the model's pooler applied at the sequence's own [CLS]."""
    pooler = getattr(base, "pooler", None)
    if pooler is None:
        return None
    return pooler(hidden[0, starts].unsqueeze(1))  # the pooler reads position 0 of each "row"
