"""Public entry points of the assignment solvers (re-exported by ``matching.solvers``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from matching.solvers._order import new_pairs
from matching.solvers._rounds import displaceable_mentees, open_mentors
from matching.solvers._validation import (
    Edges,
    check_count,
    check_edges,
    check_index_range,
    check_mode,
    check_objective,
    float_vector,
    int_vector,
)
from matching.solvers.optimal import maximum_matching, solve_optimal
from matching.solvers.stable import deferred_acceptance, find_blocking_pairs, greedy

Mode = Literal["optimal", "stable", "greedy"]
Objective = Literal["participation", "score"]

MoreCandidates = Callable[
    [NDArray[np.int64], NDArray[np.int64]],
    tuple[NDArray[np.integer], NDArray[np.integer], NDArray[np.floating]],
]


def solve(
    *,
    n_mentees: int,
    capacities: NDArray[np.integer],
    mentee: NDArray[np.integer],
    mentor: NDArray[np.integer],
    score: NDArray[np.floating],
    mentor_score: NDArray[np.floating] | None = None,
    mode: str = "optimal",
    objective: str = "participation",
) -> NDArray[np.int64]:
    """Assign mentees to mentors along the given edges, exactly.

    Parameters
    ----------
    n_mentees : int
        Number of mentees; mentee indices are ``0 .. n_mentees - 1``.
    capacities : array of int, shape (n_mentors,)
        Free seats per mentor, ``>= 0``.
    mentee, mentor : arrays of int, shape (n_edges,)
        The acceptable pairs; a pair that is not listed is never assigned.
    score : array of float, shape (n_edges,)
        Finite. The mentee's preference and the objective.
    mentor_score : array of float, shape (n_edges,), optional
        The mentor's preference (``stable`` only); defaults to ``score``.
    mode : {"optimal", "stable", "greedy"}
        ``optimal``: min-cost flow (OR-Tools). ``stable``: mentee-proposing deferred acceptance,
        the mentee-optimal stable matching (ties broken by lower index). ``greedy``: edges by
        score descending (ties: lower mentee, then lower mentor).
    objective : {"participation", "score"}
        ``optimal`` only. ``participation``: the largest number of mentees matched, then the
        largest total score. ``score``: the largest total score, leaving mentees unmatched when
        that scores more.

    Returns
    -------
    ndarray of int64, shape (n_mentees,)
        The mentor of each mentee, ``-1`` when unmatched.

    Raises
    ------
    ValueError
        Shape mismatch, index out of range, duplicate pair, negative capacity, non-finite score,
        unknown mode or objective. Edge problems start with ``"edge K: "``, ``K`` the position.

    Notes
    -----
    ``optimal`` is exact on the given edges: the number matched exactly, the total score up to
    the integer scaling OR-Tools needs (scores are rounded to ``(max - min) / C``, ``C`` between
    about 1e8 for 130,000 people and 2**52 for small cohorts; the total is within
    ``matched * (max - min) / C`` of the optimum, see :mod:`matching.solvers.optimal`).
    ``stable`` and ``greedy`` compare floats exactly.
    """
    check_mode(mode)
    check_objective(objective)
    edges = check_edges(
        n_mentees=n_mentees,
        capacities=capacities,
        mentee=mentee,
        mentor=mentor,
        score=score,
        mentor_score=mentor_score,
    )
    return _solve(edges, mode=mode, objective=objective)


def _solve(edges: Edges, *, mode: str, objective: str) -> NDArray[np.int64]:
    if mode == "optimal":
        return solve_optimal(edges, objective=objective)
    if mode == "stable":
        return deferred_acceptance(edges)
    return greedy(edges)


def solve_with_candidates(
    *,
    n_mentees: int,
    capacities: NDArray[np.integer],
    mentee: NDArray[np.integer],
    mentor: NDArray[np.integer],
    score: NDArray[np.floating],
    mentor_score: NDArray[np.floating] | None = None,
    mode: str = "optimal",
    objective: str = "participation",
    more_candidates: MoreCandidates | None = None,
    max_rounds: int = 3,
) -> NDArray[np.int64]:
    """Like :func:`solve`, adding candidate edges for mentees left unmatched.

    While some mentees are unmatched and some mentor can still take one,
    ``more_candidates(stranded, free_mentors)`` is called with mentee and mentor indices (both
    int64, ascending). It returns ``(mentee, mentor, score)`` arrays of extra edges (the caller
    scores them and applies its hard rules); they are added, at most ``max_rounds`` times, and
    the result is exact on the final edges. Extra edges whose pair is already present are
    ignored; their ``mentor_score`` is their ``score``. The rounds stop early when everyone is
    placed, no mentor can take anyone, or no new edge comes back.

    Who is offered:

    * ``optimal`` with ``participation``: ``stranded`` holds every mentee that *some* maximum
      matching of the current edges leaves unplaced: the unmatched ones and all the mentees they
      compete with for full mentors (when a popular niche runs out of seats, the optimum should
      choose who leaves it, which it can only do if those mentees have somewhere else to go).
      ``free_mentors`` holds the mentors with a free seat now or after moving their mentees along
      existing edges (a chain ending at a free seat). The first round is found with an OR-Tools
      max flow, a fraction of the cost of the min-cost solve; the min-cost solve then runs once
      per round.
    * other modes and objectives: the mentees the mode leaves unmatched and the mentors with a
      free seat, re-solving from scratch each round (deferred acceptance has to restart because
      new edges can rank above edges a stranded mentee was already rejected on).

    OR-Tools' ``SimpleMinCostFlow`` cannot start from a previous flow, so re-solves are cold.

    Parameters and return value are those of :func:`solve`, plus:

    more_candidates : callable, optional
        ``(stranded (k,), free_mentors (f,)) -> (mentee (e,), mentor (e,), score (e,))``.
    max_rounds : int
        Number of candidate rounds, ``>= 0``.

    Raises
    ------
    ValueError
        As :func:`solve`; also for bad extra edges (``"candidate round R: edge K: ..."``).
    """
    check_mode(mode)
    check_objective(objective)
    rounds = check_count(max_rounds, "max_rounds")
    edges = check_edges(
        n_mentees=n_mentees,
        capacities=capacities,
        mentee=mentee,
        mentor=mentor,
        score=score,
        mentor_score=mentor_score,
    )
    if more_candidates is None or rounds == 0:
        return _solve(edges, mode=mode, objective=objective)
    if mode == "optimal" and objective == "participation":
        return _participation_rounds(edges, more_candidates, rounds)
    assignment = _solve(edges, mode=mode, objective=objective)
    for round_no in range(1, rounds + 1):
        stranded, free_mentors = _gaps(assignment, edges)
        if stranded.size == 0 or free_mentors.size == 0:
            break
        extra = _extra_edges(edges, more_candidates(stranded, free_mentors), round_no=round_no)
        if extra is None:
            break
        edges = extra
        assignment = _solve(edges, mode=mode, objective=objective)
    return assignment


def _gaps(
    assignment: NDArray[np.int64], edges: Edges
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Unmatched mentees and mentors with a free seat, both ascending int64."""
    load = np.bincount(assignment[assignment >= 0], minlength=edges.n_mentors)
    stranded = np.flatnonzero(assignment < 0).astype(np.int64)
    return stranded, np.flatnonzero(load < edges.capacities).astype(np.int64)


