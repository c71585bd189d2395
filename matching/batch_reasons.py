"""Reasons for many pairs at once, in the words :func:`matching.reasons.pair_reasons` writes.

``pair_reasons`` weighs nine to eleven candidate reasons per pair in Python, which made reasons
most of the cost of a batch. Here every candidate's share of the score (what decides which
reasons are shown) is computed for all pairs at once on arrays, with the same floating-point
operations in the same order as ``pair_reasons``, so the same reasons win; then only the reasons
that are shown are written, by the very functions ``pair_reasons`` uses. Same words, a fraction
of the work.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from matching import reasons as r
from matching.derive import Derived
from matching.features import gc_paused, variety_of
from matching.parallel import in_processes
from matching.scoring import (
    COMPONENTS,
    LOGISTICS_FORMAT,
    LOGISTICS_TIMEZONE,
    RELEVANCE_FUNCTION,
    RELEVANCE_INDUSTRY,
    RELEVANCE_TEXT,
    WORK_HALFHOURS,
    WORK_START_HALFHOUR,
    experience,
)

__all__ = ["KINDS", "PARALLEL_PAIRS", "BatchReasons", "batch_reasons"]

Float64 = NDArray[np.float64]
Int64 = NDArray[np.int64]
Bool = NDArray[np.bool_]

# The candidates of pair_reasons, in its order (ties in share keep this order).
KINDS = (
    "topics",
    "industry",
    "function",
    "skills",
    "variety",
    "seniority",
    "personality",
    "timezone",
    "formats",
    "responsiveness",
    "network",
)
PARALLEL_PAIRS = 20_000  # fewer pairs than this are written in one process
_CHUNK = 65_536  # pairs per vectorised step (bounds the (pairs x vocabulary) temporaries)
_C = {name: c for c, name in enumerate(COMPONENTS)}
Profile = Mapping[str, object]


def _ids(lists: Iterable[Iterable[str]]) -> dict[str, int]:
    """Each distinct item's number, in the order of first appearance."""
    return {item: i for i, item in enumerate(dict.fromkeys(itertools.chain.from_iterable(lists)))}


def _flat(groups: Sequence[Iterable[Any]]) -> tuple[Int64, Int64, list[Any]]:
    """The groups' items one after the other: each item's group, its place in its group, and
    the items (iterating a mapping gives its keys)."""
    lengths = np.fromiter(map(len, groups), dtype=np.int64, count=len(groups))  # type: ignore[arg-type]
    items = list(itertools.chain.from_iterable(groups))
    rows = np.repeat(np.arange(len(groups), dtype=np.int64), lengths)
    places = np.arange(len(items), dtype=np.int64) - np.repeat(
        np.cumsum(lengths) - lengths, lengths
    )
    return rows, places, items


def _values(rows: Sequence[Mapping[str, Any]]) -> list[Any]:
    """The mappings' values one after the other (in the order :func:`_flat` gives their keys)."""
    return list(itertools.chain.from_iterable(row.values() for row in rows))


def _codes(items: Sequence[str], index: Mapping[str, int]) -> Int64:
    """Each item's number in ``index``, -1 for items it does not hold."""
    get = index.get
    return np.fromiter(map(get, items, itertools.repeat(-1)), dtype=np.int64, count=len(items))


def _place(
    shape: tuple[int, int], fill: object, dtype: type, rows: Int64, cols: Int64, values: Any
) -> NDArray[Any]:
    """An array of ``fill`` with ``values`` at the (row, column) pairs, in one step."""
    out: NDArray[Any] = np.full(shape, fill, dtype=dtype)
    out[rows, cols] = values
    return out


def _width(index: Mapping[str, int]) -> int:
    return max(len(index), 1)


def _dense(
    values: Sequence[Mapping[str, float]],
    index: Mapping[str, int],
    fn: Callable[[float], float],
    pad: int = 0,
) -> Float64:
    rows, _, keys = _flat(values)
    out = list(map(fn, _values(values)))
    shape = (len(values), len(index) + pad)
    return _place(shape, 0.0, np.float64, rows, _codes(keys, index), out)


