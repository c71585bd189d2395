"""Mentor prices and the upper bounds they certify, against brute force."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.solvers import solve
from matching.solvers.duals import mentor_prices, upper_bound
from tests.matching.test_solvers import (
    Instance,
    feasible_assignments,
    instances,
    matched_count,
    total_score,
)


def best_reduced(inst: Instance, prices: np.ndarray) -> np.ndarray:
    reduced = np.full(inst.n_mentees, -np.inf)
    np.maximum.at(reduced, inst.mentee, inst.score - prices[inst.mentor])
    return reduced


def edge_kwargs(inst: Instance) -> dict[str, Any]:
    return {
        "capacities": inst.capacities,
        "mentee": inst.mentee,
        "mentor": inst.mentor,
        "score": inst.score,
    }


@settings(max_examples=200, deadline=None)
@given(inst=instances(max_mentees=5, max_mentors=3))
def test_prices_of_the_score_optimum_certify_it_exactly(inst: Instance) -> None:
    assignment = solve(**inst.kwargs(with_mentor_score=False), objective="score")
    prices = mentor_prices(assignment=assignment, **edge_kwargs(inst), objective="score")
    assert (prices >= 0).all()
    bound = upper_bound(
        prices=prices, capacities=inst.capacities, best_reduced=best_reduced(inst, prices)
    )
    best = max(total_score(inst, a) for a in feasible_assignments(inst))
    assert bound == pytest.approx(best, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(inst=instances(max_mentees=5, max_mentors=3))
def test_prices_of_the_participation_optimum_certify_it_when_everyone_is_placed(
    inst: Instance,
) -> None:
    assignment = solve(**inst.kwargs(with_mentor_score=False))
    prices = mentor_prices(assignment=assignment, **edge_kwargs(inst))
    assert (prices >= 0).all()
    if (assignment >= 0).all():
        bound = upper_bound(
            prices=prices,
            capacities=inst.capacities,
            best_reduced=best_reduced(inst, prices),
            everyone_placed=True,
        )
        everyone = [a for a in feasible_assignments(inst) if matched_count(a) == inst.n_mentees]
        assert bound == pytest.approx(max(total_score(inst, a) for a in everyone), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(
    inst=instances(max_mentees=5, max_mentors=3),
    raw=st.lists(st.floats(0, 3), min_size=3, max_size=3),
)
def test_any_prices_bound_every_assignment_from_above(inst: Instance, raw: list[float]) -> None:
    prices = np.array(raw[: len(inst.capacities)])
    reduced = best_reduced(inst, prices)
    bound = upper_bound(prices=prices, capacities=inst.capacities, best_reduced=reduced)
    for assignment in feasible_assignments(inst):
        assert total_score(inst, assignment) <= bound + 1e-9
        if matched_count(assignment) == inst.n_mentees:
            placed_bound = upper_bound(
                prices=prices,
                capacities=inst.capacities,
                best_reduced=reduced,
                everyone_placed=True,
            )
            assert total_score(inst, assignment) <= placed_bound + 1e-9


def test_prices_reject_an_assignment_that_is_not_optimal() -> None:
    kwargs: dict[str, Any] = {
        "capacities": np.array([1, 1]),
        "mentee": np.array([0, 0, 1, 1]),
        "mentor": np.array([0, 1, 0, 1]),
        "score": np.array([0.9, 0.1, 0.2, 0.8]),
    }
    assert mentor_prices(assignment=np.array([0, 1]), **kwargs).shape == (2,)
    with pytest.raises(ValueError, match="not optimal"):
        mentor_prices(assignment=np.array([1, 0]), **kwargs)


def test_a_full_mentor_has_a_positive_price_and_a_free_one_none() -> None:
    kwargs: dict[str, Any] = {
        "capacities": np.array([1, 2, 0]),
        "mentee": np.array([0, 0, 1, 1]),
        "mentor": np.array([0, 1, 0, 2]),
        "score": np.array([0.9, 0.5, 0.3, 0.7]),
    }
    assignment = solve(n_mentees=2, **kwargs, objective="score")
    assert assignment.tolist() == [0, -1]
    prices = mentor_prices(assignment=assignment, **kwargs, objective="score")
    assert prices[0] > 0
    assert prices[1] == 0
    assert np.isinf(prices[2])


def test_upper_bound_rejects_negative_prices() -> None:
    with pytest.raises(ValueError, match=r"mentor 1: price must be >= 0"):
        upper_bound(
            prices=np.array([0.0, -1.0]), capacities=np.array([1, 1]), best_reduced=np.zeros(2)
        )
