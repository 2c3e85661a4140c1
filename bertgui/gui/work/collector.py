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
# A stopgap, see keep_singletons_alive: PySide6 6.12.0 over-releases True on every signal emission (and None when
# a signal carries None), about 40 references of None per training step in the window.
KEEP_LOW = 200_000
KEEP_TOP_UP = 100_000
_holders = 0  # windows that switched the automatic collector off (tests open several in turn)


_collect = gc.collect  # the interpreter's own


def _gui_thread_only(generation: int = 2) -> int:
    """``gc.collect`` while the window lives: on the GUI (main) thread as ever, elsewhere nothing.

    WHY: ``transformers.Trainer`` calls ``accelerator.free_memory()`` → ``gc.collect()`` on the engine's thread when
    training starts, after minutes of loading, head fitting and measuring during which the GUI thread made new
    garbage; a Qt object in it was destroyed there and the window hung for good (seen in a window run: the engine
    thread in ``clear_device_cache`` → ``gc.collect``, the GUI thread waiting). The GUI thread's timer collects
    what a worker would have.
    """
    import threading

    if threading.current_thread() is threading.main_thread():
        return _collect(generation)
    return 0


def collect_now() -> None:
    """A full collection on the calling thread (call it on the GUI thread before starting a worker)."""
    _collect()


class GuiThreadCollector(QObject):
    """Owns the switch-off of the automatic collector; ``stop()`` gives it back (the window's closeEvent)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        global _holders
        self._active = True
        if _holders == 0:
            self._was_enabled = gc.isenabled()
            gc.disable()
            gc.collect = _gui_thread_only  # explicit collections on a worker (accelerate's) collect nothing
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
            gc.collect = _collect
            gc.collect()
            gc.enable()


_emit_defect: bool | None = None


def emit_overreleases() -> bool:
    """Whether this PySide6 gives back references it never took when a signal is emitted (measured once).

    PySide6 6.12.0 does: ``SignalInstance.emit()`` returns ``True`` without a new reference, so every emission
    takes one reference of ``True`` away, and a connected emission carrying ``None`` loses some of ``None``'s
    (measured: -100 references of True for 100 emissions, -19 of None for 100 emissions of None; 6.11.3: 0 and 0).
    The window emits thousands of signals a minute while it trains, so CPython aborted after about 40 s of a run
    ("bool_dealloc: deallocating True or False"). ``pyproject.toml`` excludes 6.12.0; this check keeps a window
    started with it anyway (another environment, a later release with the same fault) alive.
    """
    global _emit_defect
    if _emit_defect is None:
        before, after = emit_refcounts(20)
        _emit_defect = after[0] < before[0] or after[1] < before[1]
    return _emit_defect


def emit_refcounts(emits: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The reference counts of (True, None) before and after ``emits`` connected emissions of ``None``."""
    from PySide6.QtCore import Signal

    class Probe(QObject):
        fired = Signal(object)

    probe = Probe()
    probe.fired.connect(lambda _value: None)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(emits):
        probe.fired.emit(None)
    after = sys.getrefcount(True), sys.getrefcount(None)
    probe.deleteLater()
    return before, after


def keep_singletons_alive() -> int:
    """Raise the reference counts of None, True and False when they run low; returns how many were added.

    WHY: with a PySide6 whose signals over-release these singletons (:func:`emit_overreleases`), their counts fall
    while the window trains or previews; when one reaches zero CPython aborts ("deallocating None"), also at exit
    when the objects that hold the over-released references are destroyed. The added references are never given
    back, so exit is safe too. Nothing is done with a sound PySide6, or from Python 3.12 (these objects are
    immortal there).
    """
    if sys.version_info >= (3, 12) or not emit_overreleases():
        return 0
    import ctypes

    added = 0
    for obj in (None, True, False):
        if sys.getrefcount(obj) < KEEP_LOW:
            ctypes.c_ssize_t.from_address(id(obj)).value += KEEP_TOP_UP  # ob_refcnt, the object's first field
            added += KEEP_TOP_UP
    return added
