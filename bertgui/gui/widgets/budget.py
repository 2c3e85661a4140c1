"""The Train page's basic view: device, "How long can you wait?", NSP on/off, and the planned estimate.

Why a separate module: the time budget and its plan belong to the headless core (``bertgui.engine.plan`` and the
``RunConfig`` keys ``time_budget``, ``nsp_balanced``, ``head_warmup_share``, ``replay_share``), built beside this
window. Everything the window needs from that core goes through the few adapter functions at the top of this
file (``supports_budget``, ``with_budget``, ``budget_seconds``, ``plan_for``), each of which degrades gracefully
when the key or the module is absent: the basic view still opens, keeps the person's choice, and says that the
time plan is not available instead of failing. Merging the core means checking those functions, nothing else.

The plan itself is measured (a few probe steps of the real model on the chosen device), which takes seconds: it
always runs in a worker (``TaskSlot``), never on the UI thread.
"""

from __future__ import annotations

import dataclasses
import importlib
import importlib.util
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape
from typing import Any, get_type_hints

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bertgui.config import RunConfig

BUDGET_KEY = "time_budget"
PLAN_MODULE = "bertgui.engine.plan"
# The functions of the plan module tried in order (the first that exists is called as fn(config, **kw)).
PLAN_FUNCTIONS = ("plan_run", "make_plan", "plan")
OVERNIGHT_S = 8 * 3600

# (key, seconds); "custom" takes its minutes from the spin box.
BUDGETS: list[tuple[str, int]] = [("5m", 300), ("20m", 1200), ("1h", 3600), ("overnight", OVERNIGHT_S)]
CUSTOM = "custom"
NO_LIMIT = 0  # the item for "no time limit": epochs and steps of the advanced view decide
DEFAULT_BUDGET_S = 1200


# ------------------------------------------------------------------ adapters to the core (the merge seams)
def supports_budget(config: RunConfig | type[RunConfig] = RunConfig) -> bool:
    """True when the run config has a ``time_budget`` field (the core's plan is merged)."""
    cls = config if isinstance(config, type) else type(config)
    return any(f.name == BUDGET_KEY for f in dataclasses.fields(cls))


def _budget_type(config: RunConfig) -> Any:
    try:
        return get_type_hints(type(config)).get(BUDGET_KEY, float)
    except (NameError, TypeError):  # pragma: no cover - an unresolvable annotation
        return float


def format_budget(seconds: float) -> str:
    """``1200`` → ``"20m"``, ``3600`` → ``"1h"``: the CLI's ``--time-budget`` spelling."""
    s = int(round(seconds))
    if s and s % 3600 == 0:
        return f"{s // 3600}h"
    if s and s % 60 == 0:
        return f"{s // 60}m"
    return f"{s}s"


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*$", re.IGNORECASE)


def parse_budget(value: Any) -> float | None:
    """Seconds from what a config may hold: a number of seconds, or ``"10m"``, ``"1h"``, ``"90s"``; 0 → None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if value > 0 else None
    m = _DURATION.match(str(value))
    if not m:
        return None
    seconds = float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600}[m.group(2).lower()]
    return seconds if seconds > 0 else None


def budget_seconds(config: RunConfig) -> float | None:
    """The config's time budget in seconds, or None (no budget, or a core without budgets)."""
    return parse_budget(getattr(config, BUDGET_KEY, None))


def with_budget(config: RunConfig, seconds: float | None) -> RunConfig:
    """``config`` with the time budget set (None/0 clears it), in the field's own type; unchanged without one."""
    if not supports_budget(config):
        return config
    hint = _budget_type(config)
    if seconds is None or seconds <= 0:
        value: Any = "" if hint is str else (0 if hint is int else 0.0)
    elif hint is str:
        value = format_budget(seconds)
    elif hint is int:
        value = int(round(seconds))
    else:
        value = float(seconds)
    return config.replace(**{BUDGET_KEY: value})


