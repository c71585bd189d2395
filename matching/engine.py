"""The engine's entry points: proposals (interactive and batch) and cohort assignment.

Hard rules, applied before any score is compared: never self, mentor accepting with capacity > 0,
a shared language (no languages on a side = no constraint from that side), and exclusions in both
directions. Languages split mentees into groups with the same eligible mentor columns (few
groups in practice); self and exclusions are sparse and masked to -inf inside the score blocks.
Nothing eligible is ever dropped from a top-k.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import ThreadpoolController

from matching import solvers
from matching.batch_reasons import BatchReasons, batch_reasons
from matching.derive import Derived
from matching.features import FeatureModel, ProfileFeatures, component_values
from matching.profiles import parse_as_of, validate_profile
from matching.reasons import pair_reasons
from matching.scoring import COMPONENTS, DEFAULT_SENIORITY_BAND, validate_band, weight_vector
from matching.topk import batch_topk

__all__ = ["Assignment", "Proposal", "assign", "propose"]

Float32 = NDArray[np.float32]
Float64 = NDArray[np.float64]
Int64 = NDArray[np.int64]

DEFAULT_CANDIDATES = 30  # candidate edges per mentee for assignment
SPARE_CANDIDATES = 5  # extra candidates per mentee among mentors few others listed
SPARE_DEMAND = 2  # a mentor listed by fewer than this many mentees per seat is "spare"
RIVALS_PER_STRANDED = 20  # bound on rivals given free-seat candidates, per stranded mentee
_DIGITS = 6
_REASON_BATCH = 20_000  # mentees whose proposals are written in one vectorised step
_COMPONENT_STEP = 1024  # pairs whose component values are computed at once


@dataclass(frozen=True, slots=True)
class Proposal:
    """One suggested mentor for one mentee, with its components and reasons."""

    mentee: str
    mentor: str
    rank: int
    score: float
    components: dict[str, float]
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "mentee": self.mentee,
            "mentor": self.mentor,
            "rank": self.rank,
            "score": round(self.score, _DIGITS),
            "components": {k: round(v, _DIGITS) for k, v in self.components.items()},
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class Assignment:
    """The mentor assigned to one mentee (None when unmatched)."""

    mentee: str
    mentor: str | None
    score: float | None
    components: dict[str, float] = field(default_factory=dict)
    reasons: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "mentee": self.mentee,
            "mentor": self.mentor,
            "score": None if self.score is None else round(self.score, _DIGITS),
        }


def _validated(profiles: Sequence[Mapping[str, object]], side: str) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    first: dict[str, int] = {}
    for i, p in enumerate(profiles):
        try:
            normal = validate_profile(p)
        except ValueError as exc:
            raise ValueError(f"{side}[{i}]: {exc}") from None
        pid = str(normal["id"])
        if pid in first:
            raise ValueError(f"{side}[{i}]: duplicate id {pid!r} (first at {side}[{first[pid]}])")
        first[pid] = i
        out.append(normal)
    return out


class _Rules:
    """Hard rules against one mentor pool: active mentors, languages, exclusions, self."""

    def __init__(
        self,
        *,
        ids: Sequence[str],
        active: NDArray[np.bool_],
        languages: Sequence[Sequence[str]],
        exclude: Sequence[Sequence[str]],
    ) -> None:
        n = len(ids)
        self.n = n
        self.active = np.asarray(active, dtype=bool)
        self.index = {pid: i for i, pid in enumerate(ids)}
        self.languages = languages
        self.exclude = exclude
        self.no_language = np.array([not langs for langs in languages], dtype=bool)
        self.speaks: dict[str, NDArray[np.bool_]] = {}  # per language, filled when first asked
        self.excluded_by: dict[str, list[int]] = {}
        for i, names in enumerate(exclude):
            for name in names:
                self.excluded_by.setdefault(name, []).append(i)
        self._masks: dict[frozenset[str], NDArray[np.bool_]] = {}

    @classmethod
    def of_features(cls, mentors: ProfileFeatures) -> _Rules:
        return cls(
            ids=mentors.ids,
            active=(mentors.capacity > 0) & mentors.accepting,
            languages=mentors.languages,
            exclude=mentors.exclude,
        )

    @classmethod
    def of_profiles(cls, mentors: Sequence[Mapping[str, Any]]) -> _Rules:
        """The rules of normalised mentor profiles (what a saved index keeps)."""
        return cls(
            ids=[str(m["id"]) for m in mentors],
            active=np.array([m["capacity"] > 0 and m["accepting"] for m in mentors], dtype=bool),
            languages=[m["languages"] for m in mentors],
            exclude=[m["exclude"] for m in mentors],
        )

    def eligible(self, languages: Sequence[str]) -> NDArray[np.bool_]:
        """(n_mentors,) bool: active mentors sharing a language with these languages."""
        key = frozenset(languages)
        mask = self._masks.get(key)
        if mask is None:
            if not key:
                mask = self.active.copy()
            else:
                speaks = self.no_language.copy()
                for lang in key:
                    speaks |= self._speaking(lang)
                mask = speaks & self.active
            self._masks[key] = mask
        return mask

    def _speaking(self, lang: str) -> NDArray[np.bool_]:
        """(n_mentors,) bool: mentors who list `lang` (one pass over everyone, then cached: a
        loaded index answers its first request without a pass per language it holds)."""
        found = self.speaks.get(lang)
        if found is None:
            found = np.fromiter((lang in langs for langs in self.languages), bool, self.n)
            self.speaks[lang] = found
        return found

    def forbidden(self, mentee_id: str, exclude: Sequence[str]) -> list[int]:
        """Mentor indices never paired with this mentee: self and exclusions both ways."""
        out = list(self.excluded_by.get(mentee_id, ()))
        for pid in (mentee_id, *exclude):
            j = self.index.get(pid)
            if j is not None:
                out.append(j)
        return out


@dataclass(slots=True)
class _Cohort:
    """A prepared batch: features, matrices and rules for one call."""

    model: FeatureModel
    as_of: dt.date
    mentors: list[dict[str, object]]
    mentees: list[dict[str, object]]
    mentor_features: ProfileFeatures
    mentee_features: ProfileFeatures
    matrix: Float32
    u: Float32
    const: Float64
    query: Float32
    weights: Float64
    rules: _Rules
    reasons: BatchReasons | None = None  # built on first use, by writer()

    def writer(self) -> BatchReasons:
        """The per-profile arrays of reasons for every mentee and mentor, built once."""
        if self.reasons is None:
            self.reasons = BatchReasons(
                mentees=self.mentees,
                mentee_facts=self.mentee_features.facts,
                mentors=self.mentors,
                mentor_facts=self.mentor_features.facts,
                weights=self.weights,
            )
        return self.reasons


def _prepare(
    mentors: Sequence[Mapping[str, object]],
    mentees: Sequence[Mapping[str, object]],
    *,
    weights: Mapping[str, float] | None,
    as_of: str,
    seniority_band: tuple[int, int],
    random_state: int,
    n_jobs: int = 1,
) -> _Cohort:
    day = parse_as_of(as_of)
    band = validate_band(seniority_band)
    w = weight_vector(weights)
    mentor_list = _validated(mentors, "mentors")
    mentee_list = _validated(mentees, "mentees")
    model, feats = FeatureModel.fit_transform(
        [*mentor_list, *mentee_list], as_of=day, random_state=random_state, n_jobs=n_jobs
    )
    n_m = len(mentor_list)
    mentor_features = feats.take(slice(0, n_m))
    mentee_features = feats.take(slice(n_m, None))
    u, const = model.mentee_matrix(mentee_features, seniority_band=band)
    return _Cohort(
        model=model,
        as_of=day,
        mentors=mentor_list,
        mentees=mentee_list,
        mentor_features=mentor_features,
        mentee_features=mentee_features,
        matrix=model.mentor_matrix(mentor_features),
        u=u,
        const=const,
        query=model.query(u, const, w),
        weights=w,
        rules=_Rules.of_features(mentor_features),
    )


def _cohort_topk(
    c: _Cohort, rows: Int64, *, k: int, columns: Int64 | None = None
) -> tuple[Int64, Float32]:
    """Top-k eligible mentors (global indices) of mentee ``rows``, optionally among ``columns``.

    Returns (len(rows), k) indices (-1 padding) and float32 scores.
    """
    n_m = c.rules.n
    allowed = np.ones(n_m, dtype=bool)
    if columns is not None:
        allowed[:] = False
        allowed[columns] = True
    out_idx = np.full((len(rows), k), -1, dtype=np.int64)
    out_val = np.full((len(rows), k), -np.inf, dtype=np.float32)
    # Mentees whose languages leave the same mentors eligible share one pass ("en" and
    # "en, fr" do, when every mentor speaks English): usually a single pass over everyone.
    by_languages: dict[frozenset[str], list[int]] = {}
    for pos, r in enumerate(rows.tolist()):
        by_languages.setdefault(frozenset(c.mentee_features.languages[r]), []).append(pos)
    groups: dict[bytes, tuple[NDArray[np.int64], list[int]]] = {}
    for langs, positions in by_languages.items():
        eligible = c.rules.eligible(tuple(langs)) & allowed
        key = np.packbits(eligible).tobytes()
        if key not in groups:
            groups[key] = (np.flatnonzero(eligible), [])
        groups[key][1].extend(positions)
    for cols, positions in groups.values():
        if len(cols) == 0:
            continue
        positions.sort()
        local = np.full(n_m, -1, dtype=np.int64)
        local[cols] = np.arange(len(cols))
        pos_arr = np.asarray(positions, dtype=np.int64)
        group_rows = rows[pos_arr]
        f_rows: list[int] = []
        f_cols: list[int] = []
        for i, r in enumerate(group_rows.tolist()):
            for j in c.rules.forbidden(c.mentee_features.ids[r], c.mentee_features.exclude[r]):
                if local[j] >= 0:
                    f_rows.append(i)
                    f_cols.append(int(local[j]))
        every_row = len(group_rows) == c.query.shape[0] and bool(
            (group_rows == np.arange(len(group_rows))).all()
        )
        queries = c.query if every_row else np.ascontiguousarray(c.query[group_rows])
        mentors = c.matrix if len(cols) == n_m else np.ascontiguousarray(c.matrix[cols])
        idx, val = batch_topk(
            queries,
            mentors,
            k=k,
            forbidden_rows=np.asarray(f_rows, dtype=np.int64),
            forbidden_cols=np.asarray(f_cols, dtype=np.int64),
        )
        out_idx[pos_arr] = np.where(idx >= 0, cols[np.maximum(idx, 0)], -1)
        out_val[pos_arr] = val
    return out_idx, out_val


def _pair_components(c: _Cohort, mentee_rows: Int64, mentor_rows: Int64) -> Float64:
    """(p, n_components) exact component values of the pairs, in cache-sized steps (the
    float64 products of 200,000 pairs would otherwise be a few hundred MB)."""
    out = np.empty((len(mentee_rows), len(COMPONENTS)), dtype=np.float64)
    for lo in range(0, len(mentee_rows), _COMPONENT_STEP):
        e = mentee_rows[lo : lo + _COMPONENT_STEP]
        m = mentor_rows[lo : lo + _COMPONENT_STEP]
        out[lo : lo + len(e)] = component_values(c.model.layout, c.u[e], c.const[e], c.matrix[m])
    return out


def _named(values: Float64) -> dict[str, float]:
    return {name: float(v) for name, v in zip(COMPONENTS, values, strict=True)}


def _reasons(
    *,
    mentee: Mapping[str, object],
    mentee_facts: Derived,
    mentor: Mapping[str, object],
    mentor_facts: Derived,
    components: dict[str, float],
    weights: Float64,
) -> tuple[str, ...]:
    found = pair_reasons(
        mentee=mentee,
        mentee_facts=mentee_facts,
        mentor=mentor,
        mentor_facts=mentor_facts,
        components=components,
        weights=_named(weights),
    )
    return tuple(r.text for r in found)


def _ranked(
    mentee_rows: Int64, mentor_rows: Int64, comps: Float64, weights: Float64
) -> list[tuple[int, Float64, float]]:
    """(mentor, components, score) best first, by the exact score (ties: lower mentor index)."""
    scores = comps @ weights
    order = np.lexsort((mentor_rows, -scores))
    return [(int(mentor_rows[i]), comps[i], float(scores[i])) for i in order]


def propose(
    *,
    mentors: Sequence[Mapping[str, object]],
    mentees: Sequence[Mapping[str, object]],
    top: int = 10,
    weights: Mapping[str, float] | None = None,
    as_of: str,
    seniority_band: tuple[int, int] = DEFAULT_SENIORITY_BAND,
    random_state: int = 0,
    n_jobs: int = 1,
) -> Iterator[Proposal]:
    """Top proposals for a whole cohort, streamed mentee by mentee (input order), best first.

    All input is validated and every top-k is computed before this returns; reasons are written
    as the iterator is consumed, for up to _REASON_BATCH mentees at a time. Raises ValueError for
    bad input (naming ``mentors[i]`` or ``mentees[i]`` and the field), duplicate ids, a negative
    ``top`` or bad weights.
    ``n_jobs > 1`` featurises in that many forked processes (worth it from ~10,000 profiles);
    scoring always uses two threads. Reasons' per-profile arrays are built once per call; with
    ``n_jobs > 1`` the pairs' reasons are then written in that many forked processes sharing
    them (benchmarks/bench_reasons.py).
    """
    if isinstance(top, bool) or not isinstance(top, int) or top < 0:
        raise ValueError(f"top must be an integer >= 0, got {top!r}")
    c = _prepare(
        mentors,
        mentees,
        weights=weights,
        as_of=as_of,
        seniority_band=seniority_band,
        random_state=random_state,
        n_jobs=n_jobs,
    )
    idx, _ = _cohort_topk(c, np.arange(len(c.mentees), dtype=np.int64), k=top)
    return _stream(c, idx, n_jobs=n_jobs)


def _stream(c: _Cohort, idx: Int64, *, n_jobs: int = 1) -> Iterator[Proposal]:
    n = len(c.mentees)
    writer = c.writer() if n else None
    for lo in range(0, n, _REASON_BATCH):
        hi = min(lo + _REASON_BATCH, n)
        block = idx[lo:hi]
        e_rows, slot = np.nonzero(block >= 0)
        e_rows = e_rows + lo
        m_rows = block[e_rows - lo, slot]
        comps = _pair_components(c, e_rows, m_rows)
        scores = comps @ c.weights
        # each mentee's pairs by the exact score (ties: lower mentor index), mentees in order
        order = np.lexsort((m_rows, -scores, e_rows))
        e_rows, m_rows, comps, scores = e_rows[order], m_rows[order], comps[order], scores[order]
        texts = batch_reasons(
            mentees=c.mentees,
            mentee_facts=c.mentee_features.facts,
            mentors=c.mentors,
            mentor_facts=c.mentor_features.facts,
            mentee_rows=e_rows,
            mentor_rows=m_rows,
            components=comps,
            weights=c.weights,
            n_jobs=n_jobs,
            writer=writer,
        )
        first = np.searchsorted(e_rows, e_rows)  # position of each mentee's best pair
        for i, (e, j, values, score) in enumerate(
            zip(e_rows.tolist(), m_rows.tolist(), comps, scores.tolist(), strict=True)
        ):
            yield Proposal(
                mentee=str(c.mentees[e]["id"]),
                mentor=str(c.mentors[j]["id"]),
                rank=i - int(first[i]) + 1,
                score=score,
                components=_named(values),
                reasons=texts[i],
            )


class _Edges(NamedTuple):
    """Candidate edges: mentee row, mentor row and score of each (parallel arrays)."""

    mentee: Int64
    mentor: Int64
    score: Float64

    def joined(self, other: _Edges) -> _Edges:
        """These edges followed by ``other``'s."""
        return _Edges(*(np.concatenate([a, b]) for a, b in zip(self, other, strict=True)))


