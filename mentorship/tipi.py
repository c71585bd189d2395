"""The Ten-Item Personality Inventory (Gosling, Rentfrow & Swann, 2003) and its scoring.

Each item completes "I see myself as: …" on a 1 (disagree strongly) to 7 (agree strongly) scale.
Every Big Five trait is the mean of one item and the reverse (8 minus the answer) of another.
"""

from __future__ import annotations

from collections.abc import Sequence

import matching

ITEMS: tuple[str, ...] = (
    "Extraverted, enthusiastic.",
    "Critical, quarrelsome.",
    "Dependable, self-disciplined.",
    "Anxious, easily upset.",
    "Open to new experiences, complex.",
    "Reserved, quiet.",
    "Sympathetic, warm.",
    "Disorganised, careless.",
    "Calm, emotionally stable.",
    "Conventional, uncreative.",
)
SCALE = (
    (1, "Disagree strongly"),
    (2, "Disagree moderately"),
    (3, "Disagree a little"),
    (4, "Neither agree nor disagree"),
    (5, "Agree a little"),
    (6, "Agree moderately"),
    (7, "Agree strongly"),
)


def big_five(answers: Sequence[int]) -> dict[str, float]:
    """Score ten 1-7 answers into the Big Five, each on the 1-7 scale (the engine's scoring,
    so the platform and `python -m matching` agree). ValueError for anything else."""
    return matching.tipi_traits(answers)
