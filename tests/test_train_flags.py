"""``bertgui train`` flags: one per RunConfig key, Hugging Face names as aliases, --help grouped by TOML section."""

from __future__ import annotations

import dataclasses
import math
from typing import Any, get_type_hints

import pytest

from bertgui.cli import build_parser
from bertgui.commands.train_args import HF_ALIASES, build_config, flag_of
from bertgui.config import RunConfig, fields_by_section, toml_name
from bertgui.errors import ConfigError


def parse(*argv: str) -> Any:
    return build_parser().parse_args(["train", *argv])


def config_of(*argv: str) -> RunConfig:
    return build_config(parse(*argv))


def other_value(f: dataclasses.Field, hint: Any) -> Any:
    """A valid value different from the field's default, derived from its type, choices and range."""
    default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
    meta = f.metadata
    if "choices" in meta:
        return next(c for c in meta["choices"] if c != default)
    if hint is bool:
        return not default
    if hint == list[str]:
        return ["alpha", "beta"]
    if hint is int:
        hi = meta.get("max")
        return default + 1 if hi is None or default + 1 <= hi else default - 1
    if hint is float:
        lo, hi = meta.get("min", -math.inf), meta.get("max", math.inf)
        value = default + 0.01 if default + 0.01 <= hi else default - 0.01
        assert lo <= value <= hi
        return round(value, 6)
    return "other-" + str(default)


def as_argv(f: dataclasses.Field, value: Any, hint: Any) -> list[str]:
    if hint is bool:
        return [flag_of(f)] if value else ["--no-" + f.name.replace("_", "-")]
    if isinstance(value, list):
        return [flag_of(f), *value]
    return [flag_of(f), str(value)]


FIELDS = dataclasses.fields(RunConfig)
HINTS = get_type_hints(RunConfig)


@pytest.mark.parametrize("f", FIELDS, ids=[f.name for f in FIELDS])
def test_every_key_has_a_flag_that_sets_it(f):
    value = other_value(f, HINTS[f.name])
    args = parse(*as_argv(f, value, HINTS[f.name]))
    assert getattr(args, f.name) == value
    try:
        config = build_config(args)
    except ConfigError as exc:  # a value this generic test cannot know is valid: the message must name the key
        assert toml_name(f) in exc.message
        return
    assert getattr(config, f.name) == value
    others = {g.name: getattr(config, g.name) for g in FIELDS if g.name not in (f.name, "max_steps")}
    assert others == {g.name: getattr(RunConfig(), g.name) for g in FIELDS if g.name not in (f.name, "max_steps")}


def test_hugging_face_names_give_the_same_config_as_bertgui_flags(tmp_path):
    ours = config_of(
        "--model", "some/model", "--corpus", "a.txt", "b.txt", "--output", str(tmp_path / "out"),
        "--batch-size", "7", "--gradient-accumulation", "3", "--epochs", "2.5", "--checkpoint-every", "11",
        "--eval-every", "13", "--log-every", "5", "--warmup-ratio", "0.2", "--weight-decay", "0.05",
        "--mlm-probability", "0.3", "--precision", "bf16", "--schedule", "cosine", "--keep-checkpoints", "4",
        "--learning-rate", "1e-4", "--max-seq-length", "64", "--seed", "7")
    theirs = config_of(
        "--model_name_or_path", "some/model", "--train_file", "a.txt", "b.txt", "--output_dir",
        str(tmp_path / "out"), "--per_device_train_batch_size", "7", "--gradient_accumulation_steps", "3",
        "--num_train_epochs", "2.5", "--save_steps", "11", "--eval_steps", "13", "--logging_steps", "5",
        "--warmup_ratio", "0.2", "--weight_decay", "0.05", "--mlm_probability", "0.3", "--bf16",
        "--lr_scheduler_type", "cosine", "--save_total_limit", "4", "--learning_rate", "1e-4",
        "--max_seq_length", "64", "--seed", "7")
    assert theirs == ours
    assert ours != RunConfig().replace(corpus=["a.txt", "b.txt"])  # the flags did something
    assert ours.batch_size == 7 and ours.precision == "bf16" and ours.max_steps == 0


