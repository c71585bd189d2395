"""The engine's query-time signals (issues 9 and 10): a mentor's responsiveness and network reach.

They are not fitted features, so they never rebuild the mentor index. Computing them reads a
programme's whole audit trail and introductions, so a worker keeps them per programme for at
most `SIGNALS_SECONDS` and only when the programme weighs them (weight > 0): a request never
recomputes them, and a programme that ignores them never pays for them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

import matching
from mentorship.models import Programme
from mentorship.selectors.network_programme import mentor_network_reach, thin_groups
from mentorship.selectors.responsiveness import responsiveness_scores

SIGNALS_SECONDS = 600.0
NO_HISTORY = 0.5  # the engine's neutral responsiveness


@dataclass
class _Signals:
    computed: float
    responsiveness: dict[int, float]
    reach: dict[int, dict[str, int]]
    # Arrays aligned to one loaded index version: (version, arrays).
    arrays: tuple[int, dict[str, np.ndarray]] | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)


_cache: dict[int, _Signals] = {}


def forget() -> None:
    _cache.clear()


def weighs_signals(weights: Mapping[str, float]) -> bool:
    return weights.get("responsiveness", 0.0) > 0 or weights.get("network_fit", 0.0) > 0


def _signals(programme: Programme, *, now: float | None = None) -> _Signals:
    now = time.monotonic() if now is None else now
    found = _cache.get(programme.pk)
    if found is None or now - found.computed > SIGNALS_SECONDS:
        reach = {
            mentor_id: {group: counts["introductions"] for group, counts in groups.items()}
            for mentor_id, groups in mentor_network_reach(programme).items()
        }
        found = _Signals(computed=now, responsiveness=responsiveness_scores(programme), reach=reach)
        _cache[programme.pk] = found
    return found


def for_request(programme: Programme, loaded: Any, weights: Mapping[str, float]) -> Any:
    """`signals` for `MentorIndex.propose`, aligned to the loaded index's rows; None when the
    programme gives both signals weight 0."""
    if not weighs_signals(weights):
        return None
    signals = _signals(programme)
    with signals.lock:
        if signals.arrays is None or signals.arrays[0] != loaded.version:
            n = len(loaded.index.ids)
            responsiveness = np.full(n, NO_HISTORY, dtype=float)
            groups: tuple[str, ...] = matching.NETWORK_GROUPS
            reach = np.zeros((n, len(groups)), dtype=float)
            column = {group: c for c, group in enumerate(groups)}
            for mentor_id, value in signals.responsiveness.items():
                if (row := loaded.row(mentor_id)) is not None:
                    responsiveness[row] = value
            for mentor_id, counts in signals.reach.items():
                if (row := loaded.row(mentor_id)) is None:
                    continue
                for group, count in counts.items():
                    if group in column:
                        reach[row, column[group]] = count
            signals.arrays = (
                loaded.version,
                {"responsiveness": responsiveness, "network_reach": reach},
            )
        return signals.arrays[1]


def gaps_of(programme: Programme, mentee_ids: Iterable[int]) -> dict[int, list[str]]:
    """Per mentee, the network groups where their plan has no healthy contact."""
    return thin_groups(programme, mentee_ids)


def add_to_lines(
    programme: Programme,
    *,
    mentors: list[dict[str, Any]],
    mentees: list[dict[str, Any]],
    weights: Mapping[str, float],
) -> None:
    """Whole-cohort assignment: put the signals on the profile lines (mentor `responsiveness`
    and `network_reach`, mentee `network_gaps`) when the programme weighs them."""
    from mentorship.matching_adapter import user_id_of

    if not weighs_signals(weights):
        return
    signals = _signals(programme)
    for line in mentors:
        mentor_id = user_id_of(str(line["id"]))
        line["responsiveness"] = signals.responsiveness.get(mentor_id, NO_HISTORY)
        line["network_reach"] = dict(signals.reach.get(mentor_id, {}))
    if weights.get("network_fit", 0.0) > 0:
        gaps = gaps_of(programme, [user_id_of(str(line["id"])) for line in mentees])
        for line in mentees:
            line["network_gaps"] = gaps.get(user_id_of(str(line["id"])), [])
