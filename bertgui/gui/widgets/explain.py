"""Results a person can read: a one-line meaning and a baseline for every figure, warnings with advice, and the
"what the model learned" list.

Why a separate module: the baselines, warnings and learned examples are the headless core's
(``bertgui.results.insights``, and extra ``EvalMetrics`` fields), built beside this window. The Evaluate page
reads them only through the adapter functions below (``baseline``, ``read_insights``, ``compute_insights``,
``mlm_head_was_random``), which accept the shapes the core is likely to give (dicts or objects, a few field names)
and return nothing when a field or the module is absent. The meanings themselves are the window's words.
"""

from __future__ import annotations

import importlib
import importlib.util
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

INSIGHTS_MODULE = "bertgui.results.insights"
# Functions of the insights module tried in order, each called with the run's summary dict.
INSIGHT_FUNCTIONS = ("insights_from_summary", "from_summary", "insights_for_summary")
# Where a baseline may sit on an EvalMetrics (first present wins), by the figure it is the baseline of.
BASELINE_FIELDS = {
    "nsp_accuracy": ("nsp_majority_share", "nsp_baseline", "nsp_majority", "majority_share"),
    "masked_accuracy": ("masked_baseline", "mlm_baseline", "frequent_word_accuracy", "most_frequent_accuracy",
                        "masked_accuracy_baseline"),
}
MAX_LEARNED = 8


# ------------------------------------------------------------------ meanings and baselines
def meaning(split: str, attr: str) -> str:
    """One line that says what the figure measures and which way is better."""
    translate = QCoreApplication.translate
    lines = {
        ("eval", "perplexity"): translate("Explain", "How surprised the model is by held-out text of yours; lower is "
                                              "better."),
        ("eval", "masked_accuracy"): translate("Explain", "How often its first guess for a hidden word of your held-out "
                                                   "text is right; higher is better."),
        ("eval", "nsp_accuracy"): translate("Explain", "How often it tells the real next sentence from a random one; only "
                                                "what it scores above the baseline is learnt."),
        ("general", "perplexity"): translate("Explain", "The same on general text: a large rise means the model forgets "
                                                 "general language."),
        ("general", "masked_accuracy"): translate("Explain", "Hidden-word guesses on general text: a fall means "
                                                      "forgetting."),
        # the embedding check (issue 24)
        ("eval", "retrieval_mrr"): translate("Explain", "How often the model finds the passage that belongs with a "
                                                 "sentence of yours, by its embeddings: higher is better."),
        ("eval", "retrieval_recall_at_10"): translate("Explain", "How often that passage is among its ten closest "
                                                          "of all the held-out passages."),
        ("general", "retrieval_mrr"): translate("Explain", "The same search on general text: a fall means the "
                                                    "embeddings forget."),
    }
    return lines.get((split, attr), "")


def baseline_meaning(attr: str) -> str:
    """What the baseline of ``attr`` is: what a model that learnt nothing would score."""
    translate = QCoreApplication.translate
    return {"nsp_accuracy": translate("Explain", "always giving the more common answer on these pairs"),
            "masked_accuracy": translate("Explain", "always guessing the most frequent word"),
            "retrieval_mrr": translate("Explain", "ranking the passages at random"),
            "retrieval_recall_at_10": translate("Explain", "ranking the passages at random")}.get(attr, "")


def baseline(ev: Any, attr: str) -> float | None:
    """The baseline the core measured for ``attr`` on ``ev``'s held-out set, or None when it gives none."""
    if ev is None:
        return None
    if attr.startswith("retrieval_") and getattr(ev, "retrieval_candidates", 0):
        from bertgui.engine.retrieval import chance

        return chance(int(ev.retrieval_candidates)).get(attr.removeprefix("retrieval_"))
    for name in BASELINE_FIELDS.get(attr, ()):
        value = getattr(ev, name, None)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    table = getattr(ev, "baselines", None)
    if isinstance(table, dict) and isinstance(table.get(attr), (int, float)):
        return float(table[attr])
    return None


# ------------------------------------------------------------------ warnings and the learned list
@dataclass
class Advice:
    message: str
    advice: str = ""
    kind: str = ""


@dataclass
class Learned:
    """One held-out sentence where the tuned model's guess for a masked word improved."""

    sentence: str  # with the word masked, or the whole sentence
    word: str  # the word that was hidden
    base_guess: str
    base_p: float  # the base model's probability of the right word
    tuned_guess: str
    tuned_p: float


@dataclass
class Insights:
    warnings: list[Advice]
    learned: list[Learned]

    def __bool__(self) -> bool:
        return bool(self.warnings or self.learned)


def _get(obj: Any, *names: str, default: Any = None) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return default


def _text(value: Any) -> str:
    from bertgui.gui.messages import localize

    return str(localize(value)) if value is not None else ""


def _advice(item: Any) -> Advice | None:
    if isinstance(item, str):
        return Advice(item)
    if isinstance(item, (tuple, list)) and item:
        return Advice(_text(item[0]), _text(item[1]) if len(item) > 1 else "")
    message = _get(item, "message", "text", "warning")
    if message is None:
        return None
    return Advice(_text(message), _text(_get(item, "advice", "hint", default="")), str(_get(item, "kind",
                                                                                            default="")))


