"""A small, randomly initialised BERT with a WordPiece vocabulary trained on the user's corpus.

For offline trials, tests and benchmarks: no download, and a folder every other command accepts.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bertgui.data.corpus import corpus_files, iter_documents
from bertgui.errors import BertguiError
from bertgui.files import mark_model_folder, normalize_modes, place_folder
from bertgui.text import text

SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


@dataclass
class NewModelSpec:
    layers: int = 2
    hidden: int = 64
    vocab_size: int = 4000
    heads: int = 0  # 0: hidden // 64, at least 2
    intermediate: int = 0  # 0: 4 × hidden
    max_positions: int = 512
    unused_slots: int = 20  # [unused0] … like Google's vocabularies, so vocabulary reuse has room
    lowercase: bool = True
    seed: int = 0

    def validate(self) -> NewModelSpec:
        heads = self.heads or max(2, self.hidden // 64)
        if self.layers < 1 or self.hidden < 8:
            raise BertguiError(text("A model needs at least 1 layer and a hidden size of 8."))
        if self.hidden % heads:
            raise BertguiError(text("The hidden size {0} must be divisible by the {1} attention heads.",
                                    self.hidden, heads))
        if self.vocab_size < 100:
            raise BertguiError(text("The vocabulary needs at least 100 entries."))
        self.heads = heads
        self.intermediate = self.intermediate or 4 * self.hidden
        return self


def train_wordpiece(texts: Iterator[str], vocab_size: int, *, lowercase: bool = True, unused_slots: int = 0):
    """A BERT-style fast tokenizer whose WordPiece vocabulary is learnt from ``texts``."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
    from transformers import BertTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(clean_text=True, handle_chinese_chars=True,
                                                strip_accents=None, lowercase=lowercase)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    unused = [f"[unused{i}]" for i in range(unused_slots)]
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS + unused,
                                        min_frequency=2, continuing_subword_prefix="##")
    tok.train_from_iterator(texts, trainer=trainer)
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS]:0 $A:0 [SEP]:0", pair="[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)])
    tok.decoder = decoders.WordPiece(prefix="##")
    return BertTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", sep_token="[SEP]", pad_token="[PAD]",
                             cls_token="[CLS]", mask_token="[MASK]", do_lower_case=lowercase)


def check_writable_target(output: Path) -> None:
    """Prove that ``output`` can be made: the model is written to a temporary folder beside it, then renamed.

    Probes the nearest folder that exists on the way to ``output`` (its parent, or further up when the parents are
    still to be made) by making and removing a temporary folder there: a real write, so it also catches read-only
    disks and access lists, which permission bits do not show. Creates nothing that stays.
    """
    ancestor = output.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    advice = text("Choose another folder (--output) on a disk you can write to.")
    if not ancestor.is_dir():
        raise BertguiError(text("{0} cannot be written: {1} is a file, not a folder.", output, ancestor), advice)
    try:
        Path(tempfile.mkdtemp(prefix=".bertgui-probe-", dir=ancestor)).rmdir()
    except OSError as exc:
        raise BertguiError(text("{0} cannot be written ({1}).", output, exc.strerror or exc), advice) from None


def create_model(corpus: list[str] | str, output: str | Path, spec: NewModelSpec | None = None, *,
                 documents: str = "auto", text_column: str = "text", overwrite: bool = False,
                 progress: Callable[[str], None] | None = None) -> Path:
    """Write a ``BertForPreTraining`` folder (safetensors + tokenizer) with a vocabulary learnt from ``corpus``."""
    import torch
    from transformers import BertConfig, BertForPreTraining

    spec = (spec or NewModelSpec()).validate()
    output = Path(output)
    if output.exists() and not output.is_dir():
        raise BertguiError(text("{0} is a file, not a folder.", output), text("Choose a new or empty folder."))
    if output.exists() and any(output.iterdir()) and not overwrite:
        raise BertguiError(text("{0} exists and is not empty.", output),
                           text("Choose an empty folder or pass --overwrite."))
    check_writable_target(output)  # before the vocabulary: minutes of work must not end in "permission denied"
    corpus_files(corpus)  # a missing file fails here, before any work
    say = progress or (lambda _msg: None)
    say("Training a WordPiece vocabulary on the corpus…")
    texts = (doc.text for doc in iter_documents(corpus, documents=documents, text_column=text_column))
    tokenizer = train_wordpiece(texts, spec.vocab_size, lowercase=spec.lowercase, unused_slots=spec.unused_slots)
    say(f"Vocabulary: {len(tokenizer):,} entries. Building the model…")
    config = BertConfig(
        vocab_size=len(tokenizer), hidden_size=spec.hidden, num_hidden_layers=spec.layers,
        num_attention_heads=spec.heads, intermediate_size=spec.intermediate,
        max_position_embeddings=spec.max_positions, pad_token_id=tokenizer.pad_token_id,
        architectures=["BertForPreTraining"],
    )
    torch.manual_seed(spec.seed)
    model = BertForPreTraining(config)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".bertgui-new-", dir=output.parent))  # same disk: the rename is atomic
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        mark_model_folder(tmp)  # bertgui's: a later --overwrite may replace it
        normalize_modes(tmp)
        place_folder(tmp, output, overwrite=overwrite)  # an old model is removed only once the new one is in place
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    params = sum(p.numel() for p in model.parameters())
    say(f"Wrote {output}: {spec.layers} layers × {spec.hidden}, {params / 1e6:.2f} M parameters.")
    return output
