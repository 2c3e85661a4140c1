"""The ``bertgui`` command: no arguments opens the window; subcommands run the same core headless.

Every subcommand lives in its own module under ``bertgui.commands`` with ``NAME``, ``HELP``,
``add_arguments(parser)`` and ``run(args) -> int``. Errors a person can act on print as one line (plus advice) on
stderr with a non-zero exit; ``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import traceback

from bertgui import __version__
from bertgui.errors import BertguiError

COMMAND_MODULES = [
    "bertgui.commands.new_model",
    "bertgui.commands.bench",
    "bertgui.commands.vocab",
    "bertgui.commands.preview",
    "bertgui.commands.train",
    "bertgui.commands.eval",
    "bertgui.commands.probe",
    "bertgui.commands.runs",
    "bertgui.commands.export",
]

EXIT_ERROR = 2
EXIT_UNEXPECTED = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bertgui",
        description="Continue pre-training a BERT model on your own text (masked language modelling and next "
                    "sentence prediction). Without a subcommand, opens the window.",
    )
    parser.add_argument("--version", action="version", version=f"bertgui {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    parser.add_argument("--install-shortcut", action="store_true",
                        help="put bertgui in the desktop's application menu (Linux: ~/.local/share/applications)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(name)
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        p.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help="show full tracebacks on errors")
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    debug = getattr(args, "debug", False)
    try:
        if args.command is None and args.install_shortcut:
            from bertgui.commands.shortcut import run_install

            return run_install()
        if args.command is None:
            from bertgui.gui.app import run_app  # Qt is imported only here

            return run_app()
        return int(args._run(args) or 0)
    except BertguiError as exc:
        if debug:
            traceback.print_exc()
        print(f"bertgui: error: {exc.message}", file=sys.stderr)
        if exc.advice:
            print(f"  {exc.advice}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("bertgui: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one clear line, not a traceback
        if debug:
            traceback.print_exc()
        print(f"bertgui: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print("  Run again with --debug for the full traceback, and report it if it persists.", file=sys.stderr)
        return EXIT_UNEXPECTED


if __name__ == "__main__":
    raise SystemExit(main())
