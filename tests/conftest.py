"""Shared fixtures: a sample corpus and a tiny BERT built from it, offline and once per test session."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # tests never reach a hub
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
# precision "auto" stays fp32 on the CPU in tests (and their subprocesses), so figures compared across runs and
# machines do not depend on whether this CPU has native bf16; tests/test_cpu_bf16.py covers the bf16 choice.
os.environ["BERTGUI_CPU_BF16"] = "0"
# The user cache (the bundled general sample, throughput probes, the sample corpus) of this test session only:
# tests never write into the home folder, and subprocesses (the CLI, torchrun) share it.
os.environ.setdefault("BERTGUI_CACHE", __import__("tempfile").mkdtemp(prefix="bertgui-test-cache-"))

import socket  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

_LOOPBACK = ("127.", "::1", "localhost", "0.0.0.0")


class NetworkBlocked(RuntimeError):
    """Raised when a test tries to reach another machine: tests never touch the network."""


def _refuse_remote(original):
    def connect(self, address, *args, **kwargs):
        host = address[0] if isinstance(address, tuple) and address else address
        if self.family in (socket.AF_INET, socket.AF_INET6) and not str(host).startswith(_LOOPBACK):
            raise NetworkBlocked(f"tests never touch the network: connect to {address!r} refused")
        return original(self, address, *args, **kwargs)

    return connect


def _refuse_remote_lookup(original):
    def getaddrinfo(host, *args, **kwargs):
        if host is not None and not str(host).startswith(_LOOPBACK) and str(host) not in ("", socket.gethostname()):
            raise NetworkBlocked(f"tests never touch the network: looking up {host!r} refused")
        return original(host, *args, **kwargs)

    return getaddrinfo


@pytest.fixture(autouse=True, scope="session")
def no_network():
    """Block connections to anything but this machine, so a hub call fails loudly instead of timing out.

    Loopback stays open: torchrun's rendezvous and gloo talk over 127.0.0.1 (in subprocesses anyway).
    """
    mp = pytest.MonkeyPatch()
    mp.setattr(socket.socket, "connect", _refuse_remote(socket.socket.connect))
    mp.setattr(socket.socket, "connect_ex", _refuse_remote(socket.socket.connect_ex))
    mp.setattr(socket, "getaddrinfo", _refuse_remote_lookup(socket.getaddrinfo))
    yield
    mp.undo()


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
