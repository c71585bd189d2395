"""Assignment solvers: invariants on every mode, brute-force optima, stability, greedy, determinism.

The brute-force helpers here are reused by the other ``test_solvers_*`` modules.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.solvers import MODES, OBJECTIVES, blocking_pairs, solve


@dataclass(frozen=True)
class Instance:
    n_mentees: int
    capacities: np.ndarray
    mentee: np.ndarray
    mentor: np.ndarray
    score: np.ndarray
    mentor_score: np.ndarray

    def kwargs(self, *, with_mentor_score: bool = True) -> dict[str, Any]:
        return {
            "n_mentees": self.n_mentees,
            "capacities": self.capacities,
            "mentee": self.mentee,
            "mentor": self.mentor,
            "score": self.score,
            "mentor_score": self.mentor_score if with_mentor_score else None,
        }


@st.composite
def instances(draw: st.DrawFn, *, max_mentees: int = 5, max_mentors: int = 3) -> Instance:
    """Tiny instances; scores from a small set so that ties happen often."""
    n = draw(st.integers(0, max_mentees))
    m = draw(st.integers(1, max_mentors))
    caps = draw(st.lists(st.integers(0, 3), min_size=m, max_size=m))
    pairs = [(i, j) for i in range(n) for j in range(m)]
    chosen = (
        draw(st.lists(st.sampled_from(pairs), unique=True, max_size=len(pairs))) if pairs else []
    )
    values = st.sampled_from([-0.5, 0.0, 0.25, 0.5, 0.75, 1.0, 0.3333333333333333, 2.5])
    score = [draw(values) for _ in chosen]
    mentor_score = [draw(values) for _ in chosen]
    return Instance(
        n_mentees=n,
        capacities=np.array(caps, dtype=np.int64),
        mentee=np.array([p[0] for p in chosen], dtype=np.int64),
        mentor=np.array([p[1] for p in chosen], dtype=np.int64),
        score=np.array(score, dtype=np.float64),
        mentor_score=np.array(mentor_score, dtype=np.float64),
    )


def feasible_assignments(inst: Instance) -> list[tuple[int, ...]]:
    """Every assignment (mentor or -1 per mentee) that uses given edges within capacity."""
    options: list[list[int]] = [[-1] for _ in range(inst.n_mentees)]
    for i, j in zip(inst.mentee.tolist(), inst.mentor.tolist(), strict=True):
        options[i].append(j)
    found = []
    for choice in itertools.product(*options):
        load = np.bincount([j for j in choice if j >= 0], minlength=len(inst.capacities))
        if (load <= inst.capacities).all():
            found.append(tuple(choice))
    return found


def total_score(inst: Instance, assignment: tuple[int, ...] | np.ndarray) -> float:
    lookup = {
        (i, j): s
        for i, j, s in zip(inst.mentee.tolist(), inst.mentor.tolist(), inst.score, strict=True)
    }
    return float(sum(lookup[(i, j)] for i, j in enumerate(assignment) if j >= 0))


def matched_count(assignment: tuple[int, ...] | np.ndarray) -> int:
    return sum(1 for j in assignment if j >= 0)


def reference_blocking_pairs(inst: Instance, assignment: tuple[int, ...] | np.ndarray) -> set:
    """Blocking pairs by the definition, pair by pair (strict preferences, lower index wins)."""
    score = {}
    mentor_score = {}
    for k in range(len(inst.mentee)):
        pair = (int(inst.mentee[k]), int(inst.mentor[k]))
        score[pair] = inst.score[k]
        mentor_score[pair] = inst.mentor_score[k]

    def mentee_prefers(i: int, j: int, current: int) -> bool:
        if current < 0:
            return True
        return (score[(i, j)], -j) > (score[(i, current)], -current)

    def mentor_prefers(j: int, i: int, other: int) -> bool:
        return (mentor_score[(i, j)], -i) > (mentor_score[(other, j)], -other)

    found = set()
    for i, j in score:
        if assignment[i] == j or not mentee_prefers(i, j, int(assignment[i])):
            continue
        held = [k for k in range(inst.n_mentees) if assignment[k] == j]
        if len(held) < inst.capacities[j] or any(mentor_prefers(j, i, k) for k in held):
            found.add((i, j))
    return found


def check_feasible(inst: Instance, assignment: np.ndarray) -> None:
    assert assignment.shape == (inst.n_mentees,)
    assert assignment.dtype == np.int64
    edges = set(zip(inst.mentee.tolist(), inst.mentor.tolist(), strict=True))
    for i, j in enumerate(assignment.tolist()):
        assert j == -1 or (i, j) in edges  # only given edges, each mentee at most once
    load = np.bincount(assignment[assignment >= 0], minlength=len(inst.capacities))
    assert (load <= inst.capacities).all()


# ---------------------------------------------------------------------------------- invariants


@settings(max_examples=150, deadline=None)
@given(inst=instances(max_mentees=7, max_mentors=4))
def test_every_mode_uses_only_given_edges_within_capacity(inst: Instance) -> None:
    for mode in MODES:
        for objective in OBJECTIVES:
            check_feasible(inst, solve(**inst.kwargs(), mode=mode, objective=objective))


def test_an_instance_without_edges_leaves_everyone_unmatched() -> None:
    for mode in MODES:
        result = solve(
            n_mentees=3,
            capacities=np.array([2, 1]),
            mentee=np.array([], dtype=np.int64),
            mentor=np.array([], dtype=np.int64),
            score=np.array([]),
            mode=mode,
        )
        assert result.tolist() == [-1, -1, -1]


def test_a_mentor_with_capacity_zero_is_never_assigned() -> None:
    kwargs: dict[str, Any] = {
        "n_mentees": 2,
        "capacities": np.array([0, 1]),
        "mentee": np.array([0, 1, 1]),
        "mentor": np.array([0, 0, 1]),
        "score": np.array([1.0, 1.0, 0.1]),
    }
    for mode in MODES:
        assert solve(**kwargs, mode=mode).tolist() == [-1, 1]


# ------------------------------------------------------------------------------------- optimal


@settings(max_examples=200, deadline=None)
@given(inst=instances())
def test_optimal_participation_equals_the_brute_force_optimum(inst: Instance) -> None:
    result = solve(**inst.kwargs(), mode="optimal", objective="participation")
    best = max(feasible_assignments(inst), key=lambda a: (matched_count(a), total_score(inst, a)))
    assert matched_count(result) == matched_count(best)
    assert total_score(inst, result) == pytest.approx(total_score(inst, best), abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(inst=instances())
def test_optimal_score_equals_the_brute_force_optimum(inst: Instance) -> None:
    result = solve(**inst.kwargs(), mode="optimal", objective="score")
    best = max(total_score(inst, a) for a in feasible_assignments(inst))
    assert total_score(inst, result) == pytest.approx(best, abs=1e-9)


def test_participation_first_places_more_mentees_than_the_score_objective() -> None:
    # Mentee 0 loves mentor 0 (1.0) and barely likes mentor 1 (0.1); mentee 1 accepts only
    # mentor 0 (0.5). Placing both scores 0.6, placing only mentee 0 at mentor 0 scores 1.0.
    kwargs: dict[str, Any] = {
        "n_mentees": 2,
        "capacities": np.array([1, 1]),
        "mentee": np.array([0, 0, 1]),
        "mentor": np.array([0, 1, 0]),
        "score": np.array([1.0, 0.1, 0.5]),
    }
    assert solve(**kwargs, objective="participation").tolist() == [1, 0]
    assert solve(**kwargs, objective="score").tolist() == [0, -1]


def test_participation_first_maximises_the_count_even_with_negative_scores() -> None:
    kwargs: dict[str, Any] = {
        "n_mentees": 3,
        "capacities": np.array([1, 2]),
        "mentee": np.array([0, 1, 2, 2]),
        "mentor": np.array([0, 0, 1, 0]),
        "score": np.array([-3.0, 5.0, -1.0, 4.0]),
    }
    result = solve(**kwargs, objective="participation")
    assert matched_count(result) == 2
    assert result.tolist() == [-1, 0, 1]  # 5 - 1 beats -3 - 1
    assert solve(**kwargs, objective="score").tolist() == [-1, 0, -1]


def test_optimal_is_exact_when_scores_differ_below_a_millionth() -> None:
    # Two mentees, one seat each way: the only difference is 1e-9 in total.
    base = 0.123456789
    kwargs: dict[str, Any] = {
        "n_mentees": 2,
        "capacities": np.array([1, 1]),
        "mentee": np.array([0, 0, 1, 1]),
        "mentor": np.array([0, 1, 0, 1]),
        "score": np.array([base + 2e-9, base, base, base + 1e-9]),
    }
    assert solve(**kwargs).tolist() == [0, 1]
    swapped: dict[str, Any] = dict(kwargs, score=np.array([base, base + 2e-9, base + 1e-9, base]))
    assert solve(**swapped).tolist() == [1, 0]


def test_optimal_scores_at_least_as_much_as_greedy_and_stable_on_a_random_cohort() -> None:
    rng = np.random.default_rng(7)
    n, m, k = 600, 120, 8
    mentee = np.repeat(np.arange(n), k)
    mentor = np.concatenate([rng.choice(m, k, replace=False) for _ in range(n)])
    score = rng.random(n * k)
    caps = rng.integers(1, 5, m)
    kwargs: dict[str, Any] = {
        "n_mentees": n,
        "capacities": caps,
        "mentee": mentee,
        "mentor": mentor,
    }
    optimal = solve(**kwargs, score=score)
    for mode in ("greedy", "stable"):
        other = solve(**kwargs, score=score, mode=mode)
        assert (optimal >= 0).sum() >= (other >= 0).sum()
    best_score = solve(**kwargs, score=score, objective="score")
    picked = score[optimal[mentee] == mentor].sum()
    assert score[best_score[mentee] == mentor].sum() >= picked - 1e-9


# -------------------------------------------------------------------------------------- stable


def stable_matchings(inst: Instance) -> list[tuple[int, ...]]:
    return [a for a in feasible_assignments(inst) if not reference_blocking_pairs(inst, a)]


def mentee_rank(inst: Instance, i: int, j: int) -> tuple[float, int]:
    """Sort key of mentor j for mentee i: smaller is better; unmatched is worst."""
    if j < 0:
        return (np.inf, 0)
    k = int(np.flatnonzero((inst.mentee == i) & (inst.mentor == j))[0])
    return (-inst.score[k], j)


@settings(max_examples=200, deadline=None)
@given(inst=instances(max_mentees=5, max_mentors=3))
def test_stable_has_no_blocking_pair_and_is_the_mentee_optimal_stable_matching(
    inst: Instance,
) -> None:
    result = solve(**inst.kwargs(), mode="stable")
    assert reference_blocking_pairs(inst, result) == set()
    everyone = stable_matchings(inst)
    assert tuple(result.tolist()) in everyone
    for other in everyone:  # every mentee weakly prefers its partner here to any stable partner
        for i in range(inst.n_mentees):
            assert mentee_rank(inst, i, int(result[i])) <= mentee_rank(inst, i, other[i])


def test_stable_follows_the_mentors_own_preferences() -> None:
    # Both mentees rank mentor 0 first; mentor 0 prefers mentee 1 by mentor_score.
    kwargs: dict[str, Any] = {
        "n_mentees": 2,
        "capacities": np.array([1, 1]),
        "mentee": np.array([0, 0, 1, 1]),
        "mentor": np.array([0, 1, 0, 1]),
        "score": np.array([0.9, 0.2, 0.8, 0.1]),
    }
    assert solve(**kwargs, mode="stable").tolist() == [0, 1]
    preferring_1 = solve(**kwargs, mentor_score=np.array([0.1, 0.5, 0.9, 0.5]), mode="stable")
    assert preferring_1.tolist() == [1, 0]


def test_stable_breaks_ties_by_the_lower_index() -> None:
    kwargs: dict[str, Any] = {
        "n_mentees": 2,
        "capacities": np.array([1, 1]),
        "mentee": np.array([1, 1, 0, 0]),
        "mentor": np.array([1, 0, 1, 0]),
        "score": np.array([0.5, 0.5, 0.5, 0.5]),
    }
    # Both mentees prefer mentor 0 (lower index); mentor 0 prefers mentee 0 (lower index).
    assert solve(**kwargs, mode="stable").tolist() == [0, 1]
    assert solve(**kwargs, mode="greedy").tolist() == [0, 1]


@settings(max_examples=100, deadline=None)
@given(inst=instances(max_mentees=7, max_mentors=4), seed=st.integers(0, 2**32 - 1))
def test_stable_and_greedy_do_not_depend_on_the_order_of_the_edges(
    inst: Instance, seed: int
) -> None:
    perm = np.random.default_rng(seed).permutation(len(inst.mentee))
    shuffled = Instance(
        inst.n_mentees,
        inst.capacities,
        inst.mentee[perm],
        inst.mentor[perm],
        inst.score[perm],
        inst.mentor_score[perm],
    )
    for mode in ("stable", "greedy"):
        assert (
            solve(**inst.kwargs(), mode=mode).tolist()
            == solve(**shuffled.kwargs(), mode=mode).tolist()
        )


def test_stable_on_a_random_cohort_has_no_blocking_pair() -> None:
    rng = np.random.default_rng(11)
    n, m, k = 3000, 400, 12
    mentee = np.repeat(np.arange(n), k)
    mentor = np.concatenate([rng.choice(m, k, replace=False) for _ in range(n)])
    # popular mentors: everybody's scores lean towards the low indices, so rejections chain
    score = rng.random(n * k) + 1.0 / (1.0 + mentor)
    mentor_score = rng.random(n * k)
    caps = rng.integers(1, 5, m)
    kwargs: dict[str, Any] = {
        "capacities": caps,
        "mentee": mentee,
        "mentor": mentor,
        "score": score,
    }
    result = solve(n_mentees=n, **kwargs, mentor_score=mentor_score, mode="stable")
    assert blocking_pairs(assignment=result, **kwargs, mentor_score=mentor_score).shape == (0, 2)
    load = np.bincount(result[result >= 0], minlength=m)
    assert (load <= caps).all()


# -------------------------------------------------------------------------------------- greedy


def reference_greedy(inst: Instance) -> list[int]:
    order = sorted(
        range(len(inst.mentee)),
        key=lambda k: (-inst.score[k], inst.mentee[k], inst.mentor[k]),
    )
    result = [-1] * inst.n_mentees
    seats = inst.capacities.tolist()
    for k in order:
        i, j = int(inst.mentee[k]), int(inst.mentor[k])
        if result[i] < 0 and seats[j] > 0:
            result[i] = j
            seats[j] -= 1
    return result


@settings(max_examples=200, deadline=None)
@given(inst=instances(max_mentees=8, max_mentors=4))
def test_greedy_takes_edges_by_score_descending(inst: Instance) -> None:
    assert solve(**inst.kwargs(), mode="greedy").tolist() == reference_greedy(inst)


def test_greedy_ignores_mentor_score() -> None:
    kwargs: dict[str, Any] = {
        "n_mentees": 2,
        "capacities": np.array([1]),
        "mentee": np.array([0, 1]),
        "mentor": np.array([0, 0]),
        "score": np.array([0.4, 0.6]),
    }
    assert solve(**kwargs, mode="greedy").tolist() == [-1, 0]
    assert solve(**kwargs, mentor_score=np.array([1.0, 0.0]), mode="greedy").tolist() == [-1, 0]


# ------------------------------------------------------------------------------ blocking pairs


@settings(max_examples=150, deadline=None)
@given(inst=instances(max_mentees=5, max_mentors=3), pick=st.integers(0, 10**6))
def test_blocking_pairs_agrees_with_the_definition(inst: Instance, pick: int) -> None:
    options = feasible_assignments(inst)
    assignment = np.array(options[pick % len(options)], dtype=np.int64)
    found = blocking_pairs(
        assignment=assignment,
        capacities=inst.capacities,
        mentee=inst.mentee,
        mentor=inst.mentor,
        score=inst.score,
        mentor_score=inst.mentor_score,
    )
    assert found.shape[1:] == (2,)
    assert {tuple(p) for p in found.tolist()} == reference_blocking_pairs(inst, assignment)


# ------------------------------------------------------------------------------- determinism


def test_the_same_input_gives_the_same_assignment() -> None:
    rng = np.random.default_rng(3)
    n, m, k = 400, 60, 6
    mentee = np.repeat(np.arange(n), k)
    mentor = np.concatenate([rng.choice(m, k, replace=False) for _ in range(n)])
    score = np.round(rng.random(n * k), 2)  # many ties
    caps = rng.integers(1, 4, m)
    for mode in MODES:
        for objective in OBJECTIVES:
            runs = [
                solve(
                    n_mentees=n,
                    capacities=caps,
                    mentee=mentee,
                    mentor=mentor,
                    score=score,
                    mode=mode,
                    objective=objective,
                ).tolist()
                for _ in range(2)
            ]
            assert runs[0] == runs[1]
