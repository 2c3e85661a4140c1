"""The first stage: the run folder, owned by this process for the whole run, and what a resume continues from.

Locked first (a second run into it fails at once, naming the holder), then: a new run into a folder that holds
another run is refused unless ``overwrite``; a resume takes *this* run's latest complete checkpoint, refuses a
finished run (train further instead) and settings that would make it another run, and drops the events the
interrupted session logged past that checkpoint. Then ``run.json`` and the config are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from bertgui.config import RunConfig
from bertgui.engine.folder import (
    CONFIG_FILE,
    LOGS_DIR,
    METRICS_FILE,
    RunLock,
    check_resumable,
    check_writable,
    checkpoint_plan,
    checkpoint_real_tokens,
    checkpoint_state,
    checkpoint_step,
    clear_run,
    is_run_folder,
    lock_holder,
    read_metrics,
    read_run,
    remove_incomplete_checkpoints,
    resume_checkpoint,
    resume_conflicts,
    verify_checkpoint,
)
from bertgui.engine.record import RunRecord
from bertgui.engine.state import Folder, RunEnv
from bertgui.errors import ConfigError
from bertgui.states import RunStatus
from bertgui.text import text


@dataclass
class Opened:
    """The open folder: its decisions (``folder``), the session's config, and what the main process holds."""

    folder: Folder
    config: RunConfig  # train further: the session's plan (more steps)
    lock: RunLock | None = None
    record: RunRecord | None = None
    tensorboard: Any = None  # bertgui.engine.tensorboard.TensorBoardLog
    notes: list[str] = field(default_factory=list)  # which checkpoint a resume takes, and why (a torn newer one)


def open_folder(env: RunEnv, config: RunConfig, resume: str | bool | None, *, overwrite: bool,
                train_further: int) -> Opened:
    output = Path(config.output_dir)
    if not env.is_main:  # the main process owns the folder; the others find the same checkpoint and plan
        resume_dir = find_resume_dir(output, resume)
        return Opened(_folder(output, resume_dir, train_further), _session_config(config, resume_dir,
                                                                                    train_further))
    if overwrite and not resume:  # before the lock file: a folder that is not bertgui's gets nothing
        from bertgui.files import check_replaceable

        check_replaceable(output)
    if resume and lock_holder(output) is None and _run_of(resume, output) == output.resolve():
        check_resumable(output)  # adopting another tool's folder would write our lock, config and log into it
    check_writable(output)
    lock = RunLock(output).acquire()
    try:
        return _open_locked(config, output, lock, resume, overwrite=overwrite, train_further=train_further)
    except BaseException:
        lock.release()
        raise


def _open_locked(config: RunConfig, output: Path, lock: RunLock, resume: str | bool | None, *, overwrite: bool,
                 train_further: int) -> Opened:
    earlier = read_run(output) or {}
    resume_dir = None
    finish_only = False
    notes: list[str] = []
    if resume:
        remove_incomplete_checkpoints(output)
        resume_dir = find_resume_dir(output, resume, notes)
        if Path(resume_dir).resolve().parent != output.resolve():
            raise ConfigError(text("{0} is a checkpoint of the run in {1}, not of {2}.", resume_dir,
                                   Path(resume_dir).parent, output),
                              text("Resume a run in its own folder (its output folder is {0}).",
                                   Path(resume_dir).parent))
        step, planned = checkpoint_plan(resume_dir)
        planned = _scheduled_steps(resume_dir, planned)
        finish_only = not train_further and training_complete(output, earlier, step, planned)
        if finish_only:  # killed while its final model was written: the resume finishes it, no step more
            notes.append(str(text("Run {0} trained all {1} of its steps but was interrupted before its end was "
                                  "recorded (while its final model was written): finishing it from {2}, without "
                                  "training further.", earlier.get("id") or output.name, step,
                                  Path(resume_dir).name)))
        else:
            check_resume(config, output, earlier, step, planned, train_further=train_further)
        # metrics.jsonl is trimmed to the checkpoint only once the Trainer has loaded it (EventSinks)
    else:
        if is_run_folder(output) and not overwrite:
            raise ConfigError(text("{0} already holds a training run.", output),
                              text("Resume it, start afresh over it (overwrite), or choose another output folder."))
        if overwrite and is_run_folder(output):  # checked again under the lock; only bertgui's files go
            clear_run(output)
        earlier = {}
        (output / METRICS_FILE).unlink(missing_ok=True)
    session = _session_config(config, resume_dir, train_further)
    session.save(output / CONFIG_FILE)
    kind = "train-further" if train_further else "resume" if resume_dir else "start"
    record = RunRecord(output, earlier, resume_dir=resume_dir, planned_steps=session.max_steps, kind=kind)
    from bertgui.engine.tensorboard import TensorBoardLog

    tensorboard = TensorBoardLog(output / LOGS_DIR, read_metrics(output) if resume_dir else ())
    folder = _folder(output, resume_dir, train_further, run_id=record.run_id)
    if resume_dir and finish_only:
        folder = replace(folder, finish_only=True)
    return Opened(folder, session, lock, record, tensorboard, notes)


