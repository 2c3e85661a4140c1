"""Publishing on the Hub, with the client mocked at its boundary: what would be uploaded, and the clear refusals."""

from __future__ import annotations

import huggingface_hub
import pytest
from huggingface_hub import constants
from huggingface_hub.utils import filter_repo_objects

from bertgui.cli import main
from bertgui.results.hub import HubError, push_to_hub


class FakeApi:
    """Records what ``HfApi`` was asked to do; computes the upload with the client's own filter."""

    calls: list[tuple[str, dict]] = []
    fail_with: Exception | None = None

    def __init__(self, token=None, **kw):
        self.token = token

    def create_repo(self, repo_id, **kw):
        FakeApi.calls.append(("create_repo", {"repo_id": repo_id, "token": self.token, **kw}))
        if FakeApi.fail_with is not None:
            raise FakeApi.fail_with
        return f"https://huggingface.co/{repo_id}"

    def upload_folder(self, *, folder_path, ignore_patterns=None, allow_patterns=None, **kw):
        from pathlib import Path

        root = Path(folder_path)
        paths = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        sent = sorted(filter_repo_objects(paths, allow_patterns=allow_patterns, ignore_patterns=ignore_patterns))
        FakeApi.calls.append(("upload_folder", {"files": sent, **kw}))


@pytest.fixture
def hub(monkeypatch):
    FakeApi.calls, FakeApi.fail_with = [], None
    monkeypatch.setattr(huggingface_hub, "HfApi", FakeApi)
    monkeypatch.setattr(huggingface_hub, "get_token", lambda: "hf_test_token")
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    return FakeApi


@pytest.fixture(scope="module")
def exported(tmp_path_factory, tiny_model):
    """An export with the leftovers a real folder may hold: a pickle, a checkpoint, a temporary file."""
    from transformers import AutoTokenizer, BertForPreTraining

    from bertgui.config import RunConfig
    from bertgui.results.export import export_model

    out = tmp_path_factory.mktemp("hub") / "exported"
    model = BertForPreTraining.from_pretrained(tiny_model)
    export_model((model, AutoTokenizer.from_pretrained(tiny_model)), out, config=RunConfig(model=str(tiny_model)),
                 verify=False)
    (out / "pytorch_model.bin").write_bytes(b"pickle")
    (out / "checkpoint-3").mkdir()
    (out / "checkpoint-3" / "model.safetensors").write_bytes(b"x")
    (out / "checkpoint-3" / "optimizer.pt").write_bytes(b"x")
    (out / ".README.tmp-1.md").write_text("half")
    (out / "training_args.bin").write_bytes(b"pickle")
    return out


def test_push_sends_the_card_and_safetensors_and_nothing_else(hub, exported):
    url = push_to_hub(exported, "me/tiny-legal", private=True)
    assert url == "https://huggingface.co/me/tiny-legal"
    (name, create), (name2, upload) = hub.calls
    assert name == "create_repo" and create["private"] is True and create["exist_ok"] is True
    assert create["token"] == "hf_test_token"
    assert name2 == "upload_folder" and upload["repo_id"] == "me/tiny-legal"
    sent = upload["files"]
    assert {"README.md", "config.json", "model.safetensors", "tokenizer.json", "bertgui.toml"} <= set(sent)
    assert not [f for f in sent if f.endswith((".bin", ".pt")) or "checkpoint-" in f or f.startswith(".")], sent


def test_offline_or_without_token_nothing_is_sent_and_the_message_says_what_to_do(hub, exported, monkeypatch):
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(HubError) as offline:
        push_to_hub(exported, "me/x")
    assert "HF_HUB_OFFLINE" in str(offline.value.message) and "HF_HUB_OFFLINE" in str(offline.value.advice)
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(huggingface_hub, "get_token", lambda: None)
    with pytest.raises(HubError) as no_token:
        push_to_hub(exported, "me/x")
    assert "hf auth login" in str(no_token.value.advice)
    assert hub.calls == []


def test_refused_token_and_bad_names_are_one_line(hub, exported, tmp_path):
    class Refused(Exception):
        class response:  # noqa: N801 - the shape of an HTTP error's response
            status_code = 401

    hub.fail_with = Refused("401 Unauthorized")
    with pytest.raises(HubError) as refused:
        push_to_hub(exported, "me/x")
    assert "401" in str(refused.value.message) and "hf auth login" in str(refused.value.advice)
    with pytest.raises(HubError):
        push_to_hub(exported, "not a repo name")
    with pytest.raises(HubError) as incomplete:
        push_to_hub(tmp_path, "me/x")  # an empty folder is no export
    assert "README.md" in str(incomplete.value.message)


def test_cli_publishes_an_existing_export_and_reports_a_missing_token(hub, exported, monkeypatch, capsys):
    assert main(["export", str(exported), "--push-to-hub", "me/tiny", "--private"]) == 0
    assert "Published: https://huggingface.co/me/tiny" in capsys.readouterr().err
    assert [c[0] for c in hub.calls] == ["create_repo", "upload_folder"]
    monkeypatch.setattr(huggingface_hub, "get_token", lambda: None)
    assert main(["export", str(exported), "--push-to-hub", "me/tiny"]) == 2
    assert "hf auth login" in capsys.readouterr().err
