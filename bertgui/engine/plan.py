"""A time budget becomes a step plan: measure this model's speed on this device, then plan steps to fit.

WHY measure instead of estimating from FLOPs: the same BERT runs 12× slower on a desktop whose cores are busy with
other jobs, and the speed of small CPU matmuls depends on the thread count and the BLAS build. A few real training
steps (forward, backward, optimizer) on a throw-away copy of the model take seconds and tell the truth for *this*
machine now. The figure is cached per model, device, sequence length, batch and thread count in the user cache,
so the GUI can show "about N min on this machine" before Start without probing again.

Public API:
    ``Throughput``: sequences/s, real tokens/s and seconds per step of one probe.
    ``probe_throughput(config, model, tokenizer, device, *, samples=None, steps=3) -> Throughput``
    ``plan_budget(seconds, throughput, corpus_sequences, config, *, eval_sequences=0, num_parameters=0) -> Plan``
    ``Plan``: steps, passes, warmup steps, checkpoint/eval cadence, reserve; ``Plan.text()`` the human line.
    ``estimate(config, model, tokenizer, corpus_sequences, *, device="cpu", ...) -> (Plan, Throughput)``: both
        steps at once, for the window's "about N min" before Start (run it in a worker: the probe takes seconds).
    ``plan_run(config, state)``: the window's estimate before Start.
The callback that holds a running run to its budget is :mod:`bertgui.engine.budget` (the planner never imports the
run).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import math
import os
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bertgui.text import Text, text

PROBE_STEPS = 3
PROBE_WARMUP = 1
EVAL_SPEEDUP = 3.0  # a forward pass costs about a third of forward + backward + optimizer step
SAVE_BYTES_PER_S = 100e6  # a conservative disk (safetensors writes faster on an SSD)
SAFETY = 0.025  # share of the budget held back for what the plan cannot see (the OS, a slow save)
MIN_SAFETY_S = 3.0
MAX_CHECKPOINT_SHARE = 0.05  # checkpoints may take at most this share of the budget
CACHE_FILE = "throughput.json"


@dataclass
class Throughput:
    """Training speed measured on a copy of the model: one optimizer step of ``batch_size`` sequences."""

    sequences_per_s: float
    tokens_per_s: float  # real (non-padding) tokens
    step_s: float
    batch_size: int
    max_seq_length: int
    device: str
    threads: int
    source: str = "measured"  # "measured" or "cache"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Plan:
    """What a time budget becomes; saved in the run folder and in the run's summary."""

    budget_s: float
    steps: int
    passes: float  # passes over the training text
    warmup_steps: int
    checkpoint_every: int
    eval_every: int
    train_s: float  # seconds planned for the training steps
    reserve_s: float  # seconds of the budget not spent on training steps (evaluation, saving, margin)
    final_s: float  # of which the end of the run needs: the "after" evaluation, the final save, the margin
    eval_s: float  # one evaluation (the estimate inside final_s)
    sequences_per_s: float
    corpus_sequences: int
    global_batch: int
    head_s: float = 0.0  # seconds of the head phase (fresh heads fitted first), inside the budget

    def text(self) -> Text:
        """The line shown before Start and printed by ``bertgui train``."""
        if self.budget_s < 120:
            return text("about {0:.0f} s on this machine, {1:.1f} passes over your text ({2:,} steps)",
                        self.budget_s, self.passes, self.steps)
        return text("about {0} min on this machine, {1:.1f} passes over your text ({2:,} steps)",
                    round(self.budget_s / 60), self.passes, self.steps)

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["text"] = str(self.text())
        return out


# ---------------------------------------------------------------------------------------------- probing
def _cache_path(cache_dir: str | Path | None) -> Path:
    if cache_dir is None:
        from bertgui.data.samples import cache_dir as user_cache

        cache_dir = user_cache()
    return Path(cache_dir) / CACHE_FILE


def cache_key(model_name: str, num_parameters: int, device: str, max_seq_length: int, batch_size: int,
              threads: int, fast_mlm_head: bool, precision: str = "fp32") -> str:
    raw = f"{model_name}|{num_parameters}|{device}|{max_seq_length}|{batch_size}|{threads}|{int(fast_mlm_head)}"
    if precision != "fp32":  # fp32 keys stay as they were: figures cached by earlier versions still count
        raw += f"|{precision}"  # (and "|packed" for padding-free batches)
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def read_cached(key: str, cache_dir: str | Path | None = None) -> Throughput | None:
    try:
        data = json.loads(_cache_path(cache_dir).read_text(encoding="utf-8"))
        entry = data[key]
        return Throughput(**{**entry, "source": "cache"})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_cached(key: str, value: Throughput, cache_dir: str | Path | None = None) -> None:
    """Add one entry; written to a temporary name and renamed, so a reader never sees half a file."""
    path = _cache_path(cache_dir)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    data[key] = value.to_dict()
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        tmp.unlink(missing_ok=True)


