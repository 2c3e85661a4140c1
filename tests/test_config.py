"""The run configuration: TOML round trip and errors that name the key."""

from __future__ import annotations

import dataclasses

import pytest

from bertgui.config import PRESETS, RunConfig, apply_preset, field_help
from bertgui.errors import ConfigError


def test_defaults_are_valid_and_documented():
    cfg = RunConfig().validate()
    assert cfg.mlm_probability == 0.15 and cfg.mask_replace_prob == 0.8 and cfg.random_replace_prob == 0.1
    assert cfg.keep_prob == pytest.approx(0.1)
    for f in dataclasses.fields(RunConfig):
        assert len(field_help(f.name)) > 15, f"{f.name} has no help text"


def test_toml_round_trip(tmp_path):
    cfg = RunConfig(corpus=["a.txt", "b/"], model="some/model", nsp=False, learning_rate=1e-4, max_steps=10,
                    vocab_add=["stoicism", "anticoagulation"])
    path = cfg.save(tmp_path / "run.toml")
    text = path.read_text()
    assert "[vocab]" in text and "add = [" in text and "[training]" in text
    assert RunConfig.load(path) == cfg


@pytest.mark.parametrize(("toml", "needle"), [
    ("[training]\nlearning_rat = 1e-4\n", "training.learning_rat"),
    ("[nonsense]\nx = 1\n", "[nonsense]"),
    ("[training]\nlearning_rate = -1.0\n", "training.learning_rate"),
    ("[training]\nbatch_size = 'big'\n", "training.batch_size"),
    ("[training]\nbatch_size = 0\n", "training.batch_size"),
    ("[training]\nprecision = 'fp8'\n", "training.precision"),
    ("[masking]\nnsp = 'yes'\n", "masking.nsp"),
    ("[masking]\nmask_replace_prob = 0.95\nrandom_replace_prob = 0.1\n", "masking.random_replace_prob"),
    ("[corpus]\npaths = 3\n", "corpus.paths"),
])
def test_bad_values_name_the_key(tmp_path, toml, needle):
    p = tmp_path / "bad.toml"
    p.write_text(toml)
    with pytest.raises(ConfigError) as err:
        RunConfig.load(p)
    assert needle in str(err.value)


def test_invalid_toml_and_missing_file(tmp_path):
    p = tmp_path / "broken.toml"
    p.write_text("[training\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        RunConfig.load(p)
    with pytest.raises(ConfigError, match="does not exist"):
        RunConfig.load(tmp_path / "nope.toml")


def test_int_accepted_for_float_and_string_for_list():
    cfg = RunConfig.from_toml_dict({"training": {"epochs": 2}, "corpus": {"paths": "one.txt"}})
    assert cfg.epochs == 2.0 and isinstance(cfg.epochs, float)
    assert cfg.corpus == ["one.txt"]


def test_presets_apply():
    for name in PRESETS:
        cfg = apply_preset(RunConfig(), name)
        for key, value in PRESETS[name].items():
            assert getattr(cfg, key) == value
    with pytest.raises(ConfigError):
        apply_preset(RunConfig(), "warp speed")