def _aims(values: Sequence[Mapping[str, float]], index: Mapping[str, int]) -> tuple[Int64, Float64]:
    """Each mentee's aims in their order: (n, most aims) keys (-1 padding) and weights (0.0)."""
    rows, places, keys = _flat(values)
    shape = (len(values), int(places.max()) + 1 if len(places) else 1)
    return (
        _place(shape, -1, np.int64, rows, places, _codes(keys, index)),
        _place(shape, 0.0, np.float64, rows, places, _values(values)),
    )


def _experience_from_one_year(years: float) -> float:
    # pair_reasons counts an industry or function from one year of experience on
    return experience(years) if years >= 1.0 else 0.0


_BIG = np.iinfo(np.int32).max  # "not in the list" for list positions


def _membership(lists: Int64, size: int) -> Bool:
    out = np.zeros((len(lists), size + 1), dtype=bool)
    rows, cols = np.nonzero(lists >= 0)
    out[rows, lists[rows, cols]] = True
    out[:, -1] = False
    return out


def _whole_years(values: Sequence[Mapping[str, float]], index: Mapping[str, int]) -> Int64:
    """round(years) per key, as reasons.py's _years rounds them (-1 when absent)."""
    rows, _, keys = _flat(values)
    out = list(map(round, _values(values)))
    return _place((len(values), _width(index)), -1, np.int64, rows, _codes(keys, index), out)


def _flags(sets: Sequence[frozenset[str]], index: Mapping[str, int]) -> Bool:
    rows, _, keys = _flat(sets)
    cols = _codes(keys, index)
    known = cols >= 0
    return _place((len(sets), _width(index)), False, bool, rows[known], cols[known], True)


def _lists(lists: Sequence[Sequence[str]], index: Mapping[str, int]) -> Int64:
    """(n, longest) ids of each list's labels in its order, -1 padding."""
    rows, places, items = _flat(lists)
    width = int(places.max()) + 1 if len(places) else 1
    return _place((len(lists), width), -1, np.int64, rows, places, _codes(items, index))


# A batch's arrays are (pairs x few): numpy reduces along a short axis one row (or one column)
# at a time, five to ten times slower than along a long one. These helpers reduce a transposed
# copy instead: a few long vector operations.


def _across(reduce: np.ufunc, a: NDArray[Any], dtype: Any = None) -> NDArray[Any]:
    """``reduce`` along each row (axis 1) of a (pairs x few) array."""
    return reduce.reduce(np.ascontiguousarray(a.T), axis=0, dtype=dtype)  # type: ignore[no-any-return]


def _down(reduce: np.ufunc, a: NDArray[Any]) -> NDArray[Any]:
    """``reduce`` along each column (axis 0) of a (pairs x few) array."""
    return reduce.reduce(np.ascontiguousarray(a.T), axis=1)  # type: ignore[no-any-return]


def _count(hit: Bool) -> Int64:
    """True values per row."""
    return _across(np.add, hit, dtype=np.int64)


def _first(ids: Int64, hit: Bool, n: int | None = None) -> Int64:
    """``ids`` where ``hit``, for the first ``n`` hits of each row in list order; -1 elsewhere."""
    if n is None:
        keep = hit
    else:  # the running count of hits along each row, a column at a time
        running = np.cumsum(np.ascontiguousarray(hit.T), axis=0, dtype=np.int64).T
        keep = hit & (running <= n)
    out: Int64 = np.where(keep, ids, -1)
    return out


_DIRECT = 1 << 16  # distinct keys found with a table of this many entries, not a sort


def _distinct(keys: Int64) -> tuple[Int64, Int64]:
    """For rows of integer keys: one row of each distinct key (``first``) and, for every row,
    the place of its key in ``first`` (``inverse``); ``keys[first][inverse]`` equals ``keys``.

    The keys become one number each (mixed radix); when their range is small enough, the
    distinct ones are found with a table of that range instead of a sort."""
    n = len(keys)
    low = _down(np.minimum, keys)
    span = _down(np.maximum, keys) - low + 1
    size = float(np.prod(span.astype(np.float64)))
    if size >= 2.0**62:
        _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
        return first, inverse.ravel()
    radix = np.concatenate([[1], np.cumprod(span[:-1])]).astype(np.int64)
    number: Int64 = (keys - low) @ radix
    if size > max(_DIRECT, 2 * n):
        _, first, inverse = np.unique(number, return_index=True, return_inverse=True)
        return first, inverse.ravel()
    table = np.full(int(size), -1, dtype=np.int64)
    table[number] = np.arange(n, dtype=np.int64)  # a row of each key (which one is immaterial)
    present = np.flatnonzero(table >= 0)
    first = table[present]
    table[present] = np.arange(len(present), dtype=np.int64)
    return first, table[number]


