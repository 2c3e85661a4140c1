"""Contender (a): the well-known "train BERT with MLM + NSP" tutorial loop, re-implemented as described.

It is kept deliberately as the tutorial wrote it, flaws included, because it is the baseline people start from:
- one NSP pair per paragraph (one paragraph per line), sentences found by splitting on '.';
- every pair padded to ``max_seq_length`` (the tutorial: 512) — most positions are padding on short text;
- masks drawn ONCE before training and reused every epoch (15 % of the non-[CLS]/[SEP]/[PAD] tokens become [MASK];
  the tutorial hard-coded the ids 101/102/0/103, here they come from the tokenizer);
- labels are a copy of ALL input ids, so every position — padding included — is decoded over the whole vocabulary
  and counts in the loss;
- plain ``torch.optim.AdamW`` (lr 5e-5), fp32, batch 16, a shuffled DataLoader, ``model(**batch)``.
On a GPU with ``precision = "bf16"`` (the GPU section) the forward runs under bf16 autocast, as anyone would run
the tutorial there; everything else stays as written.
"""

from __future__ import annotations

import random
import time

from bertgui.bench.flops import BertShape, step_flops
from bertgui.bench.spec import RunResult, RunSpec, peak_rss_bytes


def read_paragraphs(corpus: str) -> list[str]:
    with open(corpus, encoding="utf-8") as fh:
        return fh.read().split("\n")


def make_pairs(paragraphs: list[str], rng: random.Random) -> tuple[list[str], list[str], list[int]]:
    """The tutorial's NSP pairs: label 0 = B follows A in the same paragraph, 1 = B is a random corpus sentence."""
    bag = [s for p in paragraphs for s in p.split(".") if s != ""]
    sentence_a: list[str] = []
    sentence_b: list[str] = []
    labels: list[int] = []
    for paragraph in paragraphs:
        sentences = [s for s in paragraph.split(".") if s != ""]
        if len(sentences) > 1:
            start = rng.randint(0, len(sentences) - 2)
            sentence_a.append(sentences[start])
            if rng.random() >= 0.5:
                sentence_b.append(sentences[start + 1])
                labels.append(0)
            else:
                sentence_b.append(bag[rng.randint(0, len(bag) - 1)])
                labels.append(1)
    return sentence_a, sentence_b, labels


def build_inputs(tokenizer, paragraphs: list[str], max_length: int, seed: int):
    """Tokenise every pair to ``max_length`` and draw the (fixed) masks, exactly once."""
    import torch

    rng = random.Random(seed)
    a, b, nsp = make_pairs(paragraphs, rng)
    if not a:
        raise ValueError("The corpus has no paragraph with more than one sentence: the tutorial loop has no pairs.")
    inputs = tokenizer(a, b, return_tensors="pt", max_length=max_length, truncation=True, padding="max_length")
    inputs = dict(inputs)
    inputs["next_sentence_label"] = torch.LongTensor([nsp]).T
    inputs["labels"] = inputs["input_ids"].detach().clone()
    gen = torch.Generator().manual_seed(seed)
    rand = torch.rand(inputs["input_ids"].shape, generator=gen)
    ids = inputs["input_ids"]
    mask_arr = ((rand < 0.15) & (ids != tokenizer.cls_token_id) & (ids != tokenizer.sep_token_id)
                & (ids != tokenizer.pad_token_id))
    for i in range(ids.shape[0]):
        selection = torch.flatten(mask_arr[i].nonzero()).tolist()
        ids[i, selection] = tokenizer.mask_token_id
    return inputs


class PairsDataset:
    """The tutorial's Dataset: item i is a dict of row i of every tensor."""

    def __init__(self, encodings: dict) -> None:
        self.encodings = encodings

    def __getitem__(self, idx: int) -> dict:
        return {key: val[idx].clone() for key, val in self.encodings.items()}

    def __len__(self) -> int:
        return len(self.encodings["input_ids"])


def run(spec: RunSpec) -> RunResult:
    import torch
    from transformers import AutoTokenizer, BertForPreTraining

    if spec.threads:
        torch.set_num_threads(spec.threads)
    torch.manual_seed(spec.seed)
    tokenizer = AutoTokenizer.from_pretrained(spec.model, trust_remote_code=False)
    attn = spec.options.get("tutorial_attn") or None  # None: the library's default, as the tutorial would get today
    kwargs = {"attn_implementation": attn} if attn else {}
    model = BertForPreTraining.from_pretrained(spec.model, trust_remote_code=False, **kwargs)
    shape = BertShape.from_config(model.config)
    inputs = build_inputs(tokenizer, read_paragraphs(spec.corpus), spec.max_seq_length, spec.seed)
    loader = torch.utils.data.DataLoader(PairsDataset(inputs), batch_size=spec.batch_size, shuffle=True,
                                         generator=torch.Generator().manual_seed(spec.seed))
    device = torch.device(spec.device)
    model.to(device)
    model.train()
    optim = torch.optim.AdamW(model.parameters(), lr=5e-5)
    amp = device.type == "cuda" and spec.precision == "bf16"

    def batches():
        while True:  # the tutorial's epochs: the same masked pairs, reshuffled
            yield from loader

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize()

    real = positions = decoded = flops = 0
    loss_value = None
    t_start = 0.0
    it = batches()
    for step in range(spec.warmup + spec.steps):
        if step == spec.warmup:
            sync()
            t_start = time.perf_counter()
        batch = next(it)
        optim.zero_grad()
        batch = {k: v.to(device) for k, v in batch.items()}
        with torch.autocast(device.type, dtype=torch.bfloat16, enabled=amp):
            outputs = model(**batch)
        loss = outputs.loss
        loss.backward()
        optim.step()
        if step >= spec.warmup:
            n, length = batch["input_ids"].shape
            real += int(batch["attention_mask"].sum())
            positions += n * length
            decoded += n * length  # labels cover every position
            flops += step_flops(shape, tokens=n * length, lengths_sq_sum=n * length * length,
                                decoded=n * length, sequences=n)
    sync()
    seconds = time.perf_counter() - t_start
    loss_value = float(loss.detach())
    return RunResult(kind="tutorial", steps=spec.steps, seconds=seconds, real_tokens=real, positions=positions,
                     decoded=decoded, flops=flops, peak_rss_bytes=peak_rss_bytes(),
                     threads=torch.get_num_threads(), device=str(device), final_loss=loss_value,
                     device_peak_bytes=int(torch.cuda.max_memory_allocated()) if device.type == "cuda" else 0,
                     extra={"pairs": len(inputs["input_ids"]), "precision": "bf16 autocast" if amp else "fp32",
                            "attn_implementation": model.config._attn_implementation})
