"""Choosing what to export: the lowest held-out perplexity among checkpoints that kept general text and embeddings."""

from __future__ import annotations

import json

from bertgui.events import EvalMetrics, event_to_dict
from bertgui.results.choose import choose_checkpoint


def ev(step: int, when: str, split: str, ppl: float, mrr: float | None = None) -> EvalMetrics:
    return EvalMetrics(step=step, when=when, split=split, mlm_loss=1.0, perplexity=ppl, masked_accuracy=0.3,
                       retrieval_mrr=mrr)


def make_run(tmp_path, evals):
    run = tmp_path / "run"
    run.mkdir()
    (run / "metrics.jsonl").write_text("".join(json.dumps(event_to_dict(e)) + "\n" for e in evals))
    for step in (10, 20):
        ck = run / f"checkpoint-{step}"
        ck.mkdir()
        (ck / "trainer_state.json").write_text(json.dumps({"global_step": step}))
        (ck / "model.safetensors").write_bytes(b"")
    (run / "final-model").mkdir()
    (run / "final-model" / "config.json").write_text("{}")
    return run


BASE = [ev(0, "before", "eval", 50.0, 0.20), ev(0, "before", "general", 20.0)]


def test_the_best_trade_off_skips_checkpoints_that_forgot(tmp_path):
    run = make_run(tmp_path, BASE + [
        ev(10, "during", "eval", 30.0, 0.19), ev(10, "during", "general", 21.0),   # within 10 %
        ev(20, "during", "eval", 20.0, 0.20), ev(20, "during", "general", 25.0),   # general text +25 %
        ev(30, "after", "eval", 18.0, 0.15), ev(30, "after", "general", 21.5)])    # embeddings -25 %
    choice = choose_checkpoint(run)
    assert [r.step for r in choice.rows] == [10, 20, 30]
    assert [r.within for r in choice.rows] == [True, False, False]
    assert choice.best.step == 10 and choice.best.path.endswith("checkpoint-10")
    assert any("<- best" in line for line in choice.lines())


def test_the_final_model_wins_when_it_kept_everything(tmp_path):
    run = make_run(tmp_path, BASE + [ev(10, "during", "eval", 30.0, 0.2), ev(30, "after", "eval", 18.0, 0.21),
                                     ev(30, "after", "general", 20.5)])
    best = choose_checkpoint(run).best
    assert best.step == 30 and best.path == str(run)  # the run folder: its final model


def test_export_best_refuses_when_every_checkpoint_forgot(tmp_path, capsys):
    from bertgui.cli import main

    run = make_run(tmp_path, BASE + [ev(10, "during", "eval", 30.0, 0.1), ev(30, "after", "eval", 18.0, 0.1)])
    assert main(["export", str(run), str(tmp_path / "out"), "--best"]) == 2
    err = capsys.readouterr().err
    assert "forgot more than 10%" in err and "checkpoint-N" in err
    assert not (tmp_path / "out").exists()
