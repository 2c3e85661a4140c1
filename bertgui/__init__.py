"""bertgui: continued pre-training (MLM + NSP) of BERT models, headless core plus a Qt window."""

import os as _os

__version__ = "0.1.0"

# OpenMP threads that wait for work sleep instead of spinning, unless the user chose otherwise. WHY: a desktop is
# shared; spinning threads fight every other busy process for the cores. Measured with all-MiniLM-L6-v2 training
# at 16 x 128 on 2 cores (benchmarks/contention.py, benchmarks/README.md): 2 threads quiet 1 593 tokens/s with the
# default policy, 1 445 passive; beside one busy process 612 (0.38x) against 1 000 (0.69x). Set here because the
# OpenMP runtime reads it once, when torch is first imported, and every entry point imports this package first.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
