"""Step 4, training: the run config as a form, presets, the device, Start/Pause/Stop, the live chart and a log.

The page renders engine events and forwards the person's choices; the run itself is a ``ThreadRun`` (engine in a
QThread) or, for more than one process, a ``ProcessRun`` (torchrun reading ``--json`` events).
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bertgui.config import PRESET_HELP, PRESETS, RunConfig, apply_preset
from bertgui.errors import ConfigError
from bertgui.events import (
    EvalMetrics,
    Failed,
    Finished,
    Progress,
    RunStarted,
    StateChanged,
    StepMetrics,
)
from bertgui.gui import settings
from bertgui.gui.messages import explain as explain_error
from bertgui.gui.messages import localize, show_error
from bertgui.gui.pages.base import Page
from bertgui.gui.steps import StepState
from bertgui.gui.widgets import budget
from bertgui.gui.widgets.budget import BasicView, PlanSummary
from bertgui.gui.widgets.config_form import ConfigForm
from bertgui.gui.widgets.run_folder_dialog import RunFolderChooser, wants_workspace
from bertgui.gui.work.run_monitor import RunMonitor, duration
from bertgui.gui.work.session import RunOutcome, Session
from bertgui.gui.work.tasks import TaskSlot, TaskState, warm_imports
from bertgui.gui.work.training_run import EngineFn, ProcessRun, RunBase, ThreadRun
from bertgui.states import Phase

CONFIG_NAME = "bertgui-config.toml"
FORM_EXCLUDE = {"corpus", "text_column", "documents", "model", "allow_pickle"}
# Asked in the basic view (always visible), so the advanced form does not ask them a second time.
BASIC_FIELDS = {"device", "nsp", budget.BUDGET_KEY}
PLAN_DEBOUNCE_MS = 600
ADVANCED_SETTING = "train/advanced"
Planner = Callable[[RunConfig, TaskState], PlanSummary | None]


def list_devices(state: TaskState) -> list[tuple[str, str]]:
    """Worker: (device value, label) for every device torch can see, with each GPU's name and free memory."""
    warm_imports()
    import torch

    translate = QCoreApplication.translate
    out = [("auto", translate("TrainPage", "Automatic (best available)")), ("cpu", translate("TrainPage", "CPU"))]
    if torch.cuda.is_available():
        for i in range(torch.cuda.device_count()):
            name = torch.cuda.get_device_name(i)
            try:
                free, total = torch.cuda.mem_get_info(i)
                mem = translate("TrainPage", "{0:.1f} of {1:.1f} GB free").format(free / 2**30, total / 2**30)
            except RuntimeError:
                mem = translate("TrainPage", "memory unknown")
            out.append((f"cuda:{i}", f"cuda:{i} — {name} ({mem})"))
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        out.append(("mps", translate("TrainPage", "Apple GPU (MPS)")))
    return out


