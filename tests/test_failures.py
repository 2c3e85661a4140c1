"""Failures named for what they are: the computer's memory running out, and a rank's report written safely."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from bertgui.config import RunConfig
from bertgui.engine.failures import describe_failure, is_oom, share_failure
from bertgui.engine.folder import RANK_FAILURE_PREFIX
from bertgui.events import Failed, event_from_dict

# PyTorch's own words when the CPU allocator is refused memory (c10/core/impl/alloc_cpu.cpp).
CPU_OOM = ("[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: can't allocate memory: you tried to "
           "allocate 21474836480 bytes. Error code 12 (Cannot allocate memory)")


def test_the_cpu_allocators_refusal_is_the_computer_running_out_of_memory() -> None:
    exc = RuntimeError(CPU_OOM)
    assert is_oom(exc)
    failed = describe_failure(exc, RunConfig(batch_size=48, max_seq_length=256, gradient_accumulation=2), 11)
    assert failed.kind == "oom" and failed.step == 11
    assert failed.message == "The computer ran out of memory at step 11."
    assert failed.advice == ("Lower the batch size (now 48) or the maximum sequence length (now 256); gradient "
                             "accumulation keeps the effective batch (now 2).")


def test_enomem_is_out_of_memory_too() -> None:
    exc = OSError(12, "Cannot allocate memory")
    assert describe_failure(exc, RunConfig(), 3).message == "The computer ran out of memory at step 3."


def test_gpu_out_of_memory_stays_the_gpu() -> None:
    exc = RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 15.78 GiB total capacity)")
    assert describe_failure(exc, RunConfig(), 5).message == "The GPU ran out of memory at step 5."


def test_other_runtime_errors_are_not_out_of_memory() -> None:
    exc = RuntimeError("The size of tensor a (128) must match the size of tensor b (64) at non-singleton dimension 1")
    assert not is_oom(exc)
    assert describe_failure(exc, RunConfig(), 1).kind == "unexpected"


def test_a_ranks_failure_report_appears_whole_or_not_at_all(tmp_path, monkeypatch) -> None:
    """Rank 0 polls the folder for reports: it must never find the final name holding half a report.

    The report must be written under another name in the same folder and renamed into place, so at the moment of
    the rename the final name does not exist yet and the other file already holds the whole report.
    """
    failed = Failed("Out of memory on rank 1.", "Lower the batch size.", kind="oom", step=7, details="x" * 10_000)
    final = tmp_path / f"{RANK_FAILURE_PREFIX}1.json"
    renames: list[tuple[str, str, bool, str]] = []
    real_replace, real_rename = os.replace, os.rename

    def watch(real):
        def moved(src, dst, *args, **kwargs):
            renames.append((os.fspath(src), os.fspath(dst), final.exists(),
                            Path(src).read_text(encoding="utf-8") if os.path.exists(src) else ""))
            return real(src, dst, *args, **kwargs)
        return moved

    monkeypatch.setattr(os, "replace", watch(real_replace))
    monkeypatch.setattr(os, "rename", watch(real_rename))
    assert share_failure(failed, tmp_path, rank=1, world_size=2, started_at=time.time()) is failed
    assert len(renames) == 1, "the report must be renamed into place exactly once"
    src, dst, final_existed, content = renames[0]
    assert os.path.abspath(dst) == os.path.abspath(final)
    assert os.path.abspath(src) != os.path.abspath(final) and os.path.dirname(src) == os.fspath(tmp_path)
    assert not final_existed, "the final name held (part of) a report before the rename"
    assert event_from_dict(json.loads(content)) == failed  # the whole report, before it got its name
    assert event_from_dict(json.loads(final.read_text(encoding="utf-8"))) == failed
    assert sorted(p.name for p in tmp_path.iterdir()) == [final.name]  # no temporary file left behind


def test_rank_zero_names_the_rank_that_failed(tmp_path) -> None:
    started = time.time()
    share_failure(Failed("CPU memory ran out.", "Close programs.", kind="oom", step=4), tmp_path, rank=1,
                  world_size=2, started_at=started)
    echo = Failed("connection closed by peer", "", kind="unexpected", step=4)
    shared = share_failure(echo, tmp_path, rank=0, world_size=2, started_at=started, wait_s=1.0)
    assert shared.message == "Process 1 of 2 failed: CPU memory ran out." and shared.kind == "oom"


# ---------------------------------------------------------------------------------------------- disks and folders
def _raised(action) -> BaseException:
    try:
        action()
    except Exception as exc:  # the library's own exception, with its own words
        return exc
    raise AssertionError("nothing was raised")


def _checkpoint(run: Path, step: int, tiny_model: Path) -> Path:
    import shutil

    import torch

    ckpt = run / f"checkpoint-{step}"
    ckpt.mkdir(parents=True)
    shutil.copy(tiny_model / "model.safetensors", ckpt / "model.safetensors")
    (ckpt / "trainer_state.json").write_text(json.dumps({"global_step": step}))
    torch.save({"state": {}}, ckpt / "optimizer.pt")
    torch.save({"python": 0}, ckpt / "rng_state.pth")
    return ckpt


# What torch's zip writer (caffe2/serialize/inline_container.cc) raises when a write comes up short on a full disk.
ZIP_WRITER_FULL = [
    "[enforce fail at inline_container.cc:672] . unexpected pos 1728 vs 1616",
    "[enforce fail at inline_container.cc:603] . PytorchStreamWriter failed writing file data/3: file write failed",
    "[enforce fail at inline_container.cc:778] . PytorchStreamWriter failed writing central directory: file write "
    "failed",
]


@pytest.mark.parametrize("said", ZIP_WRITER_FULL)
def test_torchs_zip_writer_on_a_full_disk_is_the_disk_full_message(said, tmp_path, tiny_model) -> None:
    """torch.save on a full disk never says ENOSPC. The person reads "the disk is full", the free space, and the
    checkpoint to resume from."""
    run = tmp_path / "run"
    _checkpoint(run, 2, tiny_model)
    failed = describe_failure(RuntimeError(said), RunConfig(output_dir=str(run)), 4)
    assert failed.kind == "disk", failed
    assert failed.message.startswith(f"The disk is full (writing under {run};") and " MB free)" in failed.message
    assert "resume from checkpoint-2 (the last complete checkpoint)" in failed.advice


def test_a_reader_error_is_not_a_full_disk() -> None:
    said = "PytorchStreamReader failed reading zip archive: failed finding central directory"
    assert describe_failure(RuntimeError(said), RunConfig(), 0).kind != "disk"


def test_a_run_folder_deleted_while_training_is_said(tmp_path) -> None:
    run = tmp_path / "run"  # gone: its parent is there
    exc = FileNotFoundError(2, "No such file or directory", str(run / "logs" / "events.out.tfevents"))
    failed = describe_failure(exc, RunConfig(output_dir=str(run)), 7)
    assert failed.kind == "folder" and "disappeared while training" in failed.message
    never_made = describe_failure(PermissionError(13, "Permission denied"), RunConfig(output_dir=str(run)), 0)
    assert never_made.kind == "permission"  # a folder that could not be made did not disappear


def test_a_damaged_weights_file_is_not_an_unexpected_error(tmp_path, tiny_model) -> None:
    from safetensors.torch import load_file

    cut = tmp_path / "model.safetensors"
    cut.write_bytes((tiny_model / "model.safetensors").read_bytes()[:5000])
    exc = _raised(lambda: load_file(cut))
    failed = describe_failure(exc, RunConfig(output_dir=str(tmp_path)), 0)
    assert failed.kind == "model" and "damaged or incomplete" in failed.message
    assert "resume from the last checkpoint once the cause is fixed" not in failed.advice