def _learned(item: Any) -> Learned | None:
    sentence = _get(item, "sentence", "text", "context")
    word = _get(item, "word", "target", "answer")
    if sentence is None or word is None:
        return None
    try:
        return Learned(str(sentence), str(word),
                       str(_get(item, "base_guess", "base", "before", default="")),
                       float(_get(item, "base_p", "base_prob", "base_probability", "before_p", default=0.0)),
                       str(_get(item, "tuned_guess", "tuned", "after", default="")),
                       float(_get(item, "tuned_p", "tuned_prob", "tuned_probability", "after_p", default=0.0)))
    except (TypeError, ValueError):
        return None


def normalise(payload: Any) -> Insights:
    """Any insights payload (dict or object) → ``Insights``; what cannot be read is left out, never raised."""
    if payload is None:
        return Insights([], [])
    if isinstance(payload, Insights):
        return payload
    warnings = [a for a in (_advice(w) for w in _get(payload, "warnings", default=[]) or []) if a]
    learned = [item for item in (_learned(x) for x in _get(payload, "learned", "what_learned", "examples",
                                                              default=[]) or []) if item]
    return Insights(warnings, learned[:MAX_LEARNED])


def read_insights(summary: dict[str, Any] | None) -> Insights:
    """The insights the run carried in its summary (``summary["insights"]``, or the keys at the top level)."""
    summary = summary or {}
    payload = summary.get("insights")
    if payload is None and ("warnings" in summary or "learned" in summary):
        payload = summary
    return normalise(payload)


def insights_available() -> bool:
    try:
        return importlib.util.find_spec(INSIGHTS_MODULE) is not None
    except (ImportError, ValueError):  # pragma: no cover
        return False


def compute_insights(outcome: Any, state: Any = None) -> Insights:
    """Worker: the run's insights from its summary, else from the core's insights module when it is installed."""
    summary = dict(getattr(outcome, "summary", None) or {})
    found = read_insights(summary)
    if found or not insights_available() or not summary:
        return found
    module = importlib.import_module(INSIGHTS_MODULE)
    for name in INSIGHT_FUNCTIONS:
        fn = getattr(module, name, None)
        if callable(fn):
            return normalise(fn(summary))
    return found


def mlm_head_was_random(*sources: Any) -> bool:
    """True when the base model's MLM head started at random (``new_heads`` of RunStarted, the summary, the
    loaded model): its fill-mask guesses then mean nothing."""
    for source in sources:
        heads = source if isinstance(source, (list, tuple)) else _get(source, "new_heads", default=None)
        if heads and any("mlm" in str(h).lower() for h in heads):
            return True
    return False


# ------------------------------------------------------------------ widgets
class WarningsBanner(QLabel):
    """The run's warnings, each with its advice, on an amber band above the figures; hidden when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evalWarnings")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setStyleSheet("color: #7a4f01; background: #fef7e0; border: 1px solid #f9cc61; border-radius: 4px;"
                           " padding: 6px;")
        self.items: list[Advice] = []
        self.hide()

    def show_warnings(self, warnings: list[Advice]) -> None:
        self.items = list(warnings)
        if not warnings:
            self.clear()
            self.hide()
            return
        rows = []
        for w in warnings:
            advice = f"<br><span style='color:#5f6368'>{escape(w.advice)}</span>" if w.advice else ""
            rows.append(f"⚠ <b>{escape(w.message)}</b>{advice}")
        self.setText("<br>".join(rows))
        self.show()


class LearnedList(QGroupBox):
    """Held-out sentences where the guess for a hidden domain word improved most: base guess → tuned guess."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(QCoreApplication.translate("Explain", "What the model learned"), parent)
        self.setObjectName("learnedList")
        self.label = QLabel()
        self.label.setObjectName("learnedText")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        QVBoxLayout(self).addWidget(self.label)
        self.items: list[Learned] = []
        self.hide()

    def show_learned(self, learned: list[Learned], why_empty: str = "") -> None:
        """The examples; with none, ``why_empty`` says why (a finished run), else the box hides."""
        self.items = list(learned)
        if not learned:
            if why_empty:
                self.label.setText(f"<span style='color:#5f6368'>{escape(why_empty)}</span>")
                self.show()
            else:
                self.label.clear()
                self.hide()
            return
        translate = QCoreApplication.translate
        intro = escape(translate("Explain", "Held-out sentences of yours where the hidden word is now guessed "
                                            "better:"))
        rows = []
        for item in learned:
            sentence = escape(item.sentence).replace("[MASK]", f"<b>[{escape(item.word)}]</b>")
            # the percentages are the hidden word's own probability; the guesses are each model's first choice
            change = escape(translate("Explain", "“{0}”: {1:.0%} likely before → {2:.0%} after (first guess: “{3}” "
                                                 "→ “{4}”)").format(item.word, item.base_p, item.tuned_p,
                                                                    item.base_guess, item.tuned_guess))
            rows.append(f"<li>{sentence}<br><span style='color:#188038'>{change}</span></li>")
        self.label.setText(f"{intro}<ul style='margin-left:-20px'>{''.join(rows)}</ul>")
        self.show()

    def text(self) -> str:
        return self.label.text()
