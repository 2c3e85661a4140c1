"""The live loss chart: engine events in, a smooth pyqtgraph plot out, however long the run.

Events only append to growing numpy buffers; a 100 ms ``QTimer`` hands the buffers to the curves when something
changed (pyqtgraph's own advice for live plots), with peak downsampling and clip-to-view so a 100 000-step run
redraws as fast as a 100-step one. Smoothing is TensorBoard's debiased exponential moving average, computed
incrementally as points arrive and once over the whole series when the slider moves.

The legend is a row of labels above the plot, not an overlay inside it, so it never covers the curves; it lists
only the series that have points. Before the first point the plot says what will appear there, on fixed axes
(0 to the planned steps, loss 0 to 1) instead of whatever an empty view auto-ranges to.
"""

from __future__ import annotations

import html
import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from bertgui.events import EvalMetrics, StepMetrics

REDRAW_MS = 100
SERIES = ("loss", "mlm", "nsp")
COLOURS = {"loss": "#1a73e8", "mlm": "#e8710a", "nsp": "#188038", "lr": "#80868b", "eval": "#9334e6"}


class Series:
    """A growing float64 buffer (amortised doubling) with an incrementally smoothed copy."""

    def __init__(self, capacity: int = 1024) -> None:
        self.raw = np.empty(capacity)
        self.smooth = np.empty(capacity)
        self.n = 0
        self._ema = 0.0
        self._seen = 0  # finite values folded into the EMA

    def append(self, value: float, weight: float) -> None:
        if self.n == len(self.raw):
            self.raw = np.resize(self.raw, 2 * self.n)
            self.smooth = np.resize(self.smooth, 2 * self.n)
        self.raw[self.n] = value
        self.smooth[self.n] = self._fold(value, weight)
        self.n += 1

    def _fold(self, value: float, weight: float) -> float:
        if not math.isfinite(value):
            return math.nan
        self._seen += 1
        self._ema = self._ema * weight + (1 - weight) * value
        return self._ema / (1 - weight ** self._seen) if weight < 1 else value

    def resmooth(self, weight: float) -> None:
        self._ema, self._seen = 0.0, 0
        for i in range(self.n):
            self.smooth[i] = self._fold(float(self.raw[i]), weight)

    def values(self) -> np.ndarray:
        return self.raw[: self.n]

    def smoothed(self) -> np.ndarray:
        return self.smooth[: self.n]


