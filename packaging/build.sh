#!/usr/bin/env bash
# Build bertgui as one self-contained folder and a .tar.gz with PyInstaller: the window and the command line,
# Python, torch, Qt and everything else inside; nothing to install on the user's machine.
#
#   bash packaging/build.sh            # CPU build of torch (runs everywhere; 313 MiB archive, 916 MiB unpacked)
#   bash packaging/build.sh --cuda     # CUDA build of torch (NVIDIA GPUs; several GB)
#
# Options: --python PY (the Python to build with, 3.11+; default python3), --torch-index URL (where torch comes
# from; default PyTorch's CPU or CUDA 12.8 index), --keep-venv (reuse build/pkg-venv-VARIANT;
# this tree's bertgui is installed into it anew in any case).
# Result: build/dist-VARIANT/bertgui/ (double-click `bertgui`) and build/bertgui-VERSION-linux-ARCH-VARIANT.tar.gz.
# Everything goes under build/ (ignored by git). Runs at low priority (nice) so the machine stays usable.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VARIANT=cpu PY=python3 KEEP=0 TORCH_INDEX=""
while [ $# -gt 0 ]; do
    case "$1" in
        --cuda) VARIANT=cuda ;;
        --cpu) VARIANT=cpu ;;
        --python) PY="$2"; shift ;;
        --torch-index) TORCH_INDEX="$2"; shift ;;
        --keep-venv) KEEP=1 ;;
        -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
if [ -z "$TORCH_INDEX" ]; then
    if [ "$VARIANT" = cpu ]; then TORCH_INDEX=https://download.pytorch.org/whl/cpu
    else TORCH_INDEX=https://download.pytorch.org/whl/cu128; fi
fi

VENV=$PWD/build/pkg-venv-$VARIANT
DIST=$PWD/build/dist-$VARIANT
WORK=$PWD/build/work-$VARIANT
NICE="nice -n 10"
step() { printf '\n== %s (%ss)\n' "$1" "$SECONDS"; }

step "build environment $VENV"
if [ "$KEEP" = 0 ] || [ ! -x "$VENV/bin/python" ]; then
    rm -rf "$VENV"
    "$PY" -m venv "$VENV"
    $NICE "$VENV/bin/python" -m pip install -q --upgrade pip
    # torch first, from the chosen index (its own dependencies from the usual one): installing bertgui
    # afterwards keeps it (a bare `torch` from PyPI is the CUDA build on Linux).
    $NICE "$VENV/bin/python" -m pip install -q --no-deps torch --index-url "$TORCH_INDEX"
    $NICE "$VENV/bin/python" -m pip install -q torch ".[chinese]" "pyinstaller>=6.10"
fi
# This tree's bertgui, also into a kept environment: the build holds the code as it is now.
$NICE "$VENV/bin/python" -m pip install -q --no-deps --force-reinstall --no-build-isolation .
"$VENV/bin/python" - "$VARIANT" <<'PYEOF'
import sys, torch
cuda = bool(torch.version.cuda)
if (sys.argv[1] == "cpu") == cuda:
    raise SystemExit(f"build.sh: the {sys.argv[1]} build got torch {torch.__version__} (cuda={torch.version.cuda})")
print("torch", torch.__version__, "cuda", torch.version.cuda)
PYEOF
VERSION=$("$VENV/bin/python" -c "import bertgui; print(bertgui.__version__)")

step "general-English sample and icon"
mkdir -p "$WORK"
SAMPLE=$("$VENV/bin/python" -c "from bertgui.data.general import general_sample_path; print(general_sample_path('$WORK'))")
"$VENV/bin/python" packaging/make_icon.py "$WORK/bertgui.png" 256

step "PyInstaller"
rm -rf "$DIST"
BERTGUI_VARIANT=$VARIANT BERTGUI_GENERAL_SAMPLE=$SAMPLE BERTGUI_ICON_PNG=$WORK/bertgui.png BERTGUI_VERSION=$VERSION \
    $NICE "$VENV/bin/pyinstaller" --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK" \
    packaging/bertgui.spec

step "menu entry and icon in the folder"
APP=$DIST/bertgui
mkdir -p "$APP/share/applications" "$APP/share/icons/hicolor/scalable/apps" "$APP/share/icons/hicolor/256x256/apps"
cp resources/bertgui.svg "$APP/share/icons/hicolor/scalable/apps/bertgui.svg"
cp "$WORK/bertgui.png" "$APP/share/icons/hicolor/256x256/apps/bertgui.png"
"$VENV/bin/python" -c "from bertgui.commands.shortcut import desktop_entry; print(desktop_entry('bertgui'), end='')" \
    > "$APP/share/applications/bertgui.desktop"
cp packaging/README-build.txt "$APP/README.txt"
cp packaging/windows/add-start-menu-shortcut.ps1 "$APP/"

step "archive"
ARCH=$(uname -m)
OS=$(uname -s | tr '[:upper:]' '[:lower:]')
TAR=build/bertgui-$VERSION-$OS-$ARCH-$VARIANT.tar.gz
(cd "$DIST" && $NICE tar -czf "../$(basename "$TAR").tmp" bertgui) && mv "build/$(basename "$TAR").tmp" "$TAR"
echo
echo "folder:   $APP ($(du -sh "$APP" | cut -f1) unpacked)"
echo "archive:  $TAR ($(du -h "$TAR" | cut -f1))"
echo "seconds:  $SECONDS"
