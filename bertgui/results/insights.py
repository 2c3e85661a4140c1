"""Results a person can read: what each figure means, what a model that learnt nothing would score, what went wrong.

WHY a module of its own, headless: the Evaluate page, the CLI summary and the model card must say the same thing
in the same words (and the integrator translates them once). Everything here works on plain data — the engine's
``summary`` dict (``Finished.summary``, ``TrainResult.summary``), ``EvalMetrics`` events or their dicts — so it
imports no torch and no Qt.

Public API:
    ``MEANINGS``: figure name → one-line meaning (a Text); ``meaning(name)``.
    ``baselines(ev) -> list[Baseline]``: NSP accuracy beside the majority-label share, masked-word accuracy beside
        always guessing the most frequent word, for one evaluation.
    ``warnings(summary, steps=None, evals=None, eval_share=None) -> list[Advice]``: held-out set too small, worse after training, overfitting,
        NSP no better than its baseline, a head that started at random.
    ``learned_words(before, after, top=5) -> list[LearnedWord]``: held-out sentences where the tuned model's guess
        for a masked domain word improved most.
    ``explain(summary, steps=None, evals=None, top=5, eval_share=None) -> Insights``
    ``insights_from_summary(summary) -> dict``: the same as plain dicts, for the window's adapter: all of the above for one run; ``Insights.lines()`` for a terminal.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bertgui.text import Text, text

MIN_MASKED_TOKENS = 200
MIN_PAIRS = 50
WORSE_BY = 0.01  # held-out perplexity up by more than 1 %: worse
FORGETTING_LIMIT = 0.10  # general-text perplexity up by more than 10 %: the model forgot

MEANINGS: dict[str, Text] = {
    "perplexity": text("Perplexity: how surprised the model is by held-out text of yours; lower is better "
                       "(1 would be perfect)."),
    "mlm_loss": text("MLM loss: the average penalty for the hidden words of held-out text; lower is better. "
                     "Perplexity is its exponential."),
    "masked_accuracy": text("Masked-word accuracy: how often the model's first guess for a hidden word of held-out "
                            "text is exactly right; higher is better."),
    "nsp_accuracy": text("NSP accuracy: how often the model tells whether sentence B really follows sentence A; "
                         "higher is better, and only above the majority share does it mean anything."),
    "nsp_loss": text("NSP loss: the average penalty of the next-sentence answers; lower is better."),
    "general_perplexity": text("General-text perplexity: the same measure on general text, not yours; if it rises "
                               "a lot, the model is forgetting what it knew."),
    "sequences": text("Held-out sequences: how many pieces of your held-out documents were measured; more makes "
                      "the figures more trustworthy."),
    "masked_tokens": text("Masked tokens: how many hidden words the figures are based on; below about 200 they "
                          "are mostly noise."),
    "nsp_majority_share": text("Majority share: the NSP accuracy of always giving the more common answer on these "
                               "very pairs."),
    "frequent_token_accuracy": text("Most-frequent-word accuracy: the masked-word accuracy of always guessing the "
                                    "most frequent word of these very masks."),
    "tokens_per_second": text("Tokens per second: how much text the model reads per second while training; "
                              "depends on the machine and on what else runs on it."),
    "steps": text("Steps: how many times the model was updated, each time on one batch of sequences."),
}


def meaning(name: str) -> Text:
    """One-line meaning of a figure (keys of :data:`MEANINGS`); raises KeyError for an unknown name."""
    return MEANINGS[name]


@dataclass
class Baseline:
    figure: str  # "nsp_accuracy" or "masked_accuracy"
    value: float
    baseline: float
    line: Text

    @property
    def beats(self) -> bool:
        return self.value > self.baseline + 1e-9


@dataclass
class Advice:
    """A warning shown in the window, the CLI summary and the card: what is wrong and what to do."""

    kind: str  # "small_eval", "worse", "overfitting", "mlm_baseline", "nsp_baseline", "forgetting", "random_head",
    #   "fitted_heads", "embeddings_worse"
    message: Text
    advice: Text


@dataclass
class LearnedWord:
    left: str
    word: str
    right: str
    base_guess: str
    base_probability: float  # of the base model's guess
    tuned_guess: str
    tuned_probability: float  # of the tuned model's guess
    base_word_probability: float  # of the right word, before
    tuned_word_probability: float  # and after

    def line(self) -> Text:
        return text("…{0} [{1}] {2}…: {3} ({4:.0%}) → {5} ({6:.0%})", self.left, self.word, self.right,
                    self.base_guess, self.base_probability, self.tuned_guess, self.tuned_probability)


@dataclass
class Insights:
    baselines: dict[str, list[Baseline]] = field(default_factory=dict)  # by split, for the "after" evaluation
    warnings: list[Advice] = field(default_factory=list)
    learned: list[LearnedWord] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Plain lines for a terminal or a Markdown card."""
        out = [str(b.line) for bs in self.baselines.values() for b in bs]
        out += [f"{a.message} {a.advice}" for a in self.warnings]
        if self.learned:
            out.append(str(text("What the model learned (base guess → tuned guess):")))
            out += [f"  {w.line()}" for w in self.learned]
        return out


