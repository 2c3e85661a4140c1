"""Model folders a hostile or careless person could hand to bertgui, each built from the tiny test BERT.

Shared by the command-line table (tests/bad_inputs/test_model_inputs.py) and the window's test
(tests/gui/test_gui_model_page_hostile.py), so both refuse exactly the same folders. Folders that carry code write a
marker file when that code runs: a test asserts the marker never appears.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")

# The module a remote-code folder ships: importing it is enough to write the marker.
EVIL_MODULE = '''
import pathlib
pathlib.Path({marker!r}).write_text("the folder's code ran")
from transformers import PretrainedConfig, PreTrainedModel, PreTrainedTokenizerFast


class EvilConfig(PretrainedConfig):
    model_type = "evil-bert"


class EvilModel(PreTrainedModel):
    config_class = EvilConfig


class EvilTokenizer(PreTrainedTokenizerFast):
    pass
'''


def _copy(tiny: Path, dst: Path, names: tuple[str, ...]) -> Path:
    dst.mkdir(parents=True)
    for name in names:
        shutil.copy(tiny / name, dst / name)
    return dst


def _edit_json(path: Path, **changes) -> None:
    data = json.loads(path.read_text())
    data.update(changes)
    path.write_text(json.dumps(data, indent=1))


def remote_code(tiny: Path, dst: Path, marker: Path) -> Path:
    """config.json with an ``auto_map`` and a model_type transformers does not know: transformers would offer to
    run ``evil.py``."""
    _copy(tiny, dst, ("config.json", "model.safetensors", *TOKENIZER_FILES))
    (dst / "evil.py").write_text(EVIL_MODULE.format(marker=str(marker)))
    _edit_json(dst / "config.json", model_type="evil-bert",
               auto_map={"AutoConfig": "evil.EvilConfig", "AutoModelForMaskedLM": "evil.EvilModel"})
    return dst


def remote_tokenizer(tiny: Path, dst: Path, marker: Path) -> Path:
    """A stock BERT whose tokenizer_config.json points at a tokenizer class in the folder's own code."""
    _copy(tiny, dst, ("config.json", "model.safetensors", *TOKENIZER_FILES))
    (dst / "evil.py").write_text(EVIL_MODULE.format(marker=str(marker)))
    _edit_json(dst / "tokenizer_config.json", tokenizer_class="EvilTokenizer",
               auto_map={"AutoTokenizer": [None, "evil.EvilTokenizer"]})
    return dst


def unknown_type(tiny: Path, dst: Path) -> Path:
    """A model_type no transformers ships, without any code."""
    _copy(tiny, dst, ("config.json", "model.safetensors", *TOKENIZER_FILES))
    _edit_json(dst / "config.json", model_type="hyperbert-9000")
    return dst


def pickle_only(tiny: Path, dst: Path) -> Path:
    """The tiny model's weights as a torch pickle (plain tensors: torch's safe unpickler accepts them)."""
    import torch
    from safetensors.torch import load_file

    _copy(tiny, dst, ("config.json", *TOKENIZER_FILES))
    torch.save(load_file(tiny / "model.safetensors"), dst / "pytorch_model.bin")
    return dst


class _Payload:
    """Unpickles into running code: what torch's weights_only unpickler exists to refuse."""

    def __init__(self, marker: Path) -> None:
        self.marker = str(marker)

    def __reduce__(self):
        return (exec, (f"open({self.marker!r}, 'w').write('the pickle ran')",))


def unsafe_pickle(tiny: Path, dst: Path, marker: Path) -> Path:
    """Pickle weights with one entry that would run code when unpickled without the safe loader."""
    import torch
    from safetensors.torch import load_file

    _copy(tiny, dst, ("config.json", *TOKENIZER_FILES))
    state = dict(load_file(tiny / "model.safetensors"))
    state["bert.payload"] = _Payload(marker)
    torch.save(state, dst / "pytorch_model.bin")
    return dst


def no_tokenizer(tiny: Path, dst: Path) -> Path:
    """Weights and config, but no tokenizer file at all (transformers would build an empty tokenizer)."""
    return _copy(tiny, dst, ("config.json", "model.safetensors"))


def broken_config(tiny: Path, dst: Path) -> Path:
    _copy(tiny, dst, ("model.safetensors", *TOKENIZER_FILES))
    (dst / "config.json").write_text('{"model_type": "bert", "hidden_size": ')
    return dst


def no_weights(tiny: Path, dst: Path) -> Path:
    return _copy(tiny, dst, ("config.json", *TOKENIZER_FILES))


