"""Every way a run can fail, turned into a ``Failed`` event a person can act on (message, advice, kind).

WHY a module of its own: the engine must never die with a traceback; the window and the CLI show the message and
the advice, translated, and a distributed run must name the process where the failure happened, not its echo.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import time
import traceback
from pathlib import Path

from bertgui.config import RunConfig
from bertgui.engine.folder import RANK_FAILURE_PREFIX
from bertgui.errors import BertguiError, ConfigError, CorpusError, ModelError
from bertgui.events import Failed, event_from_dict, event_to_dict
from bertgui.text import text


def describe_failure(exc: BaseException, config: RunConfig, step: int) -> Failed:
    """Turn any exception into a Failed event a person can act on."""
    from bertgui.engine.callbacks import NonFiniteLoss

    details = "".join(traceback.format_exception(exc))
    error = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, NonFiniteLoss):
        return Failed(exc.message, exc.advice, kind="nan", step=exc.step, details=details)
    if is_oom(exc):
        where = oom_where(exc)
        message = (text("The GPU ran out of memory at step {0}.", step) if where == "GPU"
                   else text("The computer ran out of memory at step {0}.", step) if where == "computer"
                   else text("The device ran out of memory at step {0}.", step))
        return Failed(
            message,
            text("Lower the batch size (now {0}) or the maximum sequence length (now {1}); gradient accumulation "
                 "keeps the effective batch (now {2}).", config.batch_size, config.max_seq_length,
                 config.gradient_accumulation), kind="oom", step=step, details=details)
    if (folder_gone(config.output_dir) and not isinstance(exc, (BertguiError, PermissionError))
            and (isinstance(exc, OSError) or str(config.output_dir) in error)):
        return Failed(text("The run folder {0} disappeared while training (deleted, moved or unmounted).",
                           config.output_dir),
                      text("Nothing more can be saved there. Put the folder back to resume from its last checkpoint, "
                           "or start the run again."), kind="folder", step=step, details=details)
    if is_disk_full(exc):
        return disk_full(config, step, details)
    if type(exc).__name__ == "SafetensorError":
        return Failed(text("A weights file is damaged or incomplete: {0}", error),
                      text("If it is a checkpoint, resume from the run folder (bertgui takes its newest complete "
                           "checkpoint); if it is the base model, download or export it again."),
                      kind="model", step=step, details=details)
    if isinstance(exc, PermissionError) or (isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EROFS)):
        return Failed(text("The output folder {0} is not writable.", config.output_dir),
                      text("Choose a folder you can write to."), kind="permission", step=step, details=details)
    if isinstance(exc, FileNotFoundError):
        missing = exc.filename or str(exc)
        return Failed(text("A corpus file disappeared while reading: {0}.", missing),
                      text("Put the file back (or remove it from the corpus list) and start again."),
                      kind="corpus", step=step, details=details)
    if isinstance(exc, BertguiError):
        kind = ("corpus" if isinstance(exc, CorpusError) else "model" if isinstance(exc, ModelError)
                else "config" if isinstance(exc, ConfigError) else "unexpected")
        return Failed(exc.message, exc.advice, kind=kind, step=step, details=details)
    return Failed(text("Training stopped with an unexpected error: {0}", error),
                  text("Read the details; resume from the last checkpoint once the cause is fixed."),
                  kind="unexpected", step=step, details=details)


# What torch's zip writer (torch.save: optimizer.pt, scheduler.pt, rng_state.pth) says when a write fails — on a full
# disk it never says ENOSPC: "[enforce fail at inline_container.cc:672] . unexpected pos 1234 vs 1200",
# "PytorchStreamWriter failed writing file data/3: file write failed", "… writing central directory …".
ZIP_WRITER_MARKERS = ("inline_container.cc", "pytorchstreamwriter", "unexpected pos", "file write failed")


def is_disk_full(exc: BaseException) -> bool:
    """ENOSPC, the OS's words inside another error (safetensors' SafetensorError), or torch's zip writer failing."""
    said = f"{type(exc).__name__}: {exc}".lower()
    return ((isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or "no space left on device" in said
            or "disk quota exceeded" in said or any(m in said for m in ZIP_WRITER_MARKERS))


def disk_full(config: RunConfig, step: int, details: str = "") -> Failed:
    """The disk-full failure with the numbers: free space where the run writes, and the checkpoint to resume."""
    import shutil

    from bertgui.engine.folder import last_checkpoint

    free = ""
    with contextlib.suppress(OSError):
        free = f"{shutil.disk_usage(config.output_dir).free / 1e6:,.0f} MB"
    last = last_checkpoint(config.output_dir) if Path(config.output_dir).is_dir() else None
    message = (text("The disk is full (writing under {0}; {1} free).", config.output_dir, free) if free
               else text("The disk is full (writing under {0}).", config.output_dir))
    resume = (text("then resume from {0} (the last complete checkpoint).", Path(last).name) if last
              else text("then start again (no checkpoint was saved whole)."))
    return Failed(message, text("Free some space, lower keep_checkpoints, or choose an output folder on another disk; "
                                "{0}", resume), kind="disk", step=step, details=details)


def folder_gone(output_dir: str | Path) -> bool:
    """Whether the run's folder is gone (deleted or moved while the run wrote into it): it is missing from a folder
    that is there. A folder that could never be made (below a file, no permission) is another failure."""
    path = Path(output_dir)
    return bool(str(output_dir)) and not path.is_dir() and path.parent.is_dir()


# What the allocators say when the computer's own memory runs out: PyTorch's CPU allocator
# ("[enforce fail at alloc_cpu.cpp:…] … DefaultCPUAllocator: can't allocate memory: you tried to allocate N bytes")
# and the C library's ENOMEM ("Cannot allocate memory").
CPU_OOM_MARKERS = ("defaultcpuallocator", "alloc_cpu.cpp", "can't allocate memory", "cannot allocate memory")


def is_oom(exc: BaseException) -> bool:
    """Out of memory on any device: torch's OutOfMemoryError, a RuntimeError saying so, the CPU allocator's refusal,
    ENOMEM, or MemoryError."""
    if isinstance(exc, MemoryError) or (isinstance(exc, OSError) and exc.errno == errno.ENOMEM):
        return True
    name = type(exc).__name__
    said = str(exc).lower()
    return "OutOfMemory" in name or (isinstance(exc, RuntimeError) and (
        "out of memory" in said or any(m in said for m in CPU_OOM_MARKERS)))


def oom_where(exc: BaseException) -> str:
    """Which memory ran out: "computer" (RAM), "GPU" (CUDA) or "device" (another accelerator, such as MPS)."""
    said = f"{type(exc).__name__}: {exc}".lower()
    if (isinstance(exc, (MemoryError, OSError)) or any(m in said for m in CPU_OOM_MARKERS)) and "cuda" not in said:
        return "computer"
    return "GPU" if "cuda" in said else "device"


def share_failure(failed: Failed, folder: Path, *, rank: int, world_size: int, started_at: float,
                  wait_s: float = 5.0) -> Failed:
    """Distributed runs: report the failure of the process where it happened, not its echo on rank 0.

    WHY: when rank 1 runs out of memory, rank 0 only sees its collective fail ("connection closed by peer"),
    and only rank 0 reports. Each failing non-main rank leaves its ``Failed`` in the output folder; when rank 0's
    own failure has no known cause, it waits a moment for such reports and, if one came, names that process and
    its cause. The reports stay in the folder as the record of what each process saw.
    """
    if rank != 0:
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{RANK_FAILURE_PREFIX}{rank}.json"
            partial = path.with_name(path.name + ".tmp")  # rank 0 must never read half a report
            partial.write_text(json.dumps(event_to_dict(failed)), encoding="utf-8")
            os.replace(partial, path)
        return failed
    if failed.kind != "unexpected":  # rank 0 knows its own cause (out of memory, NaN, disk …): that is the news
        return failed

    def fresh_reports() -> list[Path]:  # not the reports an older run left in this folder
        found = []
        for path in sorted(folder.glob(f"{RANK_FAILURE_PREFIX}*.json")):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime >= started_at - 1:
                    found.append(path)
        return found

    deadline = time.monotonic() + wait_s
    while not (reports := fresh_reports()) and time.monotonic() < deadline:
        time.sleep(0.2)
    chosen: tuple[str, Failed] | None = None
    for path in reports:  # a rank with a known cause beats one that only saw the others go
        with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
            other = event_from_dict(json.loads(path.read_text(encoding="utf-8")))
            if isinstance(other, Failed) and (chosen is None or (chosen[1].kind == "unexpected"
                                                                 and other.kind != "unexpected")):
                chosen = (path.stem.removeprefix(RANK_FAILURE_PREFIX), other)
    if chosen is not None:
        who, other = chosen
        return Failed(message=text("Process {0} of {1} failed: {2}", who, world_size, other.message),
                      advice=other.advice, kind=other.kind, step=max(other.step, failed.step),
                      details=f"{other.details}\n(rank 0 then saw: {failed.message})")
    return failed
