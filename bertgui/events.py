"""What the engine reports and how it is steered: plain dataclasses and a thread-safe control object.

The engine calls one callback with these events; the CLI prints them (or writes one JSON object per line with
``--json``), the GUI's worker turns them into Qt signals, a ``torchrun`` subprocess's JSON lines turn back into
them with :func:`event_from_dict`. Nothing here imports Qt or torch.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bertgui.text import Text


@dataclass
class Progress:
    """Slow preparation work (reading the corpus, tokenising, loading the model); total 0 = unknown."""

    stage: str
    done: int = 0
    total: int = 0
    message: str = ""


@dataclass
class RunStarted:
    total_steps: int
    epochs: float
    train_sequences: int  # NSP pairs (or MLM segments) in the first epoch
    eval_sequences: int
    train_documents: int
    eval_documents: int
    mode: str  # "mlm+nsp" or "mlm"
    device: str
    device_name: str
    precision: str
    num_parameters: int
    batch_size: int
    gradient_accumulation: int
    max_seq_length: int
    world_size: int = 1
    resumed_from_step: int = 0
    output_dir: str = ""
    new_heads: list[str] = field(default_factory=list)
    run_id: str = ""  # the run's id (run.json), the same in every session of the run
    resumed_from: str = ""  # the checkpoint folder this session continues, "" for a new run
    train_further: int = 0  # this session adds that many steps to a finished run (fresh schedule)


@dataclass
class StepMetrics:
    step: int
    total_steps: int
    epoch: float
    loss: float
    mlm_loss: float
    nsp_loss: float | None
    learning_rate: float
    grad_norm: float | None
    tokens_per_second: float  # real (non-padding) tokens, all processes together
    real_tokens: int  # cumulative real tokens seen
    elapsed_s: float
    eta_s: float | None
    device_memory_bytes: int = 0


@dataclass
class EvalMetrics:
    step: int
    when: str  # "before", "during" or "after"
    split: str  # "eval" (held-out documents of the corpus) or "general" (the general-text file)
    mlm_loss: float
    perplexity: float
    masked_accuracy: float
    nsp_loss: float | None = None
    nsp_accuracy: float | None = None
    sequences: int = 0
    masked_tokens: int = 0
    # baselines on the same pairs and masks (issue 14; bertgui.results.insights explains them)
    nsp_majority_share: float | None = None  # always guessing the most common NSP label scores this
    nsp_random_share: float | None = None  # share of pairs whose B is random
    frequent_token_accuracy: float | None = None  # always guessing the most frequent masked word scores this
    frequent_token: str = ""
    word_probes: list[dict[str, Any]] = field(default_factory=list)  # evaluation.probe_predictions, "eval" split
    # the embedding check (issue 24, bertgui.engine.retrieval): does the model find the passage that follows a
    # passage of the same document among all the others? None: not measured
    retrieval_recall_at_1: float | None = None
    retrieval_recall_at_10: float | None = None
    retrieval_mrr: float | None = None
    retrieval_queries: int = 0
    retrieval_candidates: int = 0  # passages each query is ranked against (chance: retrieval.chance)

    @property
    def frequent_word_accuracy(self) -> float | None:
        """The name the window's baseline adapter reads (``gui/widgets/explain.py``)."""
        return self.frequent_token_accuracy


@dataclass
class CheckpointSaved:
    step: int
    path: str


@dataclass
class StateChanged:
    """``preparing``, ``training``, ``paused``, ``stopping``, ``evaluating``, ``saving``."""

    state: str
    step: int = 0


@dataclass
class Finished:
    step: int
    stopped: bool  # True when stopped by the user before the planned end
    elapsed_s: float
    output_dir: str
    last_checkpoint: str = ""
    summary: dict[str, Any] = field(default_factory=dict)


@dataclass
class Failed:
    message: str
    advice: str = ""
    kind: str = "unexpected"  # "oom", "nan", "corpus", "model", "disk", "permission", "config", "unexpected"
    step: int = 0
    details: str = ""  # traceback or raw error text, for the log panel


Event = Progress | RunStarted | StepMetrics | EvalMetrics | CheckpointSaved | StateChanged | Finished | Failed
EventCallback = Callable[[Event], None]

EVENT_TYPES: dict[str, type] = {}
for _cls in (Progress, RunStarted, StepMetrics, EvalMetrics, CheckpointSaved, StateChanged, Finished, Failed):
    EVENT_TYPES[re.sub(r"(?<!^)(?=[A-Z])", "_", _cls.__name__).lower()] = _cls
_NAMES = {cls: name for name, cls in EVENT_TYPES.items()}


I18N_SUFFIX = "_i18n"


def event_to_dict(event: Event) -> dict[str, Any]:
    """``{"event": "step_metrics", ...fields}``: the ``--json`` line format.

    A field holding a :class:`~bertgui.text.Text` also travels as ``<field>_i18n = [template, *args]``, so a window
    reading a ``torchrun`` subprocess's lines can still show the message in its user's language.
    """
    out: dict[str, Any] = {"event": _NAMES[type(event)], **dataclasses.asdict(event)}
    for key, value in list(out.items()):
        if isinstance(value, Text):
            args = [a if isinstance(a, (int, float)) and not isinstance(a, bool) else str(a) for a in value.args]
            out[key] = str(value)
            out[key + I18N_SUFFIX] = [value.template, *args]
    return out


def event_from_dict(data: dict[str, Any]) -> Event:
    data = dict(data)
    cls = EVENT_TYPES[data.pop("event")]
    names = {f.name for f in dataclasses.fields(cls)}
    fields = {k: v for k, v in data.items() if k in names}
    for key in names:
        packed = data.get(key + I18N_SUFFIX)
        if isinstance(packed, list) and packed and isinstance(packed[0], str):
            try:
                restored = Text(packed[0], *packed[1:])
            except (IndexError, KeyError, ValueError, TypeError):
                continue
            if restored == fields.get(key):  # only when it says what the line says
                fields[key] = restored
    return cls(**fields)


class Control:
    """Pause, resume and stop a run from another thread; the engine checks it once per step."""

    def __init__(self) -> None:
        self._running = threading.Event()
        self._running.set()
        self._stop = threading.Event()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    def stop(self) -> None:
        self._stop.set()
        self._running.set()  # a paused run must wake up to stop

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    @property
    def stop_requested(self) -> bool:
        return self._stop.is_set()

    def wait_while_paused(self, timeout: float | None = None) -> bool:
        """Block while paused; True when running again (or stopping), False on timeout."""
        return self._running.wait(timeout)
