"""Export a trained model as a folder stock ``transformers`` loads unchanged, with a model card and the loss curve.

WHY atomic: an export that dies half-way (full disk, a crash) must not leave a folder that looks like a model but
lacks weights, nor destroy an earlier export. Everything is written into a hidden temporary folder next to the
target, checked by loading it back, and renamed into place; an existing non-empty target is replaced only with
``overwrite=True``, only when it is a model or run folder bertgui wrote (never, say, a Documents folder), and only
after the new folder is complete: the old one is moved aside, the new one renamed in, the old one deleted last
(``bertgui.files.replace_folder``). The temporary folder never outlives a failure.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from glob import escape as glob_escape
from pathlib import Path
from typing import Any

from bertgui.errors import BertguiError, ModelError
from bertgui.files import (
    MODEL_MARK,
    FolderNotReplaceable,
    check_replaceable,
    mark_model_folder,
    normalize_modes,
    place_folder,
)
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
    up_to_step: int | None = None  # a checkpoint's step: its loss curve and figures end there


def plan_export(target: str | Path, base: str = "") -> list[str]:
    """The files an export writes (for the GUI's preview of what will happen); ``base``: the run's base model."""
    from bertgui.results.origin import base_folder

    lines = ["config.json", "model.safetensors", "tokenizer.json, tokenizer_config.json (and vocab files)",
             "README.md (model card)", f"{LOSS_PNG}, {LOSS_CSV} (loss curve)", "bertgui.toml (run configuration)"]
    folder = base_folder(base) if base else None
    if folder is not None and (folder / "modules.json").is_file():
        lines.append("modules.json, sentence_bert_config.json, 1_Pooling/… (the base's sentence-transformers modules)")
    return [*lines, f"into {Path(target)}"]


def _load_run(run_dir: Path, *, allow_pickle: bool = False) -> ExportSource:
    """A run's output folder (final-model, else the last checkpoint) or a plain model folder."""
    from transformers import AutoConfig, AutoTokenizer

    from bertgui.config import RunConfig
    from bertgui.engine.folder import CONFIG_FILE, FINAL_MODEL_DIR, last_checkpoint, read_metrics
    from bertgui.events import Finished

    if (run_dir / "trainer_state.json").exists() and (run_dir / "config.json").exists():
        return _load_checkpoint(run_dir, allow_pickle=allow_pickle)
    ended = any(isinstance(e, Finished) for e in read_metrics(run_dir))
    if (run_dir / FINAL_MODEL_DIR / "config.json").exists() and not ended and (ckpt := last_checkpoint(run_dir)):
        # killed while the final model was written: the run never recorded its end, so its figures are those of
        # its last complete checkpoint (the card must not say "0 optimizer steps")
        return _load_checkpoint(Path(ckpt), allow_pickle=allow_pickle)
    if (run_dir / FINAL_MODEL_DIR / "config.json").exists():
        model_dir = run_dir / FINAL_MODEL_DIR
    elif (run_dir / "config.json").exists():
        model_dir = run_dir
    else:
        ckpt = last_checkpoint(run_dir)
        if not ckpt:
            raise ModelError(text("{0} holds no trained model.", run_dir),
                             text("Train first, or choose a run's output folder."))
        return _load_checkpoint(Path(ckpt), allow_pickle=allow_pickle)  # a run that ended without a final model: its last checkpoint
    config = RunConfig.load(run_dir / CONFIG_FILE) if (run_dir / CONFIG_FILE).exists() else None
    finished = [e for e in read_metrics(run_dir) if isinstance(e, Finished)]
    summary = dict(finished[-1].summary) if finished else {}
    import transformers

    hf_config = AutoConfig.from_pretrained(model_dir, trust_remote_code=False)
    arch = (hf_config.architectures or ["AutoModelForMaskedLM"])[0]
    cls = getattr(transformers, arch, None) or transformers.AutoModelForMaskedLM
    model = _weights(cls, model_dir, allow_pickle)
    tok_dir = model_dir if (model_dir / "tokenizer_config.json").exists() else run_dir / FINAL_MODEL_DIR
    tokenizer = AutoTokenizer.from_pretrained(tok_dir, trust_remote_code=False)
    return ExportSource(model, tokenizer, config, summary, run_dir)


def _load_checkpoint(ckpt: Path, *, allow_pickle: bool = False) -> ExportSource:
    """One checkpoint of a run: its weights, the run's record up to its step (not the run's final figures)."""
    from bertgui.config import RunConfig
    from bertgui.engine.folder import CONFIG_FILE, FINAL_MODEL_DIR, checkpoint_step, read_metrics
    from bertgui.events import EvalMetrics, event_to_dict

    record = ckpt.parent
    step = checkpoint_step(str(ckpt))
    config = RunConfig.load(record / CONFIG_FILE) if (record / CONFIG_FILE).exists() else None
    tok_dir = next((d for d in (ckpt, record / FINAL_MODEL_DIR) if (d / "tokenizer_config.json").exists()), None)
    if tok_dir is None and config is not None and not config.vocab_add:
        tok_dir = Path(config.model)
    if tok_dir is None:
        raise ModelError(text("{0} holds no tokenizer, and the run's own tokenizer is not saved.", ckpt),
                         text("Export the run folder after it finished, or a checkpoint of a finished run."))
    import transformers
    from transformers import AutoConfig, AutoTokenizer

    arch = (AutoConfig.from_pretrained(ckpt).architectures or ["AutoModelForMaskedLM"])[0]
    cls = getattr(transformers, arch, None) or transformers.AutoModelForMaskedLM
    summary = dict(_run_summary(record))
    evals = [e for e in read_metrics(record) if isinstance(e, EvalMetrics)]
    metrics: dict[str, Any] = {}
    for e in evals:
        pair = metrics.setdefault(e.split, {"before": None, "after": None})
        if e.when == "before":
            pair["before"] = event_to_dict(e)
        elif e.step == step:
            pair["after"] = event_to_dict(e)
    summary.update(steps=step, stopped=False, metrics=metrics, final_model_dir="", last_checkpoint=ckpt.name,
                   notes=[*summary.get("notes", []), f"Exported from the checkpoint at step {step}."])
    summary.setdefault("base_model", getattr(config, "model", ""))
    return ExportSource(_weights(cls, ckpt, allow_pickle), AutoTokenizer.from_pretrained(tok_dir), config, summary,
                        record, up_to_step=step)


def _weights(cls: Any, folder: Path, allow_pickle: bool) -> Any:
    """The model of ``folder``: from safetensors; from pickle files only when allowed, and then only through
    torch's safe unpickler (a refusal is said in bertgui's words, never with torch's ``weights_only=False``)."""
    import pickle

    has_safetensors = (folder / "model.safetensors").is_file() or any(folder.glob("model-*.safetensors"))
    pickles = sorted(p.name for p in folder.iterdir() if p.name.lower().endswith(PICKLE_SUFFIXES)
                     and p.name.startswith(("pytorch_model", "model")))
    if not has_safetensors and pickles and not allow_pickle:
        raise ModelError(
            text("{0} has its weights only as pickle files ({1}); pickle can run code when loaded.", folder,
                 pickles[0]),
            text("Load it only if you trust its source: allow pickle weights (--allow-pickle), or convert it to "
                 ".safetensors."))
    try:
        return cls.from_pretrained(folder, trust_remote_code=False, use_safetensors=has_safetensors or None)
    except pickle.UnpicklingError as exc:  # torch's own message advises weights_only=False: never shown
        detail = next((line.strip() for line in str(exc).splitlines() if "Unsupported" in line), "")
        raise ModelError(text("{0}'s pickle weights hold more than tensors, so torch's safe loader refused them "
                              "({1}).", folder, detail or type(exc).__name__),
                         text("bertgui loads pickles only with the safe loader, even with --allow-pickle. If you "
                              "trust the file, convert it to .safetensors in a separate environment; otherwise "
                              "choose another model.")) from None


def _source(source: Any, config: Any, summary: dict[str, Any] | None, *, allow_pickle: bool = False) -> ExportSource:
    if isinstance(source, (str, Path)):
        src = _load_run(Path(source), allow_pickle=allow_pickle)
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
                 overwrite: bool = False, progress: ProgressFn | None = None, verify: bool = True,
                 license: str = "", model_name: str = "", allow_pickle: bool = False, examples: bool = False) -> Path:
    """Write ``target`` (atomically). ``source``: a TrainResult/Engine, a run output folder, or (model, tokenizer).

    ``allow_pickle``: a source folder whose weights are only pickle files is read (through torch's safe loader)
    instead of refused, as ``train --allow-pickle`` does. ``examples``: keep the held-out sentences of "what the
    model learned" in the card and summary (corpus text: off unless asked, never for the Hub).
    """
    target = Path(target).expanduser().resolve()
    step = 0
    total = 5

    def report(message: str) -> None:
        nonlocal step
        step += 1
        if progress is not None:
            progress(step, total, message)

    if isinstance(source, (str, Path)):
        _check_apart(Path(source), target)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        if not overwrite:
            raise ExportError(text("{0} already exists and is not empty.", target),
                              text("Choose another folder, or allow overwriting (--overwrite)."))
        try:
            check_replaceable(target, whole=True)
        except FolderNotReplaceable as exc:
            raise ExportError(exc.message, exc.advice) from None
    from bertgui.model.loading import quiet_transformers

    quiet_transformers()  # bertgui's progress only: no "Loading weights" / "Writing model shards" bars on stderr
    report(text("Reading the model"))
    src = _source(source, config, summary, allow_pickle=allow_pickle)
    if src.run_dir is not None:
        _check_apart(src.run_dir, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_export_leftovers(target)
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}{EXPORT_INFIX}", dir=target.parent))
        held = _hold(tmp)
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
        report(text("Writing the loss curve and the model card"))
        complete_model_folder(tmp, src, model_name=model_name or target.name, license=license,
                              on_note=lambda note: progress(step, total, note) if progress is not None else None,
                              examples=examples)
        report(text("Checking that transformers loads it"))
        if verify:
            verify_export(tmp)
        report(text("Moving into place"))
        normalize_modes(tmp)  # 0644/0755 as the umask says (safetensors writes 0600, mkdtemp 0700)
        try:
            place_folder(tmp, target, overwrite=overwrite)  # checked again at the rename, under a lock
        except FolderNotReplaceable as exc:
            raise ExportError(exc.message, exc.advice) from None
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)  # gone after any failure (after success it was renamed away)
        if isinstance(exc, OSError) and not isinstance(exc, BertguiError):
            raise ExportError(text("Export to {0} failed: {1}.", target, exc.strerror or exc),
                              text("Check free disk space and permissions, then export again.")) from exc
        if "No space left on device" in str(exc):  # safetensors' SafetensorError is no OSError
            raise ExportError(text("Export to {0} failed: the disk is full.", target),
                              text("Free some space or choose a folder on another disk, then export again.")) from exc
        raise
    finally:
        os.close(held)
    return target