def _candidate_edges(c: _Cohort, rows: Int64, *, k: int, columns: Int64 | None = None) -> _Edges:
    """Each of ``rows``' k best eligible mentors (optionally among ``columns``) as edges."""
    idx, val = _cohort_topk(c, rows, k=k, columns=columns)
    r, s = np.nonzero(idx >= 0)
    return _Edges(rows[r], idx[r, s], val[r, s].astype(np.float64))


def _with_spare_mentors(c: _Cohort, edges: _Edges, capacities: Int64, *, k: int) -> _Edges:
    """``edges`` plus every mentee's k best among the mentors few mentees listed.

    Popular mentors fill up and strand the mentees who only listed them, while mentors that few
    mentees listed will have seats left: candidates among those up front let the solver see the
    detours (:class:`_Detours` then covers what is left).
    """
    demand = np.bincount(edges.mentor, minlength=len(capacities))
    spare = np.flatnonzero((capacities > 0) & (demand < SPARE_DEMAND * capacities))
    if not 0 < len(spare) < int((capacities > 0).sum()):
        return edges
    everyone = np.arange(len(c.mentees), dtype=np.int64)
    both = edges.joined(_candidate_edges(c, everyone, k=k, columns=spare))
    _, first = np.unique(both.mentee * len(capacities) + both.mentor, return_index=True)
    first.sort()
    return _Edges(both.mentee[first], both.mentor[first], both.score[first])


