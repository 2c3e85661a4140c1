"""A Chinese corpus end to end: sentences, a GBK file, jieba whole words in the preview, statistics, vocabulary
mining, a short training run through the engine and an export that stock ``transformers`` loads.

The corpus is written here (medicine in UTF-8, law in GBK), and the tiny model's WordPiece vocabulary is learnt on
it with ``bertgui.model.new.create_model`` — character-level for Chinese, as Google's Chinese BERT is — so the test
needs no download. Whole-word masking must take every character of a jieba word together (Chinese-BERT-wwm).
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import pytest
import torch

from bertgui.config import RunConfig

MEDICINE = [
    "高血压是最常见的慢性病之一，也是心脑血管疾病最重要的危险因素。我国成人高血压患病率接近百分之三十；然而知晓率、"
    "治疗率和控制率仍然偏低。多数患者早期没有明显症状，往往在体检时才被发现。因此，成年人应当定期测量血压！"
    "医生常说：“高血压是无声的杀手。”",
    "糖尿病患者需要长期监测血糖。饮食控制和规律运动是治疗的基础；必要时还要口服降糖药或注射胰岛素。患者常常问："
    "“血糖降到多少才算正常？”一般来说，空腹血糖应控制在七毫摩尔每升以下。血糖波动过大同样有害……所以要避免暴饮暴食。",
    "抗生素只对细菌感染有效，对病毒引起的感冒没有作用。滥用抗生素会导致细菌产生耐药性。医生开具处方前，"
    "应当明确感染的病原体。患者不应自行购买和服用抗生素；更不能症状一好转就擅自停药。",
    "冠心病的典型症状是胸痛，常在劳累或情绪激动时发作。疼痛多位于胸骨后方，可以放射到左肩和左臂。休息或含服硝酸甘油后，"
    "症状通常在几分钟内缓解。如果胸痛持续超过二十分钟，应立即拨打急救电话！心肌梗死的救治越早越好。",
]
LAW = [
    "合同是民事主体之间设立、变更、终止民事法律关系的协议。依法成立的合同，对当事人具有法律约束力。当事人应当按照约定"
    "全面履行自己的义务；不得擅自变更或者解除合同。一方违约的，应当承担继续履行、采取补救措施或者赔偿损失等违约责任。",
    "劳动者享有平等就业和选择职业的权利。用人单位应当与劳动者订立书面劳动合同。用人单位自用工之日起超过一个月不满一年"
    "未与劳动者订立书面劳动合同的，应当向劳动者每月支付二倍的工资。劳动者问：“试用期可以不签合同吗？”答案是否定的。",
    "民事诉讼的时效期间一般为三年。诉讼时效期间自权利人知道或者应当知道权利受到损害以及义务人之日起计算。"
    "超过诉讼时效的，义务人可以提出不履行义务的抗辩……但是义务人自愿履行的，不得请求返还。",
    "消费者在购买商品时享有知情权和自主选择权。经营者提供商品或者服务有欺诈行为的，应当按照消费者的要求增加赔偿其受到的"
    "损失。增加赔偿的金额为消费者购买商品的价款的三倍！经营者不得以格式条款排除或者限制消费者的权利。",
]
CJK = re.compile(r"[\u4e00-\u9fff]")
SELECTED = {"masked", "random", "kept"}


@pytest.fixture(autouse=True)
def _one_thread() -> None:
    torch.set_num_threads(1)


@pytest.fixture(scope="module")
def zh_corpus(tmp_path_factory) -> list[str]:
    """Two files, documents separated by blank lines: medicine in UTF-8, law in GBK (common for Chinese text)."""
    folder = tmp_path_factory.mktemp("zh_corpus")
    medicine, law = folder / "医学.txt", folder / "法律.txt"
    medicine.write_text("\n\n".join(MEDICINE) + "\n", encoding="utf-8")
    law.write_bytes(("\n\n".join(LAW) + "\n").encode("gbk"))
    return [str(medicine), str(law)]


@pytest.fixture(scope="module")
def zh_model(tmp_path_factory, zh_corpus) -> Path:
    from bertgui.model.new import NewModelSpec, create_model

    out = tmp_path_factory.mktemp("zh_models") / "tiny-zh-bert"
    return create_model(zh_corpus, out, NewModelSpec(layers=2, hidden=64, vocab_size=600, seed=1))


@pytest.fixture(scope="module")
def zh_tokenizer(zh_model):
    from bertgui.model.loading import load_tokenizer, resolve_model

    return load_tokenizer(resolve_model(str(zh_model)))


@pytest.fixture(scope="module")
def zh_sample(zh_corpus, zh_tokenizer):
    pytest.importorskip("jieba")
    from bertgui.data.preview import open_sample

    return open_sample(zh_corpus, zh_tokenizer, chinese_words=True)


def _words(corpus, tokenizer, sentence: int) -> list[str]:
    """The words of one sentence as whole-word masking groups them: a word starts where word_start is 1."""
    lo, hi = corpus.sent_offsets[sentence], corpus.sent_offsets[sentence + 1]
    pieces = tokenizer.convert_ids_to_tokens(corpus.tokens[lo:hi].tolist())
    words: list[str] = []
    for piece, start in zip(pieces, corpus.word_start[lo:hi], strict=True):
        piece = piece.removeprefix("##")
        if start or not words:
            words.append(piece)
        else:
            words[-1] += piece
    return words


# ---------------------------------------------------------------------------------------------- reading
def test_sentences_split_on_chinese_punctuation_and_closing_quotes():
    from bertgui.data.sentences import split_sentences

    first = split_sentences(MEDICINE[0])
    assert first[0] == "高血压是最常见的慢性病之一，也是心脑血管疾病最重要的危险因素。"
    assert "我国成人高血压患病率接近百分之三十；" in first  # ；
    assert "因此，成年人应当定期测量血压！" in first  # ！
    assert first[-1] == "医生常说：“高血压是无声的杀手。”"  # the closing quote stays with its sentence
    second = split_sentences(MEDICINE[1])
    assert "血糖波动过大同样有害……" in second  # …… followed by more text
    assert "所以要避免暴饮暴食。" in second
    assert "".join(second) == MEDICINE[1]  # nothing lost or added
    assert sum(len(split_sentences(d)) for d in MEDICINE + LAW) >= 35


def test_gbk_file_loads_as_documents(zh_corpus):
    from bertgui.data.corpus import iter_documents

    docs = list(iter_documents([zh_corpus[1]], documents="auto"))
    assert [d.text for d in docs] == LAW
    both = list(iter_documents(zh_corpus, documents="auto"))
    assert len(both) == len(MEDICINE) + len(LAW)


def test_vocabulary_is_learnt_on_the_chinese_text(zh_tokenizer):
    pieces = zh_tokenizer.tokenize("高血压患者应当定期测量血压。")
    assert pieces == list("高血压患者应当定期测量血压。")  # character-level for CJK, nothing unknown
    assert zh_tokenizer.unk_token not in zh_tokenizer.tokenize("".join(MEDICINE + LAW))


# ---------------------------------------------------------------------------------------------- preview
def test_whole_word_groups_are_jieba_words(zh_sample, zh_tokenizer):
    import jieba

    from bertgui.data.sentences import split_sentences

    corpus = zh_sample.corpus
    assert corpus.word_segmenter == "jieba"
    assert corpus.n_documents == len(MEDICINE) + len(LAW)
    sentences = [s for d in MEDICINE + LAW for s in split_sentences(d)]
    assert corpus.n_sentences == len(sentences)
    multi = 0
    for i, text in enumerate(sentences):
        expected = [w for w in jieba.lcut(text) if w.strip()]
        assert _words(corpus, zh_tokenizer, i) == expected, text
        multi += sum(len(w) > 1 for w in expected)
    assert multi > 100  # plenty of multi-character words: 高血压, 劳动者, 诉讼时效 …


def test_without_segmentation_each_character_is_a_word(zh_corpus, zh_tokenizer):
    from bertgui.data.preview import open_sample

    plain = open_sample(zh_corpus, zh_tokenizer, chinese_words=False)
    assert plain.corpus.word_segmenter == "tokenizer"
    assert all(len(w) == 1 for i in range(plain.corpus.n_sentences) for w in _words(plain.corpus, zh_tokenizer, i))


def test_no_segmenter_installed_is_said(zh_corpus, zh_tokenizer, monkeypatch):
    from bertgui.data.preview import open_sample
    from bertgui.data.tokenized import CHINESE_SEGMENTER_NOTE

    monkeypatch.setitem(sys.modules, "jieba", None)  # `import jieba` now fails as if it were not installed
    sample = open_sample(zh_corpus, zh_tokenizer)
    assert sample.corpus.word_segmenter == "tokenizer"
    assert CHINESE_SEGMENTER_NOTE in sample.notes


def test_preview_masks_all_characters_of_a_word_together(zh_sample, zh_tokenizer):
    from bertgui.data.preview import preview_masking, preview_pairs

    pairs = preview_pairs(zh_sample.corpus, zh_tokenizer, 6, max_seq_length=64, seed=3)
    assert len(pairs) == 6 and all(CJK.search(p.text_a) and CJK.search(p.text_b) for p in pairs)
    assert {p.label for p in pairs} == {0, 1}  # both "B follows A" and "B is random"
    spaced = re.compile(r"[\u4e00-\u9fff，。；：“”] [\u4e00-\u9fff，。；：“”]")
    assert not any(spaced.search(p.text_a + p.text_b) for p in pairs)  # shown as Chinese is written, no "高 血 压"

    selected_words = multi_selected = 0
    for seed in range(4):
        for preview in preview_masking(zh_sample.corpus, zh_tokenizer, 4, seed=seed, max_seq_length=64,
                                       whole_word=True, mlm_probability=0.2):
            groups: list[list] = []
            for t in preview.tokens:
                if t.kind == "special":
                    continue
                if t.continues_word and groups:
                    groups[-1].append(t)
                else:
                    groups.append([t])
            for group in groups:
                chosen = {t.kind in SELECTED for t in group}
                assert len(chosen) == 1, [(t.token, t.kind) for t in group]  # a word is masked whole or not at all
                if True in chosen:
                    selected_words += 1
                    multi_selected += len(group) > 1
            assert preview.counts.get("masked", 0) > 0
    assert selected_words > 10 and multi_selected > 3


def test_statistics_and_vocabulary_mining_for_chinese(zh_sample, zh_corpus, zh_tokenizer):
    from bertgui.data.preview import corpus_stats
    from bertgui.vocab.report import mine_vocabulary

    stats = corpus_stats(zh_sample.corpus, zh_tokenizer, max_seq_length=64)
    assert stats.documents == 8 and stats.sentences == zh_sample.corpus.n_sentences
    assert stats.word_segmenter == "jieba"
    assert stats.unk_rate == 0.0
    assert stats.words < stats.tokens  # words of several characters
    assert 1.2 < stats.tokens_per_word < 3.0
    assert stats.multi_sentence_documents == 8

    candidates = mine_vocabulary(zh_corpus, zh_tokenizer, top=30, chinese="jieba", min_count=3)
    found = {c.word: c for c in candidates}
    assert "劳动者" in found, list(found)
    assert found["劳动者"].pieces == ["劳", "动", "者"] and found["劳动者"].count == 5
    assert all(len(w) > 1 and CJK.search(w) for w in found)


# ---------------------------------------------------------------------------------------------- train + export
@pytest.mark.slow
def test_short_training_run_and_export(tmp_path, zh_corpus, zh_model):
    pytest.importorskip("jieba")
    from transformers import AutoModelForMaskedLM, AutoTokenizer, pipeline

    from bertgui.data.prepare import prepare_corpus
    from bertgui.engine import train
    from bertgui.events import EvalMetrics, Finished, RunStarted, StepMetrics
    from bertgui.model.loading import load_tokenizer, resolve_model
    from bertgui.results.export import export_model

    config = RunConfig(corpus=zh_corpus, model=str(zh_model), output_dir=str(tmp_path / "run"), max_steps=4,
                       batch_size=4, max_seq_length=64, learning_rate=1e-3, warmup_ratio=0.0, log_every=1,
                       checkpoint_every=100, eval_share=0.25, seed=1, device="cpu", whole_word_masking=True,
                       chinese_word_segmentation=True).validate()
    prepared = prepare_corpus(config, load_tokenizer(resolve_model(str(zh_model))), num_proc=1,
                              cache_dir=tmp_path / "cache")
    assert prepared.train.word_segmenter == "jieba"  # the training data has the same whole words as the preview
    assert prepared.all.n_documents == 8 and prepared.eval is not None and prepared.eval.n_documents == 2

    events: list = []
    result = train(config, events.append, cache_dir=tmp_path / "cache", num_proc=1)
    assert result.failed is None, result.failed
    steps = [e for e in events if isinstance(e, StepMetrics)]
    assert [s.step for s in steps] == [1, 2, 3, 4]
    assert all(math.isfinite(s.loss) and s.nsp_loss is not None for s in steps)
    assert next(e for e in events if isinstance(e, RunStarted)).mode == "mlm+nsp"
    evals = {e.when for e in events if isinstance(e, EvalMetrics)}
    assert {"before", "after"} <= evals
    assert isinstance(events[-1], Finished) and events[-1].step == 4

    target = export_model(result, tmp_path / "导出的模型", config=config)
    target = Path(target)
    for name in ("config.json", "model.safetensors", "README.md"):
        assert (target / name).is_file(), name
    tokenizer = AutoTokenizer.from_pretrained(target)
    model = AutoModelForMaskedLM.from_pretrained(target)
    assert tokenizer.tokenize("高血压") == ["高", "血", "压"]
    fill = pipeline("fill-mask", model=model, tokenizer=tokenizer, device="cpu")
    predictions = fill(f"高血{tokenizer.mask_token}是常见的慢性病。", top_k=5)
    assert len(predictions) == 5 and all(isinstance(p["token_str"], str) and p["token_str"] for p in predictions)
