"""Cohort assignment benchmark: optimal, certified exact, stable and greedy (issue 3 targets).

Synthetic cohort with niches: mentee and mentor vectors scatter around niche centres (mentees
tightly, mentors loosely); mentee niches follow a steep power law and mentor niches a flat one, so
popular niches have far fewer seats than mentees. Score = sigmoid(6 * (a . b - 0.5)), a squashed
dot product in (0, 1); every mentor is acceptable to every mentee. Capacities are 1-4 seats with
more seats than mentees in total, so on the full graph everyone can be placed: the maximum
matching is min(mentees, seats) = mentees.

* optimal: candidate edges = each mentee's top 20. ``solve_with_candidates`` finds who the top-20
  edges strand (a max flow), asks for more candidates (top 20 among the mentors that can still take
  someone, scored by the same function) for every mentee competing for the full niches, and solves
  once on all the edges. How far from the optimum over all 3e9 pairs: the mentor prices of the
  solution (``matching.solvers.duals``) bound it from above (for any prices v >= 0, an assignment
  placing everyone scores at most sum_i max_j (s_ij - v_j) + sum_j c_j v_j, the max over all 30,000
  mentors); the pairs that price out are added and the instance re-solved until none does, which
  yields the optimum over all pairs with a certificate (bound = total). Not timed.
* certified exact optimum for 5,000 mentees: solve on the top 20, price every pair of the full
  score matrix with the solution's mentor prices, add the pairs that price out, re-solve until none
  does; then the bound over all pairs equals the total (up to the integer scaling), which certifies
  the optimum over all pairs. Checked against scipy's linear_sum_assignment on the seat-expanded
  dense matrix (not timed).
* stable: deferred acceptance on the top-20 lists (mentor preferences mix the score with a
  per-mentee attractiveness), timed together with the blocking-pair check.
* greedy: the same edges, for comparison.

Run: ``.venv/bin/python -m benchmarks.bench_assign`` (about 5 minutes, most of it the untimed
certificate; ``--quick`` skips it, ``--mentees/--mentors`` make a smaller run).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from benchmarks.common import machine_line, peak_rss_mb
from matching.solvers import blocking_pairs, solve, solve_with_candidates
from matching.solvers.duals import mentor_prices, upper_bound

IMPORTED_RSS_MB = 0.0  # set first thing in main()
TOP_K = 20
CHUNK = 256  # mentee rows per score block: 256 x 30,000 float32 = 31 MB per thread
TOPK_CHUNK = 64  # smaller for top-k: argpartition returns int64 positions for the whole block
PER_ROW = 10  # pairs that price out, kept per mentee and certificate round
# float32 dot products can differ in the last bits between the candidate pass and the bound pass
# (different BLAS blocking); the sigmoid's slope is at most 1.5, so 1e-6 per mentee covers it.
SCORE_NOISE = 1e-6


@dataclass(frozen=True)
class Cohort:
    mentees: NDArray[np.float32]  # (n_mentees, d), unit rows
    mentors: NDArray[np.float32]  # (n_mentors, d), unit rows
    capacities: NDArray[np.int64]  # (n_mentors,)
    appeal: NDArray[np.float64]  # (n_mentees,), how much mentors like a mentee (stable only)


def make_cohort(n_mentees: int, n_mentors: int, *, seed: int) -> Cohort:
    rng = np.random.default_rng(seed)
    dim, niches = 16, 300
    centres = rng.standard_normal((niches, dim))
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    rank = np.arange(1, niches + 1, dtype=np.float64)
    mentee_share = rank**-1.0 / (rank**-1.0).sum()  # popular niches draw most mentees
    mentor_share = rank**-0.3 / (rank**-0.3).sum()  # ... but not most mentors
    a = centres[rng.choice(niches, n_mentees, p=mentee_share)]
    a += 0.215 * rng.standard_normal((n_mentees, dim))
    b = centres[rng.choice(niches, n_mentors, p=mentor_share)]
    b += 0.35 * rng.standard_normal((n_mentors, dim))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    capacities = rng.choice(np.arange(1, 5), n_mentors, p=[0.05, 0.10, 0.25, 0.60])
    return Cohort(
        mentees=a.astype(np.float32),
        mentors=b.astype(np.float32),
        capacities=capacities.astype(np.int64),
        appeal=rng.random(n_mentees),
    )


def squash(dot: NDArray[np.floating]) -> NDArray[np.float64]:
    return 1.0 / (1.0 + np.exp(-6.0 * (dot.astype(np.float64) - 0.5)))


def _blocks(n_rows: int, work: Callable[[int], None], *, chunk: int = CHUNK) -> None:
    """Run ``work`` over row blocks on two threads (numpy releases the GIL), each with a
    single-threaded BLAS: two-thread BLAS calls on small blocks leave spinning threads that
    slow the other thread's numpy work down by half."""
    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(2) as pool:
        list(pool.map(work, range(0, n_rows, chunk)))


