"""The packed-key orders used by the solvers agree with np.lexsort, on both of their paths."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.solvers._order import (
    dense_rank_desc,
    new_pairs,
    pair_keys_are_unique,
    preference_keys,
    preference_order,
)


@st.composite
def unique_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    pairs = draw(
        st.lists(st.tuples(st.integers(0, 6), st.integers(0, 5)), unique=True, max_size=30)
    )
    values = draw(
        st.lists(
            st.sampled_from([0.0, -0.0, 0.5, 1.0, -2.0]), min_size=len(pairs), max_size=len(pairs)
        )
    )
    return (
        np.array([p[0] for p in pairs], dtype=np.int64),
        np.array([p[1] for p in pairs], dtype=np.int64),
        np.array(values, dtype=np.float64),
    )


@settings(max_examples=200, deadline=None)
@given(data=unique_pairs())
def test_preference_order_is_lexsort_on_the_fast_and_the_fallback_path(data: tuple) -> None:
    group, other, value = data
    expected = np.lexsort((other, -value, group))
    assert preference_order(group, 7, value, other, 6).tolist() == expected.tolist()
    # sizes whose packed key would overflow int64 take the lexsort path
    assert preference_order(group, 2**40, value, other, 2**40).tolist() == expected.tolist()
    for n_groups, n_other in ((7, 6), (2**40, 2**40)):
        keys = preference_keys(group, n_groups, value, other, n_other)
        assert np.unique(keys).shape == keys.shape
        assert np.argsort(keys).tolist() == expected.tolist()


def test_dense_rank_treats_equal_values_as_one_rank() -> None:
    rank, n_ranks = dense_rank_desc(np.array([0.5, 2.0, 0.5, -0.0, 0.0]))
    assert rank.tolist() == [1, 0, 1, 2, 2]
    assert n_ranks == 3


@settings(max_examples=200, deadline=None)
@given(
    a=st.lists(st.integers(0, 4), max_size=12),
    b=st.lists(st.integers(0, 3), max_size=12),
    split=st.integers(0, 12),
)
def test_duplicate_detection_and_new_pairs_agree_on_both_paths(
    a: list, b: list, split: int
) -> None:
    size = min(len(a), len(b))
    mentee = np.array(a[:size], dtype=np.int64)
    mentor = np.array(b[:size], dtype=np.int64)
    seen = [(x, y) for x, y in zip(a[:size], b[:size], strict=True)]
    assert pair_keys_are_unique(mentee, mentor, 4) == (len(set(seen)) == len(seen))
    assert pair_keys_are_unique(mentee, mentor, 2**62) == (len(set(seen)) == len(seen))

    old = list(dict.fromkeys(seen[:split]))  # old edges have no repeats
    new = seen[split:]
    expected = []
    known = set(old)
    for pair in new:
        expected.append(pair not in known)
        known.add(pair)
    old_a = np.array([p[0] for p in old], dtype=np.int64)
    old_b = np.array([p[1] for p in old], dtype=np.int64)
    new_a = np.array([p[0] for p in new], dtype=np.int64)
    new_b = np.array([p[1] for p in new], dtype=np.int64)
    assert new_pairs(old_a, old_b, new_a, new_b, 4).tolist() == expected
    assert new_pairs(old_a, old_b, new_a, new_b, 2**62).tolist() == expected
