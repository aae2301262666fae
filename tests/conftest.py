"""Test-session settings shared by every test module."""

import os

# One thread per process: pytest-xdist runs one worker per core, and torch's or
# BLAS's own threads would fight over the same cores (8x slower under load).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
