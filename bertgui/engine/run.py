"""One training run from a RunConfig, as the run's life: open the folder, load the model, prepare the data, plan,
fit fresh heads, measure, train, finish.

WHY one object: the GUI needs the trained model *in memory* after the run (to try it and export it, also after a
stop), the CLI needs the same run under ``torchrun``, and both need every failure turned into a ``Failed`` event
with advice instead of a dead process. ``Engine.run()`` never raises for a run-time failure; it returns a
``TrainResult`` whose ``failed`` holds the event that was emitted.

Each stage is a function of its own module that takes what it needs and returns a value: :mod:`.opening` (the
folder, its lock and ``run.json``), :mod:`.model_stage`, :mod:`.data_stage` (corpus, general text, replay),
:mod:`.budget` (time budget → plan), :mod:`.heads` (fresh heads), :mod:`.evaluation` (frozen held-out sets),
:mod:`.training` (the Trainer and its schedule) and :mod:`.finishing`. The run's state is one
:class:`~bertgui.engine.state.RunState`; the caller's config is never changed (the engine works on its copy).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bertgui.config import RunConfig
from bertgui.engine.failures import describe_failure, share_failure
from bertgui.engine.folder import last_checkpoint, read_metrics, remove_incomplete_checkpoints
from bertgui.engine.record import EventSinks
from bertgui.engine.state import RunEnv, RunState
from bertgui.errors import BertguiError, CorpusError
from bertgui.events import (
    Control,
    EvalMetrics,
    Event,
    Failed,
    Finished,
    Progress,
    RunStarted,
    StateChanged,
)
from bertgui.states import Phase
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


class StoppedBeforeTraining(BertguiError):
    """Stop was pressed before the first training step: the run ends cleanly, nothing trained."""

    def __init__(self) -> None:
        super().__init__(text("Stopped before training started."), "")


def dist_info() -> tuple[int, int, int]:
    """(rank, local_rank, world_size) from the torchrun environment; (0, 0, 1) otherwise."""
    return (int(os.environ.get("RANK", 0)), int(os.environ.get("LOCAL_RANK", 0)),
            int(os.environ.get("WORLD_SIZE", 1)))


class Engine:
    """Drive with ``Engine(config, on_event, control).run(resume=...)``; keeps ``model``/``tokenizer`` afterwards."""

    def __init__(self, config: RunConfig, on_event: Callable[[Event], None] | None = None,
                 control: Control | None = None, *, cache_dir: str | Path | None = None,
                 num_proc: int | None = None) -> None:
        self.on_event = on_event or (lambda ev: None)
        self.control = control or Control()
        rank, local_rank, world_size = dist_info()
        self.env = RunEnv(self.emit, self.control, rank, local_rank, world_size, cache_dir, num_proc)
        self.state = RunState(config=dataclasses.replace(config))  # the engine's own copy
        self.fault_injector: Callable[[int], None] | None = None  # tests: raise at a given step
        self._sinks = EventSinks()  # metrics.jsonl, TensorBoard and run.json, once this process owns the folder

    # ------------------------------------------------------------------------------------------ what callers read
    @property
    def config(self) -> RunConfig:
        return self.state.config

    @property
    def model(self) -> Any:
        return self.state.model.model if self.state.model is not None else None

    @property
    def tokenizer(self) -> Any:
        return self.state.model.tokenizer if self.state.model is not None else None

    @property
    def trainer(self) -> Any:
        return self.state.trainer

    @property
    def step(self) -> int:
        return self.state.step

    @property
    def evals(self) -> list[EvalMetrics]:
        return self.state.evals

    # ------------------------------------------------------------------------------------------ events
    def emit(self, ev: Event) -> None:
        if not self.env.is_main:
            return
        if isinstance(ev, EvalMetrics):
            self.state.evals.append(ev)
        self._sinks.write(ev, self.state.step)
        self.on_event(ev)

    # ------------------------------------------------------------------------------------------ run
    def run(self, resume: str | bool | None = None, *, overwrite: bool = False,
            train_further: int = 0) -> TrainResult:
        """Train; ``resume``: continue this run from its latest complete checkpoint (True, the run folder, or one
        checkpoint folder); ``overwrite``: start afresh over an earlier run in the output folder; ``train_further``:
        N more steps for a finished run, with a fresh schedule (implies resume)."""
        out = TrainResult(output_dir=self.config.output_dir)
        if train_further and not resume:
            resume = True
        start = time.perf_counter()
        restore = self._install_signals()
        try:
            self._live(resume, out, start, overwrite=overwrite, train_further=int(train_further))
        except BaseException as exc:  # noqa: BLE001 - every failure becomes one Failed event
            if self.control.stop_requested and not self.state.training_started and isinstance(
                    exc, (StoppedBeforeTraining, CorpusError)):
                out.stopped = True  # stopped while preparing (the corpus pass ends with CorpusError): nothing trained
                self.emit(Finished(step=self.step, stopped=True, elapsed_s=time.perf_counter() - start,
                                   output_dir=str(self.config.output_dir)))
                return out
            out.failed = self._failed(exc)
            self._clean_after_failure()
            self.emit(out.failed)
        finally:
            if out.failed is not None:  # a failed run keeps its weights (to look at), not its optimizer state
                from bertgui.engine.release import release_training_memory

                with contextlib.suppress(Exception):
                    release_training_memory(self.model, self.trainer, self.config.device)
            restore()
            self._sinks.close()
            out.model, out.tokenizer, out.step, out.evals = self.model, self.tokenizer, self.step, self.evals
        return out

    def _live(self, resume: str | bool | None, out: TrainResult, start: float, *, overwrite: bool,
              train_further: int) -> None:
        """The run's life, stage by stage; each stage's value goes on to the next."""
        from bertgui.engine.budget import plan_time_budget
        from bertgui.engine.data_stage import build_training_data, prepare_corpus_stage
        from bertgui.engine.head_fit import fit_fresh_heads
        from bertgui.engine.heads import head_seconds
        from bertgui.engine.model_stage import cap_length, load_model_stage
        from bertgui.engine.opening import open_folder
        from bertgui.engine.training import make_schedule, peak_learning_rate, training_args

        env, state = self.env, self.state
        state.config = state.config.validate()
        self.emit(StateChanged(Phase.PREPARING))
        opened = open_folder(env, state.config, resume, overwrite=overwrite, train_further=train_further)
        self._sinks.open(opened)
        state.folder, state.config = opened.folder, opened.config
        self._stop_point()
        for note in opened.notes:  # which checkpoint the resume takes, and why
            self.emit(Progress("resume", 0, 0, note))
        state.model = model = load_model_stage(env, state.config)
        state.notes = model.notes
        state.notes += opened.notes
        state.config = config = cap_length(env, state.config, model)
        self._stop_point()
        state.learning_rate = rate = peak_learning_rate(config, model)
        if rate != config.learning_rate:
            note = text("Learning rate {0:g} ({1:g} × {2:g}): the base model has no MLM head, so its encoder learns to "
                        "fill in words again (training.headless_lr_scale)", rate, config.headless_lr_scale,
                        config.learning_rate)
            state.notes.append(str(note))
            self.emit(Progress("model", 1, 1, note))
        args = training_args(config, model.choice, env.world_size, learning_rate=rate)
        corpus = prepare_corpus_stage(env, config, model, args.main_process_first)
        state.notes += corpus.notes
        for note in corpus.notes:  # files or lines skipped, an encoding guessed weakly: said before training
            self.emit(Progress("corpus", 1, 1, note))
        finish_only = state.folder.finish_only
        head_s = 0.0 if finish_only else head_seconds(config, model, state.folder)
        budget = None if finish_only else plan_time_budget(env, config, model, corpus, state.folder.output,
                                                             head_s=head_s)
        if budget is not None:
            config = state.config = budget.config
            state.plan = budget.plan
            state.notes.append(str(text("Time budget: {0}", budget.plan.text())))
        headroom = 1.0 if budget is None else 1.3 * (1 + head_s / max(budget.plan.train_s, 1.0))
        state.data = data = build_training_data(config, model, corpus, headroom=headroom, world_size=env.world_size)
        state.schedule = make_schedule(config, data.total_steps, state.folder)
        self._sinks.planned(state.schedule.steps)
        state.evaluation = evaluation = self._build_evaluation(config, model, data)
        self._stop_point()
        if head_s > 0:  # the meaningful "before" of a head-less base is the base with fitted heads
            state.heads = fit_fresh_heads(env, config, model, corpus, budget_s=head_s)
            state.notes.append(state.heads.text())
            self._stop_point()
        self.announce(config, model, data, evaluation)
        if finish_only:  # every step trained: the checkpoint's weights, the "after" evaluation, the final model
            self.finish_from_checkpoint(out, start)
            return
        callbacks = self._callbacks(config, budget)
        self._stop_point()
        callback = self.train(config, args, callbacks)
        self.finish(callback, out, start)

    def _stop_point(self) -> None:
        """Between stages: a stop asked for before training ends the run cleanly here."""
        if self.control.stop_requested and not self.state.training_started:
            raise StoppedBeforeTraining()

    def _build_evaluation(self, config: RunConfig, model: Any, data: Any) -> Any:
        """Frozen held-out pairs and masks (and the general-text set): the same for every measurement."""
        from bertgui.engine.data_stage import general_eval_corpus
        from bertgui.engine.evaluation import Evaluation, FrozenEvalSet
        from bertgui.engine.retrieval import RetrievalSet
        from bertgui.model.pooling import read_pooling

        frozen: list[Any] = []
        retrieval: dict[str, Any] = {}  # the embedding check: does the model still find what belongs together
        if self.env.is_main and data.prepared.eval is not None and config.eval_share > 0:
            self.emit(Progress("evaluation", 0, 0, text("Building the frozen evaluation set")))
            frozen.append(FrozenEvalSet(data.prepared.eval, model.tokenizer, config, nsp=data.nsp, split="eval"))
            retrieval["eval"] = RetrievalSet.from_corpus(data.prepared.eval, split="eval")
        if self.env.is_main and data.corpus.general.path is not None:
            general = general_eval_corpus(config, model.tokenizer, data.corpus.general)
            frozen.append(FrozenEvalSet(general, model.tokenizer, config, nsp=data.nsp, split="general"))
            retrieval["general"] = RetrievalSet.from_corpus(general, split="general")
        self.state.notes += [f.note for f in frozen if f.note] + [r.note for r in retrieval.values() if r.note]
        pooling = read_pooling(model.loaded.info.path, max_length=config.max_seq_length) if retrieval else None
        return Evaluation(frozen, self.emit, lambda: self.model, model.choice.device, model.choice.precision,
                          tokenizer=model.tokenizer, retrieval=retrieval, pooling=pooling)

    def announce(self, config: RunConfig, model: Any, data: Any, evaluation: Any) -> None:
        """``RunStarted`` with the plan, then the "before" measurement (kept from the first session on resume)."""
        folder, choice, prepared = self.state.folder, model.choice, data.prepared
        steps = self.state.schedule.steps
        if folder.resume_dir:  # the log says which run and which checkpoint, before anything trains
            self.emit(Progress("resume", 0, 0, text(
                "Train run {0} further from step {1} to {2}, with a fresh schedule ({3})", folder.run_id,
                folder.resumed_step, steps, folder.resume_dir) if folder.train_further else text(
                "Resume run {0} from step {1} of {2} ({3})", folder.run_id, folder.resumed_step, steps,
                folder.resume_dir)))
        self.emit(RunStarted(
            total_steps=steps,
            epochs=data.data_epochs if not config.max_steps else data.epoch_of_step(steps),
            train_sequences=data.first_epoch, eval_sequences=evaluation.sequences(),
            train_documents=prepared.train.n_documents,
            eval_documents=prepared.eval.n_documents if prepared.eval is not None else 0,
            mode=model.loaded.mode, device=choice.device, device_name=choice.name, precision=choice.precision,
            num_parameters=sum(p.numel() for p in self.model.parameters()), batch_size=config.batch_size,
            gradient_accumulation=config.gradient_accumulation, max_seq_length=config.max_seq_length,
            world_size=self.env.world_size, resumed_from_step=folder.resumed_step, output_dir=str(folder.output),
            new_heads=list(model.loaded.new_heads), run_id=folder.run_id, resumed_from=str(folder.resume_dir or ""),
            train_further=folder.train_further))
        earlier = [e for e in read_metrics(folder.output) if isinstance(e, EvalMetrics) and e.when == "before"] \
            if folder.resume_dir and self.env.is_main else []
        if earlier:
            self.state.evals.extend(earlier)
        else:
            self.model.to(choice.device)
            evaluation(folder.resumed_step, "before")

    def _callbacks(self, config: RunConfig, budget: Any) -> list[Any]:
        """Our Trainer callbacks in order: events, TensorBoard, the head phase, the time budget, the test hook."""
        from bertgui.engine.budget import BudgetCallback, save_planned_config
        from bertgui.engine.callbacks import EventCallback
        from bertgui.engine.training import fault_callback

        state, env = self.state, self.env
        evaluation, schedule = state.evaluation, state.schedule
        events = EventCallback(self.emit, self.control, is_main=env.is_main, device=state.model.choice.device,
                               learning_rate=state.learning_rate or config.learning_rate, schedule=schedule,
                               counters=state.counters,
                               epoch_of_step=state.data.epoch_of_step, evaluate=lambda s: evaluation(s, "during"))
        state.counters.real_tokens = state.folder.resume_tokens
        callbacks: list[Any] = [events, *self._sinks.trainer_callbacks()]
        if budget is not None and env.world_size == 1:  # re-planning needs every process to agree each step
            def raised(steps: int) -> None:
                if env.is_main:
                    save_planned_config(state.folder.output, config.replace(max_steps=steps))
                    self._sinks.planned(steps)
                self.emit(Progress("plan", 1, 1, text("Faster than planned: {0:,} steps now fit the time budget",
                                                      steps)))

            callbacks.append(BudgetCallback(schedule, budget.deadline, budget.plan.final_s,
                                            eval_estimate_s=budget.plan.eval_s, planned_at=budget.planned_at,
                                            measured_eval_s=evaluation.durations.get("before"), on_raise=raised))
        if self.fault_injector is not None:
            callbacks.append(fault_callback(self.fault_injector))
        return callbacks

    def train(self, config: RunConfig, args: Any, callbacks: list[Any]) -> Any:
        """The Trainer's loop from the resumed checkpoint (or the start); returns the event callback."""
        from bertgui.engine.training import build_trainer

        state = self.state
        from bertgui.engine.heads import fresh_head_parameters

        state.trainer = build_trainer(self.env, config, args, self.model, self.tokenizer, state.data.train_ds,
                                      state.schedule, state.counters, callbacks, device=state.model.choice.device,
                                      fresh_optimizer=bool(state.folder.train_further),
                                      fresh_heads=fresh_head_parameters(state.model))
        self._stop_point()
        state.training_started = True
        state.trainer.train(resume_from_checkpoint=state.folder.resume_dir)
        return callbacks[0]

    def finish_from_checkpoint(self, out: TrainResult, start: float) -> None:
        """A run killed after its last step (while its final model was written): finish it from the checkpoint
        of that step, training nothing more."""
        from bertgui.engine.finishing import load_checkpoint_weights
        from bertgui.engine.folder import trim_metrics

        folder = self.state.folder
        load_checkpoint_weights(self.model, Path(str(folder.resume_dir)))
        self.model.to(self.state.model.choice.device)
        self.state.counters.real_tokens = folder.resume_tokens
        if self.env.is_main:  # the killed session's partial "after" figures go; this session measures them
            trim_metrics(folder.output, folder.resumed_step, drop_after=True)
            self.state.evals[:] = [e for e in self.state.evals if e.when != "after"]
        self.finish(None, out, start)

    def finish(self, callback: Any, out: TrainResult, start: float) -> None:
        """The "after" measurement, the final model on disk, the summary and ``Finished``."""
        from bertgui.engine.finishing import end_distributed, save_final_model, summary
        from bertgui.engine.model_stage import set_attention_dropout

        state, model = self.state, self.state.model
        stopped = bool(callback.stopped) if callback is not None else False
        if self.env.is_main:
            self.emit(StateChanged(Phase.SAVING, self.step))
        state.evaluation(self.step, "after")
        if model.base_attention_dropout is not None:  # the exported model keeps the base model's value
            set_attention_dropout(self.model, model.base_attention_dropout)
        output = state.folder.output
        final_dir = save_final_model(self.env, state.trainer, self.tokenizer, output, model=self.model)
        end_distributed()
        ckpt = last_checkpoint(output) or ""
        result = summary(self.env, state, model, state.data, stopped=stopped, elapsed=time.perf_counter() - start)
        result["final_model_dir"], result["last_checkpoint"] = final_dir, ckpt
        out.stopped, out.final_model_dir, out.last_checkpoint, out.summary = stopped, final_dir, ckpt, result
        self.emit(Finished(step=self.step, stopped=stopped, elapsed_s=time.perf_counter() - start,
                           output_dir=str(output), last_checkpoint=ckpt, summary=result))

    # ------------------------------------------------------------------------------------------ failures
    def _failed(self, exc: BaseException) -> Failed:
        if isinstance(exc, KeyboardInterrupt):
            failed = Failed(text("Training was interrupted."),
                            text("Resume it from the last checkpoint with --resume."), kind="interrupted",
                            step=self.step)
        else:
            failed = describe_failure(exc, self.config, self.step)
        if self.env.world_size > 1:
            failed = share_failure(failed, Path(self.config.output_dir), rank=self.env.rank,
                                   world_size=self.env.world_size, started_at=self.env.started_at)
        return failed

    def _clean_after_failure(self) -> None:
        """After a failure (a full disk): no half-written checkpoint or final model is left looking like one."""
        from bertgui.engine.finishing import PARTIAL_FINAL

        if not self._sinks.owned or not self.env.is_main:
            return
        output = Path(self.config.output_dir)
        with contextlib.suppress(OSError):
            remove_incomplete_checkpoints(output)
            shutil.rmtree(output / PARTIAL_FINAL, ignore_errors=True)

    def _install_signals(self) -> Callable[[], None]:
        """SIGINT (Ctrl-C, the GUI's stop for a process run), SIGTERM and SIGHUP (a logout, a closed terminal, a
        service manager) = stop with a checkpoint, not a traceback; a second one really interrupts."""
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        kinds = [s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s]
        previous = {s: signal.getsignal(s) for s in kinds}

        def handler(signum: int, frame: Any) -> None:
            if self.control.stop_requested:
                restore()
                raise KeyboardInterrupt
            self.control.stop()

        def restore() -> None:
            for s, h in previous.items():
                signal.signal(s, h)

        for s in kinds:
            signal.signal(s, handler)
        return restore


def train(config: RunConfig, on_event: Callable[[Event], None] | None = None, control: Control | None = None,
          *, resume: str | bool | None = None, overwrite: bool = False, train_further: int = 0,
          **kw: Any) -> TrainResult:
    """The GUI's and CLI's entry point: run and return; failures are ``Failed`` events (and ``result.failed``)."""
    return Engine(config, on_event, control, **kw).run(resume=resume, overwrite=overwrite,
                                                       train_further=train_further)
