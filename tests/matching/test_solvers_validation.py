"""Bad input to the solvers fails with a ValueError that says what and where."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from matching.solvers import blocking_pairs, solve, solve_with_candidates


def good() -> dict[str, Any]:
    return {
        "n_mentees": 3,
        "capacities": np.array([1, 2]),
        "mentee": np.array([0, 1, 2, 2]),
        "mentor": np.array([0, 0, 1, 0]),
        "score": np.array([0.5, 0.7, 0.2, 0.9]),
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"mode": "best"}, r"unknown mode 'best'; expected one of optimal, stable, greedy"),
        ({"objective": "fun"}, r"unknown objective 'fun'"),
        ({"n_mentees": -1}, r"n_mentees must be a non-negative integer"),
        ({"n_mentees": True}, r"n_mentees must be a non-negative integer"),
        ({"n_mentees": 2.0}, r"n_mentees must be a non-negative integer"),
        ({"capacities": np.array([1, -2])}, r"mentor 1: capacity is negative \(-2\)"),
        ({"capacities": np.array([1.0, 2.0])}, r"capacities must hold integers"),
        ({"capacities": np.array([[1, 2]])}, r"capacities must be one-dimensional"),
        ({"mentor": np.array([0, 0, 1])}, r"mentee has 4 edges but mentor has 3"),
        ({"score": np.array([0.5, 0.7, 0.2])}, r"mentee has 4 edges but score has 3"),
        ({"mentor_score": np.array([0.5])}, r"mentee has 4 edges but mentor_score has 1"),
        ({"mentee": np.array([0, 1, 3, 2])}, r"edge 2: mentee index 3 is out of range \[0, 3\)"),
        ({"mentee": np.array([0, -1, 2, 2])}, r"edge 1: mentee index -1 is out of range"),
        ({"mentor": np.array([0, 0, 1, 2])}, r"edge 3: mentor index 2 is out of range \[0, 2\)"),
        (
            {"mentor": np.array([0, 0, 0, 0])},
            r"edge 3: duplicate pair \(2, 0\), first given at edge 2",
        ),
        ({"mentee": np.array([0.0, 1, 2, 2])}, r"mentee must hold integers, got dtype float64"),
        ({"score": np.array([0.5, np.nan, 0.2, 0.9])}, r"edge 1: score is not finite \(nan\)"),
        ({"score": np.array(["a", "b", "c", "d"])}, r"score must hold real numbers"),
        (
            {"mentor_score": np.array([0.5, 0.1, np.inf, 0.9])},
            r"edge 2: mentor_score is not finite \(inf\)",
        ),
    ],
)
def test_solve_rejects_bad_input_with_a_clear_message(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        solve(**{**good(), **change})


def test_duplicates_are_reported_at_their_second_occurrence_in_input_order() -> None:
    kwargs: dict[str, Any] = {
        **good(),
        "mentee": np.array([2, 1, 0, 2, 1]),
        "mentor": np.array([1, 0, 0, 1, 0]),
        "score": np.ones(5),
    }
    with pytest.raises(ValueError, match=r"edge 3: duplicate pair \(2, 1\), first given at edge 0"):
        solve(**kwargs)


def test_lists_and_empty_lists_are_accepted() -> None:
    lists: dict[str, Any] = {"capacities": [1], "mentee": [], "mentor": [], "score": []}
    assert solve(n_mentees=2, **lists).tolist() == [-1, -1]
    lists = {"capacities": [1], "mentee": [1], "mentor": [0], "score": [3]}
    assert solve(n_mentees=2, **lists).tolist() == [-1, 0]


def test_blocking_pairs_rejects_an_assignment_off_the_edges() -> None:
    with pytest.raises(
        ValueError, match=r"mentee 0 is assigned to mentor 1, but \(0, 1\) is not an edge"
    ):
        blocking_pairs(assignment=np.array([1, -1, -1]), **_edges())


def test_blocking_pairs_rejects_an_assignment_over_capacity() -> None:
    with pytest.raises(ValueError, match=r"mentor 0 is assigned 2 mentees but has capacity 1"):
        blocking_pairs(assignment=np.array([0, 0, -1]), **_edges())


def test_blocking_pairs_rejects_a_mentor_index_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"assignment\[2\] = 5 is neither -1 nor a mentor index"):
        blocking_pairs(assignment=np.array([0, -1, 5]), **_edges())


def _edges() -> dict[str, Any]:
    kwargs = good()
    del kwargs["n_mentees"]
    return kwargs


@pytest.mark.parametrize(
    ("returned", "message"),
    [
        ("nonsense", r"candidate round 1: more_candidates must return \(mentee, mentor, score\)"),
        (
            (np.array([1]), np.array([5]), np.array([0.3])),
            r"candidate round 1: edge 0: mentor index 5 is out of range",
        ),
        (
            (np.array([1, 1]), np.array([1]), np.array([0.3])),
            r"candidate round 1: mentee, mentor and score have lengths 2, 1, 1",
        ),
        (
            (np.array([1]), np.array([1]), np.array([np.nan])),
            r"candidate round 1: edge 0: score is not finite",
        ),
    ],
)
def test_solve_with_candidates_rejects_bad_extra_edges(returned: Any, message: str) -> None:
    kwargs: dict[str, Any] = {**good(), "capacities": np.array([1, 3])}
    with pytest.raises(ValueError, match=message):
        solve_with_candidates(**kwargs, more_candidates=lambda _s, _f: returned)


def test_solve_with_candidates_rejects_a_negative_round_count() -> None:
    with pytest.raises(ValueError, match=r"max_rounds must be a non-negative integer"):
        solve_with_candidates(**good(), max_rounds=-1)
