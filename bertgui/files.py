"""Writing what a person keeps: replace only bertgui's own folders, write to a temporary name, then rename.

WHY a module below every stage: export, ``new-model``, ``vocab --add``, ``train --overwrite`` and the window's
"Replace its contents" all replace a folder. Before this module each of them deleted the target first (a crash
then left nothing) and deleted *any* non-empty target on ``--overwrite`` (a Documents folder included). Here:

- :func:`check_replaceable` allows only an empty folder, or a model or run folder bertgui provably wrote (its
  marker or its run.json with bertgui's id); anything else is refused with a message that says why, and a folder
  to be replaced as a whole must hold nothing else (the rest is listed);
- :func:`place_folder` checks the destination again at the rename, under a lock on its parent folder;
- :func:`replace_folder` moves the old folder aside, renames the new one into place, and deletes the old one only
  then (if the rename fails, the old folder is put back);
- :func:`atomic_write_text` writes a file under a temporary name and renames it, so a reader never sees half a file;
- :func:`normalize_modes` gives files the permissions of the user's umask (safetensors writes 0600, the rest 0644).
"""

from __future__ import annotations

import contextlib
import fnmatch
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from bertgui.errors import ConfigError
from bertgui.text import text

WEIGHT_NAMES = ("model.safetensors", "model.safetensors.index.json", "pytorch_model.bin",
                "pytorch_model.bin.index.json")
# A run folder bertgui wrote is proven by its run.json: ``{"format": 1, "id": "<12 hex digits>", …}``
# (engine/folder.py writes it; repeated here because this module sits below the engine). Another tool's run.json,
# a metrics.jsonl or a ``checkpoint-*/trainer_state.json`` (any Hugging Face Trainer output) prove nothing.
RUN_RECORD = "run.json"
RUN_FORMAT = 1
# A model folder bertgui wrote (an export, a run's final-model, new-model, vocab --add) holds this marker.
MODEL_MARK = "bertgui_model.json"
ID_DIGITS = 12
OWN_PREFIX = ".bertgui"  # bertgui's own hidden files (the run lock, the write probe): not the user's

# What bertgui writes into the folders it may replace as a whole; anything else in them is the user's.
RUN_LAYOUT = ("bertgui.toml", "metrics.jsonl", RUN_RECORD, "final-model", "logs", "plan.json", "probe.json")
RUN_LAYOUT_PATTERNS = ("checkpoint-*", ".failed-rank*", ".final-model.partial*", ".run.json.*.tmp")
MODEL_LAYOUT = ("config.json", "generation_config.json", "model.safetensors", "model.safetensors.index.json",
                "pytorch_model.bin", "pytorch_model.bin.index.json", "tokenizer.json", "tokenizer_config.json",
                "special_tokens_map.json", "added_tokens.json", "vocab.txt", "chat_template.jinja", "README.md",
                "loss.png", "loss.csv", "bertgui.toml", "bertgui_summary.json", MODEL_MARK, "modules.json",
                "sentence_bert_config.json", "config_sentence_transformers.json", "training_args.bin")
MODEL_LAYOUT_PATTERNS = ("model-*.safetensors", "[0-9]_*", "[0-9][0-9]_*")  # shards, sentence-transformers modules


class FolderNotReplaceable(ConfigError):
    """A folder holds files bertgui did not write: replacing it would delete the user's work."""


def is_model_folder(folder: str | Path) -> bool:
    """``config.json`` beside weights: a model folder (bertgui's export, new-model, vocab output, or a download)."""
    path = Path(folder)
    return (path / "config.json").is_file() and (
        any((path / w).is_file() for w in WEIGHT_NAMES) or any(path.glob("model-*.safetensors")))


def _own_id(file: Path) -> str | None:
    """The id in one of bertgui's records (run.json, the model marker) when it has bertgui's format, else None."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("format") != RUN_FORMAT:
        return None
    found = str(data.get("id", ""))
    hexdigits = set("0123456789abcdef")
    return found if len(found) == ID_DIGITS and set(found) <= hexdigits else None


def is_bertgui_run(folder: str | Path) -> bool:
    """A run folder bertgui's engine wrote: its ``run.json`` with bertgui's format and a run id."""
    return not Path(folder, RUN_RECORD).is_symlink() and _own_id(Path(folder) / RUN_RECORD) is not None


def is_bertgui_model(folder: str | Path) -> bool:
    """A model folder bertgui wrote: its marker (:data:`MODEL_MARK`) with bertgui's format and an id."""
    return not Path(folder, MODEL_MARK).is_symlink() and _own_id(Path(folder) / MODEL_MARK) is not None


