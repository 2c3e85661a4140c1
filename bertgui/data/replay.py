"""Replay against forgetting: a share of general text mixed into the training text.

WHY: continued pre-training on a narrow domain moves a model away from general language (its perplexity on general
text rises); mixing a little general text back in ("replay", as in continual-learning work and in Gururangan et al.
2020's curated mixes) keeps most of what the model knew at a small cost to the domain gain. The general file is
split by documents first: the held-out part measures forgetting, only the rest is replayed, so the general figure
never measures text the model trained on.

Public API:
    ``split_general(corpus, eval_share=0.3, seed=0) -> (eval_part, replay_part)``
    ``mix_replay(train, general, share, seed=0) -> TokenizedCorpus``: the training text plus general documents
        whose tokens are about ``share`` of the result (repeated when the general text is short).
    ``concat_corpora(a, b) -> TokenizedCorpus``
"""

from __future__ import annotations

import numpy as np

from bertgui.data.tokenized import TokenizedCorpus


def split_general(corpus: TokenizedCorpus, eval_share: float = 0.3, seed: int = 0
                  ) -> tuple[TokenizedCorpus, TokenizedCorpus | None]:
    """Whole documents for measuring forgetting, the rest for replay (None when there is only one document)."""
    docs = np.asarray(corpus.docs)
    if len(docs) < 2:
        return corpus, None
    order = np.random.default_rng(seed).permutation(len(docs))
    n_eval = min(len(docs) - 1, max(1, round(eval_share * len(docs))))
    return corpus.subset(np.sort(docs[order[:n_eval]])), corpus.subset(np.sort(docs[order[n_eval:]]))


def _doc_tokens(c: TokenizedCorpus) -> np.ndarray:
    return c.sent_offsets[c.doc_offsets[c.docs + 1]] - c.sent_offsets[c.doc_offsets[c.docs]]


def concat_corpora(a: TokenizedCorpus, b: TokenizedCorpus) -> TokenizedCorpus:
    """The documents of ``a`` then those of ``b`` (``b``'s may repeat), as one corpus with its own arrays."""
    tokens, word_start, sent_lengths, doc_sents, doc_source, doc_index = [], [], [], [], [], []
    sources = list(a.sources) + [s for s in b.sources if s not in a.sources]
    for c in (a, b):
        remap = {i: sources.index(s) for i, s in enumerate(c.sources)}
        for d in map(int, c.docs):
            s0, s1 = int(c.doc_offsets[d]), int(c.doc_offsets[d + 1])
            t0, t1 = int(c.sent_offsets[s0]), int(c.sent_offsets[s1])
            tokens.append(np.asarray(c.tokens[t0:t1]))
            word_start.append(np.asarray(c.word_start[t0:t1]))
            sent_lengths.append(np.diff(np.asarray(c.sent_offsets[s0:s1 + 1])))
            doc_sents.append(s1 - s0)
            doc_source.append(remap[int(c.doc_source[d])])
            doc_index.append(int(c.doc_index[d]))
    lengths = np.concatenate(sent_lengths) if sent_lengths else np.zeros(0, np.int64)
    return TokenizedCorpus(
        tokens=np.concatenate(tokens).astype(a.tokens.dtype), word_start=np.concatenate(word_start).astype(
            a.word_start.dtype), sent_offsets=np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64),
        doc_offsets=np.concatenate([[0], np.cumsum(doc_sents)]).astype(np.int64),
        doc_source=np.asarray(doc_source, np.int32), doc_index=np.asarray(doc_index, np.int64), sources=sources,
        word_segmenter=a.word_segmenter)


def mix_replay(train: TokenizedCorpus, general: TokenizedCorpus, share: float, seed: int = 0) -> TokenizedCorpus:
    """``train`` plus general documents (seeded order, repeated if needed) making up about ``share`` of the tokens."""
    if share <= 0 or general.n_documents == 0:
        return train
    want = share / (1.0 - share) * train.n_tokens
    rng = np.random.default_rng(seed)
    docs, sizes = np.asarray(general.docs), _doc_tokens(general)
    picked: list[int] = []
    total = 0
    while total < want:
        for k in rng.permutation(len(docs)):
            if total >= want:
                break
            picked.append(int(docs[k]))
            total += int(sizes[k])
    return concat_corpora(train, general.subset(np.asarray(picked, dtype=np.int64)))
