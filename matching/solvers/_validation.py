"""Input checks shared by every solver: one place that turns caller arrays into clean ones.

Messages name the offending edge by its position in the input (``"edge 17: ..."``) so the CLI can
map it back to a line of the edges file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from matching.solvers._order import pair_keys_are_unique

MODES: tuple[str, ...] = ("optimal", "stable", "greedy")
OBJECTIVES: tuple[str, ...] = ("participation", "score")


@dataclass(frozen=True, slots=True)
class Edges:
    """A validated bipartite instance: mentees, mentors with capacities, scored edges.

    Attributes
    ----------
    n_mentees : int
    capacities : ndarray of int64, shape (n_mentors,), all >= 0
    mentee, mentor : ndarray of int64, shape (n_edges,), in range, no duplicate pair
    score, mentor_score : ndarray of float64, shape (n_edges,), finite
    """

    n_mentees: int
    capacities: NDArray[np.int64]
    mentee: NDArray[np.int64]
    mentor: NDArray[np.int64]
    score: NDArray[np.float64]
    mentor_score: NDArray[np.float64]

    @property
    def n_mentors(self) -> int:
        return int(self.capacities.shape[0])

    @property
    def n_edges(self) -> int:
        return int(self.mentee.shape[0])


def check_mode(mode: object) -> str:
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(MODES)}")
    return mode


def check_objective(objective: object) -> str:
    if not isinstance(objective, str) or objective not in OBJECTIVES:
        raise ValueError(
            f"unknown objective {objective!r}; expected one of {', '.join(OBJECTIVES)}"
        )
    return objective


def check_count(value: object, name: str) -> int:
    """A non-negative Python or numpy integer (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value}")
    return int(value)


def _vector(values: ArrayLike, name: str) -> NDArray[np.generic]:
    try:
        array = np.asarray(values)
    except (TypeError, ValueError) as exc:  # ragged nested sequences and the like
        raise ValueError(f"{name} must be a one-dimensional array: {exc}") from None
    if array.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional, got shape {array.shape}")
    return array


def int_vector(values: ArrayLike, name: str) -> NDArray[np.int64]:
    """A 1-D integer array as int64; an empty array of any numeric dtype is accepted."""
    array = _vector(values, name)
    if array.size == 0 and array.dtype.kind in "biuf":
        return np.zeros(0, dtype=np.int64)
    if array.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integers, got dtype {array.dtype}")
    if array.dtype.kind == "u" and array.size:
        too_large = array.astype(np.uint64) > np.uint64(np.iinfo(np.int64).max)
        if too_large.any():
            position = int(np.argmax(too_large))
            raise ValueError(f"{name}[{position}] is too large ({int(array[position])})")
    return array.astype(np.int64, copy=False)


def float_vector(values: ArrayLike, name: str, *, what: str = "edge") -> NDArray[np.float64]:
    """A 1-D finite real array as float64; NaN or infinity is reported with its position."""
    array = _vector(values, name)
    if array.dtype.kind not in "iuf":
        raise ValueError(f"{name} must hold real numbers, got dtype {array.dtype}")
    out = array.astype(np.float64, copy=False)
    bad = ~np.isfinite(out)
    if bad.any():
        position = int(np.argmax(bad))
        raise ValueError(f"{what} {position}: {name} is not finite ({out[position]})")
    return out


def check_capacities(capacities: ArrayLike) -> NDArray[np.int64]:
    caps = int_vector(capacities, "capacities")
    negative = caps < 0
    if negative.any():
        j = int(np.argmax(negative))
        raise ValueError(f"mentor {j}: capacity is negative ({int(caps[j])})")
    return caps


def check_edges(
    *,
    n_mentees: object,
    capacities: ArrayLike,
    mentee: ArrayLike,
    mentor: ArrayLike,
    score: ArrayLike,
    mentor_score: ArrayLike | None,
) -> Edges:
    """Validate a whole instance; raise ValueError naming the first problem found."""
    n = check_count(n_mentees, "n_mentees")
    caps = check_capacities(capacities)
    m = int(caps.shape[0])
    tails = int_vector(mentee, "mentee")
    heads = int_vector(mentor, "mentor")
    scores = float_vector(score, "score")
    n_edges = tails.shape[0]
    for name, array in (("mentor", heads), ("score", scores)):
        if array.shape[0] != n_edges:
            raise ValueError(
                f"mentee has {n_edges} edges but {name} has {array.shape[0]}; "
                "the edge arrays must have the same length"
            )
    if mentor_score is None:
        mentor_scores = scores
    else:
        mentor_scores = float_vector(mentor_score, "mentor_score")
        if mentor_scores.shape[0] != n_edges:
            raise ValueError(
                f"mentee has {n_edges} edges but mentor_score has {mentor_scores.shape[0]}; "
                "the edge arrays must have the same length"
            )
    check_index_range(tails, n, "mentee")
    check_index_range(heads, m, "mentor")
    if not pair_keys_are_unique(tails, heads, m):
        check_no_duplicates(tails, heads)  # slower, finds and names the first repeat
    return Edges(
        n_mentees=n,
        capacities=caps,
        mentee=tails,
        mentor=heads,
        score=scores,
        mentor_score=mentor_scores,
    )


def check_index_range(index: NDArray[np.int64], size: int, name: str, *, first: int = 0) -> None:
    bad = (index < 0) | (index >= size)
    if bad.any():
        k = int(np.argmax(bad))
        raise ValueError(
            f"edge {first + k}: {name} index {int(index[k])} is out of range [0, {size})"
        )


def duplicate_mask(mentee: NDArray[np.int64], mentor: NDArray[np.int64]) -> NDArray[np.bool_]:
    """True for every edge whose (mentee, mentor) pair already occurred at a lower position."""
    order = np.lexsort((mentor, mentee))  # stable: equal pairs stay in input order
    a, b = mentee[order], mentor[order]
    repeat = np.zeros(order.shape[0], dtype=bool)
    repeat[1:] = (a[1:] == a[:-1]) & (b[1:] == b[:-1])
    mask = np.zeros(order.shape[0], dtype=bool)
    mask[order] = repeat
    return mask


def check_no_duplicates(
    mentee: NDArray[np.int64], mentor: NDArray[np.int64], *, first: int = 0
) -> None:
    dup = duplicate_mask(mentee, mentor)
    if dup.any():
        k = int(np.argmax(dup))
        earlier = int(np.argmax((mentee == mentee[k]) & (mentor == mentor[k])))
        raise ValueError(
            f"edge {first + k}: duplicate pair ({int(mentee[k])}, {int(mentor[k])}), "
            f"first given at edge {first + earlier}"
        )
