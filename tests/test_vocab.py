"""Domain vocabulary: mining ranks fragmented domain words first, added words become one token that starts at
the mean of its old pieces, the tie between embeddings and decoder survives export, and the CLI drives it."""

from __future__ import annotations

import json
import math
import random

import pytest
import torch

from bertgui.cli import main
from bertgui.data.samples import sample_documents
from bertgui.vocab.report import (
    count_text_words,
    extend_tokenizer,
    extend_vocabulary,
    jieba_module,
    mine_vocabulary,
    per_character_perplexity,
    per_word_perplexity,
    vocabulary_report,
)

PLANTED = "anticoagulation"


@pytest.fixture()
def tokenizer(tiny_model):
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(tiny_model)


@pytest.fixture()
def model(tiny_model):
    from transformers import BertForPreTraining

    torch.manual_seed(1)
    m = BertForPreTraining.from_pretrained(tiny_model)
    with torch.no_grad():  # a fresh model's decoder bias is all zeros: make the bias check able to fail
        m.cls.predictions.bias.normal_()
    return m


def _texts() -> list[str]:
    return [d.text if hasattr(d, "text") else str(d) for d in sample_documents()]


def _planted_corpus(word: str = PLANTED, times: int = 120, seed: int = 0) -> list[str]:
    """The sample documents with ``word`` put into random places, ``times`` times in all."""
    rng = random.Random(seed)
    docs = [t.split(" ") for t in _texts()]
    for _ in range(times):
        doc = rng.choice(docs)
        doc.insert(rng.randrange(len(doc) + 1), word)
    return [" ".join(d) for d in docs]


def _unused_ids(tok) -> list[int]:
    return [i for t, i in tok.get_vocab().items() if t.startswith("[unused")]


# ---------------------------------------------------------------------------------------------- adding
def test_new_words_are_one_token_starting_at_the_mean_of_their_pieces(model, tokenizer):
    words = [PLANTED, "Stoicism"]
    old_emb = model.get_input_embeddings().weight.detach().clone()
    old_bias = model.cls.predictions.bias.detach().clone()
    old_pieces = {w: tokenizer(w, add_special_tokens=False)["input_ids"] for w in words}
    assert all(len(p) > 1 for p in old_pieces.values())
    unused = _unused_ids(tokenizer)

    change = extend_vocabulary(model, tokenizer, words, reuse_unused=True)

    tok = change.tokenizer
    emb = model.get_input_embeddings().weight
    assert change.reused_unused_slots == 2 and set(change.added) == set(words)
    assert emb.shape == old_emb.shape and model.config.vocab_size == old_emb.shape[0] == len(tok)
    for w in words:
        new_id = change.added[w]
        assert new_id in unused
        assert tok(w, add_special_tokens=False)["input_ids"] == [new_id]
        assert tok.tokenize(w) == [w.lower()]
        torch.testing.assert_close(emb[new_id], old_emb[old_pieces[w]].mean(0))
        torch.testing.assert_close(model.cls.predictions.bias[new_id], old_bias[old_pieces[w]].mean())
    assert model.get_output_embeddings().weight is emb  # the decoder still is the embedding matrix
    untouched = [i for i in range(len(old_emb)) if i not in change.added.values()]
    assert torch.equal(emb[untouched], old_emb[untouched])


def test_whole_words_only_with_case_punctuation_and_continuations(model, tokenizer):
    change = extend_vocabulary(model, tokenizer, ["Stoicism"])
    tok, sid = change.tokenizer, change.added["Stoicism"]
    assert tok.tokenize("STOICISM, stoicism.") == ["stoicism", ",", "stoicism", "."]
    assert "##s" in tok.get_vocab()
    assert tok.tokenize("stoicisms") == ["stoicism", "##s"]  # continuation pieces still attach
    assert sid not in tok("prestoicism", add_special_tokens=False)["input_ids"]  # never inside another word