EXPORT_INFIX = ".export-"  # the hidden temporary folder of an export: ``.NAME.export-XXXX`` beside the target


def _hold(folder: Path) -> int:
    """Lock the export's temporary folder for as long as this process lives (the OS drops the lock when it ends,
    however it ends), so a later export can tell a live export's folder from one a killed export left."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return fd


def remove_export_leftovers(target: Path) -> list[str]:
    """Delete the hidden ``.NAME.export-*`` folders that killed exports to ``target`` left (full weights each).

    A folder whose lock a live export holds stays. Returns the names removed.
    """
    import fcntl

    removed = []
    for path in target.parent.glob(f".{glob_escape(target.name)}{EXPORT_INFIX}*"):
        if path.is_symlink() or not path.is_dir():
            continue
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a live export writes there
        else:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
        finally:
            os.close(fd)
    return removed


def _check_apart(source: Path, target: Path) -> None:
    """Refuse an export onto its own run, into a folder that holds the run, or into one of the run's own folders.

    WHY: replacing the target would delete the run (its checkpoints, history, record and logs) — the very
    thing being exported. A new folder inside the run (the window suggests ``RUN/exported-model``) harms nothing.
    """
    import fnmatch

    from bertgui.files import RUN_LAYOUT, RUN_LAYOUT_PATTERNS

    run = source.expanduser().resolve()
    if (run / "trainer_state.json").is_file():  # a checkpoint: its run is the folder above
        run = run.parent
    inside = target.relative_to(run).parts[0] if target.is_relative_to(run) and target != run else ""
    owned = inside in RUN_LAYOUT or any(fnmatch.fnmatch(inside, p) for p in RUN_LAYOUT_PATTERNS)
    if run == target or run.is_relative_to(target) or owned:
        raise ExportError(
            text("{0} is the exported run's own folder or holds it ({1}): exporting there would delete the run.",
                 target, run),
            text("Choose an output folder outside the run, such as {0}.", run.parent / f"{run.name}-export"))


def verify_export(folder: Path) -> None:
    """Load with stock classes; the MLM decoder must be tied to the word embeddings."""
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    m = AutoModelForMaskedLM.from_pretrained(folder, trust_remote_code=False)
    AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
    out_emb, in_emb = m.get_output_embeddings(), m.get_input_embeddings()
    if out_emb is not None and out_emb.weight.data_ptr() != in_emb.weight.data_ptr():
        raise ModelError("The exported MLM decoder is not tied to the word embeddings.",
                         "Report this: the export would not load as the trained model.")


# ---------------------------------------------------------------------------------------------- the complete folder
# WHY one function: the window's export, ``bertgui export`` and the end of ``bertgui train`` must leave the same
# folder (card, loss curve, run configuration, sentence-transformers modules), so all three call
# :func:`complete_model_folder` on a folder that already holds the weights and the tokenizer.

SUMMARY_FILE = "bertgui_summary.json"
RUN_CONFIG_FILE = "bertgui.toml"
ST_FILES = ("modules.json", "sentence_bert_config.json", "config_sentence_transformers.json")
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")


def complete_model_folder(folder: Path, src: ExportSource, *, model_name: str = "", license: str = "",
                          on_note: Callable[[str], None] | None = None, examples: bool = False) -> list[str]:
    """Write the companions of a saved model into ``folder``, each file under a temporary name then renamed.

    Returns the names written. ``src.model`` is not needed: the architecture is read from ``config.json``.
    ``on_note`` hears what a person should know (files of the base model left out, and why); the notes also go
    into the summary and the card. The folder is for sharing: its ``bertgui.toml``, summary and card name files
    by their base names, never by local paths, and hold no corpus text unless ``examples`` (the "what the model
    learned" sentences) is asked for (``bertgui.results.shareable``).
    """
    from bertgui.data.language import corpus_language
    from bertgui.results.modelcard import model_card
    from bertgui.results.origin import base_folder, card_license, hub_origin
    from bertgui.results.shareable import shareable_config, shareable_summary

    folder = Path(folder)
    written: list[str] = []
    points = [p for p in loss_points(src.run_dir) if src.up_to_step is None or p["step"] <= src.up_to_step]
    if points:
        _atomic(folder / LOSS_CSV, lambda p: write_loss_csv(points, p))
        _atomic(folder / LOSS_PNG, lambda p: write_loss_png(points, p))
        written += [LOSS_CSV, LOSS_PNG]
    if src.config is not None:
        _atomic(folder / RUN_CONFIG_FILE, shareable_config(src.config).save)
        written.append(RUN_CONFIG_FILE)
    base = str(getattr(src.config, "model", "") or src.summary.get("base_model", ""))
    base_dir = base_folder(base)
    allow_pickle = bool(getattr(src.config, "allow_pickle", False))
    carried = (carry_sentence_transformers(base_dir, folder, allow_pickle=allow_pickle) if base_dir
               else Carried([], []))
    written += carried.written
    if carried.skipped:
        note = text("Not copied from the base model: {0}.", "; ".join(carried.skipped))
        src.summary = {**src.summary, "notes": [*src.summary.get("notes", []), note]}
        if on_note is not None:
            on_note(note)
    hf_config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    arch = (hf_config.get("architectures") or ["BertForMaskedLM"])[0]
    repo, how = hub_origin(base)
    license_origin = ""
    if not license:
        license = card_license(base_dir)
        license_origin = "the base model's (from its model card)" if license else ""
    shared = shareable_summary(card_summary(src, points), examples=examples)
    card = model_card(config=src.config, summary=shared, architecture=arch,
                      model_type=str(hf_config.get("model_type", "bert")), has_loss_curve=bool(points),
                      vocab_added=list(getattr(src.config, "vocab_add", []) or []), base_model=repo, base_origin=how,
                      language=corpus_language(src.config) if src.config is not None else None, license=license,
                      model_name=model_name, sentence_transformers="modules.json" in carried.written,
                      license_origin=license_origin)
    _atomic(folder / "README.md", lambda p: p.write_text(card, encoding="utf-8"))
    summary = json.dumps(shared, indent=2, default=str)
    _atomic(folder / SUMMARY_FILE, lambda p: p.write_text(summary, encoding="utf-8"))
    mark_model_folder(folder)  # bertgui's: a later --overwrite may replace it (and nothing else)
    return written + ["README.md", SUMMARY_FILE, MODEL_MARK]


def card_summary(src: ExportSource, points: list[dict[str, Any]]) -> dict[str, Any]:
    """The summary with what the run did: its last step and final plan from its events, the passes it made.

    WHY: the engine's ``Finished.summary`` holds the first plan; a time-budget run re-plans while it trains, and its
    configuration says ``max_steps = 0`` — the card must give the steps and passes actually done.
    """
    summary = dict(src.summary)
    if src.run_dir is not None and src.run_dir.is_dir():
        from bertgui.engine.folder import read_metrics, read_run
        from bertgui.engine.runs import run_progress

        progress = run_progress(read_metrics(src.run_dir), read_run(src.run_dir) or {})
        if progress.step:
            summary["steps"] = src.up_to_step if src.up_to_step is not None else progress.step
            summary["planned_steps"] = max(progress.planned, summary["steps"])
    if points:
        summary["passes"] = float(points[-1]["epoch"])
    if src.up_to_step is None:  # a probe of the run's trained model (not of an earlier checkpoint of it)
        from bertgui.results.probe import read_probe

        probe = read_probe(src.run_dir)
        if probe is not None and probe.get("step") in (None, summary.get("steps")):
            summary["probe"] = probe
    return summary


def finish_run_folder(run_dir: str | Path, *, license: str = "",
                      on_note: Callable[[str], None] | None = None) -> Path | None:
    """Complete a run's ``final-model`` from the run's own record (what ``bertgui train`` calls at its end).

    Returns the folder, or None when the run left no final model (it failed before saving one). ``on_note``: as
    for :func:`complete_model_folder`.
    """
    from bertgui.config import RunConfig
    from bertgui.engine.folder import CONFIG_FILE, FINAL_MODEL_DIR

    run_dir = Path(run_dir)
    final = run_dir / FINAL_MODEL_DIR
    if not (final / "config.json").exists():
        return None
    config = RunConfig.load(run_dir / CONFIG_FILE) if (run_dir / CONFIG_FILE).exists() else None
    src = ExportSource(None, None, config, _run_summary(run_dir), run_dir)
    # The Trainer's save_model drops a pickle of its arguments here; a model folder holds data, never pickle
    # (the checkpoints keep their own copy for resuming), so final-model matches an export file for file.
    (final / "training_args.bin").unlink(missing_ok=True)
    try:
        complete_model_folder(final, src, model_name=run_dir.resolve().name, license=license, on_note=on_note)
    except OSError as exc:
        raise ExportError(text("The model is saved in {0}, but its card and loss curve could not be written: {1}.",
                               final, exc.strerror or exc),
                          text("Free some disk space, then write them with `bertgui export {0} OUTPUT`.",
                               run_dir)) from exc
    return final


def _run_summary(run_dir: Path) -> dict[str, Any]:
    from bertgui.engine.folder import read_metrics
    from bertgui.events import Finished

    finished = [e for e in read_metrics(run_dir) if isinstance(e, Finished)]
    return dict(finished[-1].summary) if finished else {}


@dataclass
class Carried:
    """What :func:`carry_sentence_transformers` copied (names in the folder) and what it left out, with why."""

    written: list[str]
    skipped: list[str]


# The files a sentence-transformers module folder holds (Pooling, Dense, Normalize, Router, a tokenizer of its own):
# configurations, weights and vocabularies. Anything else (notes, scripts, keys) is not part of a model.
MODULE_SUFFIXES = (".json", ".safetensors", ".txt", ".model")


def _link_root(base_dir: Path) -> Path:
    """Where a link in ``base_dir`` may point: the folder itself, or for a Hugging Face cache snapshot its repository
    folder (``models--org--name``: the snapshot's files are links into its ``blobs``)."""
    real = base_dir.resolve()
    return real.parents[1] if real.parent.name == "snapshots" and len(real.parents) > 1 else real


def _regular_inside(path: Path, root: Path) -> bool:
    """A regular file, reached directly or through a link that stays inside ``root`` (never a device, a pipe…)."""
    import stat

    try:
        real = path.resolve(strict=True)
        return real.is_relative_to(root) and stat.S_ISREG(real.stat().st_mode)
    except (OSError, RuntimeError):  # a dangling or looping link
        return False


def carry_sentence_transformers(base_dir: Path, folder: Path, *, allow_pickle: bool = False) -> Carried:
    """Copy a sentence-transformers base's module stack (``modules.json`` and the module folders it lists).

    WHY: without ``modules.json`` ``SentenceTransformer(folder)`` builds mean pooling without normalisation, and
    the user's cosine scores change. The module at path ``""`` is the transformer itself (the exported weights);
    modules without a folder (all-MiniLM-L6-v2's ``2_Normalize``) have no files to carry. Pickle files are skipped
    unless the run allowed pickle.

    WHY so strict (the folder is published as it is): only regular files of a module's known kinds are copied,
    never a folder reached through a link and never a link that leaves the model folder (a ``notes.txt`` linked to
    ``~/.ssh/id_rsa`` would otherwise land in every export, ready for the Hub); a hub cache snapshot's links into
    its own ``blobs`` are followed. What was left out is returned in ``skipped``, with the reason.
    """
    base_dir = Path(base_dir)
    root = _link_root(base_dir)
    modules_file = base_dir / "modules.json"
    if not _regular_inside(modules_file, root):
        return Carried([], [])
    try:
        modules = json.loads(modules_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Carried([], [])
    written: list[str] = []
    skipped: list[str] = []
    for name in ST_FILES:
        if _regular_inside(base_dir / name, root):
            _atomic(folder / name, lambda p, n=name: shutil.copyfile(base_dir / n, p))
            written.append(name)
        elif (base_dir / name).is_symlink():
            skipped.append(text("{0} (a link that leaves the model folder)", name))
    for module in modules if isinstance(modules, list) else []:
        sub = str(module.get("path") or "") if isinstance(module, dict) else ""
        source = base_dir / sub
        if not sub or ".." in Path(sub).parts or Path(sub).is_absolute():
            continue
        if any((base_dir / Path(*Path(sub).parts[:i + 1])).is_symlink() for i in range(len(Path(sub).parts))):
            skipped.append(text("{0} (a link to a folder)", sub))
            continue
        if not source.is_dir():
            continue
        files, left = _module_files(source, sub, root, allow_pickle)
        skipped += left

        def copy(dest: Path, source: Path = source, files: list[Path] = files) -> None:
            dest.mkdir()
            for rel in files:
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source / rel, dest / rel)

        _atomic_dir(folder / sub, copy)
        written.append(sub)
    return Carried(written, skipped)


def _module_files(source: Path, sub: str, root: Path, allow_pickle: bool) -> tuple[list[Path], list[str]]:
    """The files of one module folder worth copying (relative paths), and the others with why they stay."""
    keep: list[Path] = []
    left: list[str] = []
    for here, dirs, names in os.walk(source, followlinks=False):
        for d in list(dirs):
            if (Path(here) / d).is_symlink():
                dirs.remove(d)
                left.append(text("{0} (a link to a folder)", f"{sub}/{(Path(here) / d).relative_to(source)}"))
        for name in sorted(names):
            path = Path(here) / name
            rel = path.relative_to(source)
            shown = f"{sub}/{rel.as_posix()}"
            if path.is_symlink() and not _regular_inside(path, root):
                left.append(text("{0} (a link that leaves the model folder)", shown))
            elif not _regular_inside(path, root):
                left.append(text("{0} (not a regular file)", shown))
            elif name.lower().endswith(PICKLE_SUFFIXES):
                if allow_pickle:
                    keep.append(rel)
                else:
                    left.append(text("{0} (a pickle file)", shown))
            elif name.lower().endswith(MODULE_SUFFIXES):
                keep.append(rel)
            else:
                left.append(text("{0} (not a model file)", shown))
    return keep, left


def _atomic(path: Path, write: Any) -> None:
    """``write(tmp)`` then rename onto ``path``: a reader never sees half a file (the suffix stays: matplotlib)."""
    tmp = path.with_name(f".{path.stem}.tmp-{os.getpid()}{path.suffix}")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _atomic_dir(path: Path, write: Any) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        write(tmp)
        if path.exists():
            old = path.with_name(f".{path.name}.old-{os.getpid()}")
            os.replace(path, old)
            os.replace(tmp, path)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
