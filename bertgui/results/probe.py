"""The probe: does a model's sentence vector sort *your* labelled examples better than another's?

WHY: perplexity says whether the tuned model reads the domain more easily; a domain expert wants to know whether it
is better at their job. A linear probe answers that with a few hundred labelled examples and no fine-tuning: every
text is embedded once with the model's own pooling (:mod:`bertgui.model.pooling`), a logistic regression
(scikit-learn) is fitted and scored with stratified k-fold cross-validation, so every example is predicted once by a
classifier that never saw it. Accuracy and macro-F1 come with a 95 % bootstrap interval over the examples, and two
models are compared on the *same* examples (paired bootstrap of the difference): "beyond the noise" means the
interval of the difference leaves out zero.

Public API:
    ``run_probe(models, data, ...) -> ProbeReport`` (loads each model; progress and cancel)
    ``probe_vectors(vectors, labels, ...) -> predictions``, ``score(...)``, ``compare(...)`` (the statistics)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bertgui.data.labelled import LabelledSet, check_labelled
from bertgui.engine.folder import PROBE_FILE  # in a run folder; the run's summary and the card read it
from bertgui.text import Text, text

FOLDS = 5
SEED = 1234
BOOTSTRAP = 1000
MAX_LENGTH = 256  # tokens per text: what sentence-transformers models such as MiniLM read

ProgressFn = Callable[[int, int, str], None]


class ProbeCancelled(Exception):
    """The person cancelled the probe (the window's Cancel)."""


@dataclass
class ProbeScore:
    model: str
    accuracy: float
    accuracy_ci: tuple[float, float]
    macro_f1: float
    macro_f1_ci: tuple[float, float]
    pooling: str = ""
    predictions: list[int] = field(default_factory=list, repr=False)


@dataclass
class ProbeComparison:
    model: str  # compared with the first model
    reference: str
    accuracy_diff: float
    accuracy_diff_ci: tuple[float, float]
    macro_f1_diff: float
    macro_f1_diff_ci: tuple[float, float]

    @property
    def beyond_noise(self) -> bool:
        """True when the 95 % interval of the macro-F1 difference leaves out zero."""
        low, high = self.macro_f1_diff_ci
        return low > 0 or high < 0


@dataclass
class ProbeReport:
    scores: list[ProbeScore]
    comparisons: list[ProbeComparison]
    examples: int
    labels: dict[str, int]
    folds: int
    majority_share: float  # accuracy of always guessing the most common label
    notes: list[Text] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for s in out["scores"]:
            s.pop("predictions")
        for c, comp in zip(out["comparisons"], self.comparisons, strict=True):
            c["beyond_noise"] = comp.beyond_noise
        out["notes"] = [str(n) for n in self.notes]
        return out

    def lines(self) -> list[Text]:
        """The result in sentences (the CLI prints them, the window shows them)."""
        out = [text("{0:,} examples, {1} labels, {2}-fold cross-validation; always guessing the most common label "
                    "scores {3:.1%}.", self.examples, len(self.labels), self.folds, self.majority_share)]
        for s in self.scores:
            out.append(text("{0}: accuracy {1:.1%} ({2:.1%}–{3:.1%}), macro-F1 {4:.3f} ({5:.3f}–{6:.3f})",
                            s.model, s.accuracy, *s.accuracy_ci, s.macro_f1, *s.macro_f1_ci))
        for c in self.comparisons:
            if c.beyond_noise and c.macro_f1_diff > 0:
                out.append(text("{0} is better than {1}: macro-F1 {2:+.3f} ({3:+.3f} to {4:+.3f}), beyond the "
                                "noise.", c.model, c.reference, c.macro_f1_diff, *c.macro_f1_diff_ci))
            elif c.beyond_noise:
                out.append(text("{0} is worse than {1}: macro-F1 {2:+.3f} ({3:+.3f} to {4:+.3f}), beyond the "
                                "noise.", c.model, c.reference, c.macro_f1_diff, *c.macro_f1_diff_ci))
            else:
                out.append(text("{0} and {1} do not differ beyond the noise: macro-F1 {2:+.3f} ({3:+.3f} to "
                                "{4:+.3f}).", c.model, c.reference, c.macro_f1_diff, *c.macro_f1_diff_ci))
        return out + list(self.notes)


# ---------------------------------------------------------------------------------------------- statistics
def probe_vectors(vectors: np.ndarray, y: np.ndarray, *, folds: int = FOLDS, seed: int = SEED,
                  on_fold: Callable[[int], None] | None = None) -> np.ndarray:
    """Out-of-fold predictions of a standardised logistic regression: each example predicted by a model that
    never saw it. The folds depend only on the labels and the seed, so two models get the same folds."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from threadpoolctl import threadpool_limits

    pred = np.zeros(len(y), dtype=np.int64)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    # One BLAS thread: on a small problem the threads only wait for each other (8 s instead of 0.3 s, 2 cores).
    with threadpool_limits(limits=1):
        for k, (train, test) in enumerate(splitter.split(vectors, y)):
            clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
            clf.fit(vectors[train], y[train])
            pred[test] = clf.predict(vectors[test])
            if on_fold is not None:
                on_fold(k + 1)
    return pred


def _macro_f1(y: np.ndarray, pred: np.ndarray, idx: np.ndarray, classes: int) -> np.ndarray:
    """Macro-F1 of each bootstrap row of ``idx`` (the classes present in the row's truth or predictions)."""
    ys, ps = y[idx], pred[idx]
    f1s = np.full((idx.shape[0], classes), np.nan)
    for k in range(classes):
        t, p = ys == k, ps == k
        tp = (t & p).sum(1)
        denom = t.sum(1) + p.sum(1)
        with np.errstate(invalid="ignore", divide="ignore"):
            f1s[:, k] = np.where(denom > 0, 2 * tp / np.maximum(denom, 1), np.nan)
    return np.nanmean(f1s, axis=1)


def _interval(values: np.ndarray) -> tuple[float, float]:
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def _resamples(n: int, seed: int) -> np.ndarray:
    idx = np.random.default_rng(seed).integers(0, n, size=(BOOTSTRAP, n))
    idx[0] = np.arange(n)  # row 0: the examples themselves (the point estimate)
    return idx


def score(model: str, y: np.ndarray, pred: np.ndarray, *, classes: int, seed: int = SEED,
          pooling: str = "") -> ProbeScore:
    idx = _resamples(len(y), seed)
    acc = (y[idx] == pred[idx]).mean(1)
    f1 = _macro_f1(y, pred, idx, classes)
    return ProbeScore(model=model, accuracy=float(acc[0]), accuracy_ci=_interval(acc), macro_f1=float(f1[0]),
                      macro_f1_ci=_interval(f1), pooling=pooling, predictions=pred.tolist())


def compare(reference: ProbeScore, other: ProbeScore, y: np.ndarray, *, classes: int,
            seed: int = SEED) -> ProbeComparison:
    """The paired bootstrap: both models' predictions resampled on the same examples."""
    a, b = np.asarray(reference.predictions), np.asarray(other.predictions)
    idx = _resamples(len(y), seed)
    acc = (y[idx] == b[idx]).mean(1) - (y[idx] == a[idx]).mean(1)
    f1 = _macro_f1(y, b, idx, classes) - _macro_f1(y, a, idx, classes)
    return ProbeComparison(model=other.model, reference=reference.model, accuracy_diff=float(acc[0]),
                           accuracy_diff_ci=_interval(acc), macro_f1_diff=float(f1[0]), macro_f1_diff_ci=_interval(f1))


def report(named_vectors: Sequence[tuple[str, np.ndarray, str]], data: LabelledSet, *, folds: int = FOLDS,
           seed: int = SEED) -> ProbeReport:
    """Probe each ``(model, vectors, pooling)`` on ``data`` and compare every model with the first."""
    check_labelled(data, folds)
    names = sorted(set(data.labels))
    y = np.asarray([names.index(label) for label in data.labels])
    scores = [score(name, y, probe_vectors(v, y, folds=folds, seed=seed), classes=len(names), seed=seed,
                    pooling=pooling) for name, v, pooling in named_vectors]
    comparisons = [compare(scores[0], s, y, classes=len(names), seed=seed) for s in scores[1:]]
    counts = data.counts()
    return ProbeReport(scores=scores, comparisons=comparisons, examples=len(data),
                       labels=dict(sorted(counts.items())), folds=folds,
                       majority_share=max(counts.values()) / len(data), notes=list(data.notes))


# ---------------------------------------------------------------------------------------------- models
def run_probe(models: Sequence[str], data: LabelledSet, *, folds: int = FOLDS, device: str = "auto",
              allow_pickle: bool = False, progress: ProgressFn | None = None,
              cancelled: Callable[[], bool] | None = None, names: Sequence[str] | None = None) -> ProbeReport:
    """Embed ``data`` with each model (its own pooling) and probe; the first model is the reference.

    ``names``: what to call each model in the report (the window says "base model"; default: as given)."""
    import time

    import torch

    from bertgui.engine.device import resolve_device
    from bertgui.model.loading import load_model, resolve_model
    from bertgui.model.pooling import embed_texts, read_pooling

    check_labelled(data, folds)  # before minutes of embedding
    start = time.perf_counter()
    choice = resolve_device(device, "auto")
    say = progress or (lambda done, total, message: None)
    named: list[tuple[str, np.ndarray, str]] = []
    shown = list(names) if names is not None else list(models)
    for m, (model_name, name) in enumerate(zip(models, shown, strict=True)):
        if cancelled is not None and cancelled():
            raise ProbeCancelled
        say(0, len(data), text("Loading {0} ({1} of {2})", name, m + 1, len(models)))
        info = resolve_model(model_name, allow_pickle=allow_pickle)
        with _quiet_transformers():  # its report of a missing (random) MLM head: the probe never uses the head
            loaded = load_model(info, nsp=False, allow_pickle=allow_pickle)
        loaded.model.to(choice.device)
        pooling = read_pooling(info.path, max_length=MAX_LENGTH)

        def step(done: int, total: int, name: str = name, m: int = m) -> None:
            say(done, total, text("Embedding the examples with {0} ({1} of {2})", name, m + 1, len(models)))

        vectors = embed_texts(loaded.model, loaded.tokenizer, data.texts, pooling, device=choice.device,
                              precision=choice.precision, progress=step, cancelled=cancelled)
        if cancelled is not None and cancelled():
            raise ProbeCancelled
        named.append((name, vectors.to(torch.float32).numpy(), pooling.source))
        del loaded
    say(0, 0, text("Fitting the classifiers"))
    out = report(named, data, folds=folds)
    out.seconds = time.perf_counter() - start
    return out


# ---------------------------------------------------------------------------------------------- the run's record


def save_probe(run_dir: str | Path, report: ProbeReport, labels_file: str = "", *, step: int | None = None) -> Path:
    """Keep a probe of this run's model in its folder, so the run's summary and every export's card say it.

    Only the labelled file's name is kept, never its path or its text (an export is made to be shared).
    ``step``: the run's step the trained model was at (a probe of a model trained further since is not shown).
    """
    import json

    from bertgui.files import atomic_write_text

    path = Path(run_dir) / PROBE_FILE
    record = {**report.to_dict(), "labels_file": Path(labels_file).name if labels_file else "", "step": step}
    atomic_write_text(path, json.dumps(record, indent=2, default=str))
    return path


def read_probe(run_dir: str | Path | None) -> dict[str, Any] | None:
    """The probe kept in a run folder, or None (none kept, or unreadable: a probe is never worth a failure)."""
    import json

    if run_dir is None:
        return None
    try:
        data = json.loads((Path(run_dir) / PROBE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("scores"), list) else None


class _quiet_transformers:
    """transformers' warnings off while a model loads (its load report lists heads the probe does not use)."""

    def __enter__(self) -> None:
        from transformers.utils import logging as hf_logging

        self.level = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()

    def __exit__(self, *exc: object) -> None:
        from transformers.utils import logging as hf_logging

        hf_logging.set_verbosity(self.level)
