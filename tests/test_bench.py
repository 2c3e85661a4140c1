"""The training benchmark: its tutorial baseline behaves as described, FLOPs add up, and ``bertgui bench`` runs end
to end on tiny sizes and prints one JSON line with sane figures. (Not a timed test: speeds are not asserted.)"""

from __future__ import annotations

import json
import random
import shutil

import pytest

from bertgui.bench.flops import BertShape, gpu_bf16_peak, step_flops


def test_tutorial_pairs_follow_the_recipe():
    from bertgui.bench.tutorial_loop import make_pairs

    paragraphs = ["One. Two. Three", "Lonely sentence", "Alpha. Beta", ""]
    a, b, labels = make_pairs(paragraphs * 50, random.Random(0))
    assert len(a) == len(b) == len(labels) == 100  # only paragraphs with more than one sentence
    bag = {s for p in paragraphs for s in p.split(".") if s}
    nexts = {"One": " Two", " Two": " Three", "Alpha": " Beta"}
    for sa, sb, lab in zip(a, b, labels, strict=True):
        assert sa in nexts
        if lab == 0:
            assert sb == nexts[sa]
        else:
            assert sb in bag
    assert 20 < sum(labels) < 80


def test_tutorial_masks_once_and_labels_every_position(tiny_model):
    import torch
    from transformers import AutoTokenizer

    from bertgui.bench.tutorial_loop import build_inputs

    tok = AutoTokenizer.from_pretrained(tiny_model)
    paragraphs = ["The cat sat on the mat. The dog barked at it. Then all was quiet again."] * 40
    inputs = build_inputs(tok, paragraphs, 64, seed=1)
    ids, labels = inputs["input_ids"], inputs["labels"]
    assert ids.shape == labels.shape == (40, 64)  # every pair padded to max_length
    masked = ids == tok.mask_token_id
    assert masked.any()
    special = torch.isin(labels, torch.tensor([tok.cls_token_id, tok.sep_token_id, tok.pad_token_id]))
    assert not (masked & special).any()
    assert torch.equal(ids[~masked], labels[~masked])  # labels: a copy of all ids, padding included
    assert (labels == tok.pad_token_id).any()
    share = masked.sum().item() / (~special).sum().item()
    assert 0.08 < share < 0.22
    again = build_inputs(tok, paragraphs, 64, seed=1)
    assert torch.equal(again["input_ids"], ids)  # made once, deterministically


def test_flop_count_adds_up():
    shape = BertShape(layers=2, hidden=64, intermediate=256, vocab=1000)
    assert shape.encoder_matmul_params == 2 * (4 * 64 * 64 + 2 * 64 * 256)
    base = step_flops(shape, tokens=100, lengths_sq_sum=0, decoded=0, sequences=0)
    assert base == 6 * shape.encoder_matmul_params * 100
    more = step_flops(shape, tokens=100, lengths_sq_sum=100 * 100, decoded=15, sequences=1)
    assert more - base == 12 * 2 * 64 * 100 * 100 + 6 * shape.mlm_head_params * 15 + 6 * shape.pooler_nsp_params


def test_gpu_peak_lookup():
    assert gpu_bf16_peak("NVIDIA H100 80GB HBM3") == pytest.approx(989e12)
    assert gpu_bf16_peak("NVIDIA H100 PCIe") == pytest.approx(756e12)
    assert gpu_bf16_peak("NVIDIA A100-SXM4-40GB") == pytest.approx(312e12)
    assert gpu_bf16_peak("Some Future Card") is None


def test_vocabulary_padding_keeps_tokenization(tiny_model, tmp_path):
    from transformers import AutoConfig, AutoTokenizer

    from bertgui.bench.bench_model import pad_vocabulary

    folder = tmp_path / "m"
    shutil.copytree(tiny_model, folder)
    before = AutoTokenizer.from_pretrained(folder)("The lambda expression yields a value.", "Second part").input_ids
    assert pad_vocabulary(folder, 2500) == 2500
    tok = AutoTokenizer.from_pretrained(folder)
    assert len(tok) == 2500
    assert AutoConfig.from_pretrained(folder).vocab_size == 2500
    assert tok("The lambda expression yields a value.", "Second part").input_ids == before


def test_bench_command_prints_one_json_line(tiny_model, sample_corpus, capsys):
    from bertgui.cli import main

    argv = ["bench", "--model", str(tiny_model), "--corpus", str(sample_corpus), "--max-seq-length", "64",
            "--batch-size", "4", "--steps", "2", "--warmup", "1", "--threads", "1", "--matmul-size", "256",
            "--gpu", "off", "--json"]
    assert main(argv) == 0
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.strip()]
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert out.get("errors") is None, out.get("errors")
    for key in ("tokens_per_s_a", "tokens_per_s_b", "tokens_per_s_ratio", "padding_share_a", "padding_share_b",
                "peak_rss_a_bytes", "peak_rss_b_bytes", "peak_rss_ratio", "flops_per_s_b", "matmul_flops_per_s",
                "compute_efficiency_b", "targets"):
        assert key in out, key
    assert out["tokens_per_s_a"] > 0 and out["tokens_per_s_b"] > 0 and out["tokens_per_s_ratio"] > 0
    assert 0 <= out["padding_share_a"] <= 1 and 0 <= out["padding_share_b"] <= 1
    assert out["padding_share_a"] > out["padding_share_b"]  # fixed 64-token padding vs per-batch padding
    assert out["peak_rss_a_bytes"] > 50 * 2**20 and out["peak_rss_b_bytes"] > 50 * 2**20
    assert out["peak_rss_ratio"] > 0
    assert out["matmul_flops_per_s"] > 1e8
    # the efficiency is the counted training FLOP rate over the measured matmul rate, nothing else
    assert out["compute_efficiency_b"] == pytest.approx(out["flops_per_s_b"] / out["matmul_flops_per_s"],
                                                        rel=1e-3, abs=1e-4)
    assert out["flops_per_s_b"] > 0
    assert out["tutorial"]["steps"] == out["ours"]["steps"] == 2
    assert out["ours"]["decoded_positions"] < out["ours"]["real_tokens"]  # masked-only decoder
    assert out["tutorial"]["decoded_positions"] == out["tutorial"]["positions"]