def _get(ev: Any, name: str, default: Any = None) -> Any:
    if isinstance(ev, dict):
        return ev.get(name, default)
    return getattr(ev, name, default)


# ---------------------------------------------------------------------------------------------- baselines
def baselines(ev: Any) -> list[Baseline]:
    """The figures of one evaluation (an ``EvalMetrics`` or its dict) beside what guessing would score."""
    out: list[Baseline] = []
    acc, share = _get(ev, "nsp_accuracy"), _get(ev, "nsp_majority_share")
    if acc is not None and share is not None:
        out.append(Baseline("nsp_accuracy", acc, share, text(
            "NSP accuracy {0:.1%}; always giving the more common answer would score {1:.1%} on these pairs.",
            acc, share)))
    macc, freq = _get(ev, "masked_accuracy"), _get(ev, "frequent_token_accuracy")
    if macc is not None and freq is not None:
        word = _get(ev, "frequent_token", "") or "?"
        out.append(Baseline("masked_accuracy", macc, freq, text(
            "Masked-word accuracy {0:.1%}; always guessing the most frequent word ('{1}') would score {2:.1%}.",
            macc, word, freq)))
    return out


# ---------------------------------------------------------------------------------------------- warnings
def small_eval_advice(ev: Any, corpus: dict[str, Any] | None = None, eval_share: float | None = None
                      ) -> Advice | None:
    """Too few masked tokens or pairs to trust: say how much text to add or what held-out share to use."""
    masked = int(_get(ev, "masked_tokens", 0) or 0)
    pairs = int(_get(ev, "sequences", 0) or 0) if _get(ev, "nsp_accuracy") is not None else None
    short_tokens = masked < MIN_MASKED_TOKENS
    short_pairs = pairs is not None and pairs < MIN_PAIRS
    if not (short_tokens or short_pairs):
        return None
    factor = max(MIN_MASKED_TOKENS / max(masked, 1) if short_tokens else 1.0,
                 MIN_PAIRS / max(pairs or 0, 1) if short_pairs else 1.0)
    message = text("The held-out set is too small to trust: {0} masked words and {1} pairs (want at least {2} "
                   "and {3}).", masked, pairs if pairs is not None else 0, MIN_MASKED_TOKENS, MIN_PAIRS)
    corpus = corpus or {}
    share = eval_share if eval_share is not None else corpus.get("eval_share")
    total_bytes = int(corpus.get("bytes", 0) or 0)
    if share and share * factor <= 0.5:
        advice = text("Raise the held-out share from {0:.0%} to about {1:.0%}, or add more text.", share,
                      min(0.5, share * factor))
    elif total_bytes and share:
        need = total_bytes * (factor - 1)
        advice = text("Add about {0:,} KB of text (about {1:.0f}× what the held-out share sees now), or raise the "
                      "held-out share.", max(1, round(need / 1000)), factor)
    else:
        advice = text("Add about {0:.0f}× more text, or raise the held-out share (corpus.eval_share).", factor)
    return Advice("small_eval", message, advice)


def _pair(summary: dict[str, Any], split: str) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    m = (summary.get("metrics") or {}).get(split) or {}
    return m.get("before"), m.get("after")


