"""Step 3, the preview: the NSP pairs and the masking exactly as training will build them.

The first documents of the corpus are read once (``preview.open_sample``, about a second even for a large corpus);
every control change then re-runs only the cheap pair and masking previews, in a worker, debounced, so the
preview follows the controls at once. The masking controls are the run config's own fields, shared with Train.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bertgui.config import RunConfig
from bertgui.errors import ConfigError
from bertgui.gui.messages import localize
from bertgui.gui.pages.base import Page
from bertgui.gui.steps import StepState
from bertgui.gui.widgets.chips import ChipLegend, TokenChips
from bertgui.gui.widgets.config_form import field_help
from bertgui.gui.widgets.pair_cards import PairCard
from bertgui.gui.widgets.preview_adapter import card_data, chips_for
from bertgui.gui.widgets.stats_view import sample_unk_share, unreadable_warning
from bertgui.gui.work.session import Session
from bertgui.gui.work.tasks import TaskSlot, TaskState, warm_imports
from bertgui.model.loading import UNK_LIMIT

DEBOUNCE_MS = 150
N_PAIRS = 4
N_MASKED = 3


def read_sample(config: RunConfig, tokenizer: Any, state: TaskState) -> Any:
    """Worker: the first documents only (``preview.open_sample``), so a large corpus previews at once."""
    from bertgui.data.preview import open_sample

    warm_imports()
    return open_sample(config.corpus, tokenizer, documents=config.documents, text_column=config.text_column,
                       encoding=config.encoding, chinese_words=config.chinese_word_segmentation)


def make_previews(sample: Any, tokenizer: Any, config: RunConfig, k: int, state: TaskState) -> dict[str, Any]:
    """Worker: pairs and masks as training builds them; sample ``k`` > 0 draws with another seed."""
    from bertgui.data.preview import masking_kwargs, pair_kwargs, preview_masking, preview_pairs

    pk = {**pair_kwargs(config), "seed": config.seed + k}
    pairs = preview_pairs(sample.corpus, tokenizer, N_PAIRS, **pk)
    state.check()
    mk = {**masking_kwargs(config), "seed": config.seed + k, "pair_seed": config.seed + k}
    masked = preview_masking(sample.corpus, tokenizer, N_MASKED, **mk)
    return {"pairs": pairs, "masked": masked}


def _field(name: str):
    return RunConfig.__dataclass_fields__[name]


class PreviewPage(Page):
    key = "preview"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("Preview"), self.tr(
            "What training will see: sentence pairs for next-sentence prediction, and which tokens are hidden "
            "for the model to guess. Change the masking here and the preview follows at once."), parent)
        self.sample: Any = None
        self.seed = 0
        self._sample_key: tuple | None = None
        self.read_tasks = TaskSlot(self)
        self._syncing = False
        self.pair_cards: list[PairCard] = []

        self.mlm = QDoubleSpinBox()
        self.mlm.setObjectName("mlmProbability")
        self.mlm.setRange(0.01, 0.8)
        self.mlm.setSingleStep(0.01)
        self.mlm.setDecimals(2)
        self.mlm.setToolTip(field_help(_field("mlm_probability")))
        self.mask_pct = QSpinBox()
        self.mask_pct.setRange(0, 100)
        self.mask_pct.setSuffix(" %")
        self.mask_pct.setToolTip(field_help(_field("mask_replace_prob")))
        self.random_pct = QSpinBox()
        self.random_pct.setRange(0, 100)
        self.random_pct.setSuffix(" %")
        self.random_pct.setToolTip(field_help(_field("random_replace_prob")))
        self.keep_label = QLabel()
        self.whole_word = QCheckBox(self.tr("Whole words"))
        self.whole_word.setObjectName("wholeWord")
        self.whole_word.setToolTip(field_help(_field("whole_word_masking")))
        self.max_len = QSpinBox()
        self.max_len.setObjectName("maxLength")
        self.max_len.setRange(16, 8192)
        self.max_len.setSingleStep(16)
        self.max_len.setToolTip(field_help(_field("max_seq_length")))
        self.new_sample = QPushButton(self.tr("New sample"))
        self.new_sample.setObjectName("newSample")
        self.new_sample.setShortcut("Ctrl+N")
        self.new_sample.clicked.connect(self.next_sample)
        controls = QHBoxLayout()
        for label, w in ((self.tr("Mask share"), self.mlm), (self.tr("of them: [MASK]"), self.mask_pct),
                         (self.tr("random"), self.random_pct)):
            controls.addWidget(QLabel(label))
            controls.addWidget(w)
        controls.addWidget(self.keep_label)
        controls.addSpacing(10)
        controls.addWidget(self.whole_word)
        controls.addSpacing(10)
        controls.addWidget(QLabel(self.tr("Max length")))
        controls.addWidget(self.max_len)
        controls.addStretch(1)
        controls.addWidget(self.new_sample)
        for w in (self.mlm, self.mask_pct, self.random_pct, self.max_len):
            w.valueChanged.connect(self._controls_changed)
        self.whole_word.toggled.connect(self._controls_changed)

        self.cards = QWidget()
        self.cards_layout = QVBoxLayout(self.cards)
        self.cards_layout.addStretch(1)
        cards_scroll = QScrollArea()
        cards_scroll.setWidgetResizable(True)
        cards_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        cards_scroll.setWidget(self.cards)
        pairs_box = QGroupBox(self.tr("Sentence pairs (next sentence prediction)"))
        pairs_box.setMinimumWidth(320)  # a card narrower than this wraps every sentence into a column of words
        QVBoxLayout(pairs_box).addWidget(cards_scroll)

        self.chip_views: list[TokenChips] = []
        self.masked_area = QWidget()
        self.masked_layout = QVBoxLayout(self.masked_area)
        self.masked_layout.addStretch(1)
        masked_scroll = QScrollArea()
        masked_scroll.setWidgetResizable(True)
        masked_scroll.setWidget(self.masked_area)
        masked_box = QGroupBox(self.tr("Masking: what the model must guess (hover a token for details)"))
        ml = QVBoxLayout(masked_box)
        ml.addWidget(ChipLegend())
        self.random_note = QLabel()
        self.random_note.setObjectName("randomNote")
        self.random_note.setWordWrap(True)
        self.random_note.setStyleSheet("color: palette(placeholder-text);")
        ml.addWidget(self.random_note)
        ml.addWidget(masked_scroll, 1)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(pairs_box)
        split.addWidget(masked_box)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([420, 640])
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setObjectName("previewNotes")
        self.body.addLayout(controls)
        self.body.addWidget(self.notes)
        self.body.addWidget(split, 1)

        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(DEBOUNCE_MS)
        self.debounce.timeout.connect(self.refresh)
        self.session.config_changed.connect(self._config_to_controls)
        self.session.corpus_changed.connect(self._invalidate)
        self.session.model_changed.connect(self._invalidate)
        self._config_to_controls()

    # ------------------------------------------------------------ controls <-> config
    def _config_to_controls(self) -> None:
        cfg = self.session.config
        self._syncing = True
        try:
            self.mlm.setValue(cfg.mlm_probability)
            self.mask_pct.setValue(round(cfg.mask_replace_prob * 100))
            self.random_pct.setValue(round(cfg.random_replace_prob * 100))
            self.whole_word.setChecked(cfg.whole_word_masking)
            self.max_len.setValue(cfg.max_seq_length)
            self.keep_label.setText(self.tr("kept: {0} %").format(round(cfg.keep_prob * 100)))
            self._explain_random(cfg.random_replace_prob)
        finally:
            self._syncing = False
        if self._shown_config_key() != getattr(self, "_last_key", None) and self.isVisible():
            self.debounce.start()

    def _explain_random(self, share: float) -> None:
        """Why a chip reads ``[unused365]`` or an unrelated word: it is a random replacement, on purpose."""
        self.random_note.setVisible(share > 0)
        self.random_note.setText(self.tr(
            "A random replacement puts any entry of the vocabulary in a hidden word's place ({0} % of them), so "
            "the model cannot trust what it sees; entries like [unused365] are empty vocabulary slots drawn "
            "that way.").format(round(share * 100)))

    def _controls_changed(self) -> None:
        if self._syncing:
            return
        try:
            cfg = self.session.config.replace(
                mlm_probability=round(self.mlm.value(), 4), mask_replace_prob=self.mask_pct.value() / 100,
                random_replace_prob=self.random_pct.value() / 100, whole_word_masking=self.whole_word.isChecked(),
                max_seq_length=self.max_len.value())
        except ConfigError as exc:
            named = [w for key, w in (("random_replace_prob", self.random_pct), ("mask_replace_prob", self.mask_pct),
                                      ("mlm_probability", self.mlm), ("max_seq_length", self.max_len))
                     if key in str(exc.message)]
            self.show_problem(exc, field=named[0] if named else None)
            return
        self.clear_problem()  # valid again: the banner and the outline go
        self.session.update_config(cfg, source=self)
        self.debounce.start()

    def _shown_config_key(self) -> tuple:
        c = self.session.config
        return (c.mlm_probability, c.mask_replace_prob, c.random_replace_prob, c.whole_word_masking,
                c.max_seq_length, c.nsp, c.short_seq_prob, self.seed)

    # ------------------------------------------------------------ reading and previewing
    def entered(self) -> None:
        if self.sample is None or self._shown_config_key() != getattr(self, "_last_key", None):
            self.refresh()

    def _invalidate(self) -> None:
        self.sample = None
        self._sample_key = None
        if self.isVisible():
            self.refresh()

    def next_sample(self) -> None:
        self.seed += 1
        self.refresh()

    def refresh(self) -> None:
        cfg, tok = self.session.config, self.session.tokenizer
        if not cfg.corpus or tok is None:
            self.notes.setText(self.tr("Choose a corpus (step 1) and a model (step 2) to see the preview."))
            return
        self.clear_problem()
        key = (tuple(cfg.corpus), cfg.documents, cfg.text_column, id(tok))
        if self.sample is None or self._sample_key != key:
            self.notes.setText(self.tr("Reading the first documents…"))
            self.read_tasks.start(lambda state: read_sample(cfg, tok, state), name="preview-read",
                                  progress=self.show_progress,
                                  done=lambda s: self._sample_ready(s, key), failed=self._failed,
                                  finished=self.hide_progress)
            return
        sample, seed = self.sample, self.seed
        self._last_key = self._shown_config_key()
        self.tasks.start(lambda state: make_previews(sample, tok, cfg, seed, state), name="preview",
                         done=self.show_previews, failed=self._failed)

    def _sample_ready(self, sample: Any, key: tuple) -> None:
        self.sample, self._sample_key = sample, key
        self.refresh()

    def show_previews(self, result: dict[str, Any]) -> None:
        while self.cards_layout.count() > 1:
            w = self.cards_layout.takeAt(0).widget()
            if w:
                w.deleteLater()
        self.pair_cards = [PairCard(i, card_data(p)) for i, p in enumerate(result["pairs"], 1)]
        for card in self.pair_cards:
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
        while len(self.chip_views) < len(result["masked"]):
            view = TokenChips()
            self.chip_views.append(view)
            self.masked_layout.insertWidget(self.masked_layout.count() - 1, view)
        for view, m in zip(self.chip_views, result["masked"], strict=False):
            view.set_chips(chips_for(m))
            view.show()
        for view in self.chip_views[len(result["masked"]):]:
            view.hide()
        n = self.sample.corpus.n_documents if self.sample is not None else 0
        notes = [self.tr("From the first {0} documents of the corpus; sample {1}.").format(n, self.seed + 1)]
        notes += [localize(n) for n in getattr(self.sample, "notes", []) or []]
        if self.sample is not None:
            share = sample_unk_share(self.sample.corpus, self.session.tokenizer)
            if share > UNK_LIMIT:  # Start would refuse this model: say it here, before anyone waits for it
                notes.insert(0, unreadable_warning(share))
        self.notes.setText(" ".join(notes))
        self.session.set_step_state(self.key, StepState.DONE)

    def _failed(self, exc: BaseException, tb: str = "") -> None:
        self.hide_progress()
        self.notes.clear()
        self.show_problem(exc)
        self.session.set_step_state(self.key, StepState.PROBLEM)

    def card_labels(self) -> list[str]:
        return [card.label_text() for card in self.pair_cards]
