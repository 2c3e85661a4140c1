"""Finding, inspecting and loading a base model: local folder, Hugging Face cache, or the hub when online.

Loading is safe by default: ``trust_remote_code`` is never set, and weights are read only from ``.safetensors``
unless the caller explicitly allows pickle files (which can run code when unpickled).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bertgui.errors import ModelError
from bertgui.text import text

ProgressFn = Callable[[int, int, str], None]
"""``progress(done, total, message)``: ``total`` is 0 when unknown."""

MODE_MLM_NSP = "mlm+nsp"
MODE_MLM = "mlm"

# model_type values whose checkpoints load into BertForPreTraining (MLM head + NSP head + pooler).
NSP_MODEL_TYPES = {"bert"}

HEAD_PREFIXES = {
    "cls.predictions": "MLM head",
    "lm_head": "MLM head",
    "vocab_projector": "MLM head",
    "vocab_transform": "MLM head",
    "cls.seq_relationship": "NSP head",
    "bert.pooler": "pooler",
    "pooler": "pooler",
}


class PickleWeightsRefused(ModelError):
    """The model has only pickle weights and the caller did not allow them (the GUI asks, then retries)."""


@dataclass
class ModelInfo:
    """What a person needs to know about a base model before loading its weights."""

    name: str
    path: Path
    source: str  # "folder", "cache" or "hub"
    model_type: str
    architectures: list[str]
    modes: list[str]  # what it can train: ["mlm+nsp", "mlm"] or ["mlm"]
    vocab_size: int
    hidden_size: int
    num_layers: int
    max_positions: int
    num_parameters: int  # 0 when it cannot be read without loading
    weights_format: str  # "safetensors" or "pickle"
    size_bytes: int

    @property
    def can_nsp(self) -> bool:
        return MODE_MLM_NSP in self.modes

    def summary(self) -> str:
        params = f"{self.num_parameters / 1e6:.1f} M parameters" if self.num_parameters else "size unknown"
        what = "MLM + NSP" if self.can_nsp else "MLM only"
        return (f"{self.name}: {self.model_type} ({', '.join(self.architectures) or 'no architecture named'}), "
                f"{params}, {self.num_layers} layers × {self.hidden_size}, vocabulary {self.vocab_size:,}; "
                f"trains {what}")


@dataclass
class LoadedModel:
    info: ModelInfo
    model: Any
    tokenizer: Any
    mode: str
    new_heads: list[str] = field(default_factory=list)  # heads initialised at random (not in the checkpoint)


@dataclass
class CachedModel:
    repo_id: str
    path: Path
    model_type: str
    modes: list[str]
    size_bytes: int


# ---------------------------------------------------------------------------------------------- resolution
def resolve_model(name: str, *, allow_pickle: bool = False, progress: ProgressFn | None = None) -> ModelInfo:
    """Turn what the user typed into a local folder with a usable model, downloading only if needed."""
    name = name.strip()
    if not name:
        raise ModelError(text("No base model given."), text("Choose a folder, a cached model, or type a hub id."))
    expanded = Path(os.path.expanduser(name))
    if expanded.exists():
        if not expanded.is_dir():
            raise ModelError(text("{0} is a file, not a model folder.", name),
                             text("Choose the folder that holds config.json and the weights."))
        return inspect_folder(expanded, name=name, source="folder", allow_pickle=allow_pickle)
    if _looks_like_path(name):
        raise ModelError(text("The model folder {0} does not exist.", name),
                         text("Check the path, or choose another folder."))
    path, source = _from_hub(name, allow_pickle=allow_pickle, progress=progress)
    return inspect_folder(path, name=name, source=source, allow_pickle=allow_pickle)


def _looks_like_path(name: str) -> bool:
    return (name.startswith((".", "/", "~", "\\")) or os.sep in name.replace("/", "", 1) or name.count("/") > 1
            or (len(name) > 1 and name[1] == ":"))


def _hub_patterns(allow_pickle: bool) -> list[str]:
    pats = ["*.json", "*.txt", "*.model", "*.safetensors", "*.md"]
    return pats + ["*.bin"] if allow_pickle else pats


def _from_hub(repo_id: str, *, allow_pickle: bool, progress: ProgressFn | None) -> tuple[Path, str]:
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.errors import HFValidationError, LocalEntryNotFoundError

    try:
        path = snapshot_download(repo_id, local_files_only=True, allow_patterns=_hub_patterns(allow_pickle))
        if (Path(path) / "config.json").exists():
            return Path(path), "cache"
    except HFValidationError:
        raise ModelError(text("{0!r} is neither an existing folder nor a valid hub id.", repo_id),
                         text("Type a hub id such as google-bert/bert-base-uncased, or choose a folder.")) from None
    except (LocalEntryNotFoundError, OSError):
        pass
    offline_advice = text(
        "On a machine with internet, run `hf download {0}` (or open it once in bertgui), then copy the folder {1} "
        "or the model folder here and choose it as a folder.", repo_id, constants.HF_HUB_CACHE)
    if constants.HF_HUB_OFFLINE:
        raise ModelError(text("{0} is not in the local model cache and offline mode is on (HF_HUB_OFFLINE).", repo_id),
                         offline_advice)
    try:
        tqdm_class = _progress_tqdm(progress, f"Downloading {repo_id}") if progress else None
        path = snapshot_download(repo_id, allow_patterns=_hub_patterns(allow_pickle), tqdm_class=tqdm_class)
    except Exception as exc:  # network errors come in many types (httpx, OSError, hub errors)
        kind = type(exc).__name__
        if "NotFound" in kind or "Gated" in kind or "401" in str(exc) or "404" in str(exc):
            raise ModelError(text("The hub has no accessible model called {0} ({1}).", repo_id, kind),
                             text("Check the spelling; gated models need `hf auth login` first.")) from None
        raise ModelError(text("{0} is not in the local cache and the hub cannot be reached ({1}).", repo_id, kind),
                         offline_advice) from None
    return Path(path), "hub"


def _progress_tqdm(progress: ProgressFn, message: str):
    from tqdm.auto import tqdm

    class _Reporter(tqdm):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            kwargs["disable"] = False
            super().__init__(*args, **kwargs)

        def update(self, n: float | None = 1) -> bool | None:
            out = super().update(n)
            progress(int(self.n), int(self.total or 0), message)
            return out

    return _Reporter


# ---------------------------------------------------------------------------------------------- inspection
def inspect_folder(path: Path, *, name: str | None = None, source: str = "folder",
                   allow_pickle: bool = False) -> ModelInfo:
    """Read config and weight headers only (fast, no weights in memory) and say what the model can train."""
    from transformers import AutoConfig

    name = name or str(path)
    if not (path / "config.json").is_file():
        raise ModelError(text("{0} has no config.json, so it is not a transformers model folder.", name),
                         text("Choose the folder that save_pretrained wrote (config.json, model.safetensors, "
                              "tokenizer files)."))
    try:
        config = AutoConfig.from_pretrained(path)
    except (ValueError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise ModelError(text("{0}: config.json cannot be read ({1}).", name, exc),
                         text("The folder may be damaged, or the model needs a newer transformers.")) from None
    safetensors = sorted(path.glob("*.safetensors"))
    pickles = sorted(p for p in path.glob("*.bin") if p.name.startswith(("pytorch_model", "model")))
    if safetensors:
        weights_format, files = "safetensors", safetensors
    elif pickles:
        if not allow_pickle:
            raise PickleWeightsRefused(
                f"{name} has its weights only as pickle files ({pickles[0].name}); pickle can run code when loaded.",
                "Load it only if you trust its source: allow pickle weights (--allow-pickle), or convert it to "
                ".safetensors.")
        weights_format, files = "pickle", pickles
    else:
        raise ModelError(text("{0} has no weights (no .safetensors file).", name),
                         text("Choose a complete model folder, or create one with `bertgui new-model`."))
    modes = model_modes(config)
    if not modes:
        archs = ", ".join(getattr(config, "architectures", None) or []) or config.model_type
        raise ModelError(
            f"{name} is a {config.model_type} model ({archs}), which cannot do masked language modelling.",
            "Choose a BERT-family model (BERT, RoBERTa, DistilBERT, ModernBERT, …).")
    return ModelInfo(
        name=name, path=path, source=source, model_type=config.model_type,
        architectures=list(getattr(config, "architectures", None) or []), modes=modes,
        vocab_size=int(getattr(config, "vocab_size", 0) or 0),
        hidden_size=int(getattr(config, "hidden_size", getattr(config, "dim", 0)) or 0),
        num_layers=int(getattr(config, "num_hidden_layers", getattr(config, "n_layers", 0)) or 0),
        max_positions=int(getattr(config, "max_position_embeddings", 512) or 512),
        num_parameters=_count_parameters(safetensors) if weights_format == "safetensors" else 0,
        weights_format=weights_format, size_bytes=sum(f.stat().st_size for f in files),
    )


def model_modes(config: Any) -> list[str]:
    from transformers import MODEL_FOR_MASKED_LM_MAPPING

    modes = []
    if config.model_type in NSP_MODEL_TYPES:
        modes.append(MODE_MLM_NSP)
    try:
        MODEL_FOR_MASKED_LM_MAPPING[type(config)]
        modes.append(MODE_MLM)
    except KeyError:
        pass
    return modes


def _count_parameters(files: list[Path]) -> int:
    """Sum tensor sizes from the safetensors headers (a few KB read), counting tied weights once."""
    total = 0
    for f in files:
        try:
            with open(f, "rb") as fh:
                n = int.from_bytes(fh.read(8), "little")
                header = json.loads(fh.read(n))
        except (OSError, ValueError):
            return 0
        for key, meta in header.items():
            if key == "__metadata__":
                continue
            count = 1
            for d in meta["shape"]:
                count *= d
            total += count
    return total


# ---------------------------------------------------------------------------------------------- loading
def load_model(info: ModelInfo, *, nsp: bool, allow_pickle: bool = False,
               attn_implementation: str = "sdpa") -> LoadedModel:
    """Load weights and tokenizer for training; report heads the checkpoint lacked (they start at random)."""
    from transformers import AutoModelForMaskedLM, AutoTokenizer, BertForPreTraining

    if nsp and not info.can_nsp:
        raise ModelError(text("{0} is a {1} model: it has no next-sentence-prediction head.", info.name,
                              info.model_type), text("Turn NSP off to train masked language modelling only."))
    if info.weights_format == "pickle" and not allow_pickle:
        raise PickleWeightsRefused(f"{info.name} has only pickle weights.", "Allow pickle weights to load it.")
    cls = BertForPreTraining if nsp else AutoModelForMaskedLM
    kwargs: dict[str, Any] = {"use_safetensors": info.weights_format == "safetensors",
                              "output_loading_info": True}
    try:
        model, loading = cls.from_pretrained(info.path, attn_implementation=attn_implementation, **kwargs)
    except (ValueError, ImportError):
        model, loading = cls.from_pretrained(info.path, **kwargs)
    except (OSError, RuntimeError) as exc:
        raise ModelError(text("Cannot load the weights of {0}: {1}", info.name, exc),
                         text("The files may be incomplete; download or export the model again.")) from None
    try:
        tokenizer = AutoTokenizer.from_pretrained(info.path)
    except (OSError, ValueError) as exc:
        raise ModelError(text("{0} has no usable tokenizer ({1}).", info.name, exc),
                         text("Export the tokenizer into the model folder (tokenizer.json or vocab.txt).")) from None
    if not getattr(tokenizer, "is_fast", False):
        raise ModelError(text("{0}'s tokenizer has no fast (Rust) version.", info.name),
                         text("Save it with a tokenizer.json file (transformers' convert_slow_tokenizer)."))
    if tokenizer.mask_token_id is None:
        raise ModelError(text("{0}'s tokenizer has no mask token, so it cannot do masked language modelling.",
                              info.name))
    return LoadedModel(info=info, model=model, tokenizer=tokenizer, mode=MODE_MLM_NSP if nsp else MODE_MLM,
                       new_heads=new_heads(loading.get("missing_keys", [])))


def new_heads(missing_keys: list[str]) -> list[str]:
    heads: list[str] = []
    for key in missing_keys:
        for prefix, head in HEAD_PREFIXES.items():
            if key.startswith(prefix) and head not in heads:
                heads.append(head)
    return heads


def load_tokenizer(info: ModelInfo) -> Any:
    """The tokenizer alone (previews need no weights)."""
    from transformers import AutoTokenizer

    try:
        tok = AutoTokenizer.from_pretrained(info.path)
    except (OSError, ValueError) as exc:
        raise ModelError(text("{0} has no usable tokenizer ({1}).", info.name, exc)) from None
    if not getattr(tok, "is_fast", False):
        raise ModelError(text("{0}'s tokenizer has no fast (Rust) version.", info.name))
    return tok


# ---------------------------------------------------------------------------------------------- the cache
def list_cached_models(cache_dir: str | Path | None = None) -> list[CachedModel]:
    """Fill-mask-capable models already in the Hugging Face cache, for the GUI's list."""
    from huggingface_hub import scan_cache_dir
    from transformers import AutoConfig

    try:
        info = scan_cache_dir(cache_dir)
    except Exception:  # no cache folder yet, or one we cannot read: nothing to offer
        return []
    found: list[CachedModel] = []
    for repo in info.repos:
        if repo.repo_type != "model" or not repo.revisions:
            continue
        rev = max(repo.revisions, key=lambda r: r.last_modified)
        path = Path(rev.snapshot_path)
        if not (path / "config.json").exists():
            continue
        try:
            modes = model_modes(AutoConfig.from_pretrained(path))
            model_type = AutoConfig.from_pretrained(path).model_type
        except Exception:
            continue
        if modes:
            found.append(CachedModel(repo.repo_id, path, model_type, modes, rev.size_on_disk))
    return sorted(found, key=lambda m: m.repo_id.lower())
