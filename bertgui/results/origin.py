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
        own = card_own_id(card)
        if own and own != found:  # an export's card can quote its base's id under the base's title
            return own, "its own model card loads it by that name"
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


QUOTED_ID = re.compile(r"""["'`](?P<id>[A-Za-z0-9][\w.-]*/[\w.-]+)["'`]""")


def card_own_id(path: Path) -> str | None:
    """The Hub id a folder's own card gives itself: its title (``# all-MiniLM-L6-v2``) loaded by a quoted
    ``org/<title>`` in its examples (``SentenceTransformer('sentence-transformers/all-MiniLM-L6-v2')``).

    WHY before ``_name_or_path``: a model fine-tuned from another keeps its parent's name there
    (all-MiniLM-L6-v2 says ``nreimers/MiniLM-L6-H384-uncased``); the card is the folder speaking of itself. Only
    one id matching the title counts: two different ones are no answer.
    """
    try:
        body = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    title = next((ln[2:].strip() for ln in _without_front_matter(body).splitlines() if ln.startswith("# ")), "")
    if not title:
        return None
    ids = {m["id"] for m in QUOTED_ID.finditer(body) if m["id"].split("/")[-1].lower() == title.lower()}
    return ids.pop() if len(ids) == 1 and HUB_ID.match(next(iter(ids))) else None


def _without_front_matter(body: str) -> str:
    if body.startswith("---"):
        end = body.find("\n---", 3)
        return body[end + 4:] if end >= 0 else body
    return body


def card_license(folder: Path | None) -> str:
    """The ``license`` of a base folder's own model card ("" when it has no card or names none)."""
    if folder is None or not (folder / "README.md").is_file():
        return ""
    from huggingface_hub import ModelCard

    try:
        value = getattr(ModelCard.load(folder / "README.md", ignore_metadata_errors=True).data, "license", None)
    except Exception:  # a broken card is no reason to fail an export
        return ""
    return value if isinstance(value, str) and re.fullmatch(r"[\w.+-]{1,64}", value) else ""


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
