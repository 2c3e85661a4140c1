"""A run ended from outside: SIGTERM/SIGHUP like Ctrl-C (a checkpoint, then stop), a folder deleted under it."""

from __future__ import annotations

import os
import shutil
import signal

import pytest

from bertgui.config import RunConfig
from bertgui.engine import Engine


def _engine(tmp_path, sample_corpus, tiny_model, **kw) -> Engine:
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp_path / "run"),
                       max_steps=6, batch_size=4, max_seq_length=32, checkpoint_every=100, eval_share=0.0,
                       general_sample=False, seed=3, **kw)
    return Engine(config, cache_dir=tmp_path / "cache", num_proc=1)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_termination_signal_stops_with_a_checkpoint(tmp_path, sample_corpus, tiny_model, signum) -> None:
    from bertgui.engine.folder import read_run

    engine = _engine(tmp_path, sample_corpus, tiny_model)
    engine.fault_injector = lambda step: os.kill(os.getpid(), signum) if step == 2 else None
    before = signal.getsignal(signum)
    result = engine.run()
    assert result.failed is None and result.stopped and result.step == 2  # a checkpoint of that step, then stop
    assert (tmp_path / "run" / "checkpoint-2").is_dir()
    assert read_run(tmp_path / "run")["state"] == "stopped"
    assert signal.getsignal(signum) == before  # the process's own handler is back


def test_a_run_folder_deleted_while_training_is_said_as_such(tmp_path, sample_corpus, tiny_model) -> None:
    engine = _engine(tmp_path, sample_corpus, tiny_model)
    engine.fault_injector = lambda step: shutil.rmtree(tmp_path / "run") if step == 2 else None
    result = engine.run()
    assert result.failed is not None and result.failed.kind == "folder", result.failed
    assert "disappeared" in str(result.failed.message)
