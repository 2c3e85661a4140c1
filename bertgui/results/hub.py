"""Publishing an exported folder on the Hugging Face Hub (``HfApi().create_repo`` + ``upload_folder``).

WHY these checks before any network call: a push is public by default and cannot be taken back by bertgui, so it
sends only what a model repository should hold — the card, the safetensors weights, the tokenizer, the loss curve,
the run configuration, the sentence-transformers modules — and never pickle files, checkpoints or hidden
temporary files. Offline mode or a missing token is a message that says what to do, not a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bertgui.errors import BertguiError
from bertgui.results.modelcard import HUB_ID
from bertgui.text import text

IGNORE_PATTERNS = [
    "*.bin", "*.pt", "*.pth", "*.pkl", "*.pickle", "*.ckpt", "*.h5", "*.msgpack", "*.ot",  # pickle and foreign weights
    "checkpoint-*", "checkpoint-*/*", "*/checkpoint-*/*", "optimizer*", "scheduler*", "rng_state*",
    "trainer_state.json", "training_args*", ".*", ".*/*", "*/.*",  # training state, hidden temporary files
]
REQUIRED = ("README.md", "config.json", "model.safetensors")


class HubError(BertguiError):
    """Publishing is not possible now (offline, no token, no access, not a complete export)."""


def files_to_upload(folder: str | Path) -> list[str]:
    """The relative paths ``upload_folder`` sends, with the same filter the client applies."""
    from huggingface_hub.utils import filter_repo_objects

    folder = Path(folder)
    paths = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return list(filter_repo_objects(paths, ignore_patterns=IGNORE_PATTERNS))


def check_publishable(folder: str | Path, repo_id: str) -> list[str]:
    folder = Path(folder)
    if not HUB_ID.match(repo_id or ""):
        raise HubError(text("{0!r} is not a Hub repository name.", repo_id),
                       text("Use the form your-name/model-name."))
    files = files_to_upload(folder) if folder.is_dir() else []
    missing = [f for f in REQUIRED if f not in files]
    if missing:
        raise HubError(text("{0} is not a complete export (missing {1}).", folder, ", ".join(missing)),
                       text("Export the model first (bertgui export RUN_DIR OUTPUT), then publish that folder."))
    return files


def push_to_hub(folder: str | Path, repo_id: str, *, private: bool = False, token: str | None = None,
                progress: Callable[[int, int, str], None] | None = None) -> str:
    """Create (or reuse) ``repo_id`` and upload the folder; returns the repository's address."""
    from huggingface_hub import HfApi, constants, get_token

    files = check_publishable(folder, repo_id)
    if constants.HF_HUB_OFFLINE:
        raise HubError(text("Offline mode is on (HF_HUB_OFFLINE), so nothing was published."),
                       text("Unset HF_HUB_OFFLINE (and TRANSFORMERS_OFFLINE) on a machine with internet, then "
                            "publish the exported folder again."))
    token = token or get_token()
    if not token:
        raise HubError(text("No Hugging Face token was found, so nothing was published."),
                       text("Run `hf auth login` (or set HF_TOKEN to a token with write access), then publish "
                            "again."))
    api = HfApi(token=token)
    if progress is not None:
        progress(0, 2, text("Creating {0} on the Hub", repo_id))
    try:
        url = api.create_repo(repo_id, private=private, exist_ok=True, repo_type="model")
        if progress is not None:
            progress(1, 2, text("Uploading {0} files to {1}", len(files), repo_id))
        api.upload_folder(repo_id=repo_id, folder_path=str(folder), repo_type="model",
                          ignore_patterns=IGNORE_PATTERNS, commit_message="Upload model trained with bertgui")
    except Exception as exc:  # httpx, OSError and the hub's own errors: one clear line
        raise _hub_failure(exc, repo_id) from exc
    if progress is not None:
        progress(2, 2, text("Published {0}", repo_id))
    return str(url)


def _hub_failure(exc: Exception, repo_id: str) -> HubError:
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status == 401:
        return HubError(text("The Hub refused the token (401), so nothing was published."),
                        text("Run `hf auth login` again with a token that has write access."))
    if status == 403:
        return HubError(text("The token may not write to {0} (403).", repo_id),
                        text("Choose a repository under your own name, or a token with write access to it."))
    kind = type(exc).__name__
    return HubError(text("Publishing to {0} failed ({1}: {2}).", repo_id, kind, str(exc)[:200]),
                    text("Check the internet connection and publish again; the exported folder is unchanged."))
