"""The flags of ``bertgui train``: one per ``RunConfig`` key, generated from the dataclass, plus Hugging Face names.

WHY generated: a key added to ``RunConfig`` (with its section, help, choices and range in the field's metadata)
becomes a flag, with its help, in its section of ``--help``, without an edit here — the command line can never
fall behind the TOML file again. WHY the Hugging Face names: people paste command lines from ``run_mlm.py`` and
``TrainingArguments`` (``--per_device_train_batch_size 16 --num_train_epochs 3 --bf16``); they mean the same run, so
they map to the same ``RunConfig`` fields instead of failing on an unknown flag.

Values are checked twice, both times naming the key as it is written in TOML (``training.batch_size``): the type
while parsing (``--batch-size abc``), the range and choices by ``RunConfig.validate`` (``--precision fp8``).
Flags override the ``--config`` file; what no flag names keeps the file's value.
"""

from __future__ import annotations

import argparse
import dataclasses
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, get_type_hints

from bertgui.config import RunConfig, fields_by_section, toml_name
from bertgui.errors import ConfigError
from bertgui.text import text

# Flags that existed before the generated ones, under another name than the field's (all still accepted).
LEGACY_NAMES: dict[str, list[str]] = {"output_dir": ["--output"]}

# Hugging Face run_mlm.py / TrainingArguments name -> RunConfig field (or the command's own dest).
HF_ALIASES: dict[str, str] = {
    "--model_name_or_path": "model",
    "--train_file": "corpus",
    "--output_dir": "output_dir",
    "--per_device_train_batch_size": "batch_size",
    "--gradient_accumulation_steps": "gradient_accumulation",
    "--num_train_epochs": "epochs",
    "--max_steps": "max_steps",
    "--learning_rate": "learning_rate",
    "--weight_decay": "weight_decay",
    "--warmup_ratio": "warmup_ratio",
    "--lr_scheduler_type": "schedule",
    "--max_grad_norm": "max_grad_norm",
    "--seed": "seed",
    "--save_steps": "checkpoint_every",
    "--save_total_limit": "keep_checkpoints",
    "--eval_steps": "eval_every",
    "--logging_steps": "log_every",
    "--mlm_probability": "mlm_probability",
    "--max_seq_length": "max_seq_length",
    "--dataloader_num_workers": "dataloader_workers",
    "--torch_compile": "torch_compile",
    "--resume_from_checkpoint": "resume",
    "--overwrite_output_dir": "overwrite",
}
# TrainingArguments' precision switches: --bf16 / --fp16 [True|False] set training.precision.
HF_PRECISION = ("--bf16", "--fp16")


def flag_of(f: dataclasses.Field) -> str:
    """The bertgui flag of a field: its Python name with dashes (``--warmup-ratio``)."""
    return "--" + f.name.replace("_", "-")


def parse_bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(value)


def _value_type(key: str, hint: Any) -> Callable[[str], Any]:
    """A converter for argparse whose error names the TOML key (argparse adds the flag)."""
    if hint is int:
        def convert(s: str) -> Any:
            try:
                return int(s)
            except ValueError:
                raise argparse.ArgumentTypeError(text("{0} must be a whole number; got {1!r}.", key, s)) from None
    elif hint is float:
        def convert(s: str) -> Any:
            try:
                return float(s)
            except ValueError:
                raise argparse.ArgumentTypeError(text("{0} must be a number; got {1!r}.", key, s)) from None
    elif hint is bool:
        def convert(s: str) -> Any:
            try:
                return parse_bool(s)
            except ValueError:
                raise argparse.ArgumentTypeError(text("{0} must be true or false; got {1!r}.", key, s)) from None
    elif hint is str or hint == list[str]:
        def convert(s: str) -> Any:
            return s
    else:  # a type this module does not know yet: read the value as TOML does, else keep the text
        def convert(s: str) -> Any:
            try:
                return tomllib.loads(f"v = {s}")["v"]
            except tomllib.TOMLDecodeError:
                return s
    convert.__name__ = key  # argparse names the type in its own messages
    return convert


class _BoolValue(argparse.Action):
    """``--flag`` alone means true; ``--flag true|false`` (the Hugging Face form) gives the value."""

    def __init__(self, option_strings: Sequence[str], dest: str, key: str = "", **kw: Any) -> None:
        self.key = key or dest
        super().__init__(option_strings, dest, nargs="?", const="true", **kw)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        try:
            value = parse_bool(str(values))
        except ValueError:
            raise argparse.ArgumentError(self, text("{0} must be true or false; got {1!r}.", self.key,
                                                    values)) from None
        setattr(namespace, self.dest, value)


