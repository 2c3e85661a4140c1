"""Export a trained model as a folder stock ``transformers`` loads unchanged, with a model card and the loss curve.

WHY atomic: an export that dies half-way (full disk, a crash) must not leave a folder that looks like a model but
lacks weights, nor destroy an earlier export. Everything is written into a hidden temporary folder next to the
target, checked by loading it back, and renamed into place; an existing non-empty target is replaced only with
``overwrite=True`` (and then only after the new folder is complete).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bertgui.errors import BertguiError, ModelError
from bertgui.model.loading import ProgressFn
from bertgui.text import text

LOSS_PNG = "loss.png"
LOSS_CSV = "loss.csv"


class ExportError(BertguiError):
    """The export target cannot be written (exists, not writable, disk full)."""


@dataclass
class ExportSource:
    model: Any
    tokenizer: Any
    config: Any  # RunConfig or None
    summary: dict[str, Any]
    run_dir: Path | None  # where metrics.jsonl lives


def plan_export(target: str | Path) -> list[str]:
    """The files an export writes (for the GUI's preview of what will happen)."""
    return ["config.json", "model.safetensors", "tokenizer.json, tokenizer_config.json (and vocab files)",
            "README.md (model card)", f"{LOSS_PNG}, {LOSS_CSV} (loss curve)", "bertgui.toml (run configuration)",
            f"into {Path(target)}"]


def _load_run(run_dir: Path) -> ExportSource:
    """A run's output folder (final-model, else the last checkpoint) or a plain model folder."""
    from transformers import AutoConfig, AutoTokenizer

    from bertgui.config import RunConfig
    from bertgui.engine.folder import CONFIG_FILE, FINAL_MODEL_DIR, last_checkpoint, read_metrics
    from bertgui.events import Finished

    if (run_dir / FINAL_MODEL_DIR / "config.json").exists():
        model_dir = run_dir / FINAL_MODEL_DIR
    elif (run_dir / "config.json").exists():
        model_dir = run_dir
    else:
        ckpt = last_checkpoint(run_dir)
        if not ckpt:
            raise ModelError(text("{0} holds no trained model.", run_dir),
                             text("Train first, or choose a run's output folder."))
        model_dir = Path(ckpt)
    config = RunConfig.load(run_dir / CONFIG_FILE) if (run_dir / CONFIG_FILE).exists() else None
    finished = [e for e in read_metrics(run_dir) if isinstance(e, Finished)]
    summary = dict(finished[-1].summary) if finished else {}
    import transformers

    hf_config = AutoConfig.from_pretrained(model_dir, trust_remote_code=False)
    arch = (hf_config.architectures or ["AutoModelForMaskedLM"])[0]
    cls = getattr(transformers, arch, None) or transformers.AutoModelForMaskedLM
    model = cls.from_pretrained(model_dir, trust_remote_code=False)
    tok_dir = model_dir if (model_dir / "tokenizer_config.json").exists() else run_dir / FINAL_MODEL_DIR
    tokenizer = AutoTokenizer.from_pretrained(tok_dir, trust_remote_code=False)
    return ExportSource(model, tokenizer, config, summary, run_dir)


def _source(source: Any, config: Any, summary: dict[str, Any] | None) -> ExportSource:
    if isinstance(source, (str, Path)):
        src = _load_run(Path(source))
    elif hasattr(source, "model") and hasattr(source, "tokenizer"):  # TrainResult or Engine
        run_dir = Path(getattr(source, "output_dir", "") or getattr(getattr(source, "config", None), "output_dir",
                                                                    "")) or None
        src = ExportSource(source.model, source.tokenizer, getattr(source, "config", None),
                           dict(getattr(source, "summary", {}) or {}), run_dir)
        if src.model is None:
            raise ModelError(text("There is no trained model in memory to export."),
                             text("Train (or load a run) first."))
    elif isinstance(source, tuple) and len(source) == 2:
        src = ExportSource(source[0], source[1], None, {}, None)
    else:
        raise TypeError(f"cannot export from {type(source).__name__}")
    if config is not None:
        src.config = config
    if summary:
        src.summary = dict(summary)
    return src


def loss_points(run_dir: Path | None) -> list[dict[str, Any]]:
    """Step metrics of all sessions of the run (a resumed run continues the curve; the latest value wins)."""
    if run_dir is None:
        return []
    from bertgui.engine.folder import read_metrics
    from bertgui.events import StepMetrics

    by_step: dict[int, StepMetrics] = {}
    for ev in read_metrics(run_dir):
        if isinstance(ev, StepMetrics):
            by_step[ev.step] = ev
    return [{"step": s, "epoch": e.epoch, "loss": e.loss, "mlm_loss": e.mlm_loss, "nsp_loss": e.nsp_loss,
             "learning_rate": e.learning_rate} for s, e in sorted(by_step.items())]


def write_loss_csv(points: list[dict[str, Any]], path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=["step", "epoch", "loss", "mlm_loss", "nsp_loss", "learning_rate"])
        w.writeheader()
        for p in points:
            w.writerow({k: ("" if v is None else v) for k, v in p.items()})


def write_loss_png(points: list[dict[str, Any]], path: Path) -> None:
    """Loss curve with the Agg backend (no display, no Qt)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7, 4), dpi=110)
    ax = fig.add_subplot(1, 1, 1)
    steps = [p["step"] for p in points]
    ax.plot(steps, [p["loss"] for p in points], label="total loss", color="#1f77b4")
    if any(p["nsp_loss"] is not None for p in points):
        ax.plot(steps, [p["mlm_loss"] for p in points], label="MLM loss", color="#2ca02c", alpha=0.8)
        ax.plot(steps, [p["nsp_loss"] if p["nsp_loss"] is not None else float("nan") for p in points],
                label="NSP loss", color="#d62728", alpha=0.8)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path)


def export_model(source: Any, target: str | Path, *, config: Any = None, summary: dict[str, Any] | None = None,
                 overwrite: bool = False, progress: ProgressFn | None = None, verify: bool = True) -> Path:
    """Write ``target`` (atomically). ``source``: a TrainResult/Engine, a run output folder, or (model, tokenizer)."""
    target = Path(target).expanduser().resolve()
    step = 0
    total = 6

    def report(message: str) -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, total, message)

    if target.exists() and (not target.is_dir() or any(target.iterdir())) and not overwrite:
        raise ExportError(text("{0} already exists and is not empty.", target),
                          text("Choose another folder, or allow overwriting (--overwrite)."))
    report(text("Reading the model"))
    src = _source(source, config, summary)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.export-", dir=target.parent))
    except OSError as exc:
        raise ExportError(text("Cannot write into {0}: {1}.", target.parent, exc.strerror),
                          text("Choose a folder you can write to.")) from None
    try:
        report(text("Writing weights and tokenizer"))
        model = src.model
        was_training = model.training
        model.eval()
        model.save_pretrained(tmp, safe_serialization=True)
        model.train(was_training)
        src.tokenizer.save_pretrained(tmp)
        report(text("Writing the loss curve"))
        points = loss_points(src.run_dir)
        if points:
            write_loss_csv(points, tmp / LOSS_CSV)
            write_loss_png(points, tmp / LOSS_PNG)
        if src.config is not None:
            src.config.save(tmp / "bertgui.toml")
        report(text("Writing the model card"))
        from bertgui.results.modelcard import model_card

        arch = (getattr(model.config, "architectures", None) or [type(model).__name__])[0]
        card = model_card(config=src.config, summary=src.summary, architecture=arch,
                          model_type=model.config.model_type, has_loss_curve=bool(points),
                          vocab_added=list(getattr(src.config, "vocab_add", []) or []))
        (tmp / "README.md").write_text(card, encoding="utf-8")
        (tmp / "bertgui_summary.json").write_text(json.dumps(src.summary, indent=2, default=str), encoding="utf-8")
        report(text("Checking that transformers loads it"))
        if verify:
            verify_export(tmp)
        report(text("Moving into place"))
        _replace(tmp, target)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError) and not isinstance(exc, BertguiError):
            raise ExportError(text("Export to {0} failed: {1}.", target, exc.strerror or exc),
                              text("Check free disk space and permissions, then export again.")) from exc
        raise
    return target


def _replace(tmp: Path, target: Path) -> None:
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(tmp, target)
    os.chmod(target, 0o755)


def verify_export(folder: Path) -> None:
    """Load with stock classes; the MLM decoder must be tied to the word embeddings."""
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    m = AutoModelForMaskedLM.from_pretrained(folder, trust_remote_code=False)
    AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
    out_emb, in_emb = m.get_output_embeddings(), m.get_input_embeddings()
    if out_emb is not None and out_emb.weight.data_ptr() != in_emb.weight.data_ptr():
        raise ModelError("The exported MLM decoder is not tied to the word embeddings.",
                         "Report this: the export would not load as the trained model.")
