#!/usr/bin/env bash
# The first GPU run of bertgui in one go (issue 25): six parts, one JSON line each on stdout, progress on stderr.
#
#   benchmarks/gpu_check.sh             on a machine with an NVIDIA GPU (about 10 minutes)
#   benchmarks/gpu_check.sh --dry-run   on a CPU: tiny sizes, the same code paths apart from CUDA (the tests run it)
#
# Parts: bench (GPU section of `bertgui bench`), train (~200 steps, checkpoint, resume, export, fill-mask pipeline),
# control (pause/resume/stop in a thread), oom (a real CUDA out-of-memory, then a run that succeeds), memory
# (device_memory_bytes against torch.cuda.max_memory_allocated), packed (padding-free batches against padded ones,
# and the number format the steps ran in). See benchmarks/gpu_check.py and benchmarks/README.md.
# Extra arguments go to gpu_check.py (--parts bench,train --corpus FILE --workdir DIR).
#
# Python: $PYTHON, else .venv/bin/python, else python3. When that interpreter lacks what the headless parts need
# (no Qt is needed), a fresh .venv-gpu gets it from pip: torch (on Linux the default wheel is the CUDA build)
# and bertgui's headless dependencies. Exit status: 0 when every part passed, 1 when one did not, 2 when it could
# not start.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

dry=0
for arg in "$@"; do
    if [ "$arg" = "--dry-run" ]; then dry=1; fi
done

py="${PYTHON:-}"
if [ -z "$py" ]; then
    if [ -x .venv/bin/python ]; then py=.venv/bin/python; else py=python3; fi
fi

needs='import torch, transformers, accelerate, tokenizers, safetensors, numpy, charset_normalizer, tomli_w, huggingface_hub'
has_cuda='import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'
if ! "$py" -c "$needs" 2>/dev/null || { [ "$dry" = 0 ] && ! "$py" -c "$has_cuda" 2>/dev/null; }; then
    echo "gpu_check: $py lacks the headless dependencies or a CUDA build of torch; installing them into .venv-gpu" >&2
    if [ ! -x .venv-gpu/bin/python ]; then
        python3 -m venv .venv-gpu || { echo "gpu_check: python3 -m venv failed (apt-get install python3-venv)" >&2; exit 2; }
    fi
    py=.venv-gpu/bin/python
    "$py" -m pip install --quiet --upgrade pip
    "$py" -m pip install --quiet "torch>=2.6" "transformers>=5" "tokenizers>=0.21" "safetensors>=0.4" \
        "accelerate>=1.1" "huggingface_hub>=0.26" "numpy>=1.24" "charset-normalizer>=3" "tomli-w>=1" \
        "tensorboard>=2.14" "matplotlib>=3.7" "pyyaml>=6" "psutil>=5.9" "tqdm>=4.66" \
        || { echo "gpu_check: pip could not install the dependencies (no network?)" >&2; exit 2; }
fi
if [ "$dry" = 0 ] && ! "$py" -c "$has_cuda" 2>/dev/null; then
    echo "gpu_check: torch sees no CUDA device here ($("$py" -c 'import torch; print(torch.__version__)'))." \
         "Check nvidia-smi, or run with --dry-run on a CPU." >&2
    exit 2
fi

export PYTHONPATH="$root${PYTHONPATH:+:$PYTHONPATH}"
export TOKENIZERS_PARALLELISM=false HF_HUB_OFFLINE=1 HF_HUB_DISABLE_PROGRESS_BARS=1 TRANSFORMERS_VERBOSITY=error
exec "$py" benchmarks/gpu_check.py "$@"