def _synthetic_samples(tokenizer: Any, batch_size: int, max_seq_length: int, nsp: bool) -> list[dict[str, Any]]:
    """Full-length sequences of ordinary tokens: a pessimistic stand-in when no real samples are given."""
    import random

    rng = random.Random(0)
    vocab = max(1000, int(getattr(tokenizer, "vocab_size", 1000) or 1000))
    special = set(getattr(tokenizer, "all_special_ids", []) or [])
    body = max_seq_length - 3 if nsp else max_seq_length - 2
    cls_id = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else 101
    sep_id = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else 102
    out = []
    for i in range(batch_size):
        toks = [t for t in (rng.randrange(1000, vocab) for _ in range(body + 8)) if t not in special][:body]
        half = len(toks) // 2
        if nsp:
            ids = [cls_id, *toks[:half], sep_id, *toks[half:], sep_id]
            types = [0] * (half + 2) + [1] * (len(toks) - half + 1)
        else:
            ids, types = [cls_id, *toks, sep_id], [0] * (len(toks) + 2)
        item = {"input_ids": ids, "token_type_ids": types, "word_start": [1] * len(ids)}
        if nsp:
            item["next_sentence_label"] = i % 2
        out.append(item)
    return out


def _probe_precision(config: Any, device: str) -> str:
    """The number format the run will train in on ``device`` ("fp32" where it cannot be resolved)."""
    from bertgui.engine.device import resolve_precision
    from bertgui.errors import ConfigError

    try:
        return resolve_precision(str(getattr(config, "precision", "auto") or "auto"), str(device))
    except (ConfigError, RuntimeError, AssertionError):
        return "fp32"