def mark_model_folder(folder: str | Path) -> Path:
    """Write the marker that proves a model folder is bertgui's (so ``--overwrite`` may later replace it)."""
    import uuid

    return atomic_write_text(Path(folder) / MODEL_MARK, json.dumps(
        {"format": RUN_FORMAT, "id": uuid.uuid4().hex[:ID_DIGITS], "written_by": "bertgui"}) + "\n")


def foreign_entries(folder: str | Path) -> list[str]:
    """The entries of a folder bertgui wrote that are not bertgui's (a thesis, notes, a script), sorted.

    A run folder's own entries are its records, logs, final model and checkpoints; a model folder's are the files
    of a saved model, its card and loss curve, and its sentence-transformers modules.
    """
    path = Path(folder)
    names: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    if is_bertgui_run(path):
        names, patterns = RUN_LAYOUT, RUN_LAYOUT_PATTERNS
    if is_bertgui_model(path):
        names, patterns = (*names, *MODEL_LAYOUT), (*patterns, *MODEL_LAYOUT_PATTERNS)
    out = []
    for entry in path.iterdir():
        if entry.name.startswith(OWN_PREFIX) or entry.name in names:
            continue
        if not any(fnmatch.fnmatch(entry.name, p) for p in patterns):
            out.append(entry.name)
    return sorted(out)


def _shown(entries: list[str]) -> str:
    return ", ".join(entries[:5]) + (", …" if len(entries) > 5 else "")


def check_replaceable(folder: str | Path, *, whole: bool = False) -> None:
    """Raise :class:`FolderNotReplaceable` unless ``folder`` is missing, empty, or a run or model bertgui wrote.

    ``whole``: the folder is to be replaced as a whole (export, new-model, vocab --add), so it must hold nothing
    but bertgui's files; the others are listed. Without it (``train --overwrite``) only bertgui's files go and the
    others stay.
    """
    path = Path(folder)
    if not path.exists():
        return
    if not path.is_dir():
        raise FolderNotReplaceable(text("{0} is a file, not a folder.", path),
                                   text("Choose a folder (a new or empty one)."))
    try:
        entries = sorted(p.name for p in path.iterdir() if not p.name.startswith(OWN_PREFIX))
        if not entries:
            return
        own = is_bertgui_run(path) or is_bertgui_model(path)
        foreign = foreign_entries(path) if own and whole else []
    except OSError as exc:
        raise FolderNotReplaceable(text("Cannot read {0}: {1}.", path, exc.strerror or exc),
                                   text("Choose a folder you can read and write.")) from None
    if not own:
        raise FolderNotReplaceable(
            text("{0} holds files that are not a model or a run bertgui wrote ({1}); bertgui replaces only its own "
                 "folders.", path, _shown(entries)),
            text("Choose a new or empty folder, or move those files away first."))
    if foreign:
        raise FolderNotReplaceable(
            text("{0} holds files bertgui did not write ({1}); replacing the folder would delete them.", path,
                 _shown(foreign)),
            text("Move those files away first, or choose a new or empty folder."))


