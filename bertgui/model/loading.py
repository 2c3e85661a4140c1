"""Finding, inspecting and loading a base model: local folder, Hugging Face cache, or the hub when online.

Loading is safe by default: anything read from a model folder is data, never code. ``trust_remote_code=False`` is
passed to every transformers call, and a folder that asks for its own code (``auto_map``) is refused before
transformers is even imported, so it never gets the chance to ask "run the custom code? [y/N]" on stdin. Weights
are read only from ``.safetensors`` unless the caller explicitly allows pickle files, and even then only through
torch's safe (weights-only) unpickler.

The cheap checks (:func:`check_folder`: config, code, weights, tokenizer files) are pure Python on purpose: the
window runs them before it loads torch and transformers, so a hostile folder is refused in milliseconds, not after
an import that takes minutes on a busy machine.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bertgui.errors import ModelError
from bertgui.files import safetensors_problem
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


TOKENIZER_FILES = ("tokenizer.json", "vocab.txt", "vocab.json + merges.txt", "a SentencePiece .model file")
"""What a tokenizer can be saved as; a folder with none of them would get an empty tokenizer from transformers."""

# An embedding matrix may be a little larger than the vocabulary: many models pad it to a multiple of 8, 64 or 128
# rows for speed (DeBERTa-v3: 128 100 rows for 128 001 tokens; ModernBERT: 50 368 for 50 280), and Megatron pads to
# 128 × the tensor-parallel degree. Anything further apart is a tokenizer of another model.
PADDING_ROWS = 128
PADDING_ROWS_ALIGNED = 1024

CODE_KEYS = ("auto_map", "custom_pipelines")
"""Keys with which a config names Python files of the folder to import (transformers' "remote code")."""

UNK_LIMIT = 0.5
"""A tokenizer that turns more than this share of a corpus sample into [UNK] cannot learn from the corpus."""


class PickleWeightsRefused(ModelError):
    """The model has only pickle weights and the caller did not allow them (the GUI asks, then retries)."""


class RemoteCodeRefused(ModelError):
    """The folder needs its own Python code to load; bertgui never runs it."""


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
    folder = _local_folder(name)
    if folder is not None:
        return inspect_folder(folder, name=name, source="folder", allow_pickle=allow_pickle)
    path, source = _from_hub(name, allow_pickle=allow_pickle, progress=progress)
    return inspect_folder(path, name=name, source=source, allow_pickle=allow_pickle)


def quick_check(name: str, *, allow_pickle: bool = False) -> None:
    """Refuse what can be refused without torch, transformers or the hub: a local name that is no folder, and a
    folder :func:`check_folder` refuses. Hub ids pass (they need the hub, later).

    For the window: called before the ML stack is imported, so a hostile folder is refused at once.
    """
    name = name.strip()
    folder = _local_folder(name)
    if folder is not None:
        check_folder(folder, name=name, allow_pickle=allow_pickle)


def _local_folder(name: str) -> Path | None:
    """The folder ``name`` names, None for a hub id; ModelError for an empty name, a file, a missing path."""
    if not name:
        raise ModelError(text("No base model given."), text("Choose a folder, a cached model, or type a hub id."))
    expanded = Path(os.path.expanduser(name))
    if expanded.exists():
        if not expanded.is_dir():
            raise ModelError(text("{0} is a file, not a model folder.", name),
                             text("Choose the folder that holds config.json and the weights."))
        return expanded
    if _looks_like_path(name):
        raise ModelError(text("The model folder {0} does not exist.", name),
                         text("Check the path, or choose another folder."))
    return None


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
        if _hub_unreachable(exc):
            raise ModelError(text("{0} is not in the local model cache, and the Hugging Face Hub cannot be reached "
                                  "({1}).", repo_id, _root_cause(exc)),
                             text("Check the internet connection (and HTTPS_PROXY, if you use a proxy). To work "
                                  "offline: {0}", offline_advice)) from None
        kind = type(exc).__name__
        if "NotFound" in kind or "Gated" in kind or "401" in str(exc) or "404" in str(exc):
            raise ModelError(text("The hub has no accessible model called {0} ({1}).", repo_id, kind),
                             text("Check the spelling; gated models need `hf auth login` first.")) from None
        raise ModelError(text("{0} is not in the local cache and the hub cannot be reached ({1}).", repo_id, kind),
                         offline_advice) from None
    return Path(path), "hub"


def _hub_unreachable(exc: BaseException) -> bool:
    """True when the hub was never asked (refused connection, DNS, timeout, proxy), not when it said "no such model".

    huggingface_hub reports a refused connection as ``LocalEntryNotFoundError`` ("cannot find the appropriate
    snapshot folder ... check your internet connection"), whose name also contains "NotFound": it must be told
    apart from ``RepositoryNotFoundError`` before the name is looked at, or an unreachable hub reads as a misspelt
    model name.
    """
    from huggingface_hub.errors import LocalEntryNotFoundError, OfflineModeIsEnabled

    if isinstance(exc, (LocalEntryNotFoundError, OfflineModeIsEnabled, ConnectionError, TimeoutError)):
        return True
    chain: BaseException | None = exc
    while chain is not None:
        module = type(chain).__module__
        if module.startswith(("httpx", "httpcore", "requests", "urllib3")) and any(
                word in type(chain).__name__ for word in ("Connect", "Timeout", "Proxy", "Network")):
            return True
        chain = chain.__cause__ or chain.__context__
    return False


def _root_cause(exc: BaseException) -> str:
    while exc.__cause__ is not None:
        exc = exc.__cause__
    return f"{type(exc).__name__}: {exc}".strip().splitlines()[0][:200]


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
@dataclass
class FolderCheck:
    """What :func:`check_folder` found: the parsed config.json and the weight files to read."""

    config: dict[str, Any]
    weights_format: str  # "safetensors" or "pickle"
    weights: list[Path]


def check_folder(path: Path, *, name: str | None = None, allow_pickle: bool = False) -> FolderCheck:
    """Everything about a model folder that can be refused without importing torch or transformers (milliseconds).

    In this order, so the first message is the one that matters: a transformers folder at all (config.json that
    parses), no code of its own (``auto_map``), weights, tokenizer files, and only then pickle (asking a person to
    trust a pickle is pointless when the folder would be refused anyway).
    """
    name = name or str(path)
    config_file = path / "config.json"
    if not config_file.is_file():
        raise ModelError(text("{0} has no config.json, so it is not a transformers model folder.", name),
                         text("Choose the folder that save_pretrained wrote (config.json, model.safetensors, "
                              "tokenizer files)."))
    config = _read_json(config_file, name)
    tokenizer_config = _read_json(path / "tokenizer_config.json", name) if (
        path / "tokenizer_config.json").is_file() else {}
    code = [f"{key} in {file}: {', '.join(sorted(map(str, data[key])))}"
            for file, data in (("config.json", config), ("tokenizer_config.json", tokenizer_config))
            for key in CODE_KEYS if isinstance(data.get(key), dict) and data[key]]
    if code:
        raise RemoteCodeRefused(
            text("{0} needs its own Python code to load ({1}); bertgui never runs code from a model folder.", name,
                 "; ".join(code)),
            text("Choose a model of an architecture transformers ships (BERT, RoBERTa, DistilBERT, ModernBERT, …). "
                 "If this one is a standard architecture, remove auto_map (and custom_pipelines) from its config "
                 "files."))
    safetensors = sorted(path.glob("*.safetensors"))
    pickles = sorted(p for p in path.glob("*.bin") if p.name.startswith(("pytorch_model", "model")))
    if not safetensors and not pickles:
        raise ModelError(text("{0} has no weights (no .safetensors file).", name),
                         text("Choose a complete model folder, or create one with `bertgui new-model`."))
    for file in safetensors:  # before anything reads them: a header length of 10¹⁵ is a damaged file, not memory
        if (problem := safetensors_problem(file)) is not None:
            raise ModelError(text("{0}: {1}.", name, problem),
                             text("The file is damaged or incomplete: download or export the model again."))
    _require_tokenizer(path, name)
    check_size(config, _count_parameters(safetensors) if safetensors else 0, name)
    if safetensors:
        return FolderCheck(config, "safetensors", safetensors)
    if not allow_pickle:
        raise PickleWeightsRefused(
            text("{0} has its weights only as pickle files ({1}); pickle can run code when loaded.", name,
                 pickles[0].name),
            text("Load it only if you trust its source: allow pickle weights (--allow-pickle), or convert it to "
                 ".safetensors."))
    return FolderCheck(config, "pickle", pickles)


def config_parameters(config: dict[str, Any]) -> int:
    """About how many parameters ``config.json`` describes (a BERT-like encoder), or 0 when it does not say.

    Embeddings (vocabulary and positions) plus per layer attention (4·h²) and the feed-forward block (2·h·ffn).
    """
    def first(*keys: str) -> int:
        for key in keys:
            value = config.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value > 0:
                return value
        return 0

    hidden = first("hidden_size", "dim", "d_model")
    layers = first("num_hidden_layers", "n_layers", "num_layers")
    if not hidden or not layers:
        return 0
    ffn = first("intermediate_size", "hidden_dim", "ffn_dim") or 4 * hidden
    embeddings = (first("vocab_size") + first("max_position_embeddings") + 2) * hidden
    return layers * (4 * hidden * hidden + 2 * hidden * ffn) + embeddings


def available_memory() -> int | None:
    """Bytes of memory free for a new allocation (Linux: MemAvailable), or None when the system does not say."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    with contextlib.suppress(ValueError, OSError, AttributeError):
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    return None


def check_size(config: dict[str, Any], weight_parameters: int, name: str) -> None:
    """Refuse, before any allocation, a config.json that describes a model this computer cannot hold, or one far
    larger than its weights (``num_hidden_layers: 100000`` beside a 2-layer model: transformers would build the
    100 000 layers at random and run out of memory minutes later)."""
    described = config_parameters(config)
    if not described:
        return
    need = described * 4  # float32 weights, before gradients and optimizer state
    free = available_memory()
    if free is not None and need > free:
        raise ModelError(
            text("{0}'s config.json describes a model of {1:,} parameters: its weights alone need about {2:.1f} GB "
                 "of memory, and this computer has {3:.1f} GB free.", name, described, need / 1e9, free / 1e9),
            text("Check config.json (num_hidden_layers, hidden_size), or choose a smaller model."))
    if weight_parameters and described > 4 * weight_parameters + 10_000_000:
        raise ModelError(
            text("{0}'s config.json describes a model of {1:,} parameters, but its weights hold {2:,}: the "
                 "config does not belong to these weights.", name, described, weight_parameters),
            text("Check config.json (num_hidden_layers, hidden_size, vocab_size), or download the model again."))


def _read_json(file: Path, name: str) -> dict[str, Any]:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(text("{0}: {1} cannot be read ({2}).", name, file.name, exc),
                         text("The folder may be damaged, or the model needs a newer transformers.")) from None
    if not isinstance(data, dict):
        raise ModelError(text("{0}: {1} cannot be read (it holds no settings).", name, file.name),
                         text("The folder may be damaged, or the model needs a newer transformers."))
    return data


def _require_tokenizer(path: Path, name: str) -> None:
    missing = _missing_tokenizer(path)
    if missing:
        raise ModelError(
            text("{0} has weights but no tokenizer files ({1}); transformers would make up an empty tokenizer.",
                 name, missing),
            text("Copy the tokenizer of the model it was trained from into the folder: one of {0} "
                 "(tokenizer.save_pretrained(folder) writes them).", ", ".join(TOKENIZER_FILES)))


def _missing_tokenizer(path: Path) -> str:
    """"" when the folder holds a tokenizer transformers can read, else which files are missing, in words."""
    if (path / "tokenizer.json").is_file() or (path / "vocab.txt").is_file() or any(path.glob("*.model")):
        return ""
    if (path / "vocab.json").is_file() and not (path / "merges.txt").is_file():
        return text("vocab.json without merges.txt")
    return text("none of {0}", ", ".join(TOKENIZER_FILES))


def inspect_folder(path: Path, *, name: str | None = None, source: str = "folder",
                   allow_pickle: bool = False) -> ModelInfo:
    """Read config and weight headers only (fast, no weights in memory) and say what the model can train."""
    name = name or str(path)
    found = check_folder(path, name=name, allow_pickle=allow_pickle)
    from transformers import CONFIG_MAPPING, AutoConfig, __version__

    model_type = found.config.get("model_type")
    if model_type is not None and model_type not in CONFIG_MAPPING:
        raise ModelError(text("{0} is a '{1}' model, a type this transformers ({2}) does not know.", name,
                              model_type, __version__),
                         text("bertgui runs no code from model folders: choose a model of an architecture "
                              "transformers ships, or update transformers."))
    try:
        config = AutoConfig.from_pretrained(path, trust_remote_code=False)
    except (ValueError, KeyError, OSError, json.JSONDecodeError) as exc:
        raise ModelError(text("{0}: config.json cannot be read ({1}).", name, exc),
                         text("The folder may be damaged, or the model needs a newer transformers.")) from None
    modes = model_modes(config)
    if not modes:
        archs = ", ".join(getattr(config, "architectures", None) or []) or config.model_type
        raise ModelError(
            text("{0} is a {1} model ({2}), which cannot do masked language modelling.", name, config.model_type,
                 archs),
            text("Choose a BERT-family model (BERT, RoBERTa, DistilBERT, ModernBERT, …)."))
    files = found.weights
    return ModelInfo(
        name=name, path=path, source=source, model_type=config.model_type,
        architectures=list(getattr(config, "architectures", None) or []), modes=modes,
        vocab_size=int(getattr(config, "vocab_size", 0) or 0),
        hidden_size=int(getattr(config, "hidden_size", getattr(config, "dim", 0)) or 0),
        num_layers=int(getattr(config, "num_hidden_layers", getattr(config, "n_layers", 0)) or 0),
        max_positions=int(getattr(config, "max_position_embeddings", 512) or 512),
        num_parameters=_count_parameters(files) if found.weights_format == "safetensors" else 0,
        weights_format=found.weights_format, size_bytes=sum(f.stat().st_size for f in files),
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
def quiet_transformers() -> None:
    """transformers' own progress bars ("Loading weights", "Writing model shards") and load reports off stderr.

    WHY: bertgui reports loading and saving itself (progress events, the new heads it found); transformers' bars
    and its "checkpoint seem corrupted" report for a head the base never had (bertgui says "starts at random")
    only bury bertgui's lines. Errors still print. Hub downloads keep their bar: bertgui hooks it for progress.
    """
    import huggingface_hub.utils as hub_utils
    from transformers.utils import logging as hf_logging

    downloads = not hub_utils.are_progress_bars_disabled()
    hf_logging.disable_progress_bar()  # also switches the hub's bars off: switched back on below
    hf_logging.set_verbosity_error()
    if downloads:
        hub_utils.enable_progress_bars()


def load_model(info: ModelInfo, *, nsp: bool, allow_pickle: bool = False,
               attn_implementation: str = "sdpa") -> LoadedModel:
    """Load weights and tokenizer for training; report heads the checkpoint lacked (they start at random)."""
    from transformers import AutoModelForMaskedLM, BertForPreTraining

    quiet_transformers()

    if nsp and not info.can_nsp:
        raise ModelError(text("{0} is a {1} model: it has no next-sentence-prediction head.", info.name,
                              info.model_type), text("Turn NSP off to train masked language modelling only."))
    if info.weights_format == "pickle" and not allow_pickle:
        raise PickleWeightsRefused(f"{info.name} has only pickle weights.", "Allow pickle weights to load it.")
    cls = BertForPreTraining if nsp else AutoModelForMaskedLM
    kwargs: dict[str, Any] = {"use_safetensors": info.weights_format == "safetensors",
                              "output_loading_info": True, "trust_remote_code": False}
    try:
        try:
            model, loading = cls.from_pretrained(info.path, attn_implementation=attn_implementation, **kwargs)
        except (ValueError, ImportError):
            model, loading = cls.from_pretrained(info.path, **kwargs)
    except pickle.UnpicklingError as exc:
        # The opt-in allows pickle, but only through torch's weights-only unpickler: this file holds more than
        # tensors (a class or a function to call), which is how a pickle runs code.
        detail = next((line.strip() for line in str(exc).splitlines() if "Unsupported" in line), "")
        raise ModelError(text("{0}'s pickle weights hold more than tensors, so torch's safe loader refused them "
                              "({1}).", info.name, detail or type(exc).__name__),
                         text("bertgui loads pickles only with the safe loader, even with --allow-pickle. If you "
                              "trust the file, convert it to .safetensors in a separate environment; otherwise "
                              "choose another model.")) from None
    except (OSError, RuntimeError) as exc:
        raise ModelError(text("Cannot load the weights of {0}: {1}", info.name, exc),
                         text("The files may be incomplete; download or export the model again.")) from None
    except Exception as exc:  # safetensors' own error type is no OSError: a damaged file, not "unexpected"
        if type(exc).__name__ != "SafetensorError":
            raise
        damaged = [str(p.name) for p in info.path.glob("*.safetensors") if safetensors_problem(p)]
        raise ModelError(text("A weights file of {0} is damaged ({1}): {2}", info.name,
                              ", ".join(damaged) or "model.safetensors", exc),
                         text("The file is damaged or incomplete: download or export the model again.")) from None
    tokenizer = _tokenizer(info)
    if tokenizer.mask_token_id is None:
        raise ModelError(text("{0}'s tokenizer has no mask token, so it cannot do masked language modelling.",
                              info.name))
    check_tokenizer_fits(tokenizer, int(model.get_input_embeddings().weight.shape[0]), info.name)
    return LoadedModel(info=info, model=model, tokenizer=tokenizer, mode=MODE_MLM_NSP if nsp else MODE_MLM,
                       new_heads=new_heads(loading.get("missing_keys", [])))


def _tokenizer(info: ModelInfo) -> Any:
    from transformers import AutoTokenizer

    _require_tokenizer(info.path, info.name)  # transformers would build an empty tokenizer instead of failing
    try:
        tok = AutoTokenizer.from_pretrained(info.path, trust_remote_code=False)
    except (OSError, ValueError) as exc:
        raise ModelError(text("{0} has no usable tokenizer ({1}).", info.name, exc),
                         text("Export the tokenizer into the model folder (tokenizer.json or vocab.txt).")) from None
    if not getattr(tok, "is_fast", False):
        raise ModelError(text("{0}'s tokenizer has no fast (Rust) version.", info.name),
                         text("Save it with a tokenizer.json file (transformers' convert_slow_tokenizer)."))
    return tok


def check_tokenizer_fits(tokenizer: Any, rows: int, name: str) -> None:
    """Refuse a tokenizer of another model: its ids must index the model's embedding rows, one row per token.

    Allowed: a few unused rows, as when the embeddings were padded to a multiple of 8, 64 or 128 for speed (fewer
    than 128 spare rows; up to 1 024 when the row count is a multiple of 128, as Megatron pads). Refused: a token
    id past the last row (an index error in the first step), and an embedding table far larger than the
    vocabulary (an empty or foreign tokenizer: the ids mean other words than the ones the model learnt).
    """
    size = len(tokenizer)
    spare = rows - size
    if spare < 0 or not (spare < PADDING_ROWS or (rows % PADDING_ROWS == 0 and spare < PADDING_ROWS_ALIGNED)):
        raise ModelError(
            text("{0}'s tokenizer does not fit the model: {1:,} tokens for {2:,} embedding rows.", name, size,
                 rows),
            text("The tokenizer files belong to another model. Copy in the tokenizer the model was trained with "
                 "(it has {0:,} tokens, or a few fewer when the embeddings were padded).", rows))


def unknown_share(tokenizer: Any, texts: Iterable[str], max_chars: int = 200_000) -> float:
    """The share of tokens that are [UNK] over the first ``max_chars`` characters of ``texts`` (0.0 without any)."""
    unk = tokenizer.unk_token_id
    if unk is None:
        return 0.0
    sample: list[str] = []
    budget = max_chars
    for t in texts:
        if budget <= 0:
            break
        sample.append(t[:budget])
        budget -= len(sample[-1])
    ids = [i for row in tokenizer(sample, add_special_tokens=False)["input_ids"] for i in row] if sample else []
    return sum(i == unk for i in ids) / len(ids) if ids else 0.0


def check_unknown_share(tokenizer: Any, texts: Iterable[str], name: str, limit: float = UNK_LIMIT) -> float:
    """Refuse a tokenizer that turns most of a corpus sample into [UNK] (another script or language, a broken
    vocabulary): the model would learn to predict [UNK]. Returns the share when it is acceptable."""
    share = unknown_share(tokenizer, texts)
    if share > limit:
        raise ModelError(
            text("{0}'s tokenizer turns {1:.0%} of the corpus sample into [UNK]: it cannot read this text.", name,
                 share),
            text("Choose a model whose vocabulary covers the corpus's language and script (a multilingual or "
                 "language-specific model), or create a new model from this corpus (`bertgui new-model`, or Create "
                 "new model in the window): its vocabulary is learnt from your text. Adding a few words to this "
                 "vocabulary does not help at this share. Check too that the corpus is decoded correctly."))
    return share


def new_heads(missing_keys: list[str]) -> list[str]:
    heads: list[str] = []
    for key in missing_keys:
        for prefix, head in HEAD_PREFIXES.items():
            if key.startswith(prefix) and head not in heads:
                heads.append(head)
    return heads


def load_tokenizer(info: ModelInfo) -> Any:
    """The tokenizer alone (previews need no weights), checked against the embedding rows the config declares."""
    tok = _tokenizer(info)
    if info.vocab_size:
        check_tokenizer_fits(tok, info.vocab_size, info.name)
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
        try:
            check_folder(path, allow_pickle=True)  # no code of its own, weights and a tokenizer
            config = AutoConfig.from_pretrained(path, trust_remote_code=False)
            modes = model_modes(config)
        except Exception:
            continue
        if modes:
            found.append(CachedModel(repo.repo_id, path, config.model_type, modes, rev.size_on_disk))
    return sorted(found, key=lambda m: m.repo_id.lower())
