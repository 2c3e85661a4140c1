"""The last stage: the final model on disk and the run's summary.

The final model is written beside its place and renamed into it: a failed save never leaves a ``final-model``
that looks like one, and an earlier one stays until the new one is complete. No pickle in it (the Trainer adds
``training_args.bin``, a torch pickle, to what it saves): this folder is meant to be shared.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from bertgui.engine.data_stage import DataStage
from bertgui.engine.folder import FINAL_MODEL_DIR
from bertgui.engine.model_stage import ModelStage
from bertgui.engine.state import RunEnv, RunState
from bertgui.events import EvalMetrics, event_to_dict

PARTIAL_FINAL = ".final-model.partial"  # the final model while it is written (renamed when complete)


def save_final_model(env: RunEnv, trainer: Any, tokenizer: Any, output: Path, *, model: Any = None) -> str:
    """``trainer`` None (a run finished from its last checkpoint): ``model`` is written as it is."""
    from bertgui.files import normalize_modes, replace_folder

    partial = output / PARTIAL_FINAL
    if env.is_main:
        shutil.rmtree(partial, ignore_errors=True)
    if trainer is not None:
        trainer.save_model(str(partial))  # every rank calls it; only the main process writes
    elif env.is_main:
        model.save_pretrained(str(partial))
    if not env.is_main:
        return ""
    tokenizer.save_pretrained(str(partial))
    (partial / "training_args.bin").unlink(missing_ok=True)
    normalize_modes(partial)  # safetensors writes 0600
    replace_folder(partial, output / FINAL_MODEL_DIR)
    return str(output / FINAL_MODEL_DIR)


def load_checkpoint_weights(model: Any, checkpoint: Path) -> None:
    """The weights of one of the run's checkpoints into ``model`` (safetensors only, as the engine writes them).

    Only tied copies (the MLM decoder, which is the word-embedding table) may be absent from the file; anything
    else missing or left over means the checkpoint is not this model's, and nothing is half-loaded silently.
    """
    from safetensors.torch import load_file

    from bertgui.errors import ModelError
    from bertgui.text import text

    path = checkpoint / "model.safetensors"
    if not path.is_file():
        raise ModelError(text("{0} holds no model.safetensors.", checkpoint),
                         text("Export the run instead: it takes its newest complete checkpoint."))
    weights = load_file(str(path), device="cpu")
    result = model.load_state_dict(weights, strict=False)
    tied = [k for k in result.missing_keys if k.endswith(("decoder.weight", "decoder.bias"))]
    if result.unexpected_keys or len(tied) != len(result.missing_keys):
        raise ModelError(text("{0} does not match the run's model (missing: {1}; unexpected: {2}).", checkpoint,
                              ", ".join(k for k in result.missing_keys if k not in tied)[:300] or "-",
                              ", ".join(result.unexpected_keys)[:300] or "-"),
                         text("Export the run instead: it takes its newest complete checkpoint."))
    model.tie_weights()


def end_distributed() -> None:
    """Wait for rank 0's evaluation and saving, then leave the process group cleanly (no abort at exit)."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def summary(env: RunEnv, state: RunState, model: ModelStage, data: DataStage, *, stopped: bool,
            elapsed: float) -> dict[str, Any]:
    """What the CLI prints, the window shows and the model card tells about the run."""
    def pick(when: str, split: str) -> dict[str, Any] | None:
        found = [e for e in state.evals if isinstance(e, EvalMetrics) and e.when == when and e.split == split]
        return event_to_dict(found[-1]) if found else None

    config, prepared, choice = state.config, data.prepared, model.choice
    splits = sorted({e.split for e in state.evals})
    c = prepared.train
    general = data.corpus.general
    out: dict[str, Any] = {
        "base_model": config.model, "mode": model.loaded.mode, "new_heads": list(model.loaded.new_heads),
        "steps": state.step, "planned_steps": state.schedule.steps if state.schedule is not None else data.total_steps,
        "stopped": stopped, "elapsed_s": elapsed, "real_tokens": state.counters.real_tokens,
        "device": choice.device, "device_name": choice.name, "precision": choice.precision,
        "learning_rate": state.learning_rate or config.learning_rate,
        "world_size": env.world_size,
        "corpus": {"train_documents": c.n_documents, "train_sentences": c.n_sentences, "train_tokens": c.n_tokens,
                   "eval_documents": prepared.eval.n_documents if prepared.eval is not None else 0,
                   "eval_tokens": prepared.eval.n_tokens if prepared.eval is not None else 0,
                   "files": list(config.corpus), "bytes": prepared.bytes_read},
        "metrics": {s: {"before": pick("before", s), "after": pick("after", s)} for s in splits},
        "general_text": "sample" if general.sample else str(general.path or ""),
        "notes": list(state.notes),
    }
    if state.plan is not None:
        out["plan"] = state.plan.to_dict()
    if state.heads is not None:
        out["heads"] = state.heads.to_dict()
    return out
