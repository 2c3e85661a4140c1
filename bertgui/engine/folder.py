"""What a run folder holds and how to read it back: its file names, its event log, its checkpoints.

WHY a module of its own: the engine writes a run folder, and the results stage (export, model card) and the window
read it. Keeping the names and readers here, free of torch and of the engine's heavy imports, lets the readers see
the layout without importing the engine that writes it.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bertgui.config import RunConfig
from bertgui.errors import ConfigError
from bertgui.events import Event, event_from_dict
from bertgui.states import RunStatus
from bertgui.text import text

METRICS_FILE = "metrics.jsonl"  # one event per line: the run's history (chart, card, resume)
FINAL_MODEL_DIR = "final-model"  # the trained model, as transformers loads it
CONFIG_FILE = "bertgui.toml"  # the run's RunConfig
LOGS_DIR = "logs"  # TensorBoard event files
STATE_FILE_NAME = "bertgui_state.json"  # bertgui's part of a checkpoint (see checkpoint_state)
RANK_FAILURE_PREFIX = ".failed-rank"  # distributed runs: a failing process's report, `.failed-rank<N>.json`


def read_metrics(output_dir: str | Path) -> list[Event]:
    """The events of earlier sessions of a run (for a resumed run's chart: the whole loss curve)."""
    path = Path(output_dir) / METRICS_FILE
    out: list[Event] = []
    if not path.exists():
        return out
    try:  # a line cut mid-write (kill -9, power cut) may end inside a character: read on, never crash
        with open(path, encoding="utf-8", errors="replace") as fh:  # streamed: never the whole file as one string
            for line in fh:
                with contextlib.suppress(ValueError, KeyError, TypeError):
                    out.append(event_from_dict(json.loads(line)))
    except OSError:
        return out
    return out


def last_checkpoint(output_dir: str | Path) -> str | None:
    """The newest ``checkpoint-N`` folder of a run that can be resumed from, or None.

    Complete (see :func:`complete_checkpoints`) and passing :func:`verify_checkpoint`: a torn newest checkpoint
    (an empty ``trainer_state.json``, an ``optimizer.pt`` cut short) gives way to the one before it;
    :func:`resume_checkpoint` also says why.
    """
    found, _notes = resume_checkpoint(output_dir)
    return str(found.path) if found is not None else None


def checkpoint_step(path: str | Path) -> int:
    """The optimizer step a checkpoint folder was saved at (0 when it cannot be read)."""
    try:
        return int(json.loads((Path(path) / "trainer_state.json").read_text())["global_step"])
    except (OSError, ValueError, KeyError):
        return 0


def check_writable(folder: Path) -> None:
    """Create ``folder`` and prove it takes a file; PermissionError otherwise (the engine names it for the user)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".bertgui-write-test-{os.getpid()}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise PermissionError(exc.errno, f"cannot write into {folder}", str(folder)) from exc


# ---------------------------------------------------------------------------------------------- run identity
RUN_FILE = "run.json"  # the run's id, state and sessions (see write_run)
LOCK_FILE = ".bertgui.lock"  # held with an OS lock by the one process that works on the run
RUN_FORMAT = 1


def new_run_id() -> str:
    """A short random id that names a run across renames of its folder (12 hex digits)."""
    import uuid

    return uuid.uuid4().hex[:12]


def read_run(folder: str | Path) -> dict[str, Any] | None:
    """``run.json`` of a run folder, or None when it is missing or unreadable (never raises).

    ``run.json`` holds ``{"format": 1, "id", "created", "updated", "state", "step", "planned_steps",
    "bertgui_version", "pid", "host", "sessions": [{"kind": "start"|"resume"|"train-further", "at", "from_step",
    "planned_steps"}], "failure": {"message", "kind"} | null}``. The writer never writes "interrupted": a reader
    infers it (state running or paused, but no process holds the lock) — see :func:`run_state`.
    """
    try:
        data = json.loads((Path(folder) / RUN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def write_run(folder: str | Path, data: dict[str, Any]) -> None:
    """Write ``run.json`` atomically (temporary name, then rename): a reader never sees half a file."""
    path = Path(folder) / RUN_FILE
    partial = path.with_name(f".{RUN_FILE}.{os.getpid()}.tmp")
    partial.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, path)


def lock_holder(folder: str | Path) -> str | None:
    """Who holds the run's lock ("pid host"), or None when no live process does (a dead holder frees it)."""
    import fcntl

    path = Path(folder) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            with contextlib.suppress(OSError):
                return path.read_text(encoding="utf-8").strip() or "another process"
            return "another process"
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def run_state(folder: str | Path) -> RunStatus:
    """The run's state as a person should read it: a running/paused run whose process is gone is "interrupted"."""
    data = read_run(folder) or {}
    state = RunStatus.read(data.get("state", ""))
    if state in (RunStatus.RUNNING, RunStatus.PAUSED, RunStatus.UNKNOWN) and lock_holder(folder) is None:
        if state != RunStatus.UNKNOWN or (Path(folder) / METRICS_FILE).exists():
            return RunStatus.INTERRUPTED
        return RunStatus.UNKNOWN
    return state if state not in (RunStatus.INTERRUPTED, RunStatus.MISSING) else RunStatus.UNKNOWN


def is_run_folder(folder: str | Path) -> bool:
    """Whether ``folder`` holds (part of) a bertgui run: its config, events, final model, checkpoints or run.json."""
    path = Path(folder)
    if not path.is_dir():
        return False
    names = (CONFIG_FILE, METRICS_FILE, FINAL_MODEL_DIR, RUN_FILE)
    return any((path / n).exists() for n in names) or any(path.glob("checkpoint-*"))


def complete_checkpoints(folder: str | Path) -> list[Path]:
    """The run's ``checkpoint-N`` folders that were saved whole (weights and trainer state), oldest step first.

    WHY not transformers' ``get_last_checkpoint``: it takes the highest number even when a full disk left only
    ``config.json`` in it, and resuming from that fails.
    """
    found = []
    for path in Path(folder).glob("checkpoint-*"):
        suffix = path.name.removeprefix("checkpoint-")
        if not (suffix.isdigit() and path.is_dir() and (path / "trainer_state.json").is_file()):
            continue
        if any((path / w).is_file() for w in ("model.safetensors", "pytorch_model.bin")) or any(
                path.glob("model-*.safetensors")):
            found.append((int(suffix), path))
    return [p for _, p in sorted(found)]


# ---------------------------------------------------------------------------------------------- checkpoint health
# transformers writes a checkpoint's files in place, one after the other: a power cut, a full disk or kill -9 can
# leave an empty trainer_state.json or an optimizer.pt cut short in the newest checkpoint, next to weights that look
# whole. Resuming from it fails deep in torch ("unexpected error"); these checks read only headers and sizes.
TORCH_ZIP_FILES = ("optimizer.pt", "scheduler.pt", "rng_state.pth", "training_args.bin", "pytorch_model.bin")
RNG_STATE = "rng_state.pth"


@dataclass
class CheckpointHealth:
    """What :func:`verify_checkpoint` found: ``problems`` make it unusable, ``warnings`` let it resume."""

    path: Path
    step: int = 0
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.problems


def verify_checkpoint(path: str | Path) -> CheckpointHealth:
    """Whether a ``checkpoint-N`` folder can be resumed from: every file readable, ``trainer_state.json`` parses and
    names step N, the weights' and torch files' headers agree with their sizes. A missing ``rng_state.pth`` is a
    warning: the run resumes, but its random draws (dropout) differ from an uninterrupted run's.
    """
    from bertgui.files import safetensors_problem, torch_zip_problem

    path = Path(path)
    health = CheckpointHealth(path)
    try:
        state = json.loads((path / "trainer_state.json").read_text(encoding="utf-8"))
        health.step = int(state["global_step"])
    except OSError:
        health.problems.append(text("trainer_state.json is missing or unreadable"))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        health.problems.append(text("trainer_state.json is empty or damaged"))
    suffix = path.name.removeprefix("checkpoint-")
    if health.step and suffix.isdigit() and int(suffix) != health.step:
        health.problems.append(text("trainer_state.json names step {0}, the folder step {1}", health.step, suffix))
    weights = sorted(path.glob("model*.safetensors"))
    if not weights and not (path / "pytorch_model.bin").is_file():
        health.problems.append(text("it holds no model weights"))
    for file in weights:
        if (problem := safetensors_problem(file)) is not None:
            health.problems.append(problem)
    for name in TORCH_ZIP_FILES:
        file = path / name
        if file.exists() and (problem := torch_zip_problem(file)) is not None:
            health.problems.append(problem)
    if not (path / "optimizer.pt").exists():
        health.problems.append(text("optimizer.pt is missing"))
    if STATE_FILE_NAME in {p.name for p in path.iterdir()} and not checkpoint_state(path):
        health.problems.append(text("{0} is empty or damaged", STATE_FILE_NAME))
    if not any(path.glob("rng_state*.pth")):
        health.warnings.append(text("{0} has no {1}: the resumed run's random draws (dropout) differ from an "
                                    "uninterrupted run's, so its losses will not match it exactly",
                                    path.name, RNG_STATE))
    return health


def resume_checkpoint(output_dir: str | Path) -> tuple[CheckpointHealth | None, list[str]]:
    """The newest checkpoint of a run that :func:`verify_checkpoint` passes, and notes for the person.

    The notes say which newer checkpoints were passed over and why (a torn checkpoint, "resuming from
    checkpoint-2 instead"), and the chosen one's warnings (a missing ``rng_state.pth``). Nothing is deleted:
    a damaged checkpoint's weights may still be worth exporting.
    """
    notes: list[str] = []
    for path in reversed(complete_checkpoints(output_dir) if Path(output_dir).is_dir() else []):
        health = verify_checkpoint(path)
        if health.complete:
            if notes:
                notes.append(text("Resuming from {0} (step {1}), the newest complete checkpoint.", path.name,
                                  health.step))
            return health, notes + health.warnings
        notes.append(text("{0} is damaged and is skipped: {1}.", path.name, "; ".join(health.problems)))
    return None, notes


def check_resumable(folder: str | Path) -> None:
    """Refuse to resume a folder bertgui did not write (a Hugging Face Trainer output, another tool's run).

    WHY: resuming adopts the folder — its lock, configuration, run.json and event log would be written into
    someone else's work. A run of bertgui's holds ``run.json`` with bertgui's format and a run id.
    """
    from bertgui.files import is_bertgui_run

    path = Path(folder)
    run = path.parent if (path / "trainer_state.json").is_file() else path
    if not run.is_dir():
        raise ConfigError(text("{0} does not exist.", run),
                          text("Choose the output folder of an earlier bertgui run."))
    if not is_bertgui_run(run):
        raise ConfigError(text("{0} is not a run bertgui wrote (it has no run.json of bertgui's); bertgui resumes "
                               "only its own runs and writes nothing into this folder.", run),
                          text("Start a new run with --output in a new folder (the model in it can be its base "
                               "with --model)."))


# ---------------------------------------------------------------------------------------------- the writer side
class RunBusy(ConfigError):
    """Another live process works on this run folder (it holds the folder's lock)."""

    def __init__(self, folder: Path, holder: str) -> None:
        super().__init__(
            text("{0} is in use by another training run (process {1}).", folder, holder),
            text("Wait until that run ends or stop it, or choose another output folder."))
        self.holder = holder


class RunLock:
    """An exclusive ``fcntl.flock`` on the run's ``.bertgui.lock``, held for the whole run by one process.

    WHY flock: the operating system drops it when the process ends, however it ends (``kill -9``, a power cut, a
    crash), so a dead run never leaves a stale lock, and no process id has to be checked for liveness. The file
    holds "pid host" so a refusal can name the holder. The file itself stays (deleting it would let a second
    process lock a new file while the first still holds the old one).
    """

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)
        self._fd: int | None = None

    def acquire(self) -> RunLock:
        import fcntl
        import socket

        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            holder = ""
            with contextlib.suppress(OSError, UnicodeDecodeError):
                holder = (self.folder / LOCK_FILE).read_text(encoding="utf-8").strip()
            raise RunBusy(self.folder, holder or "unknown") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        import fcntl

        if self._fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


