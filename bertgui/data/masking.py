"""Batches for training: padding per batch and dynamic 80/10/10 masking, whole words included, in torch.

Why our own collator: transformers 5's DataCollatorForWholeWordMask replaces every selected token by [MASK]
(no 10 % random / 10 % kept), and NSP batches need token_type_ids and next_sentence_label carried along. This one:

- pads each batch to its longest sequence (never to a fixed 512); the pad id comes from the tokenizer;
- selects each token (or, with ``whole_word``, each word: all pieces of "st ##oic ##ism", or all characters of a
  jieba word, together) with probability ``mlm_probability``; special tokens and padding are never selected;
- replaces each selected token by the mask token with probability ``mask_replace_prob``, by a random non-special
  token with probability ``random_replace_prob``, and keeps it otherwise (the decision is made per token, also in
  whole words, as Google's create_pretraining_data.py does);
- sets ``labels`` to the original id on selected positions and -100 everywhere else.

Randomness, three ways:

- ``item_seeds=True`` (training): each item carries a ``mask_seed`` (the dataset derives it from the run's seed, the
  epoch and the item's position, see ``pairs.mask_seed``) and its masks are drawn from a generator seeded with it.
  The masks are then a function of (seed, epoch, index): the same whatever the batch, the process, the data loader
  worker or the session, so a run stopped (or killed) and resumed from a checkpoint trains on exactly the masks of
  an uninterrupted run, and logs the same losses. Each epoch still masks every sequence anew (dynamic masking).
- without ``seed``: torch's global generator, so masks differ at every call.
- with ``seed``: a private ``torch.Generator``; the sequence of masks over a sequence of batches is reproducible,
  and ``reset()`` rewinds it, so an evaluation pass sees the same frozen masks before and after training (call
  ``reset()`` or build a new collator for each pass).

Public API:
    ``MaskingCollator(tokenizer, mlm_probability=0.15, mask_replace_prob=0.8, random_replace_prob=0.1,
    whole_word=True, seed=None, return_kinds=False, pad_to_multiple_of=None, item_seeds=False)``;
    ``collator(features) -> dict``
    with ``input_ids, attention_mask, token_type_ids, labels[, next_sentence_label][, kinds]`` (torch tensors);
    ``collator.mask(input_ids, word_start, attention_mask) -> (input_ids, labels, kinds)``; ``reset()``;
    ``MaskingCollator.from_config(tokenizer, config, seed=None)``.
    Kind codes: ``NOT_SELECTED=0, MASKED=1, RANDOM=2, KEPT=3, SPECIAL=4`` (padding counts as special);
    ``KIND_NAMES`` maps code → "not selected", "masked", "random", "kept", "special".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch

NOT_SELECTED, MASKED, RANDOM, KEPT, SPECIAL = 0, 1, 2, 3, 4
KIND_NAMES = ("not selected", "masked", "random", "kept", "special")
IGNORE_INDEX = -100


class MaskingCollator:
    """Pad a list of dataset items into tensors and mask them; see the module docstring."""

    def __init__(self, tokenizer: Any, mlm_probability: float = 0.15, mask_replace_prob: float = 0.8,
                 random_replace_prob: float = 0.1, whole_word: bool = True, seed: int | None = None,
                 return_kinds: bool = False, pad_to_multiple_of: int | None = None, item_seeds: bool = False) -> None:
        if not 0.0 <= mlm_probability <= 1.0:
            raise ValueError("mlm_probability must be in [0, 1]")
        if mask_replace_prob < 0 or random_replace_prob < 0 or mask_replace_prob + random_replace_prob > 1 + 1e-9:
            raise ValueError("mask_replace_prob and random_replace_prob must be ≥ 0 and sum to at most 1")
        if tokenizer.mask_token_id is None:
            from bertgui.errors import ModelError

            raise ModelError(f"The tokenizer ({type(tokenizer).__name__}) has no mask token.",
                             "Choose a masked-language model (BERT, RoBERTa, …).")
        self.mlm_probability = float(mlm_probability)
        self.mask_replace_prob = float(mask_replace_prob)
        self.random_replace_prob = float(random_replace_prob)
        self.whole_word = bool(whole_word)
        self.return_kinds = bool(return_kinds)
        self.pad_to_multiple_of = pad_to_multiple_of
        self.mask_id = int(tokenizer.mask_token_id)
        self.pad_id = int(tokenizer.pad_token_id if tokenizer.pad_token_id is not None else self.mask_id)
        vocab = len(tokenizer)
        special = sorted({int(i) for i in tokenizer.all_special_ids if i is not None and 0 <= int(i) < vocab}
                         | {self.pad_id, self.mask_id})
        self.special_ids = torch.tensor(special, dtype=torch.long)
        is_special = torch.zeros(vocab, dtype=torch.bool)
        is_special[self.special_ids] = True
        self.random_pool = torch.nonzero(~is_special).flatten()  # ids a random replacement may take
        self.seed = seed
        self.item_seeds = bool(item_seeds)
        self.generator: torch.Generator | None = None
        self.reset()

    @classmethod
    def from_config(cls, tokenizer: Any, config: Any, *, seed: int | None = None, **kw: Any) -> MaskingCollator:
        return cls(tokenizer, config.mlm_probability, config.mask_replace_prob, config.random_replace_prob,
                   config.whole_word_masking, seed=seed, **kw)

    def reset(self) -> None:
        """Rewind the private generator (with ``seed``): the next batches get the same masks as the first time."""
        if self.seed is not None:
            self.generator = torch.Generator().manual_seed(int(self.seed))

    # ------------------------------------------------------------------ collate
    def __call__(self, features: Sequence[dict[str, Any]]) -> dict[str, torch.Tensor]:
        n = len(features)
        length = max(len(f["input_ids"]) for f in features)
        if self.pad_to_multiple_of:
            m = self.pad_to_multiple_of
            length = (length + m - 1) // m * m
        input_ids = torch.full((n, length), self.pad_id, dtype=torch.long)
        types = torch.zeros((n, length), dtype=torch.long)
        attention = torch.zeros((n, length), dtype=torch.long)
        word_start = torch.ones((n, length), dtype=torch.bool)
        for i, f in enumerate(features):
            k = len(f["input_ids"])
            input_ids[i, :k] = torch.as_tensor(f["input_ids"], dtype=torch.long)
            attention[i, :k] = 1
            if "token_type_ids" in f:
                types[i, :k] = torch.as_tensor(f["token_type_ids"], dtype=torch.long)
            if "word_start" in f:
                word_start[i, :k] = torch.as_tensor(f["word_start"], dtype=torch.bool)
        draws = None
        if self.item_seeds and all("mask_seed" in f for f in features):
            draws = self._item_draws([int(f["mask_seed"]) for f in features],
                                     [len(f["input_ids"]) for f in features], length)
        masked, labels, kinds = self.mask(input_ids, word_start, attention, draws=draws)
        batch = {"input_ids": masked, "attention_mask": attention, "token_type_ids": types, "labels": labels}
        if "next_sentence_label" in features[0]:
            batch["next_sentence_label"] = torch.tensor([int(f["next_sentence_label"]) for f in features],
                                                        dtype=torch.long)
        if self.return_kinds:
            batch["kinds"] = kinds
        return batch

    # ------------------------------------------------------------------ masking
    def _rand(self, shape: tuple[int, ...]) -> torch.Tensor:
        return torch.rand(shape, generator=self.generator)

    def _item_draws(self, seeds: list[int], lengths: list[int], width: int
                    ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Per-row uniform draws (selection, replacement) and random-token picks, each row from its own seed.

        A row draws only for its own length, so padding (which depends on the rest of the batch) changes nothing.
        """
        n = len(seeds)
        u = torch.ones((n, width))  # padding: never selected
        v = torch.ones((n, width))
        picks = torch.zeros((n, width), dtype=torch.long)
        for i, (seed, k) in enumerate(zip(seeds, lengths, strict=True)):
            g = torch.Generator().manual_seed(seed)
            u[i, :k] = torch.rand(k, generator=g)
            v[i, :k] = torch.rand(k, generator=g)
            picks[i, :k] = torch.randint(len(self.random_pool), (k,), generator=g)
        return u, v, picks

    def mask(self, input_ids: torch.Tensor, word_start: torch.Tensor | None = None,
             attention_mask: torch.Tensor | None = None,
             draws: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None,
             ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Masked ids, labels (-100 where not selected) and kind codes for a padded batch (all ``[n, length]``).

        ``draws``: the (selection, replacement, random pick) draws to use instead of the collator's generator.
        """
        n, length = input_ids.shape
        special = torch.isin(input_ids, self.special_ids)
        if attention_mask is not None:
            special |= attention_mask == 0
        u = self._rand((n, length)) if draws is None else draws[0]
        if self.whole_word and word_start is not None:
            starts = word_start.bool() | special  # a special token (and what follows it) starts a new unit
            starts[:, 1:] |= special[:, :-1]
            starts[:, 0] = True
            pos = torch.arange(length).expand(n, length)
            first = torch.cummax(torch.where(starts, pos, torch.zeros_like(pos)), dim=1).values
            u = torch.gather(u, 1, first)  # every piece of a word shares its first piece's draw
        selected = (u < self.mlm_probability) & ~special
        v = self._rand((n, length)) if draws is None else draws[1]
        to_mask = selected & (v < self.mask_replace_prob)
        to_random = selected & ~to_mask & (v < self.mask_replace_prob + self.random_replace_prob)
        out = input_ids.clone()
        out[to_mask] = self.mask_id
        k = int(to_random.sum())
        if k and draws is not None:
            out[to_random] = self.random_pool[draws[2][to_random]]
        elif k:
            pick = torch.randint(len(self.random_pool), (k,), generator=self.generator)
            out[to_random] = self.random_pool[pick]
        labels = torch.where(selected, input_ids, torch.full_like(input_ids, IGNORE_INDEX))
        kinds = torch.full_like(input_ids, NOT_SELECTED, dtype=torch.int8)
        kinds[special] = SPECIAL
        kinds[to_mask] = MASKED
        kinds[to_random] = RANDOM
        kinds[selected & ~to_mask & ~to_random] = KEPT
        return out, labels, kinds
