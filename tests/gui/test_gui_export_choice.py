"""The Export page's "Which model to export": the run's evaluated checkpoints, the best trade-off marked and chosen.

The figures are the run's own log, rewritten so that the best trade-off is a middle checkpoint (step 2) and the
last one forgets too much: the table must mark step 2, "Select the best trade-off" must select it, and the export
must be that checkpoint's weights with its figures — what ``bertgui export --best`` writes.
"""

from __future__ import annotations

import json
import shutil

import pytest

from bertgui.gui.work.session import RunOutcome


@pytest.fixture(scope="module")
def evaluated_run(tmp_path_factory, sample_corpus, tiny_model):
    import torch

    from bertgui.config import RunConfig
    from bertgui.engine import train

    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("gui-export-choice")
    general = tmp / "general.txt"
    general.write_text("\n\n".join(["The market opened early and people talked about the harvest and the "
                                    "bridge. " * 20] * 3), encoding="utf-8")
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp / "run"), max_steps=6,
                       batch_size=8, max_seq_length=48, learning_rate=1e-3, checkpoint_every=2, eval_every=2,
                       log_every=1, eval_share=0.1, general_corpus=str(general), keep_checkpoints=5).validate()
    result = train(config, None, cache_dir=tmp / "cache", num_proc=1)
    assert result.failed is None, result.failed
    return result, config


def _rigged(run, tmp_path):
    """A copy of the run whose log says: step 2 best, step 4 worse, step 6 (the final model) forgets 50 %."""
    out = tmp_path / "run"
    shutil.copytree(run, out)
    lines = []
    for line in (out / "metrics.jsonl").read_text().splitlines():
        ev = json.loads(line)
        if ev.get("event") == "eval_metrics" and ev.get("when") != "before":
            if ev["split"] == "eval":
                ev["perplexity"] = {2: 50.0, 4: 60.0, 6: 40.0}[ev["step"]]
            elif ev["split"] == "general":
                before = next(json.loads(x)["perplexity"] for x in lines if json.loads(x).get("split") == "general"
                              and json.loads(x).get("when") == "before")
                ev["perplexity"] = before * (1.5 if ev["step"] == 6 else 1.0)
        lines.append(json.dumps(ev))
    (out / "metrics.jsonl").write_text("".join(x + "\n" for x in lines))
    return out


def test_the_table_marks_the_best_trade_off_and_the_export_takes_it(window, qtbot, tmp_path, evaluated_run):
    from safetensors.torch import load_file

    result, config = evaluated_run
    run = _rigged(result.output_dir, tmp_path)
    window.session.update_config(config.replace(output_dir=str(run)))
    window.session.set_outcome(RunOutcome(output_dir=str(run), step=6, summary=result.summary))
    page = window.export_page
    chooser = page.chooser
    qtbot.waitUntil(lambda: not chooser.isHidden(), timeout=30000)
    table = chooser.table
    steps = [table.item(r, 0).text() for r in range(table.rowCount())]
    assert steps == ["base", "2", "4", "6"]
    notes = {table.item(r, 0).text(): table.item(r, 4).text() for r in range(table.rowCount())}
    assert "best trade-off" in notes["2"] and "forgets" in notes["6"] and "final model" in notes["6"]
    assert chooser.selected_step() == 6  # the final model, as before, until the person chooses
    assert page._chosen_checkpoint() == ""
    assert "step 2" in chooser.reason.text()

    chooser.best_button.click()
    assert chooser.selected_step() == 2
    assert page._chosen_checkpoint().endswith("checkpoint-2")
    assert "step 2" in page.plan.item(0).text()

    page.folder.setText(str(tmp_path / "exported"))
    page.export()
    qtbot.waitUntil(lambda: page.exported is not None or not page.error.isHidden(), timeout=120000)
    assert page.error.isHidden(), page.error.text()
    exported = tmp_path / "exported"
    assert json.loads((exported / "bertgui_summary.json").read_text())["steps"] == 2
    assert "checkpoint at step 2" in (exported / "README.md").read_text()
    ckpt = load_file(str(run / "checkpoint-2" / "model.safetensors"))
    mine = load_file(str(exported / "model.safetensors"))
    assert all((mine[k] == ckpt[k]).all() for k in ckpt if k in mine)


def test_no_table_for_a_run_measured_once(window, qtbot, tmp_path, evaluated_run):
    result, _ = evaluated_run
    run = tmp_path / "run"
    shutil.copytree(result.output_dir, run)
    kept = [x for x in (run / "metrics.jsonl").read_text().splitlines()
            if not (json.loads(x).get("event") == "eval_metrics" and json.loads(x).get("when") == "during")]
    (run / "metrics.jsonl").write_text("".join(x + "\n" for x in kept))
    page = window.export_page
    window.session.set_outcome(RunOutcome(output_dir=str(run), step=6, summary=result.summary))
    qtbot.waitUntil(lambda: page.choice_tasks.current is None or not page.choice_tasks.current.is_running(),
                    timeout=30000)
    qtbot.wait(50)
    assert page.chooser.isHidden() and page._chosen_checkpoint() == ""
