"""The probe: it tells a model whose vectors separate the labels from one whose vectors do not, and says so.

Synthetic vectors stand in for two models on the same labelled examples: "sorted" puts each label's examples
around their own centre, "blind" draws them all from one cloud. The probe must score "sorted" well above guessing,
"blind" near guessing, and call the difference beyond the noise — and two equal models not.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from bertgui.data.labelled import LabelledSet
from bertgui.results.probe import report, run_probe

LABELS = ("contract", "invoice", "letter")


def labelled(per_label: int = 40) -> LabelledSet:
    labels = [label for label in LABELS for _ in range(per_label)]
    return LabelledSet(texts=[f"text {i}" for i in range(len(labels))], labels=labels)


def vectors(data: LabelledSet, *, separated: bool, seed: int = 0, scale: float = 3.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(len(data), 32))
    if separated:
        centres = {label: rng.normal(scale=scale, size=32) for label in LABELS}
        x += np.stack([centres[label] for label in data.labels])
    return x


def test_a_model_that_separates_the_labels_beats_one_that_does_not():
    data = labelled()
    out = report([("blind", vectors(data, separated=False), ""), ("sorted", vectors(data, separated=True), "")],
                 data)
    blind, sorted_ = out.scores
    assert sorted_.accuracy > out.majority_share + 0.3
    assert blind.accuracy_ci[0] <= out.majority_share + 0.1  # guessing lies at or near its interval
    comparison = out.comparisons[0]
    assert comparison.beyond_noise and comparison.macro_f1_diff > 0
    assert "better than" in str(out.lines()[-1])


def test_two_equally_blind_models_do_not_differ_beyond_the_noise():
    data = labelled()
    out = report([("a", vectors(data, separated=False, seed=1), ""),
                  ("b", vectors(data, separated=False, seed=2), "")], data)
    low, high = out.comparisons[0].macro_f1_diff_ci
    assert low < 0 < high
    assert not out.comparisons[0].beyond_noise


def test_the_intervals_hold_the_point_estimate():
    data = labelled()
    score = report([("half", vectors(data, separated=True, scale=0.3), "")], data).scores[0]
    assert score.accuracy_ci[0] <= score.accuracy <= score.accuracy_ci[1]
    assert score.macro_f1_ci[0] <= score.macro_f1 <= score.macro_f1_ci[1]
    assert score.accuracy_ci[1] - score.accuracy_ci[0] > 0.01  # 120 examples, neither perfect nor blind: not a point


def test_run_probe_loads_models_and_reports_progress(tiny_model, tmp_path):
    data = LabelledSet(texts=[f"The {w} statement is used {i} times." for w in ("for", "while") for i in range(10)],
                       labels=["for"] * 10 + ["while"] * 10)
    seen = []
    out = run_probe([str(tiny_model), str(tiny_model)], data, folds=5,
                    progress=lambda done, total, message: seen.append((done, total, str(message))))
    assert len(out.scores) == 2
    assert out.comparisons[0].macro_f1_diff == 0.0  # the same model twice: no difference at all
    assert any(total == 20 and done == 20 for done, total, _ in seen)
    json.dumps(out.to_dict())


def test_run_probe_stops_when_cancelled(tiny_model):
    from bertgui.results.probe import ProbeCancelled

    data = labelled(10)
    with pytest.raises(ProbeCancelled):
        run_probe([str(tiny_model)], data, cancelled=lambda: True)


def test_the_cli_prints_json(tiny_model, tmp_path, capsys):
    from bertgui.cli import main

    rows = ["text,label"] + [f"\"The {w} loop number {i}.\",{w}" for w in ("for", "while") for i in range(6)]
    (tmp_path / "l.csv").write_text("\n".join(rows))
    assert main(["probe", "--model", str(tiny_model), "--labels", str(tmp_path / "l.csv"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["examples"] == 12 and data["labels"] == {"for": 6, "while": 6}
    assert 0.0 <= data["scores"][0]["accuracy"] <= 1.0