def probe_throughput(config: Any, model: Any, tokenizer: Any, device: str, *,
                     samples: Sequence[dict[str, Any]] | None = None, nsp: bool | None = None,
                     steps: int = PROBE_STEPS, warmup: int = PROBE_WARMUP, use_cache: bool = True,
                     cache_dir: str | Path | None = None, model_name: str | None = None,
                     max_seconds: float | None = None, refresh: bool = False) -> Throughput:
    """Seconds per optimizer step of ``config.batch_size`` sequences, measured on a copy of ``model``.

    ``samples``: real training items (``PretrainingDataset`` items) so the measured lengths are the run's own;
    the first ``batch_size`` are used (repeated when fewer). The model itself is never changed: the probe trains
    a deep copy and throws it away. ``max_seconds``: when the warm-up step shows the timed steps would take longer
    (a budget of minutes on a busy CPU), the warm-up step is the measurement. ``refresh``: measure even when the
    cache has a figure, and store the new one (the engine does, since a desktop's load changes; the window's
    estimate before Start reads the cache).
    """
    import torch

    from bertgui.data.masking import MaskingCollator
    from bertgui.engine.trainer import split_batch
    from bertgui.model.losses import compute_loss_parts, has_nsp_head

    bs = int(config.batch_size) * int(getattr(config, "gradient_accumulation", 1))
    threads = torch.get_num_threads() if str(device).startswith("cpu") else 0
    n_params = sum(p.numel() for p in model.parameters())
    precision = _probe_precision(config, device)
    key = cache_key(model_name or str(getattr(config, "model", "")), n_params, str(device),
                    int(config.max_seq_length), bs, threads, bool(getattr(config, "fast_mlm_head", True)),
                    precision + ("|packed" if getattr(config, "padding_free", False) else ""))
    if use_cache and not refresh:
        cached = read_cached(key, cache_dir)
        if cached is not None:
            return cached
    use_nsp = has_nsp_head(model) if nsp is None else nsp
    items = list(samples or [])
    if not items:
        items = _synthetic_samples(tokenizer, bs, int(config.max_seq_length), use_nsp)
    items = [items[i % len(items)] for i in range(bs)]
    if not use_nsp:
        items = [{k: v for k, v in it.items() if k != "next_sentence_label"} for it in items]
    collator = MaskingCollator.from_config(tokenizer, config, seed=0)
    batch = collator(items)
    batch.pop("kinds", None)
    real_tokens = int(batch["attention_mask"].sum()) if "attention_mask" in batch else int(batch["input_ids"].numel())
    from bertgui.engine.device import resolve_token_budget

    budget = resolve_token_budget(int(getattr(config, "forward_token_budget", -1)), device)
    dev = torch.device(device)
    probe = copy.deepcopy(model).to(dev)
    probe.train()
    params = [p for p in probe.parameters() if p.requires_grad]
    fused = dev.type in ("cuda", "cpu")
    try:
        opt = torch.optim.AdamW(params, lr=1e-6, fused=fused)
    except (RuntimeError, TypeError):  # pragma: no cover - fused AdamW missing on this build
        opt = torch.optim.AdamW(params, lr=1e-6)
    slices = [{k: v.to(dev) for k, v in part.items()} for part in split_batch(batch, budget)]
    fast = bool(getattr(config, "fast_mlm_head", True))

    # the run's own number format: a bf16 step is not an fp32 step's length (the Trainer's autocast, same dtype)
    low = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(precision)
    autocast = torch.autocast(dev.type, dtype=low) if low is not None else contextlib.nullcontext()

    if bool(getattr(config, "padding_free", False)):  # the run's own batches: packed rows (model/packing.py)
        from bertgui.model.packing import pack_batch

        attn = str(getattr(probe.config, "_attn_implementation", "sdpa"))
        slices = [pack_batch(part, attn) for part in slices]

    def one_step() -> None:
        for part in slices:
            with autocast:
                parts = compute_loss_parts(probe, part, fast=fast, nsp=use_nsp)
            loss = parts.mlm_sum / parts.masked.clamp(min=1)
            if parts.nsp_sum is not None:
                loss = loss + parts.nsp_sum / parts.sequences
            loss.backward()
        opt.step()
        opt.zero_grad(set_to_none=True)

    def sync() -> None:
        if dev.type == "cuda":
            torch.cuda.synchronize(dev)

    t_warm = time.perf_counter()
    for _ in range(max(0, warmup)):
        one_step()
    sync()
    warm_s = (time.perf_counter() - t_warm) / max(1, warmup)
    if warmup and max_seconds is not None and warm_s * steps > max_seconds:
        # a slow (or busy) machine: the warm-up step alone is the measurement, a little pessimistic
        step_s = warm_s
    else:
        t0 = time.perf_counter()
        for _ in range(max(1, steps)):
            one_step()
        sync()
        step_s = (time.perf_counter() - t0) / max(1, steps)
    result = Throughput(sequences_per_s=bs / step_s, tokens_per_s=real_tokens / step_s, step_s=step_s,
                        batch_size=bs, max_seq_length=int(config.max_seq_length), device=str(device),
                        threads=threads)
    if use_cache:
        write_cached(key, result, cache_dir)
    return result


