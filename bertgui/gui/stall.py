"""Measuring how responsive the window stays: a fast QTimer records the longest gap between its ticks.

A 10 ms timer that fires 60 ms late means the event loop was blocked for about 50 ms (a click or a repaint would
have waited that long). Used by the tests during training, and by ``BERTGUI_STALL_REPORT=1`` for a person who
wants to check their own machine.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer


class StallMeter(QObject):
    def __init__(self, interval_ms: int = 10, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.interval_s = interval_ms / 1000
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.worst_s = 0.0
        self.worst_at = 0.0  # perf_counter() when the worst stall ended
        self.ticks = 0
        self._last = 0.0

    def start(self) -> StallMeter:
        self.worst_s, self.ticks = 0.0, 0
        self._last = time.perf_counter()
        self.timer.start()
        return self

    def stop(self) -> float:
        self.timer.stop()
        return self.worst_s

    def _tick(self) -> None:
        now = time.perf_counter()
        stall = now - self._last - self.interval_s
        if stall > self.worst_s:
            self.worst_s, self.worst_at = stall, now
        self._last = now
        self.ticks += 1
