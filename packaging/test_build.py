"""The built program (packaging/build.sh), started headless the way a person's double-click would start it.

Not in ``tests/`` (so not in ``.ci/run``): building takes a quarter of an hour of two cores. Run it with
``bash packaging/check_build.sh`` (builds, then runs this file), or against a finished build with
``BERTGUI_BUILT=build/dist-cpu/bertgui python -m pytest packaging/test_build.py``.
Nothing here imports bertgui: every check runs the built program in a fresh process, with its own home folder.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow, pytest.mark.timeout(3600)]
CRASH = re.compile(r"Traceback|Fatal Python error|Segmentation fault|core dumped|Aborted|ModuleNotFoundError|"
                   r"ImportError|Could not load the Qt platform plugin|bertgui: (unexpected )?error", re.I)


@pytest.fixture(scope="module")
def program() -> Path:
    built = Path(os.environ.get("BERTGUI_BUILT") or ROOT / "build" / "dist-cpu" / "bertgui")
    if not os.environ.get("BERTGUI_BUILT"):
        subprocess.run(["bash", str(ROOT / "packaging" / "build.sh"), "--keep-venv"], check=True, timeout=3600)
    exe = built / "bertgui"
    assert exe.is_file(), f"no built program at {exe}"
    return exe


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("home")


def run(program: Path, home: Path, *args: str, timeout: int = 600, **env: str) -> subprocess.CompletedProcess:
    environ = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_CACHE_HOME": str(home / ".cache"),
               "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local" / "share"),
               "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "LANG": "C.UTF-8",
               "QT_QPA_PLATFORM": "offscreen", **env}
    return subprocess.run([str(program), *args], env=environ, cwd=home, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def corpus(home) -> Path:
    from pydoc_data.topics import topics  # any Python's own English prose: 79 documents

    path = home / "corpus.txt"
    path.write_text("\n\n".join(topics.values()), encoding="utf-8")
    return path


def test_help_lists_the_commands(program, home):
    out = run(program, home, "--help")
    assert out.returncode == 0, out.stderr
    for command in ("new-model", "train", "export", "preview", "eval", "--install-shortcut"):
        assert command in out.stdout


def test_new_model_train_three_steps_and_export(program, home, corpus):
    model = home / "tiny"
    made = run(program, home, "new-model", "--corpus", str(corpus), "--output", str(model), "--layers", "1",
               "--hidden", "32", "--vocab", "800")
    assert made.returncode == 0, made.stderr
    trained = run(program, home, "train", "--corpus", str(corpus), "--model", str(model), "--output",
                  str(home / "run"), "--max-steps", "3", "--batch-size", "8", "--max-seq-length", "48")
    assert trained.returncode == 0, trained.stderr[-3000:]
    assert (home / "run" / "final-model" / "model.safetensors").is_file()
    exported = run(program, home, "export", str(home / "run"), str(home / "exported"))
    assert exported.returncode == 0, exported.stderr
    assert {"config.json", "model.safetensors", "tokenizer.json", "README.md"} <= {
        p.name for p in (home / "exported").iterdir()}
    assert not CRASH.search(made.stderr + trained.stderr + exported.stderr)


def test_torchrun_from_the_window_works_inside_the_built_program(program, home, corpus):
    """The window's launcher runs ``sys.executable -m torch.distributed.run … -m bertgui train``: the built program
    stands in for the interpreter (bertgui_main.py), for torchrun and for its two worker processes."""
    model = home / "tiny-ddp"
    assert run(program, home, "new-model", "--corpus", str(corpus), "--output", str(model), "--layers", "1",
               "--hidden", "32", "--vocab", "800").returncode == 0
    out = run(program, home, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "-m", "bertgui",
              "train", "--corpus", str(corpus), "--model", str(model), "--output", str(home / "ddp"), "--max-steps",
              "2", "--batch-size", "4", "--max-seq-length", "32", "--json")
    assert out.returncode == 0, out.stderr[-3000:]
    assert (home / "ddp" / "final-model" / "model.safetensors").is_file()


def test_the_window_runs_ten_seconds_without_a_crash(program, home):
    shot = Path(os.environ.get("BERTGUI_BUILD_SCREENSHOT") or home / "window.png")
    out = run(program, home, timeout=300, BERTGUI_QUIT_AFTER_S="10", BERTGUI_FIRST_WINDOW_REPORT="1",
              BERTGUI_SCREENSHOT=str(shot), BERTGUI_SCREENSHOT_DELAY_MS="8000")
    assert out.returncode == 0, out.stderr[-3000:]
    assert not CRASH.search(out.stderr), out.stderr[-3000:]
    seconds = re.search(r"first window after ([\d.]+) s", out.stderr)
    assert seconds, out.stderr[-3000:]
    print(f"first window after {seconds.group(1)} s")
    assert shot.is_file() and shot.stat().st_size > 10_000


def test_the_install_shortcut_flag_makes_a_menu_entry_for_the_built_program(program, home):
    out = run(program, home, "--install-shortcut")
    assert out.returncode == 0, out.stderr
    entry = (home / ".local" / "share" / "applications" / "bertgui.desktop").read_text(encoding="utf-8")
    assert f"Exec={program}" in entry
