"""Optimal cohort assignment as a min-cost flow (OR-Tools ``SimpleMinCostFlow``).

Network: one node per mentee that has an edge, one per mentor with free seats that has an edge,
an arc mentee -> mentor (capacity 1) per candidate edge. OR-Tools solves it with cost-scaling
push-relabel on the sparse graph, so time and memory grow with the number of edges, not with
mentees x seats as a Hungarian method on a seat-expanded matrix does.

* ``participation``: mentees supply 1, mentors demand their capacity, and
  ``solve_max_flow_with_min_cost`` first finds the maximum flow (the largest number of mentees that
  can be placed) and then, among all maximum flows, the cheapest one, i.e. the highest total score.
* ``score``: every mentee also has a bypass arc to a sink ("stays unmatched") and all supply must
  reach the sink, so the solver trades placements for score freely. Edges with a score <= 0 can
  never raise the total and are left out (an unmatched mentee scores 0).

Integer costs and precision
---------------------------
OR-Tools needs integer costs. Scores are mapped affinely onto ``0..C`` and rounded:
``cost = C - round((score - low) / (high - low) * C)`` (participation; ``low``/``high`` are the
smallest and largest score given) or ``cost = C - round(score / high * C)`` (score objective, where
``low = 0`` because leaving a mentee unmatched is worth 0). One cost unit is
``unit = (high - low) / C``. The solution is exactly optimal for the rounded costs, and each rounded
score is within ``unit / 2`` of the true one, so its total score is within ``k * unit`` of the true
optimum on the given edges, ``k`` the number of mentees that can be placed. The number of mentees
matched is exact (integers, no rounding).

``C`` is as large as OR-Tools can take without any risk of overflow:
``C = min(2**52, (2**63 - 1) // (4 * (N + 1) ** 2))`` with ``N`` the number of nodes. OR-Tools
multiplies costs by ``N + 1`` and its node potentials can fall to about ``3.75 * N`` times the
largest scaled cost (the cost-scaling bound), so this ``C`` keeps every value inside int64. For
6,500 nodes (5,000 mentees) ``C`` is about 5e10, for 130,000 nodes about 1.4e8: with scores in
[0, 1] that is a per-edge resolution of 2e-11 and 7e-9, and a total within 1e-7 and 1e-3 of the true
optimum, far below the float32 noise of the scores themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from ortools.graph.python import max_flow, min_cost_flow

from matching.solvers._validation import Edges

_MAX_SCALE = 2**52  # beyond this float64 cannot represent the scaled score exactly
_INT64_MAX = 2**63 - 1


def cost_scale(n_nodes: int) -> int:
    """Largest overflow-safe number of integer cost steps for a network of ``n_nodes`` nodes."""
    return max(1, min(_MAX_SCALE, _INT64_MAX // (4 * (n_nodes + 1) ** 2)))


@dataclass(slots=True)
class Network:
    """The flow network of an instance, compressed to the mentees and mentors that have edges.

    ``tail``/``head`` (one entry per network edge) index ``mentee_ids``/``mentor_ids``; ``steps``
    is each network edge's rounded score in cost units (``0..scale``), so
    ``score ~= low + steps * unit``.
    """

    mentee_ids: NDArray[np.int64]
    mentor_ids: NDArray[np.int64]
    tail: NDArray[np.int32]
    head: NDArray[np.int32]
    seats: NDArray[np.int64]
    steps: NDArray[np.int64]
    scale: int
    low: float
    unit: float

    @property
    def n_edges(self) -> int:
        return int(self.tail.shape[0])


def build_network(edges: Edges | Sequence[Edges], *, objective: str, costs: bool = True) -> Network:
    """Compress ``edges`` into the network ``solve_optimal`` hands to OR-Tools.

    ``edges`` may come in parts (same mentees and capacities, no pair twice), which saves
    concatenating them. Edges to mentors without seats are left out, and with the score objective
    also edges with a score <= 0 (they can never raise the total). ``costs=False`` skips the
    integer costs.
    """
    parts = [edges] if isinstance(edges, Edges) else list(edges)
    n, m, caps = parts[0].n_mentees, parts[0].n_mentors, parts[0].capacities
    pieces = []
    for part in parts:
        usable = caps[part.mentor] > 0
        if objective == "score":
            usable &= part.score > 0
        if usable.all():  # the usual case: no gathers needed
            pieces.append((part.mentee, part.mentor, part.score))
        else:
            keep = np.flatnonzero(usable)
            pieces.append((part.mentee[keep], part.mentor[keep], part.score[keep]))
    mentee_ids, tail = _relabel([p[0] for p in pieces], n)
    mentor_ids, head = _relabel([p[1] for p in pieces], m)
    n_a, n_b, n_edges = mentee_ids.shape[0], mentor_ids.shape[0], tail.shape[0]
    # A mentor never needs more seats than it has edges; this also keeps supplies small.
    seats = np.minimum(caps[mentor_ids], np.bincount(head, minlength=n_b)).astype(np.int64)
    nonempty = [p[2] for p in pieces if p[2].shape[0]]
    high = max((float(s.max()) for s in nonempty), default=0.0)
    if objective == "participation":
        n_nodes = n_a + n_b + 2  # OR-Tools adds its own source and sink
        low = min((float(s.min()) for s in nonempty), default=0.0)
    else:
        n_nodes = n_a + n_b + 1 + 2  # plus the "unmatched" sink
        low = 0.0
    scale = cost_scale(n_nodes)
    span = high - low
    steps = np.zeros(n_edges if costs else 0, dtype=np.int64)
    unit = span / scale if span > 0.0 else 0.0
    if costs and span > 0.0:
        at = 0
        for _, _, score in pieces:
            scaled = score - low
            scaled *= scale / span
            np.rint(scaled, out=scaled)
            np.clip(scaled, 0, scale, out=scaled)
            steps[at : at + scaled.shape[0]] = scaled
            at += scaled.shape[0]
    return Network(
        mentee_ids=mentee_ids,
        mentor_ids=mentor_ids,
        tail=tail,
        head=head,
        seats=seats,
        steps=steps,
        scale=scale,
        low=low,
        unit=unit,
    )


def _relabel(
    index: list[NDArray[np.int64]], size: int
) -> tuple[NDArray[np.int64], NDArray[np.int32]]:
    """The distinct values of the ``index`` parts (ascending) and each entry's position."""
    present = np.zeros(size, dtype=bool)
    for part in index:
        present |= np.bincount(part, minlength=size) > 0
    ids = np.flatnonzero(present).astype(np.int64)
    if ids.shape[0] == size:  # every index occurs: positions are the indices themselves
        return ids, np.concatenate([part.astype(np.int32) for part in index])
    position = (np.cumsum(present) - 1).astype(np.int32)
    return ids, np.concatenate([position[part] for part in index])


