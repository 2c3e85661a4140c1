"""The run configuration: one dataclass shared by the GUI, the CLI and the exported model card.

Every field carries its TOML section and a help text in its metadata; the GUI shows the help as tooltips,
``bertgui train --help`` prints it, and the model card lists the values. Defaults are what a careful practitioner
picks for domain-adaptive pre-training of a BERT-base on a modest corpus (Gururangan et al. 2020 "Don't stop
pretraining"; Devlin et al. 2019): short sequences for most of the compute, a small learning rate with warmup so the
general knowledge is not washed out, and dynamic whole-word masking.
"""

from __future__ import annotations

import codecs
import dataclasses
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_type_hints

import tomli_w

from bertgui.errors import ConfigError
from bertgui.text import text

SCHEDULES = ("linear", "cosine", "constant_with_warmup")
PRECISIONS = ("auto", "fp32", "bf16", "fp16")
DOCUMENT_MODES = ("auto", "blank-line", "line", "file")


def _f(default: Any, section: str, help: str, *, key: str | None = None, **kw: Any) -> Any:
    meta = {"section": section, "help": help, "key": key, **kw}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass
class RunConfig:
    """Everything that defines one continued pre-training run."""

    # [corpus]
    corpus: list[str] = _f(
        [], "corpus",
        "Text files (.txt, .md, .csv, .tsv, .jsonl) or folders of them. The text you want the model to learn.",
        key="paths")
    text_column: str = _f(
        "text", "corpus", "For .csv, .tsv and .jsonl files: the column that holds the text (one row = one document).")
    documents: str = _f(
        "auto", "corpus",
        "How text files split into documents. 'blank-line': a blank line ends a document; 'line': every line is a "
        "document; 'file': a file is one document; 'auto': blank lines if the file has any, else one per line. "
        "NSP pairs sentences within a document, so this matters.", choices=DOCUMENT_MODES)
    encoding: str = _f(
        "auto", "corpus",
        "Character encoding of the corpus files. 'auto': UTF-8 when the file is valid UTF-8, else a guess "
        "(Windows-1252/latin-1 for Western European text unless another code page reads clearly better; GB18030 "
        "for Chinese …) that the Corpus page and 'bertgui preview' show, with a warning when it is weak. Or any "
        "encoding name Python knows: latin-1, cp1252, cp1250, cp1257, gb18030, shift_jis, utf-16 ….")
    eval_share: float = _f(
        0.05, "corpus",
        "Share of documents held out (whole documents, never single sentences) to measure perplexity and accuracy "
        "before and after training. 0 turns evaluation off.", min=0.0, max=0.5)
    general_corpus: str = _f(
        "", "corpus",
        "Optional general-domain text (e.g. news or Wikipedia). Evaluated before and after to show how much general "
        "knowledge the model forgets, and mixed into training (see replay_share).")
    general_sample: bool = _f(
        True, "corpus",
        "When no general-text file is given and your text is English, use a general English sample built from the "
        "documentation of Python's standard library on this computer (about 200 KB) to measure and limit "
        "forgetting. A general file of your own (news, Wikipedia) guards better.")
    replay_share: float = _f(
        0.25, "corpus",
        "Share of the training text drawn from the general text (replay), so the model keeps what it knew while it "
        "learns your text. Used when a general-text file or the general sample is in use; 0 turns replay off.",
        min=0.0, max=0.9)

    # [model]
    model: str = _f(
        "google-bert/bert-base-uncased", "model",
        "The model to start from: a local folder, or a Hugging Face hub id (downloaded once when online).",
        key="base")
    allow_pickle: bool = _f(
        False, "model",
        "Allow loading weights from pickle files (.bin/.pt). Pickle can run code when loaded: only for models you "
        "trust. Off: only .safetensors weights are read.")
    output_dir: str = _f(
        "bertgui-output", "model", "Folder for checkpoints, logs and the exported model.", key="output")

    # [masking]
    nsp: bool = _f(
        True, "masking",
        "Train next sentence prediction beside masked language modelling (BERT models only). Off: MLM only, for "
        "any masked-language model or a corpus without multi-sentence documents.")
    nsp_balanced: bool = _f(
        True, "masking",
        "Keep about half of the sentence pairs 'B follows A': a one-sentence chunk takes the next sentences of its "
        "document as B instead of always a random one. Off: Google's original recipe, which gives 70 % or more "
        "random pairs on corpora of short documents, so the model can score well by always guessing 'random'.")
    mlm_probability: float = _f(
        0.15, "masking", "Share of tokens the model must predict in each sequence (BERT used 0.15).",
        min=0.01, max=0.8)
    mask_replace_prob: float = _f(
        0.8, "masking", "Of the selected tokens: the share replaced by [MASK] (BERT: 0.8).", min=0.0, max=1.0)
    random_replace_prob: float = _f(
        0.1, "masking",
        "Of the selected tokens: the share replaced by a random token (BERT: 0.1). The rest stay unchanged.",
        min=0.0, max=1.0)
    whole_word_masking: bool = _f(
        True, "masking",
        "Select whole words: all pieces of 'st ##oic ##ism' are masked together, so the model cannot guess a piece "
        "from its neighbours. Chinese uses a word segmenter when one is installed.")
    max_seq_length: int = _f(
        128, "masking",
        "Longest sequence in tokens, [CLS] and [SEP] included. 128 is about 4× cheaper than 512 per token and "
        "enough for most domain adaptation; use 512 for long-range documents.", min=16, max=8192)
    short_seq_prob: float = _f(
        0.1, "masking",
        "Probability of a shorter random target length for a training sequence, so the model also sees short "
        "inputs (Google's recipe: 0.1).", min=0.0, max=1.0)
    mlm_cross_documents: bool = _f(
        False, "masking",
        "MLM only (NSP off): let a training sequence run on from one document into the next, as Hugging Face's "
        "run_mlm joins all text into full blocks, so sequences fill max_seq_length even on a corpus of short "
        "paragraphs (less padding, more context). Off: each sequence stays within one document. NSP pairs never "
        "cross documents.")
    chinese_word_segmentation: bool = _f(
        True, "masking",
        "For Chinese text: find word boundaries with the jieba segmenter (when installed) so whole-word masking "
        "masks all characters of a word together, as Chinese-BERT-wwm did. Off, or without jieba: each "
        "character is its own word.")

    # [training]
    batch_size: int = _f(32, "training", "Sequences per step on each device.", min=1, max=65536)
    tokens_per_step: int = _f(
        0, "training",
        "Real tokens (padding not counted) per optimizer step, over all devices and accumulated batches: each "
        "batch takes as many sequences as fit, so a corpus of short documents does not make steps expensive per "
        "token, and a step is the same amount of text on every machine. Replaces batch_size when set; at least "
        "max_seq_length × gradient_accumulation. 0: off (batch_size sequences per step).", min=0, max=10**9)
    gradient_accumulation: int = _f(
        1, "training", "Steps whose gradients are summed before one optimizer update: a larger effective batch "
        "without more memory.", min=1, max=4096)
    learning_rate: float = _f(
        5e-5, "training",
        "Peak learning rate. 5e-5 adapts a pre-trained BERT without erasing what it knew; 1e-4 for a model "
        "trained from scratch.", min=0.0, max=1.0, exclusive_min=True)
    weight_decay: float = _f(0.01, "training", "AdamW weight decay (BERT: 0.01).", min=0.0, max=1.0)
    schedule: str = _f(
        "linear", "training", "Learning-rate schedule after warmup.", choices=SCHEDULES)
    warmup_ratio: float = _f(
        0.06, "training", "Share of the steps spent warming the learning rate up from 0.", min=0.0, max=0.5)
    epochs: float = _f(
        3.0, "training",
        "Passes over the corpus. Each pass builds new NSP pairs and new masks. Ignored when max_steps is set.",
        min=0.0, max=10000.0, exclusive_min=True)
    max_steps: int = _f(
        0, "training", "Stop after this many optimizer steps (0: use epochs).", min=0, max=10**9)
    time_budget: str = _f(
        "0", "training",
        "How long the run may take, evaluation and saving included: seconds or '10m', '1h', '1h30m'. A few probe "
        "steps measure this machine's speed and the steps are planned to fit. '0': off (use epochs or max_steps).")
    head_warmup_share: float = _f(
        0.3, "training",
        "When the base model has no MLM or NSP head (a sentence-transformers model): share of the time budget for "
        "fitting the new heads first, on the frozen model, at a new layer's learning rate (without a time budget: "
        "at most 2 minutes; it ends sooner when the heads stop improving). 0 turns this off.",
        min=0.0, max=0.9)
    fresh_head_lr_scale: float = _f(
        20.0, "training",
        "Learning rate of the heads the base model came without, as a multiple of the learning rate, while the "
        "whole model trains: a new layer keeps learning at a new layer's pace (20 × 5e-5 = 1e-3). 1: the same rate.",
        min=0.0, max=1000.0)
    headless_lr_scale: float = _f(
        2.0, "training",
        "When the base model has no MLM head (a sentence-transformers model): the whole model trains at this "
        "multiple of the learning rate. Its encoder was tuned for another task and must learn to fill in words "
        "again (measured on 2 CPU cores, 5 minutes from all-MiniLM-L6-v2: 2 × 5e-5 reached 3.8 × the "
        "most-frequent-word baseline, 5e-5 3.4 ×). 1: the learning rate as it is.", min=0.0, max=100.0,
        exclusive_min=True)
    max_grad_norm: float = _f(1.0, "training", "Gradient clipping norm (0 turns clipping off).", min=0.0, max=1e6)
    seed: int = _f(42, "training", "Seed for pairs, masks and initialisation: the same seed repeats a run.",
                   min=0, max=2**32 - 1)
    device: str = _f(
        "auto", "training", "Where to train: 'auto' (a CUDA GPU, then Apple MPS, then CPU), 'cpu', 'cuda', "
        "'cuda:1', 'mps'.")
    precision: str = _f(
        "auto", "training",
        "Number format. 'auto': bf16 autocast on GPUs that support it and on CPUs that multiply bf16 natively "
        "(AVX512-BF16 or AMX), else fp32; the weights, the optimizer and the evaluation stay fp32. bf16 is refused "
        "on other CPUs, where it is slower. fp16 (with loss scaling) only for older GPUs.",
        choices=PRECISIONS)
    checkpoint_every: int = _f(
        500, "training", "Save a resumable checkpoint every this many steps (and when stopped).", min=1,
        max=10**9)
    keep_checkpoints: int = _f(2, "training", "How many recent checkpoints to keep on disk.", min=1, max=1000)
    eval_every: int = _f(
        0, "training", "Also evaluate every this many steps (0: only before and after training).", min=0,
        max=10**9)
    log_every: int = _f(1, "training", "Report loss every this many steps.", min=1, max=10**6)
    group_by_length: int = _f(
        50, "training",
        "Order sequences by length within windows of this many batches (then shuffle those batches), so a batch "
        "holds sequences of similar length and little padding. Deterministic and resumable; 0 turns it off.",
        min=0, max=10**6)
    attention_dropout: float = _f(
        0.0, "training",
        "Dropout on the attention weights while training. BERT used 0.1; 0 (as in MosaicBERT) lets PyTorch use its "
        "fast fused attention kernel — on a CPU about twice the speed and far less memory. The exported model "
        "keeps the base model's own value for whoever fine-tunes it next. -1 keeps the base model's value.",
        min=-1.0, max=0.9)
    fast_mlm_head: bool = _f(
        True, "training",
        "Compute the vocabulary-wide output layer only at the masked positions (about 15 % of tokens). Same "
        "loss, same checkpoint format, much less compute.")
    forward_token_budget: int = _f(
        -1, "training",
        "Largest batch slice, in padded token positions, that one forward pass may hold. A bigger batch is run as "
        "several slices whose gradients add up before the one optimizer step: the same training, far less memory. "
        "-1: automatic (1 024 on a CPU, where matmuls of that size already run at full speed; no limit on a GPU). "
        "0: never slice.", min=-1, max=10**9)
    torch_compile: bool = _f(
        False, "training", "Compile the model with torch.compile (slow start, faster steps on GPUs).")
    padding_free: bool = _f(
        False, "training",
        "Train without padding: each batch's sequences are laid end to end in one row and attention is kept within "
        "each sequence by flex attention's document mask, so no compute goes to padded positions. For GPUs; needs "
        "attention dropout 0 and the masked-only MLM head. Off: batches padded to their longest sequence.")
    dataloader_workers: int = _f(
        0, "training", "Background processes preparing batches (0: in the training process).", min=0, max=64)

    # [vocab]
    vocab_add: list[str] = _f(
        [], "vocab", "Domain words added to the vocabulary before training, each as one new token.", key="add")
    vocab_reuse_unused: bool = _f(
        True, "vocab",
        "Put new words into the vocabulary's [unused…] slots when it has them, so the embedding matrix keeps "
        "its size.", key="reuse_unused")

    # ------------------------------------------------------------------ helpers
    def validate(self) -> RunConfig:
        """Check every value against its type, range and choices; raise naming the key."""
        hints = get_type_hints(type(self))
        if isinstance(self.time_budget, (int, float)) and not isinstance(self.time_budget, bool):
            self.time_budget = f"{self.time_budget:g}"  # TOML `time_budget = 600` means seconds
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            name = toml_name(f)
            setattr(self, f.name, _coerce(name, hints[f.name], value))
            value = getattr(self, f.name)
            meta = f.metadata
            if "choices" in meta and value not in meta["choices"]:
                raise ConfigError(text("{0} must be one of {1}; got {2!r}.", name, ", ".join(meta["choices"]), value))
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if isinstance(value, float) and not math.isfinite(value):
                    raise ConfigError(text("{0} must be a finite number; got {1!r}.", name, value))
                lo, hi = meta.get("min"), meta.get("max")
                if lo is not None and (value < lo or (meta.get("exclusive_min") and value <= lo)):
                    op = ">" if meta.get("exclusive_min") else "≥"
                    raise ConfigError(text("{0} must be {1} {2}; got {3!r}.", name, op, lo, value))
                if hi is not None and value > hi:
                    raise ConfigError(text("{0} must be ≤ {1}; got {2!r}.", name, hi, value))
        parse_duration(self.time_budget, name="training.time_budget")
        if self.encoding != "auto":
            try:
                check_codec(self.encoding)
            except LookupError:
                raise ConfigError(text("corpus.encoding {0!r} is not a text encoding Python knows.", self.encoding),
                                  text("Use 'auto', or a name such as utf-8, latin-1, cp1252, cp1250, cp1257, "
                                       "gb18030.")) from None
        if 0 < self.tokens_per_step < self.max_seq_length * self.gradient_accumulation:
            raise ConfigError(
                text("training.tokens_per_step must be 0 or at least max_seq_length × gradient_accumulation "
                     "({0}); got {1}.", self.max_seq_length * self.gradient_accumulation, self.tokens_per_step),
                text("Each batch must hold at least one full sequence: raise tokens_per_step or set it to 0."))
        if self.mlm_cross_documents and self.nsp:
            raise ConfigError(text("masking.mlm_cross_documents applies to MLM-only training; NSP pairs never cross "
                                   "documents."),
                              text("Turn NSP off to train MLM only, or turn mlm_cross_documents off."))
        if self.padding_free and (self.attention_dropout != 0.0 or not self.fast_mlm_head):
            raise ConfigError(
                text("training.padding_free needs training.attention_dropout 0 and training.fast_mlm_head on "
                     "(got {0} and {1}).", self.attention_dropout, self.fast_mlm_head),
                text("Set attention_dropout to 0 and fast_mlm_head to true, or turn padding_free off."))
        if self.mask_replace_prob + self.random_replace_prob > 1.0 + 1e-9:
            raise ConfigError(text(
                "masking.mask_replace_prob + masking.random_replace_prob must be ≤ 1 (got {0} + {1}).",
                self.mask_replace_prob, self.random_replace_prob))
        return self

    @property
    def keep_prob(self) -> float:
        """Share of selected tokens left unchanged (the third part of 80/10/10)."""
        return max(0.0, 1.0 - self.mask_replace_prob - self.random_replace_prob)

    def to_toml_dict(self) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for f in dataclasses.fields(self):
            out.setdefault(f.metadata["section"], {})[f.metadata["key"] or f.name] = getattr(self, f.name)
        return out

    def to_toml(self) -> str:
        return tomli_w.dumps(self.to_toml_dict())

    def save(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(self.to_toml(), encoding="utf-8")
        tmp.replace(path)
        return path

    @classmethod
    def from_toml_dict(cls, data: dict[str, Any]) -> RunConfig:
        by_name = {(f.metadata["section"], f.metadata["key"] or f.name): f for f in dataclasses.fields(cls)}
        sections = {f.metadata["section"] for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for section, table in data.items():
            if section not in sections or not isinstance(table, dict):
                raise ConfigError(
                    f"Unknown section [{section}] in the configuration; known: {', '.join(sorted(sections))}.")
            for key, value in table.items():
                f = by_name.get((section, key))
                if f is None:
                    known = ", ".join(k for s, k in by_name if s == section)
                    raise ConfigError(f"Unknown key {section}.{key} in the configuration; [{section}] has: {known}.")
                kwargs[f.name] = value
        return cls(**kwargs).validate()

    @classmethod
    def load(cls, path: str | Path) -> RunConfig:
        path = Path(path)
        try:
            source = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            line = path.read_bytes()[:exc.start].count(b"\n") + 1
            raise ConfigError(text("Configuration file {0} is not UTF-8 text (line {1}).", path, line),
                              text("TOML files must be UTF-8: save it again as UTF-8 (for example with a text "
                                   "editor's 'Save with encoding').")) from None
        except FileNotFoundError:
            raise ConfigError(text("Configuration file {0} does not exist.", path)) from None
        except OSError as exc:
            raise ConfigError(text("Cannot read configuration file {0}: {1}.", path, exc.strerror)) from None
        try:
            data = tomllib.loads(source)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(text("{0} is not valid TOML: {1}.", path, exc)) from None
        return cls.from_toml_dict(data)

    def replace(self, **changes: Any) -> RunConfig:
        """A copy with some fields changed (by field name), validated."""
        return dataclasses.replace(self, **changes).validate()


def check_codec(name: str) -> str:
    """The canonical Python name of a text codec ('latin-1' -> 'iso8859-1'); LookupError for anything else."""
    info = codecs.lookup(name)  # LookupError for an unknown name
    if not info._is_text_encoding:  # 'rot13', 'hex', 'base64' … are codecs, not encodings
        raise LookupError(name)
    return info.name


def toml_name(f: dataclasses.Field) -> str:
    """``section.key`` as the user writes it in TOML; used in every error message."""
    return f"{f.metadata['section']}.{f.metadata['key'] or f.name}"


def field_help(name: str) -> str:
    """Help text of a field, by its Python name; the GUI's tooltips come from here."""
    for f in dataclasses.fields(RunConfig):
        if f.name == name:
            return f.metadata["help"]
    raise KeyError(name)


def fields_by_section() -> dict[str, list[dataclasses.Field]]:
    out: dict[str, list[dataclasses.Field]] = {}
    for f in dataclasses.fields(RunConfig):
        out.setdefault(f.metadata["section"], []).append(f)
    return out


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(h|hours?|m|min|minutes?|s|sec|seconds?)?", re.IGNORECASE)
_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0}


def parse_duration(value: str | float | int, *, name: str = "duration") -> float:
    """Seconds from ``600``, ``"600"``, ``"10m"``, ``"1h30m"``, ``"90 s"``; 0 (or "", "off") means no budget.

    WHY here and not in the engine: the GUI, the CLI and ``validate()`` must reject the same strings with the same
    message, before anything is loaded.
    """
    if isinstance(value, bool):
        raise ConfigError(text("{0} must be a duration such as 600, '10m' or '1h'; got {1!r}.", name, value))
    if isinstance(value, (int, float)):
        seconds = float(value)
    else:
        s = str(value).strip().lower()
        if s in ("", "0", "off", "none"):
            return 0.0
        pos, seconds = 0, 0.0
        for m in _DURATION.finditer(s):
            if s[pos:m.start()].strip() or not m.group(0).strip():
                break
            seconds += float(m.group(1)) * _UNIT_SECONDS[(m.group(2) or "s")[0]]
            pos = m.end()
        if pos == 0 or s[pos:].strip():
            raise ConfigError(text("{0} must be a duration such as 600, '10m' or '1h'; got {1!r}.", name, value))
    if not math.isfinite(seconds) or seconds < 0:
        raise ConfigError(text("{0} must be a duration such as 600, '10m' or '1h'; got {1!r}.", name, value))
    return seconds


def _coerce(name: str, hint: Any, value: Any) -> Any:
    """Accept what TOML and the CLI give (an int for a float, a string for a one-item list); reject the rest."""
    if hint is bool:
        if isinstance(value, bool):
            return value
        raise ConfigError(text("{0} must be true or false; got {1!r}.", name, value))
    if hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise ConfigError(text("{0} must be a whole number; got {1!r}.", name, value))
    if hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise ConfigError(text("{0} must be a number; got {1!r}.", name, value))
    if hint is str:
        if isinstance(value, str):
            return value
        raise ConfigError(text("{0} must be text; got {1!r}.", name, value))
    if hint == list[str]:
        if isinstance(value, str):
            return [value] if value else []
        if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
            return list(value)
        raise ConfigError(text("{0} must be a list of text values; got {1!r}.", name, value))
    return value  # pragma: no cover - every field has one of the types above


PRESETS: dict[str, dict[str, Any]] = {
    "quick look": {
        "max_seq_length": 128, "batch_size": 16, "max_steps": 200, "learning_rate": 5e-5, "eval_every": 0,
        "checkpoint_every": 100,
    },
    "standard": {
        "max_seq_length": 128, "batch_size": 32, "max_steps": 0, "epochs": 3.0, "learning_rate": 5e-5,
        "checkpoint_every": 500,
    },
    "thorough": {
        "max_seq_length": 512, "batch_size": 16, "gradient_accumulation": 4, "max_steps": 0, "epochs": 10.0,
        "learning_rate": 5e-5, "eval_every": 1000, "checkpoint_every": 1000,
    },
}
PRESET_HELP = {
    "quick look": "200 short steps: see whether the loss falls and the masking looks right (minutes on a CPU).",
    "standard": "3 passes at 128 tokens: a sound domain adaptation for a corpus of a few MB.",
    "thorough": "10 passes at 512 tokens with an effective batch of 64: for long documents and a GPU.",
}


def apply_preset(config: RunConfig, name: str) -> RunConfig:
    if name not in PRESETS:
        raise ConfigError(f"Unknown preset {name!r}; choose one of {', '.join(PRESETS)}.")
    return config.replace(**PRESETS[name])
