"""Top-k selection: one score row (interactive) and chunked, two-thread blocks (batch).

Order everywhere: score descending, then mentor index ascending (so results equal a brute-force
sort and do not depend on chunking or threads).

The batch pass computes ``Q[chunk] @ M.T`` into a reused per-thread buffer and selects from it
while it is still warm in cache. Selection avoids a full ``argpartition``: the columns are split
into G interleaved groups, the k-th largest of the G group maxima is a lower bound ``t`` on the
k-th best score of the row (k distinct elements are >= it), so only the few groups whose maximum
reaches ``t`` are read again. Forbidden pairs are set to -inf in the block before selecting:
exact masking, nothing eligible is ever dropped.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

__all__ = ["batch_topk", "select_topk", "topk_one"]

Float32 = NDArray[np.float32]
Int64 = NDArray[np.int64]

_GROUPS = 400  # column groups per row (at least 4k); 200-400 measured best at k = 10, n = 10,000
_MIN_GROUP_SIZE = 4  # below this many columns per group the plain sort is as cheap
_SMALL_WORK = 2_000_000  # rows x columns under which one thread does it all
_PADDED_WIDTH = 64  # most candidates in a row for the padded-table sort


def topk_one(scores: NDArray[np.floating], k: int) -> Int64:
    """Indices of the k best finite scores of one row, best first (ties: lower index first).

    Parameters
    ----------
    scores : (n,) float; -inf marks ineligible entries, which are never returned.
    """
    if scores.ndim != 1:
        raise ValueError(f"topk_one: scores must be 1-D, got shape {scores.shape}")
    if k < 0:
        raise ValueError(f"topk_one: k must be >= 0, got {k}")
    n = scores.shape[0]
    if k == 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    if k < n:
        threshold = np.partition(scores, n - k)[n - k]
        cand = np.flatnonzero(scores >= threshold)
    else:
        cand = np.arange(n)
    vals = scores[cand]
    order = np.lexsort((cand, -vals))
    best = cand[order[:k]]
    out: Int64 = best[np.isfinite(scores[best])].astype(np.int64)
    return out


def select_topk(block: Float32, k: int) -> tuple[Int64, Float32]:
    """Per-row top-k of a score block.

    Parameters
    ----------
    block : (m, n) float32; -inf marks ineligible entries.

    Returns
    -------
    index : (m, k) int64 column indices, best first, -1 where a row has fewer than k finite scores.
    score : (m, k) float32, -inf where index is -1.
    """
    if block.ndim != 2:
        raise ValueError(f"select_topk: block must be 2-D, got shape {block.shape}")
    if k < 0:
        raise ValueError(f"select_topk: k must be >= 0, got {k}")
    m, n = block.shape
    if k == 0:
        return np.zeros((m, 0), dtype=np.int64), np.zeros((m, 0), dtype=np.float32)
    groups = max(4 * k, _GROUPS)
    if n >= groups * _MIN_GROUP_SIZE:
        rows, cols, vals = _candidates_grouped(block, k, groups)
    else:
        rows = np.repeat(np.arange(m), n)
        cols = np.tile(np.arange(n), m)
        vals = block.reshape(-1)
    return _first_k(rows, cols, vals, m, k)


def _candidates_grouped(block: Float32, k: int, groups: int) -> tuple[Int64, Int64, Float32]:
    m, n = block.shape
    size = n // groups
    body = block[:, : groups * size].reshape(m, size, groups)  # column j is in group j % groups
    gmax = body.max(axis=1)
    threshold = np.partition(gmax, groups - k, axis=1)[:, groups - k]
    r, g = np.nonzero(gmax >= threshold[:, None])
    vals = body[r, :, g]  # (c, size): the members of each group that reaches the threshold
    i, j = np.nonzero(vals >= threshold[r, None])
    rows = r[i]
    cols = g[i] + groups * j
    out_vals = vals[i, j]
    if groups * size < n:
        tail = block[:, groups * size :]
        tr, tc = np.nonzero(tail >= threshold[:, None])
        rows = np.concatenate([rows, tr])
        cols = np.concatenate([cols, tc + groups * size])
        out_vals = np.concatenate([out_vals, tail[tr, tc]])
    return rows.astype(np.int64), cols.astype(np.int64), out_vals


def _first_k(rows: Int64, cols: Int64, vals: Float32, m: int, k: int) -> tuple[Int64, Float32]:
    """The k best candidates of each row (score descending, then column ascending)."""
    index = np.full((m, k), -1, dtype=np.int64)
    score = np.full((m, k), -np.inf, dtype=np.float32)
    if k == 0 or len(rows) == 0:
        return index, score
    counts = np.bincount(rows, minlength=m)
    starts = np.cumsum(counts) - counts
    order = np.argsort(rows, kind="stable")  # rows usually arrive sorted: this is cheap
    rows, cols, vals = rows[order], cols[order], vals[order]
    position = np.arange(len(rows)) - starts[rows]
    width = max(int(counts.max()), k)
    if width <= _PADDED_WIDTH:
        # A few candidates per row: sort each row of a small padded table.
        padded_vals = np.full((m, width), -np.inf, dtype=np.float32)
        padded_cols = np.full((m, width), np.iinfo(np.int64).max, dtype=np.int64)
        padded_vals[rows, position] = vals
        padded_cols[rows, position] = cols
        best = np.lexsort((padded_cols, -padded_vals), axis=-1)[:, :k]
        score = np.take_along_axis(padded_vals, best, axis=1)
        index = np.take_along_axis(padded_cols, best, axis=1)
        index[~np.isfinite(score)] = -1
        score[index < 0] = -np.inf
        return index, score
    finite = np.isfinite(vals)
    rows, cols, vals = rows[finite], cols[finite], vals[finite]
    order = np.lexsort((cols, -vals, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    counts = np.bincount(rows, minlength=m)
    starts = np.cumsum(counts) - counts
    rank = np.arange(len(rows)) - starts[rows]
    keep = rank < k
    index[rows[keep], rank[keep]] = cols[keep]
    score[rows[keep], rank[keep]] = vals[keep]
    return index, score


def batch_topk(
    queries: Float32,
    mentors: Float32,
    *,
    k: int,
    forbidden_rows: Int64 | None = None,
    forbidden_cols: Int64 | None = None,
    chunk_rows: int = 256,
    n_threads: int = 2,
    on_block: Callable[[int, Float32], None] | None = None,
) -> tuple[Int64, Float32]:
    """Top-k mentors of every query row by dot product, in chunks on ``n_threads`` threads.

    Parameters
    ----------
    queries : (n_q, d) float32, C order.
    mentors : (n_m, d) float32, C order.
    k : number of mentors per row.
    forbidden_rows, forbidden_cols : (p,) int64 pairs (row, column) never returned.
    chunk_rows : rows per block; a block is ``chunk_rows x n_m`` float32 per thread.
    n_threads : worker threads (BLAS is limited to one thread each meanwhile).
    on_block : test hook, called with (first row, block) after masking and before selection.

    Returns
    -------
    index : (n_q, k) int64, best first, -1 padding when a row has fewer than k eligible mentors.
    score : (n_q, k) float32, -inf padding.
    """
    if queries.ndim != 2 or mentors.ndim != 2 or queries.shape[1] != mentors.shape[1]:
        raise ValueError(
            f"batch_topk: queries {queries.shape} and mentors {mentors.shape} must be (n, d)"
        )
    if queries.dtype != np.float32 or mentors.dtype != np.float32:
        raise ValueError("batch_topk: queries and mentors must be float32")
    if k < 0 or chunk_rows < 1 or n_threads < 1:
        raise ValueError("batch_topk: k >= 0, chunk_rows >= 1 and n_threads >= 1 are required")
    n_q, n_m = queries.shape[0], mentors.shape[0]
    fr, fc = _forbidden(forbidden_rows, forbidden_cols, n_q, n_m)
    index = np.full((n_q, k), -1, dtype=np.int64)
    score = np.full((n_q, k), -np.inf, dtype=np.float32)
    if n_q == 0 or n_m == 0 or k == 0:
        return index, score
    mentors_t = mentors.T  # a transposed view: BLAS reads it in place
    starts = range(0, n_q, chunk_rows)
    counter = itertools.count()
    errors: list[BaseException] = []

    def work() -> None:
        buffer = np.empty((min(chunk_rows, n_q), n_m), dtype=np.float32)
        try:
            while (c := next(counter)) < len(starts):
                lo = starts[c]
                hi = min(lo + chunk_rows, n_q)
                block = buffer[: hi - lo]
                np.matmul(queries[lo:hi], mentors_t, out=block)
                a, b = np.searchsorted(fr, [lo, hi])
                if b > a:
                    block[fr[a:b] - lo, fc[a:b]] = -np.inf
                if on_block is not None:
                    on_block(lo, block)
                index[lo:hi], score[lo:hi] = select_topk(block, k)
        except BaseException as exc:  # surfaced in the calling thread
            errors.append(exc)

    if n_threads == 1 or n_q * n_m <= _SMALL_WORK:
        work()
    else:
        with threadpool_limits(limits=1, user_api="blas"):
            threads = [threading.Thread(target=work) for _ in range(n_threads)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
    if errors:
        raise errors[0]
    return index, score


def _forbidden(rows: Int64 | None, cols: Int64 | None, n_q: int, n_m: int) -> tuple[Int64, Int64]:
    if rows is None and cols is None:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    if rows is None or cols is None:
        raise ValueError("batch_topk: give both forbidden_rows and forbidden_cols, or neither")
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    if rows.shape != cols.shape or rows.ndim != 1:
        raise ValueError("batch_topk: forbidden_rows and forbidden_cols must be 1-D, same length")
    if len(rows) and (rows.min() < 0 or rows.max() >= n_q or cols.min() < 0 or cols.max() >= n_m):
        raise ValueError("batch_topk: a forbidden pair is out of range")
    order = np.argsort(rows, kind="stable")
    return rows[order], cols[order]