class _Side:
    """Per-profile arrays of one side (mentees or mentors) of a batch."""

    def __init__(
        self,
        profiles: Sequence[Profile],
        facts: Sequence[Derived],
        items: Sequence[Sequence[str]],
        vocab: Mapping[str, Mapping[str, int]],
        *,
        mentor: bool,
    ) -> None:
        n = len(profiles)
        industries, functions = vocab["industries"], vocab["functions"]
        topic_lists = [p["topics"] for p in profiles]
        format_lists = [p["formats"] for p in profiles]
        self.topics = _lists(topic_lists, vocab["topics"])  # type: ignore[arg-type]
        self.formats = _lists(format_lists, vocab["formats"])  # type: ignore[arg-type]
        self.n_formats = (self.formats >= 0).sum(axis=1)
        # membership, with a last column that is always False (where the -1 padding points)
        self.has_topic = _membership(self.topics, len(vocab["topics"]))
        self.has_format = _membership(self.formats, len(vocab["formats"]))
        self.seniority = np.array([f.seniority or 0 for f in facts], dtype=np.int64)
        self.personality_known = np.array([f.personality is not None for f in facts], dtype=bool)
        self.personality = np.array(
            [f.personality or (0.0,) * 5 for f in facts], dtype=np.float64
        ).reshape(n, 5)
        self.tz_known = np.array([f.tz_halfhours is not None for f in facts], dtype=bool)
        self.tz = np.array([f.tz_halfhours or 0 for f in facts], dtype=np.int64)
        self.industry_current = _flags([f.current_industries for f in facts], industries)
        self.function_current = _flags([f.current_functions for f in facts], functions)
        skills, originals = vocab["skills"], vocab["skill_texts"]
        self.skill_text = _lists(items, originals)
        # each original text's lower-case id, looked up once per distinct text
        lower = np.array([skills[t.lower()] for t in originals] or [0], dtype=np.int64)
        self.skill_lower = np.where(self.skill_text >= 0, lower[self.skill_text], -1)
        if mentor:
            # (mentor, skill) codes, sorted: a pair shares a skill when its code is found here
            self.n_skills = max(len(skills), 1)
            at = self.skill_lower >= 0
            mentor_of = np.nonzero(at)[0]
            self.skill_codes = np.unique(mentor_of * self.n_skills + self.skill_lower[at])
            # a last column of zeros, read by the -1 padding of the mentees' aims
            self.industry = _dense([f.industry_years for f in facts], industries, _exp1, pad=1)
            self.function = _dense([f.function_years for f in facts], functions, _exp1, pad=1)
            self.industry_years = _whole_years([f.industry_years for f in facts], industries)
            self.function_years = _whole_years([f.function_years for f in facts], functions)
            led = [{k: v for k, v in f.led_years.items() if v >= 1.0} for f in facts]
            self.led_years = _whole_years(led, functions)
            self.variety = np.array(
                [
                    variety_of(f)
                    if len(f.industry_years) >= 2
                    or len(f.function_years) >= 2
                    or len(f.organisations) >= 2
                    else 0.0
                    for f in facts
                ],
                dtype=np.float64,
            )
            self.reach = [p["network_reach"] for p in profiles]
        else:
            # pair_reasons takes the first best key in the order of the mentee's aims
            self.industry_aims, self.industry = _aims([f.industry_aims for f in facts], industries)
            self.function_aims, self.function = _aims([f.function_aims for f in facts], functions)
            sources = vocab["sources"]
            given = [f.industry_aim_source for f in facts]
            rows, _, keys = _flat(given)
            cols = _codes(keys, industries)
            about = (cols >= 0) & np.array([x == "about" for x in _values(given)], dtype=bool)
            shape = self.industry_current.shape
            self.industry_about = _place(shape, False, bool, rows[about], cols[about], True)
            given = [f.function_aim_source for f in facts]
            rows, _, keys = _flat(given)
            cols = _codes(keys, functions)
            known = cols >= 0
            source = _codes(_values(given), sources)
            shape = self.function_current.shape
            self.function_source = _place(
                shape, 0, np.int64, rows[known], cols[known], source[known]
            )
            self.gaps = [p["network_gaps"] for p in profiles]


