"""One training run from a RunConfig, in stages: load the model, prepare the data, build the evaluation, train, finish.

WHY one object: the GUI needs the trained model *in memory* after the run (to try it and export it, also after a
stop), the CLI needs the same run under ``torchrun``, and both need every failure turned into a ``Failed`` event
with advice instead of a dead process. ``Engine.run()`` never raises for a run-time failure; it returns a
``TrainResult`` whose ``failed`` holds the event that was emitted.

The stages hand their results on explicitly (``ModelStage`` → ``DataStage`` → ``Evaluation``), so each reads on its
own: :meth:`Engine.load_model`, :meth:`Engine.prepare_data`, :meth:`Engine.build_evaluation`, :meth:`Engine.train`,
:meth:`Engine.finish`. The run folder's layout is :mod:`bertgui.engine.folder`; failures are
:mod:`bertgui.engine.failures`; the held-out measurement is :mod:`bertgui.engine.evaluation`.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bertgui.config import RunConfig
from bertgui.engine.failures import describe_failure, share_failure
from bertgui.engine.folder import (
    CONFIG_FILE,
    FINAL_MODEL_DIR,
    LOGS_DIR,
    METRICS_FILE,
    check_writable,
    checkpoint_step,
    last_checkpoint,
    read_metrics,
)
from bertgui.errors import ConfigError, CorpusError
from bertgui.events import (
    Control,
    EvalMetrics,
    Event,
    Failed,
    Finished,
    Progress,
    RunStarted,
    StateChanged,
    event_to_dict,
)
from bertgui.text import text


@dataclass
class TrainResult:
    output_dir: str
    step: int = 0
    stopped: bool = False
    failed: Failed | None = None
    model: Any = None  # the trained model, in memory (also after stop); None when loading failed
    tokenizer: Any = None
    final_model_dir: str = ""
    last_checkpoint: str = ""
    evals: list[EvalMetrics] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.failed is None


@dataclass
class ModelStage:
    """What :meth:`Engine.load_model` hands on: the loaded model, where it runs, what the run noted so far."""

    loaded: Any  # bertgui.model.loading.LoadedModel
    choice: Any  # bertgui.engine.device.DeviceChoice
    base_attention_dropout: float | None
    notes: list[str]


@dataclass
class DataStage:
    """What :meth:`Engine.prepare_data` hands on: the prepared corpus and the training plan built on it."""

    prepared: Any  # bertgui.data.prepare.PreparedCorpus
    nsp: bool
    train_ds: Any  # bertgui.data.pairs.PretrainingDataset over all epochs
    first_epoch: int  # sequences in the first epoch
    data_epochs: float
    global_batch: int
    total_steps: int

    def epoch_of_step(self, step: int) -> float:
        """The (fractional) epoch the run is in after ``step`` optimizer steps: the chart's and the card's x."""
        index = min(step * self.global_batch, len(self.train_ds) - 1)
        epoch, j = self.train_ds.epoch_of(index)
        return epoch + j / max(1, self.train_ds.epoch_sizes()[epoch])


@dataclass
class Evaluation:
    """The frozen held-out sets of a run and how to measure the model on them (main process only)."""

    frozen: list[Any]
    emit: Callable[[Event], None]
    model: Callable[[], Any]
    choice: Any

    def __call__(self, step: int, when: str) -> None:
        if not self.frozen:
            return
        from bertgui.engine.evaluation import evaluate_batches

        self.emit(StateChanged("evaluating", step))
        for f in self.frozen:
            r = evaluate_batches(self.model(), f.batches, nsp=f.nsp, device=self.choice.device,
                                 precision=self.choice.precision, split=f.split, note=f.note)
            self.emit(EvalMetrics(step=step, when=when, split=f.split, mlm_loss=r.mlm_loss,
                                  perplexity=r.perplexity, masked_accuracy=r.masked_accuracy,
                                  nsp_loss=r.nsp_loss, nsp_accuracy=r.nsp_accuracy, sequences=r.sequences,
                                  masked_tokens=r.masked_tokens))
        if when == "during":
            self.emit(StateChanged("training", step))


def dist_info() -> tuple[int, int, int]:
    """(rank, local_rank, world_size) from the torchrun environment; (0, 0, 1) otherwise."""
    return (int(os.environ.get("RANK", 0)), int(os.environ.get("LOCAL_RANK", 0)),
            int(os.environ.get("WORLD_SIZE", 1)))


class Engine:
    """Drive with ``Engine(config, on_event, control).run(resume=...)``; keeps ``model``/``tokenizer`` afterwards."""

    def __init__(self, config: RunConfig, on_event: Callable[[Event], None] | None = None,
                 control: Control | None = None, *, cache_dir: str | Path | None = None,
                 num_proc: int | None = None) -> None:
        self.config = config
        self.on_event = on_event or (lambda ev: None)
        self.control = control or Control()
        self.cache_dir = cache_dir
        self.num_proc = num_proc
        self.rank, self.local_rank, self.world_size = dist_info()
        self.is_main = self.rank == 0
        self.model: Any = None
        self.tokenizer: Any = None
        self.trainer: Any = None
        self._step = 0
        self.evals: list[EvalMetrics] = []
        self._metrics_path: Path | None = None
        self._tensorboard: Any = None  # bertgui.engine.tensorboard.TensorBoardLog (main process)
        self._args: Any = None  # transformers.TrainingArguments, built in prepare_data
        self.fault_injector: Callable[[int], None] | None = None  # tests: raise at a given step
        self._started_at = time.time()

    @property
    def step(self) -> int:
        state = getattr(self.trainer, "state", None)
        return int(state.global_step) if state is not None else self._step

    # ------------------------------------------------------------------------------------------ events
    def emit(self, ev: Event) -> None:
        if not self.is_main:
            return
        if isinstance(ev, EvalMetrics):
            self.evals.append(ev)
        if self._metrics_path is not None and not isinstance(ev, Progress):
            with contextlib.suppress(OSError), open(self._metrics_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(event_to_dict(ev)) + "\n")
        if self._tensorboard is not None:
            self._tensorboard(ev)
        self.on_event(ev)

    # ------------------------------------------------------------------------------------------ run
    def run(self, resume: str | bool | None = None) -> TrainResult:
        out = TrainResult(output_dir=self.config.output_dir)
        start = time.perf_counter()
        self._started_at = time.time()
        restore = self._install_sigint()
        try:
            self._run(resume, out, start)
        except BaseException as exc:  # noqa: BLE001 - every failure becomes one Failed event
            if self.control.stop_requested and self.trainer is None and isinstance(exc, CorpusError):
                # stopped while preparing: a clean end, nothing trained
                out.stopped = True
                self.emit(Finished(step=0, stopped=True, elapsed_s=time.perf_counter() - start,
                                   output_dir=str(self.config.output_dir)))
                return out
            if isinstance(exc, KeyboardInterrupt):
                failed = Failed(text("Training was interrupted."),
                                text("Resume it from the last checkpoint with --resume."),
                                kind="interrupted", step=self.step)
            else:
                failed = describe_failure(exc, self.config, self.step)
            if self.world_size > 1:
                failed = share_failure(failed, Path(self.config.output_dir), rank=self.rank,
                                           world_size=self.world_size, started_at=self._started_at)
            out.failed = failed
            self.emit(failed)
        finally:
            restore()
            out.model, out.tokenizer, out.step, out.evals = self.model, self.tokenizer, self.step, self.evals
        return out

    def _install_sigint(self) -> Callable[[], None]:
        """SIGINT (Ctrl-C, the GUI's stop for a process run) = stop with a checkpoint, not a traceback."""
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        previous = signal.getsignal(signal.SIGINT)

        def handler(signum: int, frame: Any) -> None:
            if self.control.stop_requested:  # a second Ctrl-C: really interrupt
                signal.signal(signal.SIGINT, previous)
                raise KeyboardInterrupt
            self.control.stop()

        signal.signal(signal.SIGINT, handler)
        return lambda: signal.signal(signal.SIGINT, previous)

    def _run(self, resume: str | bool | None, out: TrainResult, start: float) -> None:
        config = self.config.validate()
        self.emit(StateChanged("preparing"))
        resume_dir = self._resume_dir(resume)
        output = self.open_folder(config, resume_dir)
        model = self.load_model(config)
        config = self.config = self.cap_length(config, model)
        data = self.prepare_data(config, model)
        evaluation = self.build_evaluation(config, model, data)
        self.announce(config, model, data, evaluation, resume_dir, output)
        callback = self.train(config, data, evaluation, resume_dir, output)
        self.finish(config, model, data, evaluation, callback, output, out, start)

    def open_folder(self, config: RunConfig, resume_dir: str | None) -> Path:
        """The run folder: writable, its event log started (or continued on resume), its config saved."""
        output = Path(config.output_dir)
        if self.is_main:
            check_writable(output)
            self._metrics_path = output / METRICS_FILE
            if not resume_dir:
                self._metrics_path.unlink(missing_ok=True)
            config.save(output / CONFIG_FILE)
            from bertgui.engine.tensorboard import TensorBoardLog

            self._tensorboard = TensorBoardLog(output / LOGS_DIR, read_metrics(output) if resume_dir else ())
        return output

    def load_model(self, config: RunConfig) -> ModelStage:
        """Device and threads, then the base model and tokenizer (and the domain words, when asked for)."""
        import torch

        from bertgui.engine.device import resolve_device, set_cpu_threads
        from bertgui.model.loading import load_model, resolve_model

        choice = resolve_device(config.device, config.precision)
        if choice.kind == "cpu":
            set_cpu_threads(int(os.environ.get("LOCAL_WORLD_SIZE", self.world_size)))
        torch.manual_seed(config.seed)
        self.emit(Progress("model", 0, 0, text("Loading {0}", config.model)))
        info = resolve_model(config.model, allow_pickle=config.allow_pickle,
                             progress=lambda d, t, m: self.emit(Progress("model", d, t, m)))
        loaded = load_model(info, nsp=config.nsp, allow_pickle=config.allow_pickle)
        self.model, self.tokenizer = loaded.model, loaded.tokenizer
        notes: list[str] = []
        base_attention_dropout = None
        if config.attention_dropout >= 0:
            base_attention_dropout = set_attention_dropout(self.model, config.attention_dropout)
        if config.vocab_add:
            notes.append(self._extend_vocabulary())
        self._check_unknown_share(config, info.name)
        return ModelStage(loaded, choice, base_attention_dropout, notes)

    def _check_unknown_share(self, config: RunConfig, name: str) -> None:
        """Refuse a tokenizer that reads the corpus as mostly [UNK], from its first documents, before the full
        (possibly long) tokenization. A corpus that cannot be read is left to prepare_data to report."""
        from itertools import islice

        from bertgui.data.corpus import iter_documents
        from bertgui.model.loading import check_unknown_share

        try:
            docs = list(islice(iter_documents(config.corpus, documents=config.documents,
                                              text_column=config.text_column, encoding=config.encoding,
                                              on_error=lambda _e: None), 64))
        except CorpusError:
            return
        check_unknown_share(self.tokenizer, (d.text for d in docs), name)

    def cap_length(self, config: RunConfig, model: ModelStage) -> RunConfig:
        """A max_seq_length beyond the model's positions is capped, and said: a CLI line, the run's notes."""
        from bertgui.data.tokenized import cap_sequence_length, position_limit

        mc = self.model.config
        limit = position_limit(str(getattr(mc, "model_type", "")),
                               int(getattr(mc, "max_position_embeddings", 0) or 0), getattr(mc, "pad_token_id", None))
        length, note = cap_sequence_length(config.max_seq_length, limit)
        if not note:
            return config
        model.notes.append(note)
        self.emit(Progress("model", 0, 0, note))
        return config.replace(max_seq_length=length)

    def prepare_data(self, config: RunConfig, model: ModelStage) -> DataStage:
        """The cached tokenized corpus (once per machine under torchrun), its pairs and the step plan."""
        from bertgui.data.pairs import PretrainingDataset
        from bertgui.data.prepare import prepare_corpus
        from bertgui.model.loading import MODE_MLM_NSP

        self._args = self._training_args(model.choice)
        with self._args.main_process_first(desc="corpus"):
            prepared = prepare_corpus(
                config, self.tokenizer, num_proc=self.num_proc, cache_dir=self.cache_dir,
                progress=lambda d, t, m: self.emit(Progress("corpus", d, t, m)),
                should_stop=lambda: self.control.stop_requested)
        model.notes += prepared.notes
        nsp = model.loaded.mode == MODE_MLM_NSP
        global_batch = config.batch_size * config.gradient_accumulation * self.world_size
        probe = PretrainingDataset(prepared.train, self.tokenizer, max_seq_length=config.max_seq_length, nsp=nsp,
                                   short_seq_prob=config.short_seq_prob, seed=config.seed, epochs=1)
        first_epoch = len(probe)
        if first_epoch == 0:
            raise CorpusError(text("The corpus is too short to build a single training sequence."),
                              text("Add more text, or lower the maximum sequence length."))
        if config.max_steps:
            data_epochs = float(math.ceil(config.max_steps * global_batch / first_epoch) + 1)
        else:
            data_epochs = config.epochs
        train_ds = PretrainingDataset(prepared.train, self.tokenizer, max_seq_length=config.max_seq_length,
                                      nsp=nsp, short_seq_prob=config.short_seq_prob, seed=config.seed,
                                      epochs=data_epochs, group_by_length=config.group_by_length,
                                      batch_size=config.batch_size)
        total_steps = config.max_steps or max(1, len(train_ds) // global_batch)
        if config.max_steps == 0:
            self._args.max_steps = total_steps
        return DataStage(prepared, nsp, train_ds, first_epoch, data_epochs, global_batch, total_steps)

    def build_evaluation(self, config: RunConfig, model: ModelStage, data: DataStage) -> Evaluation:
        """Frozen held-out pairs and masks (and the general-text set): the same for every measurement."""
        from bertgui.engine.evaluation import FrozenEvalSet

        frozen: list[Any] = []
        if self.is_main and data.prepared.eval is not None and config.eval_share > 0:
            self.emit(Progress("evaluation", 0, 0, text("Building the frozen evaluation set")))
            frozen.append(FrozenEvalSet(data.prepared.eval, self.tokenizer, config, nsp=data.nsp, split="eval"))
        if self.is_main and config.general_corpus:
            frozen.append(self._general_set(config, data.nsp))
        model.notes += [f.note for f in frozen if f.note]
        return Evaluation(frozen, self.emit, lambda: self.model, model.choice)

    def announce(self, config: RunConfig, model: ModelStage, data: DataStage, evaluation: Evaluation,
                 resume_dir: str | None, output: Path) -> None:
        """``RunStarted`` with the plan, then the "before" measurement (kept from the first session on resume)."""
        prepared, choice = data.prepared, model.choice
        resumed_step = checkpoint_step(resume_dir) if resume_dir else 0
        self.emit(RunStarted(
            total_steps=data.total_steps,
            epochs=data.data_epochs if not config.max_steps else data.total_steps * data.global_batch /
            data.first_epoch, train_sequences=data.first_epoch,
            eval_sequences=sum(len(f) for f in evaluation.frozen[:1]),
            train_documents=prepared.train.n_documents,
            eval_documents=prepared.eval.n_documents if prepared.eval is not None else 0,
            mode=model.loaded.mode, device=choice.device, device_name=choice.name, precision=choice.precision,
            num_parameters=sum(p.numel() for p in self.model.parameters()), batch_size=config.batch_size,
            gradient_accumulation=config.gradient_accumulation, max_seq_length=config.max_seq_length,
            world_size=self.world_size, resumed_from_step=resumed_step, output_dir=str(output),
            new_heads=list(model.loaded.new_heads)))
        earlier_before = [e for e in read_metrics(output) if isinstance(e, EvalMetrics) and e.when == "before"] \
            if resume_dir and self.is_main else []
        if earlier_before:
            self.evals.extend(earlier_before)
        else:
            self.model.to(choice.device)
            evaluation(resumed_step, "before")

    def train(self, config: RunConfig, data: DataStage, evaluation: Evaluation, resume_dir: str | None,
              output: Path) -> Any:
        """The Trainer with our collator, callbacks and token budget; returns the event callback (its counters)."""
        from bertgui.data.masking import MaskingCollator
        from bertgui.engine.callbacks import EventCallback
        from bertgui.engine.trainer import PretrainingTrainer

        collator = MaskingCollator.from_config(self.tokenizer, config)
        callback = EventCallback(self.emit, self.control, is_main=self.is_main, device=evaluation.choice.device,
                                 learning_rate=config.learning_rate, total_steps=data.total_steps,
                                 epoch_of_step=data.epoch_of_step, evaluate=lambda s: evaluation(s, "during"),
                                 eval_every=config.eval_every)
        callbacks: list[Any] = [callback]
        if self._tensorboard is not None:
            callbacks.append(self._tensorboard.trainer_callback())
        if self.fault_injector is not None:
            callbacks.append(_fault_callback(self.fault_injector))
        self.trainer = PretrainingTrainer(model=self.model, args=self._args, train_dataset=data.train_ds,
                                          data_collator=collator, callbacks=callbacks,
                                          fast_mlm_head=config.fast_mlm_head,
                                          forward_token_budget=resolve_token_budget(
                                              config.forward_token_budget, evaluation.choice.device))
        callback.trainer = self.trainer
        from transformers.trainer_callback import PrinterCallback, ProgressCallback

        self.trainer.remove_callback(PrinterCallback)  # stdout belongs to the CLI (--json lines)
        self.trainer.remove_callback(ProgressCallback)
        if self.control.stop_requested:
            raise CorpusError("Stopped before training started.", "")
        self.trainer.train(resume_from_checkpoint=resume_dir)
        return callback

    def finish(self, config: RunConfig, model: ModelStage, data: DataStage, evaluation: Evaluation,
               callback: Any, output: Path, out: TrainResult, start: float) -> None:
        """The "after" measurement, the final model on disk, the summary and ``Finished``."""
        stopped = callback.stopped
        if self.is_main:
            self.emit(StateChanged("saving", self.step))
        evaluation(self.step, "after")
        final = output / FINAL_MODEL_DIR
        if model.base_attention_dropout is not None:  # the exported model keeps the base model's value
            set_attention_dropout(self.model, model.base_attention_dropout)
        self.trainer.save_model(str(final))  # every rank calls it; only the main process writes
        final_dir = ""
        if self.is_main:
            self.tokenizer.save_pretrained(str(final))
            final_dir = str(final)
        _end_distributed()
        ckpt = last_checkpoint(output) or ""
        summary = self._summary(model.loaded, data.prepared, model.choice, data.total_steps, stopped, model.notes,
                                time.perf_counter() - start, callback.real_tokens)
        summary["final_model_dir"], summary["last_checkpoint"] = final_dir, ckpt
        out.stopped, out.final_model_dir, out.last_checkpoint, out.summary = stopped, final_dir, ckpt, summary
        self.emit(Finished(step=self.step, stopped=stopped, elapsed_s=time.perf_counter() - start,
                           output_dir=str(output), last_checkpoint=ckpt, summary=summary))

    # ------------------------------------------------------------------------------------------ pieces
    def _resume_dir(self, resume: str | bool | None) -> str | None:
        if not resume:
            return None
        if resume is True:
            found = last_checkpoint(self.config.output_dir)
            if not found:
                raise ConfigError(text("No checkpoint to resume in {0}.", self.config.output_dir),
                                  text("Start a new run, or choose the output folder of an earlier run."))
            return found
        path = Path(str(resume))
        if (path / "trainer_state.json").exists():
            return str(path)
        found = last_checkpoint(path)
        if not found:
            raise ConfigError(text("{0} holds no checkpoint (checkpoint-N folder with trainer_state.json).", path),
                              text("Choose the output folder of an earlier run or one of its checkpoint folders."))
        return found

    def _extend_vocabulary(self) -> str:
        try:
            from bertgui.vocab.report import extend_vocabulary
        except ImportError as exc:
            raise ConfigError("Adding vocabulary needs bertgui.vocab.report, which is not installed.",
                              "Remove [vocab] add from the configuration.") from exc
        change = extend_vocabulary(self.model, self.tokenizer, self.config.vocab_add,
                                   reuse_unused=self.config.vocab_reuse_unused)
        self.tokenizer = getattr(change, "tokenizer", None) or self.tokenizer
        return change.summary() if hasattr(change, "summary") else "vocabulary extended"

    def _general_set(self, config: RunConfig, nsp: bool) -> Any:
        from bertgui.data.corpus import iter_documents
        from bertgui.data.tokenized import tokenize_documents
        from bertgui.engine.evaluation import FrozenEvalSet

        path = Path(config.general_corpus)
        if not path.exists():
            raise CorpusError(text("The general-text file {0} does not exist.", path),
                              text("Choose another file or clear corpus.general_corpus."))
        docs = iter_documents([str(path)], documents=config.documents, text_column=config.text_column)
        tc = tokenize_documents(docs, self.tokenizer, max_tokens=2_000_000)
        return FrozenEvalSet(tc, self.tokenizer, config, nsp=nsp, split="general")

    def _training_args(self, choice: Any) -> Any:
        from transformers import TrainingArguments

        c = self.config
        return TrainingArguments(
            output_dir=c.output_dir, per_device_train_batch_size=c.batch_size,
            gradient_accumulation_steps=c.gradient_accumulation, learning_rate=c.learning_rate,
            weight_decay=c.weight_decay, lr_scheduler_type=c.schedule, warmup_steps=c.warmup_ratio,
            max_steps=c.max_steps or 1, num_train_epochs=1, max_grad_norm=c.max_grad_norm or 0.0, seed=c.seed,
            bf16=choice.precision == "bf16", fp16=choice.precision == "fp16", optim=choice.optim,
            logging_steps=c.log_every, logging_nan_inf_filter=False, report_to="none",
            save_strategy="steps", save_steps=c.checkpoint_every, save_total_limit=c.keep_checkpoints,
            eval_strategy="no", train_sampling_strategy="sequential", remove_unused_columns=False,
            dataloader_num_workers=c.dataloader_workers, dataloader_pin_memory=choice.kind == "cuda",
            disable_tqdm=True, use_cpu=choice.kind == "cpu", ddp_find_unused_parameters=False,
            torch_compile=c.torch_compile, ddp_backend="gloo" if choice.kind == "cpu" and self.world_size > 1 else None)

    def _summary(self, loaded: Any, prepared: Any, choice: Any, total_steps: int, stopped: bool,
                 notes: list[str], elapsed: float, real_tokens: int) -> dict[str, Any]:
        def pick(when: str, split: str) -> dict[str, Any] | None:
            found = [e for e in self.evals if e.when == when and e.split == split]
            return event_to_dict(found[-1]) if found else None

        splits = sorted({e.split for e in self.evals})
        c = prepared.train
        return {
            "base_model": self.config.model, "mode": loaded.mode, "new_heads": list(loaded.new_heads),
            "steps": self.step, "planned_steps": total_steps, "stopped": stopped, "elapsed_s": elapsed,
            "real_tokens": real_tokens, "device": choice.device, "device_name": choice.name,
            "precision": choice.precision, "world_size": self.world_size,
            "corpus": {"train_documents": c.n_documents, "train_sentences": c.n_sentences,
                       "train_tokens": c.n_tokens,
                       "eval_documents": prepared.eval.n_documents if prepared.eval is not None else 0,
                       "eval_tokens": prepared.eval.n_tokens if prepared.eval is not None else 0,
                       "files": list(self.config.corpus), "bytes": prepared.bytes_read},
            "metrics": {s: {"before": pick("before", s), "after": pick("after", s)} for s in splits},
            "notes": notes,
        }


def _fault_callback(inject: Callable[[int], None]) -> Any:
    """Test hook: call ``inject(step)`` after each step (it raises to simulate OOM, a full disk, …)."""
    from transformers import TrainerCallback

    class FaultCallback(TrainerCallback):
        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            inject(state.global_step)

    return FaultCallback()


def _end_distributed() -> None:
    """Wait for rank 0's evaluation and saving, then leave the process group cleanly (no abort at exit)."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()



def train(config: RunConfig, on_event: Callable[[Event], None] | None = None, control: Control | None = None,
          *, resume: str | bool | None = None, **kw: Any) -> TrainResult:
    """The GUI's and CLI's entry point: run and return; failures are ``Failed`` events (and ``result.failed``)."""
    return Engine(config, on_event, control, **kw).run(resume=resume)


def set_attention_dropout(model: Any, p: float) -> float | None:
    """Set the attention-probability dropout of a BERT-style model; return the previous value (None: not BERT-like).

    With p = 0, PyTorch's scaled_dot_product_attention can take its fused kernel instead of materialising the
    attention matrix for dropout (measured on CPU: ~2× the tokens/s and less memory; see benchmarks/README.md).
    """
    import torch

    previous = getattr(model.config, "attention_probs_dropout_prob", None)
    if previous is None:
        return None
    for module in model.modules():
        if "Attention" in type(module).__name__ and isinstance(getattr(module, "dropout", None), torch.nn.Dropout):
            module.dropout.p = float(p)
    model.config.attention_probs_dropout_prob = float(p)
    return float(previous)


CPU_FORWARD_TOKEN_BUDGET = 1024  # benchmarks/README.md: 1 024 ran fastest and smallest of 1 024…8 192


def resolve_token_budget(budget: int, device: Any) -> int:
    """``forward_token_budget`` with -1 (automatic) made concrete for the device: sliced on CPUs, whole on GPUs."""
    if budget >= 0:
        return budget
    return CPU_FORWARD_TOKEN_BUDGET if str(device).startswith("cpu") else 0
