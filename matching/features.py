"""Features: a fitted, picklable model turning profiles into mentee and mentor vectors.

Every score component is linear in a mentee vector ``u`` and a mentor vector ``v`` plus a mentee
constant, so the weighted score of all pairs is one matrix product ``Q @ M.T``:

* topic fit: ``(wanted / |wanted|) . offered``;
* career relevance: ``a_i * aims_industry . experience_industry + a_f * aims_function .
  experience_function + a_t * (1 + text_e . text_m) / 2`` (text: TF-IDF reduced by truncated SVD,
  unit length);
* career variety: ``1 . variety_m`` (a mentor-only term);
* seniority: ``table[level_e, :] . onehot(level_m)`` (the band is a lookup table);
* personality: ``1 - sum_k w_k (x_k - y_k)^2`` expanded into ``[2 w x, -1, 1 - sum w x^2]``
  against ``[y, sum w y^2, 1]`` (traits scaled to [0, 1]);
* logistics: ``b_t * (working half hours of e / 18) . (working half hours of m) + b_f * (formats
  of e / |formats of e|) . formats of m``.

A side that did not say (no personality, no time zone, no formats) gets the neutral value
through extra indicator columns, so the identity stays exact for every pair.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import itertools
import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import MinMaxScaler, MultiLabelBinarizer, normalize
from threadpoolctl import threadpool_limits

from matching.derive import Derived, Matchers, derive
from matching.parallel import in_processes
from matching.profiles import Profile, label_list, validate_profile
from matching.scoring import (
    COMPONENTS,
    DEFAULT_SENIORITY_BAND,
    EXPERIENCE_YEARS,
    LOGISTICS_FORMAT,
    LOGISTICS_TIMEZONE,
    NEUTRAL,
    QUERY_TIME_COMPONENTS,
    RELEVANCE_FUNCTION,
    RELEVANCE_INDUSTRY,
    RELEVANCE_TEXT,
    SENIORITY_LEVELS,
    TRAIT_WEIGHTS,
    WORK_HALFHOURS,
    network_saturation,
    seniority_table,
    working_slots,
)
from matching.vocab import FORMATS, FUNCTIONS, INDUSTRIES, NETWORK_GROUPS, TOPICS

__all__ = ["FeatureModel", "Layout", "ProfileFeatures", "component_values"]

Float32 = NDArray[np.float32]
Float64 = NDArray[np.float64]

FIT_SAMPLE = 10_000  # TF-IDF and the SVD basis are fitted on at most this many profiles
SVD_ITERATIONS = 3  # power iterations of the randomized SVD (scikit-learn's default is 5)
PARALLEL_MIN = 4_000  # fewer profiles than this are transformed in one process
_WIDTH_ALIGN = 16  # pad the feature width: BLAS kernels like aligned inner dimensions
_TRAITS_W = np.asarray(TRAIT_WEIGHTS, dtype=np.float64)


# Which parts (column groups) make up each component, in COMPONENTS order: a component's columns
# are contiguous, so its part of a pair's score is one slice of the mentee row times the same
# slice of the mentor row (plus the mentee's constant for that component).
COMPONENT_PARTS: Mapping[str, tuple[str, ...]] = {
    "topic_fit": ("topics",),
    "career_relevance": ("industries", "functions", "text"),
    "career_variety": ("variety",),
    "seniority": ("seniority",),
    "personality": ("personality",),
    "logistics": ("timezone", "formats"),
    "responsiveness": ("responsiveness",),
    "network_fit": ("network",),
}
assert tuple(COMPONENT_PARTS) == COMPONENTS, "COMPONENT_PARTS must follow COMPONENTS"

# The mentee's constant term of each component: const[:, CONST[name]].
CONST: Mapping[str, int] = {name: c for c, name in enumerate(COMPONENTS)}

N_TRAITS = len(TRAIT_WEIGHTS)
N_SLOTS = 48  # half hours of a day (UTC)


@dataclass(frozen=True, slots=True)
class PersonalityColumns:
    """The personality part: ``1 - sum_k w_k (x_k - y_k)^2`` as a dot product.

    mentee row: ``[2 w x, -known, 1 - sum w x^2 (NEUTRAL when unknown), NEUTRAL]``
    mentor row: ``[y, sum w y^2, known, unknown]``
    """

    traits: slice
    squares: int
    known: int
    unknown: int


@dataclass(frozen=True, slots=True)
class TimezoneColumns:
    """The time-zone part: working half hours (UTC) of each side, and 'did not say'."""

    slots: slice
    unknown: int


@dataclass(frozen=True, slots=True)
class FormatColumns:
    """The meeting-format part: one column per format, and 'did not say'."""

    formats: slice
    unsaid: int


@dataclass(frozen=True, slots=True)
class Layout:
    """Column layout of the mentee and mentor matrices (identical on both sides).

    Every part of :data:`COMPONENT_PARTS` has a named range; ``const`` is the column holding 1 on
    the mentor side and the weighted constants on the query side; ``width`` pads it for BLAS.
    """

    parts: dict[
        str, slice
    ]  # part name -> columns (read-only by convention: pickles, unlike a proxy)
    personality: PersonalityColumns
    timezone: TimezoneColumns
    formats: FormatColumns
    const: int
    width: int

    @property
    def topics(self) -> slice:
        return self.parts["topics"]

    @property
    def industries(self) -> slice:
        return self.parts["industries"]

    @property
    def functions(self) -> slice:
        return self.parts["functions"]

    @property
    def text(self) -> slice:
        return self.parts["text"]

    @property
    def variety(self) -> int:
        return int(self.parts["variety"].start)

    @property
    def seniority(self) -> slice:
        return self.parts["seniority"]

    @property
    def responsiveness(self) -> int:
        return int(self.parts["responsiveness"].start)

    @property
    def network(self) -> slice:
        return self.parts["network"]

    def component(self, name: str) -> slice:
        """The columns of one component (its parts are contiguous)."""
        names = COMPONENT_PARTS[name]
        return slice(self.parts[names[0]].start, self.parts[names[-1]].stop)

    @property
    def components(self) -> tuple[slice, ...]:
        """The column range of each component, in COMPONENTS order."""
        return tuple(self.component(name) for name in COMPONENTS)

    @property
    def query_time(self) -> slice:
        """The mentor columns filled from query-time signals: the QUERY_TIME_COMPONENTS."""
        first, last = QUERY_TIME_COMPONENTS[0], QUERY_TIME_COMPONENTS[-1]
        return slice(self.component(first).start, self.component(last).stop)

    @classmethod
    def build(
        cls, *, n_topics: int, n_industries: int, n_functions: int, n_text: int, n_formats: int
    ) -> Layout:
        sizes = {
            "topics": n_topics,
            "industries": n_industries,
            "functions": n_functions,
            "text": n_text,
            "variety": 1,
            "seniority": SENIORITY_LEVELS + 1,  # one-hot level, 0 = unknown
            "personality": N_TRAITS + 3,
            "timezone": N_SLOTS + 1,
            "formats": n_formats + 1,
            "responsiveness": 1,
            "network": len(NETWORK_GROUPS),
        }
        order = [part for name in COMPONENTS for part in COMPONENT_PARTS[name]]
        assert sorted(order) == sorted(sizes), "every part has a size, once"
        parts: dict[str, slice] = {}
        at = 0
        for part in order:
            parts[part] = slice(at, at + sizes[part])
            at += sizes[part]
        p, t, f = parts["personality"], parts["timezone"], parts["formats"]
        return cls(
            parts=parts,
            personality=PersonalityColumns(
                traits=slice(p.start, p.start + N_TRAITS),
                squares=p.start + N_TRAITS,
                known=p.start + N_TRAITS + 1,
                unknown=p.start + N_TRAITS + 2,
            ),
            timezone=TimezoneColumns(slots=slice(t.start, t.start + N_SLOTS), unknown=t.stop - 1),
            formats=FormatColumns(formats=slice(f.start, f.stop - 1), unsaid=f.stop - 1),
            const=at,
            width=-(-(at + 1) // _WIDTH_ALIGN) * _WIDTH_ALIGN,
        )


@dataclass(frozen=True, slots=True)
class ProfileFeatures:
    """Per-profile arrays (n = number of profiles), both the mentee and the mentor view.

    Attributes
    ----------
    ids : tuple of n ids.
    topics : (n, T) float32, 1 where the profile lists a known topic.
    n_topics : (n,) float32, number of topics listed (known or not: the denominator of topic fit).
    industry_experience, industry_aims : (n, I) float32.
    function_experience, function_aims : (n, R) float32.
    text : (n, d) float32, unit rows (zero rows for profiles without text).
    variety : (n,) float32 in [0, 1].
    seniority : (n,) int8, 1..6, 0 when unknown.
    personality : (n, 5) float32 in [0, 1]; personality_known : (n,) bool.
    timezone : (n,) int16 UTC offset in half hours; timezone_known : (n,) bool.
    formats : (n, F) float32; n_formats : (n,) float32 (0 = did not say).
    languages, exclude : tuple of n tuples of str.
    capacity : (n,) int64; accepting : (n,) bool.
    responsiveness : (n,) float32 in [0, 1] (a mentor's answer rate; 0.5 = no history).
    network_reach : (n, 5) float32, introductions per group of NETWORK_GROUPS (a mentor's).
    network_gaps : (n, 5) float32, 1 for each group where the profile's network is thin.
    facts : tuple of n Derived facts the arrays were made from, without their text tokens
        (what the reasons of a batch are written from, so nobody is derived twice).
    """

    ids: tuple[str, ...]
    topics: Float32
    n_topics: Float32
    industry_experience: Float32
    industry_aims: Float32
    function_experience: Float32
    function_aims: Float32
    text: Float32
    variety: Float32
    seniority: NDArray[np.int8]
    personality: Float32
    personality_known: NDArray[np.bool_]
    timezone: NDArray[np.int16]
    timezone_known: NDArray[np.bool_]
    formats: Float32
    n_formats: Float32
    languages: tuple[tuple[str, ...], ...]
    exclude: tuple[tuple[str, ...], ...]
    capacity: NDArray[np.int64]
    accepting: NDArray[np.bool_]
    responsiveness: Float32
    network_reach: Float32
    network_gaps: Float32
    facts: tuple[Derived, ...]

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: slice | NDArray[np.int64]) -> ProfileFeatures:
        """The features of a subset of profiles (a slice or an index array)."""
        values: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, tuple):
                value = value[rows] if isinstance(rows, slice) else tuple(value[i] for i in rows)
            else:
                value = value[rows]
            values[name] = value
        return ProfileFeatures(**values)


def concatenate(parts: Sequence[ProfileFeatures]) -> ProfileFeatures:
    """The features of several profile lists, one after the other."""
    if len(parts) == 1:
        return parts[0]
    values: dict[str, Any] = {}
    for name in ProfileFeatures.__dataclass_fields__:
        pieces = [getattr(p, name) for p in parts]
        if isinstance(pieces[0], tuple):
            values[name] = tuple(x for piece in pieces for x in piece)
        else:
            values[name] = np.concatenate(pieces)
    return ProfileFeatures(**values)


def _saturate(years: float) -> float:
    return 1.0 - math.exp(-years / EXPERIENCE_YEARS)


def _sat_count(n: int) -> float:
    """Breadth of a count: 1 -> 0, 4 or more -> 1."""
    return min(1.0, max(0.0, (n - 1) / 3.0))


def variety_of(d: Derived) -> float:
    """Career variety of a derived profile: mean breadth of industries, functions, organisations."""
    return (
        _sat_count(len(d.industry_years))
        + _sat_count(len(d.function_years))
        + _sat_count(len(d.organisations))
    ) / 3.0


class FeatureModel:
    """Fitted vocabularies, TF-IDF and SVD: turns profiles into feature arrays.

    Fit once per programme (or cohort) and reuse: transforming one profile costs a few hundred
    microseconds, refitting costs seconds. Picklable.
    """

    topic_binarizer: MultiLabelBinarizer
    format_binarizer: MultiLabelBinarizer
    industries: tuple[str, ...]
    functions: tuple[str, ...]
    matchers: Matchers
    vectorizer: TfidfVectorizer | None
    svd: TruncatedSVD | None
    trait_scaler: MinMaxScaler
    layout: Layout
    random_state: int

    def __init__(self) -> None:
        self._fast: dict[str, Any] | None = None
        self._indexes_cache: (
            tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]] | None
        ) = None

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_fast"] = None  # lookup tables rebuilt lazily
        state["_indexes_cache"] = None
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # ----------------------------------------------------------------------------- fitting
    @classmethod
    def fit(
        cls,
        profiles: Sequence[Mapping[str, object]],
        *,
        random_state: int = 0,
        text_dims: int = 96,
        n_jobs: int = 1,
    ) -> FeatureModel:
        """Fit on profiles (raw profile lines or :func:`validate_profile` output).

        Vocabularies (industries, topics, formats) come from every profile; TF-IDF and the SVD
        basis from a random sample of at most FIT_SAMPLE profiles (chosen by ``random_state``),
        which keeps a refit over 100,000 profiles within seconds. The date used for career years
        does not change what is learnt, so fitting needs no ``as_of``. ``n_jobs > 1`` reads the
        sample in that many processes; the model is the same for any ``n_jobs``.
        """
        return cls._fit(profiles, random_state=random_state, text_dims=text_dims, n_jobs=n_jobs)[0]

    @classmethod
    def fit_transform(
        cls,
        profiles: Sequence[Mapping[str, object]],
        *,
        as_of: dt.date,
        random_state: int = 0,
        text_dims: int = 96,
        n_jobs: int = 1,
    ) -> tuple[FeatureModel, ProfileFeatures]:
        """Fit, then transform the same profiles (what a cohort refit does).

        ``n_jobs > 1`` transforms in that many processes (fork, where the platform has it).
        """
        model, sample, normal, derived = cls._fit(
            profiles, random_state=random_state, text_dims=text_dims, as_of=as_of, n_jobs=n_jobs
        )
        if len(sample) == len(profiles):  # the sample was everything: reuse its facts
            text = model._embed([d.tokens for d in derived])
            return model, model._arrays(normal, derived, text)
        return model, model.transform(profiles, as_of=as_of, n_jobs=n_jobs)

    @classmethod
    def _fit(
        cls,
        profiles: Sequence[Mapping[str, object]],
        *,
        random_state: int,
        text_dims: int,
        as_of: dt.date = dt.date(2000, 1, 1),
        n_jobs: int = 1,
    ) -> tuple[FeatureModel, NDArray[np.int64], list[dict[str, object]], list[Derived]]:
        if text_dims < 1:
            raise ValueError(f"text_dims must be >= 1, got {text_dims}")
        if n_jobs < 1:
            raise ValueError(f"n_jobs must be >= 1, got {n_jobs}")
        with gc_paused():
            return cls._fit_sample(
                profiles,
                random_state=random_state,
                text_dims=text_dims,
                as_of=as_of,
                n_jobs=n_jobs,
            )

    @classmethod
    def _fit_sample(
        cls,
        profiles: Sequence[Mapping[str, object]],
        *,
        random_state: int,
        text_dims: int,
        as_of: dt.date,
        n_jobs: int,
    ) -> tuple[FeatureModel, NDArray[np.int64], list[dict[str, object]], list[Derived]]:
        n = len(profiles)
        model = cls()
        model.random_state = random_state
        seen_industries, seen_topics, seen_formats = _labels_seen(profiles)
        extra = sorted(seen_industries - set(INDUSTRIES))
        model.industries = tuple(INDUSTRIES) + tuple(extra)
        model.functions = tuple(FUNCTIONS)
        model.matchers = Matchers.build(extra)
        model.topic_binarizer = MultiLabelBinarizer(classes=sorted(set(TOPICS) | seen_topics))
        model.topic_binarizer.fit([])
        model.format_binarizer = MultiLabelBinarizer(classes=sorted(set(FORMATS) | seen_formats))
        model.format_binarizer.fit([])
        # The questionnaire scale is known (1-7): scale on it, not on who happens to be in the
        # pool, so one person's vector does not move when others join.
        model.trait_scaler = MinMaxScaler().fit(np.array([[1.0] * 5, [7.0] * 5]))

        if n > FIT_SAMPLE:
            rng = np.random.default_rng(random_state)
            sample = np.sort(rng.choice(n, FIT_SAMPLE, replace=False)).astype(np.int64)
        else:
            sample = np.arange(n, dtype=np.int64)
        rows = sample.tolist()
        normal: list[dict[str, object]] = []
        derived: list[Derived] = []
        if len(rows) < n and n_jobs > 1 and len(rows) >= PARALLEL_MIN:
            # Only the sample's words are needed here (transform() derives everyone later).
            def words_of(lo: int, hi: int) -> list[tuple[str, ...]]:
                with gc_paused():
                    return [
                        derive(
                            _normalised(profiles[i], i), as_of=as_of, matchers=model.matchers
                        ).tokens
                        for i in rows[lo:hi]
                    ]

            bounds = np.linspace(0, len(rows), n_jobs + 1).astype(int).tolist()
            texts = [
                t for part in in_processes(words_of, list(itertools.pairwise(bounds))) for t in part
            ]
        else:
            normal = [_normalised(profiles[i], i) for i in rows]
            derived = [derive(p, as_of=as_of, matchers=model.matchers) for p in normal]
            texts = [d.tokens for d in derived]
        model._fit_text(texts, random_state=random_state, text_dims=text_dims)
        model.layout = Layout.build(
            n_topics=len(model.topic_binarizer.classes_),
            n_industries=len(model.industries),
            n_functions=len(model.functions),
            n_text=model.text_dims,
            n_formats=len(model.format_binarizer.classes_),
        )
        return model, sample, normal, derived

    def _fit_text(self, texts: list[tuple[str, ...]], *, random_state: int, text_dims: int) -> None:
        n = len(texts)
        self.vectorizer = None
        self.svd = None
        self.text_dims = 0
        self._fast = None
        # Every word of the fitted sample, rare ones included: what unknown_share() knows.
        self.seen_words = frozenset(word for doc in texts for word in doc)
        if n == 0:
            return
        large = n >= 50
        vectorizer = TfidfVectorizer(
            analyzer=_pretokenised,  # derive() tokenised once for keywords and text alike
            min_df=2 if large else 1,
            max_df=0.5 if large else 1.0,
            sublinear_tf=True,
            dtype=np.float32,
        )
        try:
            x = vectorizer.fit_transform(texts)
        except ValueError:  # empty vocabulary: nobody wrote anything usable
            return
        self.vectorizer = vectorizer
        n_terms = x.shape[1]
        if n_terms <= text_dims:
            # Few terms (a small programme): the TF-IDF space itself is small enough.
            self.text_dims = n_terms
            return
        svd = TruncatedSVD(
            # a sample smaller than text_dims has no more directions to give
            n_components=min(text_dims, n),
            algorithm="randomized",
            n_iter=SVD_ITERATIONS,
            random_state=random_state,
        )
        # Small dense products: one BLAS thread is faster, and much faster on a busy machine.
        with threadpool_limits(limits=1, user_api="blas"):
            svd.fit(x)
        self.svd = svd
        self.text_dims = int(svd.components_.shape[0])

    # ----------------------------------------------------------------------------- transforming
    def derive(self, profile: Mapping[str, object], *, as_of: dt.date) -> Derived:
        """Facts of one normalised profile (what reasons are written from)."""
        return derive(profile, as_of=as_of, matchers=self.matchers)

    def transform(
        self, profiles: Sequence[Mapping[str, object]], *, as_of: dt.date, n_jobs: int = 1
    ) -> ProfileFeatures:
        """Feature arrays of profiles (raw lines or :func:`validate_profile` output).

        ``n_jobs > 1`` splits the work over that many processes (fork; where the platform lacks
        it, or for fewer than PARALLEL_MIN profiles, one process does it all).
        """
        if n_jobs < 1:
            raise ValueError(f"n_jobs must be >= 1, got {n_jobs}")
        n = len(profiles)

        def part(lo: int, hi: int) -> ProfileFeatures:
            with gc_paused():
                normal = [_normalised(profiles[i], i) for i in range(lo, hi)]
                derived = [self.derive(p, as_of=as_of) for p in normal]
                return self._arrays(normal, derived, self._embed([d.tokens for d in derived]))

        if n_jobs == 1 or n < PARALLEL_MIN:
            return part(0, n)
        bounds = np.linspace(0, n, n_jobs + 1).astype(int).tolist()
        return concatenate(in_processes(part, list(itertools.pairwise(bounds))))

    def unknown_share(self, profile: Mapping[str, Any], facts: Derived) -> float:
        """Share of a profile's terms this model never saw: its topics, its industries and the
        words of its skills and certifications (0.0 for a profile with none of these).

        Unknown topics and industries have no column and unknown words no text direction, so a
        profile with many of them is described poorly until the model is fitted again.
        """
        topic_index, _, industry_index, _ = self._indexes()
        seen: frozenset[str] = getattr(self, "seen_words", frozenset())
        known = [t in topic_index for t in profile["topics"]]
        known += [k in industry_index for k in facts.industry_years]
        for item in [*profile["skills"], *profile["certifications"]]:
            known += [word in seen for word in self.matchers.tokens(item)]
        return 0.0 if not known else 1.0 - sum(known) / len(known)

    def features_of(self, profile: Mapping[str, Any], facts: Derived) -> ProfileFeatures:
        """Feature arrays (n = 1) of one normalised profile whose facts are already derived."""
        return self._arrays([profile], [facts], self.embed_one(facts.tokens)[None, :])

    def _embed(self, texts: list[tuple[str, ...]]) -> Float32:
        if self.vectorizer is None:
            return np.zeros((len(texts), 0), dtype=np.float32)
        x = self.vectorizer.transform(texts)
        if self.svd is None:
            return np.asarray(x.toarray(), dtype=np.float32)
        return np.asarray(
            normalize(np.asarray(x @ self.svd.components_.T, dtype=np.float32)), dtype=np.float32
        )

    def embed_one(self, tokens: Sequence[str]) -> Float32:
        """(d,) text vector of one document, without scikit-learn's per-call overhead.

        Same numbers as the batch path (TF-IDF with sublinear tf, l2, then the SVD projection
        and unit length); the interactive path uses it to stay within its latency budget.
        """
        if self.vectorizer is None:
            return np.zeros(0, dtype=np.float32)
        fast = self._fast_text()
        counts: dict[int, int] = {}
        vocabulary: dict[str, int] = fast["vocabulary"]
        for token in tokens:
            j = vocabulary.get(token)
            if j is not None:
                counts[j] = counts.get(j, 0) + 1
        if not counts:
            return np.zeros(self.text_dims, dtype=np.float32)
        cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
        values = (1.0 + np.log(tf)) * fast["idf"][cols]
        values /= np.sqrt(np.dot(values, values))
        projection: Float32 | None = fast["projection"]
        if projection is None:
            out = np.zeros(self.text_dims, dtype=np.float32)
            out[cols] = values
            return out
        vec: Float32 = values.astype(np.float32) @ projection[cols]
        norm = float(np.sqrt(np.dot(vec, vec)))
        return vec / np.float32(norm) if norm > 0 else vec

    def _fast_text(self) -> dict[str, Any]:
        if self._fast is None:
            assert self.vectorizer is not None
            self._fast = {
                "vocabulary": dict(self.vectorizer.vocabulary_),
                "idf": np.asarray(self.vectorizer.idf_, dtype=np.float64),
                "projection": None
                if self.svd is None
                else np.ascontiguousarray(self.svd.components_.T, dtype=np.float32),
            }
        return self._fast

    def _arrays(
        self,
        normal: Sequence[Mapping[str, Any]],
        derived: Sequence[Derived],
        text: Float32,
    ) -> ProfileFeatures:
        n = len(normal)
        topic_index, format_index, ind_index, fn_index = self._indexes()
        topics = _binary(self.topic_binarizer, [p["topics"] for p in normal], topic_index)
        formats = _binary(self.format_binarizer, [p["formats"] for p in normal], format_index)
        ind_exp = np.zeros((n, len(ind_index)), dtype=np.float32)
        ind_aim = np.zeros_like(ind_exp)
        fn_exp = np.zeros((n, len(fn_index)), dtype=np.float32)
        fn_aim = np.zeros_like(fn_exp)
        variety = np.zeros(n, dtype=np.float32)
        seniority = np.zeros(n, dtype=np.int8)
        traits = np.full((n, 5), 4.0)
        traits_known = np.zeros(n, dtype=bool)
        tz = np.zeros(n, dtype=np.int16)
        tz_known = np.zeros(n, dtype=bool)
        for i, d in enumerate(derived):
            _fill(ind_exp[i], ind_index, d.industry_years, _saturate)
            _fill(fn_exp[i], fn_index, d.function_years, _saturate)
            _fill(ind_aim[i], ind_index, d.industry_aims, None)
            _fill(fn_aim[i], fn_index, d.function_aims, None)
            variety[i] = variety_of(d)
            seniority[i] = d.seniority or 0
            if d.personality is not None:
                traits[i] = d.personality
                traits_known[i] = True
            if d.tz_halfhours is not None:
                tz[i] = d.tz_halfhours
                tz_known[i] = True
        return ProfileFeatures(
            ids=tuple(str(p["id"]) for p in normal),
            topics=topics,
            n_topics=np.array([len(p["topics"]) for p in normal], dtype=np.float32),
            industry_experience=ind_exp,
            industry_aims=ind_aim,
            function_experience=fn_exp,
            function_aims=fn_aim,
            text=np.ascontiguousarray(text, dtype=np.float32).reshape(n, self.text_dims),
            variety=variety,
            seniority=seniority,
            personality=self._scaled(traits),
            personality_known=traits_known,
            timezone=tz,
            timezone_known=tz_known,
            formats=formats,
            n_formats=np.array([len(p["formats"]) for p in normal], dtype=np.float32),
            languages=tuple(tuple(p["languages"]) for p in normal),
            exclude=tuple(tuple(p["exclude"]) for p in normal),
            capacity=np.array([p["capacity"] for p in normal], dtype=np.int64),
            accepting=np.array([p["accepting"] for p in normal], dtype=bool),
            responsiveness=np.array([p["responsiveness"] for p in normal], dtype=np.float32),
            network_reach=np.array(
                [[p["network_reach"][g] for g in NETWORK_GROUPS] for p in normal], dtype=np.float32
            ).reshape(n, len(NETWORK_GROUPS)),
            network_gaps=np.array(
                [[g in p["network_gaps"] for g in NETWORK_GROUPS] for p in normal],
                dtype=np.float32,
            ).reshape(n, len(NETWORK_GROUPS)),
            facts=tuple(dataclasses.replace(d, tokens=()) for d in derived),
        )

    def _indexes(self) -> tuple[dict[str, int], dict[str, int], dict[str, int], dict[str, int]]:
        """Column of each topic, format, industry and function (built once per model)."""
        if self._indexes_cache is None:
            self._indexes_cache = (
                {t: i for i, t in enumerate(self.topic_binarizer.classes_)},
                {t: i for i, t in enumerate(self.format_binarizer.classes_)},
                {k: i for i, k in enumerate(self.industries)},
                {k: i for i, k in enumerate(self.functions)},
            )
        return self._indexes_cache

    def _scaled(self, traits: Float64) -> Float32:
        if len(traits) == 0:  # MinMaxScaler refuses an empty array (a programme with no mentors)
            return np.zeros((0, traits.shape[1]), dtype=np.float32)
        if len(traits) == 1:
            # MinMaxScaler.transform's own formula; its input checks cost milliseconds per call
            scaler = self.trait_scaler
            scale = np.asarray(scaler.scale_, dtype=np.float64)
            shift = np.asarray(scaler.min_, dtype=np.float64)
            return (traits * scale + shift).astype(np.float32)
        return np.asarray(self.trait_scaler.transform(traits), dtype=np.float32)

    # ----------------------------------------------------------------------------- matrices
    def mentor_matrix(self, f: ProfileFeatures) -> Float32:
        """(n, width) float32 mentor-side vectors (C order)."""
        lay = self.layout
        n = len(f)
        m = np.zeros((n, lay.width), dtype=np.float32)
        m[:, lay.topics] = f.topics
        m[:, lay.industries] = f.industry_experience
        m[:, lay.functions] = f.function_experience
        m[:, lay.text] = f.text
        m[:, lay.variety] = f.variety
        m[np.arange(n), lay.seniority.start + f.seniority.astype(np.int64)] = 1.0
        pc = lay.personality
        y = np.where(f.personality_known[:, None], f.personality, 0.0)
        m[:, pc.traits] = y
        m[:, pc.squares] = (y.astype(np.float64) ** 2 @ _TRAITS_W).astype(np.float32)
        m[:, pc.known] = f.personality_known
        m[:, pc.unknown] = ~f.personality_known
        tc = lay.timezone
        known = np.flatnonzero(f.timezone_known)
        m[known, tc.slots] = _slots(f.timezone[known])
        m[:, tc.unknown] = ~f.timezone_known
        fc = lay.formats
        said = f.n_formats > 0
        m[:, fc.formats] = np.where(said[:, None], f.formats, 0.0)
        m[:, fc.unsaid] = ~said
        m[:, lay.responsiveness] = f.responsiveness
        m[:, lay.network] = network_saturation(f.network_reach)
        m[:, lay.const] = 1.0
        return m

    def mentee_matrix(
        self, f: ProfileFeatures, *, seniority_band: tuple[int, int] = DEFAULT_SENIORITY_BAND
    ) -> tuple[Float32, Float64]:
        """Unweighted mentee-side vectors and constants.

        Returns
        -------
        u : (n, width) float32; component c of pair (e, m) is ``u[e, cols_c] . v[m, cols_c] +
            const[e, c]`` with ``cols_c = layout.components[c]`` and ``v`` the mentor matrix.
        const : (n, n_components) float64.
        """
        lay = self.layout
        n = len(f)
        u = np.zeros((n, lay.width), dtype=np.float32)
        const = np.zeros((n, len(COMPONENTS)), dtype=np.float64)
        u[:, lay.topics] = f.topics / np.maximum(f.n_topics, 1.0)[:, None]
        u[:, lay.industries] = RELEVANCE_INDUSTRY * f.industry_aims
        u[:, lay.functions] = RELEVANCE_FUNCTION * f.function_aims
        # text similarity (1 + cosine) / 2: half the cosine here, the other half constant
        u[:, lay.text] = (RELEVANCE_TEXT * 0.5) * f.text
        const[:, CONST["career_relevance"]] = RELEVANCE_TEXT * 0.5
        u[:, lay.variety] = 1.0
        u[:, lay.seniority] = seniority_table(seniority_band)[f.seniority]
        pc = lay.personality
        known = f.personality_known
        x = f.personality.astype(np.float64)
        u[:, pc.traits] = np.where(known[:, None], 2.0 * _TRAITS_W * x, 0.0)
        u[:, pc.squares] = -known.astype(np.float32)
        u[:, pc.known] = np.where(known, 1.0 - x**2 @ _TRAITS_W, NEUTRAL)
        u[:, pc.unknown] = NEUTRAL
        tc = lay.timezone
        tz_known = np.flatnonzero(f.timezone_known)
        u[tz_known, tc.slots] = (LOGISTICS_TIMEZONE / WORK_HALFHOURS) * _slots(f.timezone[tz_known])
        u[tz_known, tc.unknown] = LOGISTICS_TIMEZONE * NEUTRAL
        logistics = CONST["logistics"]
        const[:, logistics] = np.where(f.timezone_known, 0.0, LOGISTICS_TIMEZONE * NEUTRAL)
        fc = lay.formats
        said = f.n_formats > 0
        u[:, fc.formats] = np.where(
            said[:, None], LOGISTICS_FORMAT * f.formats / np.maximum(f.n_formats, 1.0)[:, None], 0.0
        )
        u[:, fc.unsaid] = np.where(said, LOGISTICS_FORMAT, 0.0)
        const[:, logistics] += np.where(said, 0.0, LOGISTICS_FORMAT)
        u[:, lay.responsiveness] = 1.0
        n_gaps = f.network_gaps.sum(axis=1)
        u[:, lay.network] = f.network_gaps / np.maximum(n_gaps, 1.0)[:, None]
        const[:, CONST["network_fit"]] = np.where(n_gaps > 0, 0.0, NEUTRAL)
        return u, const

    def column_weights(self, w: Float64) -> Float32:
        """(width,) per-column multipliers for normalised component weights ``w``."""
        cols = np.zeros(self.layout.width, dtype=np.float32)
        for c, s in enumerate(self.layout.components):
            cols[s] = w[c]
        return cols

    def query(self, u: Float32, const: Float64, w: Float64) -> Float32:
        """Weighted mentee matrix: ``query @ mentor_matrix.T`` is the score of every pair."""
        q = u * self.column_weights(w)
        q[..., self.layout.const] = const @ w
        return np.ascontiguousarray(q, dtype=np.float32)


def component_values(layout: Layout, u: Float32, const: Float64, v: Float32) -> Float64:
    """Exact component values of pairs, from the same vectors the score is a product of.

    Parameters
    ----------
    u : (p, width) mentee rows, const : (p, n_components), v : (p, width) mentor rows of the pairs.

    Returns
    -------
    (p, n_components) float64 in [0, 1].
    """
    if u.shape != v.shape or u.ndim != 2 or const.shape != (u.shape[0], len(COMPONENTS)):
        raise ValueError(
            f"component_values: shapes u {u.shape}, v {v.shape}, const {const.shape} do not match"
        )
    prod = u.astype(np.float64) * v.astype(np.float64)
    out = const.copy()
    for c, s in enumerate(layout.components):
        out[:, c] += prod[:, s].sum(axis=1)
    # float32 storage leaves ~1e-7 of rounding outside [0, 1]
    return np.clip(out, 0.0, 1.0)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    Featurising allocates millions of short-lived lists and dicts and no cycles; the collector's
    repeated full scans otherwise cost a third of the time.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _pretokenised(doc: tuple[str, ...]) -> tuple[str, ...]:
    return doc


def _normalised(p: Mapping[str, object], i: int) -> dict[str, object]:
    if isinstance(p, Profile):
        return p
    try:
        return validate_profile(p)
    except ValueError as exc:
        raise ValueError(f"profiles[{i}]: {exc}") from None


def _labels_seen(profiles: Sequence[Mapping[str, object]]) -> tuple[set[str], set[str], set[str]]:
    """Industry labels, topics and formats named anywhere in (possibly unvalidated) profiles.

    Tolerant of malformed values (validation reports those); normalises exactly like
    validation and derivation do, so the vocabularies match what transform() will see.
    """
    raw_industries: set[str] = set()
    raw_topics: set[str] = set()
    raw_formats: set[str] = set()
    for p in profiles:
        positions = p.get("positions")
        if isinstance(positions, list):
            for pos in positions:
                if isinstance(pos, Mapping) and isinstance(pos.get("industry"), str):
                    raw_industries.add(pos["industry"].strip())
        # Collect the raw strings and label each distinct one once: most profiles repeat them.
        for key, raw in (("topics", raw_topics), ("formats", raw_formats)):
            value = p.get(key)
            if isinstance(value, list):
                raw.update(v for v in value if isinstance(v, str))
    base = Matchers.build()
    industries = {base.industry(raw) for raw in raw_industries}
    return (
        {i for i in industries if i is not None},
        set(label_list(list(raw_topics))),
        set(label_list(list(raw_formats))),
    )


def _binary(
    binarizer: MultiLabelBinarizer, lists: list[list[str]], index: Mapping[str, int]
) -> Float32:
    known = [[x for x in labels if x in index] for labels in lists]
    if not known:
        return np.zeros((0, len(index)), dtype=np.float32)
    if len(known) == 1:  # the interactive path: skip the transformer's per-call overhead
        row = np.zeros((1, len(index)), dtype=np.float32)
        row[0, [index[x] for x in known[0]]] = 1.0
        return row
    return np.asarray(binarizer.transform(known), dtype=np.float32)


def _fill(
    row: Float32,
    index: Mapping[str, int],
    values: Mapping[str, float],
    fn: Callable[[float], float] | None,
) -> None:
    for key, value in values.items():
        j = index.get(key)
        if j is not None:
            row[j] = value if fn is None else fn(value)


def _slots(offsets: NDArray[np.int16]) -> Float32:
    if len(offsets) == 0:
        return np.zeros((0, N_SLOTS), dtype=np.float32)
    return _SLOT_TABLE[offsets.astype(np.int64) + 24]


# working half hours of every offset from UTC-12 to UTC+14 (in half hours, row = offset + 24)
_SLOT_TABLE: Float32 = np.stack([working_slots(o) for o in range(-24, 30)])
