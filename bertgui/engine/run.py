"""One training run from a RunConfig, in stages: load the model, prepare the data, build the evaluation, train, finish.

WHY one object: the GUI needs the trained model *in memory* after the run (to try it and export it, also after a
stop), the CLI needs the same run under ``torchrun``, and both need every failure turned into a ``Failed`` event
with advice instead of a dead process. ``Engine.run()`` never raises for a run-time failure; it returns a
``TrainResult`` whose ``failed`` holds the event that was emitted.

The stages hand their results on explicitly (``ModelStage`` → ``DataStage`` → ``Evaluation``), so each reads on its
own: :meth:`Engine.load_model`, :meth:`Engine.prepare_data`, :meth:`Engine.build_evaluation`, :meth:`Engine.train`,
:meth:`Engine.finish`. The run folder's layout is :mod:`bertgui.engine.folder`; failures are
:mod:`bertgui.engine.failures`; the held-out measurement is :mod:`bertgui.engine.evaluation`.

Inside the data stage, three small steps of their own (issue 14): :meth:`Engine.prepare_replay` (general text mixed
in), :meth:`Engine.plan_time_budget` (``training.time_budget`` → steps, :mod:`bertgui.engine.plan`) and
:meth:`Engine.plan_head_warmup` (random heads trained alone first).
"""

from __future__ import annotations

