"""The alternating-path searches behind the candidate rounds, against brute force."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings

from matching.solvers._rounds import displaceable_mentees, open_mentors
from matching.solvers._validation import check_edges
from matching.solvers.optimal import maximum_matching
from tests.matching.test_solvers import Instance, feasible_assignments, instances, matched_count


def as_edges(inst: Instance):
    return check_edges(
        n_mentees=inst.n_mentees,
        capacities=inst.capacities,
        mentee=inst.mentee,
        mentor=inst.mentor,
        score=inst.score,
        mentor_score=None,
    )


@settings(max_examples=200, deadline=None)
@given(inst=instances(max_mentees=6, max_mentors=3))
def test_maximum_matching_places_as_many_mentees_as_possible(inst: Instance) -> None:
    result = maximum_matching(as_edges(inst))
    options = feasible_assignments(inst)
    assert tuple(result.tolist()) in options
    assert matched_count(result) == max(matched_count(a) for a in options)


@settings(max_examples=200, deadline=None)
@given(inst=instances(max_mentees=6, max_mentors=3))
def test_displaceable_mentees_are_those_some_maximum_matching_leaves_out(inst: Instance) -> None:
    edges = as_edges(inst)
    options = feasible_assignments(inst)
    most = max(matched_count(a) for a in options)
    expected = {
        i for a in options if matched_count(a) == most for i in range(inst.n_mentees) if a[i] < 0
    }
    found = displaceable_mentees(maximum_matching(edges), edges)
    assert set(found.tolist()) == expected


@settings(max_examples=200, deadline=None)
@given(inst=instances(max_mentees=6, max_mentors=3))
def test_open_mentors_can_free_a_seat_without_unplacing_anyone(inst: Instance) -> None:
    edges = as_edges(inst)
    current = maximum_matching(edges)
    placed = current >= 0
    expected = set()
    for a in feasible_assignments(inst):
        if ((np.array(a) >= 0) == placed).all():
            load = np.bincount([j for j in a if j >= 0], minlength=len(inst.capacities))
            expected |= set(np.flatnonzero(load < inst.capacities).tolist())
    assert set(open_mentors(current, edges).tolist()) == expected