def _detour_edges(c: _Cohort, pool: _Edges, stranded: Int64, free: Int64, *, k: int) -> _Edges:
    """Candidates among mentors with free seats for the stranded mentees, and for their rivals.

    Rivals are the mentees competing with the stranded ones for the same mentors in ``pool``
    (the edges offered so far): moving one of them to a free seat makes room, the short detours
    a maximum matching takes.
    """
    wanted = np.unique(pool.mentor[np.isin(pool.mentee, stranded)])
    rivals = np.unique(pool.mentee[np.isin(pool.mentor, wanted)])
    rivals = np.setdiff1d(rivals, stranded)[: RIVALS_PER_STRANDED * len(stranded)]
    for_stranded = _candidate_edges(c, stranded, k=k, columns=free)
    return for_stranded.joined(
        _candidate_edges(c, rivals, k=min(SPARE_CANDIDATES, k), columns=free)
    )


class _Detours:
    """The solver's ``more_candidates`` callback: :func:`_detour_edges` over the edges offered
    so far (``pool``, which grows by what each round returns)."""

    def __init__(self, c: _Cohort, *, pool: _Edges, k: int) -> None:
        self.c = c
        self.pool = pool
        self.k = k

    def __call__(self, stranded: Int64, free: Int64) -> tuple[Int64, Int64, Float64]:
        new = _detour_edges(
            self.c,
            self.pool,
            np.asarray(stranded, dtype=np.int64),
            np.asarray(free, dtype=np.int64),
            k=self.k,
        )
        self.pool = self.pool.joined(new)
        return new.mentee, new.mentor, new.score