import contextlib
import dataclasses
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
    RunLock,
    check_writable,
    checkpoint_plan,
    checkpoint_real_tokens,
    checkpoint_state,
    checkpoint_step,
    clear_run,
    complete_checkpoints,
    is_run_folder,
    last_checkpoint,
    new_run_id,
    read_metrics,
    read_run,
    remove_incomplete_checkpoints,
    resume_conflicts,
    trim_metrics,
    write_run,
)
from bertgui.errors import ConfigError, CorpusError
from bertgui.events import (
    CheckpointSaved,
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
    tokenizer: Any = None  # for the word probes ("what the model learned", issue 14)

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
                                  masked_tokens=r.masked_tokens, **self.insight_fields(f, r, when)))
        if when == "during":
            self.emit(StateChanged("training", step))

    def insight_fields(self, frozen: Any, r: Any, when: str) -> dict[str, Any]:
        """Baselines of the same set, and (before/after, held-out split) the word probes (issue 14)."""
        from bertgui.engine.evaluation import choose_probes, probe_predictions

        out: dict[str, Any] = {"nsp_majority_share": r.nsp_majority_share, "nsp_random_share": r.nsp_random_share,
                               "frequent_token_accuracy": r.frequent_token_accuracy}
        if self.tokenizer is not None and r.frequent_token_id is not None:
            out["frequent_token"] = self.tokenizer.decode([r.frequent_token_id]).strip()
        if self.tokenizer is not None and frozen.split == "eval" and when in ("before", "after"):
            probes = choose_probes(frozen.batches, self.tokenizer)
            out["word_probes"] = probe_predictions(self.model(), frozen.batches, self.tokenizer, probes,
                                                   device=self.choice.device)
        return out


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
        self._lock: RunLock | None = None
        self._run_info: dict[str, Any] | None = None  # run.json, once this process owns the run
        self._resume_tokens = 0  # real tokens up to the resumed checkpoint
        self._schedule_steps = 0  # train further: the new session's own schedule length
        self._fresh_optimizer = False
        self._overwrite = False
        self._train_further = 0
        self._general_path: Path | None = None  # the run's general text (resolve_general), None: none
        self._general_sample = False  # ... which is the bundled sample
        self._budget_callback: Any = None  # the time budget's BudgetCallback (plan_time_budget)

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
        self._record(ev)
        self.on_event(ev)

    def _record(self, ev: Event) -> None:
        """``run.json`` follows the run: paused, running again, stopped, checkpoint saved, finished, failed."""
        info = self._run_info
        if info is None:
            return
        state = None
        if isinstance(ev, StateChanged) and ev.state in ("paused", "training"):
            state = "paused" if ev.state == "paused" else "running"
        elif isinstance(ev, CheckpointSaved):
            state = info["state"]
        elif isinstance(ev, Finished):
            state = "stopped" if ev.stopped else "finished"
        elif isinstance(ev, Failed):
            state = "failed"
            info["failure"] = {"message": str(ev.message), "kind": ev.kind}
        if state is None:
            return
        info["state"] = state
        info["step"] = max(int(getattr(ev, "step", 0) or 0), self.step) if not isinstance(ev, Failed) else self.step
        info["updated"] = _now()
        with contextlib.suppress(OSError):
            write_run(self.config.output_dir, info)

    # ------------------------------------------------------------------------------------------ run
    def run(self, resume: str | bool | None = None, *, overwrite: bool = False,
            train_further: int = 0) -> TrainResult:
        """Train; ``resume``: continue this run from its latest complete checkpoint (True, the run folder, or one
        checkpoint folder); ``overwrite``: start afresh over an earlier run in the output folder; ``train_further``:
        N more steps for a finished run, with a fresh schedule (implies resume)."""
        out = TrainResult(output_dir=self.config.output_dir)
        self._overwrite, self._train_further = bool(overwrite), int(train_further)
        if self._train_further and not resume:
            resume = True
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
            self._clean_after_failure()
            self.emit(failed)
        finally:
            restore()
            if self._lock is not None:
                self._lock.release()
                self._lock = None
            out.model, out.tokenizer, out.step, out.evals = self.model, self.tokenizer, self.step, self.evals
        return out

    def _clean_after_failure(self) -> None:
        """After a failure (a full disk): no half-written checkpoint or final model is left looking like one."""
        if self._lock is None or not self.is_main:
            return
        import shutil

        output = Path(self.config.output_dir)
        with contextlib.suppress(OSError):
            remove_incomplete_checkpoints(output)
            shutil.rmtree(output / PARTIAL_FINAL, ignore_errors=True)

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
        output, resume_dir = self.open_folder(config, resume)
        config = self.config  # train further: the session's plan (more steps)
        model = self.load_model(config)
        config = self.config = self.cap_length(config, model)
        data = self.prepare_data(config, model)
        evaluation = self.build_evaluation(config, model, data)
        self.announce(config, model, data, evaluation, resume_dir, output)
        callback = self.train(config, data, evaluation, resume_dir, output)
        self.finish(config, model, data, evaluation, callback, output, out, start)

    def open_folder(self, config: RunConfig, resume: str | bool | None) -> tuple[Path, str | None]:
        """The run folder, owned by this process for the whole run; returns it and the checkpoint to resume.

        Locked first (a second run into it fails at once, naming the holder), then: a new run into a folder that
        holds another run is refused unless ``overwrite``; a resume takes *this* run's latest complete checkpoint,
        refuses a finished run (train further instead) and settings that would make it another run, and drops the
        events the interrupted session logged past that checkpoint. Then ``run.json`` and the config are written.
        """
        output = Path(config.output_dir)
        if not self.is_main:  # the main process owns the folder; the others find the same checkpoint and plan
            resume_dir = self._resume_dir(resume)
            if resume_dir:
                self._plan_session(config, resume_dir, checkpoint_step(resume_dir))
            return output, resume_dir
        if self._overwrite and not resume:  # before the lock file: a folder that is not bertgui's gets nothing
            from bertgui.files import check_replaceable

            check_replaceable(output)
        check_writable(output)
        self._lock = RunLock(output).acquire()
        earlier = read_run(output) or {}
        if resume:
            remove_incomplete_checkpoints(output)
            resume_dir = self._resume_dir(resume)
            if Path(resume_dir).resolve().parent != output.resolve():
                raise ConfigError(text("{0} is a checkpoint of the run in {1}, not of {2}.", resume_dir,
                                       Path(resume_dir).parent, output),
                                  text("Resume a run in its own folder (its output folder is {0}).",
                                       Path(resume_dir).parent))
            step, planned = checkpoint_plan(resume_dir)
            self._check_resume(config, output, earlier, step, planned)
            self._plan_session(config, resume_dir, step)
            trim_metrics(output, step)
            self._resume_tokens = checkpoint_real_tokens(resume_dir, output)
        else:
            resume_dir = None
            if is_run_folder(output) and not self._overwrite:
                raise ConfigError(text("{0} already holds a training run.", output),
                                  text("Resume it, start afresh over it (overwrite), or choose another output "
                                       "folder."))
            if self._overwrite and is_run_folder(output):  # checked again under the lock; only bertgui's files go
                clear_run(output)
            earlier = {}
        self._metrics_path = output / METRICS_FILE
        if not resume_dir:
            self._metrics_path.unlink(missing_ok=True)
        self.config.save(output / CONFIG_FILE)
        self._start_record(output, earlier, resume_dir)
        from bertgui.engine.tensorboard import TensorBoardLog

        self._tensorboard = TensorBoardLog(output / LOGS_DIR, read_metrics(output) if resume_dir else ())
        return output, resume_dir

    def _check_resume(self, config: RunConfig, output: Path, earlier: dict[str, Any], step: int,
                      planned: int) -> None:
        """A resume continues this run with its own settings; a finished run trains further only when asked."""
        saved_path = output / CONFIG_FILE
        if saved_path.exists():
            saved = RunConfig.load(saved_path)
            conflicts = resume_conflicts(saved, config)
            if conflicts:
                raise ConfigError(text("Resuming would change the run: {0}.", "; ".join(conflicts)),
                                  text("Resume with the run's own settings (leave those out), or start a new run."))
        run_id = earlier.get("id") or output.name
        if self._train_further:
            if step < planned:
                raise ConfigError(text("Run {0} is not finished: step {1} of {2}.", run_id, step, planned),
                                  text("Resume it first; train further once it has finished."))
            return
        if (planned and step >= planned) or (earlier.get("state") == "finished"
                                              and int(earlier.get("step", -1)) <= step):
            done = max(step, int(earlier.get("step", 0) or 0))
            raise ConfigError(text("Run {0} is finished: it trained all {1} of its {2} steps.", run_id, done,
                                   max(planned, done)),
                              text("Train it further (N more steps with a fresh schedule: --train-further N), or "
                                   "start a new run."))

    def _plan_session(self, config: RunConfig, resume_dir: str, step: int) -> None:
        """The resumed session's schedule, the same on every process (it comes from the checkpoint, not run.json).

        Train further: N more steps, a fresh optimizer and a schedule over those N only. Resuming a train-further
        session: its own schedule length, which its checkpoints record.
        """
        if self._train_further:
            self._schedule_steps, self._fresh_optimizer = self._train_further, True
            self.config = config.replace(max_steps=step + self._train_further)
        else:
            self._schedule_steps = int(checkpoint_state(resume_dir).get("schedule_steps", 0) or 0)

    def _start_record(self, output: Path, earlier: dict[str, Any], resume_dir: str | None) -> None:
        import socket

        from bertgui import __version__

        now = _now()
        info = dict(earlier) if resume_dir else {}
        info.update({"format": 1, "id": info.get("id") or new_run_id(), "created": info.get("created") or now,
                     "updated": now, "state": "running", "step": checkpoint_step(resume_dir) if resume_dir else 0,
                     "planned_steps": self.config.max_steps, "bertgui_version": __version__, "pid": os.getpid(),
                     "host": socket.gethostname(), "failure": None})
        kind = "train-further" if self._train_further else "resume" if resume_dir else "start"
        info["sessions"] = [*info.get("sessions", []), {
            "kind": kind, "at": now, "from_step": info["step"], "planned_steps": self.config.max_steps,
            "checkpoint": Path(resume_dir).name if resume_dir else None}]
        self._run_info = info
        write_run(output, info)

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
        self.prepare_replay(config, prepared, model.notes)  # issue 14: general text mixed in against forgetting
        nsp = model.loaded.mode == MODE_MLM_NSP
        global_batch = config.batch_size * config.gradient_accumulation * self.world_size
        probe = PretrainingDataset(prepared.train, self.tokenizer, max_seq_length=config.max_seq_length, nsp=nsp,
                                   short_seq_prob=config.short_seq_prob, seed=config.seed, epochs=1,
                                   balanced=config.nsp_balanced)
        first_epoch = len(probe)
        if first_epoch == 0:
            raise CorpusError(text("The corpus is too short to build a single training sequence."),
                              text("Add more text, or lower the maximum sequence length."))
        self.plan_time_budget(config, model, prepared, probe, global_batch)  # issue 14: budget -> max_steps
        self.plan_head_warmup(config, model)
        if config.max_steps:
            # a time budget's plan may grow by up to 30 % while the run goes (BudgetCallback): data for that too
            headroom = 1.3 if getattr(self, "plan", None) is not None else 1.0
            data_epochs = float(math.ceil(headroom * config.max_steps * global_batch / first_epoch) + 1)
        else:
            data_epochs = config.epochs
        train_ds = PretrainingDataset(prepared.train, self.tokenizer, max_seq_length=config.max_seq_length,
                                      nsp=nsp, short_seq_prob=config.short_seq_prob, seed=config.seed,
                                      epochs=data_epochs, group_by_length=config.group_by_length,
                                      batch_size=config.batch_size, balanced=config.nsp_balanced)
        total_steps = config.max_steps or max(1, len(train_ds) // global_batch)
        if config.max_steps == 0:
            self._args.max_steps = total_steps
        if self._run_info is not None and self._run_info.get("planned_steps") != total_steps:
            self._run_info["planned_steps"] = self._run_info["sessions"][-1]["planned_steps"] = total_steps
            with contextlib.suppress(OSError):
                write_run(self.config.output_dir, self._run_info)
        return DataStage(prepared, nsp, train_ds, first_epoch, data_epochs, global_batch, total_steps)

    def resolve_general(self, config: RunConfig, prepared: Any, notes: list[str]) -> Path | None:
        """The general text of this run: the user's file, else the bundled English sample when it suits the text.

        ``self._general_sample`` says which (the summary and the card name it); None: no general text at all.
        """
        self._general_sample = False
        if config.general_corpus:
            return Path(config.general_corpus)
        if not config.general_sample:
            return None
        from bertgui.data.general import general_sample_path, suits

        head = prepared.train.tokens[:4000]
        if not suits(self.tokenizer.decode([int(t) for t in head])):
            notes.append("No general text: the bundled general sample is English and your text is not (give a "
                         "general-text file in your language to measure and limit forgetting).")
            return None
        self.emit(Progress("general", 0, 0, text("Preparing the general English sample")))
        try:
            path = general_sample_path()  # the user's cache: built once, shared by every run
        except OSError as exc:
            notes.append(f"No general text: the bundled general sample could not be built ({exc}).")
            return None
        self._general_sample = True
        notes.append("General text: a sample of the documentation of Python's standard library (English, built "
                     "on this computer), to measure and limit forgetting; a general file of your own guards better.")
        return path

    def prepare_replay(self, config: RunConfig, prepared: Any, notes: list[str]) -> None:
        """``corpus.replay_share`` of the training tokens from the general-text file (issue 14).

        The general file is split by documents: a held-out part measures forgetting (``_general_set``), only the
        rest is mixed into ``prepared.train``, so the general figure never measures text the model trained on.
        """
        self._general_eval: Any = None
        self._general_path = self.resolve_general(config, prepared, notes)
        if self._general_path is None or config.replay_share <= 0:
            return
        from bertgui.data.replay import mix_replay, split_general

        general = self._tokenize_general(config)
        held, rest = split_general(general, seed=config.seed)
        if rest is None:
            notes.append("Replay skipped: the general-text file is a single document (nothing left to mix in "
                         "after holding part of it out).")
            return
        self._general_eval = held
        before = prepared.train.n_tokens
        prepared.train = mix_replay(prepared.train, rest, config.replay_share, seed=config.seed)
        added = prepared.train.n_tokens - before
        notes.append(f"Replay: {added:,} tokens of general text ({added / max(1, prepared.train.n_tokens):.0%} of "
                     f"the training text) mixed in; {held.n_documents} general documents held out to measure "
                     "forgetting.")

    def plan_time_budget(self, config: RunConfig, model: ModelStage, prepared: Any, probe: Any,
                         global_batch: int) -> None:
        """``training.time_budget`` → ``max_steps`` and cadence, from a few probe steps on this device (issue 14).

        The run's config changes in place (so every later stage and the saved ``bertgui.toml`` hold the plan, with
        the budget itself set back to 0 there, so a resume continues the plan instead of planning again); the
        plan goes to ``plan.json`` in the run folder, to the log as a note, and to a ``BudgetCallback`` that
        stops training in time for the final evaluation and saving.
        """
        from bertgui.config import parse_duration
        from bertgui.engine.plan import budget_callback, plan_budget, probe_throughput

        self.plan: Any = None
        self._stage_callbacks: list[Any] = getattr(self, "_stage_callbacks", [])
        budget = parse_duration(config.time_budget, name="training.time_budget")
        if budget <= 0:
            return
        self.emit(Progress("plan", 0, 0, text("Measuring the speed of this model on this machine")))
        samples = [probe[i] for i in range(min(len(probe), config.batch_size * config.gradient_accumulation))]
        speed = probe_throughput(config, self.model, self.tokenizer, model.choice.device, samples=samples,
                                 cache_dir=self.cache_dir, max_seconds=max(2.0, 0.05 * budget), refresh=True)
        speed.step_s = _same_on_every_rank(speed.step_s)  # every process must plan the same number of steps
        speed.sequences_per_s = speed.batch_size / speed.step_s
        eval_tokens = prepared.eval.n_tokens if prepared.eval is not None and config.eval_share > 0 else 0
        per_seq = max(1.0, prepared.train.n_tokens / max(1, len(probe)))
        from bertgui.engine.evaluation import DEFAULT_MAX_SEQUENCES

        eval_sequences = min(DEFAULT_MAX_SEQUENCES, int(eval_tokens / per_seq) + 1) if eval_tokens else 0
        if self._general_path is not None:  # about 4 bytes per token; with replay only the held-out part is measured
            with contextlib.suppress(OSError):
                general_tokens = self._general_path.stat().st_size / 4
                held = 0.3 if getattr(self, "_general_eval", None) is not None else 1.0
                eval_sequences += min(DEFAULT_MAX_SEQUENCES, int(held * general_tokens / per_seq) + 1)
        used = time.time() - self._started_at  # loading and preparing already spent part of the budget
        fresh = [h for h in model.loaded.new_heads if h in ("MLM head", "NSP head")]
        head_share = config.head_warmup_share if fresh and self.world_size == 1 else 0.0  # see plan_head_warmup
        plan = plan_budget(max(1.0, budget - used), speed, len(probe), config, eval_sequences=eval_sequences,
                           num_parameters=sum(p.numel() for p in self.model.parameters()),
                           world_size=self.world_size, head_share=head_share)
        plan.budget_s = budget
        config.max_steps, config.checkpoint_every = plan.steps, plan.checkpoint_every
        if config.eval_every:
            config.eval_every = plan.eval_every
        self._args.max_steps, self._args.save_steps = plan.steps, plan.checkpoint_every
        self.plan = plan
        line = text("Time budget: {0}", plan.text())
        model.notes.append(str(line))
        self.emit(Progress("plan", 1, 1, line))
        if self.is_main:
            output = Path(config.output_dir)
            dataclasses.replace(config, time_budget="0").save(output / CONFIG_FILE)
            tmp = output / "plan.json.tmp"
            tmp.write_text(json.dumps({**plan.to_dict(), "throughput": speed.to_dict()}, indent=1), "utf-8")
            tmp.replace(output / "plan.json")
        if self.world_size == 1:  # re-planning while training would need every process to agree each step
            self._budget_callback = budget_callback(self._started_at + budget, plan.final_s,
                                                    eval_estimate_s=plan.eval_s, planned_at=time.time(),
                                                    on_raise=lambda steps: self._plan_raised(config, steps))
            self._stage_callbacks.append(self._budget_callback)

    def _plan_raised(self, config: RunConfig, steps: int) -> None:
        """The budget callback planned more steps: the saved config follows, so a resume continues that plan."""
        config.max_steps = steps
        if self.is_main:
            with contextlib.suppress(OSError):
                dataclasses.replace(config, time_budget="0").save(Path(config.output_dir) / CONFIG_FILE)
        self.emit(Progress("plan", 1, 1, text("Faster than planned: {0:,} steps now fit the time budget", steps)))

    def plan_head_warmup(self, config: RunConfig, model: ModelStage) -> None:
        """Fresh (random) MLM/NSP heads: train them alone first, the encoder frozen (issue 14)."""
        from bertgui.engine.trainer import head_warmup_callback

        self._stage_callbacks = getattr(self, "_stage_callbacks", [])
        heads = [h for h in model.loaded.new_heads if h in ("MLM head", "NSP head")]
        if not heads or config.head_warmup_share <= 0:
            return
        if self.world_size > 1:  # DDP fixes the set of parameters with gradients when it wraps the model
            model.notes.append(f"{', '.join(heads)} start at random; the head warm-up is skipped in a "
                               "distributed run.")
            return
        def note(message: str) -> None:
            model.notes.append(message)
            self.emit(Progress("heads", 0, 0, message))  # the log and the CLI show it as training starts

        self._stage_callbacks.append(head_warmup_callback(self.model, config.head_warmup_share, note=note,
                                                          heads=heads))

    def build_evaluation(self, config: RunConfig, model: ModelStage, data: DataStage) -> Evaluation:
        """Frozen held-out pairs and masks (and the general-text set): the same for every measurement."""
        from bertgui.engine.evaluation import FrozenEvalSet

        frozen: list[Any] = []
        if self.is_main and data.prepared.eval is not None and config.eval_share > 0:
            self.emit(Progress("evaluation", 0, 0, text("Building the frozen evaluation set")))
            frozen.append(FrozenEvalSet(data.prepared.eval, self.tokenizer, config, nsp=data.nsp, split="eval"))
        if self.is_main and self._general_path is not None:
            frozen.append(self._general_set(config, data.nsp))
        model.notes += [f.note for f in frozen if f.note]
        return Evaluation(frozen, self.emit, lambda: self.model, model.choice, tokenizer=self.tokenizer)

    def announce(self, config: RunConfig, model: ModelStage, data: DataStage, evaluation: Evaluation,
                 resume_dir: str | None, output: Path) -> None:
        """``RunStarted`` with the plan, then the "before" measurement (kept from the first session on resume)."""
        prepared, choice = data.prepared, model.choice
        resumed_step = checkpoint_step(resume_dir) if resume_dir else 0
        run_id = str((self._run_info or {}).get("id", ""))
        if resume_dir:  # the log says which run and which checkpoint, before anything trains
            self.emit(Progress("resume", 0, 0, text(
                "Train run {0} further from step {1} to {2}, with a fresh schedule ({3})", run_id, resumed_step,
                data.total_steps, resume_dir) if self._train_further else text(
                "Resume run {0} from step {1} of {2} ({3})", run_id, resumed_step, data.total_steps, resume_dir)))
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
            new_heads=list(model.loaded.new_heads), run_id=run_id,
            resumed_from=str(resume_dir or ""), train_further=self._train_further))
        earlier_before = [e for e in read_metrics(output) if isinstance(e, EvalMetrics) and e.when == "before"] \
            if resume_dir and self.is_main else []
        if earlier_before:
            self.evals.extend(earlier_before)
        else:
            self.model.to(choice.device)
            started = time.time()
            evaluation(resumed_step, "before")
            if self._budget_callback is not None:  # the "after" one will take as long: the budget's end
                self._budget_callback.measured_eval_s = time.time() - started

    def train(self, config: RunConfig, data: DataStage, evaluation: Evaluation, resume_dir: str | None,
              output: Path) -> Any:
        """The Trainer with our collator, callbacks and token budget; returns the event callback (its counters)."""
        from bertgui.data.masking import MaskingCollator
        from bertgui.engine.callbacks import EventCallback
        from bertgui.engine.trainer import PretrainingTrainer

        collator = MaskingCollator.from_config(self.tokenizer, config, item_seeds=True)
        callback = EventCallback(self.emit, self.control, is_main=self.is_main, device=evaluation.choice.device,
                                 learning_rate=config.learning_rate, total_steps=data.total_steps,
                                 epoch_of_step=data.epoch_of_step, evaluate=lambda s: evaluation(s, "during"),
                                 eval_every=config.eval_every, real_tokens=self._resume_tokens)
        callbacks: list[Any] = [callback]
        if self._tensorboard is not None:
            callbacks.append(self._tensorboard.trainer_callback())
        callbacks += getattr(self, "_stage_callbacks", [])  # time budget, head warm-up (issue 14)
        if self.fault_injector is not None:
            callbacks.append(_fault_callback(self.fault_injector))
        self.trainer = PretrainingTrainer(model=self.model, args=self._args, train_dataset=data.train_ds,
                                          data_collator=collator, callbacks=callbacks,
                                          fast_mlm_head=config.fast_mlm_head,
                                          forward_token_budget=resolve_token_budget(
                                              config.forward_token_budget, evaluation.choice.device),
                                          schedule_steps=self._schedule_steps,
                                          fresh_optimizer=self._fresh_optimizer)
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
        if model.base_attention_dropout is not None:  # the exported model keeps the base model's value
            set_attention_dropout(self.model, model.base_attention_dropout)
        final_dir = self.save_final_model(output)
        _end_distributed()
        ckpt = last_checkpoint(output) or ""
        summary = self._summary(model.loaded, data.prepared, model.choice, data.total_steps, stopped, model.notes,
                                time.perf_counter() - start, callback.real_tokens)
        summary["final_model_dir"], summary["last_checkpoint"] = final_dir, ckpt
        if getattr(self, "plan", None) is not None:  # issue 14: the time-budget plan
            summary["plan"] = self.plan.to_dict()
        out.stopped, out.final_model_dir, out.last_checkpoint, out.summary = stopped, final_dir, ckpt, summary
        self.emit(Finished(step=self.step, stopped=stopped, elapsed_s=time.perf_counter() - start,
                           output_dir=str(output), last_checkpoint=ckpt, summary=summary))

    def save_final_model(self, output: Path) -> str:
        """The final model, written beside its place and renamed into it: a failed save never leaves a
        ``final-model`` that looks like one, and an earlier one stays until the new one is complete.

        No pickle in it (the Trainer adds ``training_args.bin``, a torch pickle, to what it saves): this folder is
        meant to be shared. Files get the usual permissions (safetensors writes 0600).
        """
        import shutil

        from bertgui.files import normalize_modes, replace_folder

        partial = output / PARTIAL_FINAL
        if self.is_main:
            shutil.rmtree(partial, ignore_errors=True)
        self.trainer.save_model(str(partial))  # every rank calls it; only the main process writes
        if not self.is_main:
            return ""
        self.tokenizer.save_pretrained(str(partial))
        (partial / "training_args.bin").unlink(missing_ok=True)
        normalize_modes(partial)
        replace_folder(partial, output / FINAL_MODEL_DIR)
        return str(output / FINAL_MODEL_DIR)

    # ------------------------------------------------------------------------------------------ pieces
    def _resume_dir(self, resume: str | bool | None) -> str | None:
        """The checkpoint to resume: the latest *complete* one of this run (or the one checkpoint folder named)."""
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
            if path not in complete_checkpoints(path.parent):
                raise ConfigError(text("{0} is an incomplete checkpoint (its weights were never written).", path),
                                  text("Resume from the run folder: bertgui takes its latest complete checkpoint."))
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
        from bertgui.engine.evaluation import FrozenEvalSet

        held = getattr(self, "_general_eval", None)  # with replay: only the documents not trained on
        tc = held if held is not None else self._tokenize_general(config)
        return FrozenEvalSet(tc, self.tokenizer, config, nsp=nsp, split="general")

    def _tokenize_general(self, config: RunConfig) -> Any:
        from bertgui.data.corpus import iter_documents
        from bertgui.data.tokenized import tokenize_documents

        path = self._general_path
        if not path.exists():
            raise CorpusError(text("The general-text file {0} does not exist.", path),
                              text("Choose another file or clear corpus.general_corpus."))
        if self._general_sample:  # one paragraph a document, whatever the user's corpus uses
            docs = iter_documents([str(path)], documents="blank-line")
        else:
            docs = iter_documents([str(path)], documents=config.documents, text_column=config.text_column)
        return tokenize_documents(docs, self.tokenizer, max_tokens=2_000_000)

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
            "general_text": "sample" if self._general_sample else str(self._general_path or ""),
            "notes": notes,
        }


