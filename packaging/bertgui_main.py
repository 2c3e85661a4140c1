"""Entry point of the built (PyInstaller) program: ``bertgui`` itself, and a small ``python -m`` stand-in.

WHY the stand-in: a built program has no Python interpreter beside it, yet bertgui starts helpers as
``sys.executable -m MODULE …`` (the window's torchrun/accelerate launchers, the benchmark's child, torchrun's
own workers: ``-m bertgui train …``). In the build ``sys.executable`` is this program, so it accepts the same
``[-u] [-X opt] -m MODULE args…`` form and runs MODULE as ``__main__``, like the interpreter would.
"""

from __future__ import annotations

import multiprocessing
import runpy
import sys


def module_call(argv: list[str]) -> tuple[str, list[str]] | None:
    """``(module, its argv)`` when ``argv`` (without the program) is an interpreter's ``[-u] [-X o] -m MOD …``."""
    i = 0
    while i < len(argv) and argv[i] in ("-u", "-X", "-B", "-E", "-s", "-I"):
        i += 2 if argv[i] == "-X" else 1
    if i + 1 < len(argv) and argv[i] == "-m":
        return argv[i + 1], argv[i + 2:]
    return None


def main() -> int:
    multiprocessing.freeze_support()  # the data preparation's spawned workers re-enter here
    call = module_call(sys.argv[1:])
    if call is not None:
        module, rest = call
        sys.argv = [sys.executable, *rest]
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return 0
    from bertgui.cli import main as cli_main

    return cli_main()


if __name__ == "__main__":
    raise SystemExit(main())
