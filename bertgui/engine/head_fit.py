"""Fresh MLM/NSP heads fitted in seconds: the encoder frozen, its outputs computed once, only the heads trained.

WHY: most people's base is a sentence-transformers checkpoint or a plain ``BertModel``, which ships no MLM or NSP
head. A random head trained with the encoder at the adaptation rate (5e-5, a rate for an already-trained model)
learns almost nothing in a short run: a 5-minute run from all-MiniLM-L6-v2 ended *below* "always guess the most
frequent word". A fresh layer needs a fresh layer's rate (about 1e-3 to 3e-3, as the sentence-transformers and
``run_mlm`` examples use), and nothing about the encoder changes while the head learns, so its outputs can be
computed once and reused: each head step then costs only the head (for the MLM head: the vocabulary-wide decoder at
masked positions, with the decoder tied to the word embeddings and kept frozen).

Recipe (written here, no library does it): a seeded sample of training sequences is masked by the run's own
collator; one forward pass of the frozen encoder keeps the hidden states at the masked positions (and the [CLS]
state, or the pooled output, for NSP); the decoder bias starts at the log-frequencies of the sample's words (the
"most frequent word" guess, for free); then AdamW on batches of masked positions, with a held-out tenth of the
sample measured every few steps, until its loss stops improving or the phase's time is spent. The best head is
kept. The head phase never changes an encoder weight.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from bertgui.engine.heads import head_parameter_names
from bertgui.model.losses import IGNORE_INDEX

HEAD_LEARNING_RATE = 2e-3  # benchmarks/README.md, "Fresh heads": 1e-3 to 3e-3 fit alike; 5e-5 barely moves them
POSITIONS_PER_STEP = 512  # masked positions decoded per head step
NSP_PER_STEP = 128  # sentence pairs per head step
EVAL_EVERY = 10  # head steps between held-out checks
PATIENCE = 3  # checks without a gain of MIN_GAIN before the phase ends
MIN_GAIN = 0.005  # relative held-out loss improvement that counts
MAX_STEPS = 2000
SAMPLE_TOKENS = 96_000  # tokens of training text encoded once, at most
ENCODE_SHARE = 0.4  # ... and at most this share of the phase's time (the rest fits the heads)


@dataclass
class HeadFit:
    """What the head phase did: the run's log, summary and model card say it."""

    heads: list[str]
    seconds: float = 0.0
    steps: int = 0
    sequences: int = 0
    positions: int = 0
    learning_rate: float = HEAD_LEARNING_RATE
    mlm_loss_random: float | None = None  # held-out loss of the random head (the footnote "before")
    mlm_loss: float | None = None  # ... after fitting
    mlm_accuracy: float | None = None
    nsp_accuracy: float | None = None
    ended: str = ""  # "converged", "time", "steps" or "stopped"
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def text(self) -> str:
        what = ", ".join(self.heads)
        parts = [f"{what} fitted in {self.seconds:.0f} s ({self.steps} steps on {self.sequences} sequences, "
                 f"encoder frozen, learning rate {self.learning_rate:g})"]
        if self.mlm_loss is not None and self.mlm_loss_random is not None:
            parts.append(f"held-out MLM loss {self.mlm_loss_random:.2f} → {self.mlm_loss:.2f}")
        if self.mlm_accuracy is not None:
            parts.append(f"masked-word accuracy {self.mlm_accuracy:.1%}")
        if self.nsp_accuracy is not None:
            parts.append(f"NSP accuracy {self.nsp_accuracy:.1%}")
        return "; ".join(parts) + "."


@dataclass
class _Features:
    hidden: torch.Tensor  # [positions, d] encoder states at masked positions
    targets: torch.Tensor  # [positions] the masked words
    cls: torch.Tensor | None  # [sequences, d]: [CLS] states (pooler fresh) or pooled outputs
    nsp: torch.Tensor | None  # [sequences] NSP labels