# ---------------------------------------------------------------------------------------------- planning
def plan_budget(seconds: float, throughput: Throughput, corpus_sequences: int, config: Any, *,
                eval_sequences: int = 0, num_parameters: int = 0, world_size: int = 1,
                head_s: float = 0.0) -> Plan:
    """Steps, passes, warmup and checkpoint/eval cadence so that training, evaluation and saving fit ``seconds``.

    The reserve holds the "before" and "after" evaluations (a forward pass over the held-out sequences, about a
    third of a training step each), saving the final model, and a safety margin; checkpoints get at most 5 % of the budget
    (their cost is counted in the plan); evaluations during training (when ``eval_every`` is set) at most 10 %.
    ``head_s``: seconds of the head phase (fresh heads fitted before training), out of the same budget.
    """
    if seconds <= 0:
        raise ValueError("a time budget must be > 0 seconds")
    global_batch = int(config.batch_size) * int(getattr(config, "gradient_accumulation", 1)) * max(1, world_size)
    seq_rate = max(throughput.sequences_per_s * max(1, world_size), 1e-9)
    eval_s = eval_sequences / (seq_rate * EVAL_SPEEDUP)
    model_bytes = 4.0 * num_parameters
    save_s = model_bytes / SAVE_BYTES_PER_S + 0.5
    checkpoint_s = 3.0 * model_bytes / SAVE_BYTES_PER_S + 0.5  # weights + two AdamW moments
    # what the end of the run needs after the last step: the last checkpoint, the "after" evaluation, the save
    final = checkpoint_s + eval_s + save_s + max(MIN_SAFETY_S, SAFETY * seconds)
    reserve = final + eval_s  # and the "before" measurement, which runs after this plan is made
    available = max(0.0, seconds - reserve - head_s)
    n_checkpoints = max(1, min(10, int(MAX_CHECKPOINT_SHARE * seconds // max(checkpoint_s, 1e-9))))
    evals_during = 0
    if int(getattr(config, "eval_every", 0) or 0) > 0 and eval_s > 0:
        evals_during = max(0, min(10, int(0.10 * seconds // eval_s)))
    train_s = max(0.0, available - (n_checkpoints - 1) * checkpoint_s - evals_during * eval_s)  # last: in final
    steps = max(1, int(train_s * seq_rate // global_batch))
    checkpoint_every = max(1, math.ceil(steps / n_checkpoints))
    eval_every = max(1, math.ceil(steps / (evals_during + 1))) if evals_during else 0
    warmup = int(round(float(getattr(config, "warmup_ratio", 0.0)) * steps))
    return Plan(budget_s=float(seconds), steps=steps, passes=steps * global_batch / max(1, corpus_sequences),
                warmup_steps=warmup, checkpoint_every=checkpoint_every, eval_every=eval_every,
                train_s=steps * global_batch / seq_rate, reserve_s=seconds - train_s, final_s=final,
                eval_s=eval_s, head_s=float(head_s),
                sequences_per_s=seq_rate, corpus_sequences=int(corpus_sequences), global_batch=global_batch)


def estimate(config: Any, model: Any, tokenizer: Any, corpus_sequences: int, *, device: str = "cpu",
             eval_sequences: int = 0, samples: Sequence[dict[str, Any]] | None = None,
             cache_dir: str | Path | None = None, seconds: float | None = None,
             head_s: float = 0.0) -> tuple[Plan, Throughput]:
    """Probe (or read the cache) and plan ``seconds`` (default: ``config.time_budget``) in one call."""
    from bertgui.config import parse_duration

    budget = parse_duration(config.time_budget, name="training.time_budget") if seconds is None else seconds
    speed = probe_throughput(config, model, tokenizer, device, samples=samples, cache_dir=cache_dir)
    plan = plan_budget(budget, speed, corpus_sequences, config, eval_sequences=eval_sequences,
                       num_parameters=sum(p.numel() for p in model.parameters()), head_s=head_s)
    return plan, speed


# ---------------------------------------------------------------------------------------------- the window's seam
BYTES_PER_TOKEN = 4.0  # English prose through a WordPiece vocabulary; only for the estimate before Start


# Planned whole-model steps below which a run hardly adapts the model (benchmarks/README.md, "Fresh heads"): from
# all-MiniLM-L6-v2 as shipped on 2 CPU cores, batch 32 x 128, 5-minute budgets, held-out masked-word accuracy over
# the most-frequent-word baseline was 1.44x for 29 planned steps (a loaded machine), 2.67x for 50 and 3.27x for 52
# planned (two corpora, a quiet machine; the runs did 80 and 84, the heads fitting sooner than planned). Below
# about 55 planned steps a run stays under 3x: the window says so before Start.
ADAPT_MIN_STEPS = 55
MENU_BUDGETS_S = (5 * 60, 20 * 60, 60 * 60, 8 * 60 * 60)  # the basic view's choices


def adequacy(plan: Plan) -> dict[str, Any]:
    """Whether the plan's steps are enough to adapt the model, and the smallest menu budget that would be."""
    enough = plan.steps >= ADAPT_MIN_STEPS
    per_step = max(plan.train_s, 1e-9) / max(1, plan.steps)
    fixed = plan.budget_s - plan.train_s  # evaluation, saving, the head phase: about the same at any budget
    needed = fixed + ADAPT_MIN_STEPS * per_step
    recommended = next((b for b in MENU_BUDGETS_S if b >= needed), MENU_BUDGETS_S[-1])
    return {"enough": enough, "min_steps": ADAPT_MIN_STEPS, "recommended_s": float(recommended),
            "needed_s": float(needed)}


def corpus_sequences(config: Any, tokenizer: Any, *, nsp: bool, total_bytes: int
                     ) -> tuple[int, int, list[dict[str, Any]]]:
    """(training sequences, held-out sequences, a batch of real items) of ``config``'s corpus, from a sample of it.

    WHY a sample and not bytes alone: bytes per token differ by tokenizer and language, and sequences never cross
    a document, so short documents make many short sequences (the estimate from bytes said 1.5 passes where the
    run did 0.81). The first ~256 KB are tokenized and packed as the run packs them; the rest is scaled by bytes.
    """
    from itertools import islice

    from bertgui.data.corpus import iter_documents
    from bertgui.data.pairs import PretrainingDataset
    from bertgui.data.tokenized import tokenize_documents

    docs, seen = [], 0
    for doc in islice(iter_documents(config.corpus, documents=config.documents, text_column=config.text_column,
                                     encoding=config.encoding, on_error=lambda _e: None), 5000):
        docs.append(doc)
        seen += len(doc.text.encode("utf-8"))
        if seen >= SAMPLE_BYTES:
            break
    sample = tokenize_documents(iter(docs), tokenizer, max_tokens=SAMPLE_BYTES)
    if not sample.n_tokens:
        return 1, 1, []
    ds = PretrainingDataset(sample, tokenizer, max_seq_length=config.max_seq_length, nsp=nsp,
                            short_seq_prob=config.short_seq_prob, seed=config.seed, epochs=1,
                            balanced=config.nsp_balanced,
                            cross_documents=bool(getattr(config, "mlm_cross_documents", False)))
    per_sequence = sample.n_tokens / max(1, len(ds))
    tokens = max(total_bytes, seen) / max(1, seen) * sample.n_tokens
    replay = _replay_applies(config, tokenizer, sample)
    train_tokens = tokens * (1 - config.eval_share)
    if replay and config.replay_share > 0:
        train_tokens /= max(1e-6, 1 - config.replay_share)  # the general text mixed in is part of each pass
    batch = [ds[i] for i in range(min(len(ds), int(config.batch_size) * int(config.gradient_accumulation)))]
    return max(1, int(train_tokens / per_sequence)), int(tokens * config.eval_share / per_sequence) + 1, batch


SAMPLE_BYTES = 256_000


def _replay_applies(config: Any, tokenizer: Any, sample: Any) -> bool:
    if config.general_corpus:
        return True
    if not config.general_sample:
        return False
    from bertgui.data.general import suits

    return bool(suits(tokenizer.decode([int(t) for t in sample.tokens[:4000]])))


def plan_run(config: Any, state: Any = None) -> dict[str, Any]:
    """The plan of ``config``'s time budget before Start (the Train page's basic view calls it in a worker).

    Loads the base model, probes (or reads the cache), and sizes the corpus from a tokenized sample of it (see
    :func:`corpus_sequences`). Returns ``{"seconds", "passes", "steps", "note", "plan", "throughput", "heads",
    "head_s", "adequacy"}``: ``heads`` the heads the base lacks (fitted first, ``head_s`` seconds of the budget),
    ``adequacy`` whether the steps are enough to adapt the model (:func:`adequacy`).
    """
    from bertgui.config import parse_duration
    from bertgui.data.corpus import corpus_files
    from bertgui.engine.device import resolve_device
    from bertgui.model.loading import MODE_MLM_NSP, load_model, resolve_model

    budget = parse_duration(config.time_budget, name="training.time_budget")
    if budget <= 0:
        return {}
    if state is not None and hasattr(state, "set_progress"):
        state.set_progress(0, 0, str(text("Measuring the speed of this model on this machine")))
    choice = resolve_device(config.device, config.precision)
    loaded = load_model(resolve_model(config.model, allow_pickle=config.allow_pickle), nsp=config.nsp,
                        allow_pickle=config.allow_pickle)
    size, samples = 0, None
    try:
        size = sum(p.stat().st_size for p in corpus_files(list(config.corpus)))
        sequences, eval_sequences, samples = corpus_sequences(config, loaded.tokenizer, nsp=loaded.mode == MODE_MLM_NSP,
                                                        total_bytes=size)
    except Exception:  # noqa: BLE001 - an unreadable corpus is the Corpus page's message, not the plan's
        tokens = size / BYTES_PER_TOKEN
        sequences = max(1, int(tokens * (1 - config.eval_share) / max(1, config.max_seq_length - 3)))
        eval_sequences = int(tokens * config.eval_share / max(1, config.max_seq_length - 3)) + 1
    heads = [h for h in loaded.new_heads if h in ("MLM head", "NSP head")]
    head_s = float(config.head_warmup_share) * budget if heads else 0.0
    plan, speed = estimate(config, loaded.model, loaded.tokenizer, sequences, device=choice.device,
                           eval_sequences=eval_sequences, seconds=budget, head_s=head_s, samples=samples or None)
    return {"seconds": budget, "passes": plan.passes, "steps": plan.steps, "note": str(plan.text()),
            "plan": plan.to_dict(), "throughput": speed.to_dict(), "heads": heads, "head_s": head_s,
            "adequacy": adequacy(plan)}
