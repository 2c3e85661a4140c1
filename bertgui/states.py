"""The states a run goes through, as enums shared by the engine, ``run.json``, the CLI and the window.

WHY enums (qutebrowser's ``usertypes``, Lightning's ``TrainerStatus``): the same words were interpreted in four
places as strings, and a state one place wrote was missing from another's list. ``StrEnum`` members are the same
strings as before, so ``run.json``, the ``--json`` event lines and older run folders read and write unchanged.
"""

from __future__ import annotations

from enum import StrEnum


class Phase(StrEnum):
    """What a live run is doing now (``StateChanged.state``; the window's status bar)."""

    IDLE = "idle"  #: no run in this window
    PREPARING = "preparing"  #: opening the folder, loading the model, reading the corpus, planning
    FITTING_HEADS = "fitting-heads"  #: fresh MLM/NSP heads fitted on a frozen encoder before training
    EVALUATING = "evaluating"  #: a held-out measurement (before, during or after training)
    TRAINING = "training"  #: optimizer steps
    PAUSED = "paused"  #: waiting after a step until resumed or stopped
    STOPPING = "stopping"  #: stop asked: a checkpoint is being written
    SAVING = "saving"  #: the final measurement and the final model
    STOPPED = "stopped"  #: ended early by the user (resumable)
    FINISHED = "finished"  #: ended after its planned steps
    FAILED = "failed"  #: ended by an error

    @property
    def active(self) -> bool:
        """A run is under way (the window must not start another or close without asking)."""
        return self in _ACTIVE


_ACTIVE = frozenset({Phase.PREPARING, Phase.FITTING_HEADS, Phase.EVALUATING, Phase.TRAINING, Phase.PAUSED,
                     Phase.STOPPING, Phase.SAVING})


class RunStatus(StrEnum):
    """What ``run.json`` records of a run folder, and what a reader makes of it."""

    RUNNING = "running"  #: a process works on it
    PAUSED = "paused"  #: its process waits for "resume"
    STOPPED = "stopped"  #: stopped by the user with a checkpoint: resumable
    FINISHED = "finished"  #: trained all its planned steps
    FAILED = "failed"  #: ended by an error (``failure`` says which)
    INTERRUPTED = "interrupted"  #: never written: running/paused, but no process holds the lock any more
    UNKNOWN = "unknown"  #: nothing says (an older or damaged folder)
    MISSING = "missing"  #: the folder is gone

    @property
    def resumable(self) -> bool:
        return self in (RunStatus.STOPPED, RunStatus.INTERRUPTED)

    @classmethod
    def read(cls, value: object) -> RunStatus:
        """A state from a file: anything not known is UNKNOWN (never raises)."""
        try:
            return cls(str(value))
        except ValueError:
            return cls.UNKNOWN


def recorded_state(phase: Phase) -> RunStatus | None:
    """What a live phase means for ``run.json`` (None: no change to record)."""
    return _RECORDED.get(phase)


_RECORDED = {Phase.PAUSED: RunStatus.PAUSED, Phase.TRAINING: RunStatus.RUNNING, Phase.STOPPED: RunStatus.STOPPED,
             Phase.FINISHED: RunStatus.FINISHED, Phase.FAILED: RunStatus.FAILED}
