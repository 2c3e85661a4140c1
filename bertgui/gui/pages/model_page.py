"""Step 2, the base model: from the Hugging Face cache, a folder, a hub id, or a new small one from the corpus.

Resolving reads config and weight headers; loading the weights once tells which heads the checkpoint lacks (they
start at random). Both run in a worker. Pickle-only weights are refused by the core until the person agrees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from bertgui.gui import settings
from bertgui.gui.messages import localize
from bertgui.gui.pages.base import Page
from bertgui.gui.steps import StepState
from bertgui.gui.widgets.vocab_panel import VocabularyPanel
from bertgui.gui.work.session import Session
from bertgui.gui.work.tasks import TaskSlot, TaskState, warm_imports


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def inspect_and_load(name: str, allow_pickle: bool, state: TaskState) -> dict[str, Any]:
    """Worker: resolve, then load once to learn the new heads; keeps only the tokenizer.

    A local folder is checked first, in plain Python (config, code of its own, weights, tokenizer files, pickle):
    importing torch and transformers takes seconds, minutes on a busy machine, and a folder that is refused
    anyway must not wait for it. The window once sat at "Reading …" for minutes on such folders.
    """
    from bertgui.model.loading import load_model, quick_check, resolve_model

    translate = QCoreApplication.translate
    state.set_progress(0, 0, translate("ModelPage", "Reading the model's configuration…"))
    quick_check(name, allow_pickle=allow_pickle)
    warm_imports()
    state.check()
    info = resolve_model(name, allow_pickle=allow_pickle,
                         progress=lambda d, t, m: state.set_progress(d, t, m))
    state.check()
    state.set_progress(0, 0, translate("ModelPage", "Loading the weights to check which heads are present…"))
    loaded = load_model(info, nsp=info.can_nsp, allow_pickle=allow_pickle)
    return {"info": info, "tokenizer": loaded.tokenizer, "new_heads": loaded.new_heads, "mode": loaded.mode}


class ModelPage(Page):
    key = "model"

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("Model"), self.tr(
            "Choose the model to continue training: one already downloaded, a folder, or a Hugging Face hub id. "
            "Without internet, create a small new model from your corpus to try the whole flow."), parent)
        self.new_heads: list[str] = []
        self._cache_scanned = False
        self.cache_tasks = TaskSlot(self)  # the cache scan must not cancel a model load

        # Cached models.
        self.cached = QListWidget()
        self.cached.setObjectName("cachedModels")
        self.cached.itemActivated.connect(lambda item: self.choose(item.data(Qt.ItemDataRole.UserRole)))
        self.cached_note = QLabel()
        self.cached_note.setWordWrap(True)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh_cache)
        use_cached = QPushButton(self.tr("Use selected"))
        use_cached.clicked.connect(self._use_selected)
        cache_box = QGroupBox(self.tr("Models in the local Hugging Face cache"))
        cl = QVBoxLayout(cache_box)
        cl.addWidget(self.cached, 1)
        cl.addWidget(self.cached_note)
        row = QHBoxLayout()
        row.addWidget(refresh)
        row.addStretch(1)
        row.addWidget(use_cached)
        cl.addLayout(row)

        # Folder or hub id.
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("modelName")
        self.name_edit.setPlaceholderText(self.tr("hub id (google-bert/bert-base-uncased) or folder path"))
        self.name_edit.returnPressed.connect(lambda: self.choose(self.name_edit.text()))
        use = QPushButton(self.tr("Use"))
        use.clicked.connect(lambda: self.choose(self.name_edit.text()))
        browse = QPushButton(self.tr("Choose folder…"))
        browse.setObjectName("chooseModelFolder")
        browse.clicked.connect(self._browse)
        where_box = QGroupBox(self.tr("A folder or a hub id"))
        wl = QVBoxLayout(where_box)
        r = QHBoxLayout()
        r.addWidget(self.name_edit, 1)
        r.addWidget(use)
        wl.addLayout(r)
        wl.addWidget(browse, 0, Qt.AlignmentFlag.AlignLeft)
        self.recent = QListWidget()
        self.recent.setObjectName("recentModels")
        self.recent.setMaximumHeight(90)
        self.recent.itemActivated.connect(lambda item: self.choose(item.text()))
        wl.addWidget(QLabel(self.tr("Recent (double-click to use):")))
        wl.addWidget(self.recent)

        # New small model.
        new_box = QGroupBox(self.tr("New small model from this corpus"))
        new_box.setToolTip(self.tr("A randomly initialised BERT whose vocabulary is learnt from your corpus: no "
                                   "download, trains in minutes on a CPU, for trying the flow."))
        nl = QFormLayout(new_box)
        self.new_layers = QSpinBox()
        self.new_layers.setRange(1, 24)
        self.new_layers.setValue(2)
        self.new_hidden = QSpinBox()
        self.new_hidden.setRange(32, 1024)
        self.new_hidden.setSingleStep(32)
        self.new_hidden.setValue(64)
        self.new_vocab = QSpinBox()
        self.new_vocab.setRange(100, 100000)
        self.new_vocab.setSingleStep(500)
        self.new_vocab.setValue(2000)
        self.new_output = QLineEdit()
        self.new_output.setObjectName("newModelFolder")
        nl.addRow(self.tr("Layers"), self.new_layers)
        nl.addRow(self.tr("Hidden size"), self.new_hidden)
        nl.addRow(self.tr("Vocabulary size"), self.new_vocab)
        nl.addRow(self.tr("Folder"), self.new_output)
        self.create_button = QPushButton(self.tr("Create new model"))
        self.create_button.setObjectName("createModel")
        self.create_button.clicked.connect(self.create_new_model)
        nl.addRow(self.create_button)

        # What was found.
        self.info = QLabel(self.tr("No model chosen yet."))
        self.info.setObjectName("modelInfo")
        self.info.setWordWrap(True)
        self.info.setTextFormat(Qt.TextFormat.RichText)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setAlignment(Qt.AlignmentFlag.AlignTop)
        info_box = QGroupBox(self.tr("What was found"))
        QVBoxLayout(info_box).addWidget(self.info)

        left = QVBoxLayout()
        left.addWidget(cache_box, 1)
        left.addWidget(where_box)
        right = QVBoxLayout()
        right.addWidget(info_box, 1)
        right.addWidget(new_box)
        cols = QHBoxLayout()
        cols.addLayout(left, 1)
        cols.addLayout(right, 1)
        # Two tabs: the model itself, and its vocabulary against the corpus (needs both chosen).
        model_tab = QWidget()
        model_tab.setLayout(cols)
        cols.setContentsMargins(6, 6, 6, 6)
        self.vocabulary = VocabularyPanel(self.session)
        self.vocabulary.progress.connect(self.show_progress)
        self.vocabulary.idle.connect(self.hide_progress)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("modelTabs")
        self.tabs.addTab(model_tab, self.tr("Model"))
        self.tabs.addTab(self.vocabulary, self.tr("Vocabulary"))
        self.body.addWidget(self.tabs, 1)
        self.tabs.currentChanged.connect(self._tab_changed)
        self._update_vocab_tab()

        self.session.corpus_changed.connect(self._update_vocab_tab)
        self.session.model_changed.connect(self._update_vocab_tab)
        self.session.corpus_changed.connect(self._suggest_output)
        self._suggest_output()
        self._fill_recent()

    def _update_vocab_tab(self) -> None:
        ready = self.vocabulary.ready()
        self.tabs.setTabEnabled(1, ready)
        self.tabs.setTabToolTip(1, "" if ready else self.tr("Choose a corpus and a model first."))

    def _tab_changed(self, index: int) -> None:
        """Opening the Vocabulary tab finds the candidates, once per corpus and model."""
        panel = self.vocabulary
        if self.tabs.widget(index) is panel and panel.ready() and not panel.candidates \
                and not panel.mine_tasks.busy():
            panel.find()

    def show_vocabulary(self) -> None:
        self.tabs.setCurrentWidget(self.vocabulary)

    def shutdown(self, ms: int = 30000) -> None:
        self.vocabulary.shutdown(ms)
        super().shutdown(ms)

    # ------------------------------------------------------------ the cache list
    def entered(self) -> None:
        if not self._cache_scanned:
            self._cache_scanned = True
            self.refresh_cache()

    def refresh_cache(self) -> None:
        from bertgui.model.loading import list_cached_models

        self.cached.clear()
        self.cached_note.setText(self.tr("Looking through the cache…"))
        self.cache_tasks.start(lambda state: (warm_imports(), list_cached_models())[1], name="cache-scan", done=self._show_cache,
                         failed=lambda exc, tb: self.cached_note.setText(str(exc)))

    def _show_cache(self, models: list[Any]) -> None:
        self.cached.clear()
        for m in models:
            what = "MLM + NSP" if "mlm+nsp" in m.modes else "MLM"
            item = QListWidgetItem(f"{m.repo_id}   ({m.model_type}, {what}, {_size(m.size_bytes)})")
            item.setData(Qt.ItemDataRole.UserRole, m.repo_id)
            self.cached.addItem(item)
        self.cached_note.setText(self.tr("{0} usable models found.").format(len(models)) if models else self.tr(
            "No fill-mask models in the cache. Choose a folder, type a hub id (needs internet once), or create a "
            "small new model below."))

    def _use_selected(self) -> None:
        item = self.cached.currentItem()
        if item is not None:
            self.choose(item.data(Qt.ItemDataRole.UserRole))

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder"),
                                                settings.get("last/model_folder", str(Path.home())))
        if path:
            settings.put("last/model_folder", str(Path(path).parent))
            self.choose(path)

    def _fill_recent(self) -> None:
        self.recent.clear()
        self.recent.addItems(settings.recent("models"))

    # ------------------------------------------------------------ choosing
    def choose(self, name: str, *, allow_pickle: bool | None = None) -> None:
        name = (name or "").strip()
        if not name:
            return
        allow = self.session.config.allow_pickle if allow_pickle is None else allow_pickle
        self.name_edit.setText(name)
        self.clear_problem()
        self.info.setText(self.tr("Reading {0}…").format(name))
        self.session.set_step_state(self.key, StepState.READY)
        self.tasks.start(lambda state: inspect_and_load(name, allow, state), name="model-load",
                         progress=self.show_progress, done=lambda r: self._loaded(r, allow),
                         failed=lambda exc, tb: self._failed(name, exc), finished=self.hide_progress)

    def _loaded(self, result: dict[str, Any], allow_pickle: bool) -> None:
        info = result["info"]
        self.new_heads = list(result["new_heads"])
        self.session.base_new_heads = list(self.new_heads)  # the Evaluate page marks a random MLM head
        self.session.set_model(info, result["tokenizer"], allow_pickle=allow_pickle or None)
        settings.push_recent("models", info.name)
        self._fill_recent()
        self.info.setText(self.describe(info, self.new_heads))
        self.session.set_step_state(self.key, StepState.DONE)

    def describe(self, info: Any, new_heads: list[str]) -> str:
        params = (self.tr("{0:.1f} M parameters").format(info.num_parameters / 1e6) if info.num_parameters
                  else self.tr("size unknown"))
        modes = self.tr("MLM + NSP (masked words and next sentence)") if info.can_nsp else self.tr(
            "MLM only (masked words; this architecture has no next-sentence head)")
        fresh = [h for h in new_heads if h in ("MLM head", "NSP head")]
        if fresh:
            heads = self.tr("not in the checkpoint: {0}. bertgui fits them first on your text with the rest of the "
                            "model frozen ({1}), then trains the whole model; the figures before training are "
                            "taken with the fitted heads.").format(", ".join(new_heads), self._head_time())
        elif new_heads:
            heads = self.tr("start at random (not in the checkpoint): {0}").format(", ".join(new_heads))
        else:
            heads = self.tr("all present in the checkpoint")
        rows = [
            (self.tr("Model"), info.name),
            (self.tr("Source"), {"folder": self.tr("local folder"), "cache": self.tr("Hugging Face cache"),
                                 "hub": self.tr("downloaded from the hub")}.get(info.source, info.source)),
            (self.tr("Architecture"), f"{info.model_type} ({', '.join(info.architectures) or '–'})"),
            (self.tr("Size"), f"{params}, {info.num_layers} × {info.hidden_size}, {_size(info.size_bytes)} "
                              f"({info.weights_format})"),
            (self.tr("Vocabulary"), f"{info.vocab_size:,}"),
            (self.tr("Longest input"), self.tr("{0} tokens").format(info.max_positions)),
            (self.tr("Can train"), modes),
            (self.tr("Heads"), heads),
            (self.tr("Folder"), str(info.path)),
        ]
        from html import escape

        return "<table cellspacing=4>" + "".join(
            f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in rows) + "</table>"

    def _head_time(self) -> str:
        """How long the head phase takes here: its share of the time budget, or at most two minutes."""
        from bertgui.config import parse_duration

        config = self.session.config
        share = float(getattr(config, "head_warmup_share", 0.0) or 0.0)
        try:
            budget = parse_duration(getattr(config, "time_budget", "0"), name="training.time_budget")
        except Exception:  # noqa: BLE001 - a bad budget is the Train page's message
            budget = 0.0
        if budget > 0:
            return self.tr("about {0:.0f} s of a {1:.0f}-minute run").format(share * budget, budget / 60)
        return self.tr("up to 2 minutes; sooner when the heads stop improving")

    def _failed(self, name: str, exc: BaseException) -> None:
        from bertgui.model.loading import PickleWeightsRefused

        if isinstance(exc, PickleWeightsRefused):
            self._ask_pickle(name, exc)
            return
        self.info.setText(self.tr("No model loaded."))
        self.show_problem(exc)
        self.session.set_model(None)
        self.session.set_step_state(self.key, StepState.PROBLEM)

    def _ask_pickle(self, name: str, exc: BaseException) -> None:
        message = localize(getattr(exc, "message", None) or str(exc))
        box = QMessageBox(QMessageBox.Icon.Warning, self.tr("Pickle weights"), message,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("pickleQuestion")
        box.setInformativeText(self.tr(
            "Pickle files can run code on this computer when loaded. bertgui reads them with torch's safe loader, "
            "which refuses anything but tensors, yet that loader has had flaws. Load them only if you trust where "
            "the model came from. Load this model?"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.setEscapeButton(QMessageBox.StandardButton.No)
        box.finished.connect(lambda r: self._pickle_answer(name, exc, r))
        self.pickle_question = box
        self.info.setText(self.tr("{0} has only pickle weights: waiting for your answer.").format(name))
        box.open()

    def _pickle_answer(self, name: str, exc: BaseException, result: int) -> None:
        if result == QMessageBox.StandardButton.Yes:
            self.choose(name, allow_pickle=True)
        else:
            self.info.setText(self.tr("No model loaded."))
            self.show_problem(exc)
            self.session.set_step_state(self.key, StepState.PROBLEM)

    # ------------------------------------------------------------ new small model
    def _suggest_output(self) -> None:
        base = Path(self.session.config.output_dir or "bertgui-output").expanduser().resolve()
        target, n = base / "new-small-model", 2
        while target.exists() and any(target.iterdir()):  # never overwrite: a fresh name instead
            target, n = base / f"new-small-model-{n}", n + 1
        self.new_output.setText(str(target))

    def create_new_model(self) -> None:
        from bertgui.model.new import NewModelSpec, create_model

        cfg = self.session.config
        if not cfg.corpus:
            self.show_problem(message=self.tr("Choose a corpus first."),
                              advice=self.tr("The new model's vocabulary is learnt from your corpus (step 1)."))
            return
        out = self.new_output.text().strip()
        spec = NewModelSpec(layers=self.new_layers.value(), hidden=self.new_hidden.value(),
                            vocab_size=self.new_vocab.value())
        corpus, documents, column = list(cfg.corpus), cfg.documents, cfg.text_column
        self.clear_problem()
        self.create_button.setEnabled(False)

        def work(state: TaskState) -> str:
            warm_imports()
            create_model(corpus, out, spec, documents=documents, text_column=column,
                         progress=lambda msg: state.set_progress(0, 0, msg))
            return out

        def done(path: str) -> None:
            self.create_button.setEnabled(True)
            self._suggest_output()
            self.choose(path)

        def failed(exc: BaseException, tb: str) -> None:
            self.create_button.setEnabled(True)
            self.hide_progress()
            self.show_problem(exc)
            self.session.set_step_state(self.key, StepState.PROBLEM)

        self.tasks.start(work, name="new-model", progress=self.show_progress, done=done, failed=failed)
