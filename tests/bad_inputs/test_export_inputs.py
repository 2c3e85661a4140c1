"""``bertgui export`` (and ``--overwrite`` elsewhere) against folders that must not be deleted or leaked, one table.

Each row builds a run or a destination the way a careless or hostile person could leave it, runs the command
through ``bertgui.cli.main`` (what ``python -m bertgui`` calls), and asserts the exit code, the one
``bertgui: error:`` line, no traceback, that nothing the person had changed, and that nothing private (a file a
link points at, an absolute path) reached the exported folder.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.bad_inputs import hostile_models as hm

SECRET = "-----BEGIN OPENSSH PRIVATE KEY----- not for the hub"


@dataclass
class Ctx:
    tmp: Path
    tiny: Path
    run: Path  # a finished run bertgui wrote (final-model, config, run.json, event log)
    out: Path  # the export destination
    protect: list[Path] = field(default_factory=list)  # the person's files: must stay byte for byte
    marker: Path = Path()


@dataclass
class Case:
    id: str
    argv: Callable[[Ctx], list[str]]
    code: int
    says: str = ""  # on the one "bertgui: error:" line ("" when the command must succeed)
    stderr: str = ""  # elsewhere on stderr (a note)
    absent: tuple[str, ...] = ()  # never on stderr


def make_run(run: Path, tiny: Path, base: Path | None = None) -> Path:
    """A finished run as bertgui leaves it, without training: final-model is the tiny model."""
    from bertgui.config import RunConfig

    run.mkdir(parents=True)
    shutil.copytree(tiny, run / "final-model")
    RunConfig(corpus=[str(run.parent / "corpus.txt")], model=str(base or tiny), output_dir=str(run),
              max_steps=2).save(run / "bertgui.toml")
    (run / "run.json").write_text(json.dumps({"format": 1, "id": "a1b2c3d4e5f6", "state": "finished", "step": 2,
                                              "planned_steps": 2, "sessions": []}))
    (run / "metrics.jsonl").write_text(json.dumps({"event": "state_changed", "state": "training", "step": 0}) + "\n")
    (run / "checkpoint-2").mkdir()
    (run / "checkpoint-2" / "trainer_state.json").write_text(json.dumps({"global_step": 2, "max_steps": 2}))
    shutil.copy(tiny / "model.safetensors", run / "checkpoint-2" / "model.safetensors")
    shutil.copy(tiny / "config.json", run / "checkpoint-2" / "config.json")
    return run


def export(c: Ctx, *extra: str, source: Path | None = None, out: Path | None = None) -> list[str]:
    return ["export", str(source or c.run), str(out or c.out), "--no-verify", *extra]


def _linked_base(c: Ctx) -> list[str]:
    """A sentence-transformers base whose module folder links to private files and folders."""
    secret = c.tmp / "home" / ".ssh" / "id_rsa"
    secret.parent.mkdir(parents=True)
    secret.write_text(SECRET)
    private = c.tmp / "home" / "private"
    private.mkdir()
    (private / "config.json").write_text(json.dumps({"note": SECRET}))
    c.protect += [secret, private]
    base = shutil.copytree(c.tiny, c.tmp / "st-base")
    (base / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Dense", "type": "sentence_transformers.models.Dense"}]))
    (base / "1_Pooling").mkdir()
    (base / "1_Pooling" / "config.json").write_text(json.dumps({"word_embedding_dimension": 64}))
    (base / "1_Pooling" / "notes.txt").symlink_to(secret)
    (base / "1_Pooling" / "deploy.sh").write_text("scp model me@host:")
    (base / "2_Dense").symlink_to(private, target_is_directory=True)
    (base / "sentence_bert_config.json").symlink_to(secret)
    shutil.rmtree(c.run)
    make_run(c.run, c.tiny, base)
    return export(c)


def _onto_itself(c: Ctx) -> list[str]:
    c.protect.append(c.run)
    return export(c, "--overwrite", out=c.run)


def _onto_its_parent(c: Ctx) -> list[str]:
    c.protect.append(c.run)
    return export(c, "--overwrite", out=c.run.parent)


def _into_its_checkpoint(c: Ctx) -> list[str]:
    c.protect.append(c.run)
    return export(c, "--overwrite", source=c.run / "checkpoint-2", out=c.run / "checkpoint-2")


def _foreign_run_json(c: Ctx) -> list[str]:
    c.out.mkdir()
    (c.out / "run.json").write_text(json.dumps({"experiment": "mine", "seed": 3}))
    (c.out / "thesis.txt").write_text("three years")
    c.protect.append(c.out)
    return export(c, "--overwrite")


def _hf_trainer_output(c: Ctx) -> list[str]:
    c.out.mkdir()
    (c.out / "checkpoint-500").mkdir()
    (c.out / "checkpoint-500" / "trainer_state.json").write_text(json.dumps({"global_step": 500}))
    (c.out / "train.py").write_text("# my training script")
    (c.out / "metrics.jsonl").write_text("{}\n")
    c.protect.append(c.out)
    return export(c, "--overwrite")


def _hf_trainer_output_train(c: Ctx) -> list[str]:
    _hf_trainer_output(c)
    return ["train", "--corpus", str(c.tmp / "corpus.txt"), "--model", str(c.tiny), "--output", str(c.out),
            "--overwrite", "--max-steps", "1", "--device", "cpu"]


def _export_with_notes(c: Ctx) -> list[str]:
    from bertgui.cli import main

    assert main(export(c)) == 0
    (c.out / "notes.txt").write_text("what I found in this model")
    c.protect.append(c.out)
    return export(c, "--overwrite")


def _downloaded_model(c: Ctx) -> list[str]:
    shutil.copytree(c.tiny, c.out)
    (c.out / "bertgui_model.json").unlink()  # a model from anywhere: config and weights, no mark of bertgui's
    c.protect.append(c.out)
    return export(c, "--overwrite")


def _earlier_export(c: Ctx) -> list[str]:
    from bertgui.cli import main

    assert main(export(c)) == 0
    return export(c, "--overwrite")


def _killed_export_leftover(c: Ctx) -> list[str]:
    left = c.out.parent / f".{c.out.name}.export-k1ll3d"
    left.mkdir()
    (left / "model.safetensors").write_bytes(b"x" * 1000)
    return export(c)


def _pickle_run(c: Ctx) -> list[str]:
    shutil.rmtree(c.run / "final-model")
    hm.pickle_only(c.tiny, c.run / "final-model")
    c.protect.append(c.run)
    return export(c)


def _unsafe_pickle_run(c: Ctx) -> list[str]:
    shutil.rmtree(c.run / "final-model")
    hm.unsafe_pickle(c.tiny, c.run / "final-model", c.marker)
    c.protect.append(c.run)
    return export(c, "--allow-pickle")


CASES = [
    # --- nothing leaked
    Case("links in a sentence-transformers module are not followed", _linked_base, 0,
         stderr="Not copied from the base model: sentence_bert_config.json (a link that leaves the model folder); "
                "1_Pooling/deploy.sh (not a model file); 1_Pooling/notes.txt (a link that leaves the model folder); "
                "2_Dense (a link to a folder)."),
    # --- nothing deleted without a choice
    Case("export --overwrite onto its own run", _onto_itself, 2, "exporting there would delete the run"),
    Case("export --overwrite into the folder that holds the run", _onto_its_parent, 2,
         "exporting there would delete the run"),
    Case("export --overwrite of a checkpoint onto itself", _into_its_checkpoint, 2,
         "exporting there would delete the run"),
    Case("export --overwrite of a folder with another tool's run.json", _foreign_run_json, 2,
         "holds files that are not a model or a run bertgui wrote (run.json, thesis.txt)"),
    Case("export --overwrite of a Hugging Face Trainer output", _hf_trainer_output, 2,
         "holds files that are not a model or a run bertgui wrote (checkpoint-500, metrics.jsonl, train.py)"),
    Case("train --overwrite of a Hugging Face Trainer output", _hf_trainer_output_train, 2,
         "holds files that are not a model or a run bertgui wrote (checkpoint-500, metrics.jsonl, train.py)"),
    Case("export --overwrite of an earlier export holding the person's notes", _export_with_notes, 2,
         "holds files bertgui did not write (notes.txt); replacing the folder would delete them"),
    Case("export --overwrite of a model bertgui did not write", _downloaded_model, 2,
         "holds files that are not a model or a run bertgui wrote"),
    Case("export --overwrite of an earlier export replaces it", _earlier_export, 0),
    Case("a killed export's hidden folder is cleaned up", _killed_export_leftover, 0),
    # --- model folders are data
    Case("export of a pickle-only run without --allow-pickle", _pickle_run, 2,
         "has its weights only as pickle files (pytorch_model.bin)"),
    Case("export of a malicious pickle with --allow-pickle", _unsafe_pickle_run, 2,
         "pickle weights hold more than tensors", absent=("weights_only", "UnpicklingError")),
    Case("--with-examples with --push-to-hub", lambda c: export(c, "--with-examples", "--push-to-hub", "me/m"), 2,
         "it is not for the Hub"),
]


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.is_symlink()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_export_input(case: Case, tmp_path, tiny_model, capsys, monkeypatch) -> None:
    from bertgui.cli import main

    monkeypatch.setenv("BERTGUI_CACHE", str(tmp_path / "cache"))
    (tmp_path / "corpus.txt").write_text("One sentence here. Another one there.\n\nA second document.\n")
    ctx = Ctx(tmp=tmp_path, tiny=tiny_model, run=make_run(tmp_path / "work" / "run", tiny_model),
              out=tmp_path / "exports" / "model", marker=tmp_path / "MARKER")
    ctx.out.parent.mkdir()
    argv = case.argv(ctx)
    capsys.readouterr()
    before = hm.snapshot(tiny_model, *ctx.protect)
    code = main(argv)
    err = capsys.readouterr().err
    assert code == case.code, err[-3000:]
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("bertgui: error: ")]
    if case.says:
        assert len(errors) == 1 and case.says in errors[0], err[-3000:]
    else:
        assert errors == [], err[-3000:]
    assert case.stderr in err, err[-3000:]
    for word in case.absent:
        assert word not in err, err[-3000:]
    assert hm.snapshot(tiny_model, *ctx.protect) == before, "a file of the person's changed"
    assert not ctx.marker.exists(), "the pickle's code ran"
    assert not list(ctx.out.parent.glob(".*.export-*")), "a hidden export folder was left behind"
    if code == 0:
        exported = _files(ctx.out)
        assert "bertgui_model.json" in exported
        assert not any(SECRET.encode() in data for data in exported.values()), "a private file was exported"
        assert not any(str(tmp_path).encode() in data for data in exported.values()), "a local path was exported"
        assert not [p for p in ctx.out.rglob("*") if p.is_symlink()]


# ---------------------------------------------------------------------------------------------- at the rename
@pytest.fixture
def model_pair(tiny_model):
    from transformers import AutoTokenizer, BertForPreTraining

    return BertForPreTraining.from_pretrained(tiny_model), AutoTokenizer.from_pretrained(tiny_model)


def test_a_folder_made_at_the_destination_during_the_export_is_kept(model_pair, tmp_path, monkeypatch) -> None:
    """The person (or a second export) fills the destination while the weights are written: at the rename it is
    occupied, so the export is refused there and then, and the person's file stays."""
    from bertgui.results import export as ex

    target = tmp_path / "model"

    def meanwhile(folder: Path) -> None:
        target.mkdir()
        (target / "mine.txt").write_text("written while the export ran")

    monkeypatch.setattr(ex, "verify_export", meanwhile)
    with pytest.raises(ex.ExportError, match="already exists and is not empty"):
        ex.export_model(model_pair, target)
    assert [p.name for p in target.iterdir()] == ["mine.txt"]
    assert not list(tmp_path.glob(".model.export-*"))


