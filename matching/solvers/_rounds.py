"""Who to ask candidates for when top-k edges strand mentees: alternating-path reachability.

With a maximum matching of the current edges in hand:

* ``displaceable_mentees``: the mentees that *some* maximum matching leaves unplaced, i.e. the
  unmatched ones and every mentee they could push out by alternating moves (an unmatched mentee
  takes a mentor's seat, that mentor's mentee is pushed out, and so on). When a popular niche runs
  out of seats, these are all the mentees competing for it, not just the few a particular solver
  run happened to leave out; offering all of them new mentors lets the optimum choose who leaves.
* ``open_mentors``: the mentors with a free seat, directly or after moving one of their mentees
  along existing edges to another open mentor (a chain that ends at a free seat).

Both are breadth-first searches, one vectorised step per level.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from matching.solvers._validation import Edges


def _groups(key: NDArray[np.int64], size: int) -> tuple[NDArray[np.intp], NDArray[np.int64]]:
    """Positions of ``key`` grouped by value (any order inside a group) and group boundaries."""
    order = np.argsort(key)
    bounds = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(np.bincount(key, minlength=size), out=bounds[1:])
    return order, bounds


def _members(
    order: NDArray[np.intp], bounds: NDArray[np.int64], groups: NDArray[np.int64]
) -> NDArray[np.intp]:
    counts = bounds[groups + 1] - bounds[groups]
    at = np.repeat(bounds[groups] - np.cumsum(counts) + counts, counts)
    at += np.arange(at.shape[0])
    members: NDArray[np.intp] = order[at]
    return members


def displaceable_mentees(assignment: NDArray[np.int64], edges: Edges) -> NDArray[np.int64]:
    """Mentees unplaced by some maximum matching; ``assignment`` must be a maximum matching."""
    n, m = edges.n_mentees, edges.n_mentors
    by_mentee, mentee_bounds = _groups(edges.mentee, n)
    placed = np.flatnonzero(assignment >= 0)
    by_mentor, mentor_bounds = _groups(assignment[placed], m)
    seen_mentee = assignment < 0
    seen_mentor = np.zeros(m, dtype=bool)
    frontier = np.flatnonzero(seen_mentee)
    while frontier.size:
        mentors = np.unique(edges.mentor[_members(by_mentee, mentee_bounds, frontier)])
        mentors = mentors[~seen_mentor[mentors]]
        seen_mentor[mentors] = True
        pushed = np.unique(placed[_members(by_mentor, mentor_bounds, mentors)])
        frontier = pushed[~seen_mentee[pushed]]
        seen_mentee[frontier] = True
    return np.flatnonzero(seen_mentee).astype(np.int64)


def open_mentors(assignment: NDArray[np.int64], edges: Edges) -> NDArray[np.int64]:
    """Mentors with a free seat now or after moving their mentees along existing edges."""
    m = edges.n_mentors
    load = np.bincount(assignment[assignment >= 0], minlength=m)
    seen = load < edges.capacities
    by_mentor, bounds = _groups(edges.mentor, m)
    frontier = np.flatnonzero(seen)
    while frontier.size:
        reaching = _members(by_mentor, bounds, frontier)  # edges into open mentors
        mentee = edges.mentee[reaching]
        movable = (assignment[mentee] >= 0) & (assignment[mentee] != edges.mentor[reaching])
        mentors = np.unique(assignment[mentee[movable]])
        frontier = mentors[~seen[mentors]]
        seen[frontier] = True
    return np.flatnonzero(seen).astype(np.int64)
