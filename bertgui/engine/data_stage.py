"""The data stage: the tokenized corpus (cached), the general text against forgetting, and the training sequences.

Two steps with the time-budget plan between them (:mod:`bertgui.engine.budget` needs the corpus to plan, and the
training dataset needs the plan to know how many passes to build):

* :func:`prepare_corpus_stage` → :class:`CorpusStage`: the cached tokenized corpus split into train and held-out
  documents, the general text (the user's file or the bundled English sample) with ``corpus.replay_share`` of it
  mixed into the training text, and a one-pass probe dataset (its size is an epoch).
* :func:`build_training_data` → :class:`DataStage`: the dataset over all the passes the run needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bertgui.config import RunConfig
from bertgui.engine.model_stage import ModelStage
from bertgui.engine.state import RunEnv
from bertgui.errors import CorpusError
from bertgui.events import Progress
from bertgui.text import text


@dataclass(frozen=True)
class GeneralText:
    """The run's general text: where it is, whether it is the bundled sample, and the held-out part (replay)."""

    path: Path | None = None  # None: no general text at all
    sample: bool = False  # the bundled sample of Python's documentation
    held_out: Any = None  # with replay: the tokenized general documents kept out of training (else None)


@dataclass
class CorpusStage:
    prepared: Any  # bertgui.data.prepare.PreparedCorpus (train with the replay mixed in)
    general: GeneralText
    nsp: bool
    probe: Any  # PretrainingDataset over one pass (its items sample the run's real lengths)
    global_batch: int
    notes: list[str] = field(default_factory=list)

    @property
    def first_epoch(self) -> int:
        return len(self.probe)


@dataclass
class DataStage:
    """The training data of the run: the corpus stage's texts and the dataset over every pass the plan needs."""

    corpus: CorpusStage
    train_ds: Any  # bertgui.data.pairs.PretrainingDataset over all epochs
    data_epochs: float
    total_steps: int
    token_batches_per_step: int = 0  # > 0: batches by tokens (training.tokens_per_step), this many per step

    @property
    def prepared(self) -> Any:
        return self.corpus.prepared

    @property
    def nsp(self) -> bool:
        return self.corpus.nsp

    @property
    def global_batch(self) -> int:
        return self.corpus.global_batch

    @property
    def first_epoch(self) -> int:
        return self.corpus.first_epoch

    def epoch_of_step(self, step: int) -> float:
        """The (fractional) epoch the run is in after ``step`` optimizer steps: the chart's and the card's x."""
        if self.token_batches_per_step:
            return self.train_ds.token_batches().epoch_of_step(step, self.token_batches_per_step)
        index = min(step * self.global_batch, len(self.train_ds) - 1)
        epoch, j = self.train_ds.epoch_of(index)
        return epoch + j / max(1, self.train_ds.epoch_sizes()[epoch])


def prepare_corpus_stage(env: RunEnv, config: RunConfig, model: ModelStage, main_process_first: Any) -> CorpusStage:
    """The cached tokenized corpus (once per machine under torchrun), the general text and replay, one pass."""
    from bertgui.data.pairs import PretrainingDataset
    from bertgui.data.prepare import prepare_corpus
    from bertgui.model.loading import MODE_MLM_NSP

    with main_process_first(desc="corpus"):
        prepared = prepare_corpus(
            config, model.tokenizer, num_proc=env.num_proc, cache_dir=env.cache_dir,
            progress=lambda d, t, m: env.emit(Progress("corpus", d, t, m)),
            should_stop=lambda: env.control.stop_requested)
    notes = list(prepared.notes)
    general = _general_text(env, config, prepared, model.tokenizer, notes)
    general = _mix_replay(config, prepared, model.tokenizer, general, notes)
    nsp = model.loaded.mode == MODE_MLM_NSP
    global_batch = config.batch_size * config.gradient_accumulation * env.world_size
    probe = PretrainingDataset(prepared.train, model.tokenizer, max_seq_length=config.max_seq_length, nsp=nsp,
                               short_seq_prob=config.short_seq_prob, seed=config.seed, epochs=1,
                               balanced=config.nsp_balanced, cross_documents=config.mlm_cross_documents)
    if len(probe) == 0:
        raise CorpusError(text("The corpus is too short to build a single training sequence."),
                          text("Add more text, or lower the maximum sequence length."))
    return CorpusStage(prepared, general, nsp, probe, global_batch, notes)