def test_a_second_export_to_one_destination_does_not_replace_the_first(model_pair, tmp_path, monkeypatch) -> None:
    from bertgui.results import export as ex

    target = tmp_path / "model"
    real_verify = ex.verify_export

    def first_finishes_meanwhile(folder: Path) -> None:
        monkeypatch.setattr(ex, "verify_export", real_verify)
        ex.export_model(model_pair, target, verify=False)

    monkeypatch.setattr(ex, "verify_export", first_finishes_meanwhile)
    with pytest.raises(ex.ExportError, match="already exists and is not empty"):
        ex.export_model(model_pair, target)
    first_id = json.loads((target / "bertgui_model.json").read_text())["id"]
    assert len(first_id) == 12


def test_a_live_exports_hidden_folder_is_not_removed(tmp_path) -> None:
    """Only folders no live export holds are cleaned up: the lock of a live one stays with its process."""
    import fcntl

    from bertgui.results.export import remove_export_leftovers

    target = tmp_path / "model"
    live, dead = tmp_path / ".model.export-live", tmp_path / ".model.export-dead"
    live.mkdir()
    dead.mkdir()
    fd = os.open(live, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert remove_export_leftovers(target) == [dead.name]
    finally:
        os.close(fd)
    assert live.is_dir() and not dead.exists()


# ---------------------------------------------------------------------------------------------- shareable folders
def test_the_exported_record_names_no_local_path_and_no_corpus_text(model_pair, tmp_path) -> None:
    from bertgui.config import RunConfig
    from bertgui.results.export import export_model

    snippet = "the interactive interpreter makes the result of the last"
    probes = [{"position": 0, "word": "value", "guess": "value", "word_probability": 0.4, "left": snippet,
               "right": "expression available"}]
    metrics = {"eval": {"before": {"perplexity": 9.0, "word_probes": probes},
                        "after": {"perplexity": 5.0, "word_probes": probes}}}
    summary = {"steps": 2, "metrics": metrics, "final_model_dir": str(tmp_path / "run" / "final-model"),
               "base_model": str(tmp_path / "models" / "tiny"), "notes": [f"Read {tmp_path}/corpus.txt."]}
    config = RunConfig(corpus=[str(tmp_path / "private" / "contracts.txt")], model=str(tmp_path / "models" / "tiny"),
                       output_dir=str(tmp_path / "run"), general_corpus=str(tmp_path / "private" / "news.txt"))
    out = export_model(model_pair, tmp_path / "shared", config=config, summary=summary, verify=False)
    written = {name: (out / name).read_text(encoding="utf-8")
               for name in ("bertgui.toml", "bertgui_summary.json", "README.md")}
    for name, content in written.items():
        assert str(tmp_path) not in content, name
        assert snippet not in content, name
    saved = RunConfig.load(out / "bertgui.toml")
    assert saved.corpus == ["contracts.txt"] and saved.general_corpus == "news.txt" and saved.model == "tiny"

    kept = export_model(model_pair, tmp_path / "with-examples", config=config, summary=summary, verify=False,
                        examples=True)
    assert snippet in (kept / "bertgui_summary.json").read_text(encoding="utf-8")
    assert str(tmp_path) not in (kept / "bertgui_summary.json").read_text(encoding="utf-8")
