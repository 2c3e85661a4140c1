"""Shared fixtures: a sample corpus and a tiny BERT built from it, offline and once per test session."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tests never reach a hub
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory) -> Path:
    """The bundled sample corpus (Python language reference, 79 documents)."""
    from bertgui.data.samples import sample_corpus_path

    return sample_corpus_path(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory, sample_corpus) -> Path:
    """A 2-layer, 64-wide BertForPreTraining with a 2 000-entry WordPiece vocabulary learnt on the sample."""
    from bertgui.model.new import NewModelSpec, create_model

    out = tmp_path_factory.mktemp("models") / "tiny-bert"
    return create_model([str(sample_corpus)], out, NewModelSpec(layers=2, hidden=64, vocab_size=2000))