class LossChart(QWidget):
    """Total, MLM and NSP loss (raw faint, smoothed bold), learning rate on the right axis, eval points."""

    redrawn = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lossChart")
        self._steps = Series()
        self._series = {k: Series() for k in SERIES}
        self._lr = Series()
        self._eval_steps: list[float] = []
        self._eval_loss: list[float] = []
        self._markers: list[pg.InfiniteLine] = []
        self._dirty = False
        self._weight = 0.6
        self.redraw_count = 0

        self.plot = pg.PlotWidget(background="w")
        self.plot.setObjectName("lossPlot")
        item = self.plot.getPlotItem()
        item.showGrid(x=True, y=True, alpha=0.15)
        item.setLabel("bottom", self.tr("step"))
        item.setLabel("left", self.tr("loss"))
        item.setLabel("right", self.tr("learning rate"))
        item.showAxis("right")
        self.curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem]] = {}
        names = {"loss": self.tr("total loss"), "mlm": self.tr("MLM loss"), "nsp": self.tr("NSP loss")}
        for key in SERIES:
            colour = QColor(COLOURS[key])
            faint = QColor(colour)
            faint.setAlpha(60)
            raw = item.plot(pen=pg.mkPen(faint, width=1), connect="finite")
            bold = item.plot(pen=pg.mkPen(colour, width=2.4), connect="finite")
            for c in (raw, bold):
                c.setDownsampling(auto=True, method="peak")
                c.setClipToView(True)
            self.curves[key] = (raw, bold)
        self.eval_points = pg.ScatterPlotItem(size=10, brush=pg.mkBrush(COLOURS["eval"]), pen=pg.mkPen("w"),
                                              symbol="o")
        item.addItem(self.eval_points)

        # Learning rate on its own view box, linked in x, drawn against the right axis.
        self.lr_view = pg.ViewBox()
        item.scene().addItem(self.lr_view)
        item.getAxis("right").linkToView(self.lr_view)
        self.lr_view.setXLink(item)
        self.lr_curve = pg.PlotDataItem(pen=pg.mkPen(COLOURS["lr"], width=1.5, style=Qt.PenStyle.DashLine))
        self.lr_curve.setDownsampling(auto=True, method="peak")
        self.lr_view.addItem(self.lr_curve)
        item.vb.sigResized.connect(self._sync_views)
        self.empty_text = pg.TextItem(self.tr("The loss curves appear here when training starts."),
                                      color="#80868b", anchor=(0.5, 0.5))
        item.addItem(self.empty_text, ignoreBounds=True)
        self.planned_steps = 0

        # The legend: one label per series, shown above the plot once the series has points.
        self.legend_labels: dict[str, QLabel] = {}
        legend_names = {**names, "eval": self.tr("held-out loss"), "lr": self.tr("learning rate (right axis)")}
        self.legend_row = QHBoxLayout()
        self.legend_row.setContentsMargins(4, 0, 4, 0)
        for key in (*SERIES, "eval", "lr"):
            glyph = "●" if key == "eval" else ("╌╌" if key == "lr" else "━━")
            label = QLabel(f"<span style='color:{COLOURS[key]}'>{glyph}</span> {legend_names[key]}")
            label.setObjectName(f"legend_{key}")
            label.hide()
            self.legend_labels[key] = label
            self.legend_row.addWidget(label)
        self.legend_row.addStretch(1)
        self._run_labels: list[QLabel] = []  # comparing runs: one label per run instead of the series

        self.hover_line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#bbbbbb", width=1))
        self.hover_line.setVisible(False)
        item.addItem(self.hover_line, ignoreBounds=True)
        self.plot.scene().sigMouseMoved.connect(self._on_mouse_moved)

        self.smoothing = QSlider(Qt.Orientation.Horizontal)
        self.smoothing.setObjectName("smoothingSlider")
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(int(self._weight * 100))
        self.smoothing.setMaximumWidth(180)
        self.smoothing.setToolTip(self.tr("How strongly the bold curves are smoothed (moving average)."))
        self.smoothing_label = QLabel()
        self.smoothing.valueChanged.connect(self.set_smoothing_percent)
        self.log_scale = QCheckBox(self.tr("Log scale"))
        self.log_scale.setObjectName("logScale")
        self.log_scale.toggled.connect(self.set_log_scale)
        self.save_button = QPushButton(self.tr("Save as PNG…"))
        self.save_button.clicked.connect(self._ask_save)
        self.hover_label = QLabel(self.tr("Move the mouse over the chart to read the values."))
        self.hover_label.setObjectName("hoverLabel")
        self.hover_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Smoothing")))
        bar.addWidget(self.smoothing)
        bar.addWidget(self.smoothing_label)
        bar.addSpacing(12)
        bar.addWidget(self.log_scale)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addLayout(self.legend_row)
        lay.addWidget(self.plot, 1)
        lay.addWidget(self.hover_label)
        self._update_smoothing_label()
        self._show_empty()

        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.flush)
        self.timer.start()

    # ------------------------------------------------------------------ feeding
    def add_step(self, m: StepMetrics) -> None:
        w = self._weight
        self._steps.append(float(m.step), 0.0)
        self._series["loss"].append(float(m.loss), w)
        self._series["mlm"].append(float(m.mlm_loss), w)
        self._series["nsp"].append(math.nan if m.nsp_loss is None else float(m.nsp_loss), w)
        self._lr.append(float(m.learning_rate), 0.0)
        self._dirty = True

    def add_eval(self, m: EvalMetrics) -> None:
        if m.split != "eval":
            return
        self._eval_steps.append(float(m.step))
        self._eval_loss.append(float(m.mlm_loss))
        self._dirty = True

    def mark(self, step: int, text: str, colour: str = "#d93025") -> None:
        """A labelled vertical line (a failed or stopped run)."""
        line = pg.InfiniteLine(pos=step, angle=90, movable=False, pen=pg.mkPen(colour, width=2,
                                                                               style=Qt.PenStyle.DashLine),
                               label=text, labelOpts={"position": 0.9, "color": colour, "fill": "#ffffffcc"})
        self.plot.getPlotItem().addItem(line, ignoreBounds=True)
        self._markers.append(line)

    def clear(self) -> None:
        self._steps = Series()
        self._series = {k: Series() for k in SERIES}
        self._lr = Series()
        self._eval_steps.clear()
        self._eval_loss.clear()
        for line in self._markers:
            self.plot.getPlotItem().removeItem(line)
        self._markers.clear()
        self._dirty = True
        self.flush()

    def set_planned_steps(self, steps: int) -> None:
        """The x axis of an empty chart runs to the planned end, so the first points land where they belong."""
        self.planned_steps = max(0, int(steps))
        if not self.has_points():
            self._show_empty()

    def has_points(self) -> bool:
        return self._steps.n > 0 or bool(self._eval_steps)

    def legend_entries(self) -> list[str]:
        """Keys of the series the legend lists now (those with points)."""
        return [k for k, label in self.legend_labels.items() if not label.isHidden()]

    def _show_empty(self) -> None:
        """Fixed, sensible axes and a sentence, instead of an auto-ranged empty view."""
        item = self.plot.getPlotItem()
        item.vb.disableAutoRange()
        self.lr_view.disableAutoRange()
        right = max(1, self.planned_steps)
        item.vb.setRange(xRange=(0, right), yRange=(0, 1), padding=0)
        self.lr_view.setRange(yRange=(0, 1), padding=0)
        self.empty_text.setPos(right / 2, 0.5)
        self.empty_text.setVisible(True)

    # ------------------------------------------------------------------ comparing runs
    def set_run_legend(self, entries: list[tuple[str, str]]) -> None:
        """Comparing runs (the caller draws their curves): the legend names the runs, the view fits the curves."""
        self.clear_run_legend()
        for label in self.legend_labels.values():
            label.hide()
        for name, colour in entries:
            label = QLabel(f"<span style='color:{colour}'>━━</span> {html.escape(name)}")
            label.setObjectName("legend_run")
            self.legend_row.insertWidget(self.legend_row.count() - 1, label)
            self._run_labels.append(label)
        if entries:
            self.empty_text.setVisible(False)
            self.plot.getPlotItem().vb.enableAutoRange()

    def clear_run_legend(self) -> None:
        for label in self._run_labels:
            self.legend_row.removeWidget(label)
            label.deleteLater()
        self._run_labels.clear()

    def run_legend(self) -> list[str]:
        """The run names the legend lists while comparing (empty otherwise)."""
        return [label.text().split("</span> ", 1)[-1] for label in self._run_labels]

    def point_count(self) -> int:
        return self._steps.n

    def markers(self) -> list[str]:
        return [line.label.toPlainText() for line in self._markers if line.label is not None]

    # ------------------------------------------------------------------ drawing
    def flush(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        self.redraw_count += 1
        if self.has_points() and self.empty_text.isVisible():  # the first points: the view follows the data now
            self.empty_text.setVisible(False)
            self.plot.getPlotItem().vb.enableAutoRange()
            self.lr_view.enableAutoRange()
        x = self._steps.values()
        for key, (raw, bold) in self.curves.items():
            s = self._series[key]
            has_data = bool(np.isfinite(s.values()).any()) if s.n else False
            raw.setVisible(has_data)
            bold.setVisible(has_data)
            if has_data:
                raw.setData(x, s.values())
                bold.setData(x, s.smoothed())
            else:
                raw.setData([], [])
                bold.setData([], [])
        self.lr_curve.setData(x, self._lr.values())
        self.eval_points.setData(self._eval_steps, self._eval_loss)
        shown = {key: bold.isVisible() for key, (_raw, bold) in self.curves.items()}
        shown["eval"] = bool(self._eval_steps)
        shown["lr"] = self._lr.n > 0
        for key, label in self.legend_labels.items():
            label.setVisible(shown[key])
        if not self.has_points():
            self._show_empty()
        self.redrawn.emit()

    def _sync_views(self) -> None:
        vb = self.plot.getPlotItem().vb
        self.lr_view.setGeometry(vb.sceneBoundingRect())
        self.lr_view.linkedViewChanged(vb, self.lr_view.XAxis)

    def set_smoothing_percent(self, value: int) -> None:
        self._weight = max(0.0, min(0.99, value / 100))
        for s in self._series.values():
            s.resmooth(self._weight)
        self._update_smoothing_label()
        self._dirty = True
        self.flush()

    def _update_smoothing_label(self) -> None:
        self.smoothing_label.setText(f"{self._weight:.2f}")

    def set_log_scale(self, on: bool) -> None:
        self.plot.getPlotItem().setLogMode(y=on)
        if self.log_scale.isChecked() != on:
            self.log_scale.setChecked(on)

    # ------------------------------------------------------------------ reading values
    def values_at(self, step: float) -> dict[str, float] | None:
        """The logged values nearest to ``step`` (what the hover label shows)."""
        x = self._steps.values()
        if not len(x):
            return None
        i = int(np.clip(np.searchsorted(x, step), 0, len(x) - 1))
        if i > 0 and abs(x[i - 1] - step) < abs(x[i] - step):
            i -= 1
        out = {"step": float(x[i]), "lr": float(self._lr.values()[i])}
        for key in SERIES:
            out[key] = float(self._series[key].values()[i])
            out[key + "_smoothed"] = float(self._series[key].smoothed()[i])
        return out

    def _on_mouse_moved(self, pos: QPointF) -> None:
        vb = self.plot.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(pos):
            self.hover_line.setVisible(False)
            return
        v = self.values_at(vb.mapSceneToView(pos).x())
        if v is None:
            return
        self.hover_line.setPos(v["step"])
        self.hover_line.setVisible(True)
        self.hover_label.setText(self.describe(v))

    def describe(self, v: dict[str, float]) -> str:
        parts = [self.tr("step {0}").format(int(v["step"])),
                 self.tr("total {0:.4f}").format(v["loss"]),
                 self.tr("MLM {0:.4f}").format(v["mlm"])]
        if math.isfinite(v["nsp"]):
            parts.append(self.tr("NSP {0:.4f}").format(v["nsp"]))
        parts.append(self.tr("learning rate {0:.3g}").format(v["lr"]))
        return "   ·   ".join(parts)

    # ------------------------------------------------------------------ saving
    def save_png(self, path: str) -> bool:
        self.flush()
        return self.plot.grab().save(path, "PNG")

    def _ask_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save chart"), "loss-chart.png",
                                              self.tr("PNG images (*.png)"))
        if path:
            self.save_png(path)
