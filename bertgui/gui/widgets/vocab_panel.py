"""The Model page's "Vocabulary" tab: domain words the model's tokenizer splits badly, and what adding them does.

Why here: the candidates depend on both the corpus (what is frequent) and the model's tokenizer (what it splits),
so the tab opens once both are chosen. Mining and the before/after report tokenise the whole corpus: both run in
workers (``TaskSlot``), never on the UI thread. The ticked words are the run config's ``vocab_add`` (TOML
``[vocab] add``), written through the session so the Train page form and a saved TOML show the same list. The
report needs only ``extend_tokenizer`` (no weights are touched before training).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bertgui.gui.work.session import Session
from bertgui.gui.work.tasks import TaskSlot, TaskState, warm_imports

COLUMNS = 6  # tick+word, count, pieces, tokens saved, share, x general
REPORT_DELAY_MS = 400  # ticking several boxes in a row starts one report, not one per click


def mine(corpus: list[str], tokenizer: Any, top: int, documents: str, text_column: str,
         state: TaskState, general: list[str] | None = None) -> Any:
    """Worker: the ranked candidate list (against the run's general-text file when it has one)."""
    from bertgui.vocab.report import mine_vocabulary

    warm_imports()
    state.set_progress(0, 0, QCoreApplication.translate("VocabularyPanel", "Counting words in the corpus…"))
    return mine_vocabulary(corpus, tokenizer, top=top, general=general, documents=documents,
                           text_column=text_column,
                           progress=lambda d, t, m: (state.check(), state.set_progress(d, t, m)))


def report(corpus: list[str], tokenizer: Any, words: list[str], reuse_unused: bool, documents: str,
           text_column: str, state: TaskState) -> dict[str, Any]:
    """Worker: tokens per word and [UNK] rate before and after adding ``words`` (tokenizer only)."""
    from bertgui.vocab.report import extend_tokenizer, vocabulary_report

    warm_imports()
    state.set_progress(0, 0, QCoreApplication.translate("VocabularyPanel", "Tokenizing with the new words…"))
    change = extend_tokenizer(tokenizer, words, reuse_unused=reuse_unused)
    state.check()
    result = vocabulary_report(corpus, tokenizer, change.tokenizer, words=list(change.added),
                               documents=documents, text_column=text_column,
                               progress=lambda d, t, m: (state.check(), state.set_progress(d, t, m)))
    result["skipped"] = dict(change.skipped)
    result["added"] = len(change.added)
    return result


class VocabularyPanel(QWidget):
    """Candidate table with ticks, "take top N", reuse-[unused] option and the before/after figures."""

    progress = Signal(int, int, str)
    idle = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.candidates: list[Any] = []
        self.last_report: dict[str, Any] | None = None
        self.mine_tasks = TaskSlot(self)
        self.report_tasks = TaskSlot(self)
        self._filling = False
        self._general = ""  # the general-text file the last search ranked against

        intro = QLabel(self.tr(
            "Words of your corpus that the model's tokenizer cuts into several pieces, most tokens saved first. "
            "Ticked words are added to the vocabulary as one new token each before training ([vocab] add)."))
        intro.setWordWrap(True)

        self.top = QSpinBox()
        self.top.setRange(10, 1000)
        self.top.setValue(50)
        self.top.setPrefix(self.tr("up to "))
        self.find_button = QPushButton(self.tr("Find candidates"))
        self.find_button.setObjectName("findVocabulary")
        self.find_button.clicked.connect(self.find)
        self.take_n = QSpinBox()
        self.take_n.setRange(1, 1000)
        self.take_n.setValue(10)
        self.take_button = QPushButton(self.tr("Tick top N"))
        self.take_button.setObjectName("takeTopVocabulary")
        self.take_button.clicked.connect(lambda: self.take_top(self.take_n.value()))
        self.clear_button = QPushButton(self.tr("Untick all"))
        self.clear_button.clicked.connect(lambda: self.take_top(0))
        self.reuse = QCheckBox(self.tr("Reuse [unused…] slots"))
        self.reuse.setToolTip(self.tr("Put new words into the vocabulary's [unused…] entries when it has them, so "
                                      "the embedding matrix keeps its size."))
        self.reuse.setChecked(session.config.vocab_reuse_unused)
        self.reuse.toggled.connect(self._write_config)

        controls = QHBoxLayout()
        controls.addWidget(self.top)
        controls.addWidget(self.find_button)
        controls.addSpacing(16)
        controls.addWidget(QLabel(self.tr("N =")))
        controls.addWidget(self.take_n)
        controls.addWidget(self.take_button)
        controls.addWidget(self.clear_button)
        controls.addStretch(1)
        controls.addWidget(self.reuse)

        self.table = QTableWidget(0, COLUMNS)
        self.table.setObjectName("vocabularyCandidates")
        self.table.setHorizontalHeaderLabels([
            self.tr("Word"), self.tr("Count"), self.tr("Current pieces"), self.tr("Tokens saved"),
            self.tr("Share of tokens"), self.tr("× general")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._item_changed)

        self.status = QLabel(self.tr("Choose a corpus and a model, then find candidates."))
        self.status.setObjectName("vocabularyStatus")
        self.status.setWordWrap(True)
        self.figures = QLabel()
        self.figures.setObjectName("vocabularyFigures")
        self.figures.setTextFormat(Qt.TextFormat.RichText)
        self.figures.setWordWrap(True)

        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addLayout(controls)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.status)
        lay.addWidget(self.figures)

        self._report_timer = QTimer(self)
        self._report_timer.setSingleShot(True)
        self._report_timer.setInterval(REPORT_DELAY_MS)
        self._report_timer.timeout.connect(self.update_report)
        session.config_changed.connect(self._config_changed)
        session.corpus_changed.connect(self._inputs_changed)
        session.model_changed.connect(self._inputs_changed)

    # ------------------------------------------------------------ inputs
    def ready(self) -> bool:
        return bool(self.session.config.corpus) and self.session.tokenizer is not None

    def _inputs_changed(self) -> None:
        self.mine_tasks.cancel()
        self.report_tasks.cancel()
        self.candidates = []
        self.last_report = None
        self._fill([])
        self.figures.clear()
        self.status.setText(self.tr("Find candidates for this corpus and model.") if self.ready()
                            else self.tr("Choose a corpus and a model, then find candidates."))

    def _config_changed(self) -> None:
        if self.session.config_source is self:
            return
        cfg = self.session.config
        self.reuse.blockSignals(True)
        self.reuse.setChecked(cfg.vocab_reuse_unused)
        self.reuse.blockSignals(False)
        if set(cfg.vocab_add) != set(self.ticked()):
            self._apply_ticks(set(cfg.vocab_add))

    # ------------------------------------------------------------ mining
    def find(self) -> None:
        if not self.ready():
            self.status.setText(self.tr("Choose a corpus and a model first."))
            return
        cfg = self.session.config
        corpus, tok, top = list(cfg.corpus), self.session.tokenizer, self.top.value()
        documents, column = cfg.documents, cfg.text_column
        general = [cfg.general_corpus] if cfg.general_corpus else None
        self._general = cfg.general_corpus
        self.find_button.setEnabled(False)
        self.status.setText(self.tr("Looking for candidates…"))
        self.mine_tasks.start(lambda state: mine(corpus, tok, top, documents, column, state, general),
                              name="vocab-mine",
                              progress=self.progress.emit, done=self._mined, failed=self._failed,
                              finished=self._finished)

    def _finished(self) -> None:
        self.find_button.setEnabled(True)
        if not self.report_tasks.busy():
            self.idle.emit()

    def _failed(self, exc: BaseException, tb: str) -> None:
        from bertgui.gui.messages import explain

        message, advice = explain(exc)
        self.status.setText(f"{message} {advice}".strip())
        self.idle.emit()

    def _mined(self, candidates: Any) -> None:
        self.candidates = list(candidates)
        self._fill(self.candidates)
        self._apply_ticks(set(self.session.config.vocab_add))
        if self._general:
            ranking = self.tr("Words not at least twice as frequent here as in the general text {0} are left "
                              "out.").format(Path(self._general).name)
        else:
            ranking = self.tr("To leave out words common in any text, give a general-text file (Train page, "
                              "Corpus: General text) and find again.")
        if self.candidates:
            self.status.setText(self.tr(
                "{0} candidates from {1:,} documents ({2:,} words, {3:,} tokens). Tick the words to add.").format(
                len(self.candidates), candidates.documents, candidates.total_words, candidates.total_tokens)
                + " " + ranking)
        else:
            self.status.setText(self.tr("No word of this corpus is split often enough to be worth adding.")
                                + (" " + ranking if self._general else ""))
        self.update_report()

    def _fill(self, candidates: list[Any]) -> None:
        self._filling = True
        try:
            self.table.setRowCount(len(candidates))
            for row, c in enumerate(candidates):
                word = QTableWidgetItem(c.word)
                word.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                              | Qt.ItemFlag.ItemIsSelectable)
                word.setCheckState(Qt.CheckState.Unchecked)
                word.setData(Qt.ItemDataRole.UserRole, c.word)
                pieces = " ".join(c.pieces)
                cells = [word, _number(c.count), QTableWidgetItem(f"{c.n_pieces}:  {pieces}"),
                         _number(c.tokens_saved), _number(c.share * 100, "{:.2f} %"),
                         _number(c.general_ratio, "{:.1f}") if c.general_ratio is not None
                         else QTableWidgetItem("–")]
                if c.unknown:
                    cells[2].setToolTip(self.tr("A piece is [UNK]: the model cannot read this word today."))
                for col, item in enumerate(cells):
                    if col:
                        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                    self.table.setItem(row, col, item)
        finally:
            self._filling = False
        # The "× general" column means something only when a general-text corpus was given.
        self.table.setColumnHidden(5, not any(c.general_ratio is not None for c in candidates))

    # ------------------------------------------------------------ ticks
    def ticked(self) -> list[str]:
        words = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                words.append(item.data(Qt.ItemDataRole.UserRole))
        return words

    def set_ticked(self, word: str, ticked: bool) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item.data(Qt.ItemDataRole.UserRole) == word:
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
                return
        raise KeyError(word)

    def take_top(self, n: int) -> None:
        self._apply_ticks({c.word for c in self.candidates[:n]}, write=True)

    def _apply_ticks(self, words: set[str], write: bool = False) -> None:
        self._filling = True
        try:
            for row in range(self.table.rowCount()):
                item = self.table.item(row, 0)
                item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in words
                                   else Qt.CheckState.Unchecked)
        finally:
            self._filling = False
        if write:
            self._write_config()

    def _item_changed(self, item: QTableWidgetItem) -> None:
        if not self._filling and item.column() == 0:
            self._write_config()

    def _write_config(self, *_: Any) -> None:
        """Ticked words into ``vocab_add``; words added elsewhere (TOML, the Train form) but not listed stay."""
        listed = {c.word for c in self.candidates}
        kept = [w for w in self.session.config.vocab_add if w not in listed]
        config = self.session.config.replace(vocab_add=kept + self.ticked(),
                                             vocab_reuse_unused=self.reuse.isChecked())
        self.session.update_config(config, source=self)
        self._report_timer.start()

    # ------------------------------------------------------------ before / after
    def update_report(self) -> None:
        if not self.ready():
            return
        cfg = self.session.config
        corpus, tok, words = list(cfg.corpus), self.session.tokenizer, list(cfg.vocab_add)
        reuse, documents, column = cfg.vocab_reuse_unused, cfg.documents, cfg.text_column
        self.figures.setText(self.tr("Computing the before/after figures…"))
        self.report_tasks.start(lambda state: report(corpus, tok, words, reuse, documents, column, state),
                                name="vocab-report", progress=self.progress.emit, done=self._show_report,
                                failed=self._failed, finished=self._report_finished)

    def _report_finished(self) -> None:
        if not self.mine_tasks.busy():
            self.idle.emit()

    def _show_report(self, r: dict[str, Any]) -> None:
        self.last_report = r
        b, a = r["before"], r["after"]
        rows = [
            (self.tr("Tokens"), f"{b['tokens']:,}", f"{a['tokens']:,}"),
            (self.tr("Tokens per word"), f"{b['tokens_per_word']:.3f}", f"{a['tokens_per_word']:.3f}"),
            (self.tr("[UNK] rate"), f"{b['unk_rate'] * 100:.2f} %", f"{a['unk_rate'] * 100:.2f} %"),
        ]
        from html import escape

        before_label, after_label = escape(self.tr("Before")), escape(self.tr("After"))
        head = f"<tr><th></th><th align=right>{before_label}</th><th align=right>{after_label}</th></tr>"
        body = "".join(f"<tr><td><b>{escape(k)}</b></td><td align=right>{x}</td><td align=right>{y}</td></tr>"
                       for k, x, y in rows)
        note = self.tr("{0} new tokens; the corpus gets {1:.1f} % shorter.").format(
            r["added"], r["token_reduction"] * 100)
        if r["skipped"]:
            note += " " + self.tr("Not added: {0}.").format(
                "; ".join(f"{w} ({why})" for w, why in r["skipped"].items()))
        self.figures.setText(f"<table cellspacing=6>{head}{body}</table><p>{escape(note)}</p>")

    def shutdown(self, ms: int = 30000) -> None:
        self._report_timer.stop()
        for slot in (self.mine_tasks, self.report_tasks):
            slot.cancel()
        for slot in (self.mine_tasks, self.report_tasks):
            slot.wait(ms)


def _number(value: float, fmt: str = "{:,}") -> QTableWidgetItem:
    item = QTableWidgetItem(fmt.format(value))
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item
