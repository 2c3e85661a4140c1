"""The Evaluate page's playground: top-k fill-mask and next-sentence probability, base and trained side by side.

Runs in a worker. Models are loaded once through the core's loader (``bertgui.model.loading``: safetensors only unless
pickle was allowed) and kept by path; the trained model comes from the engine's ``TrainResult`` (still in memory)
or its ``final-model`` folder. The computation itself is the core's (``bertgui.model.predict``: the model's own heads,
checked against ``pipeline("fill-mask")``); this module only loads, caches and runs it in the page's worker.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bertgui.gui.work.tasks import TaskState, warm_imports

Loaded = tuple[Any, Any]  # (model, tokenizer)


def trained_model_path(outcome: Any) -> str:
    """Where the finished (or stopped) run left its final model; '' when there is none on disk."""
    result = getattr(outcome, "result", None)
    candidates = [getattr(result, "final_model_dir", ""), (outcome.summary or {}).get("final_model_dir", "")]
    if outcome.output_dir:
        candidates.append(str(Path(outcome.output_dir) / "final-model"))
    for c in candidates:
        if c and (Path(c) / "config.json").is_file():
            return str(c)
    return ""


def load(models: dict[str, Loaded], role: str, path: str, outcome: Any, allow_pickle: bool,
         state: TaskState) -> Loaded:
    """The model for ``role`` ('base' or 'tuned'), from the cache, from memory, or from disk (once)."""
    if path in models:
        return models[path]
    result = getattr(outcome, "result", None) if role == "tuned" else None
    if result is not None and getattr(result, "model", None) is not None and result.tokenizer is not None:
        loaded = (result.model, result.tokenizer)
    else:
        from bertgui.model.loading import load_model, resolve_model

        state.set_progress(0, 0, f"Loading {path}…")
        info = resolve_model(path, allow_pickle=allow_pickle)
        m = load_model(info, nsp=info.can_nsp, allow_pickle=allow_pickle)
        loaded = (m.model, m.tokenizer)
    loaded[0].eval()
    models[path] = loaded
    return loaded


def fill_mask(model: Any, tokenizer: Any, text: str, k: int) -> list[list[tuple[str, float]]]:
    """Top-k (token, probability) for every mask in ``text``: the core's ``bertgui.model.predict.fill_mask``."""
    from bertgui.model.predict import fill_mask as core_fill_mask

    return [list(p) for p in core_fill_mask(model, tokenizer, text, top_k=k)]


def next_sentence_probability(model: Any, tokenizer: Any, a: str, b: str) -> float | None:
    """P(B follows A) from the core's ``bertgui.model.predict.next_sentence``; None for a model without an NSP head."""
    from bertgui.model.predict import has_next_sentence_head, next_sentence

    if not has_next_sentence_head(model):
        return None
    return next_sentence(model, tokenizer, a, b)


def fill_mask_both(models: dict[str, Loaded], paths: dict[str, str], text: str, k: int, state: TaskState,
                   outcome: Any = None, allow_pickle: bool = False) -> dict[str, list[list[tuple[str, float]]]]:
    warm_imports()
    out = {}
    for role, path in paths.items():
        state.check()
        model, tok = load(models, role, path, outcome, allow_pickle, state)
        out[role] = fill_mask(model, tok, text, k)
    return out


def nsp_both(models: dict[str, Loaded], paths: dict[str, str], a: str, b: str, state: TaskState,
             outcome: Any = None, allow_pickle: bool = False) -> dict[str, float | None]:
    warm_imports()
    out = {}
    for role, path in paths.items():
        state.check()
        model, tok = load(models, role, path, outcome, allow_pickle, state)
        out[role] = next_sentence_probability(model, tok, a, b)
    return out