class TrainPage(Page):
    key = "train"
    run_ended = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None, engine: EngineFn | None = None,
                 planner: Planner | None = None) -> None:
        super().__init__(session, self.tr("Train"), self.tr(
            "Say how long you can wait, then press Start; every other setting is under “All settings”. The "
            "chart shows the loss as it falls; you can pause, stop (a checkpoint is kept) or close the window "
            "at any time."), parent)
        self.engine = engine
        self.planner: Planner = planner or budget.plan_for
        self.plan: PlanSummary | None = None
        self._planned_key: str | None = None
        self.run: RunBase | None = None
        self.config_path: Path | None = None
        self.outcome: RunOutcome | None = None
        self._total_steps = 0
        self._step = 0

        # Left: presets, device, form.
        presets = QHBoxLayout()
        presets.addWidget(QLabel(self.tr("Presets:")))
        self.preset_buttons: dict[str, QPushButton] = {}
        names = {"quick look": self.tr("Quick look"), "standard": self.tr("Standard"),
                 "thorough": self.tr("Thorough")}
        for name in PRESETS:
            b = QPushButton(names.get(name, name))
            b.setToolTip(QCoreApplication.translate("Presets", PRESET_HELP[name]))
            b.clicked.connect(lambda _=False, n=name: self.apply_preset(n))
            presets.addWidget(b)
            self.preset_buttons[name] = b
        presets.addStretch(1)
        self.device = QComboBox()
        self.device.setObjectName("deviceSelector")
        self.device.addItem(self.tr("Automatic (best available)"), "auto")
        self.device.setToolTip(QCoreApplication.translate("RunConfig", RunConfig.__dataclass_fields__["device"]
                                                          .metadata["help"]))
        self.device.currentIndexChanged.connect(self._device_chosen)
        self.basic = BasicView(self.device)
        self.basic.changed.connect(self._basic_changed)
        self.view_button = QPushButton()
        self.view_button.setObjectName("advancedToggle")
        self.view_button.setFlat(True)
        self.view_button.setStyleSheet("text-align: left; color: palette(link);")
        self.view_button.clicked.connect(lambda: self.set_advanced(not self.advanced_shown()))
        self.form = ConfigForm(["masking", "training", "vocab", "model", "corpus"], exclude=FORM_EXCLUDE | BASIC_FIELDS)
        self.form.changed.connect(lambda: self.session.update_config(self.form.current(), source=self.form))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 6, 0)
        ll.addWidget(self.basic)
        ll.addWidget(self.view_button)
        self.advanced = QWidget()
        self.advanced.setObjectName("advancedView")
        al = QVBoxLayout(self.advanced)
        al.setContentsMargins(0, 0, 0, 0)
        al.addLayout(presets)
        al.addWidget(scroll, 1)
        ll.addWidget(self.advanced, 1)
        self.basic_spacer = QWidget()
        ll.addWidget(self.basic_spacer, 1)  # holds the space in the basic view, so the questions stay on top
        files = QHBoxLayout()
        self.open_button = QPushButton(self.tr("Open config…"))
        self.open_button.clicked.connect(self.open_config)
        self.save_button = QPushButton(self.tr("Save config…"))
        self.save_button.clicked.connect(self.save_config)
        self.copy_button = QPushButton(self.tr("Copy command"))
        self.copy_button.setObjectName("copyCommand")
        self.copy_button.setToolTip(self.tr("Put the equivalent command line on the clipboard (saves the config "
                                            "first), to run the same training without the window."))
        self.copy_button.clicked.connect(self.copy_command)
        for b in (self.open_button, self.save_button, self.copy_button):
            files.addWidget(b)
        al.addLayout(files)

        # Right: controls, progress, chart, log.
        self.start_button = QPushButton(self.tr("Start"))
        self.start_button.setObjectName("startTraining")
        self.start_button.setShortcut("Ctrl+Return")
        self.start_button.clicked.connect(self.start)
        self.pause_button = QPushButton(self.tr("Pause"))
        self.pause_button.setObjectName("pauseTraining")
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setObjectName("stopTraining")
        self.stop_button.setToolTip(self.tr("Stop after the current step and keep a checkpoint."))
        self.stop_button.clicked.connect(self.stop)
        self.resume_button = QPushButton(self.tr("Resume last run"))
        self.resume_button.setObjectName("resumeTraining")
        self.resume_button.setToolTip(self.tr("Continue the run in the output folder from its last checkpoint "
                                              "(same data order; the chart shows the earlier steps too)."))
        self.resume_button.clicked.connect(lambda: self.start(resume=True))
        self.processes = QSpinBox()
        self.processes.setRange(1, 64)
        self.processes.setToolTip(self.tr("Processes (GPUs) for a torchrun launch."))
        self.launcher = QComboBox()
        self.launcher.setObjectName("launcher")
        self.launcher.addItem(self.tr("In this window"), "thread")
        self.launcher.addItem(self.tr("torchrun"), "torchrun")
        self.launcher.addItem(self.tr("accelerate launch"), "accelerate")
        self.launcher.setToolTip(self.tr("Run training in this window, or as a separate torchrun / accelerate "
                                         "process (one per GPU) whose events the chart reads. Pause is not "
                                         "available for a separate process."))
        self.launcher.currentIndexChanged.connect(self._update_buttons)
        controls = QHBoxLayout()
        for w in (self.start_button, self.pause_button, self.stop_button, self.resume_button):
            controls.addWidget(w)
        controls.addStretch(1)
        controls.addWidget(QLabel(self.tr("Run:")))
        controls.addWidget(self.launcher)
        controls.addWidget(QLabel(self.tr("processes")))
        controls.addWidget(self.processes)
        self.monitor = RunMonitor()
        self.progress, self.progress_text = self.monitor.progress, self.monitor.progress_text
        self.chart, self.log = self.monitor.chart, self.monitor.log
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(6, 0, 0, 0)
        rl.addLayout(controls)
        rl.addWidget(self.monitor, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setSizes([400, 700])
        split.setStretchFactor(1, 1)
        self.body.addWidget(split, 1)

        self.session.config_changed.connect(self._config_changed)
        self.session.corpus_changed.connect(self._update_readiness)
        self.session.corpus_changed.connect(self._forget_failure)
        self.session.model_changed.connect(self._update_readiness)
        self.session.model_changed.connect(self._model_changed)
        for signal in (self.session.config_changed, self.session.corpus_changed, self.session.model_changed,
                       self.form.changed):
            signal.connect(self.recheck_problem)
        self.form.set_config(self.session.config)
        self.folders = RunFolderChooser(self, self.session, self._go)  # which folder a run goes to, what resumes
        output = self.form.editors.get("output_dir")
        if output is not None and hasattr(output, "setPlaceholderText"):
            output.setPlaceholderText(self.tr("empty: a new folder in the workspace for every run"))
        self.basic.set_config(self.session.config)
        self.plan_tasks = TaskSlot(self)
        self.plan_timer = QTimer(self)
        self.plan_timer.setSingleShot(True)
        self.plan_timer.setInterval(PLAN_DEBOUNCE_MS)
        self.plan_timer.timeout.connect(self.refresh_plan)
        self.set_advanced(settings.get(ADVANCED_SETTING, "false") == "true", remember=False)
        if budget.supports_budget(self.session.config) and budget.budget_seconds(self.session.config) is None:
            # A first start: the basic view's default answer ("20 minutes") is what the run does.
            # (from no source: the basic view must show it too — with source=basic it kept "No time limit")
            self.session.update_config(budget.with_budget(self.session.config, budget.DEFAULT_BUDGET_S))
        self._update_buttons()
        self._devices_listed = False
        self._schedule_plan()

    # ------------------------------------------------------------ config
    def entered(self) -> None:
        if not self._devices_listed:
            self._devices_listed = True
            self.tasks.start(list_devices, name="devices", done=self._show_devices)
        self._schedule_plan()

    # ------------------------------------------------------------ basic and advanced view
    def advanced_shown(self) -> bool:
        return not self.advanced.isHidden()

    def set_advanced(self, on: bool, remember: bool = True) -> None:
        """Basic view: device, time budget, NSP and Start. Advanced: every other setting, one click away."""
        self.advanced.setVisible(on)
        self.basic_spacer.setVisible(not on)
        self.view_button.setText(self.tr("▾ Fewer settings (basic view)") if on
                                 else self.tr("▸ All settings (advanced view)…"))
        self.view_button.setToolTip(self.tr("Presets, masking, learning rate, checkpoints and every other "
                                            "setting of the run."))
        if remember:
            settings.put(ADVANCED_SETTING, "true" if on else "false")

    def _basic_changed(self) -> None:
        try:
            config = self.basic.apply_to(self.session.config)
        except ConfigError as exc:
            self.show_problem(exc)
            return
        self.session.update_config(config, source=self.basic)
        self._schedule_plan()

    def _model_changed(self) -> None:
        info = self.session.model_info
        self.basic.set_nsp_possible(info is None or bool(getattr(info, "can_nsp", True)))
        self._forget_failure()

    def _inputs(self) -> tuple[str, str]:
        """What a run is made of: its settings (corpus included) and the model."""
        return self.session.config.to_toml(), str(getattr(self.session.model_info, "path", ""))

    def _forget_failure(self) -> None:
        """A failed run's state leaves the status bar once its inputs changed: the failure is about them."""
        if not self.session.training_active and self.session.run_state == "failed":
            self._set_state(Phase.IDLE, self.tr("Idle"))

    # ------------------------------------------------------------ the plan before Start
    def _plan_key(self, config: RunConfig) -> str:
        return config.to_toml() + f"\n{getattr(self.session.model_info, 'path', '')}"

    def _schedule_plan(self) -> None:
        if self.session.training_active:
            return
        if not self.session.config.corpus or self.session.model_info is None:
            self.refresh_plan()  # nothing to measure: say what is missing at once
        else:
            self.plan_timer.start()  # debounced: a burst of edits measures once

    def refresh_plan(self) -> None:
        """Estimate the run in a worker (probe steps take seconds): never on the UI thread."""
        if self.session.training_active or getattr(self, "_closing", False):
            return
        if not self.session.config.corpus or self.session.model_info is None:
            self.plan, self._planned_key = None, None
            self.plan_tasks.cancel()
            self.basic.show_waiting(self.tr("Choose your text (step 1) and a model (step 2) to see how long "
                                            "the run takes."))
            return
        config = self.session.config
        key = self._plan_key(config)
        if key == self._planned_key:
            return
        self._planned_key = key
        if budget.supports_budget(config) and budget.budget_seconds(config) is None:
            self.plan_tasks.cancel()
            self.plan = None
            self.basic.show_no_limit()
            return
        planner = self.planner
        self.basic.show_planning()
        self.plan_tasks.start(lambda state: planner(config, state), name="plan", done=self._show_plan,
                              failed=self._plan_failed)

    def _stop_planning(self) -> None:
        """A run starts: a probe still measuring would only slow it down; plan afresh after it."""
        self.plan_timer.stop()
        if self.plan_tasks.busy():
            self.plan_tasks.cancel()
            self._planned_key = None
            self.basic.show_waiting("")

    def _show_plan(self, plan: PlanSummary | None) -> None:
        self.plan = plan
        self.basic.show_plan(plan)

    def _plan_failed(self, exc: BaseException, tb: str = "") -> None:
        self.plan = None
        self._planned_key = None
        message, _advice = explain_error(exc)
        self.basic.show_plan_failed(message)

    def _show_devices(self, devices: list[tuple[str, str]]) -> None:
        current = self.session.config.device
        self.device.blockSignals(True)
        self.device.clear()
        for value, label in devices:
            self.device.addItem(label, value)
        i = self.device.findData(current)
        self.device.setCurrentIndex(max(0, i))
        self.device.blockSignals(False)

    def _device_chosen(self) -> None:
        value = self.device.currentData()
        if value and value != self.session.config.device:
            self.session.update_config(self.session.config.replace(device=value), source=self)

    def _config_changed(self) -> None:
        if self.session.config_source is not self.form:
            self.form.set_config(self.session.config)
        if self.session.config_source is not self.basic:
            self.basic.set_config(self.session.config)
        i = self.device.findData(self.session.config.device)
        if i >= 0:
            self.device.setCurrentIndex(i)
        self._update_readiness()
        self._schedule_plan()

    def apply_preset(self, name: str) -> None:
        self.session.update_config(apply_preset(self.session.config, name), source=self)
        button = self.preset_buttons.get(name)
        self.log_line(self.tr("Preset “{0}” applied.").format(button.text() if button else name))

    def config(self) -> RunConfig:
        """The run as the page shows it: the advanced form's values with the basic view's answers on top."""
        return self.basic.apply_to(self.form.config())

    def save_config(self, path: str | None = None) -> Path | None:
        if not path:
            start = str(Path(self.session.config.output_dir or ".") / CONFIG_NAME)
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Save run configuration"), start,
                                                  self.tr("TOML files (*.toml)"))
        if not path:
            return None
        try:
            self.config_path = self.config().save(path)
        except (ConfigError, OSError) as exc:
            show_error(self, exc)
            return None
        self.log_line(self.tr("Configuration saved to {0}.").format(self.config_path))
        return self.config_path

    def open_config(self, path: str | None = None) -> bool:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Open run configuration"),
                                                  settings.get("last/config_folder", ""),
                                                  self.tr("TOML files (*.toml)"))
        if not path:
            return False
        try:
            config = RunConfig.load(path)
        except ConfigError as exc:
            show_error(self, exc)
            return False
        settings.put("last/config_folder", str(Path(path).parent))
        self.config_path = Path(path)
        self.session.update_config(config, source=self)
        if config.corpus:
            self.session.set_corpus(config.corpus, text_column=config.text_column, documents=config.documents)
        self.session.request_model(config.model)
        self.log_line(self.tr("Configuration opened from {0}.").format(path))
        return True

    def command_lines(self, path: Path) -> str:
        cfg = shlex.quote(str(path))
        n = max(2, self.processes.value())
        return (f"bertgui train --config {cfg}\n"
                f"torchrun --nproc_per_node={n} -m bertgui train --config {cfg}\n")

    def launch_arguments(self, path: Path) -> list[str]:
        """``python <these>`` runs the engine under the chosen launcher, one process per GPU, JSON events."""
        n = str(self.processes.value())
        run = ["-m", "bertgui", "train", "--config", str(path), "--json"]
        if self.launcher.currentData() == "accelerate":
            return ["-m", "accelerate.commands.launch", "--num_processes", n, *run]
        return ["-m", "torch.distributed.run", f"--nproc_per_node={n}", *run]

    def copy_command(self) -> str:
        path = self.config_path
        if path is None:
            path = self.save_config(str(Path(self.session.config.output_dir or ".").resolve() / CONFIG_NAME))
            if path is None:
                return ""
        else:
            self.save_config(str(path))
        text = self.command_lines(path.resolve())
        QGuiApplication.clipboard().setText(text)
        self.log_line(self.tr("Copied to the clipboard:") + "\n" + text.strip())
        return text

    # ------------------------------------------------------------ readiness
    def _update_readiness(self) -> None:
        """Before the first run the mark says whether a run can start; afterwards it keeps the run's outcome."""
        if self.session.training_active or self.outcome is not None:
            return
        ready = bool(self.session.config.corpus) and self.session.model_info is not None
        self.session.set_step_state(self.key, StepState.READY if ready else StepState.NOT_STARTED)

    def _update_buttons(self) -> None:
        active = self.session.training_active
        stopping = self.session.run_state == Phase.STOPPING  # nothing left to pause or stop: the checkpoint is coming
        self.start_button.setEnabled(not active)
        self.resume_button.setEnabled(not active)
        self.pause_button.setEnabled(active and not stopping and (self.run is None or self.run.supports_pause))
        self.stop_button.setEnabled(active and not stopping)
        self.form.setEnabled(not active)
        self.basic.setEnabled(not active)
        for b in (*self.preset_buttons.values(), self.open_button):
            b.setEnabled(not active)
        self.launcher.setEnabled(not active)
        self.processes.setEnabled(not active and self.launcher.currentData() != "thread")
        self.pause_button.setText(self.tr("Resume") if self.session.run_state == Phase.PAUSED else self.tr("Pause"))

    # ------------------------------------------------------------ running
    def start(self, resume: bool = False) -> bool:
        """Start the run described by the form: in a thread, or as a torchrun process when asked."""
        if self.session.training_active:
            return False
        self.clear_problem()
        try:
            config = self.config()
        except ConfigError as exc:
            name = self.form.field_of(exc)
            if name is not None and not self.advanced_shown():
                self.set_advanced(True)  # the field at fault must be visible to be fixed
            self.show_problem(exc, field=self.form.editors.get(name) if name else None, resolved=self.form.is_valid)
            return False
        if not config.corpus:
            self.show_problem(message=self.tr("No corpus chosen."), advice=self.tr("Open your text in step 1."),
                              resolved=lambda: bool(self.session.config.corpus))
            return False
        if self.session.model_info is None:
            self.show_problem(message=self.tr("No model chosen."), advice=self.tr("Choose a model in step 2."),
                              resolved=lambda: self.session.model_info is not None)
            return False
        self.session.update_config(config, source=self.form)
        settings.put("last/output_dir", "" if wants_workspace(config) else config.output_dir)
        return self.folders.start(config, resume)

    def _go(self, config: RunConfig, checkpoint: str | None) -> bool:
        """Run ``config`` in its own folder (chosen by ``self.folders``); resume from ``checkpoint`` when given."""
        resume = checkpoint is not None
        if self.launcher.currentData() != "thread":
            path = self.save_config(str(Path(config.output_dir).resolve() / CONFIG_NAME))
            if path is None:
                return False
            return self.launch(ProcessRun(sys.executable, self.launch_arguments(path), self), config)
        run = ThreadRun(config, self.engine, self, resume=(checkpoint or True) if resume else None)
        return self.launch(run, config, resume=resume, checkpoint=checkpoint)

    def launch(self, run: RunBase, config: RunConfig, resume: bool = False, checkpoint: str | None = None) -> bool:
        """Show ``run``'s events on this page (thread and process runs alike)."""
        self._stop_planning()
        self.monitor.reset()
        if resume:  # the earlier sessions' points up to the checkpoint it resumes: the whole curve, once
            from bertgui.engine import read_metrics

            last = _resumed_step(config.output_dir, checkpoint)
            for ev in read_metrics(config.output_dir):
                if isinstance(ev, (StepMetrics, EvalMetrics)) and (last is None or ev.step <= last):
                    self.monitor.show_event(ev)
        self.outcome = RunOutcome(output_dir=config.output_dir)
        self._total_steps = 0
        self._step = 0
        # "on" read as a device to the translator (设备); say which is the model and which the text.
        self.log_line(self.tr("Starting: model {0}, text {1}.").format(config.model, ", ".join(config.corpus)))
        self.run = run
        run.event.connect(self.on_event)
        run.result.connect(self._on_result)
        run.log.connect(self.log_line)
        run.ended.connect(self._run_ended)
        self._set_state(Phase.PREPARING, self.tr("Preparing…"))
        self.session.set_step_state(self.key, StepState.READY)
        run.start()
        self.session.set_last_run(config.output_dir)
        return True

    def toggle_pause(self) -> None:
        if self.run is None or not self.session.training_active or not self.run.supports_pause:
            return
        if self.session.run_state == Phase.STOPPING:
            return
        if self.session.run_state == Phase.PAUSED:
            self.run.resume()
            self._set_state(Phase.TRAINING, self._step_text())
        else:
            self.run.pause()
            self._set_state(Phase.PAUSED, self.tr("Pausing after step {0}…").format(self._step + 1))

    def stop(self) -> None:
        if self.run is not None and self.session.training_active and self.session.run_state != Phase.STOPPING:
            self.run.stop()
            self.monitor.stopping()
            self._set_state(Phase.STOPPING, self.tr("Stopping: saving a checkpoint…"))

    def _run_ended(self) -> None:
        self._update_buttons()
        self.session.runs_changed.emit()
        self._planned_key = None  # the run measured this machine anew: the estimate before it is stale
        self._schedule_plan()
        self.run_ended.emit()

    def shutdown(self, ms: int = 120000) -> None:
        self._closing = True  # no new estimate starts while the page waits for its workers
        self.plan_timer.stop()
        if self.run is not None and self.run.is_running():
            self.run.stop()
            self.run.wait(ms)
        super().shutdown(ms)

    # ------------------------------------------------------------ events
    def _step_text(self) -> str:
        return self.tr("Training: step {0} / {1}").format(self._step, self._total_steps)

    def _set_state(self, state: str, text: str) -> None:
        self.session.set_run_state(state, text)
        self._update_buttons()

    def on_event(self, ev: Any) -> None:
        """Draw the event, then follow what it means for the run's state."""
        self.monitor.show_event(ev)
        if isinstance(ev, StepMetrics):
            self._step, self._total_steps = ev.step, ev.total_steps or self._total_steps
            if self.session.run_state not in (Phase.PAUSED, Phase.STOPPING):
                self._set_state(Phase.TRAINING, self._step_text())
        elif isinstance(ev, Progress):  # a note while training (the plan grew, the heads phase ended) is no stage
            if self.session.run_state not in (Phase.PAUSED, Phase.STOPPING, Phase.TRAINING):
                self._set_state(Phase.PREPARING, self.tr("Preparing: {0}").format(self.progress_text.text()))
        elif isinstance(ev, RunStarted):
            self._total_steps = ev.total_steps
            if ev.output_dir and self.outcome:
                self.outcome.output_dir = ev.output_dir
            if self.outcome is not None:  # the Evaluate page marks a base model whose MLM head was random
                self.outcome.summary.setdefault("new_heads", list(ev.new_heads))
        elif isinstance(ev, EvalMetrics):
            if self.outcome is not None:
                self.outcome.evals.append(ev)
        elif isinstance(ev, StateChanged):
            self._on_state(ev)
        elif isinstance(ev, Finished):
            self._on_finished(ev)
        elif isinstance(ev, Failed):
            self._on_failed(ev)

    def _on_state(self, ev: StateChanged) -> None:
        if ev.state == Phase.PAUSED:  # the engine pauses after step N, before N's figures arrive: the bar shows N too
            self._step = max(self._step, ev.step)
        if self.session.run_state == Phase.STOPPING and ev.state in (Phase.TRAINING, Phase.PAUSED):
            return  # a late "training" from the engine must not re-enable Pause and Stop
        texts = {
            Phase.PAUSED: lambda: self.tr("Paused at step {0} / {1}").format(ev.step, self._total_steps),
            Phase.TRAINING: self._step_text,
            Phase.PREPARING: lambda: self.tr("Preparing…"),
            Phase.STOPPING: lambda: self.tr("Stopping: saving a checkpoint…"),
            Phase.EVALUATING: lambda: self.tr("Evaluating on held-out text…"),
            Phase.SAVING: lambda: self.tr("Saving…"),
        }
        if ev.state in texts:
            self._set_state(ev.state, texts[ev.state]())

    def _on_finished(self, ev: Finished) -> None:
        out = self.outcome or RunOutcome()
        out.output_dir, out.last_checkpoint, out.stopped, out.step = (ev.output_dir, ev.last_checkpoint,
                                                                      ev.stopped, ev.step)
        out.summary = dict(ev.summary)
        self.outcome = out
        if ev.stopped:
            self._set_state(Phase.STOPPED, self.tr("Stopped at step {0} / {1} (checkpoint kept)").format(
                ev.step, self._total_steps))
        else:
            self._set_state(Phase.FINISHED, self.tr("Finished: {0} steps in {1}").format(ev.step,
                                                                                  duration(ev.elapsed_s)))
        self.session.set_step_state(self.key, StepState.DONE)
        self.session.set_outcome(out)

    def _on_failed(self, ev: Failed) -> None:
        out = self.outcome or RunOutcome()
        out.failed, out.step = True, ev.step
        self.outcome = out
        message, advice = localize(ev.message), localize(ev.advice)
        self._set_state(Phase.FAILED, self.tr("Failed at step {0}: {1}").format(ev.step, message))
        inputs = self._inputs()  # the banner goes once the model, the text or a setting changed
        self.show_problem(message=message, advice=advice, resolved=lambda: self._inputs() != inputs)
        self.error_box = show_error(self, message=message, advice=advice, details=ev.details)
        self.session.set_step_state(self.key, StepState.PROBLEM)
        self.session.set_outcome(out)

    def _on_result(self, result: Any) -> None:
        """The engine's return value: the trained model, still in memory, for trying and exporting."""
        if self.outcome is not None and result is not None:
            self.outcome.result = result
            self.session.set_outcome(self.outcome)

    def log_line(self, text: str) -> None:
        self.monitor.log_line(text)


def _resumed_step(output_dir: str, checkpoint: str | None) -> int | None:
    """The step a resume continues from (the killed session's events past it are trained again); None: unknown."""
    from bertgui.engine.folder import checkpoint_step, resume_checkpoint

    try:
        if checkpoint and (Path(checkpoint) / "trainer_state.json").is_file():
            return checkpoint_step(checkpoint)
        found, _notes = resume_checkpoint(checkpoint or output_dir)
        return found.step if found is not None else None
    except (OSError, ValueError, KeyError):
        return None
