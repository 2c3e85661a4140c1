"""Contender (c): Hugging Face's ``run_mlm.py`` recipe, the fast baseline people copy (MLM only).

Re-done as the example script does it, with its defaults, on the same model folder, corpus, length, batch and
threads as the other contenders:
- every line of the corpus tokenized with ``return_special_tokens_mask=True`` (the script's non-line-by-line path);
- ``group_texts``: all token lists concatenated and cut into blocks of exactly ``max_seq_length`` (the tail that
  does not fill a block dropped), so a step carries batch × length real tokens and no padding — and sequences cross
  documents, which NSP pairs never may;
- ``DataCollatorForLanguageModeling`` (mlm_probability 0.15, 80/10/10, new masks every time a block is drawn);
- ``AutoModelForMaskedLM`` (the pre-training model's MLM head; no NSP) and the stock ``Trainer`` with its default
  AdamW, lr 5e-5, the script's own shuffled sampler; the stock loss decodes every position over the vocabulary.
``datasets`` is not a bertgui dependency: the texts go through the same two functions as plain Python lists
(``group_texts`` is the script's function unchanged).

``precision = "bf16"``: the script's ``--bf16`` (the Trainer's autocast, on a CPU too), the like-for-like
contender when our engine trains in bf16.

Timing as for the others: wall time from the end of the last warm-up step to the end of the last timed step
(a ``TrainerCallback`` at ``on_step_end``); real tokens and positions counted by a wrapper around the collator.
"""

from __future__ import annotations

import tempfile
import time
from itertools import chain
from typing import Any

from bertgui.bench.flops import BertShape, step_flops
from bertgui.bench.spec import RunResult, RunSpec, peak_rss_bytes


def group_texts(examples: dict[str, list[list[int]]], max_seq_length: int) -> dict[str, list[list[int]]]:
    """run_mlm.py's ``group_texts``: concatenate every column, cut into blocks of ``max_seq_length``."""
    concatenated = {k: list(chain(*examples[k])) for k in examples}
    total_length = len(concatenated[next(iter(examples))])
    total_length = (total_length // max_seq_length) * max_seq_length
    return {k: [t[i: i + max_seq_length] for i in range(0, total_length, max_seq_length)]
            for k, t in concatenated.items()}


def recipe_blocks(tokenizer: Any, corpus: str, max_seq_length: int) -> list[dict[str, list[int]]]:
    """The recipe's training examples: the corpus tokenized line by line, then grouped into full blocks."""
    with open(corpus, encoding="utf-8") as fh:
        lines = [line for line in fh.read().splitlines() if line.strip()]
    tokenized = dict(tokenizer(lines, return_special_tokens_mask=True))
    grouped = group_texts({k: tokenized[k] for k in tokenized}, max_seq_length)
    keys = list(grouped)
    return [{k: grouped[k][i] for k in keys} for i in range(len(grouped["input_ids"]))]


class _Counting:
    """The collator, passed through, recording each batch's real tokens and positions."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.batches: list[dict[str, int]] = []

    def __call__(self, features: list[dict[str, Any]]) -> dict[str, Any]:
        batch = self.inner(features)
        mask = batch.get("attention_mask")
        n, length = batch["input_ids"].shape
        real = int(mask.sum()) if mask is not None else n * length
        self.batches.append({"sequences": n, "positions": n * length, "real": real,
                             "len_sq": n * length * length})
        return batch


def run(spec: RunSpec) -> RunResult:
    import torch
    from transformers import (
        AutoModelForMaskedLM,
        AutoTokenizer,
        DataCollatorForLanguageModeling,
        Trainer,
        TrainerCallback,
        TrainingArguments,
    )

    if spec.threads:
        torch.set_num_threads(spec.threads)
    torch.manual_seed(spec.seed)
    tokenizer = AutoTokenizer.from_pretrained(spec.model, trust_remote_code=False)
    model = AutoModelForMaskedLM.from_pretrained(spec.model, trust_remote_code=False)
    blocks = recipe_blocks(tokenizer, spec.corpus, spec.max_seq_length)
    if not blocks:
        raise ValueError(f"The corpus holds fewer than {spec.max_seq_length} tokens: run_mlm's group_texts makes "
                         "no block of that length.")
    collator = _Counting(DataCollatorForLanguageModeling(tokenizer=tokenizer, mlm_probability=0.15))
    total = spec.warmup + spec.steps
    marks: dict[int, float] = {}
    cuda = spec.device.startswith("cuda")

    class Clock(TrainerCallback):
        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            if cuda:
                torch.cuda.synchronize()
            marks[state.global_step] = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="bertgui-recipe-") as out:
        args = TrainingArguments(
            output_dir=out, per_device_train_batch_size=spec.batch_size, max_steps=total, learning_rate=5e-5,
            seed=spec.seed, report_to="none", save_strategy="no", logging_steps=max(1, total), disable_tqdm=True,
            use_cpu=not cuda, bf16=spec.precision == "bf16", dataloader_drop_last=False)
        trainer = Trainer(model=model, args=args, train_dataset=blocks, data_collator=collator,
                          callbacks=[Clock()])
        if cuda:
            torch.cuda.reset_peak_memory_stats()
        marks[0] = time.perf_counter()
        result = trainer.train()
    t0 = marks[spec.warmup] if spec.warmup else marks[0]
    stats = collator.batches[spec.warmup:total]
    if len(stats) != spec.steps or total not in marks:
        raise RuntimeError(f"the recipe ran {len(collator.batches)} batches and reported steps {sorted(marks)}; "
                           f"expected {total}")
    shape = BertShape.from_config(model.config)
    flops = sum(step_flops(shape, tokens=b["positions"], lengths_sq_sum=b["len_sq"], decoded=b["positions"],
                           sequences=0) for b in stats)
    positions = sum(b["positions"] for b in stats)
    return RunResult(
        kind="recipe", steps=spec.steps, seconds=marks[total] - t0, real_tokens=sum(b["real"] for b in stats),
        positions=positions, decoded=positions, flops=flops, peak_rss_bytes=peak_rss_bytes(),
        threads=torch.get_num_threads(), device=spec.device, final_loss=float(result.training_loss),
        device_peak_bytes=int(torch.cuda.max_memory_allocated()) if cuda else 0,
        extra={"blocks": len(blocks), "attn_implementation": model.config._attn_implementation,
               "final_loss_is": "the Trainer's mean over all steps (it logs once, as the script would)",
               "optim": str(trainer.args.optim), "precision": "bf16" if args.bf16 else "fp32"})