def _participation_rounds(
    edges: Edges, more_candidates: MoreCandidates, rounds: int
) -> NDArray[np.int64]:
    """Candidate rounds for participation-first; exact on the final edges.

    A max flow (a fraction of the min-cost solve) finds who cannot be placed. The callback then
    gets every mentee some maximum matching leaves out (not only the ones this one left out: in a
    saturated niche the optimum decides who leaves) and every mentor that has a free seat or can
    free one by moving its mentees along existing edges. The min-cost solve on the extended edges
    is itself a maximum matching, so a later round starts from it. The edges are kept in parts
    (the caller's arrays and each round's new pairs) so the caller's arrays are never copied.
    """
    parts = [edges]
    assignment = maximum_matching(edges)
    solved = False
    for round_no in range(1, rounds + 1):
        if (assignment >= 0).all():
            break
        whole = _concatenate(parts)
        mentors = open_mentors(assignment, whole)
        if mentors.size == 0:
            break
        offered = displaceable_mentees(assignment, whole)
        fresh = _fresh_edges(whole, more_candidates(offered, mentors), round_no=round_no)
        del whole
        if fresh is None:
            break
        parts.append(fresh)
        assignment = solve_optimal(parts, objective="participation")
        solved = True
    return assignment if solved else solve_optimal(parts, objective="participation")