def test_adding_without_unused_slots_grows_the_matrix_by_the_number_of_words(model, tokenizer):
    rows = model.get_input_embeddings().weight.shape[0]
    words = [PLANTED, "stoicism", "hyperparameterisation"]
    change = extend_vocabulary(model, tokenizer, words, reuse_unused=False)
    assert change.reused_unused_slots == 0
    assert model.get_input_embeddings().weight.shape[0] == rows + 3 == change.new_vocab_size
    assert model.cls.predictions.bias.shape[0] == rows + 3 and model.config.vocab_size == rows + 3
    assert sorted(change.added.values()) == [rows, rows + 1, rows + 2]
    assert len(change.tokenizer) == rows + 3
    for w, i in change.added.items():
        assert change.tokenizer(w, add_special_tokens=False)["input_ids"] == [i]


def test_when_unused_slots_run_out_the_rest_grows_the_matrix(model, tokenizer):
    slots = len(_unused_ids(tokenizer))
    rows = model.get_input_embeddings().weight.shape[0]
    words = [f"domainterm{chr(97 + i // 26)}{chr(97 + i % 26)}" for i in range(slots + 2)]
    change = extend_vocabulary(model, tokenizer, words, reuse_unused=True)
    assert change.reused_unused_slots == slots
    assert model.get_input_embeddings().weight.shape[0] == rows + 2
    ids = change.tokenizer(" ".join(words), add_special_tokens=False)["input_ids"]
    assert ids == [change.added[w] for w in words]


def test_words_already_single_tokens_and_duplicates_are_skipped(model, tokenizer):
    single = next(t for t in tokenizer.get_vocab() if t.isalpha() and len(t) > 3)
    change = extend_vocabulary(model, tokenizer, [single, "Stoicism", "stoicism", "  "])
    assert "already one token" in change.skipped[single]
    assert "same as" in change.skipped["stoicism"] and change.skipped["  "] == "empty"
    assert list(change.added) == ["Stoicism"]


def test_chinese_words_become_added_tokens_starting_at_their_characters(model, tokenizer):
    chars = extend_vocabulary(model, tokenizer, ["数", "据", "库"])  # the tiny vocabulary has no Chinese
    assert chars.added_tokens == []  # a single character is a WordPiece entry of its own
    tok1 = chars.tokenizer
    char_ids = [chars.added[c] for c in "数据库"]
    assert tok1("数据库", add_special_tokens=False)["input_ids"] == char_ids
    emb_before = model.get_input_embeddings().weight.detach().clone()

    word = extend_vocabulary(model, tok1, ["数据库"])
    tok2, wid = word.tokenizer, word.added["数据库"]
    assert word.added_tokens == ["数据库"]  # BERT splits Chinese into characters: only an added token can match
    assert tok2("数据库", add_special_tokens=False)["input_ids"] == [wid]
    assert wid in tok2("我们的数据库很大", add_special_tokens=False)["input_ids"]  # no spaces needed in Chinese
    assert wid not in tok2("数据", add_special_tokens=False)["input_ids"]
    torch.testing.assert_close(model.get_input_embeddings().weight[wid], emb_before[char_ids].mean(0))


def test_hyphenated_words_are_added_tokens_that_must_stand_alone(model, tokenizer):
    change = extend_vocabulary(model, tokenizer, ["COVID-19"])
    tok, cid = change.tokenizer, change.added["COVID-19"]
    assert tok("covid-19 and Covid-19.", add_special_tokens=False)["input_ids"].count(cid) == 2
    assert cid not in tok("covid-19x", add_special_tokens=False)["input_ids"]