def warnings(summary: dict[str, Any], steps: Sequence[Any] | None = None,
             evals: Sequence[Any] | None = None, eval_share: float | None = None) -> list[Advice]:
    """Every warning that applies to a finished run (``summary``: the engine's summary dict).

    ``steps``: the run's ``StepMetrics`` (or dicts) for the overfitting check; ``evals``: every ``EvalMetrics`` of
    the run, "during" ones included (the summary keeps only before and after).
    """
    out: list[Advice] = []
    before, after = _pair(summary, "eval")
    latest = after or before
    if latest is not None:
        small = small_eval_advice(latest, summary.get("corpus"), eval_share)
        if small is not None:
            out.append(small)
    if before and after and after["perplexity"] > before["perplexity"] * (1 + WORSE_BY):
        causes = []
        if summary.get("new_heads"):
            causes.append(text("its {0} started at random and needs more steps", ", ".join(summary["new_heads"])))
        causes.append(text("too few steps to get past the warm-up"))
        causes.append(text("a learning rate too high for this model (try half)"))
        causes.append(text("a base model that was itself random (a new small model learns slowly at first)"))
        out.append(Advice("worse", text(
            "The model got worse on your held-out text: perplexity {0:.1f} → {1:.1f}.", before["perplexity"],
            after["perplexity"]), text("Likely causes: {0}.", "; ".join(str(c) for c in causes))))
    gb, ga = _pair(summary, "general")
    if gb and ga and ga["perplexity"] > gb["perplexity"] * (1 + FORGETTING_LIMIT):
        out.append(Advice("forgetting", text(
            "General-text perplexity rose {0:.0%} ({1:.1f} → {2:.1f}): the model is forgetting general language.",
            ga["perplexity"] / gb["perplexity"] - 1, gb["perplexity"], ga["perplexity"]), text(
            "Mix in general text (corpus.replay_share), lower the learning rate, or train fewer passes.")))
    if after is not None:
        for b in baselines(after):
            if b.figure == "masked_accuracy" and not b.beats:
                out.append(Advice("mlm_baseline", text(
                    "Masked-word accuracy {0:.1%} is no better than always guessing the most frequent word "
                    "({1:.1%}): the model has not yet learnt to read your text.", b.value, b.baseline), text(
                    "Train longer (a time budget of 20 minutes or more on a CPU), or start from a model that "
                    "comes with its MLM head.")))
            if b.figure == "nsp_accuracy" and not b.beats:
                out.append(Advice("nsp_baseline", text(
                    "NSP accuracy {0:.1%} is no better than always giving the more common answer ({1:.1%}).",
                    b.value, b.baseline), text(
                    "The NSP head has not learnt the task yet: train longer, or keep balanced NSP on "
                    "(masking.nsp_balanced) so the labels are half and half.")))
    fitted = summary.get("heads") or {}
    if "MLM head" in (fitted.get("heads") or []) and fitted.get("mlm_loss_random") is not None:
        out.append(Advice("fitted_heads", text(
            "The base model came without {0}: they were fitted first ({1:.0f} s, the rest of the model frozen), and "
            "the figures before training are the base model with those heads.", ", ".join(fitted["heads"]),
            float(fitted.get("seconds", 0.0))), text(
            "With random heads the held-out perplexity was about {0:,.0f}: that figure says nothing about the "
            "model.", math.exp(min(50.0, float(fitted["mlm_loss_random"]))))))
    elif "MLM head" in (summary.get("new_heads") or []):
        out.append(Advice("random_head", text(
            "The base model's MLM head started at random: its guesses (and its figures before training) mean "
            "nothing."), text(
            "Judge the tuned model by its own guesses and by the held-out perplexity after training (fitting the "
            "heads first, training.head_warmup_share, gives a meaningful 'before').")))
    over = overfitting(evals or [], steps or [])
    if over is not None:
        out.append(over)
    from bertgui.results.embedding_report import embedding_warning

    worse = embedding_warning(summary)
    if worse is not None:
        out.append(Advice("embeddings_worse", *worse))
    return out