def _scheduled_steps(resume_dir: str, planned: int) -> int:
    """The run's length as its checkpoint's schedule says (a time-budget run re-plans; the Trainer's own
    ``max_steps`` keeps the first plan), else the Trainer's."""
    saved = checkpoint_state(resume_dir).get("schedule")
    if isinstance(saved, dict) and isinstance(saved.get("steps"), int) and saved["steps"] > 0:
        return int(saved["steps"])
    return planned


def training_complete(output: Path, earlier: dict[str, Any], step: int, planned: int) -> bool:
    """Every planned step trained and checkpointed, but the run's end never recorded: a ``kill -9`` (or a power
    cut) while the "after" evaluation ran or the final model was written. Such a run is neither finished nor
    resumable by training; a resume finishes it."""
    if not planned or step < planned:
        return False
    if RunStatus.read(str(earlier.get("state", ""))) not in (RunStatus.RUNNING, RunStatus.PAUSED,
                                                              RunStatus.INTERRUPTED, RunStatus.UNKNOWN):
        return False
    from bertgui.events import Finished, RunStarted

    ended = False
    for ev in read_metrics(output):
        if isinstance(ev, RunStarted):
            ended = False
        elif isinstance(ev, Finished):
            ended = True
    return not ended


def _run_of(resume: str | bool, output: Path) -> Path:
    """The run folder a resume names: the output folder, a run folder, or a checkpoint's parent."""
    source = output if resume is True else Path(str(resume))
    return (source.parent if (source / "trainer_state.json").is_file() else source).resolve()


def _folder(output: Path, resume_dir: str | None, train_further: int, run_id: str = "") -> Folder:
    if not resume_dir:
        return Folder(output, run_id=run_id)
    saved = checkpoint_state(resume_dir)
    return Folder(output, resume_dir, checkpoint_step(resume_dir), checkpoint_real_tokens(resume_dir, output),
                  saved.get("schedule") if isinstance(saved.get("schedule"), dict) else None,
                  train_further, run_id)


def _session_config(config: RunConfig, resume_dir: str | None, train_further: int) -> RunConfig:
    """Train further: N more steps from the checkpoint's step; otherwise the config as given."""
    if resume_dir and train_further:
        return config.replace(max_steps=checkpoint_step(resume_dir) + train_further)
    return config


def check_resume(config: RunConfig, output: Path, earlier: dict[str, Any], step: int, planned: int, *,
                 train_further: int) -> None:
    """A resume continues this run with its own settings; a finished run trains further only when asked."""
    saved_path = output / CONFIG_FILE
    if saved_path.exists():
        saved = RunConfig.load(saved_path)
        conflicts = resume_conflicts(saved, config)
        if conflicts:
            raise ConfigError(text("Resuming would change the run: {0}.", "; ".join(conflicts)),
                              text("Resume with the run's own settings (leave those out), or start a new run."))
    run_id = earlier.get("id") or output.name
    if train_further:
        if step < planned:
            raise ConfigError(text("Run {0} is not finished: step {1} of {2}.", run_id, step, planned),
                              text("Resume it first; train further once it has finished."))
        return
    if (planned and step >= planned) or (earlier.get("state") == "finished"
                                          and int(earlier.get("step", -1)) <= step):
        done = max(step, int(earlier.get("step", 0) or 0))
        raise ConfigError(text("Run {0} is finished: it trained all {1} of its {2} steps.", run_id, done,
                               max(planned, done)),
                          text("Train it further (N more steps with a fresh schedule: --train-further N), or "
                               "start a new run."))


def find_resume_dir(output: Path, resume: str | bool | None, notes: list[str] | None = None) -> str | None:
    """The checkpoint to resume: the newest *verified* one of this run (or the one checkpoint folder named).

    A newer checkpoint that is torn (an empty ``trainer_state.json``, a cut ``optimizer.pt``) is passed over and
    ``notes`` say so; a named checkpoint that is damaged is refused with what is wrong.
    """
    notes = notes if notes is not None else []
    if not resume:
        return None
    path = output if resume is True else Path(str(resume))
    if (path / "trainer_state.json").exists():
        health = verify_checkpoint(path)
        if not health.complete:
            raise ConfigError(text("{0} is damaged: {1}.", path, "; ".join(health.problems)),
                              text("Resume from the run folder: bertgui takes its newest complete checkpoint."))
        notes += list(health.warnings)
        return str(path)
    found, said = resume_checkpoint(path)
    notes += said
    if found is None:
        if resume is True:
            raise ConfigError(text("No checkpoint to resume in {0}.", output),
                              text("Start a new run, or choose the output folder of an earlier run."))
        raise ConfigError(text("{0} holds no checkpoint (checkpoint-N folder with trainer_state.json).", path),
                          text("Choose the output folder of an earlier run or one of its checkpoint folders."))
    return str(found.path)