@pytest.mark.parametrize("reuse", [True, False])
def test_the_tie_survives_export_and_reload_in_stock_transformers(model, tokenizer, tmp_path, reuse):
    from transformers import AutoModelForMaskedLM, AutoTokenizer, BertForPreTraining, pipeline

    change = extend_vocabulary(model, tokenizer, [PLANTED, "数据库"], reuse_unused=reuse)
    model.save_pretrained(tmp_path)
    change.tokenizer.save_pretrained(tmp_path)
    wid = change.added[PLANTED]
    row = model.get_input_embeddings().weight[wid].detach()
    bias = model.cls.predictions.bias[wid].detach()
    for cls in (AutoModelForMaskedLM, BertForPreTraining):
        m = cls.from_pretrained(tmp_path)
        assert m.get_output_embeddings().weight is m.get_input_embeddings().weight
        assert m.config.vocab_size == model.config.vocab_size
        torch.testing.assert_close(m.get_input_embeddings().weight[wid], row)
        torch.testing.assert_close(m.cls.predictions.bias[wid], bias)
    tok = AutoTokenizer.from_pretrained(tmp_path)
    assert tok(PLANTED, add_special_tokens=False)["input_ids"] == [wid]
    assert tok("数据库", add_special_tokens=False)["input_ids"] == [change.added["数据库"]]
    fill = pipeline("fill-mask", model=str(tmp_path), top_k=3)
    assert fill.model.get_output_embeddings().weight is fill.model.get_input_embeddings().weight
    preds = fill(f"{PLANTED} is a {fill.tokenizer.mask_token} .")
    assert len(preds) == 3 and all("token_str" in p for p in preds)


# ---------------------------------------------------------------------------------------------- mining
def test_mining_ranks_a_planted_fragmented_word_first_and_counts_all_tokens(tokenizer, tmp_path):
    docs = _planted_corpus(times=150)
    calls: list[tuple[int, int, str]] = []
    cands = mine_vocabulary(docs, tokenizer, top=10, progress=lambda *a: calls.append(a))
    assert calls and calls[-1][0] == len(docs) == cands.documents
    top = cands[0]
    pieces = tokenizer.tokenize(PLANTED)
    assert top.word == PLANTED and top.count == 150 and top.pieces == pieces
    assert top.tokens_saved == 150 * (len(pieces) - 1)
    real_tokens = sum(len(tokenizer(d, add_special_tokens=False)["input_ids"]) for d in docs)
    assert cands.total_tokens == real_tokens  # counted per distinct word, but exactly the corpus' tokens
    assert top.share == pytest.approx(150 * len(pieces) / real_tokens)
    assert [c.tokens_saved for c in cands] == sorted((c.tokens_saved for c in cands), reverse=True)
    assert all(c.n_pieces > 1 and c.count >= 3 for c in cands)

    path = tmp_path / "corpus.txt"  # the same corpus streamed from a file
    path.write_text("\n\n".join(docs) + "\n", encoding="utf-8")
    from_file = mine_vocabulary([str(path)], tokenizer, top=10)
    assert [c.to_dict() for c in from_file] == [c.to_dict() for c in cands]


def test_general_text_filters_words_that_are_common_everywhere(tokenizer):
    domain = _planted_corpus(times=150)
    domain = [d + " xylophonists" * 3 for d in domain]  # frequent in the domain …
    general = [f"the xylophonists played {i} times ." for i in range(400)]  # … and in general text
    plain = [c.word for c in mine_vocabulary(domain, tokenizer, top=20)]
    assert "xylophonists" in plain
    fair = mine_vocabulary(domain, tokenizer, top=20, general=general)
    assert "xylophonists" not in [c.word for c in fair]
    assert fair[0].word == PLANTED and fair[0].general_ratio > 2


CHINESE = ["我们的数据库很大，数据库需要每天备份。", "这个数据库存储了神经网络的参数。",
           "神经网络和数据库都是计算机科学的内容。", "管理员检查数据库的日志。"]


def test_chinese_candidates_come_from_jieba_words(tokenizer):
    pytest.importorskip("jieba")
    cands = mine_vocabulary(CHINESE * 5, tokenizer, top=10, chinese="jieba")
    by_word = {c.word: c for c in cands}
    assert cands.chinese == "jieba" and cands[0].word == "数据库"
    assert by_word["数据库"].count == 5 * sum(t.count("数据库") for t in CHINESE) and by_word["数据库"].source == "jieba"
    assert by_word["数据库"].unknown  # the tiny English vocabulary has no Chinese characters
    assert "神经网络" in by_word or "神经" in by_word