def top_candidates(
    cohort: Cohort, rows: NDArray[np.int64], columns: NDArray[np.int64], k: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Each row mentee's k best mentors among ``columns``: (mentee, mentor, score), exact."""
    k = min(k, columns.shape[0])
    a = cohort.mentees[rows]
    bt = np.ascontiguousarray(cohort.mentors[columns].T)
    best = np.empty((rows.shape[0], k), dtype=np.int64)
    dots = np.empty((rows.shape[0], k), dtype=np.float32)

    def work(start: int) -> None:
        block = a[start : start + TOPK_CHUNK] @ bt
        top = np.argpartition(block, -k, axis=1)[:, -k:]
        best[start : start + TOPK_CHUNK] = top
        dots[start : start + TOPK_CHUNK] = np.take_along_axis(block, top, axis=1)

    _blocks(rows.shape[0], work, chunk=TOPK_CHUNK)
    return np.repeat(rows, k), columns[best.ravel()], squash(dots.ravel())


def price_all_pairs(
    cohort: Cohort, prices: NDArray[np.float64], own: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """Price every (mentee, mentor) pair: ``max_j (score_ij - prices_j)`` per mentee, and the
    pairs whose ``score - price`` beats the mentee's ``own`` best on its current edges."""
    n = cohort.mentees.shape[0]
    bt = np.ascontiguousarray(cohort.mentors.T)
    shifted = np.where(np.isfinite(prices), prices, 1e30).astype(np.float32)
    best = np.empty(n, dtype=np.float64)
    found: list[tuple[NDArray[np.int64], NDArray[np.int64]]] = []

    def work(start: int) -> None:
        block = cohort.mentees[start : start + CHUNK] @ bt
        block -= np.float32(0.5)
        block *= np.float32(-6.0)
        np.exp(block, out=block)
        block += np.float32(1.0)
        np.reciprocal(block, out=block)
        block -= shifted
        best[start : start + CHUNK] = block.max(axis=1)
        threshold = (own[start : start + CHUNK] + 1e-9).astype(np.float32)
        better = block > threshold[:, None]
        crowded = np.flatnonzero(better.sum(axis=1) > PER_ROW)
        if crowded.size:  # keep each mentee's PER_ROW best pairs: the next solve needs no more
            top = np.argpartition(-block[crowded], PER_ROW, axis=1)[:, :PER_ROW]
            better[crowded] = False
            better[crowded[:, None], top] = True
        rows, cols = np.nonzero(better)
        found.append((rows + start, cols.astype(np.int64)))

    _blocks(n, work)
    rows = np.concatenate([f[0] for f in found])
    cols = np.concatenate([f[1] for f in found])
    return best, rows, cols


def total(
    score: NDArray[np.float64],
    mentee: NDArray[np.int64],
    mentor: NDArray[np.int64],
    assignment: NDArray[np.int64],
) -> float:
    return float(score[assignment[mentee] == mentor].sum())


class RssWatcher:
    """Peak resident memory of this process while the block runs, polled every 2 ms by a child
    process (a thread would not run while OR-Tools holds the GIL)."""

    _POLL = (
        "import os, select, sys\n"
        "path, top = f'/proc/{sys.argv[1]}/statm', 0\n"
        "page = os.sysconf('SC_PAGE_SIZE')\n"
        "while not select.select([sys.stdin], [], [], 0.002)[0]:\n"
        "    with open(path) as f: top = max(top, int(f.read().split()[1]) * page)\n"
        "print(top / 2**20, flush=True)\n"
    )

    def __enter__(self) -> RssWatcher:
        self.child = subprocess.Popen(
            [sys.executable, "-c", self._POLL, str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.2)  # let it start polling
        return self

    def __exit__(self, *exc: object) -> None:
        out, _ = self.child.communicate("stop\n")
        self.peak_mb = float(out)


def release_free_memory() -> None:
    """Return freed heap memory to the system (glibc keeps freed blocks of worker threads)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def current_rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


Edges = tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]


def bench_optimal(cohort: Cohort, *, quick: bool) -> Edges:
    """Run and certify the optimal benchmark; return the top-k edges for the other modes."""
    n, m = cohort.mentees.shape[0], cohort.mentors.shape[0]
    print(
        f"  RSS of the interpreter with numpy, OR-Tools and matching.solvers: "
        f"{IMPORTED_RSS_MB:.0f} MB"
    )
    mentee, mentor, score = top_candidates(cohort, np.arange(n), np.arange(m), TOP_K)
    print(f"  candidate edges: {mentee.shape[0]:,} (top {TOP_K} per mentee)")
    release_free_memory()  # the scoring threads' scratch blocks, so they do not count below
    rounds: list[dict[str, float]] = []
    extra: list[tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]] = []

    def more(stranded: NDArray[np.int64], free: NDArray[np.int64]) -> tuple:
        called = time.perf_counter()
        found = top_candidates(cohort, stranded, free, TOP_K)
        release_free_memory()
        extra.append(found)
        rounds.append(
            {
                "offered_mentees": stranded.shape[0],
                "open_mentors": free.shape[0],
                "at_s": round(called - start, 2),
                "scoring_s": round(time.perf_counter() - called, 2),
            }
        )
        return found

    before_rss = current_rss_mb()
    with RssWatcher() as watcher:
        start = time.perf_counter()
        assignment = solve_with_candidates(
            n_mentees=n,
            capacities=cohort.capacities,
            mentee=mentee,
            mentor=mentor,
            score=score,
            more_candidates=more,
            max_rounds=3,
        )
        seconds = time.perf_counter() - start
    all_mentee = np.concatenate([mentee, *[e[0] for e in extra]])
    all_mentor = np.concatenate([mentor, *[e[1] for e in extra]])
    all_score = np.concatenate([score, *[e[2] for e in extra]])
    matched = int((assignment >= 0).sum())
    achieved = total(all_score, all_mentee, all_mentor, assignment)
    seats = int(cohort.capacities.sum())
    print(f"  candidate rounds: {rounds}")
    first_pass = solve(
        n_mentees=n, capacities=cohort.capacities, mentee=mentee, mentor=mentor, score=score
    )  # not timed: only to show what top-k edges alone do
    before = int((first_pass < 0).sum())
    print(
        f"  matched {matched:,} of {n:,}; maximum matching on the full graph = "
        f"min(mentees, seats) = min({n:,}, {seats:,}) = {min(n, seats):,}"
    )
    print(
        f"  stranded: {before:,} ({before / n:.2%}) with top-{TOP_K} edges only, "
        f"{n - matched:,} after candidate rounds ({all_mentee.shape[0]:,} edges in the end)"
    )
    print(
        f"  time {seconds:.2f} s (target <= 10 s); peak RSS while solving {watcher.peak_mb:.0f} MB "
        f"(target <= 500 MB): {before_rss:.0f} MB before (interpreter, libraries, the instance) "
        f"+ {watcher.peak_mb - before_rss:.0f} MB for the solve"
    )

    if quick:
        return mentee, mentor, score
    # How far from the optimum over all pairs? Price every pair with the solution's mentor prices
    # (an upper bound), add the pairs that price out and re-solve, until none does: the last
    # solution is then the optimum over all pairs, certified by its bound (not timed).
    t = time.perf_counter()
    top_edges = (mentee, mentor, score)
    mentee, mentor, score = all_mentee, all_mentor, all_score
    current = assignment
    m_seats = cohort.capacities
    for iteration in range(10):
        prices = mentor_prices(
            assignment=current, capacities=m_seats, mentee=mentee, mentor=mentor, score=score
        )
        own = np.full(n, -np.inf)
        np.maximum.at(own, mentee, score - prices[mentor])
        best, rows, cols = price_all_pairs(cohort, prices, own)
        bound = (
            upper_bound(prices=prices, capacities=m_seats, best_reduced=best, everyone_placed=True)
            + SCORE_NOISE * n
        )
        value = total(score, mentee, mentor, current)
        fresh = ~np.isin(rows * m + cols, mentee * m + mentor)
        rows, cols = rows[fresh], cols[fresh]
        print(
            f"  certificate {iteration}: {mentee.shape[0]:,} edges, total {value:,.3f}, bound over "
            f"all {n * m:,} pairs {bound:,.3f} ({(bound - value) / bound:.4%} above); "
            f"{rows.shape[0]:,} pairs price out"
        )
        if iteration == 0:
            first_bound = bound
        if rows.shape[0] == 0:
            break
        mentee = np.concatenate([mentee, rows])
        mentor = np.concatenate([mentor, cols])
        score = np.concatenate(
            [score, squash(np.einsum("ij,ij->i", cohort.mentees[rows], cohort.mentors[cols]))]
        )
        current = solve(n_mentees=n, capacities=m_seats, mentee=mentee, mentor=mentor, score=score)
    optimum = total(score, mentee, mentor, current)
    print(
        f"  optimum over all pairs {optimum:,.3f} (certified: bound - optimum = "
        f"{bound - optimum:.3f}, from float32 pricing noise allowance {SCORE_NOISE * n:.3f})"
    )
    print(
        f"  total score {achieved:,.3f}: gap to the optimum {(optimum - achieved) / optimum:.4%}, "
        f"to the first bound {(first_bound - achieved) / first_bound:.4%} (target <= 0.3%) "
        f"[certificate {time.perf_counter() - t:.0f} s, not timed]"
    )
    return top_edges


def bench_certified(n: int, m: int, *, seed: int, quick: bool) -> None:
    cohort = make_cohort(n, m, seed=seed)
    scores = squash(cohort.mentees @ cohort.mentors.T)  # (n, m) float64: every pair
    caps = cohort.capacities
    start = time.perf_counter()
    top = np.argpartition(scores, -TOP_K, axis=1)[:, -TOP_K:]
    mentee = np.repeat(np.arange(n), TOP_K)
    mentor = top.ravel()
    in_graph = np.zeros((n, m), dtype=bool)
    in_graph[mentee, mentor] = True
    iterations = 0
    while True:
        iterations += 1
        score = scores[mentee, mentor]
        assignment = solve(n_mentees=n, capacities=caps, mentee=mentee, mentor=mentor, score=score)
        prices = mentor_prices(
            assignment=assignment, capacities=caps, mentee=mentee, mentor=mentor, score=score
        )
        reduced = scores - prices[None, :]
        own = np.full(n, -np.inf)
        np.maximum.at(own, mentee, score - prices[mentor])
        rows, cols = np.nonzero((reduced > own[:, None] + 1e-9) & ~in_graph)
        if rows.size == 0:
            break
        in_graph[rows, cols] = True
        mentee = np.concatenate([mentee, rows])
        mentor = np.concatenate([mentor, cols])
    placed = np.flatnonzero(assignment >= 0)
    achieved = float(scores[placed, assignment[placed]].sum())
    bound = upper_bound(
        prices=prices,
        capacities=caps,
        best_reduced=reduced.max(axis=1),
        everyone_placed=bool((assignment >= 0).all()),
    )
    seconds = time.perf_counter() - start
    print(
        f"  {n:,} mentees x {m:,} mentors ({n * m:,} pairs, {int(caps.sum()):,} seats): "
        f"{iterations} solve(s) on {mentee.shape[0]:,} edges, matched {(assignment >= 0).sum():,}"
    )
    print(
        f"  total {achieved:.9f}, bound over all pairs {bound:.9f}, "
        f"bound - total = {bound - achieved:.2e}; time {seconds:.2f} s (target <= 3 s)"
    )
    if quick:
        return
    from scipy.optimize import linear_sum_assignment  # imported late: 50 MB we only need here

    t = time.perf_counter()
    seat_owner = np.repeat(np.arange(m), caps)
    rows, cols = linear_sum_assignment(scores[:, seat_owner], maximize=True)
    reference = float(scores[rows, seat_owner[cols]].sum())
    print(
        f"  check: scipy linear_sum_assignment on the dense {n:,} x {seat_owner.shape[0]:,} "
        f"seat matrix: {reference:.9f} (diff {achieved - reference:+.2e}), "
        f"{time.perf_counter() - t:.1f} s, not timed"
    )
    t = time.perf_counter()
    dense = solve(
        n_mentees=n,
        capacities=caps,
        mentee=np.repeat(np.arange(n), m),
        mentor=np.tile(np.arange(m), n),
        score=scores.ravel(),
    )
    print(
        f"  for comparison, solve() handed all {n * m:,} pairs at once: "
        f"{time.perf_counter() - t:.1f} s, "
        f"total {float(scores[dense >= 0, dense[dense >= 0]].sum()):.9f}"
    )


def bench_stable_and_greedy(cohort: Cohort, edges: Edges) -> None:
    mentee, mentor, score = edges
    n = cohort.mentees.shape[0]
    mentor_score = 0.5 * score + 0.5 * cohort.appeal[mentee]
    start = time.perf_counter()
    assignment = solve(
        n_mentees=n,
        capacities=cohort.capacities,
        mentee=mentee,
        mentor=mentor,
        score=score,
        mentor_score=mentor_score,
        mode="stable",
    )
    solved = time.perf_counter()
    found = blocking_pairs(
        assignment=assignment,
        capacities=cohort.capacities,
        mentee=mentee,
        mentor=mentor,
        score=score,
        mentor_score=mentor_score,
    )
    checked = time.perf_counter()
    print(
        f"  stable: {solved - start:.3f} s + blocking-pair check {checked - solved:.3f} s = "
        f"{checked - start:.3f} s (target <= 1 s); blocking pairs {found.shape[0]}; "
        f"matched {(assignment >= 0).sum():,}, "
        f"total score {total(score, mentee, mentor, assignment):,.1f}"
    )
    start = time.perf_counter()
    greedy = solve(
        n_mentees=n,
        capacities=cohort.capacities,
        mentee=mentee,
        mentor=mentor,
        score=score,
        mode="greedy",
    )
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    optimal = solve(
        n_mentees=n, capacities=cohort.capacities, mentee=mentee, mentor=mentor, score=score
    )
    opt_seconds = time.perf_counter() - start
    for name, result, spent in (("greedy", greedy, seconds), ("optimal", optimal, opt_seconds)):
        print(
            f"  {name} on the same top-{TOP_K} edges: {spent:.2f} s, "
            f"matched {(result >= 0).sum():,}, "
            f"total score {total(score, mentee, mentor, result):,.1f}"
        )


def main() -> None:
    global IMPORTED_RSS_MB
    IMPORTED_RSS_MB = current_rss_mb()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentees", type=int, default=100_000)
    parser.add_argument("--mentors", type=int, default=30_000)
    parser.add_argument("--certified-mentees", type=int, default=5_000)
    parser.add_argument("--certified-mentors", type=int, default=1_500)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--quick", action="store_true", help="skip the untimed certificate and dense checks"
    )
    args = parser.parse_args()
    cohort = make_cohort(args.mentees, args.mentors, seed=args.seed)
    print(f"optimal, {args.mentees:,} mentees x {args.mentors:,} mentors (capacity 1-4):")
    edges = bench_optimal(cohort, quick=args.quick)
    print("stable and greedy on the same cohort:")
    bench_stable_and_greedy(cohort, edges)
    print("certified exact optimum:")
    bench_certified(
        args.certified_mentees, args.certified_mentors, seed=args.seed + 1, quick=args.quick
    )
    print(f"peak RSS of the whole run: {peak_rss_mb():.0f} MB")
    print(machine_line())  # last: its 4096 x 4096 product would dominate the peak RSS above


if __name__ == "__main__":
    main()