PLAN_FILE = "plan.json"  # the time-budget plan (engine/budget.py)
PROBE_FILE = "probe.json"  # the last probe of the run's trained model (results/probe.py)
RUN_FILES = (CONFIG_FILE, METRICS_FILE, RUN_FILE, FINAL_MODEL_DIR, LOGS_DIR, PLAN_FILE, PROBE_FILE)


def clear_run(folder: str | Path) -> None:
    """Remove the files of the run in ``folder`` (``--overwrite``), only bertgui's: other files stay untouched.

    Call it with the run's lock held, so a run in progress is never cleared under its feet.
    """
    import shutil

    path = Path(folder)
    for name in RUN_FILES:
        target = path / name
        if target.is_dir():
            shutil.rmtree(target, ignore_errors=True)
        else:
            target.unlink(missing_ok=True)
    for pattern in ("checkpoint-*", f"{RANK_FAILURE_PREFIX}*.json", ".final-model.partial*"):
        for target in path.glob(pattern):
            if target.is_dir():
                shutil.rmtree(target, ignore_errors=True)
            else:
                target.unlink(missing_ok=True)


def remove_incomplete_checkpoints(folder: str | Path) -> list[str]:
    """Delete ``checkpoint-N`` folders that were not saved whole (a full disk, a kill mid-save); their names.

    Call it with the run's lock held: a checkpoint another process is writing looks incomplete too.
    """
    import shutil

    complete = set(complete_checkpoints(folder))
    removed = []
    for path in Path(folder).glob("checkpoint-*"):
        if path.is_dir() and path.name.removeprefix("checkpoint-").isdigit() and path not in complete:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    return removed