@dataclass
class PlanSummary:
    """What the basic view shows before Start: the core's plan, reduced to the figures a person reads."""

    seconds: float  # expected wall time, evaluation and saving included
    passes: float  # passes (epochs) over the training text
    steps: int = 0
    note: str = ""  # e.g. "measured with 3 probe steps", or why there is no plan
    heads: list[str] = field(default_factory=list)  # heads the base lacks: fitted first
    head_s: float = 0.0  # ... in this many seconds of the budget
    enough: bool | None = None  # the steps suffice to adapt the model (None: not judged)
    recommended_s: float = 0.0  # the smallest budget of the menu that would


def plan_available() -> bool:
    """True when the core's plan module is installed (``importlib.util.find_spec``, nothing imported)."""
    try:
        return importlib.util.find_spec(PLAN_MODULE) is not None
    except (ImportError, ValueError):  # pragma: no cover - a broken parent package
        return False


def _first(obj: Any, names: tuple[str, ...]) -> Any:
    for name in names:
        value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
        if value is not None:
            return value
    return None


def summarize_plan(plan: Any) -> PlanSummary | None:
    """Any plan object or dict → ``PlanSummary``; None when it has no time estimate. The one place to adapt."""
    if plan is None:
        return None
    if isinstance(plan, PlanSummary):
        return plan
    seconds = _first(plan, ("estimated_s", "expected_s", "seconds", "wall_s", "total_s"))
    if seconds is None:
        minutes = _first(plan, ("estimated_minutes", "minutes"))
        seconds = None if minutes is None else float(minutes) * 60
    if seconds is None:
        return None
    passes = _first(plan, ("epochs", "passes")) or 0.0
    steps = _first(plan, ("total_steps", "max_steps", "steps")) or 0
    note = _first(plan, ("note", "summary")) or ""
    adequacy = _first(plan, ("adequacy",)) or {}
    return PlanSummary(seconds=float(seconds), passes=float(passes), steps=int(steps), note=str(note),
                       heads=list(_first(plan, ("heads",)) or []), head_s=float(_first(plan, ("head_s",)) or 0.0),
                       enough=adequacy.get("enough"), recommended_s=float(adequacy.get("recommended_s") or 0.0))


def plan_for(config: RunConfig, state: Any = None) -> PlanSummary | None:
    """Worker: the core's plan for ``config`` (probe steps on the real device), or None without a plan module.

    Called from a ``TaskSlot`` only. ``state`` is the task's ``TaskState``: passed on as ``progress``/``state``
    when the core's function takes them, so the probe can report and be cancelled.
    """
    if not plan_available() or budget_seconds(config) is None:
        return None
    from bertgui.gui.work.tasks import warm_imports

    warm_imports()
    module = importlib.import_module(PLAN_MODULE)
    fn: Callable[..., Any] | None = next((getattr(module, n) for n in PLAN_FUNCTIONS if hasattr(module, n)), None)
    if fn is None:
        return None
    import inspect

    params = inspect.signature(fn).parameters
    kwargs: dict[str, Any] = {}
    if state is not None:
        if "state" in params:
            kwargs["state"] = state
        if "on_progress" in params:
            kwargs["on_progress"] = lambda done, total=0, message="": state.set_progress(done, total, message)
    return summarize_plan(fn(config, **kwargs))


# ------------------------------------------------------------------ words
def describe_duration(seconds: float) -> str:
    """'about 12 min', 'about 1 h 20 min' — rounded as a person says it."""
    translate = QCoreApplication.translate
    minutes = max(1, int(math.ceil(seconds / 60)))
    if minutes < 90:
        return translate("BudgetView", "about {0} min").format(minutes)
    hours, rest = divmod(int(round(minutes / 10) * 10), 60)
    if not rest:
        return translate("BudgetView", "about {0} h").format(hours)
    return translate("BudgetView", "about {0} h {1} min").format(hours, rest)