def test_hugging_face_booleans_and_resume():
    assert config_of("--fp16").precision == "fp16"
    assert config_of("--bf16", "True").precision == "bf16"
    assert config_of("--bf16", "false").precision == "fp32"
    assert config_of("--fp16", "--bf16", "false").precision == "fp16"  # false does not undo another choice
    args = parse("--resume_from_checkpoint", "run/checkpoint-4", "--overwrite_output_dir")
    assert args.resume == "run/checkpoint-4" and args.overwrite is True
    assert parse("--overwrite_output_dir", "False").overwrite is False
    assert parse("--max_steps", "9").max_steps == 9 and parse("--max-steps", "9").max_steps == 9


def test_every_hugging_face_alias_reaches_a_field_or_the_command():
    names = {f.name for f in FIELDS} | {"resume", "overwrite"}
    assert set(HF_ALIASES.values()) <= names
    parser = build_parser()
    train = parser._subparsers._group_actions[0].choices["train"]  # type: ignore[union-attr]
    flags = {s: a.dest for a in train._actions for s in a.option_strings}
    for hf, name in HF_ALIASES.items():
        assert flags[hf] == name, hf
    assert flags["--bf16"] == flags["--fp16"] == "precision"


def test_existing_flags_still_work(tmp_path):
    c = config_of("--corpus", "x.txt", "--model", "m", "--output", str(tmp_path), "--no-nsp", "--max-steps", "3",
                  "--batch-size", "2", "--gradient-accumulation", "2", "--max-seq-length", "32",
                  "--learning-rate", "0.001", "--seed", "1", "--device", "cpu", "--checkpoint-every", "2",
                  "--eval-every", "1", "--log-every", "1")
    assert (c.corpus, c.model, c.output_dir, c.nsp, c.max_steps, c.batch_size, c.gradient_accumulation) == (
        ["x.txt"], "m", str(tmp_path), False, 3, 2, 2)
    assert (c.max_seq_length, c.learning_rate, c.seed, c.device, c.checkpoint_every, c.eval_every) == (
        32, 0.001, 1, "cpu", 2, 1)
    args = parse("--resume", "r", "--overwrite", "--json")
    assert args.resume == "r" and args.overwrite and args.json


def test_flags_override_the_toml_file_and_keep_the_rest(tmp_path):
    path = RunConfig(batch_size=8, weight_decay=0.2, max_steps=50).save(tmp_path / "run.toml")
    c = config_of("--config", str(path), "--batch-size", "3")
    assert (c.batch_size, c.weight_decay, c.max_steps) == (3, 0.2, 50)
    assert config_of("--config", str(path), "--epochs", "2").max_steps == 0  # epochs asked for: they count


def test_bad_values_name_the_key(capsys):
    with pytest.raises(SystemExit) as exc:
        parse("--batch-size", "abc")
    assert exc.value.code == 2
    assert "training.batch_size" in capsys.readouterr().err
    with pytest.raises(ConfigError, match=r"training\.precision"):
        config_of("--precision", "fp8")
    with pytest.raises(ConfigError, match=r"training\.schedule"):
        config_of("--lr_scheduler_type", "polynomial")
    with pytest.raises(ConfigError, match=r"masking\.mlm_probability"):
        config_of("--mlm_probability", "0.95")
    with pytest.raises(ConfigError, match="not both"):
        config_of("--max-steps", "3", "--num_train_epochs", "2")


def test_help_groups_the_flags_by_section(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")  # no wrapping inside the long key names
    parser = build_parser()
    train = parser._subparsers._group_actions[0].choices["train"]  # type: ignore[union-attr]
    text = train.format_help()
    sections = list(fields_by_section())
    heads = [text.index(f"\n[{s}]:") for s in sections]
    assert heads == sorted(heads)
    ends = [*heads[1:], text.index("\nHugging Face names:")]
    for (section, fields), start, end in zip(fields_by_section().items(), heads, ends, strict=True):
        block = text[start:end]
        for f in fields:
            assert f"  {flag_of(f)} " in block or f"  {flag_of(f)}\n" in block or f"  {flag_of(f)}," in block, (
                section, f.name)
            assert toml_name(f) in block
    hf = text[ends[-1]:]
    own = {flag_of(f) for f in FIELDS}
    for alias in HF_ALIASES:
        assert alias in (text[:ends[-1]] if alias in own else hf), alias  # --seed is spelt the same in both
