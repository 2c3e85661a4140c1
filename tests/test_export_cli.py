"""``bertgui export`` and the end of ``bertgui train``: one complete folder (card, loss curve, run configuration).

Also the run's TensorBoard logs: the evaluation figures and bertgui's epochs are in them, at the steps bertgui
reports.
"""

from __future__ import annotations

import json
import os
import re

import pytest
import torch

from bertgui.cli import main
from bertgui.config import RunConfig

COMPANIONS = {"README.md", "loss.png", "loss.csv", "bertgui.toml", "bertgui_summary.json"}
GENERAL = ("The weather was mild and the market opened early. People walked along the river and talked about "
           "the harvest, the prices of bread and the new bridge. ") * 40


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory, sample_corpus, tiny_model):
    """``bertgui train`` in this process: 4 steps, an evaluation during the run and a general-text file."""
    torch.set_num_threads(1)
    tmp = tmp_path_factory.mktemp("cli-run")
    general = tmp / "general.txt"
    general.write_text("\n\n".join([GENERAL] * 3), encoding="utf-8")
    config = RunConfig(corpus=[str(sample_corpus)], model=str(tiny_model), output_dir=str(tmp / "run"), max_steps=4,
                       batch_size=8, max_seq_length=48, learning_rate=1e-3, checkpoint_every=2, log_every=1,
                       eval_every=2, eval_share=0.1, general_corpus=str(general), keep_checkpoints=3)
    config.save(tmp / "run.toml")
    old = os.environ.get("BERTGUI_CACHE")
    os.environ["BERTGUI_CACHE"] = str(tmp / "cache")
    try:
        assert main(["train", "--config", str(tmp / "run.toml"), "--json"]) == 0
    finally:
        if old is None:
            os.environ.pop("BERTGUI_CACHE", None)
        else:
            os.environ["BERTGUI_CACHE"] = old
    return tmp / "run"


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_train_leaves_a_complete_final_model(cli_run):
    final = cli_run / "final-model"
    assert set(files(final)) >= COMPANIONS
    assert not [n for n in files(final) if n.startswith(".")]  # no temporary file left
    rows = (final / "loss.csv").read_text().splitlines()
    assert rows[0].startswith("step,") and len(rows) == 1 + 4
    assert RunConfig.load(final / "bertgui.toml").max_steps == 4
    card = (final / "README.md").read_text(encoding="utf-8")
    assert "| MLM loss |" in card and "loss.png" in card


def test_export_command_writes_the_same_folder_as_the_run(cli_run, tmp_path, capsys):
    out = tmp_path / "exported"
    assert main(["export", str(cli_run), str(out)]) == 0
    assert capsys.readouterr().out.strip() == str(out)
    final = cli_run / "final-model"
    assert files(out) == files(final)
    # The cards differ only in the model's name: the folder's own name (or the run's, for final-model).
    name = cli_run.name
    assert (out / "README.md").read_text().replace("exported", name) == (final / "README.md").read_text()
    assert (out / "loss.csv").read_text() == (final / "loss.csv").read_text()
    assert (out / "bertgui.toml").read_text() == (final / "bertgui.toml").read_text()


def test_export_refuses_an_occupied_folder_and_exports_a_checkpoint(cli_run, tmp_path, capsys):
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    assert main(["export", str(cli_run), str(occupied)]) == 2
    assert "not empty" in capsys.readouterr().err and (occupied / "keep.txt").read_text() == "mine"
    assert main(["export", str(cli_run), str(occupied), "--private"]) == 2
    assert "--push-to-hub" in capsys.readouterr().err

    out = tmp_path / "from-checkpoint"
    assert main(["export", str(cli_run / "checkpoint-2"), str(out), "--license", "mit"]) == 0
    summary = json.loads((out / "bertgui_summary.json").read_text())
    assert summary["steps"] == 2
    assert [int(r.split(",")[0]) for r in (out / "loss.csv").read_text().splitlines()[1:]] == [1, 2]
    during = [json.loads(line) for line in (cli_run / "metrics.jsonl").read_text().splitlines()]
    at_two = [e for e in during if e["event"] == "eval_metrics" and e["step"] == 2 and e["split"] == "eval"]
    assert summary["metrics"]["eval"]["after"]["perplexity"] == at_two[-1]["perplexity"]
    card = (out / "README.md").read_text()
    assert "license: mit" in card.split("---")[1] and "checkpoint at step 2" in card