def describe_seconds(seconds: float) -> str:
    """'45 s', '3 min'."""
    translate = QCoreApplication.translate
    if seconds < 90:
        return translate("BudgetView", "{0} s").format(max(1, int(round(seconds))))
    return translate("BudgetView", "{0} min").format(int(round(seconds / 60)))


def describe_budget(seconds: float) -> str:
    """'5 minutes', '1 hour', '8 hours' (a budget as the menu names it)."""
    translate = QCoreApplication.translate
    if seconds < 3600:
        return translate("BudgetView", "{0} minutes").format(int(round(seconds / 60)))
    hours = int(round(seconds / 3600))
    return translate("BudgetView", "1 hour") if hours == 1 else translate("BudgetView", "{0} hours").format(hours)


def describe_plan(plan: PlanSummary) -> str:
    """'about 19 min on this machine, 3.2 passes over your text'."""
    translate = QCoreApplication.translate
    passes = f"{plan.passes:.1f}" if plan.passes < 10 else f"{plan.passes:.0f}"
    return translate("BudgetView", "{0} on this machine, {1} passes over your text").format(
        describe_duration(plan.seconds), passes)


# ------------------------------------------------------------------ the widget
class BasicView(QWidget):
    """Three questions a person can answer: where to train, how long to wait, and whether to learn sentence order.

    Emits ``changed`` with nothing: the page reads ``apply_to(config)``. The estimate label is filled by the page
    from a worker's result (``show_plan``), so this widget never computes anything slow.
    """

    changed = Signal()

    def __init__(self, device: QComboBox, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("basicView")
        self._loading = False
        self.device = device
        device.setToolTip(self.tr("Where the training runs. “Automatic” picks a graphics card when this computer "
                                  "has a suitable one, else the processor."))
        self.budget = QComboBox()
        self.budget.setObjectName("timeBudget")
        labels = {"5m": self.tr("5 minutes (a first look)"), "20m": self.tr("20 minutes"),
                  "1h": self.tr("1 hour"), "overnight": self.tr("Overnight (8 hours)")}
        for key, seconds in BUDGETS:
            self.budget.addItem(labels[key], seconds)
        self.budget.addItem(self.tr("Custom…"), CUSTOM)
        self.budget.addItem(self.tr("No time limit (the advanced settings decide)"), NO_LIMIT)
        self.budget.setCurrentIndex(self.budget.findData(DEFAULT_BUDGET_S))
        self.budget.setToolTip(self.tr("How long you are willing to wait. bertgui measures how fast this computer "
                                       "trains your model and plans the run to end within that time, checks "
                                       "and saving included."))
        self.custom = QSpinBox()
        self.custom.setObjectName("customMinutes")
        self.custom.setRange(1, 7 * 24 * 60)
        self.custom.setValue(45)
        self.custom.setSuffix(self.tr(" min"))
        self.custom.setKeyboardTracking(False)
        self.custom.setToolTip(self.tr("Your own time limit, in minutes."))
        self.custom.hide()
        budget_row = QHBoxLayout()
        budget_row.setContentsMargins(0, 0, 0, 0)
        budget_row.addWidget(self.budget, 1)
        budget_row.addWidget(self.custom)
        for combo in (device, self.budget):  # long item texts must not widen the page past a 1280-pixel screen
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
            combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.nsp = QCheckBox(self.tr("Learn sentence order too"))
        self.nsp.setObjectName("basicNsp")
        self.nsp.setToolTip(self.tr("Besides guessing hidden words, the model learns to tell whether one sentence "
                                    "really follows another in your text. Useful for BERT models; turn it off "
                                    "when your text has no paragraphs of several sentences."))
        self.estimate = QLabel()
        self.estimate.setObjectName("planEstimate")
        self.estimate.setWordWrap(True)
        self.estimate.setTextFormat(Qt.TextFormat.RichText)
        self.estimate.setToolTip(self.tr("Measured on this computer with a few trial steps of your model."))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.tr("Where to train:"), device)
        form.addRow(self.tr("How long can you wait?"), budget_row)
        form.addRow("", self.nsp)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 4)
        lay.addLayout(form)
        lay.addWidget(self.estimate)
        lay.addStretch(1)
        self.budget.currentIndexChanged.connect(self._budget_changed)
        self.custom.valueChanged.connect(self._edited)
        self.nsp.toggled.connect(self._edited)

    # -------------------------------------------------------------- values
    def budget_seconds(self) -> int:
        data = self.budget.currentData()
        return self.custom.value() * 60 if data == CUSTOM else int(data)

    def set_budget_seconds(self, seconds: float | None) -> None:
        seconds = seconds or NO_LIMIT
        self._loading = True
        try:
            i = self.budget.findData(int(round(seconds))) if seconds else self.budget.findData(NO_LIMIT)
            if i < 0:
                i = self.budget.findData(CUSTOM)
                self.custom.setValue(max(1, int(round(seconds / 60))))
            self.budget.setCurrentIndex(i)
            self.custom.setVisible(self.budget.currentData() == CUSTOM)
        finally:
            self._loading = False

    def set_config(self, config: RunConfig) -> None:
        self._loading = True
        try:
            self.nsp.setChecked(config.nsp)
        finally:
            self._loading = False
        if supports_budget(config):  # a core without budgets: keep the person's answer for when it has them
            self.set_budget_seconds(budget_seconds(config))

    def apply_to(self, config: RunConfig) -> RunConfig:
        """``config`` with this view's answers: the budget (when the core has budgets) and NSP."""
        changed = with_budget(config, self.budget_seconds())
        return changed.replace(nsp=self.nsp.isChecked()) if changed.nsp != self.nsp.isChecked() else changed

    def set_nsp_possible(self, possible: bool) -> None:
        self.nsp.setEnabled(possible)
        if not possible:
            self.nsp.setToolTip(self.tr("This model has no sentence-order head: it learns hidden words only."))

    # -------------------------------------------------------------- the estimate
    def show_planning(self) -> None:
        self.estimate.setText(self.tr("Measuring how fast this computer trains your model…"))

    def show_plan(self, plan: PlanSummary | None) -> None:
        if plan is None:
            self.estimate.setText(self.tr("A time plan is not available in this version: the run uses the "
                                          "settings of the advanced view."))
        else:
            self.estimate.setText("<br>".join(["<b>" + escape(describe_plan(plan)) + "</b>", *self.advice(plan)]))
        self.estimate.setProperty("plan", plan)

    def advice(self, plan: PlanSummary) -> list[str]:
        """What a person should know before Start: heads the base lacks, and whether the time is enough."""
        out = []
        if plan.heads:
            out.append(escape(self.tr(
                "This model came without its {0}: bertgui first fits them on your text with the rest of the model "
                "frozen (about {1} of the run), so that the figures before and after training mean something.").format(
                    ", ".join(plan.heads), describe_seconds(plan.head_s))))
        if plan.enough is False:
            out.append("<span style='color:#b06000'>" + escape(self.tr(
                "{0} fit {1} training steps here: too few to adapt this model. {2} or more recommended.").format(
                    describe_budget(plan.seconds), plan.steps, describe_budget(plan.recommended_s))) + "</span>")
        return out

    def show_no_limit(self) -> None:
        self.estimate.setText(self.tr("No time limit: the run takes as long as the passes and steps of the "
                                      "advanced view need."))

    def show_plan_failed(self, message: str) -> None:
        self.estimate.setText(self.tr("No estimate: {0}").format(message))

    def show_waiting(self, what: str) -> None:
        self.estimate.setText(what)

    # -------------------------------------------------------------- events
    def _budget_changed(self) -> None:
        self.custom.setVisible(self.budget.currentData() == CUSTOM)
        self._edited()

    def _edited(self, *_: Any) -> None:
        if not self._loading:
            self.changed.emit()
