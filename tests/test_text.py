"""Core sentences carry their template (bertgui.text) through copies and through the --json event lines."""

from __future__ import annotations

import copy
import dataclasses
import json
import pickle

from bertgui.events import Failed, Progress, event_from_dict, event_to_dict
from bertgui.text import Text, text


def test_text_is_the_formatted_str_and_keeps_its_template() -> None:
    t = text("{0:,} of {1} documents", 12345, "all")
    assert t == "12,345 of all documents" and isinstance(t, str)
    assert (t.template, t.args) == ("{0:,} of {1} documents", (12345, "all"))
    for clone in (copy.deepcopy(t), pickle.loads(pickle.dumps(t)),
                  dataclasses.asdict(Failed(t))["message"]):
        assert isinstance(clone, Text) and clone == t and clone.template == t.template and clone.args == t.args


def test_json_event_lines_carry_the_template_back() -> None:
    failed = Failed(text("The GPU ran out of memory at step {0}.", 5), text("Lower it."), kind="oom", step=5)
    line = json.dumps(event_to_dict(failed))
    back = event_from_dict(json.loads(line))
    assert back == failed
    assert isinstance(back.message, Text) and back.message.template == "The GPU ran out of memory at step {0}."
    plain = event_from_dict(json.loads(json.dumps(event_to_dict(Progress("model", 0, 0, "plain")))))
    assert type(plain.message) is str
    forged = {"event": "failed", "message": "something else", "message_i18n": ["The GPU ran out of memory at step "
                                                                               "{0}.", 5]}
    assert type(event_from_dict(forged).message) is str  # a template that disagrees with the line is ignored


def test_no_function_hides_text_behind_a_local_name() -> None:
    """A parameter or variable called ``text`` in a function that calls ``text(…)`` would break that call."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "bertgui"
    problems = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for fn in ast.walk(tree):
            if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                continue
            calls = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "text"
                        for n in ast.walk(fn))
            args = fn.args
            params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
            stores = {n.id for n in ast.walk(fn) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            if calls and "text" in params | stores:
                problems.append(f"{path.relative_to(root.parent)}:{fn.lineno}")
    assert not problems, problems
