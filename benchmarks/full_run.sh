#!/usr/bin/env bash
# The full CPU run reported in benchmarks/README.md: the tutorial's hyperparameters (512 tokens, batch 16) on
# Marcus Aurelius' Meditations with a random 6-layer, 384-wide BERT whose vocabulary is padded to 30 522 entries.
# About 5 minutes on a 2-core machine (the tutorial loop takes 8–18 s a step). Our engine runs with its own defaults:
# every lever that paid is an engine setting now (see README.md), so none is passed here.
# Extra arguments are passed on (e.g. --steps 20, or --engine-option KEY=VALUE to try a lever).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
corpus="${CORPUS:-$here/../../shared/corpora/meditations.txt}"
python="${PYTHON:-$here/../.venv/bin/python}"
exec "$python" -m bertgui bench --corpus "$corpus" --layers 6 --hidden 384 --vocab 30522 \
    --max-seq-length 512 --batch-size 16 --warmup 2 --steps 10 --json "$@"