@contextlib.contextmanager
def _parent_locked(target: Path) -> Iterator[None]:
    """An exclusive lock on the folder that holds ``target``: two writers of one destination take turns."""
    import fcntl

    fd = os.open(target.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing drops the lock


def place_folder(new: str | Path, target: str | Path, *, overwrite: bool) -> None:
    """Put the complete folder ``new`` at ``target``, checking *at the rename* that the place is free.

    WHY at the rename, under a lock: a check at the start only says how things were minutes ago; another export
    may have finished there since, or the person may have made the folder and put a file in it. Without
    ``overwrite`` an occupied target is refused; with it only a folder bertgui wrote, holding nothing else, is
    replaced (:func:`check_replaceable` with ``whole``).
    """
    new, target = Path(new), Path(target)
    with _parent_locked(target):
        occupied = target.exists() and (not target.is_dir() or any(target.iterdir()))
        if occupied and not overwrite:
            raise FolderNotReplaceable(text("{0} already exists and is not empty.", target),
                                       text("Choose another folder, or allow overwriting (--overwrite)."))
        if occupied:
            check_replaceable(target, whole=True)
        replace_folder(new, target)


def replace_folder(new: str | Path, target: str | Path) -> None:
    """Put the complete folder ``new`` at ``target``; an old ``target`` is deleted only once ``new`` is in place.

    ``new`` must be on the same file system (a temporary folder beside ``target``), so each move is one rename.
    Callers that replace a person's destination use :func:`place_folder`, which checks the place first.
    """
    new, target = Path(new), Path(target)
    if not target.exists():
        os.replace(new, target)
        return
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    if old.exists():
        shutil.rmtree(old, ignore_errors=True)
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.replace(old, target)  # put the old one back: the user keeps what they had
        raise
    shutil.rmtree(old, ignore_errors=True)


def atomic_write_text(path: str | Path, content: str) -> Path:
    """Write ``content`` (UTF-8) to ``path`` through a temporary file in the same folder and one rename."""
    path = Path(path)
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(content, encoding="utf-8")
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    """The process umask, read without changing it where the system says it (Linux), else by setting it back."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def normalize_modes(folder: str | Path) -> None:
    """Files 0666 and folders 0777 less the umask (0644/0755 usually), like any file the user writes.

    WHY: safetensors saves ``model.safetensors`` as 0600 and ``mkdtemp`` makes 0700 folders, so a model meant for
    sharing (on a shared disk, in a web server's folder) could not be read by others while its config could.
    """
    mask = _umask()
    root = Path(folder)
    for path in [root, *root.rglob("*")]:
        with contextlib.suppress(OSError):
            if path.is_symlink():
                continue
            os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~mask)


# ---------------------------------------------------------------------------------------------- damaged files
# A file cut short (a power cut, a full disk, kill -9 mid-write, a broken download) is named by these checks, which
# read headers and sizes only: never a 10¹⁵-byte allocation because a header says so.

def safetensors_problem(file: Path) -> str | None:
    """Why a ``.safetensors`` file is damaged (header length beyond the file, a header that does not parse,
    tensors past the end), or None. Reads the 8-byte length and the header only."""
    import struct

    try:
        size = file.stat().st_size
        with open(file, "rb") as fh:
            head = fh.read(8)
            if len(head) < 8:
                return text("{0} is cut short ({1} bytes)", file.name, size)
            (length,) = struct.unpack("<Q", head)
            if length > size - 8:
                return text("{0} is cut short or damaged (its header says {1:,} bytes, the file has {2:,})",
                            file.name, length, size)
            header = json.loads(fh.read(length).decode("utf-8"))
    except OSError as exc:
        return text("{0} cannot be read ({1})", file.name, exc.strerror or exc)
    except (ValueError, UnicodeDecodeError):
        return text("{0} is damaged (its header does not parse)", file.name)
    if not isinstance(header, dict):
        return text("{0} is damaged (its header does not parse)", file.name)
    ends = [int(t["data_offsets"][1]) for k, t in header.items()
            if k != "__metadata__" and isinstance(t, dict) and isinstance(t.get("data_offsets"), list)]
    if ends and max(ends) > size - 8 - length:
        return text("{0} is cut short ({1:,} of {2:,} bytes)", file.name, size, 8 + length + max(ends))
    return None


def torch_zip_problem(file: Path) -> str | None:
    """Why a file torch saved (a zip archive) is damaged — no end record (cut short), an entry past the end — or
    None. Reads the archive's directory only, never the tensors."""
    import zipfile

    try:
        size = file.stat().st_size
        with zipfile.ZipFile(file) as archive:
            for info in archive.infolist():
                if info.header_offset + info.compress_size > size:
                    return text("{0} is cut short ({1:,} bytes)", file.name, size)
    except OSError as exc:
        return text("{0} cannot be read ({1})", file.name, exc.strerror or exc)
    except (zipfile.BadZipFile, ValueError, EOFError):
        return text("{0} is cut short or damaged ({1:,} bytes)", file.name, size)
    return None
