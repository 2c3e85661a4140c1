#!/usr/bin/env bash
# Install bertgui from this folder into .venv, with the torch build this computer can use, in one line:
#
#   bash install.sh            # CUDA torch when `nvidia-smi` sees an NVIDIA GPU, else the CPU build (about 6 GB less)
#   bash install.sh --cpu      # the CPU build in any case;  --cuda: PyPI's default (CUDA) build in any case
#   bash install.sh --print-choice   # only say which build it would pick, and why
#
# Then: .venv/bin/bertgui (the window); .venv/bin/bertgui --install-shortcut puts it in the application menu.
# PYTHON=python3.12 bash install.sh uses another Python (3.11 or newer).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

choice=auto print_only=0
for arg in "$@"; do
    case "$arg" in
        --cpu) choice=cpu ;;
        --cuda) choice=cuda ;;
        --print-choice) print_only=1 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "install.sh: unknown option $arg (see --help)" >&2; exit 2 ;;
    esac
done

why="asked for"
if [ "$choice" = auto ]; then
    if [ "$(uname -s)" = Darwin ]; then
        choice=default why="macOS: PyPI's torch is the right build (Apple GPUs through MPS)"
    elif command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L 2>/dev/null | grep -q "^GPU"; then
        choice=cuda why="nvidia-smi lists an NVIDIA GPU"
    else
        choice=cpu why="no NVIDIA GPU found (nvidia-smi missing or lists none)"
    fi
fi
echo "install.sh: torch build: $choice ($why)"
[ "$print_only" = 1 ] && exit 0

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$choice" = cpu ] && ! .venv/bin/python -c "import sys, torch; sys.exit(bool(torch.version.cuda))" 2>/dev/null; then
    # PyTorch's CPU index first: the bertgui install below then keeps this torch instead of pulling CUDA's.
    .venv/bin/python -m pip install torch --index-url https://download.pytorch.org/whl/cpu
fi
.venv/bin/python -m pip install -e ".[chinese]"
echo
echo "Installed. Start the window:  .venv/bin/bertgui"
echo "Put it in the menu:           .venv/bin/bertgui --install-shortcut"
