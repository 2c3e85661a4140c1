"""A form generated from ``RunConfig``'s fields: one editor per field, its help text as the tooltip.

Generated, not hand-written, so a field added to the config appears in the window with its range, choices and
help without touching the GUI. Values are checked by ``RunConfig.validate()`` — the same messages the CLI prints.
"""

from __future__ import annotations

import dataclasses
from typing import Any, get_type_hints

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from bertgui.config import RunConfig, fields_by_section, toml_name
from bertgui.errors import ConfigError
from bertgui.gui.messages import localize

INT_LIMIT = 2**31 - 1


# Every label literally, so pyside6-lupdate extracts them for translators (context "ConfigField"); a field added
# later still gets a readable label from its name.
FIELD_LABELS = {
    "corpus": QT_TRANSLATE_NOOP("ConfigField", "Corpus files"),
    "text_column": QT_TRANSLATE_NOOP("ConfigField", "Text column"),
    "documents": QT_TRANSLATE_NOOP("ConfigField", "Documents"),
    "encoding": QT_TRANSLATE_NOOP("ConfigField", "Encoding"),
    "eval_share": QT_TRANSLATE_NOOP("ConfigField", "Held-out share"),
    "general_corpus": QT_TRANSLATE_NOOP("ConfigField", "General text (forgetting)"),
    "general_sample": QT_TRANSLATE_NOOP("ConfigField", "Bundled general sample"),
    "model": QT_TRANSLATE_NOOP("ConfigField", "Base model"),
    "allow_pickle": QT_TRANSLATE_NOOP("ConfigField", "Allow pickle weights"),
    "output_dir": QT_TRANSLATE_NOOP("ConfigField", "Output folder"),
    "nsp": QT_TRANSLATE_NOOP("ConfigField", "NSP (next sentence prediction)"),
    "mlm_probability": QT_TRANSLATE_NOOP("ConfigField", "MLM probability"),
    "mask_replace_prob": QT_TRANSLATE_NOOP("ConfigField", "Selected → [MASK]"),
    "random_replace_prob": QT_TRANSLATE_NOOP("ConfigField", "Selected → random token"),
    "whole_word_masking": QT_TRANSLATE_NOOP("ConfigField", "Whole word masking"),
    "max_seq_length": QT_TRANSLATE_NOOP("ConfigField", "Max sequence length"),
    "short_seq_prob": QT_TRANSLATE_NOOP("ConfigField", "Short sequence share"),
    "mlm_cross_documents": QT_TRANSLATE_NOOP("ConfigField", "MLM only: sequences across documents"),
    "chinese_word_segmentation": QT_TRANSLATE_NOOP("ConfigField", "Chinese word segmentation"),
    "batch_size": QT_TRANSLATE_NOOP("ConfigField", "Batch size"),
    "tokens_per_step": QT_TRANSLATE_NOOP("ConfigField", "Tokens per step"),
    "gradient_accumulation": QT_TRANSLATE_NOOP("ConfigField", "Gradient accumulation"),
    "learning_rate": QT_TRANSLATE_NOOP("ConfigField", "Learning rate"),
    "weight_decay": QT_TRANSLATE_NOOP("ConfigField", "Weight decay"),
    "schedule": QT_TRANSLATE_NOOP("ConfigField", "Schedule"),
    "warmup_ratio": QT_TRANSLATE_NOOP("ConfigField", "Warmup ratio"),
    "epochs": QT_TRANSLATE_NOOP("ConfigField", "Epochs"),
    "max_steps": QT_TRANSLATE_NOOP("ConfigField", "Max steps"),
    "max_grad_norm": QT_TRANSLATE_NOOP("ConfigField", "Max grad norm"),
    "seed": QT_TRANSLATE_NOOP("ConfigField", "Seed"),
    "device": QT_TRANSLATE_NOOP("ConfigField", "Device"),
    "precision": QT_TRANSLATE_NOOP("ConfigField", "Precision"),
    "checkpoint_every": QT_TRANSLATE_NOOP("ConfigField", "Checkpoint every"),
    "keep_checkpoints": QT_TRANSLATE_NOOP("ConfigField", "Keep checkpoints"),
    "eval_every": QT_TRANSLATE_NOOP("ConfigField", "Evaluate every"),
    "log_every": QT_TRANSLATE_NOOP("ConfigField", "Log every"),
    "fast_mlm_head": QT_TRANSLATE_NOOP("ConfigField", "Fast MLM head"),
    "torch_compile": QT_TRANSLATE_NOOP("ConfigField", "torch.compile"),
    "padding_free": QT_TRANSLATE_NOOP("ConfigField", "Padding-free batches (GPU)"),
    "dataloader_workers": QT_TRANSLATE_NOOP("ConfigField", "Data loader workers"),
    "vocab_add": QT_TRANSLATE_NOOP("ConfigField", "Add words to vocabulary"),
    "vocab_reuse_unused": QT_TRANSLATE_NOOP("ConfigField", "Reuse [unused] slots"),
    "group_by_length": QT_TRANSLATE_NOOP("ConfigField", "Group by length"),
    "attention_dropout": QT_TRANSLATE_NOOP("ConfigField", "Attention dropout"),
    "forward_token_budget": QT_TRANSLATE_NOOP("ConfigField", "Tokens per forward pass"),
    # Keys of the time-budget core (issue 14); labelled here so they read well the day they appear in the form.
    "time_budget": QT_TRANSLATE_NOOP("ConfigField", "Time budget"),
    "nsp_balanced": QT_TRANSLATE_NOOP("ConfigField", "Balanced NSP (about half random B)"),
    "head_warmup_share": QT_TRANSLATE_NOOP("ConfigField", "Share of the time for fitting new heads"),
    "fresh_head_lr_scale": QT_TRANSLATE_NOOP("ConfigField", "Learning rate of new heads (× the rate)"),
    "headless_lr_scale": QT_TRANSLATE_NOOP("ConfigField", "Learning rate without an MLM head (× the rate)"),
    "replay_share": QT_TRANSLATE_NOOP("ConfigField", "General-text replay share"),
}


