"""Where a run from the window goes, and which run "Resume" continues: never a silent overwrite, never the wrong run.

WHY this module: a second run with the default output folder used to replace the first run's model, metrics and
checkpoints, and "Resume last run" took the highest checkpoint number in that folder, an older run's. Now:

* a run goes into a new folder of its own under the workspace (``2026-12-01 10-12 meditations · tiny-bert``),
  unless the person chose an output folder;
* a chosen folder that already holds a run asks: resume it, start a new run beside it, or replace it (the old run
  goes to the trash, recoverable);
* "Resume last run" continues the run this window last started or showed, from *its* newest complete checkpoint,
  with *its* saved settings, and says so ("Resume run X from step 20 of 75") before it starts.

The Train page only hands its validated config to :class:`RunFolderChooser`; the chooser calls back ``go(config,
checkpoint)`` once it knows the folder (at once, or after the question is answered).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from bertgui.config import RunConfig
from bertgui.engine.folder import (
    CONFIG_FILE,
    checkpoint_step,
    complete_checkpoints,
    is_run_folder,
    lock_holder,
    read_metrics,
    read_run,
    run_state,
)
from bertgui.engine.runs import delete_run, event_clocks, new_run_folder, run_progress
from bertgui.errors import BertguiError
from bertgui.events import EvalMetrics, StepMetrics
from bertgui.gui.work.session import Session

DEFAULT_OUTPUT = RunConfig().output_dir  # the config's default: a window run with it goes into the workspace

Go = Callable[[RunConfig, "str | None"], bool]


def wants_workspace(config: RunConfig) -> bool:
    """True when the person did not choose an output folder: the run gets a new folder in the workspace."""
    return config.output_dir.strip() in ("", DEFAULT_OUTPUT)


@dataclass
class ResumePlan:
    """What resuming ``folder`` would do: from which checkpoint, at which step of how many.

    ``step`` is the checkpoint's step (where a resume continues), ``done`` the last step the run trained and
    ``planned`` its final plan (:func:`bertgui.engine.runs.run_progress`): what the page shows about the run.
    """

    folder: Path
    checkpoint: Path | None
    step: int
    planned: int
    state: str
    holder: str = ""
    done: int = 0

    @property
    def finished(self) -> bool:
        return self.state == "finished" or bool(self.planned and max(self.step, self.done) >= self.planned)


def resume_plan(folder: str | Path) -> ResumePlan:
    path = Path(folder)
    if not path.is_dir():
        return ResumePlan(path, None, 0, 0, "missing")
    ckpts = complete_checkpoints(path)
    ckpt = ckpts[-1] if ckpts else None
    ckpt_step = checkpoint_step(ckpt) if ckpt else 0
    progress = run_progress(read_metrics(path), read_run(path) or {}, ckpt_step)
    return ResumePlan(path, ckpt, ckpt_step, progress.planned, run_state(path), lock_holder(path) or "",
                      done=max(progress.step, ckpt_step))


class RunFolderChooser(QObject):
    """Picks the run folder for the Train page, asks when a chosen folder holds a run, plans "Resume last run"."""

    def __init__(self, page: Any, session: Session, go: Go) -> None:
        super().__init__(page)
        self.page = page
        self.session = session
        self.go = go
        self.question: QMessageBox | None = None
        session.last_run_changed.connect(self.show_last_run)

    # ------------------------------------------------------------------ starting
    def start(self, config: RunConfig, resume: bool) -> bool:
        """Start now (True), or ask first and start when answered (False: nothing started yet)."""
        if resume:
            return self.resume(config)
        if wants_workspace(config):
            return self._new_in(Path(self.session.workspace), config)
        out = Path(config.output_dir).expanduser()
        if is_run_folder(out):
            self.ask(config, out)
            return False
        return self.go(config, None)

    def _new_in(self, parent: Path, config: RunConfig) -> bool:
        try:
            folder = new_run_folder(parent, config.corpus[0] if config.corpus else "", config.model)
        except BertguiError as exc:
            self.page.show_problem(exc)
            return False
        return self.go(config.replace(output_dir=str(folder)), None)

    def resume(self, config: RunConfig, folder: str | Path | None = None) -> bool:
        """Continue ``folder`` (default: the last run) from its own newest complete checkpoint, with its settings."""
        target = folder or self.session.last_run
        if not target and is_run_folder(config.output_dir):
            target = config.output_dir
        if not target:
            self.page.show_problem(message=self.tr("No run to resume yet."),
                                   advice=self.tr("Start a run, or pick one on the Runs page."))
            return False
        plan = resume_plan(target)
        problem = self.refusal(plan)
        if problem:
            self.page.show_problem(message=problem[0], advice=problem[1])
            return False
        run_config = config
        if (plan.folder / CONFIG_FILE).is_file():
            try:
                run_config = RunConfig.load(plan.folder / CONFIG_FILE).replace(device=config.device)
            except BertguiError as exc:
                self.page.show_problem(exc)
                return False
        run_config = run_config.replace(output_dir=str(plan.folder))
        self.page.log_line(self.describe(plan))
        return self.go(run_config, str(plan.checkpoint))

    def refusal(self, plan: ResumePlan) -> tuple[str, str] | None:
        name = plan.folder.name
        if plan.state == "missing":
            return (self.tr("The run folder {0} no longer exists.").format(plan.folder),
                    self.tr("It was moved or deleted outside bertgui. Open it from its new place on the Runs page."))
        if plan.holder:
            return (self.tr("Run {0} is being trained by another process ({1}).").format(name, plan.holder),
                    self.tr("Wait for it to end, or stop it there."))
        if plan.checkpoint is None:
            return (self.tr("Run {0} has no complete checkpoint to resume from.").format(name),
                    self.tr("Start a new run; a checkpoint is saved every few steps and when you stop."))
        if plan.finished:
            return (self.tr("Run {0} is finished ({1} of {2} steps).").format(name, plan.done, plan.planned),
                    self.tr("Its model is in its final-model folder. Start a new run to train more."))
        return None

    def describe(self, plan: ResumePlan) -> str:
        if plan.checkpoint is None or plan.finished or plan.holder or plan.state == "missing":
            problem = self.refusal(plan)
            return problem[0] if problem else ""
        planned = str(plan.planned) if plan.planned else "?"
        return self.tr("Resume run {0} from step {1} of {2} ({3}).").format(
            plan.folder.name, plan.step, planned, plan.checkpoint.name)

    # ------------------------------------------------------------------ the last run on the Train page
    def show_last_run(self) -> None:
        """Name what "Resume last run" would do; when idle, show the last run's curve and where it stopped."""
        folder = self.session.last_run
        if not folder:
            return
        plan = resume_plan(folder)
        text = self.describe(plan)
        self.page.resume_button.setToolTip(text)
        if self.session.training_active or getattr(self.page, "run", None) is not None:
            return
        monitor = self.page.monitor
        monitor.reset()
        if plan.state != "missing":
            events = read_metrics(folder)
            for ev, at in zip(events, event_clocks(events, read_run(folder) or {}), strict=True):
                if isinstance(ev, (StepMetrics, EvalMetrics)):
                    monitor.show_event(ev, at)  # its log lines carry the run's time, not the time of reopening
        monitor.progress.setRange(0, max(1, plan.planned))
        monitor.progress.setValue(min(plan.done, max(1, plan.planned)))
        monitor.progress_text.setText(text)

    # ------------------------------------------------------------------ a chosen folder that holds a run
    def ask(self, config: RunConfig, folder: Path) -> None:
        parent: QWidget = self.page
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("This folder holds a run"),
                          self.tr("{0} already holds a training run. What should this run do?").format(folder),
                          QMessageBox.StandardButton.NoButton, parent)
        box.setObjectName("runFolderQuestion")
        box.setInformativeText(self.tr("Resume continues that run from its last checkpoint. A new run beside it "
                                       "keeps both. Replace moves the old run to the trash and starts afresh."))
        buttons = {
            "resume": box.addButton(self.tr("Resume it"), QMessageBox.ButtonRole.AcceptRole),
            "beside": box.addButton(self.tr("New run beside it"), QMessageBox.ButtonRole.AcceptRole),
            "replace": box.addButton(self.tr("Replace it (old run to the trash)"),
                                     QMessageBox.ButtonRole.DestructiveRole),
        }
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(buttons["beside"])
        box.setEscapeButton(cancel)
        for key, button in buttons.items():
            button.setObjectName(f"runFolder-{key}")

        def answered(_result: int) -> None:
            clicked = box.clickedButton()
            choice = next((k for k, b in buttons.items() if b is clicked), "")
            self.question = None
            if choice:
                self.answer(choice, config, folder)

        box.finished.connect(answered)
        self.question = box
        box.open()

    def answer(self, choice: str, config: RunConfig, folder: Path) -> bool:
        if choice == "resume":
            return self.resume(config, folder)
        if choice == "beside":
            return self._new_in(folder.parent, config)
        try:
            where = delete_run(folder)
            folder.mkdir(parents=True, exist_ok=False)
        except (BertguiError, OSError) as exc:
            self.page.show_problem(exc)
            return False
        self.page.log_line(self.tr("The earlier run in {0} was moved to {1}.").format(folder, where))
        return self.go(config, None)
