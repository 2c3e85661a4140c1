"""Fresh MLM/NSP heads: what counts as a head, and the head phase of a run.

WHY a stage of its own: a sentence-transformers checkpoint or a plain ``BertModel`` has no MLM or NSP head, and a
random head trained together with a pre-trained encoder sends large, meaningless gradients into it during the
first steps, while learning too slowly at the adaptation rate to be of use in a short run. The heads are fitted
alone first, on the frozen encoder's outputs (:mod:`bertgui.engine.head_fit`), then the whole model trains; the
"before" measurement is taken after that, so it compares the adapted encoder with the original one.
"""

from __future__ import annotations

from typing import Any

import torch


def head_parameter_names(model: torch.nn.Module) -> set[str]:
    """Parameters of the MLM/NSP heads and the pooler (what ``loading.HEAD_PREFIXES`` calls heads).

    A tied decoder weight is the word-embedding matrix itself; ``named_parameters`` lists it once, under the
    encoder's name, so it stays frozen with the encoder (the head's transform and bias still learn).
    """
    from bertgui.model.loading import HEAD_PREFIXES

    return {name for name, _ in model.named_parameters() if name.startswith(tuple(HEAD_PREFIXES))}


def fresh_head_parameters(model: Any) -> set[str]:
    """Parameter names of the heads the base model came without (a ``ModelStage``): they learn at a new layer's
    rate while the whole model trains (``training.fresh_head_lr_scale``)."""
    prefixes = {"MLM head": ("cls.predictions", "lm_head"), "NSP head": ("cls.seq_relationship",),
                "pooler": ("bert.pooler", "pooler")}
    wanted = tuple(p for head in model.loaded.new_heads for p in prefixes.get(head, ()))
    return {n for n in head_parameter_names(model.model) if wanted and n.startswith(wanted)}


HEAD_FIT_MAX_S = 120.0  # without a time budget: the head phase ends by then at the latest (it converges sooner)


def head_seconds(config: Any, model: Any, folder: Any) -> float:
    """Seconds for the head phase of this run: 0 when nothing is to fit (heads present, a resume, turned off)."""
    from bertgui.config import parse_duration

    if not model.fresh_heads or folder.resume_dir or config.head_warmup_share <= 0:
        return 0.0
    budget = parse_duration(config.time_budget, name="training.time_budget")
    return float(config.head_warmup_share) * budget if budget > 0 else HEAD_FIT_MAX_S