PARTIAL_FINAL = ".final-model.partial"  # the final model while it is written (renamed when complete)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


def _fault_callback(inject: Callable[[int], None]) -> Any:
    """Test hook: call ``inject(step)`` after each step (it raises to simulate OOM, a full disk, …)."""
    from transformers import TrainerCallback

    class FaultCallback(TrainerCallback):
        def on_step_end(self, args: Any, state: Any, control: Any, **kw: Any) -> None:
            inject(state.global_step)

    return FaultCallback()


def _same_on_every_rank(value: float) -> float:
    """Rank 0's value on every process (torchrun); the value itself otherwise."""
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
        return value
    t = torch.tensor([value], dtype=torch.float64)
    if dist.get_backend() == "nccl":
        t = t.cuda()
    dist.broadcast(t, src=0)
    return float(t.item())


def _end_distributed() -> None:
    """Wait for rank 0's evaluation and saving, then leave the process group cleanly (no abort at exit)."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()



def train(config: RunConfig, on_event: Callable[[Event], None] | None = None, control: Control | None = None,
          *, resume: str | bool | None = None, overwrite: bool = False, train_further: int = 0,
          **kw: Any) -> TrainResult:
    """The GUI's and CLI's entry point: run and return; failures are ``Failed`` events (and ``result.failed``)."""
    return Engine(config, on_event, control, **kw).run(resume=resume, overwrite=overwrite,
                                                       train_further=train_further)


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