def _concatenate(parts: list[Edges]) -> Edges:
    if len(parts) == 1:
        return parts[0]
    score = np.concatenate([p.score for p in parts])
    same = all(p.mentor_score is p.score for p in parts)
    return Edges(
        n_mentees=parts[0].n_mentees,
        capacities=parts[0].capacities,
        mentee=np.concatenate([p.mentee for p in parts]),
        mentor=np.concatenate([p.mentor for p in parts]),
        score=score,
        mentor_score=score if same else np.concatenate([p.mentor_score for p in parts]),
    )


def _extra_edges(
    edges: Edges,
    returned: tuple[NDArray[np.integer], NDArray[np.integer], NDArray[np.floating]],
    *,
    round_no: int,
) -> Edges | None:
    """``edges`` plus the new pairs among ``returned``; None when there is no new pair."""
    fresh = _fresh_edges(edges, returned, round_no=round_no)
    return None if fresh is None else _concatenate([edges, fresh])


def _fresh_edges(
    edges: Edges,
    returned: tuple[NDArray[np.integer], NDArray[np.integer], NDArray[np.floating]],
    *,
    round_no: int,
) -> Edges | None:
    """The pairs among ``returned`` that ``edges`` lacks (first copy of each), or None."""
    where = f"candidate round {round_no}"
    try:
        new_mentee, new_mentor, new_score = returned
    except (TypeError, ValueError):
        raise ValueError(
            f"{where}: more_candidates must return (mentee, mentor, score) arrays"
        ) from None
    try:
        a = int_vector(new_mentee, "mentee")
        b = int_vector(new_mentor, "mentor")
        s = float_vector(new_score, "score")
        if not a.shape[0] == b.shape[0] == s.shape[0]:
            raise ValueError(
                f"mentee, mentor and score have lengths {a.shape[0]}, {b.shape[0]}, "
                f"{s.shape[0]}; they must be equal"
            )
        check_index_range(a, edges.n_mentees, "mentee")
        check_index_range(b, edges.n_mentors, "mentor")
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    keep = new_pairs(edges.mentee, edges.mentor, a, b, edges.n_mentors)
    if not keep.any():
        return None
    score = s[keep]
    return Edges(
        n_mentees=edges.n_mentees,
        capacities=edges.capacities,
        mentee=a[keep],
        mentor=b[keep],
        score=score,
        mentor_score=score,
    )


def blocking_pairs(
    *,
    assignment: NDArray[np.integer],
    capacities: NDArray[np.integer],
    mentee: NDArray[np.integer],
    mentor: NDArray[np.integer],
    score: NDArray[np.floating],
    mentor_score: NDArray[np.floating] | None = None,
) -> NDArray[np.int64]:
    """The (mentee, mentor) edges that block ``assignment``.

    A pair blocks when the mentee prefers the mentor to its own (or is unmatched) and the mentor
    has a free seat or prefers the mentee to the worst mentee it holds. Preferences are those of
    :func:`solve` in ``stable`` mode (ties broken by lower index).

    Parameters
    ----------
    assignment : array of int, shape (n_mentees,)
        Mentor per mentee or ``-1``; every assigned pair must be an edge and no mentor may be
        over capacity (ValueError otherwise).
    capacities, mentee, mentor, score, mentor_score
        As in :func:`solve`.

    Returns
    -------
    ndarray of int64, shape (k, 2)
        Blocking (mentee, mentor) pairs in edge order; ``k == 0`` for a stable assignment.
    """
    assigned = int_vector(assignment, "assignment")
    edges = check_edges(
        n_mentees=int(assigned.shape[0]),
        capacities=capacities,
        mentee=mentee,
        mentor=mentor,
        score=score,
        mentor_score=mentor_score,
    )
    return find_blocking_pairs(assigned, edges)
