"""The model stage: where the run computes, the base model and tokenizer, and what the model allows.

Device and threads are chosen first (the thread count must be set before torch does work), then the base model
loads (data, never code: :mod:`bertgui.model.loading`), the domain words are added when asked for, a tokenizer that
reads the corpus as mostly ``[UNK]`` is refused from the first documents, and a sequence length beyond the model's
positions is capped (and said).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from bertgui.config import RunConfig
from bertgui.engine.state import RunEnv
from bertgui.errors import ConfigError, CorpusError
from bertgui.events import Progress
from bertgui.text import text


@dataclass
class ModelStage:
    """What :func:`load_model_stage` hands on."""

    loaded: Any  # bertgui.model.loading.LoadedModel
    choice: Any  # bertgui.engine.device.DeviceChoice
    base_attention_dropout: float | None  # the base's value, put back before the final save (None: unchanged)
    notes: list[str] = field(default_factory=list)

    @property
    def model(self) -> Any:
        return self.loaded.model

    @property
    def tokenizer(self) -> Any:
        return self.loaded.tokenizer

    @property
    def fresh_heads(self) -> list[str]:
        """The MLM/NSP heads that start at random (missing from the base)."""
        return [h for h in self.loaded.new_heads if h in ("MLM head", "NSP head")]


def load_model_stage(env: RunEnv, config: RunConfig) -> ModelStage:
    import torch

    from bertgui.engine.device import resolve_device, set_cpu_threads
    from bertgui.model.loading import load_model, resolve_model

    choice = resolve_device(config.device, config.precision)
    if choice.kind == "cpu":
        set_cpu_threads(int(os.environ.get("LOCAL_WORLD_SIZE", env.world_size)))
    torch.manual_seed(config.seed)
    env.emit(Progress("model", 0, 0, text("Loading {0}", config.model)))
    info = resolve_model(config.model, allow_pickle=config.allow_pickle,
                         progress=lambda d, t, m: env.emit(Progress("model", d, t, m)))
    # padding-free batches take flex attention's document mask on a GPU (model/packing.py); everything else, and
    # the CPU (PyTorch's flex attention has no backward there), runs on SDPA
    attn = "flex_attention" if config.padding_free and choice.kind == "cuda" else "sdpa"
    loaded = load_model(info, nsp=config.nsp, allow_pickle=config.allow_pickle, attn_implementation=attn)
    stage = ModelStage(loaded, choice, None)
    if config.padding_free:
        from bertgui.model.packing import packing_supported

        if not packing_supported(loaded.model):
            raise ConfigError(text("training.padding_free supports BERT models; {0} is a {1} model.", info.name,
                                   getattr(loaded.model.config, "model_type", "?")),
                              text("Turn padding_free off for this model."))
    if config.padding_free and attn != "flex_attention":
        stage.notes.append(text("Padding-free batches on {0}: attention uses a dense document mask there (flex "
                                "attention trains only on CUDA GPUs), so the run is correct but not faster.",
                                choice.name))
    if config.attention_dropout >= 0:
        stage.base_attention_dropout = set_attention_dropout(loaded.model, config.attention_dropout)
    if config.vocab_add:
        stage.notes.append(_extend_vocabulary(stage, config))
    _check_unknown_share(config, stage.tokenizer, info.name)
    return stage


def _extend_vocabulary(stage: ModelStage, config: RunConfig) -> str:
    try:
        from bertgui.vocab.report import extend_vocabulary
    except ImportError as exc:
        raise ConfigError("Adding vocabulary needs bertgui.vocab.report, which is not installed.",
                          "Remove [vocab] add from the configuration.") from exc
    change = extend_vocabulary(stage.model, stage.tokenizer, config.vocab_add, reuse_unused=config.vocab_reuse_unused)
    if change.tokenizer is not None:
        stage.loaded.tokenizer = change.tokenizer
    return change.summary()


def _check_unknown_share(config: RunConfig, tokenizer: Any, name: str) -> None:
    """Refuse a tokenizer that reads the corpus as mostly [UNK], from its first documents, before the full
    (possibly long) tokenization. A corpus that cannot be read is left to the data stage to report."""
    from itertools import islice

    from bertgui.data.corpus import iter_documents
    from bertgui.model.loading import check_unknown_share

    try:
        docs = list(islice(iter_documents(config.corpus, documents=config.documents, text_column=config.text_column,
                                          encoding=config.encoding, on_error=lambda _e: None), 64))
    except CorpusError:
        return
    check_unknown_share(tokenizer, (d.text for d in docs), name)


def cap_length(env: RunEnv, config: RunConfig, stage: ModelStage) -> RunConfig:
    """A max_seq_length beyond the model's positions is capped, and said: a CLI line, the run's notes."""
    from bertgui.data.tokenized import cap_sequence_length, position_limit

    mc = stage.model.config
    limit = position_limit(str(getattr(mc, "model_type", "")), int(getattr(mc, "max_position_embeddings", 0) or 0),
                           getattr(mc, "pad_token_id", None))
    length, note = cap_sequence_length(config.max_seq_length, limit)
    if not note:
        return config
    stage.notes.append(note)
    env.emit(Progress("model", 0, 0, note))
    return config.replace(max_seq_length=length)


def set_attention_dropout(model: Any, p: float) -> float | None:
    """Set the attention-probability dropout of a BERT-style model; return the previous value (None: not BERT-like).

    With p = 0, PyTorch's scaled_dot_product_attention can take its fused kernel instead of materialising the
    attention matrix for dropout (measured on CPU: ~2× the tokens/s and less memory; see benchmarks/README.md).
    """
    import torch

    previous = getattr(model.config, "attention_probs_dropout_prob", None)
    if previous is None:
        return None
    for module in model.modules():
        if "Attention" in type(module).__name__ and isinstance(getattr(module, "dropout", None), torch.nn.Dropout):
            module.dropout.p = float(p)
    model.config.attention_probs_dropout_prob = float(p)
    return float(previous)