def no_config(tiny: Path, dst: Path) -> Path:
    return _copy(tiny, dst, ("model.safetensors", *TOKENIZER_FILES))


def small_tokenizer(tiny: Path, dst: Path, corpus: Path) -> Path:
    """The tiny model (2 000 embedding rows) with a 300-entry tokenizer learnt on the same text: most rows unused,
    and the ids mean other words than the ones the model learnt."""
    from bertgui.data.corpus import iter_documents
    from bertgui.model.new import train_wordpiece

    _copy(tiny, dst, ("config.json", "model.safetensors"))
    texts = (d.text for d in iter_documents([str(corpus)], documents="blank-line"))
    train_wordpiece(texts, 300).save_pretrained(dst)
    return dst


def big_tokenizer(tiny: Path, dst: Path) -> Path:
    """The tiny model's tokenizer with 300 added words: ids past the model's 2 000 embedding rows."""
    from transformers import AutoTokenizer

    _copy(tiny, dst, ("config.json", "model.safetensors"))
    tok = AutoTokenizer.from_pretrained(tiny, trust_remote_code=False)
    tok.add_tokens([f"addedword{i}" for i in range(300)])
    tok.save_pretrained(dst)
    return dst


def padded_embeddings(tiny: Path, dst: Path) -> Path:
    """The tiny model with its embeddings padded to a multiple of 64 rows, the usual speed-up: must still load."""
    from transformers import BertForPreTraining

    model = BertForPreTraining.from_pretrained(tiny, trust_remote_code=False)
    model.resize_token_embeddings(model.config.vocab_size + 1, pad_to_multiple_of=64)
    model.save_pretrained(dst)
    for name in TOKENIZER_FILES:
        shutil.copy(tiny / name, dst / name)
    return dst


def digits_only(dst: Path, scratch: Path) -> Path:
    """A model whose vocabulary was learnt on numbers only: English text becomes almost all [UNK]."""
    from bertgui.model.new import NewModelSpec, create_model

    scratch.mkdir(parents=True, exist_ok=True)
    numbers = scratch / "numbers.txt"
    numbers.write_text("\n\n".join(" ".join(str((i * 7919 + j * 104729) % 100000) for j in range(40))
                                   for i in range(200)))
    return create_model([str(numbers)], dst, NewModelSpec(layers=1, hidden=32, vocab_size=100, unused_slots=0))


def roberta(tiny: Path, dst: Path) -> Path:
    """A tiny RoBERTa (MLM head, no NSP head) with the tiny BERT's tokenizer."""
    from transformers import RobertaConfig, RobertaForMaskedLM

    cfg = json.loads((tiny / "config.json").read_text())
    config = RobertaConfig(vocab_size=cfg["vocab_size"], hidden_size=32, num_hidden_layers=1,
                           num_attention_heads=2, intermediate_size=64, max_position_embeddings=130,
                           pad_token_id=0)
    RobertaForMaskedLM(config).save_pretrained(dst)
    for name in TOKENIZER_FILES:
        shutil.copy(tiny / name, dst / name)
    return dst


def huge_layers(tiny: Path, dst: Path) -> Path:
    """The tiny model's weights under a config.json that asks for 100 000 layers."""
    shutil.copytree(tiny, dst)
    _edit_json(dst / "config.json", num_hidden_layers=100_000)
    return dst


def damaged_weights(tiny: Path, dst: Path, how: str) -> Path:
    """model.safetensors cut short, filled with random bytes, or with a header length of 10¹⁵ bytes."""
    import os
    import struct

    shutil.copytree(tiny, dst)
    weights = dst / "model.safetensors"
    data = weights.read_bytes()
    if how == "cut":
        weights.write_bytes(data[:len(data) // 2])
    elif how == "random":
        weights.write_bytes(os.urandom(len(data)))
    else:
        weights.write_bytes(struct.pack("<Q", 10**15) + data[8:])
    return dst


def snapshot(*paths: Path) -> dict[str, tuple[int, str]]:
    """Every file under ``paths`` with its mode and content hash: what "nothing of the user's changed" compares."""
    out: dict[str, tuple[int, str]] = {}
    for root in paths:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for f in files:
            out[str(f)] = (f.stat().st_mode, hashlib.sha256(f.read_bytes()).hexdigest())
        if root.is_dir():
            out[str(root) + "/"] = (root.stat().st_mode, ",".join(sorted(p.name for p in root.iterdir())))
    return out
