"""Score components, their weights, and the fixed shapes inside each component.

Every component is a number in [0, 1] and every one is *linear* in a mentee vector and a mentor
vector (see :mod:`matching.features`), so the weighted score of all pairs is one matrix product.
The score of a pair is ``sum(w[c] * component[c]) / sum(w)``, also in [0, 1].
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

COMPONENTS: tuple[str, ...] = (
    "topic_fit",
    "career_relevance",
    "career_variety",
    "seniority",
    "personality",
    "logistics",
    "responsiveness",
    "network_fit",
)
# The first six are fitted features of the profiles; the last two are computed at query time
# from per-mentor signals (answer rate, introductions made), so a change to them never refits.
FITTED_COMPONENTS: tuple[str, ...] = COMPONENTS[:6]
QUERY_TIME_COMPONENTS: tuple[str, ...] = COMPONENTS[6:]

# Chosen with benchmarks/eval_matching.py --grid: the best nDCG@10 over synthetic cohorts with
# a known answer (industry + role + topics + seniority), on a grid that keeps every weight at
# >= 0.05 so the signals that answer cannot see (personality, logistics) still count. Weights
# are relative: a pair's score is sum(w * component) / sum(w).
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "topic_fit": 0.15,
        "career_relevance": 0.65,
        "career_variety": 0.05,
        "seniority": 0.20,
        "personality": 0.05,
        "logistics": 0.05,
        # Off by default: a programme turns them on once it has history to go by.
        "responsiveness": 0.0,
        "network_fit": 0.0,
    }
)

# Inside career relevance: industry alignment, role (function) alignment, text similarity.
RELEVANCE_INDUSTRY = 0.40
RELEVANCE_FUNCTION = 0.40
RELEVANCE_TEXT = 0.20
# Inside logistics: time-zone overlap of working hours, meeting-format overlap.
LOGISTICS_TIMEZONE = 0.6
LOGISTICS_FORMAT = 0.4
# Big Five weights: openness and conscientiousness weigh most (mentoring research).
TRAIT_WEIGHTS: tuple[float, ...] = (0.30, 0.30, 0.15, 0.15, 0.10)
# Years of experience saturate: 1 - exp(-years / EXPERIENCE_YEARS) (8 years -> 0.86).
EXPERIENCE_YEARS = 4.0
# Working hours (local time) whose overlap the time-zone part measures, in half hours.
WORK_START_HALFHOUR = 18  # 09:00
WORK_HALFHOURS = 18  # nine hours, to 18:00
NEUTRAL = 0.5  # value of a component part when either side did not say
SENIORITY_LEVELS = 6
DEFAULT_SENIORITY_BAND: tuple[int, int] = (1, 3)
# Penalty per level outside the band: below it (a peer or junior mentor) drops faster.
SENIORITY_BELOW_STEP = 0.4
SENIORITY_ABOVE_STEP = 0.25
# Query-time signals: a mentor without history answers half the time; reach saturates with the
# number of introductions into a group: 1 - exp(-count / REACH_SCALE) (3 -> 0.63, 9 -> 0.95).
NEUTRAL_RESPONSIVENESS = 0.5
REACH_SCALE = 3.0


def validate_weights(weights: Mapping[str, object]) -> dict[str, float]:
    """Merge a partial weights mapping over :data:`DEFAULT_WEIGHTS`.

    Raises ValueError for an unknown component, a value that is not a finite number >= 0, or
    weights that are all zero.
    """
    if not isinstance(weights, Mapping):
        raise ValueError(f"weights must be an object of component: number, got {weights!r}")
    merged = dict(DEFAULT_WEIGHTS)
    for key, value in weights.items():
        if key not in merged:
            raise ValueError(f"unknown weight {key!r}; the components are {', '.join(COMPONENTS)}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"weight {key!r} must be a number, got {value!r}")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"weight {key!r} must be a finite number >= 0, got {value!r}")
        merged[key] = float(value)
    if sum(merged.values()) <= 0.0:
        raise ValueError("weights are all zero")
    return merged


def weight_vector(weights: Mapping[str, float] | None) -> NDArray[np.float64]:
    """(n_components,) weights normalised to sum 1, in COMPONENTS order."""
    merged = validate_weights(weights or {})
    w = np.array([merged[c] for c in COMPONENTS], dtype=np.float64)
    out: NDArray[np.float64] = w / w.sum()
    return out


def validate_band(band: tuple[int, int]) -> tuple[int, int]:
    """Check a seniority band (lowest, highest) of levels above the mentee."""
    if len(band) != 2 or not all(isinstance(b, int) and not isinstance(b, bool) for b in band):
        raise ValueError(f"seniority_band must be two integers, got {band!r}")
    low, high = band
    if low > high or not -5 <= low <= 5 or not -5 <= high <= 5:
        raise ValueError(f"seniority_band must satisfy -5 <= low <= high <= 5, got {band!r}")
    return low, high


def seniority_fit(gap: int, band: tuple[int, int] = DEFAULT_SENIORITY_BAND) -> float:
    """Seniority component for a mentor ``gap`` levels above the mentee (negative: below)."""
    low, high = band
    if gap < low:
        return max(0.0, 1.0 - SENIORITY_BELOW_STEP * (low - gap))
    if gap > high:
        return max(0.0, 1.0 - SENIORITY_ABOVE_STEP * (gap - high))
    return 1.0


def seniority_table(band: tuple[int, int] = DEFAULT_SENIORITY_BAND) -> NDArray[np.float64]:
    """(7, 7) table: [mentee level, mentor level] -> component; level 0 means unknown."""
    band = validate_band(band)
    size = SENIORITY_LEVELS + 1
    table = np.full((size, size), NEUTRAL)
    for mentee in range(1, size):
        for mentor in range(1, size):
            table[mentee, mentor] = seniority_fit(mentor - mentee, band)
    return table


def experience(years: float) -> float:
    """Saturating value in [0, 1) of ``years`` of experience."""
    return 1.0 - math.exp(-years / EXPERIENCE_YEARS)


def network_saturation(reach: NDArray[np.floating]) -> NDArray[np.float64]:
    """Per-group value in [0, 1) of a mentor's introduction counts ``reach`` (any shape)."""
    out: NDArray[np.float64] = 1.0 - np.exp(-np.asarray(reach, dtype=np.float64) / REACH_SCALE)
    return out


def working_slots(offset_halfhours: int) -> NDArray[np.float32]:
    """(48,) indicator of the UTC half hours inside local working hours at this offset."""
    slots = np.zeros(48, dtype=np.float32)
    start = (WORK_START_HALFHOUR - offset_halfhours) % 48
    slots[(start + np.arange(WORK_HALFHOURS)) % 48] = 1.0
    return slots


def shared_working_halfhours(a: int, b: int) -> int:
    """Half hours of working time two UTC offsets (in half hours) share."""
    start_a = (WORK_START_HALFHOUR - a) % 48
    start_b = (WORK_START_HALFHOUR - b) % 48
    gap = (start_b - start_a) % 48
    gap = min(gap, 48 - gap)
    return max(0, WORK_HALFHOURS - gap)