def fit_heads(model: torch.nn.Module, tokenizer: Any, items: Sequence[dict[str, Any]], config: Any, *,
              heads: list[str], device: str, seconds: float, fresh_pooler: bool = False, seed: int = 0,
              progress: Callable[[int, int, str], None] | None = None,
              should_stop: Callable[[], bool] | None = None) -> HeadFit:
    """Fit the fresh ``heads`` of ``model`` ("MLM head", "NSP head") within ``seconds``; returns what it did."""
    from bertgui.data.masking import MaskingCollator

    started = time.perf_counter()
    fit = HeadFit(list(heads))
    stop = should_stop or (lambda: False)
    report = progress or (lambda d, t, m: None)
    fit_mlm, fit_nsp = "MLM head" in heads, "NSP head" in heads
    dev = torch.device(device)
    model.to(dev)
    collator = MaskingCollator.from_config(tokenizer, config, seed=seed)
    sample = _sample(items, seed)
    report(0, 0, "Encoding a sample of your text for the new heads")
    deadline = started + ENCODE_SHARE * seconds  # the sample never takes the phase's whole time
    feats = _encode(model, collator, sample, dev, want_cls=fit_nsp, fresh_pooler=fresh_pooler,
                    should_stop=lambda: stop() or time.perf_counter() > deadline)
    fit.sequences, fit.positions = len(sample), int(feats.targets.numel())
    if fit.positions == 0 and not (fit_nsp and feats.nsp is not None):
        fit.ended = "no data"
        return fit
    names = _trainable(model, fit_mlm=fit_mlm, fit_nsp=fit_nsp, fresh_pooler=fresh_pooler)
    params = [p for n, p in model.named_parameters() if n in names]
    train, held = _split(feats, seed)
    if fit_mlm:
        fit.mlm_loss_random = _evaluate(model, held, fit_mlm=True, fit_nsp=False, fresh_pooler=False)["loss"]
        _start_bias_at_word_frequencies(model, train.targets)
    generator = torch.Generator().manual_seed(seed)
    optimizer = torch.optim.AdamW(params, lr=HEAD_LEARNING_RATE, weight_decay=0.0)
    saved = _requires_grad(model, names)
    model.eval()  # no dropout: the features were computed without it too
    try:
        best = _evaluate(model, held, fit_mlm=fit_mlm, fit_nsp=fit_nsp, fresh_pooler=fresh_pooler)
        best_state = _copy(model, names)
        calm, step = 0, 0
        while True:
            if stop():
                fit.ended = "stopped"
                break
            if time.perf_counter() - started >= seconds:
                fit.ended = "time"
                break
            if step >= MAX_STEPS:
                fit.ended = "steps"
                break
            loss = _loss(model, _batch(train, generator), fit_mlm=fit_mlm, fit_nsp=fit_nsp, fresh_pooler=fresh_pooler)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
            if step % EVAL_EVERY == 0:
                now = _evaluate(model, held, fit_mlm=fit_mlm, fit_nsp=fit_nsp, fresh_pooler=fresh_pooler)
                report(step, 0, f"Fitting the new heads: step {step}, held-out loss {now['loss']:.3f}")
                if now["loss"] < best["loss"] * (1 - MIN_GAIN):
                    best, best_state, calm = now, _copy(model, names), 0
                else:
                    calm += 1
                    if calm >= PATIENCE:
                        fit.ended = "converged"
                        break
        final = _evaluate(model, held, fit_mlm=fit_mlm, fit_nsp=fit_nsp, fresh_pooler=fresh_pooler)
        if final["loss"] > best["loss"]:
            _restore(model, best_state)
            final = best
        fit.steps = step
        fit.mlm_loss, fit.mlm_accuracy = final.get("mlm_loss"), final.get("mlm_accuracy")
        fit.nsp_accuracy = final.get("nsp_accuracy")
    finally:
        for p, flag in saved:
            p.requires_grad_(flag)
        model.train()
    fit.seconds = time.perf_counter() - started
    return fit


# ---------------------------------------------------------------------------------------------- pieces
def _sample(items: Sequence[dict[str, Any]], seed: int) -> list[dict[str, Any]]:
    """A seeded sample of training sequences of about SAMPLE_TOKENS tokens."""
    import random

    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    out, tokens = [], 0
    for i in order:
        item = items[i]
        out.append(item)
        tokens += len(item["input_ids"])
        if tokens >= SAMPLE_TOKENS:
            break
    return out


