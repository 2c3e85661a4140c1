"""Masking: never special tokens, labels exactly where selected, rates close to the configuration, whole words,
per-batch padding, frozen masks with a seed and dynamic masks without one."""

from __future__ import annotations

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bertgui.data.masking import IGNORE_INDEX, KEPT, MASKED, NOT_SELECTED, RANDOM, SPECIAL, MaskingCollator


@pytest.fixture(scope="session")
def tokenizer(tiny_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


def random_items(tokenizer, n: int, seed: int, max_len: int = 64, nsp: bool = True) -> list[dict]:
    g = torch.Generator().manual_seed(seed)
    specials = set(tokenizer.all_special_ids)
    normal = torch.tensor([i for i in range(len(tokenizer)) if i not in specials])
    items = []
    for _ in range(n):
        la, lb = (int(x) for x in torch.randint(1, max_len // 2 - 2, (2,), generator=g))
        a = normal[torch.randint(len(normal), (la,), generator=g)].tolist()
        b = normal[torch.randint(len(normal), (lb,), generator=g)].tolist()
        ids = [tokenizer.cls_token_id, *a, tokenizer.sep_token_id, *b, tokenizer.sep_token_id]
        ws = (torch.rand(len(ids), generator=g) < 0.6).long().tolist()
        ws[0] = ws[1] = ws[la + 1] = ws[la + 2] = ws[-1] = 1
        item = {"input_ids": ids, "token_type_ids": [0] * (la + 2) + [1] * (lb + 1), "word_start": ws}
        if nsp:
            item["next_sentence_label"] = int(torch.randint(2, (1,), generator=g))
        items.append(item)
    return items


def word_ids(ws: list[int]) -> list[int]:
    out, w = [], -1
    for s in ws:
        w += 1 if s else 0
        out.append(w)
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), p=st.floats(0.05, 0.8), mask_p=st.floats(0, 1), rand_frac=st.floats(0, 1),
       whole=st.booleans(), n=st.integers(1, 12))
def test_invariants(tokenizer, seed, p, mask_p, rand_frac, whole, n) -> None:
    rand_p = (1 - mask_p) * rand_frac
    items = random_items(tokenizer, n, seed)
    col = MaskingCollator(tokenizer, p, mask_p, rand_p, whole_word=whole, seed=seed, return_kinds=True)
    batch = col(items)
    again = MaskingCollator(tokenizer, p, mask_p, rand_p, whole_word=whole, seed=seed, return_kinds=True)(items)
    assert all(torch.equal(batch[k], again[k]) for k in batch)  # same seed, same masks
    length = max(len(it["input_ids"]) for it in items)
    assert batch["input_ids"].shape == (n, length)  # padded to the longest in the batch only
    special_ids = torch.tensor(tokenizer.all_special_ids)
    for i, it in enumerate(items):
        k = len(it["input_ids"])
        orig = torch.tensor(it["input_ids"])
        kinds, labels, seen = batch["kinds"][i], batch["labels"][i], batch["input_ids"][i]
        assert (batch["attention_mask"][i, :k] == 1).all() and (batch["attention_mask"][i, k:] == 0).all()
        assert (seen[k:] == tokenizer.pad_token_id).all() and (kinds[k:] == SPECIAL).all()
        assert batch["token_type_ids"][i, :k].tolist() == it["token_type_ids"]
        is_special = torch.isin(orig, special_ids)
        assert (kinds[:k][is_special] == SPECIAL).all()
        assert not torch.isin(kinds[:k][~is_special], torch.tensor([SPECIAL])).any()
        selected = torch.isin(kinds, torch.tensor([MASKED, RANDOM, KEPT]))
        assert (labels[~selected] == IGNORE_INDEX).all()
        assert (labels[:k][selected[:k]] == orig[selected[:k]]).all()
        assert (seen[:k][kinds[:k] == MASKED] == tokenizer.mask_token_id).all()
        assert (seen[:k][kinds[:k] == KEPT] == orig[kinds[:k] == KEPT]).all()
        assert (seen[:k][kinds[:k] == NOT_SELECTED] == orig[kinds[:k] == NOT_SELECTED]).all()
        assert not torch.isin(seen[:k][kinds[:k] == RANDOM], special_ids).any()
        if whole:  # all pieces of a word share one selection
            groups: dict[int, set[bool]] = {}
            for w, s in zip(word_ids(it["word_start"]), selected[:k].tolist(), strict=True):
                groups.setdefault(w, set()).add(s)
            assert all(len(v) == 1 for v in groups.values())
    assert batch["next_sentence_label"].tolist() == [it["next_sentence_label"] for it in items]


@pytest.mark.parametrize("whole", [False, True])
def test_rates_over_many_batches(tokenizer, whole) -> None:
    check_rates(tokenizer, 0.15, 0.8, 0.1, whole, seed=0)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(p=st.floats(0.05, 0.5), mask_p=st.floats(0.3, 0.9), rand_frac=st.floats(0.1, 0.9), whole=st.booleans(),
       seed=st.integers(0, 10**6))
def test_rates_property(tokenizer, p, mask_p, rand_frac, whole, seed) -> None:
    check_rates(tokenizer, p, mask_p, (1 - mask_p) * rand_frac, whole, seed)


def check_rates(tokenizer, p: float, mask_p: float, rand_p: float, whole: bool, seed: int) -> None:
    """Selected share and the masked/random/kept split within 5 standard deviations of the configuration.

    With whole words, selection is per word, so the spread of the selected token share depends on word lengths:
    Var = p(1-p) * sum(L^2) / (sum L)^2 over the eligible words.
    """
    g = torch.Generator().manual_seed(seed)
    col = MaskingCollator(tokenizer, p, mask_p, rand_p, whole_word=whole, return_kinds=True)
    col.generator = g
    counts = torch.zeros(5)
    sum_l2 = 0.0
    for b in range(25):
        items = random_items(tokenizer, 32, seed + b)
        counts += torch.bincount(col(items)["kinds"].flatten().long(), minlength=5)
        for it in items:
            lengths = torch.bincount(torch.tensor(word_ids(it["word_start"])))[1:-1]  # drop [CLS] and last [SEP]
            sum_l2 += float((lengths.float() ** 2).sum()) if whole else float(lengths.sum())
    eligible = float(counts[:4].sum())
    selected = float(counts[MASKED] + counts[RANDOM] + counts[KEPT])
    assert eligible > 10000
    assert abs(selected / eligible - p) < 5 * (p * (1 - p) * sum_l2) ** 0.5 / eligible + 1e-3
    for kind, q in ((MASKED, mask_p), (RANDOM, rand_p), (KEPT, 1 - mask_p - rand_p)):
        assert abs(float(counts[kind]) / selected - q) < 5 * (q * (1 - q) / selected) ** 0.5 + 1e-3


def test_seed_freezes_masks_and_no_seed_is_dynamic(tokenizer) -> None:
    items = random_items(tokenizer, 8, 1)
    a = MaskingCollator(tokenizer, seed=7)
    b = MaskingCollator(tokenizer, seed=7)
    c = MaskingCollator(tokenizer, seed=8)
    first = a(items)
    assert torch.equal(first["input_ids"], b(items)["input_ids"])
    assert not torch.equal(first["labels"], c(items)["labels"])
    assert not torch.equal(first["labels"], a(items)["labels"])  # the next batch gets new masks
    a.reset()
    assert torch.equal(first["labels"], a(items)["labels"])  # rewound: the eval pass sees the same masks
    dyn = MaskingCollator(tokenizer)
    assert not torch.equal(dyn(items)["labels"], dyn(items)["labels"])


def test_mlm_only_items_and_special_ids_from_tokenizer(tokenizer) -> None:
    items = random_items(tokenizer, 4, 3, nsp=False)
    batch = MaskingCollator(tokenizer, 0.5, seed=1)(items)
    assert "next_sentence_label" not in batch and "kinds" not in batch
    assert set(batch) == {"input_ids", "attention_mask", "token_type_ids", "labels"}
    col = MaskingCollator(tokenizer)
    assert set(col.special_ids.tolist()) >= set(tokenizer.all_special_ids)
    assert not torch.isin(col.random_pool, col.special_ids).any()
    assert len(col.random_pool) == len(tokenizer) - len(col.special_ids)


def test_dataloader_batches_from_the_dataset(tokenizer, sample_corpus) -> None:
    from torch.utils.data import DataLoader

    from bertgui.data.corpus import iter_documents
    from bertgui.data.pairs import PretrainingDataset
    from bertgui.data.tokenized import tokenize_documents

    corpus = tokenize_documents(iter_documents(str(sample_corpus)), tokenizer, max_documents=20)
    ds = PretrainingDataset(corpus, tokenizer, 48, nsp=True, seed=0, epochs=2)
    loader = DataLoader(ds, batch_size=8, collate_fn=MaskingCollator(tokenizer))
    for k, batch in enumerate(loader):
        assert batch["input_ids"].shape[1] <= 48
        assert batch["input_ids"].shape == batch["labels"].shape == batch["token_type_ids"].shape
        assert batch["next_sentence_label"].shape == (batch["input_ids"].shape[0],)
        if k == 3:
            break
