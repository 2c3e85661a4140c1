"""TensorBoard logs that say what bertgui shows: evaluation figures and bertgui's epochs beside the loss.

WHY a listener on bertgui's events rather than the Trainer's logs alone: the held-out measurement (perplexity,
masked-token and next-sentence accuracy, the change on general text) is bertgui's own, outside the Trainer, and
the Trainer's ``epoch`` counts passes over a dataset that already holds every epoch's pairs — a different number
from the one the window and the card show. So the Trainer's callback writes the loss and learning rate without its
epoch, through the same writer (one event file per run), and :class:`TensorBoardLog` writes ``train/epoch``
from the ``StepMetrics`` events and the evaluation scalars from the ``EvalMetrics`` events, all at the same
optimizer step, into the run's ``logs/`` folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bertgui.events import EvalMetrics, Failed, Finished, StepMetrics

EVAL_SCALARS = ("mlm_loss", "perplexity", "masked_accuracy", "nsp_loss", "nsp_accuracy")


class TensorBoardLog:
    """Feed it every engine event (``log(ev)``); it opens its writer on first use and closes it at the end."""

    def __init__(self, log_dir: str | Path, earlier: Iterable[Any] = ()) -> None:
        """``earlier``: the run's recorded events when resuming (the "before" figures are not measured again)."""
        self.log_dir = Path(log_dir)
        self.writer: Any = None
        self.before: dict[str, EvalMetrics] = {e.split: e for e in earlier
                                               if isinstance(e, EvalMetrics) and e.when == "before"}

    def _writer(self) -> Any:
        if self.writer is None:
            from torch.utils.tensorboard import SummaryWriter

            self.writer = SummaryWriter(str(self.log_dir), filename_suffix=".bertgui")
        return self.writer

    def __call__(self, ev: Any) -> None:
        if isinstance(ev, StepMetrics):
            w = self._writer()
            w.add_scalar("train/epoch", ev.epoch, ev.step)
            if ev.device_memory_bytes:
                w.add_scalar("train/device_memory_gb", ev.device_memory_bytes / 2**30, ev.step)
        elif isinstance(ev, EvalMetrics):
            self._eval(ev)
        elif isinstance(ev, (Finished, Failed)):
            self.close()

    def _eval(self, ev: EvalMetrics) -> None:
        w = self._writer()
        prefix = "eval" if ev.split == "eval" else f"eval_{ev.split}"
        for name in EVAL_SCALARS:
            value = getattr(ev, name)
            if value is not None:
                w.add_scalar(f"{prefix}/{name}", value, ev.step)
        if ev.when == "before":
            self.before[ev.split] = ev
        base = self.before.get(ev.split)
        if base is not None and ev.when != "before":  # the change since the start: forgetting on general text
            w.add_scalar(f"{prefix}/perplexity_change", ev.perplexity - base.perplexity, ev.step)
            w.add_scalar(f"{prefix}/masked_accuracy_change", ev.masked_accuracy - base.masked_accuracy, ev.step)
        w.flush()

    def trainer_callback(self) -> Any:
        """The Trainer's TensorBoard callback (loss, learning rate, grad norm) without its own epoch count.

        It shares this log's writer (one event file per run), and leaves closing it to the end of the run: the
        "after" measurement comes after the Trainer's ``on_train_end``.
        """
        from transformers.integrations import TensorBoardCallback

        class SharedWriterWithoutTrainerEpoch(TensorBoardCallback):
            def on_log(self, args: Any, state: Any, control: Any, logs: dict[str, Any] | None = None,
                       **kw: Any) -> None:
                super().on_log(args, state, control, logs={k: v for k, v in (logs or {}).items() if k != "epoch"},
                               **kw)

            def on_train_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
                if self.tb_writer is not None:
                    self.tb_writer.flush()

        return SharedWriterWithoutTrainerEpoch(self._writer())

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