def test_group_texts_cuts_full_blocks_across_documents():
    from bertgui.bench.recipe_loop import group_texts

    docs = {"input_ids": [[1, 2, 3], [4, 5], [6, 7, 8, 9, 10]], "attention_mask": [[1] * 3, [1] * 2, [1] * 5]}
    out = group_texts(docs, 4)
    assert out["input_ids"] == [[1, 2, 3, 4], [5, 6, 7, 8]]  # documents run into each other; the tail is dropped
    assert out["attention_mask"] == [[1] * 4] * 2


def test_recipe_contender_trains_full_blocks(tiny_model, sample_corpus):
    from bertgui.bench.recipe_loop import run
    from bertgui.bench.spec import RunSpec

    r = run(RunSpec(kind="recipe", model=str(tiny_model), corpus=str(sample_corpus), max_seq_length=64,
                    batch_size=4, steps=2, warmup=1, threads=1))
    assert r.steps == 2 and r.seconds > 0
    assert r.real_tokens == r.positions == 2 * 4 * 64  # group_texts: no padding, every block full
    assert r.decoded == r.positions  # the stock MLM loss decodes every position
    assert r.final_loss is not None and r.final_loss > 0


@pytest.mark.slow
def test_bench_recipe_prints_the_side_by_side_ratios(tiny_model, sample_corpus, capsys):
    from bertgui.cli import main

    argv = ["bench", "--model", str(tiny_model), "--corpus", str(sample_corpus), "--max-seq-length", "64",
            "--batch-size", "4", "--steps", "2", "--warmup", "1", "--threads", "1", "--matmul-size", "256",
            "--gpu", "off", "--skip-tutorial", "--recipe", "--json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert out.get("errors") is None, out.get("errors")
    recipe, mlm, nsp, vs = out["recipe"], out["ours_mlm_only"], out["ours"], out["vs_recipe"]
    assert recipe["padding_share"] == 0 and recipe["real_tokens"] == 2 * 4 * 64
    assert vs["mlm_only_over_recipe"] == pytest.approx(mlm["tokens_per_s"] / recipe["tokens_per_s"], rel=1e-2)
    assert vs["mlm_nsp_over_recipe"] == pytest.approx(nsp["tokens_per_s"] / recipe["tokens_per_s"], rel=1e-2)
    assert vs["mlm_nsp_over_mlm_only"] == pytest.approx(nsp["tokens_per_s"] / mlm["tokens_per_s"], rel=1e-2)
    assert set(vs["targets"]) == {"mlm_only_over_recipe>=4", "mlm_nsp_over_mlm_only>=1",
                                  "compute_efficiency_mlm_only>=0.6"}


def test_recipe_comparison_sets_bf16_beside_the_targets_without_changing_them():
    """With our engine in bf16 the like-for-like ratios (against the recipe with --bf16, the bf16 matmul rate) are
    printed beside the targets, which stay judged against the script's default fp32 and the fp32 matmul rate."""
    from bertgui.bench.harness import recipe_comparison
    from bertgui.bench.spec import RunResult

    def result(tokens: int, flops: int, precision: str) -> RunResult:
        return RunResult(kind="x", steps=20, seconds=10.0, real_tokens=tokens, positions=tokens, decoded=tokens,
                         flops=flops, peak_rss_bytes=1, threads=2, device="cpu", extra={"precision": precision})

    recipe, recipe_bf16 = result(4_000, 300 * 10**9, "fp32"), result(5_000, 375 * 10**9, "bf16")
    mlm, nsp = result(18_000, 700 * 10**9, "bf16"), result(19_000, 720 * 10**9, "bf16")
    vs = recipe_comparison(recipe, mlm, nsp, 100e9, recipe_bf16=recipe_bf16, matmul_bf16=400e9)["vs_recipe"]
    assert vs["mlm_only_over_recipe"] == 4.5 and vs["compute_efficiency_mlm_only"] == 0.7
    same = vs["like_for_like_bf16"]
    assert same["mlm_only_over_recipe_bf16"] == 3.6 and same["recipe_bf16_over_recipe"] == 1.25
    assert same["compute_efficiency_mlm_only_vs_bf16_matmul"] == 0.175
    assert vs["targets"] == {"mlm_only_over_recipe>=4": True, "mlm_nsp_over_mlm_only>=1": True,
                             "compute_efficiency_mlm_only>=0.6": True}
    plain = recipe_comparison(recipe, mlm, nsp, 100e9)["vs_recipe"]
    assert "like_for_like_bf16" not in plain
