"""Reasons for many pairs at once, in the words :func:`matching.reasons.pair_reasons` writes.

``pair_reasons`` weighs nine to eleven candidate reasons per pair in Python, which made reasons
most of the cost of a batch. Here every candidate's share of the score (what decides which
reasons are shown) is computed for all pairs at once on arrays, with the same floating-point
operations in the same order as ``pair_reasons``, so the same reasons win; then only the reasons
that are shown are written, by the very functions ``pair_reasons`` uses. Same words, a fraction
of the work.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from matching import reasons as r
from matching.derive import Derived
from matching.features import variety_of
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

__all__ = ["KINDS", "BatchReasons", "batch_reasons"]

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
_CHUNK = 8192  # pairs per vectorised step (bounds the (pairs x vocabulary) temporaries)
_C = {name: c for c, name in enumerate(COMPONENTS)}
Profile = Mapping[str, object]


def _ids(lists: Sequence[Sequence[str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for items in lists:
        for item in items:
            out.setdefault(item, len(out))
    return out


def _indicator(lists: Sequence[Sequence[str]], index: Mapping[str, int]) -> Bool:
    out = np.zeros((len(lists), max(len(index), 1)), dtype=bool)
    for i, items in enumerate(lists):
        out[i, [index[x] for x in items]] = True
    return out


def _dense(
    values: Sequence[Mapping[str, float]], index: Mapping[str, int], fn: Callable[[float], float]
) -> Float64:
    out = np.zeros((len(values), max(len(index), 1)), dtype=np.float64)
    for i, row in enumerate(values):
        for key, value in row.items():
            out[i, index[key]] = fn(value)
    return out


def _experience_from_one_year(years: float) -> float:
    # pair_reasons counts an industry or function from one year of experience on
    return experience(years) if years >= 1.0 else 0.0


def _best_share(w: float, aims: Float64, exp: Float64) -> Float64:
    """max over keys of ``w * RELEVANCE * aim * experience`` (pair_reasons' order of products)."""
    out: Float64 = ((w * aims) * exp).max(axis=1) if aims.shape[1] else np.zeros(len(aims))
    return out


class _Facts:
    """Per-profile arrays of the mentees (or mentors) that appear in the pairs."""

    def __init__(
        self,
        profiles: Sequence[Profile],
        facts: Sequence[Derived],
        *,
        topics: Mapping[str, int],
        industries: Mapping[str, int],
        functions: Mapping[str, int],
        formats: Mapping[str, int],
        skills: Mapping[str, int],
        mentor: bool,
    ) -> None:
        n = len(profiles)
        self.topics = _indicator([p["topics"] for p in profiles], topics)  # type: ignore[misc]
        self.formats = _indicator([p["formats"] for p in profiles], formats)  # type: ignore[misc]
        self.n_formats = self.formats.sum(axis=1)
        self.seniority = np.array([f.seniority or 0 for f in facts], dtype=np.int64)
        self.personality_known = np.array([f.personality is not None for f in facts], dtype=bool)
        self.personality = np.array(
            [f.personality or (0.0,) * 5 for f in facts], dtype=np.float64
        ).reshape(n, 5)
        self.tz_known = np.array([f.tz_halfhours is not None for f in facts], dtype=bool)
        self.tz = np.array([f.tz_halfhours or 0 for f in facts], dtype=np.int64)
        # skills and certifications, compared in lower case: a mentee's list counts repeats
        rows: list[int] = []
        cols: list[int] = []
        for i, p in enumerate(profiles):
            words = [s.lower() for s in [*p["skills"], *p["certifications"]]]  # type: ignore[misc]
            if mentor:
                words = list(dict.fromkeys(words))
            rows += [i] * len(words)
            cols += [skills[s] for s in words]
        self.skills = sp.csr_matrix(
            (np.ones(len(rows)), (rows, cols)), shape=(n, max(len(skills), 1))
        )
        if mentor:
            self.industry = _dense([f.industry_years for f in facts], industries, _exp1)
            self.function = _dense([f.function_years for f in facts], functions, _exp1)
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
            self.industry = _dense([f.industry_aims for f in facts], industries, float)
            self.function = _dense([f.function_aims for f in facts], functions, float)
            self.gaps = [p["network_gaps"] for p in profiles]


_exp1 = _experience_from_one_year


def _shares(
    e: _Facts, m: _Facts, pe: Int64, pm: Int64, comps: Float64, w: Mapping[str, float]
) -> Float64:
    """(pairs, len(KINDS)) share of each candidate reason; NaN where pair_reasons finds none."""
    p = len(pe)
    out = np.full((p, len(KINDS)), np.nan)
    col = {k: i for i, k in enumerate(KINDS)}

    value = comps[:, _C["topic_fit"]]
    shared = (e.topics[pe] & m.topics[pm]).any(axis=1) & (value > 0.0)
    out[shared, col["topics"]] = (w["topic_fit"] * value)[shared]

    wr = w["career_relevance"]
    for kind, weight in (("industry", RELEVANCE_INDUSTRY), ("function", RELEVANCE_FUNCTION)):
        aims = e.industry if kind == "industry" else e.function
        exp = m.industry if kind == "industry" else m.function
        best = _best_share(wr * weight, aims[pe], exp[pm])
        found = best > 0.0
        out[found, col[kind]] = best[found]

    n_shared = np.asarray(e.skills[pe].multiply(m.skills[pm]).sum(axis=1)).ravel()
    found = n_shared > 0
    out[found, col["skills"]] = (wr * RELEVANCE_TEXT * np.minimum(1.0, n_shared / 3.0))[found]

    variety = m.variety[pm]
    found = variety > 0.0
    out[found, col["variety"]] = (w["career_variety"] * variety)[found]

    es, ms = e.seniority[pe], m.seniority[pm]
    found = (es > 0) & (ms > 0) & (ms > es)
    out[found, col["seniority"]] = (w["seniority"] * comps[:, _C["seniority"]])[found]

    value = comps[:, _C["personality"]]
    close = (np.abs(e.personality[pe] - m.personality[pm]) / 6.0 <= r._CLOSE_TRAIT).any(axis=1)
    found = (
        e.personality_known[pe]
        & m.personality_known[pm]
        & (value >= r._SIMILAR_PERSONALITY)
        & close
    )
    out[found, col["personality"]] = (w["personality"] * (value - 0.5))[found]

    start_e = (WORK_START_HALFHOUR - e.tz[pe]) % 48
    start_m = (WORK_START_HALFHOUR - m.tz[pm]) % 48
    gap = (start_m - start_e) % 48
    gap = np.minimum(gap, 48 - gap)
    hours = np.maximum(0, WORK_HALFHOURS - gap).astype(np.float64)
    found = e.tz_known[pe] & m.tz_known[pm] & (hours >= WORK_HALFHOURS / 2)
    share = w["logistics"] * LOGISTICS_TIMEZONE * (hours / WORK_HALFHOURS)
    out[found, col["timezone"]] = share[found]

    wanted = e.n_formats[pe]
    offers_any = m.n_formats[pm] > 0
    both = (e.formats[pe] & m.formats[pm]).sum(axis=1)
    n_fmt = np.where(offers_any, both, wanted).astype(np.float64)
    found = (wanted > 0) & (n_fmt > 0)
    share = w["logistics"] * LOGISTICS_FORMAT * n_fmt / np.maximum(wanted, 1)
    out[found, col["formats"]] = share[found]

    if w["responsiveness"] > 0.0:
        value = comps[:, _C["responsiveness"]]
        found = value >= r.RESPONSIVE
        out[found, col["responsiveness"]] = (w["responsiveness"] * value)[found]
    if w["network_fit"] > 0.0:
        value = comps[:, _C["network_fit"]]
        for i in np.flatnonzero(value >= r.NETWORK_FIT_SHOWN).tolist():
            reach = m.reach[pm[i]]
            if any(reach.get(g, 0) > 0 for g in e.gaps[pe[i]]):
                out[i, col["network"]] = w["network_fit"] * value[i]
    return out


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
        self.mentees, self.mentee_facts = mentees, mentee_facts
        self.mentors, self.mentor_facts = mentors, mentor_facts
        everyone = [*mentees, *mentors]
        vocab = {
            "topics": _ids([x["topics"] for x in everyone]),  # type: ignore[misc]
            "formats": _ids([x["formats"] for x in everyone]),  # type: ignore[misc]
            "skills": _ids(
                [[s.lower() for s in [*x["skills"], *x["certifications"]]] for x in everyone]  # type: ignore[misc]
            ),
            "industries": _ids(
                [list(f.industry_aims) for f in mentee_facts]
                + [list(f.industry_years) for f in mentor_facts]
            ),
            "functions": _ids(
                [list(f.function_aims) for f in mentee_facts]
                + [list(f.function_years) for f in mentor_facts]
            ),
        }
        self.e = _Facts(mentees, mentee_facts, mentor=False, **vocab)
        self.m = _Facts(mentors, mentor_facts, mentor=True, **vocab)
        self.w = {c: float(weights[i]) for i, c in enumerate(COMPONENTS)}

    def __call__(
        self, mentee_rows: Int64, mentor_rows: Int64, components: Float64
    ) -> list[tuple[str, ...]]:
        """Reason texts of pairs ``(mentee_rows[i], mentor_rows[i])``, strongest first.

        ``components`` : (p, n_components) float64, the pairs' component values.
        """
        out: list[tuple[str, ...]] = []
        w = self.w
        for lo in range(0, len(mentee_rows), _CHUNK):
            hi = min(lo + _CHUNK, len(mentee_rows))
            pe, pm, comps = mentee_rows[lo:hi], mentor_rows[lo:hi], components[lo:hi]
            shares = _shares(self.e, self.m, pe, pm, comps, w)
            found = ~np.isnan(shares)
            order = np.argsort(np.where(found, -shares, np.inf), axis=1, kind="stable")
            n_found = found.sum(axis=1)
            strong = np.minimum((found & (shares >= r._MIN_SHARE)).sum(axis=1), r.MAX_REASONS)
            shown = np.where(strong >= r.MIN_REASONS, strong, np.minimum(n_found, r.MIN_REASONS))
            rows = zip(
                pe.tolist(),
                pm.tolist(),
                shown.tolist(),
                order.tolist(),
                comps.tolist(),
                strict=True,
            )
            for a, b, count, kinds, values in rows:
                ep, ef = self.mentees[a], self.mentee_facts[a]
                mp, mf = self.mentors[b], self.mentor_facts[b]
                value = dict(zip(COMPONENTS, values, strict=True))
                texts: list[str] = []
                for k in kinds[:count]:
                    reason = _writer(KINDS[k], ep, ef, mp, mf, value, w)
                    assert reason is not None, KINDS[k]
                    texts.append(reason.text)
                if count < r.MIN_REASONS:
                    fallbacks = r._fallbacks(ep, mp, mf, value, w)
                    texts += [x.text for x in fallbacks[: r.MIN_REASONS - count]]
                out.append(tuple(texts))
        return out


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
) -> list[tuple[str, ...]]:
    """The reasons of pairs ``(mentee_rows[i], mentor_rows[i])``: ``pair_reasons``' words.

    One-off form of :class:`BatchReasons` (see there for the parameters).
    """
    writer = BatchReasons(
        mentees=mentees,
        mentee_facts=mentee_facts,
        mentors=mentors,
        mentor_facts=mentor_facts,
        weights=weights,
    )
    return writer(
        np.asarray(mentee_rows, dtype=np.int64), np.asarray(mentor_rows, dtype=np.int64), components
    )