def field_label(name: str) -> str:
    """The field's label in the user's language ('learning_rate' → 'Learning rate')."""
    text = FIELD_LABELS.get(name) or name.replace("_", " ").capitalize()
    return QCoreApplication.translate("ConfigField", text)


def field_help(f: dataclasses.Field) -> str:
    return QCoreApplication.translate("RunConfig", f.metadata["help"])


# The English label is the value itself (what the tooltips and the TOML say); translators give the words.
CHOICE_LABELS = {
    "linear": QT_TRANSLATE_NOOP("ConfigChoice", "linear"),
    "cosine": QT_TRANSLATE_NOOP("ConfigChoice", "cosine"),
    "constant_with_warmup": QT_TRANSLATE_NOOP("ConfigChoice", "constant_with_warmup"),
    "auto": QT_TRANSLATE_NOOP("ConfigChoice", "auto"),
    "fp32": QT_TRANSLATE_NOOP("ConfigChoice", "fp32"),
    "bf16": QT_TRANSLATE_NOOP("ConfigChoice", "bf16"),
    "fp16": QT_TRANSLATE_NOOP("ConfigChoice", "fp16"),
    "blank-line": QT_TRANSLATE_NOOP("ConfigChoice", "blank-line"),
    "line": QT_TRANSLATE_NOOP("ConfigChoice", "line"),
    "file": QT_TRANSLATE_NOOP("ConfigChoice", "file"),
}


def choice_label(value: str) -> str:
    """A choice's label in the user's language; the config keeps the value (``linear``, ``auto``) as item data."""
    text = CHOICE_LABELS.get(value)
    return QCoreApplication.translate("ConfigChoice", text) if text else value


def section_title(section: str) -> str:
    translate = QCoreApplication.translate
    return {"corpus": translate("ConfigForm", "Corpus"), "model": translate("ConfigForm", "Model and output"),
            "masking": translate("ConfigForm", "Pairs and masking"), "training": translate("ConfigForm", "Training"),
            "vocab": translate("ConfigForm", "Vocabulary")}.get(section, section)