def test_tensorboard_holds_the_evaluation_and_bertguis_epochs(cli_run):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    assert len(list((cli_run / "logs").glob("events.out.tfevents*"))) == 1  # one writer: Trainer's and ours
    acc = EventAccumulator(str(cli_run / "logs"))
    acc.Reload()
    tags = set(acc.Tags()["scalars"])
    assert {"eval/perplexity", "eval/masked_accuracy", "eval/nsp_accuracy", "eval_general/perplexity",
            "eval_general/perplexity_change", "train/epoch", "train/loss"} <= tags
    events = [json.loads(line) for line in (cli_run / "metrics.jsonl").read_text().splitlines()]
    evals = {(e["step"], e["perplexity"]) for e in events if e["event"] == "eval_metrics" and e["split"] == "eval"}
    logged = {(s.step, s.value) for s in acc.Scalars("eval/perplexity")}
    assert {s for s, _ in logged} == {s for s, _ in evals} == {0, 2, 4}
    for step, value in logged:
        assert any(st == step and value == pytest.approx(v, rel=1e-5) for st, v in evals)
    epochs = {e["step"]: e["epoch"] for e in events if e["event"] == "step_metrics"}
    tb_epochs = {s.step: s.value for s in acc.Scalars("train/epoch")}
    assert tb_epochs.keys() == epochs.keys()
    assert all(tb_epochs[k] == pytest.approx(v, rel=1e-5) for k, v in epochs.items())
    before = next(e for e in events if e["event"] == "eval_metrics" and e["split"] == "general"
                  and e["when"] == "before")
    after = [e for e in events if e["event"] == "eval_metrics" and e["split"] == "general"][-1]
    change = {s.step: s.value for s in acc.Scalars("eval_general/perplexity_change")}
    assert change[4] == pytest.approx(after["perplexity"] - before["perplexity"], rel=1e-4)


def test_the_card_of_a_run_names_no_local_folder(cli_run, sample_corpus, tiny_model):
    card = (cli_run / "final-model" / "README.md").read_text()
    for private in (str(cli_run), str(sample_corpus.parent), str(tiny_model.parent)):
        assert private not in card
    assert not re.search(r"(?<![\w.])/(?:tmp|home|root|Users)\b", card)
    assert f"`{sample_corpus.name}`" in card and "general text (general.txt)" in card


def test_a_resumed_run_still_logs_the_change_since_the_first_before(tmp_path):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    from bertgui.engine.tensorboard import TensorBoardLog
    from bertgui.events import EvalMetrics, Finished

    before = EvalMetrics(step=0, when="before", split="general", mlm_loss=3.0, perplexity=20.0, masked_accuracy=0.3)
    log = TensorBoardLog(tmp_path / "logs", earlier=[before])  # the first session measured "before"
    log(EvalMetrics(step=8, when="after", split="general", mlm_loss=3.1, perplexity=22.5, masked_accuracy=0.25))
    log(Finished(step=8, stopped=False, elapsed_s=1.0, output_dir=str(tmp_path)))
    acc = EventAccumulator(str(tmp_path / "logs"))
    acc.Reload()
    assert [(s.step, s.value) for s in acc.Scalars("eval_general/perplexity_change")] == [(8, 2.5)]
    assert [s.step for s in acc.Scalars("eval_general/perplexity")] == [8]


def test_a_run_without_final_model_exports_its_last_checkpoint(cli_run, tmp_path):
    import shutil

    broken = tmp_path / "run"  # as if the run had died after its last checkpoint
    shutil.copytree(cli_run, broken, ignore=lambda d, names: ["final-model"] if d == str(cli_run) else [])
    out = tmp_path / "rescued"
    assert main(["export", str(broken), str(out)]) == 0
    assert json.loads((out / "bertgui_summary.json").read_text())["steps"] == 4
    assert "checkpoint at step 4" in (out / "README.md").read_text()


def test_a_run_killed_while_writing_its_final_model_exports_its_last_checkpoint(cli_run, tmp_path):
    """kill -9 after final-model was renamed into place but before the run recorded its end: the export takes
    the figures of the last complete checkpoint, never "0 optimizer steps" from a missing summary."""
    import shutil

    killed = tmp_path / "run"
    shutil.copytree(cli_run, killed)
    lines = (killed / "metrics.jsonl").read_text().splitlines()
    (killed / "metrics.jsonl").write_text("".join(line + "\n" for line in lines
                                                  if json.loads(line)["event"] != "finished"))
    out = tmp_path / "exported"
    assert main(["export", str(killed), str(out)]) == 0
    assert json.loads((out / "bertgui_summary.json").read_text())["steps"] == 4
    card = (out / "README.md").read_text()
    assert "for 4 optimizer steps" in card and "0 optimizer steps" not in card