def solve_optimal(edges: Edges | Sequence[Edges], *, objective: str) -> NDArray[np.int64]:
    """Exact optimal assignment on ``edges`` (one or several parts); mentor index or -1."""
    first = edges if isinstance(edges, Edges) else edges[0]
    assignment = np.full(first.n_mentees, -1, dtype=np.int64)
    for shift in (0, 10, 20, 30):
        net = build_network(edges, objective=objective)
        if net.n_edges == 0:
            return assignment
        flows = _run(net, shift=shift, objective=objective)
        if flows is not None:
            break
        # Cannot happen with the bound of cost_scale(); kept so that a change inside OR-Tools
        # costs precision instead of failing.
    else:
        raise RuntimeError("OR-Tools min-cost flow reported a cost range error at every scale")
    used = flows > 0
    assignment[net.mentee_ids[net.tail[used]]] = net.mentor_ids[net.head[used]]
    return assignment


def _run(net: Network, *, shift: int, objective: str) -> NDArray[np.int64] | None:
    """Build and solve the network; flows on the edge arcs, or None on a cost-range error.

    Costs are ``(scale - steps) >> shift``. Consumes ``net.steps``: the numpy inputs are released
    before solving, since OR-Tools keeps its own copies.
    """
    flow: Any = min_cost_flow.SimpleMinCostFlow()
    n_a, n_b, seats = net.mentee_ids.shape[0], net.mentor_ids.shape[0], net.seats
    scale = net.scale >> shift
    cost = np.subtract(net.scale, net.steps, out=net.steps)  # the steps become the costs
    cost >>= shift
    # arcs are numbered in the order they are added: the edges are arcs 0 .. n_edges - 1
    flow.add_arcs_with_capacity_and_unit_cost(
        net.tail, net.head + np.int32(n_a), np.ones(net.n_edges, dtype=np.int64), cost
    )
    del cost
    net.steps = np.zeros(0, dtype=np.int64)  # OR-Tools has its own copy: free ours while it works
    mentee_nodes = np.arange(n_a, dtype=np.int32)
    mentor_nodes = np.arange(n_a, n_a + n_b, dtype=np.int32)
    if objective == "participation":
        flow.set_nodes_supplies(
            np.concatenate([mentee_nodes, mentor_nodes]),
            np.concatenate([np.ones(n_a, dtype=np.int64), -seats]),
        )
        status = flow.solve_max_flow_with_min_cost()
    else:
        sink = np.int32(n_a + n_b)
        # "stays unmatched" costs as much as the worst possible placement (score 0)
        flow.add_arcs_with_capacity_and_unit_cost(
            mentee_nodes,
            np.full(n_a, sink, dtype=np.int32),
            np.ones(n_a, dtype=np.int64),
            np.full(n_a, scale, dtype=np.int64),
        )
        flow.add_arcs_with_capacity_and_unit_cost(
            mentor_nodes,
            np.full(n_b, sink, dtype=np.int32),
            seats,
            np.zeros(n_b, dtype=np.int64),
        )
        flow.set_nodes_supplies(
            np.concatenate([mentee_nodes, np.array([sink], dtype=np.int32)]),
            np.concatenate([np.ones(n_a, dtype=np.int64), np.array([-n_a], dtype=np.int64)]),
        )
        status = flow.solve()
    if status == flow.BAD_COST_RANGE:
        return None
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools min-cost flow failed with status {status}")
    flows: NDArray[np.int64] = np.asarray(
        flow.flows(np.arange(net.n_edges, dtype=np.int32)), dtype=np.int64
    )
    return flows


