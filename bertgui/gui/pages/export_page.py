"""Step 6, export: choose a folder, see what will be written, write it in a worker, open the folder.

What is written, and how, is the core's export (the same as ``bertgui export``); the page lists the core's plan
before anything is written and reports its progress.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bertgui.gui import settings
from bertgui.gui.pages.base import Page
from bertgui.gui.steps import StepState
from bertgui.gui.widgets.checkpoint_table import CheckpointChooser
from bertgui.gui.work import exporting
from bertgui.gui.work.session import Session
from bertgui.gui.work.tasks import TaskSlot


class ExportPage(Page):
    key = "export"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("Export"), self.tr(
            "Write the trained model as a standard Hugging Face folder: it loads with "
            "pipeline(\"fill-mask\", model=folder) and fine-tunes like any BERT."), parent)
        self.folder = QLineEdit()
        self.folder.setObjectName("exportFolder")
        self.folder.textChanged.connect(self._update_plan)
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Folder")))
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        self.exported: Path | None = None
        self.license = QComboBox()
        self.license.setObjectName("exportLicense")
        self.license.setEditable(True)
        self.license.addItems(exporting.LICENSES)
        self.license.lineEdit().setPlaceholderText(self.tr("none yet (the card leaves it empty)"))
        self.license.setToolTip(self.tr("Written into the model card. Leave it empty if you have not decided; "
                                        "the Hub asks for one before others may use the model."))
        license_row = QHBoxLayout()
        license_row.addWidget(QLabel(self.tr("License")))
        license_row.addWidget(self.license, 1)
        self.chooser = CheckpointChooser()
        self.chooser.changed.connect(self._update_plan)
        self.choice_tasks = TaskSlot(self)
        self.plan = QListWidget()
        self.plan.setObjectName("exportPlan")
        plan_box = QGroupBox(self.tr("What will be written"))
        QVBoxLayout(plan_box).addWidget(self.plan)
        self.export_button = QPushButton(self.tr("Export"))
        self.export_button.setObjectName("exportButton")
        self.export_button.setShortcut("Ctrl+E")
        self.export_button.clicked.connect(self.export)
        self.open_button = QPushButton(self.tr("Open folder"))
        self.open_button.setObjectName("openExportFolder")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_folder)
        self.result = QLabel()
        self.result.setObjectName("exportResult")
        self.result.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        self.plan.setMaximumHeight(190)
        self.body.addLayout(row)
        self.body.addLayout(license_row)
        self.body.addWidget(self.chooser)
        self.body.addWidget(plan_box)
        self.body.addLayout(buttons)
        self.body.addWidget(self.result)
        self.body.addWidget(self._hub_box())
        self.body.addStretch(1)
        self.session.outcome_changed.connect(self._outcome_changed)
        self._update_plan()

    def _hub_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("Publish to the Hugging Face Hub"))
        self.repo = QLineEdit()
        self.repo.setObjectName("hubRepo")
        self.repo.setPlaceholderText(self.tr("your-name/model-name"))
        self.repo.textChanged.connect(self._update_publish)
        self.private = QCheckBox(self.tr("Private repository"))
        self.private.setObjectName("hubPrivate")
        self.private.setChecked(True)
        self.publish_button = QPushButton(self.tr("Publish"))
        self.publish_button.setObjectName("publishButton")
        self.publish_button.clicked.connect(self.publish)
        self.publish_result = QLabel()
        self.publish_result.setObjectName("publishResult")
        self.publish_result.setWordWrap(True)
        self.publish_result.setOpenExternalLinks(True)
        form = QFormLayout(box)
        hint = QLabel(self.tr("Uploads the exported folder (card, safetensors weights, tokenizer, loss curve, run "
                              "configuration; never pickle files or checkpoints). Needs a token from "
                              "`hf auth login`."))
        hint.setWordWrap(True)
        form.addRow(hint)
        form.addRow(self.tr("Repository"), self.repo)
        form.addRow("", self.private)
        form.addRow(self.publish_button, self.publish_result)
        self._update_publish()
        return box

    def _update_publish(self) -> None:
        self.publish_button.setEnabled(self.exported is not None and bool(self.repo.text().strip())
                                       and not self.tasks.busy())

    def publish(self) -> None:
        repo = self.repo.text().strip()
        if self.exported is None or not repo:
            return
        self.clear_problem()
        self.publish_button.setEnabled(False)
        self.publish_result.clear()
        folder, private = str(self.exported), self.private.isChecked()

        def done(url: Any) -> None:
            self.publish_result.setText(self.tr("Published: <a href='{0}'>{0}</a>").format(url))
            self._update_publish()

        def failed(exc: BaseException, tb: str) -> None:
            self.show_problem(exc)
            self._update_publish()

        self.export_button.setEnabled(False)  # a new export would cancel the upload (one task per page)
        self.tasks.start(lambda state: exporting.run_publish(folder, repo, private, state), name="publish",
                         progress=self.show_progress, done=done, failed=failed, finished=self._task_finished)

    def _task_finished(self) -> None:
        self.hide_progress()
        self._update_publish()
        out = self.session.outcome
        self.export_button.setEnabled(out is not None and not out.failed and bool(self.folder.text().strip()))

    def _outcome_changed(self) -> None:
        out = self.session.outcome
        if out is not None and not out.failed and not self.folder.text():
            last = settings.get("last/export_parent", "")
            base = Path(last) if last else Path(out.output_dir or ".").resolve()
            self.folder.setText(str(base / "exported-model"))
        self._update_plan()
        if out is not None and not out.failed:
            self.session.set_step_state(self.key, StepState.READY)
        self._list_checkpoints()

    def _list_checkpoints(self) -> None:
        """The run's evaluated checkpoints, read in a worker; the table appears when there is a choice."""
        out = self.session.outcome
        self.choice_tasks.cancel()
        self.chooser.show_choice(None)
        if out is None or out.failed or not out.output_dir:
            return
        run_dir = str(out.output_dir)
        self.choice_tasks.start(lambda state: exporting.choose_job(run_dir, state), name="checkpoints",
                                done=lambda choice: self.chooser.show_choice(choice, final_path=run_dir))

    def _chosen_checkpoint(self) -> str:
        """The checkpoint folder chosen in the table; '' for the final model (or when there is no choice)."""
        out = self.session.outcome
        path = self.chooser.selected_path()
        if not path or out is None or not out.output_dir:
            return ""
        return "" if Path(path).resolve() == Path(out.output_dir).resolve() else path

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Export to folder"),
                                                settings.get("last/export_parent", str(Path.home())))
        if path:
            self.folder.setText(path)

    def _update_plan(self) -> None:
        self.plan.clear()
        out = self.session.outcome
        ready = out is not None and not out.failed and bool(self.folder.text().strip())
        self.export_button.setEnabled(ready)
        if out is None or out.failed:
            self.plan.addItem(self.tr("Nothing yet: train a model first (step 4)."))
            return
        checkpoint = self._chosen_checkpoint()
        if checkpoint:
            self.plan.addItem(self.tr("the model of step {0} ({1}), with that step's figures").format(
                f"{self.chooser.selected_step() or 0:,}", Path(checkpoint).name))
        for line in exporting.plan_lines(out, self.session.config, self.folder.text().strip()):
            self.plan.addItem(line)

    def export(self, overwrite: bool = False) -> None:
        out, target = self.session.outcome, self.folder.text().strip()
        if out is None or out.failed or not target:
            return
        if exporting.target_is_occupied(target) and not overwrite:
            self._ask_overwrite(target)
            return
        self.clear_problem()
        self.export_button.setEnabled(False)
        self.publish_button.setEnabled(False)
        self.result.clear()
        config = self.session.config
        license = self.license.currentText().strip()
        repo = self.repo.text().strip()
        name = repo.split("/")[-1] if repo else ""
        checkpoint = self._chosen_checkpoint()

        def done(path: Any) -> None:
            self.exported = Path(path)
            self._update_publish()
            settings.put("last/export_parent", str(self.exported.parent))
            self.export_button.setEnabled(True)
            self.open_button.setEnabled(True)
            self.result.setText(self.tr("Exported to {0}.").format(self.exported))
            self.session.set_step_state(self.key, StepState.DONE)

        def failed(exc: BaseException, tb: str) -> None:
            self.export_button.setEnabled(True)
            self.show_problem(exc)
            self.session.set_step_state(self.key, StepState.PROBLEM)

        self.tasks.start(lambda state: exporting.run_export(out, config, target, state, overwrite,
                                                                      license, name, checkpoint), name="export",
                         progress=self.show_progress, done=done, failed=failed, finished=self._task_finished)

    def _ask_overwrite(self, target: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Folder not empty"),
                          self.tr("{0} already holds files. Replace its contents with the exported model?")
                          .format(target), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("overwriteQuestion")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda r: self.export(overwrite=True) if r == QMessageBox.StandardButton.Yes else None)
        self.overwrite_question = box
        box.open()

    def open_folder(self) -> None:
        if self.exported is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.exported)))