def checkpoint_plan(path: str | Path) -> tuple[int, int]:
    """(step, planned steps) a checkpoint was saved at, from its ``trainer_state.json`` ((0, 0) if unreadable)."""
    try:
        state = json.loads((Path(path) / "trainer_state.json").read_text())
        return int(state["global_step"]), int(state.get("max_steps") or 0)
    except (OSError, ValueError, KeyError, TypeError):
        return 0, 0


STATE_FILE = STATE_FILE_NAME  # in a checkpoint: what the Trainer's state lacks (real tokens, schedule length)


def checkpoint_state(path: str | Path) -> dict[str, Any]:
    """bertgui's own part of a checkpoint (``real_tokens``, ``schedule_steps``); {} when missing or unreadable."""
    try:
        data = json.loads((Path(path) / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return {}
    return data if isinstance(data, dict) else {}


def checkpoint_real_tokens(path: str | Path, output_dir: str | Path) -> int:
    """The real tokens trained up to a checkpoint: from the checkpoint, else the event log up to its step."""
    with contextlib.suppress(ValueError, KeyError, TypeError):
        return int(checkpoint_state(path)["real_tokens"])
    from bertgui.events import StepMetrics

    step = checkpoint_step(path)
    seen = [e.real_tokens for e in read_metrics(output_dir) if isinstance(e, StepMetrics) and e.step <= step]
    return seen[-1] if seen else 0


def trim_metrics(output_dir: str | Path, step: int, *, drop_after: bool = False) -> int:
    """Drop the events after ``step`` from the run's log (a resume from checkpoint ``step``); how many went.

    WHY: after ``kill -9`` the log holds the steps the killed session trained past its last checkpoint; the resumed
    session trains them again, and the chart and the card must show one curve, not two interleaved. A line cut
    mid-write goes too. Written back through a temporary file.
    """
    from bertgui.files import atomic_write_text

    path = Path(output_dir) / METRICS_FILE
    if not path.exists():
        return 0
    kept, dropped = [], 0
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            data = json.loads(line)
            event_from_dict(data)
        except (ValueError, KeyError, TypeError):
            dropped += 1
            continue
        if isinstance(data.get("step"), int) and data["step"] > step:
            dropped += 1
            continue
        if drop_after and data.get("when") == "after":  # ``drop_after``: a killed session's "after" figures too
            dropped += 1
            continue
        kept.append(line)
    if dropped:
        atomic_write_text(path, "".join(f"{line}\n" for line in kept))
    return dropped


# Settings a resumed run must keep: they define its data, its schedule or its model. The others (output and
# logging, checkpoints, device, speed levers that give the same training) may change between sessions.
RESUME_FIXED = ("corpus", "text_column", "documents", "eval_share", "general_corpus", "general_sample", "replay_share",
                "model", "nsp",
                "mlm_probability", "mask_replace_prob", "random_replace_prob", "whole_word_masking", "max_seq_length",
                "short_seq_prob", "chinese_word_segmentation", "batch_size", "gradient_accumulation",
                "learning_rate", "weight_decay", "schedule", "warmup_ratio", "epochs", "max_steps", "max_grad_norm",
                "seed", "group_by_length", "tokens_per_step", "attention_dropout", "vocab_add", "vocab_reuse_unused",
                "headless_lr_scale")


def resume_conflicts(saved: RunConfig, given: RunConfig) -> list[str]:
    """Why ``given`` cannot resume the run saved with ``saved``: one line per setting it would change.

    A resumed run continues *that* run: other data, another schedule or another model would silently make a
    different run out of the first one's checkpoint (the learning rate jumping, the data order broken).
    """
    import dataclasses

    from bertgui.config import toml_name

    out = []
    for f in dataclasses.fields(saved):
        if f.name not in RESUME_FIXED:
            continue
        before, after = getattr(saved, f.name), getattr(given, f.name)
        if f.name == "corpus":
            before, after = [str(Path(p).resolve()) for p in before], [str(Path(p).resolve()) for p in after]
        if before != after:
            out.append(text("{0} is {1!r} in this run, not {2!r}", toml_name(f), getattr(saved, f.name),
                            getattr(given, f.name)))
    return out
