"""Shared helpers for the benchmark scripts: machine figures printed beside every result."""

from __future__ import annotations

import os
import resource
import time

import numpy as np


def matmul_gflops(*, n: int = 4096, k: int = 256, repeats: int = 10) -> float:
    """Measure this machine's float32 matrix-product speed in GFLOP/s (both cores)."""
    rng = np.random.default_rng(0)
    a = rng.random((n, k), dtype=np.float32)
    b = rng.random((k, n), dtype=np.float32)
    a @ b  # warm the BLAS threads
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    elapsed = (time.perf_counter() - start) / repeats
    return 2.0 * n * n * k / elapsed / 1e9


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def machine_line() -> str:
    """One line describing the machine: cores and measured matrix-product speed."""
    return f"machine: {os.cpu_count()} cores, numpy float32 matmul {matmul_gflops():.0f} GFLOP/s"