def test_a_run_killed_while_writing_its_final_model_is_finished_by_resume(cli_run, tmp_path):
    """kill -9 while the "after" evaluation ran and the final model was written: ``runs`` said "interrupted 4/4",
    ``--resume`` said "finished", and nothing could finish it. Now the state, the resume and the final model agree:
    the resume trains no step, measures "after" once, writes the final model (the last checkpoint's weights) and
    records the end."""
    import shutil

    from safetensors.torch import load_file

    from bertgui.engine.folder import read_metrics, read_run, run_state, write_run
    from bertgui.engine.runs import run_info
    from bertgui.events import EvalMetrics, Finished, StepMetrics

    killed = tmp_path / "run"
    shutil.copytree(cli_run, killed)
    lines = (killed / "metrics.jsonl").read_text().splitlines()
    kept = [line for line in lines if json.loads(line)["event"] != "finished"]
    first_after = next(i for i, line in enumerate(kept) if json.loads(line).get("when") == "after")
    (killed / "metrics.jsonl").write_text("".join(line + "\n" for line in kept[:first_after + 1]))  # one "after" only
    shutil.rmtree(killed / "final-model")
    (killed / ".final-model.partial").mkdir()
    (killed / ".final-model.partial" / "config.json").write_text("{")  # cut mid-write
    write_run(killed, {**read_run(killed), "state": "running"})  # what the killed process left

    assert run_state(killed) == "interrupted"
    info = run_info(killed)
    assert (info.steps_done, info.steps_planned) == (4, 4)
    assert any("resume finishes it" in line for line in info.problems)

    assert main(["train", "--resume", str(killed), "--json"]) == 0
    assert run_state(killed) == "finished" and read_run(killed)["step"] == 4
    events = read_metrics(killed)
    assert [e.step for e in events if isinstance(e, Finished)] == [4]
    assert max(e.step for e in events if isinstance(e, StepMetrics)) == 4  # no step trained past the plan
    afters = [e.split for e in events if isinstance(e, EvalMetrics) and e.when == "after"]
    assert sorted(afters) == sorted(set(afters)) and "eval" in afters  # measured once, by this session
    assert not (killed / ".final-model.partial").exists()
    final = load_file(str(killed / "final-model" / "model.safetensors"))
    ckpt = load_file(str(killed / "checkpoint-4" / "model.safetensors"))
    assert set(ckpt) <= set(final)
    assert all(torch.equal(final[k], ckpt[k]) for k in ckpt)
    summary = json.loads((killed / "final-model" / "bertgui_summary.json").read_text())
    assert summary["steps"] == 4
    assert "0 optimizer steps" not in (killed / "final-model" / "README.md").read_text()
    info = run_info(killed)
    assert info.state == "finished" and info.final_model

    # a run whose end *was* recorded is still refused (train further instead)
    assert main(["train", "--resume", str(killed), "--json"]) != 0


def test_a_probe_kept_with_the_run_goes_into_its_card(cli_run, tmp_path):
    """``bertgui probe --run`` keeps the result in the run folder; the export's summary and card show it (the
    labelled file by its name only), an export of an earlier checkpoint does not (the probe was of the final
    model)."""
    import shutil

    run = tmp_path / "run"
    shutil.copytree(cli_run, run)
    labelled = tmp_path / "private" / "labelled.csv"
    labelled.parent.mkdir()
    rows = ["text,label"]
    for i in range(20):
        rows.append(f"\"The function returns a value and the loop ends at line {i}.\",code")
        rows.append(f"\"The river was calm and the market opened early on day {i}.\",weather")
    labelled.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert main(["probe", "--run", str(run), "--labels", str(labelled), "--folds", "4", "--json"]) == 0
    kept = json.loads((run / "probe.json").read_text())
    assert kept["labels_file"] == "labelled.csv" and kept["step"] == 4
    assert [s["model"] for s in kept["scores"]] == ["base model", "trained model"]

    out = tmp_path / "exported"
    assert main(["export", str(run), str(out)]) == 0
    card = (out / "README.md").read_text()
    assert "## On labelled examples (a probe)" in card and "`labelled.csv`" in card
    assert "| trained model |" in card and str(labelled.parent) not in card
    summary = json.loads((out / "bertgui_summary.json").read_text())
    assert summary["probe"]["examples"] == 40 and str(labelled.parent) not in json.dumps(summary)

    early = tmp_path / "early"
    assert main(["export", str(run / "checkpoint-2"), str(early)]) == 0
    assert "On labelled examples" not in (early / "README.md").read_text()
