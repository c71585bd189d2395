"""solve_with_candidates: extra edges for stranded mentees until everyone who can be placed is."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matching.solvers import MODES, blocking_pairs, solve, solve_with_candidates


class NicheCohort:
    """Mentees and mentors in niches; everyone's top-k lies in their own niche.

    Niche 0 is popular: it has many more mentees than seats, so its mentees' top-k edges run out
    while mentors of other niches still have free seats. Every mentor is acceptable to every
    mentee, with a score that is high inside the niche and low across niches.
    """

    def __init__(self, *, seed: int, k: int = 2) -> None:
        rng = np.random.default_rng(seed)
        self.mentee_niche = np.array([0] * 12 + [1] * 4 + [2] * 4)
        self.mentor_niche = np.array([0, 0, 1, 1, 1, 2, 2, 2])
        self.capacities = np.array([2, 2, 2, 2, 2, 2, 2, 2])
        same = self.mentee_niche[:, None] == self.mentor_niche[None, :]
        self.scores = np.where(same, 0.6, 0.0) + 0.4 * rng.random(same.shape)
        self.n_mentees = self.scores.shape[0]
        top = np.argsort(-self.scores, axis=1, kind="stable")[:, :k]
        self.mentee = np.repeat(np.arange(self.n_mentees), k)
        self.mentor = top.ravel()
        self.score = self.scores[self.mentee, self.mentor]
        self.calls: list[tuple[np.ndarray, np.ndarray]] = []

    def kwargs(self) -> dict[str, Any]:
        return {
            "n_mentees": self.n_mentees,
            "capacities": self.capacities,
            "mentee": self.mentee,
            "mentor": self.mentor,
            "score": self.score,
        }

    def more(self, stranded: np.ndarray, free: np.ndarray) -> tuple:
        """Score the stranded mentees against every mentor with a free seat."""
        self.calls.append((stranded.copy(), free.copy()))
        mentee = np.repeat(stranded, free.shape[0])
        mentor = np.tile(free, stranded.shape[0])
        return mentee, mentor, self.scores[mentee, mentor]


def test_candidate_rounds_place_mentees_that_top_k_alone_strands() -> None:
    cohort = NicheCohort(seed=1)
    top_k_only = solve(**cohort.kwargs())
    assert (top_k_only < 0).sum() == 8  # 12 mentees of niche 0, 4 seats there
    result = solve_with_candidates(**cohort.kwargs(), more_candidates=cohort.more)
    # 20 mentees, 16 seats: 16 placed is the most any assignment can do on the full graph
    assert (result >= 0).sum() == min(cohort.n_mentees, int(cohort.capacities.sum()))
    full = solve(
        n_mentees=cohort.n_mentees,
        capacities=cohort.capacities,
        mentee=np.repeat(np.arange(cohort.n_mentees), 8),
        mentor=np.tile(np.arange(8), cohort.n_mentees),
        score=cohort.scores.ravel(),
    )
    assert (result >= 0).sum() == (full >= 0).sum()


def test_participation_rounds_offer_everyone_competing_for_the_full_niche() -> None:
    cohort = NicheCohort(seed=2)
    first = solve(**cohort.kwargs())
    solve_with_candidates(**cohort.kwargs(), more_candidates=cohort.more, max_rounds=1)
    offered, mentors = cohort.calls[0]
    assert offered.dtype == np.int64
    assert mentors.dtype == np.int64
    # all 12 mentees of niche 0 compete for its 4 seats; nobody else is at risk
    assert offered.tolist() == np.flatnonzero(cohort.mentee_niche == 0).tolist()
    assert set(np.flatnonzero(first < 0).tolist()) <= set(offered.tolist())
    # niches 1 and 2 have free seats (directly or by moving a mentee); niche 0 has none
    assert mentors.tolist() == np.flatnonzero(cohort.mentor_niche != 0).tolist()


def test_candidate_rounds_let_the_optimum_choose_who_leaves_a_full_niche() -> None:
    # Mentor 0 has one seat and two mentees want only it on the top-1 edges. Mentee 0 has a good
    # alternative (mentor 1, 0.8), mentee 1 a poor one (mentor 2, 0.1). Whoever a max flow strands,
    # the optimum moves mentee 0: that needs candidates for mentee 0 as well.
    scores = np.array([[0.9, 0.8, 0.0], [0.95, 0.0, 0.1]])

    def more(stranded: np.ndarray, free: np.ndarray) -> tuple:
        mentee = np.repeat(stranded, free.shape[0])
        mentor = np.tile(free, stranded.shape[0])
        return mentee, mentor, scores[mentee, mentor]

    result = solve_with_candidates(
        n_mentees=2,
        capacities=np.array([1, 1, 1]),
        mentee=np.array([0, 1]),
        mentor=np.array([0, 0]),
        score=np.array([0.9, 0.95]),
        more_candidates=more,
    )
    assert result.tolist() == [1, 0]  # 0.8 + 0.95 beats 0.9 + 0.1


@pytest.mark.parametrize(
    ("mode", "objective"), [("stable", "participation"), ("greedy", "score"), ("optimal", "score")]
)
def test_other_rounds_offer_exactly_the_mentees_the_mode_leaves_unmatched(
    mode: str, objective: str
) -> None:
    cohort = NicheCohort(seed=2)
    first = solve(**cohort.kwargs(), mode=mode, objective=objective)
    solve_with_candidates(
        **cohort.kwargs(), mode=mode, objective=objective, more_candidates=cohort.more, max_rounds=1
    )
    stranded, free = cohort.calls[0]
    assert stranded.tolist() == np.flatnonzero(first < 0).tolist()
    load = np.bincount(first[first >= 0], minlength=8)
    assert free.tolist() == np.flatnonzero(load < cohort.capacities).tolist()


def test_rounds_stop_when_nobody_is_stranded() -> None:
    cohort = NicheCohort(seed=3)
    cohort.capacities = np.full(8, 3)  # 24 seats for 20 mentees
    result = solve_with_candidates(**cohort.kwargs(), more_candidates=cohort.more, max_rounds=5)
    assert (result >= 0).all()
    assert len(cohort.calls) == 1  # one round was enough; no call once everyone is placed


def test_rounds_stop_when_no_new_edge_comes_back_and_respect_max_rounds() -> None:
    cohort = NicheCohort(seed=4)
    calls = []

    def nothing_new(stranded: np.ndarray, free: np.ndarray) -> tuple:
        calls.append(1)
        return cohort.mentee[:3], cohort.mentor[:3], cohort.score[:3]  # pairs already present

    plain = solve(**cohort.kwargs())
    result = solve_with_candidates(**cohort.kwargs(), more_candidates=nothing_new, max_rounds=4)
    assert result.tolist() == plain.tolist()
    assert len(calls) == 1
    zero = solve_with_candidates(**cohort.kwargs(), more_candidates=cohort.more, max_rounds=0)
    assert zero.tolist() == plain.tolist()
    assert cohort.calls == []


def test_without_a_callback_it_is_solve() -> None:
    cohort = NicheCohort(seed=5)
    for mode in MODES:
        assert (
            solve_with_candidates(**cohort.kwargs(), mode=mode).tolist()
            == solve(**cohort.kwargs(), mode=mode).tolist()
        )


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), mode=st.sampled_from(MODES))
def test_every_mode_with_candidates_stays_feasible_and_stable_stays_stable(
    seed: int, mode: str
) -> None:
    cohort = NicheCohort(seed=seed, k=2)
    added: list[tuple] = []

    def more(stranded: np.ndarray, free: np.ndarray) -> tuple:
        extra = cohort.more(stranded, free)
        added.append(extra)
        return extra

    result = solve_with_candidates(**cohort.kwargs(), mode=mode, more_candidates=more)
    mentee = np.concatenate([cohort.mentee, *[a[0] for a in added]])
    mentor = np.concatenate([cohort.mentor, *[a[1] for a in added]])
    pairs = set(zip(mentee.tolist(), mentor.tolist(), strict=True))
    for i, j in enumerate(result.tolist()):
        assert j == -1 or (i, j) in pairs
    load = np.bincount(result[result >= 0], minlength=8)
    assert (load <= cohort.capacities).all()
    if mode == "stable":
        score = cohort.scores[mentee, mentor]
        found = blocking_pairs(
            assignment=result,
            capacities=cohort.capacities,
            mentee=mentee,
            mentor=mentor,
            score=score,
        )
        assert found.shape == (0, 2)


def test_extra_edges_use_their_score_as_the_mentor_preference() -> None:
    # Three mentees want mentor 0 (one seat), which prefers mentee 1 by mentor_score. The two
    # stranded mentees both get an extra edge to mentor 1 (one seat); mentor 1 ranks them by
    # the extra edges' score, so mentee 2 (0.5) beats mentee 0 (0.3) despite the higher index.
    kwargs: dict[str, Any] = {
        "n_mentees": 3,
        "capacities": np.array([1, 1]),
        "mentee": np.array([0, 1, 2]),
        "mentor": np.array([0, 0, 0]),
        "score": np.array([0.9, 0.8, 0.7]),
        "mentor_score": np.array([0.0, 1.0, 0.0]),
    }

    def more(stranded: np.ndarray, free: np.ndarray) -> tuple:
        assert stranded.tolist() == [0, 2]
        assert free.tolist() == [1]
        return np.array([0, 2]), np.array([1, 1]), np.array([0.3, 0.5])

    result = solve_with_candidates(**kwargs, mode="stable", more_candidates=more)
    assert result.tolist() == [-1, 0, 1]


@pytest.mark.parametrize("mode", MODES)
def test_a_callback_returning_nothing_is_fine(mode: str) -> None:
    cohort = NicheCohort(seed=6)
    empty = (np.array([], dtype=np.int64), np.array([], dtype=np.int64), np.array([]))
    result = solve_with_candidates(
        **cohort.kwargs(), mode=mode, more_candidates=lambda _s, _f: empty
    )
    assert result.tolist() == solve(**cohort.kwargs(), mode=mode).tolist()