def overfitting(evals: Iterable[Any], steps: Iterable[Any]) -> Advice | None:
    """Held-out loss rising over the last evaluations while the training loss falls: the model memorises."""
    held = sorted(((int(_get(e, "step", 0)), float(_get(e, "mlm_loss"))) for e in evals
                   if _get(e, "split", "eval") == "eval"), key=lambda x: x[0])
    dedup: dict[int, float] = {}
    for s, v in held:
        dedup[s] = v
    held = sorted(dedup.items())
    if len(held) < 3:
        return None
    train = [(int(_get(s, "step", 0)), float(_get(s, "loss"))) for s in steps]
    if not train:
        return None
    best = min(range(len(held)), key=lambda i: held[i][1])
    if best == len(held) - 1 or held[-1][1] <= held[best][1] * 1.01:
        return None
    s0, s1 = held[best][0], held[-1][0]

    def mean_near(step: int) -> float | None:
        near = [v for s, v in train if abs(s - step) <= max(1, (s1 - s0) // 4)]
        return sum(near) / len(near) if near else None

    t0, t1 = mean_near(s0), mean_near(s1)
    if t0 is None or t1 is None or t1 >= t0:
        return None
    return Advice("overfitting", text(
        "Held-out loss rose from {0:.3f} (step {1}) to {2:.3f} (step {3}) while the training loss fell: the model "
        "is memorising your training text.", held[best][1], s0, held[-1][1], s1), text(
        "Train fewer passes (epochs or a shorter time budget), or add more text."))


# ---------------------------------------------------------------------------------------------- learned words
def learned_words(before: Sequence[dict[str, Any]], after: Sequence[dict[str, Any]], top: int = 5
                  ) -> list[LearnedWord]:
    """Probes (``EvalMetrics.word_probes``) matched by position, ranked by how much the right word's probability
    rose; only those where the tuned model's guess is the right word, or the right word's probability at least
    doubled."""
    by_pos = {(p["batch"], p["row"], p["position"]): p for p in before}
    found: list[tuple[float, LearnedWord]] = []
    for a in after:
        b = by_pos.get((a["batch"], a["row"], a["position"]))
        if b is None or b["word"] != a["word"]:
            continue
        gain = a["word_probability"] - b["word_probability"]
        improved = (a["guess"] == a["word"] and b["guess"] != b["word"]) or \
            a["word_probability"] >= 2 * b["word_probability"] + 0.01
        if gain <= 0 or not improved:
            continue
        found.append((gain, LearnedWord(
            left=a["left"], word=a["word"], right=a["right"], base_guess=b["guess"],
            base_probability=b["guess_probability"], tuned_guess=a["guess"],
            tuned_probability=a["guess_probability"], base_word_probability=b["word_probability"],
            tuned_word_probability=a["word_probability"])))
    found.sort(key=lambda x: -x[0])
    return [w for _, w in found[:top]]


def explain(summary: dict[str, Any], steps: Sequence[Any] | None = None, evals: Sequence[Any] | None = None,
            top: int = 5, eval_share: float | None = None) -> Insights:
    """Baselines of the "after" evaluation of every split, the warnings, and the learned words of a run."""
    out = Insights()
    for split, pair in (summary.get("metrics") or {}).items():
        ev = (pair or {}).get("after") or (pair or {}).get("before")
        if ev:
            out.baselines[split] = baselines(ev)
    out.warnings = warnings(summary, steps, evals, eval_share)
    before, after = _pair(summary, "eval")
    if before and after:
        out.learned = learned_words(before.get("word_probes") or [], after.get("word_probes") or [], top)
    return out


def to_dict(insights: Insights) -> dict[str, Any]:
    """JSON-ready (the card and ``--json`` output): Text values become plain strings."""
    def conv(v: Any) -> Any:
        if isinstance(v, Text):
            return str(v)
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return {f.name: conv(getattr(v, f.name)) for f in dataclasses.fields(v)}
        if isinstance(v, dict):
            return {k: conv(x) for k, x in v.items()}
        if isinstance(v, list):
            return [conv(x) for x in v]
        return v

    return conv(insights)


def insights_from_summary(summary: dict[str, Any]) -> dict[str, Any]:
    """The window's seam (``bertgui.gui.widgets.explain``): warnings and learned words as plain dicts."""
    ins = explain(summary or {})
    return {
        "warnings": [{"message": a.message, "advice": a.advice, "kind": a.kind} for a in ins.warnings],
        # [MASK] marks the hidden word: the window shows it there, in bold (with "___" it never showed which word)
        "learned": [{"sentence": f"{w.left} [MASK] {w.right}".strip(), "word": w.word, "base_guess": w.base_guess,
                     "base_p": w.base_word_probability, "tuned_guess": w.tuned_guess,
                     "tuned_p": w.tuned_word_probability} for w in ins.learned],
        "baselines": {split: [{"figure": b.figure, "value": b.value, "baseline": b.baseline, "line": b.line}
                              for b in bs] for split, bs in ins.baselines.items()},
    }
