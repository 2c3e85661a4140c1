"""Which Hub model a local base folder came from, and where its sentence-transformers modules are.

WHY: people train from a folder far more often than from a hub id (offline machines, a copied cache, an earlier
export). The card's ``base_model`` links the model into the Hub's model tree, so it should be filled whenever the
folder itself says where it came from — and never guessed: the HF cache path (``models--org--name``) names the
model itself; the folder's own card (``base_model`` in its front matter) and ``config.json``'s ``_name_or_path``
name the model it was trained from, the nearest Hub ancestor, and the card says which of them was used.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from bertgui.results.modelcard import HUB_ID

CACHE_DIR = re.compile(r"^models--(?P<org>[^-][\w.-]*?)--(?P<name>[\w.-]+)$")


def hub_origin(base: str) -> tuple[str | None, str]:
    """``(repo_id, how it was found)`` for ``base`` (a hub id or a local folder); ``(None, "")`` when unknown."""
    base = str(base or "").strip()
    folder = Path(os.path.expanduser(base)) if base else None
    if folder is None or not folder.is_dir():
        return (base, "") if HUB_ID.match(base) else (None, "")
    for part in reversed(folder.resolve().parts):
        m = CACHE_DIR.match(part)
        if m:
            return f"{m['org']}/{m['name']}", "its path in the Hugging Face cache names it"
    card = folder / "README.md"
    if card.is_file():
        found = _card_base_model(card)
        if found:
            return found, "its own model card names it as its base model"
    cfg = folder / "config.json"
    if cfg.is_file():
        try:
            name = str(json.loads(cfg.read_text(encoding="utf-8")).get("_name_or_path") or "")
        except (OSError, ValueError):
            name = ""
        if HUB_ID.match(name) and not Path(os.path.expanduser(name)).exists():
            return name, "its config.json says it was trained from it (`_name_or_path`)"
    return None, ""


def _card_base_model(path: Path) -> str | None:
    from huggingface_hub import ModelCard

    try:
        data = ModelCard.load(path, ignore_metadata_errors=True).data
    except Exception:  # a broken card is no reason to fail an export
        return None
    value = getattr(data, "base_model", None)
    if isinstance(value, list):
        value = value[0] if len(value) == 1 else None
    return value if isinstance(value, str) and HUB_ID.match(value) else None


def base_folder(base: str) -> Path | None:
    """The base model's files on this machine: the folder itself, or the hub id's snapshot in the local cache."""
    base = str(base or "").strip()
    if not base:
        return None
    folder = Path(os.path.expanduser(base))
    if folder.is_dir():
        return folder
    if not HUB_ID.match(base):
        return None
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(base, local_files_only=True))
    except Exception:  # not cached: nothing to carry over
        return None
