"""Python's cycle collector runs on the GUI thread only, while the window lives.

WHY: a Qt widget caught in a Python reference cycle is destroyed by whichever thread happens to run the collector.
When that is a worker (the engine's thread: accelerate calls ``gc.collect()`` when training starts, and any
allocation can trigger an automatic collection), the widget's C++ destructor runs off the GUI thread and waits
for the GIL that the GUI thread holds while it waits on Qt: the window freezes for good (seen in the end-to-end
test: the training thread stuck in ``gc.collect`` → ``QObject::~QObject`` → ``GilState::acquire``). So the
automatic collector is switched off and the same thresholds are checked from a timer on the GUI thread; and right
before a worker starts, the GUI thread collects, so the worker's own explicit collections find no widget.
This is the pattern PyQt applications use for the same reason (a GUI-thread garbage collector).
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 500
# A stopgap, see keep_singletons_alive: an unidentified C extension over-releases None, True and False while the
# window trains or previews (measured: about 40 references of None per training step, up to 5 000 a second).
KEEP_LOW = 200_000
KEEP_TOP_UP = 100_000
_holders = 0  # windows that switched the automatic collector off (tests open several in turn)


def collect_now() -> None:
    """A full collection on the calling thread (call it on the GUI thread before starting a worker)."""
    gc.collect()


class GuiThreadCollector(QObject):
    """Owns the switch-off of the automatic collector; ``stop()`` gives it back (the window's closeEvent)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        global _holders
        self._active = True
        if _holders == 0:
            self._was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        """Collect the generation whose threshold is passed, as the automatic collector would."""
        keep_singletons_alive()
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        global _holders
        if not self._active:
            return
        self._active = False
        self.timer.stop()
        _holders = max(0, _holders - 1)
        if _holders == 0:
            gc.collect()
            gc.enable()


def keep_singletons_alive() -> int:
    """Raise the reference counts of None, True and False when they run low; returns how many were added.

    WHY: in the window, training and the preview drive the reference counts of these singletons down (an
    over-release somewhere in a C extension, found while testing this release and not yet pinned down: it is not in
    our Python, nor in the engine run without the window). When a count reaches zero CPython aborts ("deallocating
    None"), also at exit when the objects that hold the over-released references are destroyed. The added references
    are never given back, so exit is safe too. From Python 3.12 these objects are immortal and nothing is done.
    """
    if sys.version_info >= (3, 12):
        return 0
    import ctypes

    added = 0
    for obj in (None, True, False):
        if sys.getrefcount(obj) < KEEP_LOW:
            ctypes.c_ssize_t.from_address(id(obj)).value += KEEP_TOP_UP  # ob_refcnt, the object's first field
            added += KEEP_TOP_UP
    return added