def assign(
    *,
    mentors: Sequence[Mapping[str, object]],
    mentees: Sequence[Mapping[str, object]],
    mode: str = "optimal",
    objective: str = "participation",
    weights: Mapping[str, float] | None = None,
    as_of: str,
    seniority_band: tuple[int, int] = DEFAULT_SENIORITY_BAND,
    candidates: int = DEFAULT_CANDIDATES,
    random_state: int = 0,
    n_jobs: int = 1,
) -> list[Assignment]:
    """Assign the cohort under mentor capacity; one Assignment per mentee, in input order.

    Candidate edges are each mentee's ``candidates`` best eligible mentors; mentees the solver
    strands while seats remain get fresh candidates among the mentors with free seats
    (``matching.solvers.solve_with_candidates``). ``mode`` and ``objective`` are the solvers'.
    """
    if mode not in solvers.MODES:
        raise ValueError(f"unknown mode {mode!r}; expected one of {', '.join(solvers.MODES)}")
    if objective not in solvers.OBJECTIVES:
        raise ValueError(
            f"unknown objective {objective!r}; expected one of {', '.join(solvers.OBJECTIVES)}"
        )
    if isinstance(candidates, bool) or not isinstance(candidates, int) or candidates < 1:
        raise ValueError(f"candidates must be an integer >= 1, got {candidates!r}")
    c = _prepare(
        mentors,
        mentees,
        weights=weights,
        as_of=as_of,
        seniority_band=seniority_band,
        random_state=random_state,
        n_jobs=n_jobs,
    )
    n = len(c.mentees)
    if n == 0:
        return []
    capacities = np.where(c.rules.active, c.mentor_features.capacity, 0).astype(np.int64)
    everyone = np.arange(n, dtype=np.int64)
    first = _candidate_edges(c, everyone, k=candidates)
    first = _with_spare_mentors(c, first, capacities, k=min(SPARE_CANDIDATES, candidates))
    detours = _Detours(c, pool=first, k=candidates)
    chosen = solvers.solve_with_candidates(
        n_mentees=n,
        capacities=capacities,
        mentee=first.mentee,
        mentor=first.mentor,
        score=first.score,
        mode=mode,
        objective=objective,
        more_candidates=detours,
    )
    matched = np.flatnonzero(chosen >= 0)
    comps = _pair_components(c, matched, chosen[matched])
    texts = batch_reasons(
        mentees=c.mentees,
        mentee_facts=c.mentee_features.facts,
        mentors=c.mentors,
        mentor_facts=c.mentor_features.facts,
        mentee_rows=matched,
        mentor_rows=chosen[matched],
        components=comps,
        weights=c.weights,
    )
    out = [Assignment(mentee=str(p["id"]), mentor=None, score=None) for p in c.mentees]
    for i, e in enumerate(matched.tolist()):
        j = int(chosen[e])
        out[e] = Assignment(
            mentee=str(c.mentees[e]["id"]),
            mentor=str(c.mentors[j]["id"]),
            score=float(comps[i] @ c.weights),
            components=_named(comps[i]),
            reasons=texts[i],
        )
    return out


_CONTROLLER: list[ThreadpoolController] = []


def _one_blas_thread() -> Any:
    """One BLAS thread for a matrix-vector product: splitting 10 MB of work over threads gains
    nothing, and on a busy machine a descheduled helper thread stalls the call for a whole
    scheduler slice (measured: 0.3 ms became 10 ms)."""
    if not _CONTROLLER:
        _CONTROLLER.append(ThreadpoolController())
    return _CONTROLLER[0].limit(limits=1, user_api="blas")