def build_training_data(config: RunConfig, model: ModelStage, corpus: CorpusStage, *, headroom: float = 1.0,
                        world_size: int = 1) -> DataStage:
    """The dataset over every pass the run needs (``headroom``: how far a time budget's plan may grow while it
    runs — by 30 %, and by the head phase's seconds when the heads fit sooner than planned).

    With ``training.tokens_per_step`` a step is a number of real tokens: each micro-batch holds as many sequences
    as fit its share (:mod:`bertgui.data.batching`), so epochs and steps are counted in those batches.
    """
    from bertgui.data.batching import epochs_for_steps, micro_batch_tokens
    from bertgui.data.pairs import PretrainingDataset

    micro = 0
    if config.tokens_per_step:
        micro = micro_batch_tokens(config.tokens_per_step, config.gradient_accumulation, world_size,
                                   config.max_seq_length)
    if config.max_steps and micro:
        data_epochs = epochs_for_steps(config.max_steps, config.tokens_per_step,
                                       int(corpus.probe.sequence_lengths(0).sum()), headroom)
    elif config.max_steps:
        data_epochs = float(math.ceil(headroom * config.max_steps * corpus.global_batch / corpus.first_epoch) + 1)
    else:
        data_epochs = config.epochs
    train_ds = PretrainingDataset(corpus.prepared.train, model.tokenizer, max_seq_length=config.max_seq_length,
                                  nsp=corpus.nsp, short_seq_prob=config.short_seq_prob, seed=config.seed,
                                  epochs=data_epochs, group_by_length=config.group_by_length,
                                  batch_size=config.batch_size, balanced=config.nsp_balanced,
                                  tokens_per_batch=micro, cross_documents=config.mlm_cross_documents)
    per_step = config.gradient_accumulation * world_size
    if config.max_steps:
        total_steps = config.max_steps
    elif micro:
        total_steps = train_ds.token_batches().steps(per_step)
    else:
        total_steps = max(1, len(train_ds) // corpus.global_batch)
    return DataStage(corpus, train_ds, data_epochs, total_steps, per_step if micro else 0)


# ---------------------------------------------------------------------------------------------- general text
def _general_text(env: RunEnv, config: RunConfig, prepared: Any, tokenizer: Any, notes: list[str]) -> GeneralText:
    """The general text of this run: the user's file, else the bundled English sample when it suits the text."""
    if config.general_corpus:
        return GeneralText(Path(config.general_corpus))
    if not config.general_sample:
        return GeneralText()
    from bertgui.data.general import general_sample_path, suits

    head = prepared.train.tokens[:4000]
    if not suits(tokenizer.decode([int(t) for t in head])):
        notes.append("No general text: the bundled general sample is English and your text is not (give a "
                     "general-text file in your language to measure and limit forgetting).")
        return GeneralText()
    env.emit(Progress("general", 0, 0, text("Preparing the general English sample")))
    try:
        path = general_sample_path()  # the user's cache: built once, shared by every run
    except OSError as exc:
        notes.append(f"No general text: the bundled general sample could not be built ({exc}).")
        return GeneralText()
    notes.append("General text: a sample of the documentation of Python's standard library (English, built "
                 "on this computer), to measure and limit forgetting; a general file of your own guards better.")
    return GeneralText(path, sample=True)


def _mix_replay(config: RunConfig, prepared: Any, tokenizer: Any, general: GeneralText,
                notes: list[str]) -> GeneralText:
    """``corpus.replay_share`` of the training tokens from the general text.

    The general file is split by documents: a held-out part measures forgetting, only the rest is mixed into
    ``prepared.train``, so the general figure never measures text the model trained on.
    """
    if general.path is None or config.replay_share <= 0:
        return general
    from bertgui.data.replay import mix_replay, split_general

    held, rest = split_general(tokenize_general(config, tokenizer, general), seed=config.seed)
    if rest is None:
        notes.append("Replay skipped: the general-text file is a single document (nothing left to mix in "
                     "after holding part of it out).")
        return general
    before = prepared.train.n_tokens
    prepared.train = mix_replay(prepared.train, rest, config.replay_share, seed=config.seed)
    added = prepared.train.n_tokens - before
    notes.append(f"Replay: {added:,} tokens of general text ({added / max(1, prepared.train.n_tokens):.0%} of "
                 f"the training text) mixed in; {held.n_documents} general documents held out to measure "
                 "forgetting.")
    return GeneralText(general.path, general.sample, held)


def tokenize_general(config: RunConfig, tokenizer: Any, general: GeneralText) -> Any:
    from bertgui.data.corpus import iter_documents
    from bertgui.data.tokenized import tokenize_documents

    path = general.path
    if path is None or not path.exists():
        raise CorpusError(text("The general-text file {0} does not exist.", path),
                          text("Choose another file or clear corpus.general_corpus."))
    if general.sample:  # one paragraph a document, whatever the user's corpus uses
        docs = iter_documents([str(path)], documents="blank-line")
    else:
        docs = iter_documents([str(path)], documents=config.documents, text_column=config.text_column)
    return tokenize_documents(docs, tokenizer, max_tokens=2_000_000)


def general_eval_corpus(config: RunConfig, tokenizer: Any, general: GeneralText) -> Any:
    """The general documents to measure forgetting on: the held-out part with replay, else the whole file."""
    return general.held_out if general.held_out is not None else tokenize_general(config, tokenizer, general)
