"""Step 1, the corpus: files or a folder (dialog, drag and drop, recent), the text column, and its statistics.

The statistics come from the data pipeline, computed in a worker; the page shows partial figures as soon as the
first documents are read, then the final ones with the pipeline's plain-language warnings.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bertgui.config import DOCUMENT_MODES
from bertgui.gui import settings
from bertgui.gui.pages.base import Page
from bertgui.gui.steps import StepState
from bertgui.gui.widgets.config_form import field_help
from bertgui.gui.widgets.stats_view import StatsView
from bertgui.gui.work.session import Session
from bertgui.gui.work.tasks import TaskSlot, TaskState

TABLE_SUFFIXES = {".csv", ".tsv", ".jsonl", ".json"}


def _columns(paths: list[str], state: TaskState, encoding: str = "auto") -> tuple[list[str], dict[str, Any]]:
    """Worker: check every file can be read as text (the core refuses binary and empty files, reading a sample
    of each); return the columns of the first tabular file and the encoding each file is read with."""
    from bertgui.data.corpus import corpus_files, read_encoding, table_columns

    files = corpus_files(paths)
    columns: list[str] | None = None
    encodings: dict[str, Any] = {}
    for i, f in enumerate(files):
        state.check()
        state.set_progress(i, len(files), f.name)
        encodings[f.name] = read_encoding(f, encoding)
        if columns is None and f.suffix.lower() in TABLE_SUFFIXES:
            columns = table_columns(f, encoding)
    return columns or [], encodings


EXAMPLE_CHARS = 160  # of each example document shown under the split choice


def first_documents(config: Any, state: TaskState, count: int = 2) -> list[tuple[str, int]]:
    """Worker: the first ``count`` documents as this split makes them: (their start, their number of lines)."""
    from itertools import islice

    from bertgui.data.corpus import iter_documents

    docs = iter_documents(config.corpus, documents=config.documents, text_column=config.text_column,
                          encoding=config.encoding, on_error=lambda exc: None)
    out = []
    for doc in islice(docs, count):
        state.check()
        out.append((doc.text[:EXAMPLE_CHARS], doc.text.count("\n") + 1))
    return out


class CorpusPage(Page):
    key = "corpus"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("Corpus"), self.tr(
            "Open the text the model should learn: .txt or .md files, tables (.csv, .tsv, .jsonl) or a folder of "
            "them. You can also drop files here. To try the whole flow at once, use the sample corpus."), parent)
        self.setAcceptDrops(True)
        open_files = QPushButton(self.tr("Open files…"))
        open_files.setObjectName("openFiles")
        open_files.clicked.connect(self.open_files)
        open_folder = QPushButton(self.tr("Open folder…"))
        open_folder.clicked.connect(self.open_folder)
        sample = QPushButton(self.tr("Use the sample corpus (Python language reference)"))
        sample.setObjectName("useSample")
        sample.clicked.connect(self.use_sample)
        buttons = QHBoxLayout()
        for b in (open_files, open_folder, sample):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.files = QListWidget()
        self.files.setObjectName("corpusFiles")
        self.files.setMaximumHeight(110)
        self.documents = QComboBox()
        mode_names = {"auto": self.tr("automatic"), "blank-line": self.tr("a blank line ends a document"),
                      "line": self.tr("every line is a document"), "file": self.tr("every file is a document")}
        for mode in DOCUMENT_MODES:
            self.documents.addItem(mode_names[mode], mode)
        self.documents.setToolTip(field_help(_field("documents")))
        self.documents.currentIndexChanged.connect(self._options_changed)
        self.column = QComboBox()
        self.column.setObjectName("textColumn")
        self.column.setToolTip(field_help(_field("text_column")))
        self.column.currentIndexChanged.connect(self._options_changed)
        self.column_label = QLabel(self.tr("Text column"))
        self.encoding = QLabel()
        self.encoding.setObjectName("corpusEncoding")
        self.encoding.setWordWrap(True)
        self.encoding.setToolTip(field_help(_field("encoding")))
        self.documents_example = QLabel()
        self.documents_example.setObjectName("documentsExample")
        self.documents_example.setWordWrap(True)
        self.documents_example.setTextFormat(Qt.TextFormat.RichText)
        self.documents_example.setStyleSheet("color: palette(placeholder-text);")
        self.example_tasks = TaskSlot(self)
        chosen = QGroupBox(self.tr("Chosen"))
        form = QFormLayout(chosen)
        form.addRow(self.files)
        form.addRow(self.tr("Documents"), self.documents)
        form.addRow(self.documents_example)
        form.addRow(self.column_label, self.column)
        form.addRow(self.tr("Encoding"), self.encoding)
        self._set_column_visible(False)

        self.recent = QListWidget()
        self.recent.setObjectName("recentCorpora")
        self.recent.itemActivated.connect(lambda item: self.set_paths(item.data(Qt.ItemDataRole.UserRole)))
        recent_box = QGroupBox(self.tr("Recent (double-click to open)"))
        QVBoxLayout(recent_box).addWidget(self.recent)
        recent_box.setMaximumHeight(170)

        self.stats = StatsView()
        stats_box = QGroupBox(self.tr("What the model will see"))
        QVBoxLayout(stats_box).addWidget(self.stats)

        top = QHBoxLayout()
        top.addWidget(chosen, 3)
        top.addWidget(recent_box, 2)
        self.body.addLayout(buttons)
        self.body.addLayout(top)
        self.body.addWidget(stats_box, 1)
        self._fill_recent()
        self._loading = False
        self.session.model_changed.connect(self.refresh_stats)
        self.session.corpus_changed.connect(self._sync_from_session)

    # ------------------------------------------------------------ choosing files
    def open_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Open corpus files"), settings.get("last/corpus_folder", str(Path.home())),
            # All files first: plain text often has no extension (fortune files, README) or another one (.log).
            self.tr("All files (*);;Text and tables (*.txt *.md *.text *.csv *.tsv *.jsonl *.json)"))
        if paths:
            settings.put("last/corpus_folder", str(Path(paths[0]).parent))
            self.set_paths(paths)

    def open_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Open a corpus folder"),
                                                settings.get("last/corpus_folder", str(Path.home())))
        if path:
            settings.put("last/corpus_folder", path)
            self.set_paths([path])

    def use_sample(self) -> None:
        from bertgui.data.samples import sample_corpus_path

        self.set_paths([str(sample_corpus_path())], documents="blank-line")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.set_paths(paths)

    def _fill_recent(self) -> None:
        from PySide6.QtWidgets import QListWidgetItem

        self.recent.clear()
        for entry in settings.recent("corpora"):
            paths = entry.split("\n")
            # The name first, then the folder: two corpora with one file name stay apart.
            item = QListWidgetItem(", ".join(f"{Path(p).name}  ({Path(p).parent})" for p in paths))
            item.setToolTip("\n".join(paths))
            item.setData(Qt.ItemDataRole.UserRole, paths)
            self.recent.addItem(item)

    def _sync_from_session(self) -> None:
        """A corpus chosen elsewhere (an opened run config) shows here and gets its statistics too."""
        shown = [self.files.item(i).text() for i in range(self.files.count())]
        cfg = self.session.config
        if cfg.corpus and shown != list(cfg.corpus):
            self.set_paths(list(cfg.corpus), documents=cfg.documents, text_column=cfg.text_column)

    def set_paths(self, paths: list[str], *, documents: str | None = None, text_column: str | None = None) -> None:
        paths = [str(Path(p).expanduser()) for p in paths]
        self.clear_problem()
        self._loading = True
        try:
            if documents is not None:
                self.documents.setCurrentIndex(max(0, self.documents.findData(documents)))
            self.files.clear()
            self.files.addItems(paths)
            self.column.clear()
            self.encoding.clear()
            self._set_column_visible(any(Path(p).suffix.lower() in TABLE_SUFFIXES for p in paths))
        finally:
            self._loading = False
        self.session.set_corpus(paths, documents=self.documents.currentData(),
                                text_column=text_column or self.session.config.text_column)
        self.session.set_step_state(self.key, StepState.READY)
        encoding = self.session.config.encoding
        self.tasks.start(lambda state: _columns(paths, state, encoding), name="columns",
                         done=lambda found: self._opened(paths, found),
                         progress=self.show_progress, failed=lambda exc, tb: self._failed(exc),
                         finished=self.hide_progress)

    def _opened(self, paths: list[str], found: tuple[list[str], dict[str, Any]]) -> None:
        """Every file could be read: only now does the corpus enter "Recent" (a failed one never does)."""
        settings.push_recent("corpora", "\n".join(paths))
        self._fill_recent()
        self._show_inspection(found)

    def _set_column_visible(self, on: bool) -> None:
        self.column.setVisible(on)
        self.column_label.setVisible(on)

    def _show_inspection(self, found: tuple[list[str], dict[str, Any]]) -> None:
        columns, encodings = found
        self._show_encodings(encodings)
        self._show_columns(columns)

    def _show_encodings(self, encodings: dict[str, Any]) -> None:
        """The encoding the files are read with; a weak guess is said in words, with what to do about it."""
        def label(guess: Any) -> str:
            if guess.how == "chosen":
                return self.tr("{0} (chosen)").format(guess.encoding)
            if guess.how == "detected" and guess.weak:
                return self.tr("{0} (a weak guess, {1:.0%})").format(guess.encoding, guess.confidence)
            if guess.how == "detected":
                return self.tr("{0} (guessed, {1:.0%})").format(guess.encoding, guess.confidence)
            return guess.encoding

        labels = {label(g) for g in encodings.values()}
        if len(labels) == 1:
            shown = labels.pop()
        else:
            shown = "; ".join(f"{name}: {label(g)}" for name, g in encodings.items())
        weak = [name for name, g in encodings.items() if g.weak]
        if weak:
            shown += " — " + self.tr(
                "check that accented letters look right in the preview; if not, choose the encoding "
                "(corpus.encoding: latin-1, cp1250, cp1257 …).")
        self.encoding.setText(shown)
        self.encoding.setStyleSheet("color: #8a4b00;" if weak else "")

    def _show_columns(self, columns: list[str]) -> None:
        self._loading = True
        try:
            self.column.clear()
            self.column.addItems(columns)
            self._set_column_visible(bool(columns))
            if columns:
                current = self.session.config.text_column
                guess = current if current in columns else next(
                    (c for c in columns if c.lower() in ("text", "content", "body", "sentence", "document")),
                    columns[0])
                self.column.setCurrentText(guess)
        finally:
            self._loading = False
        if columns and self.column.currentText() != self.session.config.text_column:
            self._options_changed()
        else:
            self.refresh_stats()

    def _options_changed(self) -> None:
        if self._loading or not self.session.config.corpus:
            return
        column = self.column.currentText() if not self.column.isHidden() and self.column.count() else None
        self.session.set_corpus(self.session.config.corpus, documents=self.documents.currentData(),
                                text_column=column)
        self.refresh_stats()

    # ------------------------------------------------------------ statistics
    def refresh_stats(self) -> None:
        cfg = self.session.config
        if not cfg.corpus:
            return
        from bertgui.data.tokenized import position_limit
        from bertgui.gui.widgets.stats_view import compute_stats

        tokenizer = self.session.tokenizer
        info = self.session.model_info
        limit = (position_limit(info.model_type, info.max_positions, getattr(tokenizer, "pad_token_id", None))
                 if info is not None else 0)
        self.session.set_step_state(self.key, StepState.READY)
        self.show_document_examples()
        self.stats.show_pending(tokenizer is not None)
        self.tasks.start(lambda state: compute_stats(cfg, tokenizer, state, limit), name="corpus-stats",
                         progress=self.show_progress, partial=self.stats.show_stats, done=self._stats_done,
                         failed=lambda exc, tb: self._failed(exc), finished=self.hide_progress)

    def show_document_examples(self) -> None:
        """What a document is in this text, as the chosen split makes it: the first two, and the other choices.

        WHY: "automatic" made every paragraph of a glossary a document, headword lines included, and nothing on
        the page showed it; NSP pairs and held-out documents are made of these units.
        """
        cfg = self.session.config
        self.documents_example.setText("")
        if not cfg.corpus:
            return
        self.example_tasks.start(lambda state: first_documents(cfg, state), name="document-examples",
                                 done=self._show_examples, failed=lambda exc, tb: None)

    def _show_examples(self, examples: list[tuple[str, int]]) -> None:
        if not examples:
            return
        shown = [self.tr("«{0}» ({1} lines)").format(escape(t.replace("\n", " / ")), n) if n > 1 else
                 self.tr("«{0}» (1 line)").format(escape(t.replace("\n", " / "))) for t, n in examples]
        self.documents_example.setText(self.tr(
            "A document here is, for example: {0}. NSP pairs come from within one document. If a document should "
            "be longer or shorter (a whole entry, an article, one line), choose another split above.").format(
            " · ".join(shown)))

    def _stats_done(self, stats: Any) -> None:
        self.session.corpus_stats = stats
        self.stats.show_stats(stats)
        self.session.set_step_state(self.key, StepState.DONE)
        self.session.stats_ready.emit()

    def _failed(self, exc: BaseException) -> None:
        self.hide_progress()
        self.stats.clear()
        self.stats.status.setText(self.tr("No statistics: see the problem above."))
        self.show_problem(exc)
        self.session.set_step_state(self.key, StepState.PROBLEM)


def _field(name: str):
    from bertgui.config import RunConfig

    return RunConfig.__dataclass_fields__[name]