@torch.no_grad()
def _encode(model: torch.nn.Module, collator: Any, sample: list[dict[str, Any]], dev: torch.device, *,
            want_cls: bool, fresh_pooler: bool, should_stop: Callable[[], bool]) -> _Features:
    base = model.base_model
    was_training = model.training
    model.eval()
    hidden, targets, cls, nsp = [], [], [], []
    try:
        for start in range(0, len(sample), 16):
            if start and should_stop():  # one batch at least
                break
            batch = collator(sample[start:start + 16])
            batch.pop("kinds", None)
            inputs = {k: batch[k].to(dev) for k in ("input_ids", "attention_mask", "token_type_ids") if k in batch}
            out = base(**inputs, return_dict=True)
            labels = batch["labels"].to(dev)
            selected = labels != IGNORE_INDEX
            hidden.append(out.last_hidden_state[selected].float().cpu())
            targets.append(labels[selected].cpu())
            if want_cls and "next_sentence_label" in batch:
                pooled = getattr(out, "pooler_output", None)
                state = out.last_hidden_state[:, 0] if fresh_pooler or pooled is None else pooled
                cls.append(state.float().cpu())
                nsp.append(batch["next_sentence_label"].view(-1).cpu())
    finally:
        model.train(was_training)
    d = int(model.config.hidden_size)
    return _Features(torch.cat(hidden) if hidden else torch.zeros(0, d),
                     torch.cat(targets) if targets else torch.zeros(0, dtype=torch.long),
                     torch.cat(cls) if cls else None, torch.cat(nsp) if nsp else None)


def _trainable(model: torch.nn.Module, *, fit_mlm: bool, fit_nsp: bool, fresh_pooler: bool) -> set[str]:
    names = set()
    for name in head_parameter_names(model):
        if fit_mlm and name.startswith(("cls.predictions", "lm_head")):
            names.add(name)
        if fit_nsp and name.startswith("cls.seq_relationship"):
            names.add(name)
        if fit_nsp and fresh_pooler and "pooler" in name:
            names.add(name)
    return names


def _requires_grad(model: torch.nn.Module, names: set[str]) -> list[tuple[torch.nn.Parameter, bool]]:
    """Only ``names`` get gradients while the heads fit; returns the flags to put back."""
    saved = []
    for name, p in model.named_parameters():
        saved.append((p, p.requires_grad))
        p.requires_grad_(name in names)
    return saved


def _start_bias_at_word_frequencies(model: torch.nn.Module, targets: torch.Tensor) -> None:
    """The decoder bias = log-frequency of each word in the sample (add-one smoothed): a random head then starts
    from "guess the most frequent word" instead of from nothing."""
    bias = model.cls.predictions.bias
    counts = torch.bincount(targets, minlength=bias.numel())[: bias.numel()].float() + 1.0
    with torch.no_grad():
        bias.copy_((counts / counts.sum()).log().to(bias.device, bias.dtype))


