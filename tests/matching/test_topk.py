"""Top-k selection equals a brute-force sort (score descending, lower index first on ties)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.topk import batch_topk, select_topk, topk_one


def brute(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    m, n = scores.shape
    index = np.full((m, k), -1, dtype=np.int64)
    value = np.full((m, k), -np.inf, dtype=np.float32)
    for r in range(m):
        order = sorted(
            (c for c in range(n) if np.isfinite(scores[r, c])), key=lambda c: (-scores[r, c], c)
        )[:k]
        index[r, : len(order)] = order
        value[r, : len(order)] = scores[r, order]
    return index, value


@st.composite
def blocks(draw: st.DrawFn) -> tuple[np.ndarray, int]:
    m = draw(st.integers(1, 6))
    n = draw(st.sampled_from([1, 3, 17, 199, 800, 1000, 2345]))
    k = draw(st.integers(0, 12))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):  # few distinct values: ties everywhere
        scores = rng.integers(0, 4, size=(m, n)).astype(np.float32)
    else:
        scores = rng.standard_normal((m, n)).astype(np.float32)
    scores[rng.random((m, n)) < draw(st.sampled_from([0.0, 0.3, 0.99]))] = -np.inf
    return scores, k


@settings(max_examples=150, deadline=None)
@given(blocks())
def test_block_selection_equals_brute_force(case):
    scores, k = case
    index, value = select_topk(scores, k)
    want_index, want_value = brute(scores, k)
    np.testing.assert_array_equal(index, want_index)
    np.testing.assert_array_equal(value, want_value)


@settings(max_examples=150, deadline=None)
@given(blocks())
def test_single_row_selection_equals_brute_force(case):
    scores, k = case
    want, _ = brute(scores, k)
    for r in range(scores.shape[0]):
        assert topk_one(scores[r], k).tolist() == [c for c in want[r] if c >= 0]


@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 700),
    st.integers(1, 900),
    st.integers(1, 40),
    st.integers(1, 64),
    st.integers(0, 2**32 - 1),
    st.sampled_from([1, 2]),
)
def test_chunked_threaded_top_k_equals_brute_force_with_forbidden_pairs(
    n_q, n_m, k, chunk, seed, threads
):
    rng = np.random.default_rng(seed)
    # small integers: every product is exact in float32, so ties are real ties
    q = rng.integers(-3, 4, size=(n_q, 8)).astype(np.float32)
    m = rng.integers(-3, 4, size=(n_m, 8)).astype(np.float32)
    n_forbidden = int(rng.integers(0, 3 * n_q))
    rows = rng.integers(0, n_q, n_forbidden)
    cols = rng.integers(0, n_m, n_forbidden)
    index, value = batch_topk(
        q, m, k=k, forbidden_rows=rows, forbidden_cols=cols, chunk_rows=chunk, n_threads=threads
    )
    scores = q @ m.T
    scores[rows, cols] = -np.inf
    want_index, want_value = brute(scores, k)
    np.testing.assert_array_equal(index, want_index)
    np.testing.assert_array_equal(value, want_value)


def test_large_blocks_take_the_threaded_path_and_stay_exact():
    rng = np.random.default_rng(0)
    q = rng.integers(-5, 6, size=(3000, 16)).astype(np.float32)
    m = rng.integers(-5, 6, size=(1200, 16)).astype(np.float32)
    index, _ = batch_topk(q, m, k=10, chunk_rows=256, n_threads=2)
    scores = q @ m.T
    order = np.lexsort((np.broadcast_to(np.arange(1200), scores.shape), -scores), axis=1)
    np.testing.assert_array_equal(index, order[:, :10])


def test_shapes_and_dtypes_are_checked():
    import pytest

    with pytest.raises(ValueError, match="must be"):
        batch_topk(np.zeros((2, 3), np.float32), np.zeros((2, 4), np.float32), k=1)
    with pytest.raises(ValueError, match="float32"):
        batch_topk(np.zeros((2, 3)), np.zeros((2, 3)), k=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="out of range"):
        batch_topk(
            np.zeros((2, 3), np.float32),
            np.zeros((2, 3), np.float32),
            k=1,
            forbidden_rows=np.array([5]),
            forbidden_cols=np.array([0]),
        )
