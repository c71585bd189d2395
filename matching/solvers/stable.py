"""Stable assignment: mentee-proposing deferred acceptance with mentor capacities, vectorised.

Preferences are strict: a mentee ranks its edges by ``score`` (higher first, ties to the lower
mentor index), a mentor ranks its edges by ``mentor_score`` (higher first, ties to the lower mentee
index). Deferred acceptance runs in rounds: every free mentee proposes to the best mentor it has not
yet proposed to, all at once; every mentor that received proposals keeps its best ``capacity``
among the mentees it holds and the new proposers, and rejects the rest. Proposal order does not
change the outcome of deferred acceptance, so the simultaneous rounds give exactly the
mentee-optimal stable matching of the sequential algorithm. A round costs a sort of the proposals
plus the seats of the mentors they reach, so late rounds with few proposals are cheap.

Greedy (edges by score descending, take an edge while its mentee is free and its mentor has a seat)
is the same algorithm with ``mentor_score = score``: when both sides rank edges by one global order
the stable matching is unique and equals the greedy one (the best remaining edge is in every stable
matching, by induction), so greedy reuses these rounds instead of a Python loop over edges.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from matching.solvers._order import dense_rank_desc, preference_keys, preference_order
from matching.solvers._validation import Edges


def deferred_acceptance(edges: Edges) -> NDArray[np.int64]:
    """Mentee-optimal stable matching; ``(n_mentees,)`` mentor index or -1."""
    n, m = edges.n_mentees, edges.n_mentors
    assignment = np.full(n, -1, dtype=np.int64)
    usable = edges.capacities[edges.mentor] > 0  # a mentor without seats rejects everyone
    if usable.all():
        mentee, mentor = edges.mentee, edges.mentor
        score, mentor_score = edges.score, edges.mentor_score
    else:
        keep = np.flatnonzero(usable)
        mentee, mentor = edges.mentee[keep], edges.mentor[keep]
        score, mentor_score = edges.score[keep], edges.mentor_score[keep]
    if mentee.shape[0] == 0:
        return assignment

    # Edges in mentee-preference order: each mentee's list is a contiguous run.
    score_rank = dense_rank_desc(score)
    order = preference_order(mentee, n, score, mentor, m, ranked=score_rank)
    # A mentor compares proposals by a key that sorts by mentor first, then by the mentor's
    # preference, so sorting the candidates of a round groups them by mentor, best first.
    same = edges.mentor_score is edges.score  # greedy, or no mentor_score given
    key_of_edge = preference_keys(
        mentor, m, mentor_score, mentee, n, ranked=score_rank if same else None
    )
    e_mentee = mentee[order]
    e_mentor = mentor[order]
    e_key = key_of_edge[order]
    del key_of_edge

    counts = np.bincount(e_mentee, minlength=n)
    end = np.cumsum(counts)
    nxt = end - counts  # position of each mentee's next (or current) proposal

    seats = np.minimum(edges.capacities, np.bincount(mentor, minlength=m))
    seat_start = np.concatenate(([0], np.cumsum(seats)[:-1]))
    slots = np.full(int(seats.sum()), -1, dtype=np.int64)  # held edge positions, -1 = free seat

    free = np.flatnonzero(counts > 0)
    is_reached = np.zeros(m, dtype=bool)
    while free.size:
        proposals = nxt[free]
        is_reached[e_mentor[proposals]] = True
        reached = np.flatnonzero(is_reached)  # cheaper than np.unique on the proposals
        is_reached[reached] = False
        # seats of every mentor that received a proposal this round
        n_seats = seats[reached]
        seat_index = np.repeat(seat_start[reached] - np.cumsum(n_seats) + n_seats, n_seats)
        seat_index += np.arange(seat_index.shape[0])
        held = slots[seat_index]
        candidates = np.concatenate((held[held >= 0], proposals))
        candidates = candidates[np.argsort(e_key[candidates])]
        cand_mentor = e_mentor[candidates]
        new_group = np.empty(candidates.shape[0], dtype=bool)
        new_group[0] = True
        new_group[1:] = cand_mentor[1:] != cand_mentor[:-1]
        group_start = np.flatnonzero(new_group)
        group_size = np.diff(group_start, append=candidates.shape[0])
        rank = np.arange(candidates.shape[0]) - np.repeat(group_start, group_size)
        accepted = rank < seats[cand_mentor]

        slots[seat_index] = -1
        slots[seat_start[cand_mentor[accepted]] + rank[accepted]] = candidates[accepted]
        rejected = candidates[~accepted]
        who = e_mentee[rejected]
        nxt[who] = rejected + 1
        free = who[nxt[who] < end[who]]

    held = slots[slots >= 0]
    assignment[e_mentee[held]] = e_mentor[held]
    return assignment


def greedy(edges: Edges) -> NDArray[np.int64]:
    """Greedy by score descending (ties: lower mentee, then lower mentor index)."""
    same_order = Edges(
        n_mentees=edges.n_mentees,
        capacities=edges.capacities,
        mentee=edges.mentee,
        mentor=edges.mentor,
        score=edges.score,
        mentor_score=edges.score,
    )
    return deferred_acceptance(same_order)


def check_assignment(assignment: NDArray[np.int64], edges: Edges) -> NDArray[np.int64]:
    """Edge index of each mentee's assigned pair (-1 when unmatched); ValueError if infeasible."""
    n, m = edges.n_mentees, edges.n_mentors
    matched = np.flatnonzero(assignment >= 0)
    bad = (assignment < -1) | (assignment >= m)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(
            f"assignment[{i}] = {int(assignment[i])} is neither -1 nor a mentor index in [0, {m})"
        )
    edge_of = np.full(n, -1, dtype=np.int64)
    if matched.size:
        is_own = assignment[edges.mentee] == edges.mentor  # -1 never equals a mentor index
        own = np.flatnonzero(is_own)
        edge_of[edges.mentee[own]] = own  # pairs are unique, so one edge per matched mentee
        missing = edge_of[matched] < 0
        if missing.any():
            i = int(matched[int(np.argmax(missing))])
            raise ValueError(
                f"mentee {i} is assigned to mentor {int(assignment[i])}, "
                f"but ({i}, {int(assignment[i])}) is not an edge"
            )
        load = np.bincount(assignment[matched], minlength=m)
        over = load > edges.capacities
        if over.any():
            j = int(np.argmax(over))
            raise ValueError(
                f"mentor {j} is assigned {int(load[j])} mentees but has capacity "
                f"{int(edges.capacities[j])}"
            )
    return edge_of


