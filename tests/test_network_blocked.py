"""Tests never touch the network: a connection to another machine fails at once, loopback still works."""

from __future__ import annotations

import socket

import pytest


def blocked(exc: BaseException) -> bool:
    while exc is not None:
        if type(exc).__name__ == "NetworkBlocked" or "tests never touch the network" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def test_a_remote_connection_fails_loudly() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s, pytest.raises(RuntimeError) as info:
        s.connect(("203.0.113.7", 443))  # TEST-NET-3: never reached, refused before any packet
    assert blocked(info.value)
    with pytest.raises(RuntimeError) as info:
        socket.getaddrinfo("huggingface.co", 443)
    assert blocked(info.value)


def test_a_hub_download_fails_loudly_not_slowly(monkeypatch) -> None:
    import time

    from huggingface_hub import hf_hub_download

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr("huggingface_hub.constants.HF_HUB_OFFLINE", False)
    start = time.monotonic()
    with pytest.raises(Exception) as info:
        hf_hub_download("google-bert/bert-base-uncased", "config.json", cache_dir="/nonexistent-cache-dir")
    assert time.monotonic() - start < 30
    assert blocked(info.value)


def test_loopback_stays_open() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.connect(server.getsockname())
