"""``bertgui runs``: the runs of a workspace, as the window's Runs page lists them (a table, or one JSON list).

WHY on the command line too: a run started on a server with ``bertgui train`` and one started in the window live in
the same kind of folder; a person on either side should see what each run did without opening the window.
"""

from __future__ import annotations

import argparse
import json
import math

NAME = "runs"
HELP = "List the training runs of a workspace: state, steps, duration, perplexity before and after."


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--workspace", help="folder of run folders (default: $BERTGUI_WORKSPACE or "
                                       "Documents/bertgui-runs)")
    p.add_argument("--json", action="store_true", help="one JSON document: a list with one object per run")


def _ppl(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.2f}"


def _hms(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}"


def row(info) -> list[str]:
    from bertgui.engine.runs import model_name

    change = info.general_change
    return [info.name, info.state, model_name(info.base_model), info.corpus,
            info.mode, f"{info.steps_done}/{info.steps_planned or '?'}", _hms(info.duration_s),
            f"{_ppl(info.perplexity_before)} → {_ppl(info.perplexity_after)}",
            "–" if change is None else f"{change:+.1%}"]


HEADER = ["run", "state", "base model", "corpus", "mode", "steps", "time", "perplexity", "general"]


def run(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from bertgui.engine.runs import default_workspace, list_runs
    from bertgui.errors import ConfigError

    workspace = Path(args.workspace).expanduser() if args.workspace else default_workspace()
    if not workspace.is_dir():
        raise ConfigError(f"The workspace {workspace} does not exist.",
                          "Pass --workspace with the folder that holds your run folders.")
    runs = list_runs(workspace)
    if args.json:
        print(json.dumps([info.to_dict() for info in runs], ensure_ascii=False, indent=1))
        return 0
    if not runs:
        print(f"No runs in {workspace}.", file=sys.stderr)
        return 0
    rows = [HEADER] + [row(r) for r in runs]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADER))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    for info in runs:
        for problem in info.problems:
            print(f"{info.name}: {problem}", file=sys.stderr)
    return 0
