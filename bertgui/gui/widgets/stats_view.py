"""Corpus statistics as figures and plain-language warnings; computed by the data pipeline in a worker.

The figures and warnings are ``bertgui.data.preview.corpus_stats``'s own; this module only lays them out. Without a
model yet there is no tokenizer, so only what needs none is shown and the page says why.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from bertgui.config import RunConfig
from bertgui.gui.messages import localize
from bertgui.gui.work.tasks import PREPARE_LOCK, TaskState, warm_imports
from bertgui.model.loading import UNK_LIMIT


def compute_stats(config: RunConfig, tokenizer: Any, state: TaskState, max_positions: int = 0) -> Any:
    """Worker: first the quick look at the first documents (a partial result), then the whole corpus.

    ``max_positions``: the longest sequence the chosen model holds; a longer max_seq_length is counted as the
    run will use it (capped), with a note that says so.
    """
    if tokenizer is None:
        return None
    warm_imports()
    from bertgui.data.prepare import prepare_corpus
    from bertgui.data.preview import corpus_stats, open_sample, pair_kwargs
    from bertgui.data.tokenized import cap_sequence_length

    length, cap_note = cap_sequence_length(config.max_seq_length, max_positions)
    if cap_note:
        config = config.replace(max_seq_length=length)

    translate = QCoreApplication.translate
    state.set_progress(0, 0, translate("StatsView", "Reading the first documents…"))
    sample = open_sample(config.corpus, tokenizer, documents=config.documents, text_column=config.text_column,
                         encoding=config.encoding, chinese_words=config.chinese_word_segmentation)
    state.check()
    first = corpus_stats(sample.corpus, tokenizer, sample=True, **pair_kwargs(config))
    first.notes = [n for n in [cap_note] if n] + list(sample.notes) + list(first.notes)
    state.set_partial_result(first)
    with PREPARE_LOCK:  # a training run preparing the same corpus finishes first (then this reads its cache)
        prepared = prepare_corpus(config, tokenizer, progress=lambda d, t, m: state.set_progress(d, t, m),
                                  should_stop=state.is_interruption_requested)
    state.check()
    stats = corpus_stats(prepared.all, tokenizer, progress=lambda d, t, m: state.set_progress(d, t, m),
                         **pair_kwargs(config))
    stats.notes = [n for n in [cap_note] if n] + list(prepared.notes) + list(stats.notes)
    return stats


def unreadable_warning(unk_rate: float) -> str:
    """The words for a model that reads most of the text as [UNK] (Start refuses it: ``UNK_LIMIT``).

    WHY not "add frequent words": at this share adding 50 words took [UNK] from 55.9 % to 54.1 %; a vocabulary
    learnt from the corpus, or a model made for its script, is what works.
    """
    return QCoreApplication.translate(
        "StatsView", "{0:.1%} of the tokens are unknown ([UNK]): this model cannot read this text, and training "
                     "with it will be refused. Adding words to its vocabulary does not help at this share; choose "
                     "a model made for this language and script, or create a new model from this corpus (step 2, "
                     "Create new model: its vocabulary is learnt from your text).").format(unk_rate)


def sample_unk_share(corpus: Any, tokenizer: Any) -> float:
    """The [UNK] share of a tokenized sample (the Preview page's first documents)."""
    import numpy as np

    unk = getattr(tokenizer, "unk_token_id", None)
    n = int(getattr(corpus, "n_tokens", 0) or 0)
    if unk is None or not n:
        return 0.0
    return float(np.count_nonzero(np.asarray(corpus.tokens) == unk)) / n


def plain_warnings(stats: Any) -> list[str]:
    """The figures a person should act on, said in words; the thresholds are only about what is worth saying."""
    translate = QCoreApplication.translate
    out: list[str] = []
    if stats.truncated_share >= 0.05:
        out.append(translate("StatsView", "{0:.0%} of the segments will be cut at {1} tokens. Raise the maximum length "
                                   "if the cut text matters.").format(stats.truncated_share, stats.max_seq_length))
    if stats.unk_rate > UNK_LIMIT:  # Start refuses this model: say so here, where the share is known first
        out.append(unreadable_warning(stats.unk_rate))
    elif stats.unk_rate >= 0.01:
        out.append(translate("StatsView", "{0:.1%} of the tokens are unknown ([UNK]) to this vocabulary: the model "
                                   "cannot learn them. Add frequent words to the vocabulary, or use a model whose "
                                   "vocabulary covers this script.").format(stats.unk_rate))
    if stats.tokens_per_word >= 1.5 and stats.fragmented_words:  # none for Chinese: characters are its tokens
        top = ", ".join(f.word for f in stats.fragmented_words[:5])
        out.append(translate("StatsView", "Words are cut into {0:.1f} pieces on average (for example: {1}). Adding "
                                   "frequent domain words to the vocabulary helps.").format(stats.tokens_per_word,
                                                                                           top))
    if stats.nsp is False and stats.documents and stats.multi_sentence_documents == 0:
        out.append(translate("StatsView", "No document has two sentences, so there are no next-sentence pairs: "
                                   "train MLM only, or choose how files split into documents."))
    return out + [localize(n) for n in stats.notes]  # the core's notes in the user's language


class StatsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statsView")
        self.status = QLabel(self.tr("Open a corpus to see its statistics."))
        self.status.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(24)
        self.fragmented = QLabel()
        self.fragmented.setWordWrap(True)
        self.fragmented.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warnings = QLabel()
        self.warnings.setStyleSheet("color: #8a4b00;")
        self.warnings.setObjectName("statsWarnings")
        self.warnings.setWordWrap(True)
        self.warnings.setTextFormat(Qt.TextFormat.RichText)
        lay = QVBoxLayout(self)
        lay.addWidget(self.status)
        lay.addLayout(self.grid)
        lay.addWidget(self.fragmented)
        lay.addWidget(self.warnings)
        lay.addStretch(1)
        self.figures: dict[str, str] = {}
        self.labels: dict[str, str] = {}  # figure key -> the label shown beside it
        self.warning_lines: list[str] = []

    def show_pending(self, with_tokenizer: bool) -> None:
        self.clear()
        self.status.setText(self.tr("Counting…") if with_tokenizer else self.tr(
            "Choose a model (step 2): token counts, unknown tokens and cut segments depend on its vocabulary."))

    def clear(self) -> None:
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w:
                w.deleteLater()
        self.figures = {}
        self.warning_lines: list[str] = []
        self.warnings.clear()
        self.fragmented.clear()

    def show_stats(self, stats: Any) -> None:
        if stats is None:
            return
        self.clear()
        rows = [
            ("documents", self.tr("Documents"), f"{stats.documents:,}"),
            ("sentences", self.tr("Sentences"), f"{stats.sentences:,}"),
            ("words", self.tr("Words and punctuation marks"), f"{stats.words:,}"),
            ("tokens", self.tr("Tokens"), f"{stats.tokens:,}"),
            ("unk_rate", self.tr("Unknown tokens ([UNK])"), f"{stats.unk_rate:.2%}"),
            ("tokens_per_word", self.tr("Tokens per word (fragmentation)"), f"{stats.tokens_per_word:.2f}"),
            ("sequences_per_epoch", self.tr("Training sequences per pass"), f"{stats.sequences_per_epoch:,}"),
            ("truncated_share", self.tr("Segments cut at {0} tokens").format(stats.max_seq_length),
             f"{stats.truncated_share:.1%}"),
            ("multi_sentence_documents", self.tr("Documents with two or more sentences"),
             f"{stats.multi_sentence_documents:,}"),
            ("random_next_share", self.tr("Pairs with a random B"), f"{stats.random_next_share:.0%}" if stats.nsp
             else self.tr("no pairs (MLM only)")),
        ]
        tips = {"words": self.tr("Counted as the tokenizer splits the text before cutting words into pieces: every "
                                 "punctuation mark is one (and, in Chinese, every character or jieba word). A plain "
                                 "word count of the same text (wc -w) is lower.")}
        for i, (key, label, value) in enumerate(rows):
            name = QLabel(label)
            name.setToolTip(tips.get(key, ""))
            self.labels[key] = label
            val = QLabel(value)
            val.setObjectName(f"stat_{key}")
            val.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            font = val.font()
            font.setBold(True)
            val.setFont(font)
            col = (i % 2) * 3
            self.grid.addWidget(name, i // 2, col)
            self.grid.addWidget(val, i // 2, col + 1)
            self.figures[key] = value
        self.grid.setColumnMinimumWidth(2, 40)
        self.grid.setColumnStretch(5, 1)
        if stats.fragmented_words:
            frag = ", ".join(f"{f.word} ({' '.join(f.pieces)})" for f in stats.fragmented_words[:8])
            self.fragmented.setText(self.tr("Most fragmented words: {0}").format(frag))
        self.status.setText(self.tr("First {0:,} documents only; counting the whole corpus…").format(stats.documents)
                            if stats.sample else self.tr("Whole corpus."))
        warnings = plain_warnings(stats)
        self.warning_lines = warnings
        if warnings:
            self.warnings.setText("".join(f"<p>⚠ {escape(w)}</p>" for w in warnings))
        else:
            self.warnings.setText(self.tr("Nothing to warn about for these settings."))
