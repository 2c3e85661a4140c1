#!/usr/bin/env bash
# Build bertgui (packaging/build.sh, CPU) and check the built program headless (packaging/test_build.py):
# --help, new-model, a 3-step train, export, the window 10 s offscreen, --install-shortcut.
# Needs the test tools of .venv (bash .ci/run makes it, or: pip install -e ".[test]"). About 15-25 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=${PYTHON:-.venv/bin/python}
bash packaging/build.sh --keep-venv "$@"
BERTGUI_BUILT=$PWD/build/dist-cpu/bertgui "$PY" -m pytest packaging/test_build.py -v -s -p no:cacheprovider
