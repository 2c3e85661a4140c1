"""Step 5, evaluate and try: the before/after figures, a fill-mask playground and an NSP tester.

The figures are the engine's own evaluation events, each with its meaning and baseline; the run's warnings (with
advice) sit on a band above them and the "what the model learned" examples below (``widgets.explain`` reads them
from the core). The playground loads the base and the trained model once, in a worker, and asks the core for
predictions; the page only lays the two answers side by side, and says so when the base model's MLM head is new.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bertgui.gui.pages.base import Page
from bertgui.gui.steps import StepState
from bertgui.gui.widgets import explain, playground
from bertgui.gui.widgets.eval_table import EvalTable
from bertgui.gui.widgets.probe_box import ProbeBox
from bertgui.gui.work.session import Session
from bertgui.gui.work.tasks import TaskSlot, TaskState

# One CJK character per click: Chinese BERT vocabularies are character-level (one [MASK] = one character).
WORD_RE = re.compile(r"\[MASK\]|[\u3400-\u9fff\uf900-\ufaff]|[^\W\u3400-\u9fff\uf900-\ufaff]+|[^\w\s]", re.UNICODE)


class PredictionTable(QTableWidget):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(0, 3, parent)
        self.title = title
        self.setHorizontalHeaderLabels([self.tr("Mask"), title, self.tr("Probability")])
        self.verticalHeader().hide()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        h = self.horizontalHeader()
        h.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        h.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        h.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)

    def show_predictions(self, per_mask: list[list[tuple[str, float]]]) -> None:
        rows = [(i, tok, p) for i, preds in enumerate(per_mask, 1) for tok, p in preds]
        self.setRowCount(len(rows))
        for r, (i, tok, p) in enumerate(rows):
            self.setItem(r, 0, QTableWidgetItem(str(i)))
            self.setItem(r, 1, QTableWidgetItem(tok))
            prob = QTableWidgetItem(f"{p:.1%}")
            prob.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.setItem(r, 2, prob)

    def set_title(self, title: str, tooltip: str = "") -> None:
        self.horizontalHeaderItem(1).setText(title)
        self.horizontalHeaderItem(1).setToolTip(tooltip)

    def header_title(self) -> str:
        return self.horizontalHeaderItem(1).text()

    def tokens(self) -> list[str]:
        return [self.item(r, 1).text() for r in range(self.rowCount())]


class EvaluatePage(Page):
    key = "evaluate"

    def __init__(self, session: Session, parent: QWidget | None = None,
                 insights: Callable[[Any, TaskState], explain.Insights] | None = None) -> None:
        super().__init__(session, self.tr("Evaluate and try"), self.tr(
            "How much better the model predicts your kind of text, measured on documents it never trained on; "
            "then try it: type a sentence with [MASK], or click a word to mask it."), parent)
        self.models: dict[str, Any] = {}
        self.nsp_tasks = TaskSlot(self)
        self.insight_tasks = TaskSlot(self)
        self.insights_provider = insights or explain.compute_insights
        self.insights = explain.Insights([], [])
        self.warnings = explain.WarningsBanner()
        self.learned = explain.LearnedList()

        self.table = EvalTable()
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + 8)
        self.table_note = QLabel(self.tr("Train a model (step 4) to see the figures before and after."))
        self.table_note.setWordWrap(True)
        table_box = QGroupBox(self.tr("Before and after training"))
        tl = QVBoxLayout(table_box)
        tl.addWidget(self.table)
        tl.addWidget(self.table_note)
        self.probe_box = ProbeBox(self.model_paths, lambda: bool(self.session.config.allow_pickle),
                                  keep=self.keep_probe)

        self.sentence = QLineEdit()
        self.sentence.setObjectName("playgroundSentence")
        self.sentence.setPlaceholderText(self.tr("A sentence with [MASK], e.g. The [MASK] statement ends a loop."))
        self.sentence.returnPressed.connect(self.predict)
        self.sentence.textChanged.connect(self._show_words)
        self.top_k = QSpinBox()
        self.top_k.setRange(1, 20)
        self.top_k.setValue(5)
        self.predict_button = QPushButton(self.tr("Predict"))
        self.predict_button.setObjectName("predict")
        self.predict_button.clicked.connect(self.predict)
        self.words = QLabel()
        self.words.setObjectName("clickableWords")
        self.words.setWordWrap(True)
        self.words.setTextFormat(Qt.TextFormat.RichText)
        self.words.linkActivated.connect(self.mask_word)
        self.words.setToolTip(self.tr("Click a word to replace it with [MASK]."))
        self.base_table = PredictionTable(self.tr("Base model"))
        self.base_table.setObjectName("basePredictions")
        self.base_note = QLabel()
        self.base_note.setObjectName("baseHeadNote")
        self.base_note.setWordWrap(True)
        self.base_note.setStyleSheet("color: #b3261e;")
        self.base_note.hide()
        self.tuned_table = PredictionTable(self.tr("Trained model"))
        self.tuned_table.setObjectName("tunedPredictions")
        row = QHBoxLayout()
        row.addWidget(self.sentence, 1)
        row.addWidget(QLabel(self.tr("top")))
        row.addWidget(self.top_k)
        row.addWidget(self.predict_button)
        tables = QHBoxLayout()
        base_column = QVBoxLayout()
        base_column.addWidget(self.base_table, 1)
        base_column.addWidget(self.base_note)
        tables.addLayout(base_column)
        tables.addWidget(self.tuned_table)
        play_box = QGroupBox(self.tr("Fill in the blank"))
        pl = QVBoxLayout(play_box)
        pl.addLayout(row)
        pl.addWidget(self.words)
        pl.addLayout(tables, 1)

        self.nsp_a = QLineEdit()
        self.nsp_a.setObjectName("nspA")
        self.nsp_b = QLineEdit()
        self.nsp_b.setObjectName("nspB")
        self.nsp_button = QPushButton(self.tr("Does B follow A?"))
        self.nsp_button.setObjectName("nspCheck")
        self.nsp_button.clicked.connect(self.check_nsp)
        self.nsp_result = QLabel()
        self.nsp_result.setObjectName("nspResult")
        self.nsp_result.setWordWrap(True)
        nsp_box = QGroupBox(self.tr("Next sentence test"))
        self.nsp_box = nsp_box
        nsp_box.setObjectName("nspBox")
        self.nsp_note = QLabel(self.tr("This run trained masked-language modelling only: its next-sentence head "
                                       "was never trained, so there is no next-sentence test for it."))
        self.nsp_note.setObjectName("nspNote")
        self.nsp_note.setWordWrap(True)
        self.nsp_note.hide()
        nl = QFormLayout(nsp_box)
        nl.addRow(self.nsp_note)
        nl.addRow(self.tr("Sentence A"), self.nsp_a)
        nl.addRow(self.tr("Sentence B"), self.nsp_b)
        nl.addRow(self.nsp_button, self.nsp_result)

        # One scrolling column: figures, warnings and learned examples can outgrow an 800-pixel screen.
        content = QWidget()
        cl = QVBoxLayout(content)
        cl.setContentsMargins(0, 0, 4, 0)
        cl.addWidget(self.warnings)
        cl.addWidget(table_box)
        cl.addWidget(self.probe_box)
        cl.addWidget(self.learned)
        cl.addWidget(play_box, 1)
        cl.addWidget(nsp_box)
        play_box.setMinimumHeight(280)
        scroll = QScrollArea()
        scroll.setObjectName("evaluateScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        self.body.addWidget(scroll, 1)
        self.session.outcome_changed.connect(self._outcome_changed)
        self.session.model_changed.connect(self._forget_models)
        self.session.model_changed.connect(self._mark_base_head)
        for signal in (self.sentence.textChanged, self.nsp_a.textChanged, self.nsp_b.textChanged,
                       self.session.model_changed, self.session.outcome_changed):
            signal.connect(self.recheck_problem)

    # ------------------------------------------------------------ figures
    def _outcome_changed(self) -> None:
        out = self.session.outcome
        # A new run: forget the trained model (its folder may hold new weights), keep the loaded base model.
        base = str(self.session.model_info.path) if self.session.model_info is not None else ""
        self.models = {k: v for k, v in self.models.items() if k == base}
        self._mark_base_head()
        self._offer_nsp_test()
        self.show_insights(explain.Insights([], []), final=False)
        if out is None:
            return
        self.table.show_evals(out.evals)
        if not out.failed:
            provider = self.insights_provider
            self.insight_tasks.start(lambda state: provider(out, state), name="insights", done=self.show_insights,
                                     failed=lambda exc, tb: self.show_insights(explain.Insights([], [])))
        if out.evals:
            self.table_note.setText(self.tr("Held-out documents: never seen in training. Masks are the same "
                                            "before and after, so the figures compare."))
        else:
            self.table_note.setText(self.tr("No evaluation in this run (corpus.eval_share is 0)."))
        if not out.failed:
            self.session.set_step_state(self.key, StepState.READY)

    def _forget_models(self) -> None:
        self.models.clear()

    def run_trained_nsp(self) -> bool | None:
        """Whether the last run trained next sentence prediction (None: no run to ask about)."""
        out = self.session.outcome
        if out is None or out.failed:
            return None
        mode = (out.summary or {}).get("mode")
        return mode != "mlm" if mode else bool(self.session.config.nsp)

    def _offer_nsp_test(self) -> None:
        """An MLM-only run gets no next-sentence test: its NSP head (if any) is the base's, never trained here."""
        mlm_only = self.run_trained_nsp() is False
        form = self.nsp_box.layout()
        assert isinstance(form, QFormLayout)
        form.setRowVisible(self.nsp_note, mlm_only)
        for field in (self.nsp_a, self.nsp_b, self.nsp_button):
            form.setRowVisible(field, not mlm_only)

    def show_insights(self, insights: explain.Insights, final: bool = True) -> None:
        """Warnings on the amber band, learned examples in their box; both hidden when the run gave none (and for
        a finished run whose examples are none, the box says why)."""
        self.insights = insights
        self.warnings.show_warnings(insights.warnings)
        why = self._why_nothing_learned() if final and not insights.learned else ""
        self.learned.show_learned(insights.learned, why)

    def _why_nothing_learned(self) -> str:
        """Why "What the model learned" is empty after a run ("" when no run ended here)."""
        out = self.session.outcome
        if out is None or out.failed or not (out.summary or out.evals):
            return ""
        if not any(e.when == "after" and e.split == "eval" for e in out.evals):
            return self.tr("Nothing to show: this run measured no held-out text of yours (the held-out share is 0, "
                           "or the run stopped before its last measurement).")
        return self.tr("No hidden word of your held-out text is guessed clearly better yet (a word counts when the "
                       "tuned model now guesses it, or gives it at least twice the probability it had). Short runs "
                       "rarely show any: train longer.")

    def base_head_untrained(self) -> bool:
        """The base model's MLM head started at random: from the run (RunStarted / summary) or the loaded model."""
        out = self.session.outcome
        return explain.mlm_head_was_random(
            (out.summary if out is not None else None) or {},
            getattr(self.session, "base_new_heads", None) or [],
            self.session.model_info)

    def _mark_base_head(self) -> None:
        if self.base_head_untrained():
            self.base_table.set_title(self.tr("Base model — head untrained"),
                                      self.tr("Its MLM head starts at random: its guesses mean nothing."))
            self.base_note.setText(self.tr("Head untrained — its guesses mean nothing. The base model's "
                                           "fill-in-the-blank layer was not in its checkpoint and starts at "
                                           "random; compare with the trained model only."))
            self.base_note.show()
        else:
            self.base_table.set_title(self.tr("Base model"))
            self.base_note.hide()

    # ------------------------------------------------------------ playground
    def _show_words(self, text: str) -> None:
        parts = []
        for i, m in enumerate(WORD_RE.finditer(text)):
            w = m.group(0)
            if w == "[MASK]" or not w[0].isalnum():
                parts.append(f"<b>{escape(w)}</b>" if w == "[MASK]" else escape(w))
            else:
                parts.append(f"<a href='{i}'>{escape(w)}</a>")
        self.words.setText(" ".join(parts))

    def mask_word(self, index: str) -> None:
        matches = list(WORD_RE.finditer(self.sentence.text()))
        m = matches[int(index)]
        t = self.sentence.text()
        self.sentence.setText(t[:m.start()] + "[MASK]" + t[m.end():])

    def keep_probe(self, report: Any, file: str, paths: dict[str, str]) -> str:
        """A probe of this run's trained model goes into its folder: its summary and every export's card show it."""
        out = self.session.outcome
        tuned = paths.get("tuned", "")
        if out is None or out.failed or not out.output_dir or not tuned or not Path(tuned).is_dir():
            return ""
        if Path(tuned).resolve() != (Path(out.output_dir) / "final-model").resolve():
            return ""
        from bertgui.results.probe import save_probe

        try:
            save_probe(out.output_dir, report, file, step=(out.summary or {}).get("steps"))
        except OSError as exc:
            return self.tr("Not kept with the run (its folder cannot be written: {0}).").format(
                exc.strerror or exc)
        return self.tr("Kept with the run: its model card shows this result when you export it.")

    def model_paths(self) -> dict[str, str]:
        paths: dict[str, str] = {}
        if self.session.model_info is not None:
            paths["base"] = str(self.session.model_info.path)
        out = self.session.outcome
        if out is not None and not out.failed:
            tuned = playground.trained_model_path(out)
            if not tuned and getattr(out.result, "model", None) is not None:
                tuned = "<trained model in memory>"
            if tuned:
                paths["tuned"] = tuned
        return paths

    def predict(self) -> None:
        text = self.sentence.text().strip()
        paths = self.model_paths()
        if "[MASK]" not in text:
            self.show_problem(message=self.tr("The sentence has no [MASK]."),
                              advice=self.tr("Type [MASK] where a word should be guessed, or click a word."),
                              field=self.sentence, resolved=lambda: "[MASK]" in self.sentence.text())
            return
        if not paths:
            self.show_problem(message=self.tr("No model to ask."), advice=self.tr("Choose a model in step 2."),
                              resolved=lambda: bool(self.model_paths()))
            return
        self.clear_problem()
        k, models = self.top_k.value(), self.models
        self.predict_button.setEnabled(False)

        def done(result: dict[str, Any]) -> None:
            self.predict_button.setEnabled(True)
            self.base_table.show_predictions(result.get("base", []))
            self.tuned_table.show_predictions(result.get("tuned", []))
            self.session.set_step_state(self.key, StepState.DONE)

        def failed(exc: BaseException, tb: str) -> None:
            self.predict_button.setEnabled(True)
            self.show_problem(exc)

        outcome, allow = self.session.outcome, self.session.config.allow_pickle
        self.tasks.start(lambda state: playground.fill_mask_both(models, paths, text, k, state, outcome, allow),
                         name="fill-mask",
                         progress=self.show_progress, done=done, failed=failed, finished=self.hide_progress)

    def check_nsp(self) -> None:
        a, b = self.nsp_a.text().strip(), self.nsp_b.text().strip()
        paths = self.model_paths()
        if not a or not b or not paths:
            missing = self.nsp_a if not a else self.nsp_b if not b else None
            self.show_problem(message=self.tr("Type two sentences, and choose a model first."), field=missing,
                              resolved=lambda: bool(self.nsp_a.text().strip() and self.nsp_b.text().strip()
                                                    and self.model_paths()))
            return
        self.clear_problem()
        models = self.models

        def done(result: dict[str, float | None]) -> None:
            parts = []
            for key, label in (("base", self.tr("base model")), ("tuned", self.tr("trained model"))):
                p = result.get(key)
                if key in result:
                    parts.append(self.tr("{0}: B follows A with probability {1:.1%}").format(label, p)
                                 if p is not None else self.tr("{0}: no next-sentence head").format(label))
            self.nsp_result.setText(self.tr("; ", "between the two models' results").join(parts))

        outcome, allow = self.session.outcome, self.session.config.allow_pickle
        self.nsp_tasks.start(lambda state: playground.nsp_both(models, paths, a, b, state, outcome, allow),
                             name="nsp",
                             done=done, failed=lambda exc, tb: self.show_problem(exc))