class _Precision(argparse.Action):
    """``--bf16``/``--fp16`` [true|false]: true picks that precision; false asks for fp32 unless one was picked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kw: Any) -> None:
        super().__init__(option_strings, dest, nargs="?", const="true", **kw)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        try:
            on = parse_bool(str(values))
        except ValueError:
            raise argparse.ArgumentError(self, text("{0} must be true or false; got {1!r}.", option_string,
                                                    values)) from None
        if on:
            setattr(namespace, self.dest, (option_string or "").lstrip("-"))
        elif getattr(namespace, self.dest, None) is None:
            setattr(namespace, self.dest, "fp32")


def _help(f: dataclasses.Field) -> str:
    meta = f.metadata
    bits = [toml_name(f)]
    if "choices" in meta:
        bits.append("one of " + ", ".join(meta["choices"]))
    lo, hi = meta.get("min"), meta.get("max")
    if lo is not None or hi is not None:
        bits.append(f"{'>' if meta.get('exclusive_min') else '≥'} {lo}" if hi is None else
                    f"{'(' if meta.get('exclusive_min') else '['}{lo}, {hi}]")
    default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
    bits.append(f"default {default!r}")
    return (meta["help"] + " [" + "; ".join(bits) + "]").replace("%", "%%")


def add_arguments(p: argparse.ArgumentParser) -> None:
    """Every flag of ``bertgui train``, grouped in ``--help`` by TOML section."""
    p.usage = "%(prog)s [--config TOML] [--corpus PATH ...] [--model DIR] [--output-dir DIR] [KEY FLAGS ...]"
    run = p.add_argument_group("run", "What to do with the configuration below.")
    run.add_argument("--config", help="run configuration (TOML); the flags below override it")
    run.add_argument("--resume", metavar="DIR", help="continue from the last checkpoint in DIR (or a checkpoint "
                                                     "folder)")
    run.add_argument("--overwrite", action="store_true", default=None,
                     help="start afresh in an output folder that holds a run")
    run.add_argument("--json", action="store_true", help="one JSON object per event on stdout")

    hints = get_type_hints(RunConfig)
    dests: dict[str, dict[str, Any]] = {}  # field -> how to add an alias of it
    for section, fields in fields_by_section().items():
        group = p.add_argument_group(f"[{section}]", f"Keys of the [{section}] table of the TOML configuration.")
        for f in fields:
            hint, key = hints[f.name], toml_name(f)
            names = [flag_of(f), *LEGACY_NAMES.get(f.name, [])]
            if hint is bool:
                off = "--no-" + f.name.replace("_", "-")
                group.add_argument(*names, dest=f.name, action=_BoolValue, key=key, default=None,
                                   metavar="BOOL", help=_help(f) + f" {off} turns it off.")
                group.add_argument(off, dest=f.name, action="store_false",
                                   default=None, help=argparse.SUPPRESS)
                dests[f.name] = {"dest": f.name, "action": _BoolValue, "key": key, "metavar": "BOOL",
                                 "default": None}
                continue
            kw: dict[str, Any] = {"dest": f.name, "type": _value_type(key, hint), "default": None}
            if hint == list[str]:
                kw["nargs"] = "+" if f.name == "corpus" else "*"
                kw["metavar"] = "PATH" if f.name == "corpus" else "VALUE"
            elif "choices" in f.metadata:
                kw["metavar"] = "{" + ",".join(f.metadata["choices"]) + "}"
            else:
                kw["metavar"] = f.name.upper()
            group.add_argument(*names, help=_help(f), **kw)
            dests[f.name] = kw
    hf = p.add_argument_group(
        "Hugging Face names", "run_mlm.py / TrainingArguments flags, accepted as aliases of the ones above.")
    taken = {s for a in p._actions for s in a.option_strings}
    for flag, name in HF_ALIASES.items():
        if flag in taken:  # the same spelling as bertgui's own flag (--seed)
            continue
        if name == "resume":
            hf.add_argument(flag, dest="resume", metavar="DIR", help="= --resume")
        elif name == "overwrite":
            hf.add_argument(flag, dest="overwrite", action=_BoolValue, metavar="BOOL", default=None,
                            help="= --overwrite")
        elif name in dests:
            f = next(x for x in dataclasses.fields(RunConfig) if x.name == name)
            hf.add_argument(flag, help=f"= {flag_of(f)}", **{k: v for k, v in dests[name].items()
                                                               if k != "default"})
    for flag in HF_PRECISION:
        hf.add_argument(flag, dest="precision", action=_Precision, metavar="BOOL",
                        help=f"= --precision {flag.lstrip('-')}")
    # every other field also under its underscore name (--max_seq_length), as TrainingArguments spells them
    taken = {s for a in p._actions for s in a.option_strings}
    for f in dataclasses.fields(RunConfig):
        flag = "--" + f.name
        if flag not in taken and f.name in dests:
            p.add_argument(flag, help=argparse.SUPPRESS, **dests[f.name])


def build_config(args: argparse.Namespace) -> RunConfig:
    """The run's configuration: the ``--config`` file (or the resumed run's own), then the flags given."""
    if getattr(args, "config", None):
        config = RunConfig.load(args.config)
    elif args.resume and (Path(args.resume) / "bertgui.toml").exists() and not args.corpus:
        config = RunConfig.load(Path(args.resume) / "bertgui.toml")  # resume = the run's own settings
    else:
        config = RunConfig()
    changes = given_fields(args)
    if "epochs" in changes and "max_steps" in changes:
        raise ConfigError(text("Give training.max_steps or training.epochs, not both (--max-steps {0}, --epochs "
                               "{1}).", changes["max_steps"], changes["epochs"]),
                          text("Drop one of the two flags."))
    if "epochs" in changes:
        changes["max_steps"] = 0  # epochs asked for: they count, not the file's max_steps
    if args.resume and "output_dir" not in changes and not getattr(args, "config", None):
        res = Path(args.resume)
        changes["output_dir"] = str(res.parent if (res / "trainer_state.json").exists() else res)
    return config.replace(**changes)


def given_fields(args: argparse.Namespace) -> dict[str, Any]:
    """The ``RunConfig`` fields a flag set, by field name."""
    out: dict[str, Any] = {}
    for f in dataclasses.fields(RunConfig):
        value = getattr(args, f.name, None)
        if value is not None:
            out[f.name] = list(value) if isinstance(value, list) else value
    return out
