"""The embedding check: can the model find the passage that belongs with a sentence of yours? No labels needed.

WHY: perplexity says whether a model reads a domain's text more easily, not whether its *embeddings* got better or
worse — and a sentence-transformers base (all-MiniLM-L6-v2 and kin) was tuned contrastively for them, so continued
MLM can spoil search while perplexity falls. The inverse-cloze test (Lee et al. 2019) measures that on the held-out
documents themselves: every passage is a query, the passage that follows it in the same document is the one right
answer, and every other passage of the set is a distractor. Ranked by cosine similarity of the model's own sentence
embeddings (:mod:`bertgui.model.pooling`), it gives recall@1, recall@10 and the mean reciprocal rank (MRR).

Cheap on purpose: each passage goes through the model once (queries and candidates are the same vectors), the set is
capped (:data:`MAX_PASSAGES`) and drawn with a fixed seed, so the figures before and after training, and across runs
that share a tokenizer, are comparable.

Public API:
    ``RetrievalSet.from_corpus(corpus, split=...)``, ``RetrievalSet.from_documents(docs, split=...)``
    ``check_retrieval(model, tokenizer, rset, pooling, ...) -> RetrievalResult``
    ``embedding_fields(model, tokenizer, rset, pooling, ...) -> dict`` the ``EvalMetrics`` fields (the engine's call)
    ``chance(candidates) -> dict`` what ranking at random scores
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # torch only where the check runs: chance() serves the window's table on the UI thread
    import torch

    from bertgui.model.pooling import Pooling

RETRIEVAL_SEED = 1234  # fixed on purpose: the same passages for every model and every run
MAX_PASSAGES = 600  # one forward each; about 3 s for a MiniLM-size model on 2 CPU cores (see benchmarks)
PER_DOCUMENT = 12  # consecutive passages of one document at most (more documents, fewer easy same-topic pairs)
MIN_TOKENS = 8  # shorter sentences are joined with the next ("Yes." is no query)
MAX_TOKENS = 64
MIN_QUERIES = 10  # below this the figures are noise: no check


@dataclass
class RetrievalSet:
    """Passages (token ids, no special tokens) and which passage answers which query."""

    split: str
    passages: list[list[int]]
    queries: list[int]  # passage index of each query
    answers: list[int]  # passage index of its right answer (the next passage of the same document)
    documents: int = 0
    note: str = ""

    def __len__(self) -> int:
        return len(self.queries)

    @classmethod
    def from_corpus(cls, corpus: Any, *, split: str = "eval", max_passages: int = MAX_PASSAGES,
                    seed: int = RETRIEVAL_SEED) -> RetrievalSet:
        """From a :class:`~bertgui.data.tokenized.TokenizedCorpus` (its documents, sentence by sentence)."""
        docs = [int(d) for d in np.asarray(corpus.docs)]

        def document(d: int) -> list[list[int]]:
            return [corpus.sentence_tokens(s).tolist() for s in corpus.document_sentences(d)]

        return cls._build(len(docs), lambda i: document(docs[i]), split=split, max_passages=max_passages,
                          seed=seed)

    @classmethod
    def from_documents(cls, documents: Sequence[Sequence[Sequence[int]]], *, split: str = "eval",
                       max_passages: int = MAX_PASSAGES, seed: int = RETRIEVAL_SEED) -> RetrievalSet:
        """From documents given as lists of sentences, each a list of token ids."""
        return cls._build(len(documents), lambda i: [list(s) for s in documents[i]], split=split,
                          max_passages=max_passages, seed=seed)

    @classmethod
    def _build(cls, n_docs: int, document: Callable[[int], list[list[int]]], *, split: str, max_passages: int,
               seed: int) -> RetrievalSet:
        rng = np.random.default_rng(seed)
        per_doc = max(PER_DOCUMENT, math.ceil(max_passages / max(1, n_docs)))
        passages: list[list[int]] = []
        queries: list[int] = []
        answers: list[int] = []
        used = 0
        for i in rng.permutation(n_docs).tolist():
            room = max_passages - len(passages)
            if room < 2:
                break
            chunks = passages_of(document(i))
            if len(chunks) < 2:
                continue
            take = min(per_doc, room, len(chunks))
            first = int(rng.integers(0, len(chunks) - take + 1))
            start = len(passages)
            passages += chunks[first:first + take]
            queries += list(range(start, start + take - 1))
            answers += list(range(start + 1, start + take))
            used += 1
        note = ""
        if len(queries) < MIN_QUERIES:
            note = (f"No embedding check on the {split} split: its documents give {len(queries)} pairs of "
                    f"neighbouring passages, fewer than {MIN_QUERIES}.")
        return cls(split=split, passages=passages, queries=queries, answers=answers, documents=used, note=note)


def passages_of(sentences: Sequence[Sequence[int]], *, min_tokens: int = MIN_TOKENS,
                max_tokens: int = MAX_TOKENS) -> list[list[int]]:
    """Consecutive sentences joined until a passage has ``min_tokens``; each cut at ``max_tokens``."""
    out: list[list[int]] = []
    current: list[int] = []
    for sentence in sentences:
        current += list(sentence)
        if len(current) >= min_tokens:
            out.append(current[:max_tokens])
            current = []
    if current:
        if out and len(current) < min_tokens:
            out[-1] = (out[-1] + current)[:max_tokens]
        else:
            out.append(current[:max_tokens])
    return out


@dataclass
class RetrievalResult:
    recall_at_1: float
    recall_at_10: float
    mrr: float
    queries: int
    candidates: int  # passages each query is ranked against (all but itself)
    split: str = "eval"
    pooling: str = ""
    ranks: list[float] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out.pop("ranks")
        return out


def chance(candidates: int) -> dict[str, float]:
    """What ranking the candidates at random scores on average: recall@1, recall@10 and MRR."""
    n = max(1, int(candidates))
    harmonic = sum(1.0 / k for k in range(1, n + 1))
    return {"recall_at_1": 1.0 / n, "recall_at_10": min(10, n) / n, "mrr": harmonic / n}


def answer_ranks(vectors: torch.Tensor, queries: Sequence[int], answers: Sequence[int]) -> torch.Tensor:
    """Rank (1 = first) of each query's answer among all other passages by cosine similarity.

    Ties count half (the expected rank when ties are broken at random): a model whose vectors are all the same
    scores chance, not the best or the worst rank.
    """
    import torch

    v = torch.nn.functional.normalize(vectors.float(), dim=-1)
    q = torch.as_tensor(list(queries), dtype=torch.long)
    a = torch.as_tensor(list(answers), dtype=torch.long)
    scores = v[q] @ v.T  # [queries, passages]
    scores[torch.arange(len(q)), q] = float("nan")  # the query itself is no candidate
    target = scores[torch.arange(len(q)), a].unsqueeze(1)
    greater = (scores > target).sum(1).float()
    equal = (scores == target).sum(1).float() - 1.0  # minus the answer itself
    return 1.0 + greater + 0.5 * equal


def check_retrieval(model: torch.nn.Module, tokenizer: Any, rset: RetrievalSet, pooling: Pooling, *,
                    device: str | torch.device | None = None, precision: str = "fp32",
                    progress: Callable[[int, int], None] | None = None) -> RetrievalResult | None:
    """Embed every passage once and rank; None when the set is too small to say anything."""
    from bertgui.model.pooling import embed_ids

    if len(rset) < MIN_QUERIES:
        return None
    vectors = embed_ids(model, tokenizer, rset.passages, pooling, device=device, precision=precision,
                        progress=progress)
    ranks = answer_ranks(vectors, rset.queries, rset.answers)
    return RetrievalResult(recall_at_1=float((ranks <= 1).float().mean()),
                           recall_at_10=float((ranks <= 10).float().mean()), mrr=float((1.0 / ranks).mean()),
                           queries=len(rset), candidates=len(rset.passages) - 1, split=rset.split,
                           pooling=pooling.source, ranks=ranks.tolist())


def embedding_fields(model: torch.nn.Module, tokenizer: Any, rset: RetrievalSet | None, pooling: Pooling, *,
                     device: str | torch.device | None = None, precision: str = "fp32") -> dict[str, Any]:
    """The ``retrieval_*`` fields of :class:`~bertgui.events.EvalMetrics` ({} when there is no check)."""
    if rset is None:
        return {}
    result = check_retrieval(model, tokenizer, rset, pooling, device=device, precision=precision)
    if result is None:
        return {}
    return {"retrieval_recall_at_1": result.recall_at_1, "retrieval_recall_at_10": result.recall_at_10,
            "retrieval_mrr": result.mrr, "retrieval_queries": result.queries,
            "retrieval_candidates": result.candidates}
