"""Certificates for optimal assignments: mentor prices (LP duals) and the upper bounds they give.

An assignment solved on a *subset* of the acceptable pairs (say each mentee's top 20) is exact on
that subset; these functions tell how far it can be from the optimum over *all* pairs. The linear
relaxation of assignment under capacities has, for any prices ``v_j >= 0`` on mentors, the bound

    total score of any assignment <= sum_i max(0, max_j (s_ij - v_j)) + sum_j capacity_j * v_j

(weak duality: set ``u_i`` to the first term's summand; then ``u_i + v_j >= s_ij`` for every pair).
If every mentee is placed, ``max(0, .)`` can be dropped. The bound holds for *any* prices, so it is
a certificate whatever produced them; good prices make it tight. :func:`mentor_prices` returns the
optimal dual prices of an optimal assignment on its own edges (then the bound over those edges
equals the assignment's total), which are the natural prices to test the remaining pairs with:
the caller evaluates ``max_j (s_ij - v_j)`` over all pairs (e.g. in chunks of a score matrix) and
passes it to :func:`upper_bound`.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from matching.solvers._validation import check_edges, check_objective, int_vector
from matching.solvers.optimal import build_network
from matching.solvers.stable import check_assignment

_INF = np.iinfo(np.int64).max // 4


def mentor_prices(
    *,
    assignment: NDArray[np.integer],
    capacities: NDArray[np.integer],
    mentee: NDArray[np.integer],
    mentor: NDArray[np.integer],
    score: NDArray[np.floating],
    objective: str = "participation",
) -> NDArray[np.float64]:
    """Optimal LP dual prices of the mentors for an optimal assignment on the given edges.

    Parameters
    ----------
    assignment : array of int, shape (n_mentees,)
        The result of ``solve(mode="optimal", objective=objective)`` on these edges.
    capacities, mentee, mentor, score
        As in ``solve``.
    objective : {"participation", "score"}
        The objective the assignment optimises. For ``participation`` the prices are those of the
        equivalent weighted problem ``score + M`` with ``M`` large enough that one more placement
        outweighs any score difference.

    Returns
    -------
    ndarray of float64, shape (n_mentors,)
        The lowest optimal prices, ``>= 0``, in score units; ``0`` for mentors with a free seat,
        ``inf`` for mentors with capacity 0. Computed exactly on the solver's integer costs (a
        shortest-path problem over the mentors, Bellman-Ford in vectorised rounds), then scaled
        back to score units.

    Raises
    ------
    ValueError
        Bad input as in ``solve``, or the assignment is infeasible or not optimal on these edges
        (a negative cycle: some exchange of mentors would raise the objective).
    """
    check_objective(objective)
    assigned = int_vector(assignment, "assignment")
    edges = check_edges(
        n_mentees=int(assigned.shape[0]),
        capacities=capacities,
        mentee=mentee,
        mentor=mentor,
        score=score,
        mentor_score=None,
    )
    check_assignment(assigned, edges)
    prices = np.where(edges.capacities > 0, 0.0, np.inf)
    net = build_network(edges, objective=objective)
    if net.n_edges == 0:
        return prices
    n_b = net.mentor_ids.shape[0]
    origin = n_b
    steps = net.steps
    bonus = (net.mentee_ids.shape[0] + 1) * net.scale if objective == "participation" else 0
    tail_mentee = net.mentee_ids[net.tail]
    head_mentor = net.mentor_ids[net.head]

    # each network mentee's own edge (position in the network's edge list), -1 if unmatched
    own_edge = np.full(edges.n_mentees, -1, dtype=np.int64)
    is_own = assigned[tail_mentee] == head_mentor
    if int(is_own.sum()) != int((assigned >= 0).sum()):
        # only the score objective leaves assignable edges out of the network (score <= 0)
        raise ValueError("the assignment uses an edge with score <= 0, which is not score-optimal")
    own_positions = np.flatnonzero(is_own)
    own_edge[tail_mentee[own_positions]] = own_positions
    own = own_edge[tail_mentee]
    matched = own >= 0

    load = np.bincount(assigned[assigned >= 0], minlength=edges.n_mentors)[net.mentor_ids]
    not_full = np.flatnonzero(load < edges.capacities[net.mentor_ids])
    others = np.flatnonzero(matched & ~is_own)
    unmatched = np.flatnonzero(~matched)
    tails = np.concatenate(
        (
            net.head[others],  # v_own <= v_k + q_own - q_k
            np.full(own_positions.shape[0], origin),  # v_own <= bonus + q_own
            np.full(not_full.shape[0], origin),  # v_j <= 0 for a mentor with a free seat
            net.head[unmatched],  # v_k >= bonus + q_k for an unmatched mentee
            np.arange(n_b),  # v_j >= 0
        )
    )
    heads = np.concatenate(
        (
            net.head[own[others]],
            net.head[own_positions],
            not_full,
            np.full(unmatched.shape[0], origin),
            np.full(n_b, origin),
        )
    )
    weights = np.concatenate(
        (
            steps[own[others]] - steps[others],
            bonus + steps[own_positions],
            np.zeros(not_full.shape[0], dtype=np.int64),
            -(bonus + steps[unmatched]),
            np.zeros(n_b, dtype=np.int64),
        )
    )
    # Each arc a -> b of weight w says v_b - v_a <= w. The lowest prices that satisfy all of them
    # (with v_origin = 0) are minus the shortest distances *to* the origin: shortest paths from
    # the origin over the reversed arcs. Lowest, because a mentor should be priced only as far as
    # the competition for its seats forces; higher optimal prices (a whole saturated niche priced
    # up together) are as good on these edges but make the bound over unseen pairs loose.
    distance = _shortest_paths(n_b + 1, heads.astype(np.int64), tails.astype(np.int64), weights)
    if distance[origin] != 0:
        raise ValueError("the assignment is not optimal on these edges (negative cycle)")
    prices[net.mentor_ids] = -distance[:n_b] * net.unit
    return prices


def _shortest_paths(
    n_nodes: int, tail: NDArray[np.int64], head: NDArray[np.int64], weight: NDArray[np.int64]
) -> NDArray[np.int64]:
    """Bellman-Ford from the last node, relaxing only arcs out of nodes improved last round."""
    order = np.argsort(tail, kind="stable")
    tail, head, weight = tail[order], head[order], weight[order]
    degree = np.bincount(tail, minlength=n_nodes)
    start = np.concatenate(([0], np.cumsum(degree)[:-1]))
    distance = np.full(n_nodes, _INF, dtype=np.int64)
    source = n_nodes - 1
    distance[source] = 0
    frontier = np.array([source], dtype=np.int64)
    for _ in range(n_nodes + 1):
        counts = degree[frontier]
        arc = np.repeat(start[frontier] - np.cumsum(counts) + counts, counts)
        arc += np.arange(arc.shape[0])
        candidate = distance[tail[arc]] + weight[arc]
        target = head[arc]
        better = candidate < distance[target]
        if not better.any():
            return distance
        target, candidate = target[better], candidate[better]
        np.minimum.at(distance, target, candidate)
        frontier = np.unique(target)
        if distance[source] < 0:
            break  # a negative cycle through the source: the assignment is not optimal
    raise ValueError("the assignment is not optimal on these edges (negative cycle)")


def upper_bound(
    *,
    prices: NDArray[np.floating],
    capacities: NDArray[np.integer],
    best_reduced: NDArray[np.floating],
    everyone_placed: bool = False,
) -> float:
    """An upper bound on the total score of any assignment, from mentor prices.

    Parameters
    ----------
    prices : array of float, shape (n_mentors,)
        Any prices ``>= 0`` (``inf`` allowed for mentors with capacity 0), e.g. from
        :func:`mentor_prices`.
    capacities : array of int, shape (n_mentors,)
    best_reduced : array of float, shape (n_mentees,)
        ``max_j (score_ij - prices_j)`` over every pair the bound should cover (``-inf`` for a
        mentee with no acceptable mentor).
    everyone_placed : bool
        Bound only assignments that place every mentee (then a mentee's term may be negative).

    Returns
    -------
    float
        ``sum_i max(0, best_reduced_i) + sum_j capacities_j * prices_j`` (without the ``max`` when
        ``everyone_placed``); ``inf`` if a price is infinite at a positive capacity.
    """
    raw = _vector_of_prices(prices)
    caps = int_vector(capacities, "capacities")
    if raw.shape != caps.shape:
        raise ValueError(f"prices has shape {raw.shape} but capacities has {caps.shape}")
    if bool((np.isposinf(raw) & (caps > 0)).any()):
        return float("inf")
    reduced = np.asarray(best_reduced, dtype=np.float64)
    if reduced.ndim != 1 or np.isnan(reduced).any() or np.isposinf(reduced).any():
        raise ValueError("best_reduced must be a one-dimensional array of reals or -inf")
    terms = reduced if everyone_placed else np.maximum(reduced, 0.0)
    seat_value = np.where(caps > 0, raw, 0.0)
    return float(terms.sum() + np.dot(caps.astype(np.float64), seat_value))


def _vector_of_prices(prices: NDArray[np.floating]) -> NDArray[np.float64]:
    raw = np.asarray(prices, dtype=np.float64)
    if raw.ndim != 1:
        raise ValueError(f"prices must be one-dimensional, got shape {raw.shape}")
    bad = np.isnan(raw) | (raw < 0)
    if bad.any():
        j = int(np.argmax(bad))
        raise ValueError(f"mentor {j}: price must be >= 0, got {raw[j]}")
    return raw
