"""The command line against hostile or careless model inputs: one table, one row per case.

Each row runs ``python -m bertgui …`` in a subprocess (the way a person does, with ``y`` typed on stdin in case
anything asks) and asserts the exit code, the one ``bertgui: error:`` line and its advice, that no traceback was
printed, that the folder's code never ran (a marker file), and that nothing the person had was changed.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.bad_inputs import hostile_models as hm

ROOT = Path(__file__).resolve().parents[2]
TRAIN = ["--max-steps", "1", "--batch-size", "2", "--max-seq-length", "32", "--device", "cpu"]


@dataclass
class Ctx:
    tmp: Path
    tiny: Path
    corpus: Path
    marker: Path
    protect: list[Path] = field(default_factory=list)  # the person's files: must be byte-for-byte unchanged
    env: dict[str, str] = field(default_factory=dict)

    def folder(self, path: Path) -> str:
        self.protect.append(path)
        return str(path)

    def preview(self, model: str, *extra: str) -> list[str]:
        return ["preview", "--corpus", str(self.corpus), "--model", model, "--pairs", "1", "--masked", "1",
                "--sample-documents", "20", *extra]

    def train(self, model: str, *extra: str) -> list[str]:
        return ["train", "--corpus", str(self.corpus), "--model", model, "--output", str(self.tmp / "out"),
                *TRAIN, *extra]


@dataclass
class Case:
    id: str
    argv: Callable[[Ctx], list[str]]
    code: int
    message: str  # in the one "bertgui: error:" line ("" when the command must succeed)
    advice: str = ""  # in the line after it
    absent: tuple[str, ...] = ()  # never printed (e.g. work that must not start)
    output: str = ""  # printed on stdout (for a command that must succeed)


# Port 1 (tcpmux) on the loopback: nothing listens there, so the connection is refused at once, without any network.
# Not a port found by binding a socket here: the test session may block sockets (a hub call must fail loudly).
REFUSING_ENDPOINT = "http://127.0.0.1:1"


def _unreachable_hub(c: Ctx) -> list[str]:
    c.env.update(HF_HUB_OFFLINE="0", TRANSFORMERS_OFFLINE="0", HF_ENDPOINT=REFUSING_ENDPOINT,
                 HF_HUB_CACHE=str(c.tmp / "hub-cache"))
    return c.preview("google-bert/bert-base-uncased")


def _offline_hub(c: Ctx) -> list[str]:
    c.env.update(HF_HUB_OFFLINE="1", HF_HUB_CACHE=str(c.tmp / "hub-cache"))
    return c.preview("google-bert/bert-base-uncased")


def _under_a_file(c: Ctx) -> list[str]:
    # Not a chmod 0555 folder: the tests run as root, and root writes into those. A path whose parent is a regular
    # file cannot be created by anyone, root included.
    blocker = c.tmp / "notes.txt"
    blocker.write_text("a file the person keeps\n")
    c.protect.append(blocker)
    return ["new-model", "--corpus", str(c.corpus), "--output", str(blocker / "new-model"), "--vocab", "200"]


def _a_file(path: Path) -> Path:
    path.write_bytes(bytes(64))
    return path


CASES = [
    # --- remote code (issue 12, item 1): refused before transformers can ask, whatever is typed
    Case("remote-code-preview", lambda c: c.preview(c.folder(hm.remote_code(c.tiny, c.tmp / "m", c.marker))),
         2, "never runs", "auto_map"),
    Case("remote-code-train", lambda c: c.train(c.folder(hm.remote_code(c.tiny, c.tmp / "m", c.marker))),
         2, "never runs", "auto_map"),
    Case("remote-tokenizer-code", lambda c: c.preview(c.folder(hm.remote_tokenizer(c.tiny, c.tmp / "m", c.marker))),
         2, "never runs", "auto_map"),
    Case("unknown-model-type", lambda c: c.preview(c.folder(hm.unknown_type(c.tiny, c.tmp / "m"))),
         2, "hyperbert-9000", "transformers"),
    # --- garbage models (item 6)
    Case("no-tokenizer-files", lambda c: c.preview(c.folder(hm.no_tokenizer(c.tiny, c.tmp / "m"))),
         2, "no tokenizer files", "tokenizer.json"),
    Case("no-tokenizer-files-train", lambda c: c.train(c.folder(hm.no_tokenizer(c.tiny, c.tmp / "m"))),
         2, "no tokenizer files", "tokenizer.json"),
    Case("tokenizer-smaller-than-embeddings",
         lambda c: c.train(c.folder(hm.small_tokenizer(c.tiny, c.tmp / "m", c.corpus))),
         2, "tokens for 2,000 embedding rows", "2,000 tokens"),
    Case("tokenizer-larger-than-embeddings", lambda c: c.preview(c.folder(hm.big_tokenizer(c.tiny, c.tmp / "m"))),
         2, "2,300 tokens for 2,000 embedding rows", "2,000 tokens"),
    Case("corpus-mostly-unk", lambda c: c.train(c.folder(hm.digits_only(c.tmp / "m", c.tmp / "scratch"))),
         2, "[UNK]", "vocabulary"),
    Case("corpus-mostly-unk-preview", lambda c: c.preview(c.folder(hm.digits_only(c.tmp / "m", c.tmp / "scratch"))),
         0, "", output="as [UNK]: training with this model is refused"),
    # --- pickle (item 14)
    Case("pickle-refused-preview", lambda c: c.preview(c.folder(hm.pickle_only(c.tiny, c.tmp / "m"))),
         2, "pickle", "--allow-pickle"),
    Case("pickle-refused-train", lambda c: c.train(c.folder(hm.pickle_only(c.tiny, c.tmp / "m"))),
         2, "pickle", "--allow-pickle"),
    Case("pickle-allowed-preview",
         lambda c: c.preview(c.folder(hm.pickle_only(c.tiny, c.tmp / "m")), "--allow-pickle"), 0, "",
         output="Corpus statistics"),
    Case("unsafe-pickle-allowed-train",
         lambda c: c.train(c.folder(hm.unsafe_pickle(c.tiny, c.tmp / "m", c.marker)), "--allow-pickle"),
         2, "safe", ".safetensors", absent=("UnpicklingError",)),
    # --- hub ids (item 12 and the offline case)
    Case("hub-unreachable", _unreachable_hub, 2, "the Hugging Face Hub cannot be reached", "hf download",
         absent=("no accessible model", "Check the spelling")),
    Case("hub-id-offline", _offline_hub, 2, "offline mode is on", "hf download"),
    # --- new-model where nothing can be written (item 13): refused before the vocabulary is trained
    Case("new-model-unwritable-output", _under_a_file, 2, "cannot be written", "--output",
         absent=("Training a WordPiece vocabulary",)),
    # --- sizes checked before anything is allocated, damaged weights named (issue 22)
    Case("config-with-100000-layers", lambda c: c.preview(c.folder(hm.huge_layers(c.tiny, c.tmp / "m"))),
         2, "config.json describes a model of", "num_hidden_layers"),
    Case("safetensors-header-of-1e15", lambda c: c.train(c.folder(hm.damaged_weights(c.tiny, c.tmp / "m", "hdr"))),
         2, "model.safetensors is cut short or damaged (its header says 1,000,000,000,000,000 bytes",
         "download or export the model again", absent=("ran out of memory", "batch size")),
    Case("safetensors-cut-short", lambda c: c.train(c.folder(hm.damaged_weights(c.tiny, c.tmp / "m", "cut"))),
         2, "model.safetensors is cut short", "download or export the model again",
         absent=("unexpected error", "resume from the last checkpoint")),
    Case("safetensors-random-bytes", lambda c: c.preview(c.folder(hm.damaged_weights(c.tiny, c.tmp / "m", "rnd"))),
         2, "model.safetensors is", "download or export the model again", absent=("unexpected error",)),
    # --- cases that already passed before this work, pinned
    Case("missing-config", lambda c: c.preview(c.folder(hm.no_config(c.tiny, c.tmp / "m"))),
         2, "no config.json", "save_pretrained"),
    Case("missing-weights", lambda c: c.preview(c.folder(hm.no_weights(c.tiny, c.tmp / "m"))),
         2, "no weights", "new-model"),
    Case("broken-config", lambda c: c.preview(c.folder(hm.broken_config(c.tiny, c.tmp / "m"))),
         2, "config.json cannot be read", "damaged"),
    Case("roberta-with-nsp", lambda c: c.train(c.folder(hm.roberta(c.tiny, c.tmp / "m"))),
         2, "no next-sentence-prediction head", "NSP off"),
    Case("model-is-a-file", lambda c: c.preview(c.folder(_a_file(c.tmp / "weights.bin"))), 2, "is a file",
         "config.json"),
]


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_"))}
    env.update(PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", TOKENIZERS_PARALLELISM="false",
               QT_QPA_PLATFORM="offscreen", NO_COLOR="1")
    env.update(extra)
    return env


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_model_input(case: Case, tmp_path, tiny_model, sample_corpus):
    ctx = Ctx(tmp=tmp_path, tiny=tiny_model, corpus=sample_corpus, marker=tmp_path / "MARKER")
    argv = case.argv(ctx)
    before = hm.snapshot(tiny_model, sample_corpus, *ctx.protect)
    proc = subprocess.run([sys.executable, "-m", "bertgui", *argv], input="y\ny\ny\n", capture_output=True,
                          text=True, env=_env(ctx.env), cwd=tmp_path, timeout=300)
    err = proc.stderr
    assert proc.returncode == case.code, err[-3000:]
    assert "Traceback" not in err + proc.stdout, err[-3000:]
    errors = [line for line in err.splitlines() if line.startswith("bertgui: ")]
    if case.message:
        assert len(errors) == 1, err[-3000:]
        assert errors[0].startswith("bertgui: error: ") and case.message in errors[0], errors[0]
        lines = err.splitlines()
        advice = lines[lines.index(errors[0]) + 1] if lines.index(errors[0]) + 1 < len(lines) else ""
        assert case.advice in advice, advice
    else:
        assert errors == [], err[-3000:]
    assert case.output in proc.stdout, proc.stdout[-3000:]
    for text in case.absent:
        assert text not in err, err[-3000:]
    assert "Do you wish to run the custom code" not in err + proc.stdout
    assert not ctx.marker.exists(), "the model folder's code ran"
    assert hm.snapshot(tiny_model, sample_corpus, *ctx.protect) == before, "a file of the person's changed"


# ---------------------------------------------------------------------------------------------- in-process checks
class _Sized:
    def __init__(self, n: int) -> None:
        self.n = n

    def __len__(self) -> int:
        return self.n


@pytest.mark.parametrize(("tokens", "rows", "fits"), [
    (30522, 30522, True),  # bert-base-uncased
    (128001, 128100, True),  # DeBERTa-v3: 99 spare rows
    (50280, 50368, True),  # ModernBERT: padded to a multiple of 64
    (28996, 29696, True),  # Megatron: padded to 128 × 8 (tensor parallel)
    (30522, 30522 + 128, False),  # not a multiple of 128 and 128 spare: another vocabulary
    (5, 2000, False),  # the empty tokenizer transformers makes up when the files are missing
    (2300, 2000, False),  # ids past the last embedding row
    (2001, 2000, False),  # the boundary: one id past the last row
    (2000, 2000, True),  # the boundary: every id has its row
    (21128, 30522, False),  # a Chinese BERT's tokenizer on an English BERT
])
def test_tokenizer_size_against_embedding_rows(tokens, rows, fits):
    from bertgui.errors import ModelError
    from bertgui.model.loading import check_tokenizer_fits

    if fits:
        check_tokenizer_fits(_Sized(tokens), rows, "m")
    else:
        with pytest.raises(ModelError, match="does not fit the model"):
            check_tokenizer_fits(_Sized(tokens), rows, "m")


def test_embeddings_padded_to_a_multiple_of_64_still_load(tiny_model, tmp_path):
    from bertgui.model.loading import load_model, resolve_model

    folder = hm.padded_embeddings(tiny_model, tmp_path / "padded")
    loaded = load_model(resolve_model(str(folder)), nsp=True)
    rows = loaded.model.get_input_embeddings().weight.shape[0]
    assert rows % 64 == 0 and rows > len(loaded.tokenizer)


def test_a_refused_connection_is_not_a_misspelt_name(monkeypatch, tmp_path):
    """What huggingface_hub raises when the connection is refused: LocalEntryNotFoundError caused by ConnectError
    (from the HTTP client huggingface_hub uses: httpx2 in huggingface_hub 2.x)."""
    import importlib

    import huggingface_hub
    from huggingface_hub import constants
    from huggingface_hub.errors import HTTPError, LocalEntryNotFoundError

    from bertgui.errors import ModelError
    from bertgui.model.loading import resolve_model

    def refused(repo_id, *, local_files_only=False, **kwargs):
        if local_files_only:
            raise LocalEntryNotFoundError("Cannot find an appropriate cached snapshot folder.")
        connect_error = importlib.import_module(HTTPError.__module__).ConnectError
        try:
            raise connect_error("[Errno 111] Connection refused")
        except connect_error as exc:
            raise LocalEntryNotFoundError(
                "An error happened while trying to locate the files on the Hub, and we cannot find the appropriate"
                " snapshot folder for the specified revision on the local disk. Please check your internet "
                "connection and try again.") from exc

    monkeypatch.setattr(huggingface_hub, "snapshot_download", refused)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    with pytest.raises(ModelError) as err:
        resolve_model("google-bert/bert-base-uncased")
    assert "the Hugging Face Hub cannot be reached" in err.value.message
    assert "Connection refused" in err.value.message
    assert "hf download google-bert/bert-base-uncased" in err.value.advice
    assert "spelling" not in str(err.value)


def test_new_model_refuses_a_folder_it_cannot_write_before_the_vocabulary(monkeypatch, tmp_path, sample_corpus):
    """A read-only folder (EACCES) as a user without root sees it: root ignores permission bits, so the refused
    write is simulated at the one call that probes the folder."""
    import errno
    import tempfile

    from bertgui.errors import BertguiError
    from bertgui.model import new

    def no_write(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    def vocabulary(*args, **kwargs):
        raise AssertionError("the vocabulary was trained before the folder was checked")

    target = tmp_path / "read-only" / "model"
    target.parent.mkdir()
    monkeypatch.setattr(tempfile, "mkdtemp", no_write)
    monkeypatch.setattr(new, "train_wordpiece", vocabulary)
    with pytest.raises(BertguiError) as err:
        new.create_model([str(sample_corpus)], target, new.NewModelSpec(vocab_size=200))
    assert "cannot be written (Permission denied)" in err.value.message
    assert list(target.parent.iterdir()) == []


def test_a_model_larger_than_the_free_memory_is_refused_before_loading(tiny_model, tmp_path, monkeypatch):
    """bert-large's shape (24 layers × 1 024) on a computer with 1 GB free: refused with both numbers, at once."""
    from bertgui.errors import ModelError
    from bertgui.model import loading

    folder = shutil.copytree(tiny_model, tmp_path / "large")
    hm._edit_json(folder / "config.json", num_hidden_layers=24, hidden_size=1024, intermediate_size=4096,
                  num_attention_heads=16)
    monkeypatch.setattr(loading, "available_memory", lambda: 10**9)
    with pytest.raises(ModelError) as err:
        loading.resolve_model(str(folder))
    assert re.search(r"weights alone need about 1\.\d GB of memory, and this computer has 1\.0 GB free",
                     err.value.message), err.value.message
    monkeypatch.setattr(loading, "available_memory", lambda: 64 * 10**9)
    with pytest.raises(ModelError, match="the config does not belong to these weights"):
        loading.resolve_model(str(folder))  # enough memory, but the 2-layer weights cannot be that model


def test_every_from_pretrained_call_refuses_remote_code(tiny_model, tmp_path, monkeypatch):
    """What bertgui passes to transformers, recorded: no loading path may ask for the folder's own code."""
    import transformers
    from transformers import AutoConfig, AutoTokenizer, PreTrainedModel

    from bertgui.model.loading import load_model, load_tokenizer, resolve_model
    from bertgui.results.export import export_model

    calls: list[tuple[str, dict]] = []

    def recording(owner, name):
        original = getattr(owner, name).__func__

        def wrapper(cls, *args, **kwargs):
            calls.append((f"{cls.__name__}.{name}", dict(kwargs)))
            return original(cls, *args, **kwargs)

        monkeypatch.setattr(owner, name, classmethod(wrapper))

    for owner in (AutoConfig, AutoTokenizer, PreTrainedModel, transformers.AutoModelForMaskedLM):
        recording(owner, "from_pretrained")
    info = resolve_model(str(tiny_model))
    load_model(info, nsp=True)
    load_tokenizer(info)
    export_model(str(tiny_model), tmp_path / "exported")
    assert len(calls) >= 6, calls
    asked = [(name, kw) for name, kw in calls if kw.get("trust_remote_code", False) is not False]
    assert asked == []
