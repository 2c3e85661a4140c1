"""The main window: the steps on the left, the current step on the right, the run's state in the status bar.

The window owns nothing but layout, shortcuts, remembered geometry, the question asked when it is closed
during training, and reopening the last session (corpus, model, settings, last run) when it starts; each page
does its own work through the shared ``Session``.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QResizeEvent
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from bertgui.gui import settings
from bertgui.gui.pages.base import Page
from bertgui.gui.steps import StepList
from bertgui.gui.work.session import Session
from bertgui.gui.work.tasks import TaskSlot, warm_imports
from bertgui.states import Phase

RUN_STATE_STYLE = {
    Phase.IDLE: "#5f6368", Phase.PREPARING: "#1967d2", Phase.FITTING_HEADS: "#1967d2", Phase.TRAINING: "#188038",
    Phase.PAUSED: "#e37400", Phase.STOPPING: "#e37400", Phase.EVALUATING: "#1967d2", Phase.SAVING: "#1967d2",
    Phase.STOPPED: "#e37400", Phase.FINISHED: "#188038", Phase.FAILED: "#c5221f",
}


class PageHolder(QWidget):
    """The page stack inside the window's scroll area, as tall as the window unless the page needs more.

    WHY not the stack itself: a scroll area sizes a widget whose layout has height-for-width (every page with a
    wrapped label) to its *preferred* height, so a page with its own scroll area (Evaluate) scrolled as a whole.
    This holder has no layout: it offers the page's minimum size, and the scroll area scrolls only below that.
    """

    def __init__(self, stack: QStackedWidget) -> None:
        super().__init__()
        self.stack = stack
        stack.setParent(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.stack.minimumSizeHint()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return self.stack.minimumSizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        self.stack.setGeometry(self.rect())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:  # the page's minimum changed: the scroll area asks again
            self.updateGeometry()
        return super().event(event)


class MainWindow(QMainWindow):
    def __init__(self, session: Session | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from bertgui.gui.work.collector import GuiThreadCollector

        self.collector = GuiThreadCollector(self)  # garbage is collected on this thread only (see the module)
        from bertgui.gui.pages.corpus_page import CorpusPage
        from bertgui.gui.pages.evaluate_page import EvaluatePage
        from bertgui.gui.pages.export_page import ExportPage
        from bertgui.gui.pages.model_page import ModelPage
        from bertgui.gui.pages.preview_page import PreviewPage
        from bertgui.gui.pages.runs_page import RunsPage
        from bertgui.gui.pages.train_page import TrainPage

        # Qt appends the application's display name ("bertgui") itself: the title must not say it again.
        self.setWindowTitle(self.tr("Continue pre-training BERT on your text"))
        self.session = session or Session(parent=self)
        last_output = settings.get("last/output_dir")
        if session is None and last_output:
            self.session.config = self.session.config.replace(output_dir=last_output)
        self.pages: dict[str, Page] = {}
        titles = {"corpus": self.tr("Corpus"), "model": self.tr("Model"), "preview": self.tr("Preview"),
                  "train": self.tr("Train"), "evaluate": self.tr("Evaluate and try"), "export": self.tr("Export"),
                  "runs": self.tr("Runs")}
        self.steps = StepList(list(titles.items()))
        self.stack = QStackedWidget()
        for cls in (CorpusPage, ModelPage, PreviewPage, TrainPage, EvaluatePage, ExportPage, RunsPage):
            page = cls(self.session)
            self.pages[cls.key] = page
            self.stack.addWidget(page)
        self.corpus_page, self.model_page, self.preview_page = (self.pages[k] for k in ("corpus", "model", "preview"))
        self.train_page, self.evaluate_page, self.export_page = (
            self.pages[k] for k in ("train", "evaluate", "export"))
        self.runs_page = self.pages["runs"]
        self.session.model_requested.connect(self.model_page.choose)
        self.runs_page.resume_requested.connect(self.resume_run)
        self.runs_page.actions["export"].clicked.connect(lambda: self.show_step("export")
                                                         if self.session.outcome is not None else None)
        self.runs_page.actions["settings"].clicked.connect(lambda: self.show_step("train"))
        self.session.last_run_changed.connect(self.session.save_state)
        self.steps.step_selected.connect(self.show_step)
        self.session.step_state_changed.connect(self.steps.set_state)

        # Every page fits a 1280 × 800 screen: the pages scroll instead of growing the window's minimum size (a
        # finished run's figures on the Runs page once made it 1223 × 956, cutting off the bottom of every page),
        # and only the page on show counts (a stacked widget's minimum is otherwise the largest of all its pages).
        self.stack.currentChanged.connect(self._only_current_page_counts)
        self._only_current_page_counts()
        self.page_scroll = QScrollArea()
        self.page_scroll.setObjectName("pageScroll")
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.page_scroll.setWidget(PageHolder(self.stack))
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.steps)
        split.addWidget(self.page_scroll)
        split.setStretchFactor(1, 1)
        split.setCollapsible(0, False)
        split.setSizes([190, 1090])
        self.setCentralWidget(split)

        self.run_state = QLabel()
        self.run_state.setObjectName("runState")
        self.run_state.setMinimumWidth(260)
        self.statusBar().addPermanentWidget(self.run_state)
        self.session.run_state_changed.connect(self._show_run_state)
        self._show_run_state(Phase.IDLE, self.tr("Idle"))

        self._make_actions()
        self.steps.select("corpus")
        self.resize(1280, 800)
        geometry = settings.settings().value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        self._close_after_stop = False
        self.restore_problems: list[str] = self.session.restore_state() if session is None else []
        if self.restore_problems:
            self.statusBar().showMessage(" ".join(self.restore_problems), 30000)
        # Import the ML stack in the background now, not when the first training run starts (see warm_imports).
        self.warmup = TaskSlot(self)
        QTimer.singleShot(0, self, lambda: self.warmup.start(lambda state: warm_imports(), name="warm-imports"))
        from bertgui.gui.i18n import install_language_menu

        self.language_menu = install_language_menu(self.menuBar(), self)  # English / 简体中文, applies at restart
        from bertgui.gui.desktop import DesktopBridge

        self.desktop = DesktopBridge(self, self.session)  # notifications, and no sleep while a run trains

    # ------------------------------------------------------------ navigation
    def _only_current_page_counts(self) -> None:
        current = self.stack.currentWidget()
        for i in range(self.stack.count()):
            page = self.stack.widget(i)
            ignored = QSizePolicy.Policy.Ignored
            page.setSizePolicy(QSizePolicy() if page is current else QSizePolicy(ignored, ignored))
        self.stack.updateGeometry()
        if self.stack.parentWidget() is not None:
            self.stack.parentWidget().updateGeometry()

    def show_step(self, key: str) -> None:
        page = self.pages[key]
        self.stack.setCurrentWidget(page)
        if self.steps.current_key() != key:
            self.steps.select(key)
        entered = getattr(page, "entered", None)
        if entered:
            entered()

    def resume_run(self, folder: str) -> bool:
        """The Runs page's "Resume": that run, from its own checkpoint, shown on the Train page."""
        if self.session.training_active:
            return False
        self.show_step("train")
        self.train_page.clear_problem()
        return self.train_page.folders.resume(self.session.config, folder)

    def _make_actions(self) -> None:
        def act(text: str, shortcut: str | QKeySequence, slot) -> QAction:
            a = QAction(text, self)
            a.setShortcut(QKeySequence(shortcut))
            a.triggered.connect(slot)
            self.addAction(a)
            return a

        for i, key in enumerate(self.pages, 1):
            act(self.tr("Go to step {0}").format(i), f"Ctrl+{i}", lambda _=False, k=key: self.show_step(k))
        self.open_action = act(self.tr("Open corpus…"), QKeySequence.StandardKey.Open,
                               lambda: (self.show_step("corpus"), self.corpus_page.open_files()))
        self.start_action = act(self.tr("Start training"), "Ctrl+R",
                                lambda: (self.show_step("train"), self.train_page.start()))
        self.pause_action = act(self.tr("Pause or resume training"), "Ctrl+P", lambda: self.train_page.toggle_pause())
        self.stop_action = act(self.tr("Stop training"), "Ctrl+.", lambda: self.train_page.stop())
        self.quit_action = act(self.tr("Quit"), "Ctrl+Q", self.close)

    def _show_run_state(self, state: str, text: str) -> None:
        colour = RUN_STATE_STYLE.get(state, "#5f6368")
        self.run_state.setText(f"<span style='color:{colour}'>●</span> {text}")
        self.run_state.setToolTip(self.tr("State of the training run"))

    def run_state_text(self) -> str:
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.run_state.text())
        return doc.toPlainText().lstrip("● ").strip()

    # ------------------------------------------------------------ closing
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.session.training_active and not self._close_after_stop:
            event.ignore()
            self._ask_close()
            return
        if self.session.training_active:  # already stopping: wait for the checkpoint
            event.ignore()
            return
        settings.put("window/geometry", self.saveGeometry())
        self.session.save_state()
        for page in self.pages.values():
            page.shutdown()
        self.warmup.wait()
        self.desktop.shutdown()
        self.collector.stop()
        event.accept()

    def _ask_close(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Training is running"),
                          self.tr("Training is still running. Stop it and keep a checkpoint, or keep training?"),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("closeQuestion")
        stop = box.addButton(self.tr("Stop and keep a checkpoint"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("Keep training"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def answered(_result: int) -> None:
            if box.clickedButton() is stop:
                self._close_after_stop = True
                self.train_page.stop()
                self.train_page.run_ended.connect(self.close)

        box.finished.connect(answered)
        self.close_question = box
        box.open()