_exp1 = _experience_from_one_year


def _best(weights: Float64, keys: Int64, experience: Float64, pm: Int64) -> tuple[Float64, Int64]:
    """Per pair: the best share ``weights * experience`` over the mentee's aims, and its key,
    the first in the aims' order among equal bests (-1 padding reads a column of zeros)."""
    share = weights * experience[pm[:, None], keys]
    top = _across(np.maximum, share)
    slot = np.argmax((share == top[:, None]) & (share > 0.0), axis=1)
    return top, np.take_along_axis(keys, slot[:, None], axis=1)[:, 0]


def _shares(
    e: _Side, m: _Side, pe: Int64, pm: Int64, comps: Float64, w: Mapping[str, float]
) -> tuple[Float64, dict[str, Int64]]:
    """Share of each candidate reason, (pairs, len(KINDS)), NaN where pair_reasons finds none;
    and per kind, the (pairs, k) integer key that determines its words."""
    p = len(pe)
    out = np.full((p, len(KINDS)), np.nan)
    keys: dict[str, Int64] = {}
    col = {k: i for i, k in enumerate(KINDS)}
    rows = np.arange(p)

    value = comps[:, _C["topic_fit"]]
    mentee_topics = e.topics[pe]
    shared = m.has_topic[pm[:, None], mentee_topics]  # -1 padding reads the False column
    n_shared = _count(shared)
    found = (n_shared > 0) & (value > 0.0)
    out[found, col["topics"]] = (w["topic_fit"] * value)[found]
    keys["topics"] = np.column_stack([_first(mentee_topics, shared, 3), n_shared])

    wr = w["career_relevance"]
    best, column = _best(
        wr * RELEVANCE_INDUSTRY * e.industry[pe], e.industry_aims[pe], m.industry, pm
    )
    found = best > 0.0
    out[found, col["industry"]] = best[found]
    keys["industry"] = np.column_stack(
        [
            column,
            e.industry_current[pe, column],
            m.industry_current[pm, column],
            e.industry_about[pe, column],
            m.industry_years[pm, column],
        ]
    )
    best, column = _best(
        wr * RELEVANCE_FUNCTION * e.function[pe], e.function_aims[pe], m.function, pm
    )
    found = best > 0.0
    out[found, col["function"]] = best[found]
    keys["function"] = np.column_stack(
        [
            column,
            e.function_current[pe, column],
            e.function_source[pe, column],
            m.function_years[pm, column],
            m.led_years[pm, column],
        ]
    )

    lower = e.skill_lower[pe]
    codes = pm[:, None] * m.n_skills + lower
    at = np.minimum(np.searchsorted(m.skill_codes, codes), max(len(m.skill_codes) - 1, 0))
    hit = (lower >= 0) & (m.skill_codes[at] == codes) if len(m.skill_codes) else lower < -1
    n_shared = _count(hit)
    found = n_shared > 0
    out[found, col["skills"]] = (wr * RELEVANCE_TEXT * np.minimum(1.0, n_shared / 3.0))[found]
    keys["skills"] = _first(e.skill_text[pe], hit, 3)

    variety = m.variety[pm]
    found = variety > 0.0
    out[found, col["variety"]] = (w["career_variety"] * variety)[found]
    keys["variety"] = pm[:, None]

    es, ms = e.seniority[pe], m.seniority[pm]
    value = comps[:, _C["seniority"]]
    found = (es > 0) & (ms > 0) & (ms > es)
    out[found, col["seniority"]] = (w["seniority"] * value)[found]
    keys["seniority"] = np.column_stack([ms - es, value >= 1.0])

    value = comps[:, _C["personality"]]
    close = np.abs(e.personality[pe] - m.personality[pm]) / 6.0 <= r._CLOSE_TRAIT
    found = (
        e.personality_known[pe]
        & m.personality_known[pm]
        & (value >= r._SIMILAR_PERSONALITY)
        & _across(np.logical_or, close)
    )
    out[found, col["personality"]] = (w["personality"] * (value - 0.5))[found]
    keys["personality"] = close.astype(np.int64) @ (1 << np.arange(5))[:, None]

    start_e = (WORK_START_HALFHOUR - e.tz[pe]) % 48
    start_m = (WORK_START_HALFHOUR - m.tz[pm]) % 48
    gap = (start_m - start_e) % 48
    gap = np.minimum(gap, 48 - gap)
    halfhours = np.maximum(0, WORK_HALFHOURS - gap)
    hours = halfhours.astype(np.float64)
    found = e.tz_known[pe] & m.tz_known[pm] & (hours >= WORK_HALFHOURS / 2)
    share = w["logistics"] * LOGISTICS_TIMEZONE * (hours / WORK_HALFHOURS)
    out[found, col["timezone"]] = share[found]
    keys["timezone"] = np.column_stack([e.tz[pe] == m.tz[pm], halfhours])

    mentee_formats = e.formats[pe]
    wanted = e.n_formats[pe]
    offers_any = m.n_formats[pm] > 0
    both = (mentee_formats >= 0) & (
        m.has_format[pm[:, None], mentee_formats] | ~offers_any[:, None]
    )
    n_fmt = _count(both).astype(np.float64)
    found = (wanted > 0) & (n_fmt > 0)
    share = w["logistics"] * LOGISTICS_FORMAT * n_fmt / np.maximum(wanted, 1)
    out[found, col["formats"]] = share[found]
    keys["formats"] = _first(mentee_formats, both)

    keys["responsiveness"] = np.zeros((p, 1), dtype=np.int64)
    if w["responsiveness"] > 0.0:
        value = comps[:, _C["responsiveness"]]
        found = value >= r.RESPONSIVE
        out[found, col["responsiveness"]] = (w["responsiveness"] * value)[found]
    keys["network"] = rows[:, None]  # rare (its weight is 0 by default): written per pair
    if w["network_fit"] > 0.0:
        value = comps[:, _C["network_fit"]]
        for i in np.flatnonzero(value >= r.NETWORK_FIT_SHOWN).tolist():
            reach = m.reach[pm[i]]
            if any(reach.get(g, 0) > 0 for g in e.gaps[pe[i]]):
                out[i, col["network"]] = w["network_fit"] * value[i]
    return out, keys


