"""What the pages share: the run config, the chosen corpus and model, and what training produced.

Pages never talk to each other; each one writes here and listens to the signals. The run config is the same
``RunConfig`` the CLI reads, so what the window shows is what ``bertgui train --config`` would do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from bertgui.config import RunConfig
from bertgui.errors import ConfigError
from bertgui.events import EvalMetrics
from bertgui.gui import settings
from bertgui.states import Phase

SESSION_CONFIG_KEY = "session/config"  # the run config as TOML text: what the form showed when the window closed
SESSION_RUN_KEY = "session/last_run"  # the folder of the run the Train page showed
SESSION_MODEL_KEY = "session/model"  # the model that was loaded ("" = none: the config's default is not loaded)


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
    model_requested = Signal(str)  # load this model (an opened config, a restored session): the Model page does it
    runs_changed = Signal()  # a run folder was made, ended or went to the trash: the Runs page reads them again
    workspace_changed = Signal()
    last_run_changed = Signal()  # the run the Train page shows and "Resume last run" continues

    def __init__(self, config: RunConfig | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config or RunConfig()
        self.corpus_stats: Any | None = None
        self.model_info: Any | None = None  # bertgui.model.loading.ModelInfo
        self.tokenizer: Any | None = None
        self.outcome: RunOutcome | None = None
        self.run_state = Phase.IDLE
        self.config_source: object | None = None  # who made the last config change (a form need not reload)
        self.workspace: Path = settings.workspace()
        self.last_run = ""  # folder of the last run started or shown here ("" = none)

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

    def set_run_state(self, state: Phase | str, text: str) -> None:
        self.run_state = Phase(state)
        self.run_state_changed.emit(str(self.run_state), text)

    def set_outcome(self, outcome: RunOutcome | None) -> None:
        self.outcome = outcome
        self.outcome_changed.emit()

    def set_step_state(self, key: str, state: object) -> None:
        self.step_state_changed.emit(key, state)

    def request_model(self, name: str) -> None:
        """Ask for ``name`` to be loaded in the background (the Model page loads it and calls set_model)."""
        if name and (self.model_info is None or self.model_info.name != name):
            self.model_requested.emit(name)

    def set_workspace(self, path: str | Path) -> None:
        self.workspace = Path(path)
        settings.set_workspace(self.workspace)
        self.workspace_changed.emit()
        self.runs_changed.emit()

    def set_last_run(self, folder: str | Path) -> None:
        self.last_run = str(folder)
        settings.put(SESSION_RUN_KEY, self.last_run)
        self.last_run_changed.emit()
        self.runs_changed.emit()

    # -------------------------------------------------------------- the last session
    def save_state(self) -> None:
        """Remember the config (corpus and model included) and the last run, for the next start of the window."""
        settings.put(SESSION_CONFIG_KEY, self.config.to_toml())
        settings.put(SESSION_RUN_KEY, self.last_run)
        settings.put(SESSION_MODEL_KEY, self.model_info.name if self.model_info is not None else "")

    def restore_state(self) -> list[str]:
        """Reopen the last session: config, corpus, model (loaded in the background), last run.

        Returns what could not be restored, in words (a corpus file deleted since, a damaged remembered config);
        the rest is restored all the same.
        """
        problems: list[str] = []
        saved = settings.get(SESSION_CONFIG_KEY)
        if saved:
            import tomllib

            try:
                config = RunConfig.from_toml_dict(tomllib.loads(saved))
            except (ConfigError, tomllib.TOMLDecodeError, TypeError) as exc:
                problems.append(self.tr("The settings of the last session could not be read ({0}).").format(
                    getattr(exc, "message", str(exc))))
            else:
                missing = [p for p in config.corpus if not Path(p).exists()]
                if missing:
                    problems.append(self.tr("Corpus files of the last session are gone: {0}").format(
                        ", ".join(missing)))
                    config = config.replace(corpus=[p for p in config.corpus if Path(p).exists()])
                self.update_config(config)
                if config.corpus:
                    self.set_corpus(config.corpus, text_column=config.text_column, documents=config.documents)
        model = settings.get(SESSION_MODEL_KEY)
        if model:
            self.request_model(model)
        run = settings.get(SESSION_RUN_KEY)
        if run:
            if Path(run).is_dir():
                self.set_last_run(run)
            else:
                problems.append(self.tr("The last run's folder {0} was moved or deleted.").format(run))
                settings.put(SESSION_RUN_KEY, "")
        return problems

    @property
    def training_active(self) -> bool:
        return self.run_state.active