def test_chinese_ngrams_without_a_segmenter_keep_the_whole_word(tokenizer):
    cands = mine_vocabulary(CHINESE * 5, tokenizer, top=50, chinese="ngram")
    words = [c.word for c in cands]
    assert cands.chinese == "ngram" and "数据库" in words
    assert "数据" not in words and "据库" not in words  # only ever seen inside 数据库


# ---------------------------------------------------------------------------------------------- showing
def test_report_counts_tokens_per_word_and_unknowns_before_and_after(model, tokenizer):
    docs = _planted_corpus(times=100) + CHINESE
    words = [PLANTED, "数", "据", "库"]
    change = extend_tokenizer(tokenizer, words)  # previews need no model …
    assert change.added == extend_vocabulary(model, tokenizer, words).added  # … and get the same ids
    rep = vocabulary_report(docs, tokenizer, change.tokenizer, words=list(change.added))
    n_pieces = len(tokenizer.tokenize(PLANTED))
    saved = 100 * (n_pieces - 1)
    assert rep["documents"] == len(docs)
    assert rep["before"]["tokens"] - rep["after"]["tokens"] == saved
    assert rep["after"]["tokens_per_word"] < rep["before"]["tokens_per_word"]
    assert rep["after"]["unk"] == rep["before"]["unk"] - sum(t.count(c) for t in CHINESE for c in "数据库")
    assert rep["after"]["unk_rate"] < rep["before"]["unk_rate"]
    assert rep["new_token_counts"][PLANTED] == 100
    assert rep["words"] == sum(count_text_words(d, tokenizer, jieba_module()) for d in docs)
    json.dumps(rep)  # plain numbers only
    assert count_text_words("Stoics, read!", tokenizer) == 4  # words and punctuation marks, as word_ids count
    assert count_text_words("数据库很大", tokenizer) == 5  # without jieba: characters


def test_per_word_perplexity_is_comparable_across_tokenizers():
    # The same text and the same total information (nats) under two tokenizers: per token they differ, per
    # word they agree.
    total_nll, words = 1200.0, 500
    before = per_word_perplexity(total_nll / 800, 800, words)
    after = per_word_perplexity(total_nll / 650, 650, words)
    assert before == pytest.approx(after) == pytest.approx(math.exp(total_nll / words))
    assert math.exp(total_nll / 800) != pytest.approx(math.exp(total_nll / 650))
    assert per_character_perplexity(2.0, 100, 400) == pytest.approx(math.exp(0.5))
    with pytest.raises(ValueError):
        per_word_perplexity(1.0, 10, 0)


