"""Batch top-10: 100,000 mentees x 10,000 mentors x 256-dim float32 features.

Prints the bare matrix product (one call, and chunked into reused buffers on two threads), the
engine's scoring + selection pass (``matching.topk.batch_topk``: chunked, two threads, exact
top-k), their ratio, and the working memory beyond the feature matrices (tracemalloc peak).

Targets: <= 3.5 s and <= 1.3x the bare product; <= 100 MB working memory. The 3.5 s were set
where the one-call product takes 2.9 s (190 GFLOP/s); the script also prints the target scaled
to the product time it measures, since the machine's speed varies from day to day.

Run: .venv/bin/python -m benchmarks.bench_topk [--repeats 3] [--engine-features]
``--engine-features`` also runs on the engine's own feature vectors of synthetic profiles
(100,000 mentees, 10,000 mentors; slower to set up).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import itertools
import statistics
import threading
import time
import tracemalloc

import numpy as np
from threadpoolctl import threadpool_limits

from benchmarks.common import machine_line, peak_rss_mb
from matching.topk import batch_topk

N_MENTEES, N_MENTORS, DIM, K = 100_000, 10_000, 256, 10
CHUNK = 256
TARGET_S, TARGET_RATIO, TARGET_MB = 3.5, 1.3, 100.0
REFERENCE_PRODUCT_S = 2.9  # the one-call product on the machine the targets were set on


def bare_full(q: np.ndarray, m: np.ndarray) -> float:
    start = time.perf_counter()
    out = q @ m.T
    elapsed = time.perf_counter() - start
    del out
    return elapsed


def bare_chunked(q: np.ndarray, m: np.ndarray) -> float:
    """The same product in the same chunks and threads as the engine, without selection."""
    counter = itertools.count()
    starts = range(0, q.shape[0], CHUNK)

    def work() -> None:
        buffer = np.empty((CHUNK, m.shape[0]), dtype=np.float32)
        while (c := next(counter)) < len(starts):
            lo = starts[c]
            hi = min(lo + CHUNK, q.shape[0])
            np.matmul(q[lo:hi], m.T, out=buffer[: hi - lo])

    start = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):
        threads = [threading.Thread(target=work) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    return time.perf_counter() - start


def engine(q: np.ndarray, m: np.ndarray, rows=None, cols=None) -> tuple[float, float]:
    """(seconds, peak MB allocated beyond what existed before) of one top-k pass."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    batch_topk(q, m, k=K, forbidden_rows=rows, forbidden_cols=cols, chunk_rows=CHUNK)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] - base
    tracemalloc.stop()
    return elapsed, peak / 1e6


def timed(fn, repeats: int) -> tuple[float, float]:
    times = [fn() for _ in range(repeats)]
    return min(times), statistics.median(times)


def report(name: str, q: np.ndarray, m: np.ndarray, repeats: int, full: bool) -> None:
    print(f"--- {name}: {q.shape[0]:,} x {m.shape[0]:,} x {q.shape[1]} float32, top-{K}")
    flops = 2.0 * q.shape[0] * m.shape[0] * q.shape[1]
    if full:
        best_full, med_full = timed(lambda: bare_full(q, m), max(1, repeats - 1))
        print(
            f"bare product, one call (allocates the {q.shape[0] * m.shape[0] * 4 / 1e9:.0f} GB "
            f"result): best {best_full:.2f} s, median {med_full:.2f} s"
        )
    # Bare and engine passes alternate, so each ratio compares runs made under the same load.
    bare, runs = [], []
    for _ in range(repeats):
        bare.append(bare_chunked(q, m))
        runs.append(engine(q, m))
    times = [t for t, _ in runs]
    ratios = [t / b for t, b in zip(times, bare, strict=True)]
    best_bare, best, memory = min(bare), min(times), max(mb for _, mb in runs)
    print(
        f"bare product, chunked into reused buffers, 2 threads: best {best_bare:.2f} s, "
        f"median {statistics.median(bare):.2f} s ({flops / best_bare / 1e9:.0f} GFLOP/s)"
    )
    print(
        f"scoring + exact top-{K} selection: best {best:.2f} s, median "
        f"{statistics.median(times):.2f} s; working memory {memory:.0f} MB"
    )
    print(
        f"ratio to the chunked bare product run just before: best {min(ratios):.2f}x, median "
        f"{statistics.median(ratios):.2f}x"
        + (f"; to the one-call product: {best / best_full:.2f}x" if full else "")
    )
    ratio_ok = statistics.median(ratios) <= TARGET_RATIO
    # The 3.5 s target was set where the bare product takes 2.9 s; scale it to this run's speed.
    scaled_note = ""
    if full:
        scaled = TARGET_S * best_full / REFERENCE_PRODUCT_S
        scaled_note = (
            f" (scaled to this run's product speed: <= {scaled:.2f} s: "
            f"{'meets' if best <= scaled else 'MISSES'})"
        )
    print(
        f"targets: time <= {TARGET_S} s: {'meets' if best <= TARGET_S else 'MISSES'}{scaled_note}; "
        f"ratio <= {TARGET_RATIO}x: {'meets' if ratio_ok else 'MISSES'}; "
        f"memory <= {TARGET_MB:.0f} MB: {'meets' if memory <= TARGET_MB else 'MISSES'}"
    )
    rng = np.random.default_rng(1)
    rows = np.repeat(np.arange(q.shape[0]), 3)
    cols = rng.integers(0, m.shape[0], rows.shape[0])
    t, mb = min((engine(q, m, rows, cols) for _ in range(repeats)), key=lambda x: x[0])
    print(
        f"with 3 forbidden pairs per mentee masked exactly (self, exclusions): best {t:.2f} s, "
        f"{mb:.0f} MB"
    )


def engine_features() -> tuple[np.ndarray, np.ndarray]:
    from matching.features import FeatureModel
    from matching.scoring import DEFAULT_WEIGHTS, weight_vector
    from matching.synthetic import synthetic_cohort

    cohort = synthetic_cohort(n_mentors=N_MENTORS, n_mentees=N_MENTEES, random_state=0)
    people = cohort.mentors + cohort.mentees
    model, f = FeatureModel.fit_transform(people, as_of=dt.date(2026, 1, 1), n_jobs=2)
    mentors = model.mentor_matrix(f.take(slice(0, N_MENTORS)))
    u, const = model.mentee_matrix(f.take(slice(N_MENTORS, None)))
    return model.query(u, const, weight_vector(DEFAULT_WEIGHTS)), mentors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--engine-features", action="store_true")
    args = parser.parse_args()
    print(machine_line())
    rng = np.random.default_rng(0)
    q = rng.standard_normal((N_MENTEES, DIM), dtype=np.float32)
    m = rng.standard_normal((N_MENTORS, DIM), dtype=np.float32)
    report("random features", q, m, args.repeats, full=True)
    del q, m
    if args.engine_features:
        q, m = engine_features()
        report(
            f"engine features of synthetic profiles (width {q.shape[1]})",
            q,
            m,
            args.repeats,
            full=False,
        )
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    print(machine_line())


if __name__ == "__main__":
    main()
