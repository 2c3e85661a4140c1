"""Keeping the computer awake while a run trains: a laptop that suspends after 20 idle minutes stops a run of hours.

WHY here (Qt-free, in the engine's folder): the window and ``bertgui train`` on the command line need the same
thing. Each platform's own way, all released when the run ends or when bertgui dies:

- Linux: ``systemd-inhibit --what=sleep:idle --mode=block cat`` holds a logind "block" lock for as long as its
  ``cat`` reads our pipe; the pipe closes when we stop or when bertgui dies, so the lock never outlives us.
  Without systemd (no ``systemd-inhibit``, or no logind to answer it, as in most containers) nothing is held.
- macOS: ``caffeinate -i -w PID`` keeps the system from idle sleep until this process exits.
- Windows: ``SetThreadExecutionState(ES_CONTINUOUS | ES_SYSTEM_REQUIRED)`` on the calling thread, cleared on stop.

None of them keeps a closed laptop lid from suspending, nor the screen on (only the computer).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

ES_CONTINUOUS = 0x80000000
ES_SYSTEM_REQUIRED = 0x00000001


def _windows_state(flags: int) -> bool:
    import ctypes

    return bool(ctypes.windll.kernel32.SetThreadExecutionState(flags))  # type: ignore[attr-defined]


class KeepAwake:
    """``start()`` holds the platform's "do not sleep" lock (returns how, or "" where it cannot), ``stop()`` drops it.

    The platform calls are parameters so tests can watch them: ``which`` finds programs, ``popen`` starts them,
    ``windows_state`` is Windows' SetThreadExecutionState.
    """

    def __init__(self, reason: str = "A bertgui training run is in progress", *, platform: str = sys.platform,
                 which: Callable[[str], str | None] = shutil.which, popen: Callable[..., Any] = subprocess.Popen,
                 windows_state: Callable[[int], bool] = _windows_state) -> None:
        self.reason = reason
        self.platform = platform
        self.which = which
        self.popen = popen
        self.windows_state = windows_state
        self.process: Any = None
        self.method = ""  # how the lock is held now; "" when it is not

    @property
    def active(self) -> bool:
        return bool(self.method)

    def start(self) -> str:
        if self.active:
            return self.method
        with contextlib.suppress(OSError):
            if self.platform.startswith("linux") or "bsd" in self.platform:
                tool = self.which("systemd-inhibit")
                if tool:
                    self.process = self.popen(
                        [tool, "--what=sleep:idle", "--who=bertgui", f"--why={self.reason}", "--mode=block", "cat"],
                        stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    self.method = "systemd-inhibit"
            elif self.platform == "darwin":
                tool = self.which("caffeinate")
                if tool:
                    self.process = self.popen([tool, "-i", "-w", str(os.getpid())], stdout=subprocess.DEVNULL,
                                              stderr=subprocess.DEVNULL)
                    self.method = "caffeinate"
            elif self.platform == "win32" and self.windows_state(ES_CONTINUOUS | ES_SYSTEM_REQUIRED):
                self.method = "SetThreadExecutionState"
        return self.method

    def holding(self) -> bool:
        """Whether the lock is still held (systemd-inhibit exits at once where no logind answers it)."""
        if self.process is not None and self.process.poll() is not None:
            return False
        return self.active

    def stop(self) -> None:
        process, self.process = self.process, None
        if self.method == "SetThreadExecutionState":
            with contextlib.suppress(OSError):
                self.windows_state(ES_CONTINUOUS)
        self.method = ""
        if process is None:
            return
        with contextlib.suppress(OSError, ValueError):
            if process.stdin is not None:
                process.stdin.close()  # systemd-inhibit's cat ends, and with it the lock
            process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            process.wait(timeout=2)


@contextlib.contextmanager
def keep_awake(reason: str = "A bertgui training run is in progress") -> Iterator[KeepAwake]:
    """``with keep_awake(): train(...)``: the computer does not sleep inside the block (where the platform allows)."""
    lock = KeepAwake(reason)
    lock.start()
    try:
        yield lock
    finally:
        lock.stop()