def _writer(
    kind: str,
    mentee: Profile,
    ef: Derived,
    mentor: Profile,
    mf: Derived,
    value: Mapping[str, float],
    w: Mapping[str, float],
) -> r.Reason | None:
    """The reason of one kind, by the function pair_reasons calls for it."""
    if kind == "topics":
        return r._topic_reason(mentee, mentor, w["topic_fit"], value["topic_fit"])
    if kind == "industry":
        return r._industry_reason(ef, mf, w["career_relevance"])
    if kind == "function":
        return r._function_reason(ef, mf, w["career_relevance"])
    if kind == "skills":
        return r._skills_reason(mentee, mentor, w["career_relevance"])
    if kind == "variety":
        return r._variety_reason(mf, w["career_variety"], variety_of(mf))
    if kind == "seniority":
        return r._seniority_reason(ef, mf, w["seniority"], value["seniority"])
    if kind == "personality":
        return r._personality_reason(ef, mf, w["personality"], value["personality"])
    if kind == "timezone":
        return r._timezone_reason(ef, mf, w["logistics"])
    if kind == "formats":
        return r._format_reason(mentee, mentor, w["logistics"])
    if kind == "responsiveness":
        return r._responsiveness_reason(w["responsiveness"], value["responsiveness"])
    return r._network_reason(mentee, mentor, w["network_fit"], value["network_fit"])


