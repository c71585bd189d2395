"""Cohort assignment under mentor capacity: optimal (min-cost flow), stable, greedy.

Pure numpy / OR-Tools on index arrays: the caller maps people to indices and scores the edges.
"""

from matching.solvers._validation import MODES, OBJECTIVES
from matching.solvers.api import (
    Mode,
    MoreCandidates,
    Objective,
    blocking_pairs,
    solve,
    solve_with_candidates,
)

__all__ = [
    "MODES",
    "OBJECTIVES",
    "Mode",
    "MoreCandidates",
    "Objective",
    "blocking_pairs",
    "solve",
    "solve_with_candidates",
]
