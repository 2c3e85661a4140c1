"""Adding domain words to a model's vocabulary, each as one token that starts from what the model already knows.

Where a word goes in the tokenizer (WordPiece tokenizers, i.e. BERT):

* A word that the pre-tokenizer keeps whole (letters/digits, no spaces or punctuation) goes into the WordPiece
  model's own vocabulary — into an ``[unused…]`` slot (renamed; the embedding matrix keeps its size) when the
  vocabulary has free ones and ``reuse_unused`` is on, else at a new id at the end. This is the cleanest
  behaviour: the normalizer still lower-cases it, it becomes one token exactly when it is a whole word (greedy
  longest match: "stoicism" → ``stoicism``; "stoicisms" → ``stoicism ##s``; "Stoicism," → ``stoicism ,``), and
  it never matches inside another word ("prestoicism" keeps its old pieces, since WordPiece only starts words
  with non-``##`` entries).
* A word the pre-tokenizer splits — a multi-character Chinese word (BERT cuts CJK text into single characters,
  so no vocabulary entry can ever be reached for 数据库), or one with a hyphen or space — becomes a non-special
  *added token* (matched on the normalised text before pre-tokenizing) with the same id. Chinese words match
  anywhere in running Chinese text (Chinese has no spaces, so a word boundary cannot be asked for); other such
  words must stand alone (``single_word``: "covid-19" does not match inside "covid-19x").
* Other tokenizers (BPE, Unigram) get added tokens only (``single_word`` for non-Chinese words) and no slot reuse.
  With byte-level BPE (RoBERTa) the space before such a word stays a token of its own (``Ġ``), so a word in
  running text costs two tokens instead of its many pieces.

The model: the new embedding row is the mean of the embeddings of the word's old pieces (as the model saw it
until now), not a random or distribution-sampled vector, so training starts from a meaningful point. The output
layer is tied to the embeddings in BERT, so its rows follow automatically (an untied output matrix gets the same
mean of its own rows). The output bias gets the mean of the old pieces' biases: the bias is the token's prior
log-frequency, and a reused ``[unused…]`` slot's bias was trained on a token that never occurred (strongly
negative) while zero is an arbitrary point on that scale; the pieces' mean puts the new word among the tokens it
replaces, a little optimistic (a word is rarer than its pieces), which training corrects in a few hundred steps.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bertgui.errors import BertguiError
from bertgui.vocab.mining import CJK_RE, backend_of, is_cjk_word, normalize, pre_tokens

UNUSED_RE = re.compile(r"^\[unused\d+\]$")


@dataclass
class VocabChange:
    """What ``extend_vocabulary`` did; ``tokenizer`` is the extended tokenizer to use from now on."""

    tokenizer: Any
    added: dict[str, int] = field(default_factory=dict)  # word (as given) → new token id
    reused_unused_slots: int = 0
    skipped: dict[str, str] = field(default_factory=dict)  # word → why it was not added
    pieces: dict[str, list[str]] = field(default_factory=dict)  # word → its tokens before the change
    piece_ids: dict[str, list[int]] = field(default_factory=dict)  # word → ids whose mean starts its rows
    added_tokens: list[str] = field(default_factory=list)  # words added as added tokens (not in the WordPiece vocab)
    old_vocab_size: int = 0  # embedding rows before
    new_vocab_size: int = 0  # embedding rows after

    def summary(self) -> str:
        parts = [f"added {len(self.added)} word(s) as single tokens"]
        if self.reused_unused_slots:
            parts.append(f"{self.reused_unused_slots} in [unused…] slots")
        if self.new_vocab_size != self.old_vocab_size:
            parts.append(f"embedding matrix {self.old_vocab_size:,} → {self.new_vocab_size:,} rows")
        if self.skipped:
            parts.append(f"skipped {len(self.skipped)}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {"added": self.added, "reused_unused_slots": self.reused_unused_slots, "skipped": self.skipped,
                "pieces": self.pieces, "added_tokens": self.added_tokens, "old_vocab_size": self.old_vocab_size,
                "new_vocab_size": self.new_vocab_size}


@dataclass
class _Plan:
    word: str  # as given
    key: str  # normalised form: the vocabulary entry
    as_added_token: bool
    cjk: bool
    new_id: int = -1


def extend_vocabulary(model: Any, tokenizer: Any, words: list[str], reuse_unused: bool = True) -> VocabChange:
    """Give each word one token; set its embedding (and output bias) to the mean of its old pieces'.

    Mutates ``model`` in place (embedding rows, tied decoder and bias, ``config.vocab_size``) and returns the
    change with the extended tokenizer (a new object: use ``change.tokenizer`` from here on).
    """
    old_rows = int(model.get_input_embeddings().weight.shape[0])
    change = extend_tokenizer(tokenizer, words, reuse_unused=reuse_unused)
    change.old_vocab_size = change.new_vocab_size = old_rows
    if change.added:
        _init_rows(model, change)
        change.new_vocab_size = int(model.get_input_embeddings().weight.shape[0])
    return change


def extend_tokenizer(tokenizer: Any, words: list[str], reuse_unused: bool = True) -> VocabChange:
    """The tokenizer part alone (no model needed): for previews of tokens per word before and after.

    Gives the same ids as ``extend_vocabulary`` would; ``old_vocab_size``/``new_vocab_size`` here count the
    tokenizer's entries, not embedding rows.
    """
    backend = backend_of(tokenizer)
    state = json.loads(backend.to_str())
    wordpiece = state["model"].get("type") == "WordPiece"
    change = VocabChange(tokenizer=tokenizer, old_vocab_size=len(tokenizer), new_vocab_size=len(tokenizer))

    plans = _plan_words(backend, tokenizer, words, wordpiece, change)
    if not plans:
        return change

    vocab: dict[str, int] = state["model"]["vocab"] if wordpiece else {}
    added_list: list[dict[str, Any]] = state.get("added_tokens") or []
    taken = set(vocab.values()) | {int(t["id"]) for t in added_list}
    next_id = max(max(taken, default=-1) + 1, backend.get_vocab_size(with_added_tokens=True))
    slots = sorted(i for tok, i in vocab.items() if UNUSED_RE.match(tok)) if (wordpiece and reuse_unused) else []
    id_to_token = {i: t for t, i in vocab.items()}
    freed: set[int] = set()
    for plan in plans:
        if slots:
            plan.new_id = slots.pop(0)
            del vocab[id_to_token[plan.new_id]]
            freed.add(plan.new_id)
            change.reused_unused_slots += 1
        else:
            plan.new_id = next_id
            next_id += 1
        if wordpiece:
            vocab[plan.key] = plan.new_id  # reachable by WordPiece unless the pre-tokenizer splits the word
        if plan.as_added_token:
            # A pure Chinese word is matched on the raw text (normalising only puts spaces around each character,
            # which would also become part of the token's string); anything else on the normalised text.
            added_list.append({"id": plan.new_id, "content": plan.key, "single_word": not plan.cjk,
                               "lstrip": False, "rstrip": False, "normalized": not is_cjk_word(plan.key),
                               "special": False})
            change.added_tokens.append(plan.word)
        change.added[plan.word] = plan.new_id
    state["added_tokens"] = [t for t in added_list if not (int(t["id"]) in freed and UNUSED_RE.match(t["content"]))]
    if wordpiece:
        state["model"]["vocab"] = dict(sorted(vocab.items(), key=lambda kv: kv[1]))
    change.tokenizer = _rebuild_tokenizer(tokenizer, state, freed)
    change.new_vocab_size = len(change.tokenizer)
    return change


def unlimited(backend: Any) -> Any:
    """The backend without padding and truncation (a copy when it has them), to encode one word's pieces.

    WHY: a ``tokenizer.json`` may carry fixed padding (all-MiniLM-L6-v2's pads every encoding to 128) or a
    truncation length; encoding a word through it would count its 3 real pieces plus 125 ``[PAD]`` ids, and the
    new row would start from a mean dominated by the padding embedding.
    """
    if backend.truncation is None and backend.padding is None:
        return backend
    from tokenizers import Tokenizer

    copy = Tokenizer.from_str(backend.to_str())
    copy.no_truncation()
    copy.no_padding()
    return copy


def _plan_words(backend: Any, tokenizer: Any, words: list[str], wordpiece: bool, change: VocabChange) -> list[_Plan]:
    unk_id = tokenizer.unk_token_id
    encoder = unlimited(backend)
    plans: list[_Plan] = []
    seen: dict[str, str] = {}
    for word in words:
        text = word.strip()
        if not text:
            change.skipped[word] = "empty"
            continue
        key = normalize(backend, text).strip()
        if CJK_RE.search(key):
            key = re.sub(r"\s+", "", key)  # BERT's normalizer puts spaces around each Chinese character
        if key in seen:
            change.skipped[word] = f"same as {seen[key]!r} after normalisation"
            continue
        ids = encoder.encode(text, add_special_tokens=False).ids
        pieces = [backend.id_to_token(i) for i in ids]
        if len(ids) == 1 and ids[0] != unk_id:
            change.skipped[word] = f"already one token ({pieces[0]})"
            continue
        if not ids:
            change.skipped[word] = "the tokenizer makes no token of it"
            continue
        seen[key] = text
        cjk = bool(CJK_RE.search(key))
        as_added = not wordpiece or len(pre_tokens(backend, text)) != 1
        change.pieces[word] = pieces
        known = [int(i) for i in ids if i != unk_id]  # [UNK] says nothing about the word, unless it is all we have
        change.piece_ids[word] = known or [int(i) for i in ids]
        plans.append(_Plan(word=word, key=key, as_added_token=as_added, cjk=cjk))
    return plans


def _rebuild_tokenizer(tokenizer: Any, state: dict[str, Any], freed: set[int]) -> Any:
    """Save, edit tokenizer.json (and the transformers side's added-token list), load: a consistent new object."""
    tmp = Path(tempfile.mkdtemp(prefix="bertgui-vocab-"))
    try:
        tokenizer.save_pretrained(tmp)
        (tmp / "tokenizer.json").write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        cfg_path = tmp / "tokenizer_config.json"
        if cfg_path.exists():
            cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
            decoder = cfg.get("added_tokens_decoder") or {}
            for key in [k for k in decoder if int(k) in freed]:
                del decoder[key]
            for list_key in ("additional_special_tokens", "extra_special_tokens"):
                if isinstance(cfg.get(list_key), list):
                    cfg[list_key] = [t for t in cfg[list_key]
                                     if not (isinstance(t, str) and UNUSED_RE.match(t) and _gone(state, t))]
            cfg_path.write_text(json.dumps(cfg, ensure_ascii=False, indent=2), encoding="utf-8")
        vocab_txt = tmp / "vocab.txt"
        if vocab_txt.exists() and state["model"].get("type") == "WordPiece":
            ordered = sorted(state["model"]["vocab"].items(), key=lambda kv: kv[1])
            vocab_txt.write_text("".join(f"{t}\n" for t, _ in ordered), encoding="utf-8")
        try:
            new = type(tokenizer).from_pretrained(tmp, trust_remote_code=False)
        except Exception as exc:  # a tokenizer class we cannot round-trip: say so, do not half-change the model
            raise BertguiError(f"The extended tokenizer cannot be loaded back ({type(exc).__name__}: {exc}).",
                               "This tokenizer type is not supported for vocabulary extension.") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    new.name_or_path = tokenizer.name_or_path
    return new


def _gone(state: dict[str, Any], token: str) -> bool:
    """True when ``token`` no longer exists in the new tokenizer (it was renamed)."""
    return token not in state["model"].get("vocab", {}) and all(t["content"] != token for t in state["added_tokens"])


def _init_rows(model: Any, change: VocabChange) -> None:
    import torch

    emb = model.get_input_embeddings()
    out = model.get_output_embeddings()
    untied = out is not None and out.weight is not emb.weight
    bias = getattr(out, "bias", None) if out is not None else None
    rows: dict[str, tuple[Any, Any, Any]] = {}
    with torch.no_grad():  # every mean from the old matrices, before any row changes or the matrix grows
        for word in change.added:
            idx = torch.tensor(change.piece_ids[word], dtype=torch.long)
            rows[word] = (emb.weight[idx].mean(0).clone(),
                          out.weight[idx].mean(0).clone() if untied else None,
                          bias[idx].mean().clone() if bias is not None else None)
    needed = max(change.added.values()) + 1
    if needed > emb.weight.shape[0]:
        model.resize_token_embeddings(needed, mean_resizing=False)
        emb = model.get_input_embeddings()
        out = model.get_output_embeddings()
    new_bias = getattr(out, "bias", None) if out is not None else None
    with torch.no_grad():
        for word, new_id in change.added.items():
            e, o, b = rows[word]
            emb.weight[new_id] = e
            if o is not None and out is not None:
                out.weight[new_id] = o
            if b is not None and new_bias is not None:
                new_bias[new_id] = b
    model.config.vocab_size = int(emb.weight.shape[0])
    if out is not None and not untied and out.weight is not emb.weight:
        model.tie_weights()  # resizing keeps the tie in transformers 5; make sure for other versions
