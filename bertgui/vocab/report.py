"""Domain vocabulary: mine the words worth adding, add them, and show what changed — one import for callers.

Mining lives in ``vocab_mining``, the tokenizer and model surgery in ``vocab_extend``; this module adds the
before/after report and the perplexity conversion.

Why perplexity needs converting: a model's loss is an average per *token*, and the extended tokenizer makes
fewer, longer tokens of the same text. Each token then carries more information, so its loss rises even when the
model is just as good. Only a unit both tokenizers share is comparable: per word, ``exp(total_nll / n_words)``
with ``total_nll = loss_per_token × n_tokens`` (the tokens of the same held-out text under each tokenizer), or
per character likewise. With masked language modelling the loss is a pseudo-log-likelihood over the masked
positions, so the conversion assumes that the mean over masked tokens stands for the mean over all tokens —
true in expectation under uniform random masking.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from typing import Any

from bertgui.model.loading import ProgressFn
from bertgui.vocab.extend import VocabChange, extend_tokenizer, extend_vocabulary, unlimited
from bertgui.vocab.mining import (
    CJK_RE,
    CJK_RUN_RE,
    Candidate,
    CandidateList,
    backend_of,
    iter_texts,
    jieba_module,
    mine_vocabulary,
    pre_tokens,
)

__all__ = [
    "Candidate", "CandidateList", "VocabChange", "extend_tokenizer", "extend_vocabulary", "mine_vocabulary", "vocabulary_report",
    "count_text_words", "per_word_perplexity", "per_character_perplexity",
]

BATCH = 256


def count_text_words(text: str, tokenizer: Any, jieba: Any = None) -> int:
    """Words of ``text`` as the data pipeline counts them: the tokenizer's pre-tokens (punctuation marks count,
    as BERT's word_ids do), except that runs of Chinese characters count as jieba words (characters without
    jieba). The unit is fixed by the *original* tokenizer, so it is the same before and after extending."""
    backend = backend_of(tokenizer)
    n = sum(1 for w in pre_tokens(backend, text) if not CJK_RE.fullmatch(w))
    for run in CJK_RUN_RE.findall(text):
        n += sum(1 for _ in jieba.cut(run, HMM=True)) if jieba is not None else len(run)
    return n


def vocabulary_report(corpus: Any, tokenizer_before: Any, tokenizer_after: Any, *, words: Iterable[str] = (),
                      max_documents: int | None = None, progress: ProgressFn | None = None,
                      documents: str = "auto", text_column: str = "text") -> dict[str, Any]:
    """Tokens per word, tokens per character and the [UNK] rate of the corpus under both tokenizers.

    ``corpus``: paths or texts (as for ``mine_vocabulary``). ``words``: the added words, to count how often each
    new token occurs after the change (``new_token_counts``). Returns plain numbers (JSON-ready)::

        {"documents", "words", "characters",
         "before": {"tokens", "tokens_per_word", "tokens_per_character", "unk", "unk_rate"},
         "after": {...same...}, "token_reduction": 1 − after/before, "new_token_counts": {word: n}}
    """
    before, after = unlimited(backend_of(tokenizer_before)), unlimited(backend_of(tokenizer_after))
    jieba = jieba_module()
    unk = {"before": tokenizer_before.unk_token_id, "after": tokenizer_after.unk_token_id}
    new_ids: dict[int, str] = {}
    for w in words:
        ids = after.encode(w, add_special_tokens=False).ids
        if len(ids) == 1:
            new_ids[ids[0]] = w
    totals = {side: {"tokens": 0, "unk": 0} for side in ("before", "after")}
    hits: Counter = Counter()
    n_docs = n_words = n_chars = 0
    batch: list[str] = []

    def flush() -> None:
        for side, backend in (("before", before), ("after", after)):
            for enc in backend.encode_batch(batch, add_special_tokens=False):
                totals[side]["tokens"] += len(enc.ids)
                if unk[side] is not None:
                    totals[side]["unk"] += enc.ids.count(unk[side])
                if side == "after" and new_ids:
                    hits.update(new_ids[i] for i in enc.ids if i in new_ids)
        batch.clear()

    for text in iter_texts(corpus, documents=documents, text_column=text_column):
        if max_documents is not None and n_docs >= max_documents:
            break
        n_docs += 1
        n_words += count_text_words(text, tokenizer_before, jieba)
        n_chars += sum(1 for ch in text if not ch.isspace())
        batch.append(text)
        if len(batch) >= BATCH:
            flush()
            if progress is not None:
                progress(n_docs, max_documents or 0, f"Tokenizing: {n_docs:,} documents")
    if batch:
        flush()

    def side(name: str) -> dict[str, Any]:
        t = totals[name]
        return {"tokens": t["tokens"], "tokens_per_word": t["tokens"] / max(n_words, 1),
                "tokens_per_character": t["tokens"] / max(n_chars, 1), "unk": t["unk"],
                "unk_rate": t["unk"] / max(t["tokens"], 1)}

    report = {"documents": n_docs, "words": n_words, "characters": n_chars, "before": side("before"),
              "after": side("after")}
    report["token_reduction"] = 1 - totals["after"]["tokens"] / max(totals["before"]["tokens"], 1)
    report["new_token_counts"] = {w: hits.get(w, 0) for w in new_ids.values()}
    return report


def per_word_perplexity(loss_per_token: float, n_tokens: int, n_words: int) -> float:
    """``exp(total_nll / n_words)`` with ``total_nll = loss_per_token × n_tokens``: comparable across tokenizers.

    ``loss_per_token``: the mean (MLM) loss in nats on held-out text; ``n_tokens``: that text's tokens under the
    tokenizer the loss was measured with; ``n_words``: its words (``vocabulary_report(...)["words"]``, the same
    for both tokenizers).
    """
    if n_words <= 0 or n_tokens < 0:
        raise ValueError("n_words must be positive and n_tokens non-negative")
    return math.exp(loss_per_token * n_tokens / n_words)


def per_character_perplexity(loss_per_token: float, n_tokens: int, n_characters: int) -> float:
    """``exp(total_nll / n_characters)``: for Chinese, or any text where 'word' is ill-defined."""
    if n_characters <= 0 or n_tokens < 0:
        raise ValueError("n_characters must be positive and n_tokens non-negative")
    return math.exp(loss_per_token * n_tokens / n_characters)