def maximum_matching(edges: Edges | Sequence[Edges]) -> NDArray[np.int64]:
    """Some assignment with the largest number of mentees placed, scores ignored (max flow).

    Much cheaper than the min-cost solve; used to find who is stranded on the current edges.
    """
    first = edges if isinstance(edges, Edges) else edges[0]
    assignment = np.full(first.n_mentees, -1, dtype=np.int64)
    net = build_network(edges, objective="participation", costs=False)
    if net.n_edges == 0:
        return assignment
    n_a, n_b = net.mentee_ids.shape[0], net.mentor_ids.shape[0]
    source, sink = n_a + n_b, n_a + n_b + 1
    flow: Any = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(  # arcs 0 .. n_edges - 1
        net.tail, net.head + np.int32(n_a), np.ones(net.n_edges, dtype=np.int64)
    )
    flow.add_arcs_with_capacity(
        np.full(n_a, source, dtype=np.int32),
        np.arange(n_a, dtype=np.int32),
        np.ones(n_a, dtype=np.int64),
    )
    flow.add_arcs_with_capacity(
        np.arange(n_a, n_a + n_b, dtype=np.int32), np.full(n_b, sink, dtype=np.int32), net.seats
    )
    status = flow.solve(source, sink)
    if status != flow.OPTIMAL:
        raise RuntimeError(f"OR-Tools max flow failed with status {status}")
    used = np.asarray(flow.flows(np.arange(net.n_edges, dtype=np.int32))) > 0
    assignment[net.mentee_ids[net.tail[used]]] = net.mentor_ids[net.head[used]]
    return assignment
