"""The live chart: buffered points drawn on a timer, smoothing, eval points, markers, hover values, PNG."""

from __future__ import annotations

import math
import time

import numpy as np

from bertgui.events import EvalMetrics, StepMetrics
from bertgui.gui.widgets.chart import LossChart, Series


def step(i: int, loss: float, nsp: float | None = 0.5) -> StepMetrics:
    return StepMetrics(step=i, total_steps=100, epoch=i / 100, loss=loss, mlm_loss=loss - (nsp or 0.0),
                       nsp_loss=nsp, learning_rate=1e-4 * i / 100, grad_norm=1.0, tokens_per_second=1000.0,
                       real_tokens=100 * i, elapsed_s=float(i), eta_s=float(100 - i))


def test_points_are_buffered_then_drawn_on_the_timer(qtbot):
    chart = LossChart()
    qtbot.addWidget(chart)
    for i in range(1, 6):
        chart.add_step(step(i, 5.0 - i * 0.1))
    assert chart.point_count() == 5
    raw, bold = chart.curves["loss"]
    assert len(raw.getData()[0] if raw.getData()[0] is not None else []) == 0  # not drawn before the timer
    with qtbot.waitSignal(chart.redrawn, timeout=1000):
        pass
    x, y = raw.getData()
    assert list(x) == [1, 2, 3, 4, 5]
    assert np.allclose(y, [4.9, 4.8, 4.7, 4.6, 4.5])
    assert len(chart.lr_curve.getData()[0]) == 5


def test_smoothing_is_a_debiased_moving_average_and_the_slider_recomputes(qtbot):
    chart = LossChart()
    qtbot.addWidget(chart)
    chart.smoothing.setValue(0)
    for i, v in enumerate([4.0, 2.0, 4.0, 2.0], 1):
        chart.add_step(step(i, v))
    chart.flush()
    assert np.allclose(chart.curves["loss"][1].getData()[1], [4.0, 2.0, 4.0, 2.0])  # no smoothing
    chart.smoothing.setValue(50)
    smoothed = chart.curves["loss"][1].getData()[1]
    # EMA with weight .5, debiased: 4, (1+2)/(.75)... computed by hand
    ema, out = 0.0, []
    for k, v in enumerate([4.0, 2.0, 4.0, 2.0], 1):
        ema = 0.5 * ema + 0.5 * v
        out.append(ema / (1 - 0.5 ** k))
    assert np.allclose(smoothed, out)
    assert smoothed[0] == 4.0  # debiased: the first point is not pulled towards zero


def test_mlm_only_runs_hide_the_nsp_curve(qtbot):
    chart = LossChart()
    qtbot.addWidget(chart)
    for i in range(1, 4):
        chart.add_step(step(i, 3.0, nsp=None))
    chart.flush()
    assert not chart.curves["nsp"][1].isVisible()
    assert chart.curves["mlm"][1].isVisible()
    v = chart.values_at(2.2)
    assert v["step"] == 2 and math.isnan(v["nsp"])
    assert "NSP" not in chart.describe(v)


def test_eval_points_markers_log_scale_and_hover_text(qtbot):
    chart = LossChart()
    qtbot.addWidget(chart)
    for i in range(1, 11):
        chart.add_step(step(i, 10.0 / i))
    chart.add_eval(EvalMetrics(step=0, when="before", split="eval", mlm_loss=9.0, perplexity=8103.0,
                               masked_accuracy=0.01))
    chart.add_eval(EvalMetrics(step=10, when="after", split="general", mlm_loss=5.0, perplexity=148.0,
                               masked_accuracy=0.1))
    chart.mark(10, "failed")
    chart.flush()
    assert list(chart.eval_points.getData()[0]) == [0.0]  # only the held-out split of the corpus
    assert chart.markers() == ["failed"]
    chart.log_scale.setChecked(True)
    assert chart.plot.getPlotItem().ctrl.logYCheck.isChecked()
    v = chart.values_at(7.4)
    assert v["step"] == 7 and math.isclose(v["loss"], 10 / 7)
    assert chart.describe(v).startswith("step 7")


def test_save_png(qtbot, tmp_path):
    chart = LossChart()
    qtbot.addWidget(chart)
    chart.resize(600, 400)
    for i in range(1, 20):
        chart.add_step(step(i, 1.0 / i))
    out = tmp_path / "chart.png"
    assert chart.save_png(str(out))
    assert out.stat().st_size > 1000


def test_a_long_run_redraws_quickly(qtbot):
    """100 000 points: appending is O(1) and one redraw stays well under the timer interval."""
    chart = LossChart()
    qtbot.addWidget(chart)
    chart.resize(800, 500)
    chart.show()
    t0 = time.perf_counter()
    for i in range(1, 100_001):
        chart.add_step(step(i, 3.0 + math.sin(i / 500)))
    append_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    chart.flush()
    chart.plot.grab()  # forces the paint with downsampling
    redraw_s = time.perf_counter() - t0
    assert chart.point_count() == 100_000
    assert append_s < 10, append_s
    assert redraw_s < 1.0, redraw_s


def test_series_grows_past_its_capacity():
    s = Series(capacity=2)
    for i in range(10):
        s.append(float(i), 0.0)
    assert list(s.values()) == [float(i) for i in range(10)]