class BatchReasons:
    """Writes the reasons of any pairs of these mentees and mentors (arrays built once).

    Parameters
    ----------
    mentees, mentors : normalised profiles; mentee_facts, mentor_facts : their Derived facts.
    weights : (n_components,) normalised weights.
    """

    def __init__(
        self,
        *,
        mentees: Sequence[Profile],
        mentee_facts: Sequence[Derived],
        mentors: Sequence[Profile],
        mentor_facts: Sequence[Derived],
        weights: Float64,
    ) -> None:
        with gc_paused():
            self._setup(mentees, mentee_facts, mentors, mentor_facts, weights)

    def _setup(
        self,
        mentees: Sequence[Profile],
        mentee_facts: Sequence[Derived],
        mentors: Sequence[Profile],
        mentor_facts: Sequence[Derived],
        weights: Float64,
    ) -> None:
        self.mentees, self.mentee_facts = mentees, mentee_facts
        self.mentors, self.mentor_facts = mentors, mentor_facts
        everyone = [*mentees, *mentors]
        e_items = [[*x["skills"], *x["certifications"]] for x in mentees]  # type: ignore[misc]
        m_items = [[*x["skills"], *x["certifications"]] for x in mentors]  # type: ignore[misc]
        texts = _ids([*e_items, *m_items])
        vocab = {
            "topics": _ids([x["topics"] for x in everyone]),  # type: ignore[misc]
            "formats": _ids([x["formats"] for x in everyone]),  # type: ignore[misc]
            "skills": _ids([[t.lower() for t in texts]]),
            "skill_texts": texts,
            # iterating a dict gives its keys: no copies of the facts' dicts
            "industries": _ids(
                itertools.chain(
                    (f.industry_aims for f in mentee_facts),
                    (f.industry_years for f in mentor_facts),
                )
            ),
            "functions": _ids(
                itertools.chain(
                    (f.function_aims for f in mentee_facts),
                    (f.function_years for f in mentor_facts),
                )
            ),
            "sources": _ids(
                itertools.chain([[""]], (f.function_aim_source.values() for f in mentee_facts))
            ),
        }
        self.e = _Side(mentees, mentee_facts, e_items, vocab, mentor=False)
        self.m = _Side(mentors, mentor_facts, m_items, vocab, mentor=True)
        self.w = {c: float(weights[i]) for i, c in enumerate(COMPONENTS)}
        self._known: dict[str, dict[tuple[int, ...], int]] = {}  # kind -> key -> number
        self._texts: list[str] = []  # every distinct text written, by number
        self._text_numbers: dict[str, int] = {}

    def __call__(
        self, mentee_rows: Int64, mentor_rows: Int64, components: Float64
    ) -> list[tuple[str, ...]]:
        """Reason texts of pairs ``(mentee_rows[i], mentor_rows[i])``, strongest first.

        ``components`` : (p, n_components) float64, the pairs' component values.
        """
        out: list[tuple[str, ...]] = []
        with gc_paused():  # hundreds of thousands of small tuples, no cycles
            for lo in range(0, len(mentee_rows), _CHUNK):
                hi = min(lo + _CHUNK, len(mentee_rows))
                out += self._block(mentee_rows[lo:hi], mentor_rows[lo:hi], components[lo:hi])
        return out

    def _block(self, pe: Int64, pm: Int64, comps: Float64) -> list[tuple[str, ...]]:
        w = self.w
        shares, keys = _shares(self.e, self.m, pe, pm, comps, w)
        found = ~np.isnan(shares)
        order = np.argsort(np.where(found, -shares, np.inf), axis=1, kind="stable")
        n_found = _count(found)
        strong = np.minimum(_count(found & (shares >= r._MIN_SHARE)), r.MAX_REASONS)
        shown = np.where(strong >= r.MIN_REASONS, strong, np.minimum(n_found, r.MIN_REASONS))
        place = np.empty_like(order)  # where each kind comes in its pair's order
        np.put_along_axis(place, order, np.arange(len(KINDS))[None, :], axis=1)
        chosen = np.full((len(pe), len(KINDS)), -1, dtype=np.int64)  # numbers of the words
        for k, kind in enumerate(KINDS):
            rows = np.flatnonzero(place[:, k] < shown)
            if len(rows) == 0:
                continue
            # the words depend only on the key: write each distinct key once, for one pair
            first, inverse = _distinct(keys[kind][rows])
            numbers = self._words(kind, rows[first], keys[kind], pe, pm, comps)
            chosen[rows, k] = np.array(numbers, dtype=np.int64)[inverse]
        chosen = np.take_along_axis(chosen, order[:, : r.MAX_REASONS], axis=1)
        words = np.array([*self._texts, None], dtype=object)  # -1 (not shown) reads None
        # tuples of MAX_REASONS straight from the columns, then the pairs showing fewer cut
        out = list(zip(*(words[chosen[:, j]].tolist() for j in range(r.MAX_REASONS)), strict=True))
        for i in np.flatnonzero(shown < r.MAX_REASONS).tolist():
            out[i] = out[i][: int(shown[i])]
        for i in np.flatnonzero(shown < r.MIN_REASONS).tolist():
            a, b = int(pe[i]), int(pm[i])
            value = dict(zip(COMPONENTS, comps[i].tolist(), strict=True))
            fallbacks = r._fallbacks(
                self.mentees[a], self.mentors[b], self.mentor_facts[b], value, w
            )
            out[i] = out[i] + tuple(x.text for x in fallbacks[: r.MIN_REASONS - int(shown[i])])
        return out

    def _words(
        self, kind: str, rows: Int64, keys: Int64, pe: Int64, pm: Int64, comps: Float64
    ) -> list[int]:
        """The numbers in ``self._texts`` of the words of kind ``kind`` for pairs ``rows`` of
        this block (each of a distinct key), written where not known yet.

        Keys are numbers of mentors, labels and counts that mean the same in every block, so
        words already written in an earlier block are taken again; a network key is the pair's
        place in its block, so those are written each time."""
        if kind == "network":
            return [self._number(self._write(kind, i, pe, pm, comps)) for i in rows.tolist()]
        known = self._known.setdefault(kind, {})
        out = []
        for i, key in zip(rows.tolist(), map(tuple, keys[rows].tolist()), strict=True):
            number = known.get(key)
            if number is None:
                number = known[key] = self._number(self._write(kind, i, pe, pm, comps))
            out.append(number)
        return out

    def _number(self, text: str) -> int:
        number = self._text_numbers.setdefault(text, len(self._texts))
        if number == len(self._texts):
            self._texts.append(text)
        return number

    def _write(self, kind: str, i: int, pe: Int64, pm: Int64, comps: Float64) -> str:
        a, b = int(pe[i]), int(pm[i])
        value = dict(zip(COMPONENTS, comps[i].tolist(), strict=True))
        reason = _writer(
            kind,
            self.mentees[a],
            self.mentee_facts[a],
            self.mentors[b],
            self.mentor_facts[b],
            value,
            self.w,
        )
        assert reason is not None, kind
        return reason.text


