"""``bertgui eval``: any model folder or hub id measured on any text with the engine's frozen recipe.

The measurement itself (frozen pairs and masks, summed losses) lives in :mod:`bertgui.engine.evaluation`, because the
engine runs it before, during and after training; this module loads a model and a corpus for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bertgui.engine.evaluation import DEFAULT_MAX_SEQUENCES, EvalResult, evaluate_model


@dataclass
class FileEvalResult(EvalResult):
    """The frozen-mask figures and the embedding check (:mod:`bertgui.engine.retrieval`; None: not measured)."""

    retrieval_recall_at_1: float | None = None
    retrieval_recall_at_10: float | None = None
    retrieval_mrr: float | None = None
    retrieval_queries: int = 0
    retrieval_candidates: int = 0
    retrieval_note: str = ""


def evaluate_files(model_name: str, corpus: list[str], *, config: Any = None, nsp: bool | None = None,
                   device: str = "auto", max_sequences: int = DEFAULT_MAX_SEQUENCES,
                   allow_pickle: bool = False, progress: Any = None,
                   embedding_check: bool = True) -> FileEvalResult:
    """``bertgui eval``: any model folder or hub id on any text files, with the same frozen recipe, and the
    embedding check on the same documents (``embedding_check=False`` skips it)."""
    from bertgui.config import RunConfig
    from bertgui.data.corpus import iter_documents
    from bertgui.data.tokenized import tokenize_documents
    from bertgui.engine.device import resolve_device
    from bertgui.model.loading import load_model, resolve_model

    cfg = (config or RunConfig()).replace(corpus=list(corpus), model=model_name)
    info = resolve_model(model_name, allow_pickle=allow_pickle)
    use_nsp = info.can_nsp if nsp is None else nsp
    loaded = load_model(info, nsp=use_nsp, allow_pickle=allow_pickle)
    choice = resolve_device(device, "auto")
    loaded.model.to(choice.device)
    docs = iter_documents(cfg.corpus, documents=cfg.documents, text_column=cfg.text_column, encoding=cfg.encoding)
    # enough text for max_sequences (twice over, for pair building); a huge file is not read whole
    tc = tokenize_documents(docs, loaded.tokenizer, progress=progress,
                            max_tokens=max_sequences * cfg.max_seq_length * 2)
    result = evaluate_model(loaded.model, loaded.tokenizer, tc, cfg, nsp=use_nsp, split="corpus",
                            device=choice.device, precision=choice.precision, max_sequences=max_sequences)
    fields: dict[str, Any] = {}
    if embedding_check:
        from bertgui.engine.retrieval import RetrievalSet, embedding_fields
        from bertgui.model.pooling import read_pooling

        rset = RetrievalSet.from_corpus(tc, split="corpus")
        fields = embedding_fields(loaded.model, loaded.tokenizer, rset, read_pooling(info.path,
                                  max_length=cfg.max_seq_length), device=choice.device, precision=choice.precision)
        fields["retrieval_note"] = rset.note
    return FileEvalResult(**result.to_dict(), **fields)