class ConfigForm(QWidget):
    """Editors for some of the config's fields; ``changed`` fires after an edit that validates."""

    changed = Signal()

    def __init__(self, sections: list[str], exclude: set[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._hints = get_type_hints(RunConfig)
        self.editors: dict[str, QWidget] = {}
        self.groups: dict[str, QGroupBox] = {}
        self._loading = False
        self.bad_field: str | None = None  # the field whose value the error line is about
        self._config = RunConfig()
        exclude = exclude or set()
        by_section = fields_by_section()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        for section in sections:
            box = QGroupBox(section_title(section))
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            for f in by_section[section]:
                if f.name in exclude:
                    continue
                editor = self._make_editor(f)
                editor.setObjectName(f"field_{f.name}")
                editor.setToolTip(field_help(f))
                label = QLabel(field_label(f.name))
                label.setToolTip(field_help(f))
                label.setBuddy(editor)
                form.addRow(label, editor)
                self.editors[f.name] = editor
            self.groups[section] = box
            outer.addWidget(box)
        self.error = QLabel()
        self.error.setObjectName("configError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d93025;")
        self.error.hide()
        outer.addWidget(self.error)
        outer.addStretch(1)

    # ---------------------------------------------------------------- editors
    def _make_editor(self, f: dataclasses.Field) -> QWidget:
        hint = self._hints[f.name]
        meta = f.metadata
        if "choices" in meta:
            w = QComboBox()
            for choice in meta["choices"]:  # the value stays the item's data; the person reads their language
                w.addItem(choice_label(choice), choice)
            w.currentIndexChanged.connect(self._edited)
            return w
        if hint is bool:
            w = QCheckBox()
            w.toggled.connect(self._edited)
            return w
        if hint is int and meta.get("max", INT_LIMIT) <= INT_LIMIT:
            w = QSpinBox()
            w.setRange(int(meta.get("min", 0)), int(meta.get("max", INT_LIMIT)))
            w.setKeyboardTracking(False)
            w.setMinimumWidth(110)
            w.valueChanged.connect(self._edited)
            return w
        w = QLineEdit()
        w.editingFinished.connect(self._edited)
        if hint is float or hint is int:
            w.setMaximumWidth(160)
        return w

    def _value(self, name: str) -> Any:
        w = self.editors[name]
        hint = self._hints[name]
        if isinstance(w, QComboBox):
            data = w.currentData()
            return data if data is not None else w.currentText()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox):
            return w.value()
        text = w.text().strip()
        if hint == list[str]:
            return [t.strip() for t in text.split(",") if t.strip()]
        if hint is float or hint is int:
            try:
                value = float(text.replace(",", "."))
            except ValueError:
                raise ConfigError(QCoreApplication.translate("ConfigForm", "{0}: {1!r} is not a number.")
                                  .format(field_label(name), text)) from None
            return int(value) if hint is int and value.is_integer() else value
        return text

    def _show(self, name: str, value: Any) -> None:
        w = self.editors[name]
        if isinstance(w, QComboBox):
            i = w.findData(str(value))
            if i >= 0:
                w.setCurrentIndex(i)
            else:
                w.setCurrentText(str(value))
        elif isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(value, list):
            w.setText(", ".join(value))
        elif isinstance(value, float):
            w.setText(f"{value:g}")
        else:
            w.setText(str(value))

    # ---------------------------------------------------------------- config in and out
    def set_config(self, config: RunConfig) -> None:
        self._loading = True
        try:
            self._config = config
            for name in self.editors:
                self._show(name, getattr(config, name))
        finally:
            self._loading = False
        self._set_error(None)

    def config(self) -> RunConfig:
        """The shown values on top of the last config given; raises ConfigError naming the key."""
        changes = {}
        for name in self.editors:
            try:
                changes[name] = self._value(name)
            except ConfigError as exc:
                exc.field = name  # type: ignore[attr-defined] - which editor to outline
                raise
        return self._config.replace(**changes)

    def field_of(self, exc: ConfigError) -> str | None:
        """The field an error is about: the one that failed to parse, or the ``section.key`` its message names."""
        named = getattr(exc, "field", None)
        if named in self.editors:
            return named
        message = str(exc.message)
        hits = [name for name in self.editors
                if toml_name(RunConfig.__dataclass_fields__[name]) in message]
        return max(hits, key=lambda n: len(toml_name(RunConfig.__dataclass_fields__[n])), default=None)

    def is_valid(self) -> bool:
        try:
            self.config()
        except ConfigError:
            return False
        return True

    def _set_error(self, exc: ConfigError | None) -> None:
        from bertgui.gui.pages.base import mark_field

        if self.bad_field is not None:
            mark_field(self.editors[self.bad_field], False)
        self.bad_field = None
        if exc is None:
            self.error.hide()
            self.error.clear()
            return
        self.bad_field = self.field_of(exc)
        if self.bad_field is not None:
            mark_field(self.editors[self.bad_field], True)
        self.error.setText(localize(exc.message))
        self.error.show()

    def _edited(self, *_: Any) -> None:
        if self._loading:
            return
        try:
            self._config = self.config()
        except ConfigError as exc:
            self._set_error(exc)
            return
        self._set_error(None)
        self.changed.emit()

    def current(self) -> RunConfig:
        return self._config