def _split(feats: _Features, seed: int) -> tuple[_Features, _Features]:
    """A held-out tenth (at least 1) of positions and of pairs, to know when the head stops improving."""
    def cut(n: int) -> tuple[torch.Tensor, torch.Tensor]:
        order = torch.randperm(n, generator=torch.Generator().manual_seed(seed))
        k = max(1, n // 10) if n > 1 else 0
        return order[k:], order[:k]

    tr, he = cut(int(feats.targets.numel()))
    parts = [feats.hidden[tr], feats.targets[tr], None, None], [feats.hidden[he], feats.targets[he], None, None]
    if feats.cls is not None and feats.nsp is not None:
        tr2, he2 = cut(int(feats.nsp.numel()))
        parts[0][2:], parts[1][2:] = [feats.cls[tr2], feats.nsp[tr2]], [feats.cls[he2], feats.nsp[he2]]
    return _Features(*parts[0]), _Features(*parts[1])


def _batch(train: _Features, generator: torch.Generator) -> _Features:
    n = int(train.targets.numel())
    pick = torch.randint(0, max(n, 1), (min(POSITIONS_PER_STEP, n),), generator=generator)
    cls = nsp = None
    if train.cls is not None and train.nsp is not None and train.nsp.numel():
        pairs = torch.randint(0, int(train.nsp.numel()), (min(NSP_PER_STEP, int(train.nsp.numel())),),
                              generator=generator)
        cls, nsp = train.cls[pairs], train.nsp[pairs]
    return _Features(train.hidden[pick], train.targets[pick], cls, nsp)


def _head_device(model: torch.nn.Module) -> torch.device:
    return next(model.parameters()).device


def _loss(model: torch.nn.Module, b: _Features, *, fit_mlm: bool, fit_nsp: bool, fresh_pooler: bool,
          reduction: str = "mean") -> torch.Tensor:
    dev = _head_device(model)
    loss = torch.zeros((), device=dev)
    if fit_mlm and b.targets.numel():
        logits = model.cls.predictions(b.hidden.to(dev))
        loss = loss + F.cross_entropy(logits.float(), b.targets.to(dev), reduction=reduction)
    if fit_nsp and b.cls is not None and b.nsp is not None and b.nsp.numel():
        loss = loss + F.cross_entropy(_nsp_logits(model, b.cls.to(dev), fresh_pooler).float(), b.nsp.to(dev),
                                      reduction=reduction)
    return loss


def _nsp_logits(model: torch.nn.Module, cls: torch.Tensor, fresh_pooler: bool) -> torch.Tensor:
    pooled = model.base_model.pooler(cls.unsqueeze(1)) if fresh_pooler else cls
    return model.cls.seq_relationship(pooled)


@torch.no_grad()
def _evaluate(model: torch.nn.Module, held: _Features, *, fit_mlm: bool, fit_nsp: bool,
              fresh_pooler: bool) -> dict[str, float]:
    dev = _head_device(model)
    out: dict[str, float] = {"loss": 0.0}
    if fit_mlm and held.targets.numel():
        total, correct = 0.0, 0
        for s in range(0, int(held.targets.numel()), 2048):
            logits = model.cls.predictions(held.hidden[s:s + 2048].to(dev)).float()
            target = held.targets[s:s + 2048].to(dev)
            total += float(F.cross_entropy(logits, target, reduction="sum"))
            correct += int((logits.argmax(-1) == target).sum())
        n = int(held.targets.numel())
        out["mlm_loss"], out["mlm_accuracy"] = total / n, correct / n
        out["loss"] += total / n
    if fit_nsp and held.cls is not None and held.nsp is not None and held.nsp.numel():
        logits = _nsp_logits(model, held.cls.to(dev), fresh_pooler).float()
        target = held.nsp.to(dev)
        loss = float(F.cross_entropy(logits, target))
        out["nsp_loss"], out["nsp_accuracy"] = loss, float((logits.argmax(-1) == target).float().mean())
        out["loss"] += loss
    return out


def _copy(model: torch.nn.Module, names: set[str]) -> dict[str, torch.Tensor]:
    return {n: p.detach().clone() for n, p in model.named_parameters() if n in names}


def _restore(model: torch.nn.Module, state: dict[str, torch.Tensor]) -> None:
    with torch.no_grad():
        for n, p in model.named_parameters():
            if n in state:
                p.copy_(state[n])


def fit_fresh_heads(env: Any, config: Any, model: Any, corpus: Any, *, budget_s: float) -> Any:
    """The head phase: the fresh heads fitted on the frozen encoder (:mod:`bertgui.engine.head_fit`)."""
    from bertgui.events import Progress, StateChanged
    from bertgui.states import Phase

    env.emit(StateChanged(Phase.FITTING_HEADS, 0))
    fit = fit_heads(model.model, model.tokenizer, corpus.probe, config, heads=model.fresh_heads,
                    device=model.choice.device, seconds=budget_s, seed=config.seed,
                    fresh_pooler="pooler" in model.loaded.new_heads,
                    progress=lambda d, t, m: env.emit(Progress("heads", d, t, m)),
                    should_stop=lambda: env.control.stop_requested)
    env.emit(Progress("heads", 1, 1, fit.text()))
    return fit