def batch_reasons(
    *,
    mentees: Sequence[Profile],
    mentee_facts: Sequence[Derived],
    mentors: Sequence[Profile],
    mentor_facts: Sequence[Derived],
    mentee_rows: Int64,
    mentor_rows: Int64,
    components: Float64,
    weights: Float64,
    n_jobs: int = 1,
    writer: BatchReasons | None = None,
) -> list[tuple[str, ...]]:
    """The reasons of pairs ``(mentee_rows[i], mentor_rows[i])``: ``pair_reasons``' words.

    Parameters as :class:`BatchReasons`. ``n_jobs > 1`` splits the pairs into that many forked
    processes (from PARALLEL_PAIRS pairs; fastest when the pairs are sorted by mentee, as each
    process reads the facts of the mentees its pairs span).

    ``writer``: a :class:`BatchReasons` of these very mentees and mentors, built once for many
    calls (its per-profile arrays are the setup's whole cost); forked processes share it. Without
    one, each call (and each process) builds the arrays of the mentees its pairs span.
    """
    e_rows = np.asarray(mentee_rows, dtype=np.int64)
    m_rows = np.asarray(mentor_rows, dtype=np.int64)

    def part(lo: int, hi: int) -> list[tuple[str, ...]]:
        if hi <= lo:
            return []
        if writer is not None:
            return writer(e_rows[lo:hi], m_rows[lo:hi], components[lo:hi])
        first, last = int(e_rows[lo:hi].min()), int(e_rows[lo:hi].max()) + 1
        spanned = BatchReasons(
            mentees=mentees[first:last],
            mentee_facts=mentee_facts[first:last],
            mentors=mentors,
            mentor_facts=mentor_facts,
            weights=weights,
        )
        return spanned(e_rows[lo:hi] - first, m_rows[lo:hi], components[lo:hi])

    p = len(e_rows)
    if n_jobs <= 1 or p < PARALLEL_PAIRS:
        return part(0, p)
    bounds = np.linspace(0, p, n_jobs + 1).astype(int).tolist()
    parts = in_processes(part, list(itertools.pairwise(bounds)))
    return [texts for piece in parts for texts in piece]