# ---------------------------------------------------------------------------------------------- CLI
def test_cli_lists_candidates_and_writes_an_extended_model(tiny_model, tmp_path, capsys):
    from transformers import AutoModelForMaskedLM, AutoTokenizer

    corpus = tmp_path / "domain.txt"
    corpus.write_text("\n\n".join(_planted_corpus(times=150)) + "\n", encoding="utf-8")
    assert main(["vocab", "--corpus", str(corpus), "--model", str(tiny_model), "--top", "5", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed["candidates"]) == 5 and listed["candidates"][0]["word"] == PLANTED

    out = tmp_path / "extended"
    assert main(["vocab", "--corpus", str(corpus), "--model", str(tiny_model), "--top", "3", "--add", "2",
                 "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert PLANTED in printed and "Tokens per word" in printed
    tok = AutoTokenizer.from_pretrained(out)
    m = AutoModelForMaskedLM.from_pretrained(out)
    assert len(tok(PLANTED, add_special_tokens=False)["input_ids"]) == 1
    assert m.get_input_embeddings().weight.shape[0] == len(tok)


def test_cli_add_needs_an_output_folder(tiny_model, tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("some text here\n", encoding="utf-8")
    assert main(["vocab", "--corpus", str(corpus), "--model", str(tiny_model), "--add", "3"]) == 2
    assert "--output" in capsys.readouterr().err


def test_a_byte_level_bpe_tokenizer_gets_added_tokens_and_a_grown_matrix():
    """Not BERT: no WordPiece vocabulary to extend, so the words become added tokens (whole words only)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast, RobertaConfig, RobertaForMaskedLM

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    bpe.train_from_iterator(_texts(), trainers.BpeTrainer(
        vocab_size=600, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"]))
    tok = PreTrainedTokenizerFast(tokenizer_object=bpe, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
                                  unk_token="<unk>", mask_token="<mask>")
    torch.manual_seed(0)
    model = RobertaForMaskedLM(RobertaConfig(vocab_size=len(tok), hidden_size=32, num_hidden_layers=1,
                                             num_attention_heads=2, intermediate_size=64,
                                             max_position_embeddings=64))
    old = model.get_input_embeddings().weight.detach().clone()
    pieces = tok(PLANTED, add_special_tokens=False)["input_ids"]
    mined = mine_vocabulary(_planted_corpus(times=150), tok, top=3)
    assert mined[0].word == PLANTED and mined[0].count == 150  # shown without the byte-level space mark "Ġ"
    change = extend_vocabulary(model, tok, [mined[0].word])
    new_id = change.added[PLANTED]
    assert change.reused_unused_slots == 0 and change.added_tokens == [PLANTED]
    assert model.get_input_embeddings().weight.shape[0] == len(old) + 1 == len(change.tokenizer)
    text = f"the {PLANTED} is {PLANTED}s"
    ids = change.tokenizer(text, add_special_tokens=False)["input_ids"]
    assert ids.count(new_id) == 1 and change.tokenizer.decode(ids) == text
    torch.testing.assert_close(model.get_input_embeddings().weight[new_id], old[pieces].mean(0))
    assert model.get_output_embeddings().weight is model.get_input_embeddings().weight


def test_cli_names_a_missing_general_file(tiny_model, tmp_path, capsys):
    corpus = tmp_path / "c.txt"
    corpus.write_text("some text here\n", encoding="utf-8")
    missing = tmp_path / "general.txt"
    assert main(["vocab", "--corpus", str(corpus), "--model", str(tiny_model), "--general", str(missing)]) == 2
    assert "general.txt" in capsys.readouterr().err


def test_a_google_style_vocab_txt_folder_reuses_its_unused_entries(tiny_model, tmp_path):
    """Google's checkpoints list [unused…] only in vocab.txt (not as added tokens); reuse works there too."""
    import shutil

    from transformers import AutoTokenizer, BertForPreTraining

    vocab = json.loads((tiny_model / "tokenizer.json").read_text(encoding="utf-8"))["model"]["vocab"]
    folder = tmp_path / "google-style"
    folder.mkdir()
    for name in ("config.json", "model.safetensors"):
        shutil.copy(tiny_model / name, folder / name)
    (folder / "vocab.txt").write_text("".join(f"{t}\n" for t, _ in sorted(vocab.items(), key=lambda kv: kv[1])),
                                      encoding="utf-8")
    (folder / "tokenizer_config.json").write_text(json.dumps({"do_lower_case": True}), encoding="utf-8")
    tok = AutoTokenizer.from_pretrained(folder)
    assert not any(t.content.startswith("[unused") for t in tok.added_tokens_decoder.values())
    model = BertForPreTraining.from_pretrained(folder)
    change = extend_vocabulary(model, tok, [PLANTED, "数据库"])
    assert change.reused_unused_slots == 2 and model.get_input_embeddings().weight.shape[0] == len(vocab)
    for word, i in change.added.items():
        assert change.tokenizer(word, add_special_tokens=False)["input_ids"] == [i]
        assert tok.convert_ids_to_tokens(i).startswith("[unused")
