"""The model both contenders train: a random BERT whose vocabulary is learnt on the benchmark corpus.

Built with :func:`bertgui.model.new.create_model` so the benchmark runs offline anywhere. The tutorial's setup has a
30 522-entry vocabulary (bert-base-uncased), and the vocabulary width decides the cost of the MLM decoder, so a
vocabulary learnt on a small corpus (Meditations yields far fewer words) is padded with ``[unusedN]`` entries up to
the requested width, as Google's own vocabularies carry unused slots. Built folders are cached by their recipe.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path


def _recipe_key(corpus: str, layers: int, hidden: int, vocab: int, seed: int) -> str:
    st = Path(corpus).stat()
    text = f"{Path(corpus).resolve()}|{st.st_size}|{int(st.st_mtime)}|{layers}|{hidden}|{vocab}|{seed}|v1"
    return hashlib.sha1(text.encode()).hexdigest()[:16]


def pad_vocabulary(folder: Path, vocab: int) -> int:
    """Append ``[unusedN]`` entries to the folder's WordPiece vocabulary (and rows to the model) up to ``vocab``."""
    from transformers import BertForPreTraining, BertTokenizerFast

    tokenizer = BertTokenizerFast.from_pretrained(folder, trust_remote_code=False)
    current = tokenizer.get_vocab()
    if len(current) >= vocab:
        return len(current)
    words = [w for w, _ in sorted(current.items(), key=lambda kv: kv[1])]
    used = set(words)
    n = 0
    while len(words) < vocab:
        name = f"[unused{n}]"
        n += 1
        if name not in used:
            words.append(name)
    padded = BertTokenizerFast(vocab={w: i for i, w in enumerate(words)},
                               do_lower_case=getattr(tokenizer, "do_lower_case", True))
    model = BertForPreTraining.from_pretrained(folder, trust_remote_code=False)
    model.resize_token_embeddings(len(words), mean_resizing=False)
    model.save_pretrained(folder)
    padded.save_pretrained(folder)
    return len(words)


def prepare_model(corpus: str, *, layers: int, hidden: int, vocab: int, seed: int = 0,
                  cache: Path | None = None, progress: Callable[[str], None] | None = None) -> Path:
    """A cached model folder for the benchmark; built on first use (seconds for small models)."""
    from bertgui.data.samples import cache_dir
    from bertgui.model.new import NewModelSpec, create_model

    base = Path(cache or cache_dir()) / "bench-models"
    out = base / f"bert-{layers}x{hidden}-v{vocab}-{_recipe_key(corpus, layers, hidden, vocab, seed)}"
    if (out / "config.json").exists():
        return out
    base.mkdir(parents=True, exist_ok=True)
    tmp = base / (out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    create_model([corpus], tmp, NewModelSpec(layers=layers, hidden=hidden, vocab_size=vocab, seed=seed),
                 overwrite=True, progress=progress)
    pad_vocabulary(tmp, vocab)
    tmp.replace(out)
    return out