def find_blocking_pairs(assignment: NDArray[np.int64], edges: Edges) -> NDArray[np.int64]:
    """``(k, 2)`` (mentee, mentor) edges whose mentee and mentor both prefer each other."""
    m = edges.n_mentors
    edge_of = check_assignment(assignment, edges)
    mentee, mentor = edges.mentee, edges.mentor
    score, mentor_score = edges.score, edges.mentor_score

    # Mentee side: unmatched, or strictly prefers this edge to its own (ties to lower mentor).
    own = edge_of[mentee]
    has_own = own >= 0
    own_safe = np.where(has_own, own, 0)
    own_score = score[own_safe]
    own_mentor = mentor[own_safe]
    mentee_wants = ~has_own | (score > own_score) | ((score == own_score) & (mentor < own_mentor))

    # Mentor side: a free seat, or prefers this mentee to the worst one it holds.
    held_edges = edge_of[edge_of >= 0]
    load = np.bincount(mentor[held_edges], minlength=m)
    worst_score = np.full(m, np.inf)
    worst_mentee = np.full(m, -1, dtype=np.int64)
    if held_edges.size:
        # worst first per mentor: lowest mentor_score, ties to the higher mentee index
        order = np.lexsort((-mentee[held_edges], mentor_score[held_edges], mentor[held_edges]))
        ordered = held_edges[order]
        first = np.ones(ordered.shape[0], dtype=bool)
        first[1:] = mentor[ordered[1:]] != mentor[ordered[:-1]]
        worst = ordered[first]
        worst_score[mentor[worst]] = mentor_score[worst]
        worst_mentee[mentor[worst]] = mentee[worst]
    has_seat = load[mentor] < edges.capacities[mentor]
    w_score = worst_score[mentor]
    mentor_wants = (
        has_seat
        | (mentor_score > w_score)
        | ((mentor_score == w_score) & (mentee < worst_mentee[mentor]))
    )

    own_edge = np.zeros(edges.n_edges, dtype=bool)
    own_edge[held_edges] = True
    blocking = np.flatnonzero(mentee_wants & mentor_wants & ~own_edge)
    return np.stack((mentee[blocking], mentor[blocking]), axis=1).astype(np.int64)
