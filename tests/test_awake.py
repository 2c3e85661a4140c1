"""Keeping the computer awake during a run (engine/awake.py): each platform's call, with the platform replaced."""

from __future__ import annotations

import os

from bertgui.engine.awake import ES_CONTINUOUS, ES_SYSTEM_REQUIRED, KeepAwake


class FakeProcess:
    def __init__(self, args, **kwargs) -> None:
        self.args = args
        self.kwargs = kwargs
        self.stdin = FakeStdin() if kwargs.get("stdin") is not None else None
        self.terminated = False
        self.returncode = None

    def poll(self):
        return self.returncode

    def terminate(self) -> None:
        self.terminated = True
        self.returncode = -15

    def wait(self, timeout=None):
        return self.returncode


class FakeStdin:
    closed = False

    def close(self) -> None:
        self.closed = True


def started(platform: str, tools: dict[str, str]) -> tuple[KeepAwake, list[FakeProcess]]:
    made: list[FakeProcess] = []

    def popen(args, **kwargs):
        made.append(FakeProcess(args, **kwargs))
        return made[-1]

    lock = KeepAwake("testing", platform=platform, which=tools.get, popen=popen)
    lock.start()
    return lock, made


def test_linux_holds_a_blocking_logind_lock_on_sleep_and_idle():
    lock, made = started("linux", {"systemd-inhibit": "/usr/bin/systemd-inhibit"})
    args = made[0].args
    assert lock.method == "systemd-inhibit"
    assert args[0] == "/usr/bin/systemd-inhibit"
    assert "--mode=block" in args
    assert "--what=sleep:idle" in args


def test_the_linux_lock_ends_when_bertgui_lets_go():
    lock, made = started("linux", {"systemd-inhibit": "/usr/bin/systemd-inhibit"})
    lock.stop()
    assert made[0].stdin.closed and made[0].terminated
    assert not lock.active


def test_the_linux_lock_is_a_program_that_ends_with_its_pipe():
    """``cat`` on our pipe: if bertgui dies, the pipe closes, cat ends, and systemd-inhibit drops the lock."""
    _lock, made = started("linux", {"systemd-inhibit": "/usr/bin/systemd-inhibit"})
    assert made[0].args[-1] == "cat"
    assert made[0].kwargs["stdin"] is not None


def test_linux_without_systemd_holds_nothing_and_says_so():
    lock, made = started("linux", {})
    assert made == []
    assert lock.method == ""


def test_a_lock_whose_program_exited_is_not_holding():
    lock, made = started("linux", {"systemd-inhibit": "/usr/bin/systemd-inhibit"})
    made[0].returncode = 1  # no logind answered (a container)
    assert not lock.holding()


def test_macos_keeps_the_system_awake_until_this_process_exits():
    lock, made = started("darwin", {"caffeinate": "/usr/bin/caffeinate"})
    assert lock.method == "caffeinate"
    assert made[0].args[1:] == ["-i", "-w", str(os.getpid())]


def test_windows_sets_and_clears_the_thread_execution_state():
    calls: list[int] = []
    lock = KeepAwake(platform="win32", windows_state=lambda flags: calls.append(flags) or True)
    lock.start()
    lock.stop()
    assert calls == [ES_CONTINUOUS | ES_SYSTEM_REQUIRED, ES_CONTINUOUS]


def test_starting_twice_holds_one_lock():
    lock, made = started("linux", {"systemd-inhibit": "/usr/bin/systemd-inhibit"})
    lock.start()
    assert len(made) == 1
