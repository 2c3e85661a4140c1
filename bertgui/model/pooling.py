"""Sentence embeddings with the model's own pooling: the sentence-transformers stack when the folder has one.

WHY our own reading of ``modules.json`` instead of ``sentence_transformers``: it is not a runtime dependency, and a
model folder is data, never code — ``modules.json`` may name any class, so only the known module types
(Transformer, Pooling, Normalize) are understood and anything else is ignored. A sentence-transformers model such as
all-MiniLM-L6-v2 was tuned contrastively for *its* pooling (mean over real tokens, then normalised); measuring it
with another pooling would measure a model nobody uses. A plain BERT folder gets mean pooling over the encoder's
last layer, the usual choice for a model without a recipe.

Public API:
    ``Pooling`` (mode(s), normalise, max length), ``read_pooling(folder) -> Pooling``
    ``encoder_of(model)`` the transformer under any head
    ``embed_ids(model, tokenizer, passages, pooling, ...) -> Tensor`` one forward per passage, batches by length
    ``embed_texts(model, tokenizer, texts, pooling, ...) -> Tensor``
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

MODES = ("cls", "max", "mean", "mean_sqrt_len")  # sentence-transformers' concatenation order
DEFAULT_MAX_LENGTH = 128
EMBED_BATCH = 64

ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class Pooling:
    """How token vectors become one sentence vector."""

    modes: tuple[str, ...] = ("mean",)
    normalize: bool = False
    max_length: int = DEFAULT_MAX_LENGTH
    from_folder: bool = False  # the folder's sentence-transformers modules said so

    @property
    def source(self) -> str:
        how = "+".join(self.modes) + (", normalised" if self.normalize else "")
        if self.from_folder:
            return f"the model's sentence-transformers pooling ({how})"
        return f"{how} pooling over the encoder's last layer (no sentence-transformers modules in the folder)"


def read_pooling(folder: str | Path | None, *, max_length: int = DEFAULT_MAX_LENGTH) -> Pooling:
    """The pooling a sentence-transformers folder declares, else mean pooling; never fails on a broken file."""
    if folder is None:
        return Pooling(max_length=max_length)
    folder = Path(folder)
    try:
        modules = json.loads((folder / "modules.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Pooling(max_length=max_length)
    if not isinstance(modules, list):
        return Pooling(max_length=max_length)
    modes: tuple[str, ...] = ("mean",)
    normalize = False
    for module in modules:
        if not isinstance(module, dict):
            continue
        kind = str(module.get("type", "")).rsplit(".", 1)[-1]
        if kind == "Pooling":
            modes = _pooling_modes(folder / str(module.get("path", "")) / "config.json") or modes
        elif kind == "Normalize":
            normalize = True
    limit = max_length
    try:
        st_config = json.loads((folder / "sentence_bert_config.json").read_text(encoding="utf-8"))
        limit = int(st_config.get("max_seq_length") or max_length)
    except (OSError, ValueError, TypeError, AttributeError):
        pass
    return Pooling(modes=modes, normalize=normalize, max_length=min(limit, max_length), from_folder=True)


def _pooling_modes(config_file: Path) -> tuple[str, ...]:
    try:
        cfg = json.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    if not isinstance(cfg, dict):
        return ()
    return tuple(m for m in MODES if cfg.get(f"pooling_mode_{m}_token" if m == "cls" else f"pooling_mode_{m}_tokens"))


def encoder_of(model: torch.nn.Module) -> torch.nn.Module:
    """The bare transformer (``BertModel``) under an MLM/NSP head; the model itself when it has no head."""
    base = getattr(model, "base_model", None)
    return base if isinstance(base, torch.nn.Module) else model


def pool(hidden: torch.Tensor, mask: torch.Tensor, pooling: Pooling) -> torch.Tensor:
    """``[batch, tokens, dim]`` → ``[batch, dim × modes]``; padding never counts."""
    m = mask.unsqueeze(-1).to(hidden.dtype)
    count = m.sum(1).clamp(min=1.0)
    parts = []
    for mode in pooling.modes:
        if mode == "cls":
            parts.append(hidden[:, 0])
        elif mode == "max":
            parts.append(hidden.masked_fill(m == 0, torch.finfo(hidden.dtype).min).max(1).values)
        elif mode == "mean":
            parts.append((hidden * m).sum(1) / count)
        else:  # mean_sqrt_len
            parts.append((hidden * m).sum(1) / count.sqrt())
    out = torch.cat(parts, dim=-1).float()
    return torch.nn.functional.normalize(out, dim=-1) if pooling.normalize else out


def with_special_tokens(ids: Sequence[int], tokenizer: Any, max_length: int) -> list[int]:
    """``[CLS] ids [SEP]`` cut to ``max_length`` (the way the tokenizer encodes one sentence)."""
    cls, sep = tokenizer.cls_token_id, tokenizer.sep_token_id
    if cls is None or sep is None:
        return [int(i) for i in ids[:max_length]]
    return [int(cls), *(int(i) for i in ids[:max(1, max_length - 2)]), int(sep)]


@torch.no_grad()
def embed_ids(model: torch.nn.Module, tokenizer: Any, passages: Sequence[Sequence[int]], pooling: Pooling, *,
              device: str | torch.device | None = None, precision: str = "fp32", batch_size: int = EMBED_BATCH,
              progress: ProgressFn | None = None, cancelled: Callable[[], bool] | None = None) -> torch.Tensor:
    """One vector per passage (token ids without special tokens): ``[len(passages), dim]`` float32 on the CPU.

    Passages are batched by length (little padding); the result is in the order given. ``cancelled()`` is asked
    between batches; when it says yes the function returns what it has so far (shorter than ``passages``).
    """
    from bertgui.model.losses import _accepts

    encoder = encoder_of(model)
    was_training = model.training
    model.eval()
    dev = torch.device(device) if device is not None else next(model.parameters()).device
    dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
    rows = [with_special_tokens(p, tokenizer, pooling.max_length) for p in passages]
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    out: list[torch.Tensor | None] = [None] * len(rows)
    accepts_types = _accepts(encoder, "token_type_ids")
    try:
        for start in range(0, len(order), batch_size):
            if cancelled is not None and cancelled():
                break
            chunk = order[start:start + batch_size]
            width = max(len(rows[i]) for i in chunk)
            ids = torch.full((len(chunk), width), pad, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            for r, i in enumerate(chunk):
                ids[r, :len(rows[i])] = torch.tensor(rows[i])
                mask[r, :len(rows[i])] = 1
            ids, mask = ids.to(dev), mask.to(dev)
            kwargs: dict[str, torch.Tensor] = {"input_ids": ids, "attention_mask": mask}
            if accepts_types:
                kwargs["token_type_ids"] = torch.zeros_like(ids)
            ctx = torch.autocast(dev.type, dtype=dtype) if dtype is not None else torch.autocast(dev.type,
                                                                                                   enabled=False)
            with ctx:
                hidden = encoder(**kwargs, return_dict=True).last_hidden_state
            vectors = pool(hidden.float(), mask, pooling).cpu()
            for r, i in enumerate(chunk):
                out[i] = vectors[r]
            if progress is not None:
                progress(min(start + batch_size, len(order)), len(order))
    finally:
        model.train(was_training)
    done = [v for v in out if v is not None]  # all of them unless cancelled
    return torch.stack(done) if done else torch.zeros((0, 0))


def embed_texts(model: torch.nn.Module, tokenizer: Any, texts: Sequence[str], pooling: Pooling,
                **kwargs: Any) -> torch.Tensor:
    """:func:`embed_ids` of ``texts`` tokenised without special tokens (the function adds them)."""
    encoded = tokenizer(list(texts), add_special_tokens=False, truncation=True,
                        max_length=max(1, pooling.max_length - 2))["input_ids"]
    return embed_ids(model, tokenizer, encoded, pooling, **kwargs)
