"""What the pages share: the run config, the chosen corpus and model, and what training produced.

Pages never talk to each other; each one writes here and listens to the signals. The run config is the same
``RunConfig`` the CLI reads, so what the window shows is what ``bertgui train --config`` would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from bertgui.config import RunConfig
from bertgui.events import EvalMetrics


@dataclass
class RunOutcome:
    """The last training run as the Evaluate and Export pages need it."""

    output_dir: str = ""
    last_checkpoint: str = ""
    stopped: bool = False
    failed: bool = False
    step: int = 0
    evals: list[EvalMetrics] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)
    result: Any = None  # the engine's TrainResult when the run was in this process (model kept in memory)


class Session(QObject):
    corpus_changed = Signal()
    stats_ready = Signal()  # corpus statistics computed (session.corpus_stats)
    model_changed = Signal()
    config_changed = Signal()
    run_state_changed = Signal(str, str)  # state key, text for the status bar
    outcome_changed = Signal()
    step_state_changed = Signal(str, object)  # step key, StepState

    def __init__(self, config: RunConfig | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config or RunConfig()
        self.corpus_stats: Any | None = None
        self.model_info: Any | None = None  # bertgui.model.loading.ModelInfo
        self.tokenizer: Any | None = None
        self.outcome: RunOutcome | None = None
        self.run_state = "idle"
        self.config_source: object | None = None  # who made the last config change (a form need not reload)

    # -------------------------------------------------------------- writers (each emits what it changed)
    def set_corpus(self, paths: list[str], *, text_column: str | None = None, documents: str | None = None) -> None:
        changes: dict[str, Any] = {"corpus": list(paths)}
        if text_column is not None:
            changes["text_column"] = text_column
        if documents is not None:
            changes["documents"] = documents
        self.config = self.config.replace(**changes)
        self.corpus_stats = None
        self.corpus_changed.emit()
        self.config_changed.emit()

    def set_model(self, info: Any | None, tokenizer: Any | None = None, *, allow_pickle: bool | None = None) -> None:
        self.model_info = info
        self.tokenizer = tokenizer
        changes: dict[str, Any] = {}
        if info is not None:
            changes["model"] = info.name
            if not info.can_nsp and self.config.nsp:
                changes["nsp"] = False
        if allow_pickle is not None:
            changes["allow_pickle"] = allow_pickle
        if changes:
            self.config = self.config.replace(**changes)
            self.config_changed.emit()
        self.model_changed.emit()

    def update_config(self, config: RunConfig, *, source: object | None = None) -> None:
        self.config = config.validate()
        self.config_source = source
        self.config_changed.emit()
        self.config_source = None

    def set_run_state(self, state: str, text: str) -> None:
        self.run_state = state
        self.run_state_changed.emit(state, text)

    def set_outcome(self, outcome: RunOutcome | None) -> None:
        self.outcome = outcome
        self.outcome_changed.emit()

    def set_step_state(self, key: str, state: object) -> None:
        self.step_state_changed.emit(key, state)

    @property
    def training_active(self) -> bool:
        return self.run_state in {"preparing", "training", "paused", "stopping", "evaluating", "saving"}
