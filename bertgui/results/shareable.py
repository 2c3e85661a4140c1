"""What an exported folder may say about the machine it came from: file names, never local paths or corpus text.

WHY: an export is made to be shared (``--push-to-hub`` publishes it as it is), but the run's record holds
absolute paths (the corpus, the base model, the run folder; the window always saves absolute paths) and the
held-out sentences of the "what the model learned" examples — verbatim text of the user's corpus. The folder's
``bertgui.toml``, ``bertgui_summary.json`` and card keep the names (``contracts.txt``, ``bert-base-uncased``) and,
only when the person asks for them, the examples.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from bertgui.results.modelcard import display_name, strip_paths

# Summary keys that hold a path of this machine (the whole value is one path).
PATH_KEYS = ("final_model_dir", "last_checkpoint", "output_dir", "base_model", "model", "corpus", "files", "paths",
             "general_corpus", "path", "folder")
# Summary keys whose values are text of the user's corpus.
TEXT_KEYS = ("word_probes",)


def shareable_config(config: Any) -> Any:
    """A copy of a RunConfig with every path reduced to its base name (a hub id stays as it is)."""
    if config is None or not dataclasses.is_dataclass(config):
        return config
    return dataclasses.replace(
        config, corpus=[display_name(p) for p in config.corpus], general_corpus=display_name(config.general_corpus),
        model=display_name(config.model), output_dir=display_name(config.output_dir))


def shareable_summary(summary: Any, *, examples: bool = False) -> Any:
    """The summary without local paths; the corpus-text examples only when ``examples`` is true."""
    if isinstance(summary, dict):
        out: dict[str, Any] = {}
        for key, value in summary.items():
            if key in TEXT_KEYS and not examples:
                continue
            if key in PATH_KEYS and isinstance(value, str):
                out[key] = display_name(value)
            elif key in PATH_KEYS and isinstance(value, list) and all(isinstance(v, str) for v in value):
                out[key] = [display_name(v) for v in value]
            else:
                out[key] = shareable_summary(value, examples=examples)
        return out
    if isinstance(summary, list):
        return [shareable_summary(v, examples=examples) for v in summary]
    if isinstance(summary, str):
        return strip_paths(summary)
    return summary
