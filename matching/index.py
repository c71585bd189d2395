"""A programme's mentor index: fitted once, saved as memory-mappable arrays, updated per mentor.

The index holds what is slow to compute (the fitted feature model and every mentor's feature
row) and nothing that changes often: capacity left, pauses, membership, earlier declines and the
query-time signals (responsiveness, network reach) are passed to :meth:`MentorIndex.propose` as
arrays aligned with :attr:`MentorIndex.ids`, so they never rebuild it.

On disk (:meth:`MentorIndex.save`) an index is one directory: ``matrix.npy`` (the mentor
features, uncompressed so that :meth:`MentorIndex.load` can memory-map it and every worker
process shares one copy in the page cache), ``model.pickle`` (the fitted vocabularies, TF-IDF
and SVD: small), ``mentors.jsonl`` (the normalised mentor lines the reasons are written from,
one per line, with ``offsets.npy`` where each starts: a loaded index parses only the lines of
the mentors it proposes), ``rules.json`` (ids, languages, exclusions and whether each mentor
takes mentees: the hard rules over every row) and ``index.json`` (format, date, sizes). Load
only directories your own code saved: the model is a pickle.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
from numpy.typing import NDArray

from matching.derive import Derived
from matching.engine import (
    Proposal,
    _named,
    _one_blas_thread,
    _ranked,
    _reasons,
    _Rules,
    _validated,
)
from matching.features import FeatureModel, component_values
from matching.profiles import Profile, parse_as_of, validate_profile
from matching.scoring import (
    COMPONENTS,
    DEFAULT_SENIORITY_BAND,
    network_saturation,
    validate_band,
    weight_vector,
)
from matching.topk import topk_one
from matching.vocab import NETWORK_GROUPS

__all__ = ["DRIFT_LIMIT", "FORMAT", "SIGNALS", "MentorIndex"]

Float32 = NDArray[np.float32]
Float64 = NDArray[np.float64]

FORMAT = 2  # version of the on-disk layout; load() refuses others
# with_mentor() gives up (None: refit everyone) when more than this share of the mentor's topics,
# industries and skill/certification words are unknown to the fitted model.
DRIFT_LIMIT = 0.25
SIGNALS = ("responsiveness", "network_reach")  # the keys propose(signals=...) accepts
_MATRIX, _MODEL, _META = "matrix.npy", "model.pickle", "index.json"
_MENTORS, _OFFSETS, _RULES = "mentors.jsonl", "offsets.npy", "rules.json"
_FILES = (_MATRIX, _MODEL, _MENTORS, _OFFSETS, _RULES, _META)


class _SavedMentors(Sequence[dict[str, object]]):
    """The mentor lines of a saved index, parsed one at a time when first read (a propose
    reads only the lines of the mentors it proposes): loading 10,000 lines up front costs half
    a second in every worker after every version bump."""

    def __init__(self, path: Path, offsets: NDArray[np.int64]) -> None:
        self._data = path.read_bytes()
        self._offsets = offsets
        self._parsed: dict[int, dict[str, object]] = {}

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def __getitem__(self, j: Any) -> Any:
        if isinstance(j, slice):
            return [self[i] for i in range(*j.indices(len(self)))]
        j = range(len(self))[j]  # negative indices, IndexError
        line = self._parsed.get(j)
        if line is None:
            line = Profile(json.loads(self.raw(j)))
            self._parsed[j] = line
        return line

    def raw(self, j: int) -> bytes:
        """Line ``j`` as saved (its JSON and newline), unparsed."""
        return self._data[int(self._offsets[j]) : int(self._offsets[j + 1])]


#: A row of a changed index: a row of the index it came from, or a new mentor's profile.
_Row = int | dict[str, object]


class _ChangedMentors(Sequence[dict[str, object]]):
    """Another index's mentor lines with some replaced, added or removed, read through to that
    index: updating one mentor of a saved index parses, and saving it rewrites, that one line."""

    _base: Sequence[dict[str, object]]
    _rows: list[_Row]

    def __init__(self, base: Sequence[dict[str, object]], rows: list[_Row]) -> None:
        if isinstance(base, _ChangedMentors):  # changes on changes: still one level deep
            rows = [base._rows[r] if isinstance(r, int) else r for r in rows]
            base = base._base
        self._base = base
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, j: Any) -> Any:
        if isinstance(j, slice):
            return [self[i] for i in range(*j.indices(len(self)))]
        row = self._rows[j]
        return self._base[row] if isinstance(row, int) else row

    def raw(self, j: int) -> bytes:
        row = self._rows[j]
        return _line_bytes(self._base, row) if isinstance(row, int) else _dumps(row)


def _dumps(line: Mapping[str, object]) -> bytes:
    return json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n"


def _line_bytes(mentors: Sequence[dict[str, object]], j: int) -> bytes:
    """Line ``j`` of ``mentors`` as :meth:`MentorIndex.save` writes it; a saved line unparsed."""
    raw = getattr(mentors, "raw", None)
    return cast(bytes, raw(j)) if raw is not None else _dumps(mentors[j])


class MentorIndex:
    """A programme's mentors, featurised once; answers one mentee's request in milliseconds.

    Attributes
    ----------
    model : the fitted FeatureModel; as_of : the date career years were counted on.
    mentors : list of n normalised mentor profiles; ids : tuple of their n ids (row order).
    matrix : (n, width) float32 mentor features (a read-only memmap after ``load(mmap=True)``).
    """

    def __init__(
        self,
        *,
        model: FeatureModel,
        as_of: dt.date,
        mentors: Sequence[dict[str, object]],
        matrix: Float32,
        rules: Mapping[str, Any] | None = None,
    ) -> None:
        """``rules``: the hard rules of every mentor as :meth:`save` writes them (``ids``,
        ``active``, ``languages``, ``exclude``), so that a loaded index need not read every
        mentor line; None computes them from ``mentors``."""
        if matrix.shape != (len(mentors), model.layout.width):
            raise ValueError(
                f"MentorIndex: matrix {matrix.shape} does not fit {len(mentors)} mentors "
                f"of width {model.layout.width}"
            )
        self.model = model
        self.as_of = as_of
        self.mentors = mentors
        self.matrix = matrix
        if rules is None:
            self.ids: tuple[str, ...] = tuple(str(m["id"]) for m in mentors)
            self.rules = _Rules.of_profiles(mentors)
        else:
            self.ids = tuple(rules["ids"])
            self.rules = _Rules(
                ids=rules["ids"],
                active=np.array(rules["active"], dtype=bool),
                languages=rules["languages"],
                exclude=rules["exclude"],
            )
        self._row = self.rules.index  # id -> row
        self._facts: dict[int, Derived] = {}

    def __len__(self) -> int:
        return len(self.mentors)

    def row_of(self, mentor_id: str) -> int | None:
        """The row of this mentor id, None when the index does not hold them."""
        return self._row.get(mentor_id)

    # ----------------------------------------------------------------------------- building
    @classmethod
    def build(
        cls,
        mentors: Sequence[Mapping[str, object]],
        *,
        feature_model: FeatureModel | None = None,
        as_of: str,
        random_state: int = 0,
        n_jobs: int = 1,
    ) -> MentorIndex:
        """Validate and featurise ``mentors`` (fitting a feature model on them if none given).

        An empty list gives an empty index (its proposals are always []).
        """
        day = parse_as_of(as_of)
        normal = _validated(mentors, "mentors")
        if feature_model is None:
            feature_model, feats = FeatureModel.fit_transform(
                normal, as_of=day, random_state=random_state, n_jobs=n_jobs
            )
        else:
            feats = feature_model.transform(normal, as_of=day, n_jobs=n_jobs)
        return cls(
            model=feature_model,
            as_of=day,
            mentors=normal,
            matrix=feature_model.mentor_matrix(feats),
        )

    def with_mentor(self, line: Mapping[str, object]) -> MentorIndex | None:
        """A new index with this mentor's row replaced (appended when new), on the same model.

        Returns None when the line's terms drifted from the fitted model (more than DRIFT_LIMIT
        of its topics, industries and skill words unknown to it): fit a new index instead.
        Raises ValueError for a malformed line. This index is left unchanged.
        """
        profile = validate_profile(line)
        facts = self.model.derive(profile, as_of=self.as_of)
        if self.model.unknown_share(profile, facts) > DRIFT_LIMIT:
            return None
        row = self.model.mentor_matrix(self.model.features_of(profile, facts))
        j = self._row.get(str(profile["id"]))
        rows: list[_Row] = list(range(len(self)))
        if j is None:
            rows.append(profile)
            matrix = np.concatenate([np.asarray(self.matrix), row])
        else:
            rows[j] = profile
            matrix = np.array(self.matrix, dtype=np.float32, order="C")
            matrix[j] = row[0]
        return self._changed(rows, matrix)

    def without_mentor(self, mentor_id: str) -> MentorIndex:
        """A new index without this mentor (an equal index when the id is not in it)."""
        j = self._row.get(str(mentor_id))
        if j is None:
            return self._changed(list(range(len(self))), self.matrix)
        keep = np.delete(np.arange(len(self)), j)
        return self._changed(
            [int(i) for i in keep], np.ascontiguousarray(np.asarray(self.matrix)[keep])
        )

    def _changed(self, rows: list[_Row], matrix: Float32) -> MentorIndex:
        """A new index on the same model whose rows are rows of this one or new profiles: lines
        and hard rules are carried over row by row, never parsed again."""
        old = self.rules

        def each(kept: Callable[[int], Any], new: Callable[[dict[str, object]], Any]) -> list[Any]:
            return [kept(r) if isinstance(r, int) else new(r) for r in rows]

        rules = {
            "ids": each(lambda r: self.ids[r], lambda m: str(m["id"])),
            "active": each(
                lambda r: bool(old.active[r]),
                lambda m: bool(m["capacity"] > 0 and m["accepting"]),  # type: ignore[operator]
            ),
            "languages": each(lambda r: old.languages[r], lambda m: m["languages"]),
            "exclude": each(lambda r: old.exclude[r], lambda m: m["exclude"]),
        }
        return MentorIndex(
            model=self.model,
            as_of=self.as_of,
            mentors=_ChangedMentors(self.mentors, rows),
            matrix=matrix,
            rules=rules,
        )

    # ----------------------------------------------------------------------------- storage
    def save(self, directory: Path) -> None:
        """Write the index into ``directory`` (created or replaced as a whole).

        The files are written into a temporary directory beside it, then renamed into place, so
        a reader never sees a half-written index. Replacing an existing directory swaps it out
        first: a reader opening it in that instant finds nothing (saving each version under a
        new name avoids even that). Readers that memory-mapped the old files keep them.
        """
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", dir=directory.parent))
        try:
            np.save(work / _MATRIX, np.ascontiguousarray(self.matrix, dtype=np.float32))
            (work / _MODEL).write_bytes(pickle.dumps(self.model, protocol=5))
            # Lines read from a saved index are written back as they were read, unparsed.
            lines = [_line_bytes(self.mentors, j) for j in range(len(self))]
            (work / _MENTORS).write_bytes(b"".join(lines))
            offsets = np.zeros(len(lines) + 1, dtype=np.int64)
            np.cumsum([len(line) for line in lines], out=offsets[1:])
            np.save(work / _OFFSETS, offsets)
            rules = {
                "ids": list(self.ids),
                "active": self.rules.active.tolist(),
                "languages": list(self.rules.languages),
                "exclude": list(self.rules.exclude),
            }
            (work / _RULES).write_text(json.dumps(rules, ensure_ascii=False), "utf-8")
            meta = {
                "format": FORMAT,
                "as_of": self.as_of.isoformat(),
                "n_mentors": len(self),
                "width": int(self.model.layout.width),
                "components": list(COMPONENTS),
            }
            (work / _META).write_text(json.dumps(meta), "utf-8")
            for name in _FILES:
                with open(work / name, "rb") as handle:
                    os.fsync(handle.fileno())
            os.chmod(work, 0o755)
            if directory.exists():
                old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.old.", dir=directory.parent))
                os.replace(directory, old / "index")
                os.replace(work, directory)
                shutil.rmtree(old, ignore_errors=True)
            else:
                os.replace(work, directory)
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise

    @classmethod
    def load(cls, directory: Path, *, mmap: bool = True) -> MentorIndex:
        """Read an index :meth:`save` wrote. ``mmap=True`` maps the matrix read-only, so that
        processes loading the same directory share one copy of it.

        Raises ValueError when the directory is not a complete index of this format.
        """
        directory = Path(directory)
        try:
            meta = json.loads((directory / _META).read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"{directory}: not a saved mentor index ({exc})") from None
        if meta.get("format") != FORMAT or meta.get("components") != list(COMPONENTS):
            raise ValueError(
                f"{directory}: index format {meta.get('format')!r} with components "
                f"{meta.get('components')!r}; this engine reads format {FORMAT} with "
                f"{list(COMPONENTS)}: build it again"
            )
        try:
            matrix = np.load(directory / _MATRIX, mmap_mode="r" if mmap else None)
            model = pickle.loads((directory / _MODEL).read_bytes())
            mentors = _SavedMentors(directory / _MENTORS, np.load(directory / _OFFSETS))
            rules = json.loads((directory / _RULES).read_text("utf-8"))
        except (OSError, ValueError, pickle.UnpicklingError) as exc:
            raise ValueError(f"{directory}: not a complete mentor index ({exc})") from None
        if matrix.dtype != np.float32:
            raise ValueError(f"{directory}: matrix is {matrix.dtype}, expected float32")
        if len(rules["ids"]) != len(mentors):
            raise ValueError(f"{directory}: {len(rules['ids'])} ids for {len(mentors)} mentors")
        return cls(
            model=model,
            as_of=parse_as_of(meta["as_of"]),
            mentors=mentors,
            matrix=matrix,
            rules=rules,
        )

    # ----------------------------------------------------------------------------- querying
    def _fact(self, j: int) -> Derived:
        facts = self._facts.get(j)
        if facts is None:
            facts = self.model.derive(self.mentors[j], as_of=self.as_of)
            self._facts[j] = facts
        return facts

    def _live(self, signals: Mapping[str, object] | None) -> tuple[Float32 | None, Float64 | None]:
        """(n, 6) query-time columns from ``signals`` (None: the mentor lines' own values) and
        the (n, 5) reach counts given (None when not given)."""
        if signals is None:
            return None, None
        if not isinstance(signals, Mapping):
            raise ValueError(f"signals must be a mapping of {', '.join(SIGNALS)}")
        unknown = sorted(set(signals) - set(SIGNALS))
        if unknown:
            raise ValueError(f"unknown signals {unknown}; expected some of {', '.join(SIGNALS)}")
        n = len(self)
        lay = self.model.layout
        live = np.array(self.matrix[:, lay.query_time], dtype=np.float32)
        # the same columns, numbered within ``live``
        first = lay.query_time.start
        responsiveness = lay.responsiveness - first
        network = slice(lay.network.start - first, lay.network.stop - first)
        reach = None
        if "responsiveness" in signals:
            r = np.asarray(signals["responsiveness"], dtype=np.float64)
            if r.shape != (n,) or not np.all((r >= 0.0) & (r <= 1.0)):
                raise ValueError(
                    f"signals['responsiveness'] must be {n} numbers from 0 to 1 (one per row), "
                    f"got shape {r.shape}"
                )
            live[:, responsiveness] = r
        if "network_reach" in signals:
            reach = np.asarray(signals["network_reach"], dtype=np.float64)
            if reach.shape != (n, len(NETWORK_GROUPS)) or not np.all(
                np.isfinite(reach) & (reach >= 0.0)
            ):
                raise ValueError(
                    f"signals['network_reach'] must be ({n}, {len(NETWORK_GROUPS)}) counts >= 0 "
                    f"(columns: {', '.join(NETWORK_GROUPS)}), got shape {reach.shape}"
                )
            live[:, network] = network_saturation(reach)
        return live, reach

    def _mentor_line(
        self, j: int, live: Float32 | None, reach: Float64 | None
    ) -> Mapping[str, object]:
        """Mentor j's profile with the query-time signals the components were computed from."""
        mentor = self.mentors[j]
        if live is None:
            return mentor
        out = dict(mentor)
        start = self.model.layout.query_time.start
        out["responsiveness"] = float(live[j, self.model.layout.responsiveness - start])
        if reach is not None:
            out["network_reach"] = {
                g: round(float(c)) for g, c in zip(NETWORK_GROUPS, reach[j], strict=True)
            }
        return out

    def propose(
        self,
        mentee: Mapping[str, object],
        *,
        top: int = 10,
        weights: Mapping[str, float] | None = None,
        seniority_band: tuple[int, int] = DEFAULT_SENIORITY_BAND,
        available: NDArray[np.bool_] | None = None,
        signals: Mapping[str, object] | None = None,
    ) -> list[Proposal]:
        """The ``top`` best eligible mentors for one mentee, best first, with reasons.

        Parameters
        ----------
        mentee : a profile line (validated here).
        available : (n,) bool, one per row of :attr:`ids`; rows False are never proposed (free
            seats, accepting, paused, membership, earlier declines: whatever changes often).
        signals : query-time inputs, each optional, one row per mentor of :attr:`ids`:
            ``"responsiveness"`` (n,) floats in [0, 1] and ``"network_reach"`` (n, 5)
            introduction counts in NETWORK_GROUPS order. Missing ones come from the mentor
            lines the index was built from (defaults 0.5 and zeros).

        The hard rules of the mentor lines (language, exclusions both ways, never self, capacity
        0 or not accepting) apply as well. Returns [] when nothing is eligible.
        """
        if isinstance(top, bool) or not isinstance(top, int) or top < 0:
            raise ValueError(f"top must be an integer >= 0, got {top!r}")
        w = weight_vector(weights)
        band = validate_band(seniority_band)
        profile = validate_profile(mentee)
        n = len(self)
        if available is not None:
            available = np.asarray(available)
            if available.shape != (n,) or available.dtype != np.bool_:
                raise ValueError(
                    f"available must be a bool array of shape ({n},), one per index row; got "
                    f"{available.dtype} {available.shape}"
                )
        live, reach = self._live(signals)
        if n == 0 or top == 0:
            return []
        facts = self.model.derive(profile, as_of=self.as_of)
        feats = self.model.features_of(profile, facts)
        u, const = self.model.mentee_matrix(feats, seniority_band=band)
        q = self.model.query(u, const, w)[0]
        cols = self.model.layout.query_time
        with _one_blas_thread():
            if live is None or not q[cols].any():
                scores = self.matrix @ q
            else:
                fitted = q.copy()
                fitted[cols] = 0.0
                scores = self.matrix @ fitted + live @ q[cols]
        languages: list[str] = profile["languages"]  # type: ignore[assignment]
        scores[~self.rules.eligible(languages)] = -np.inf
        if available is not None:
            scores[~available] = -np.inf
        exclude: list[str] = profile["exclude"]  # type: ignore[assignment]
        scores[self.rules.forbidden(str(profile["id"]), exclude)] = -np.inf
        best = topk_one(scores, top)
        if len(best) == 0:
            return []
        v = np.array(self.matrix[best], dtype=np.float32)
        if live is not None:
            v[:, cols] = live[best]
        comps = component_values(
            self.model.layout,
            np.repeat(u, len(best), axis=0),
            np.repeat(const, len(best), axis=0),
            v,
        )
        ranked = _ranked(np.zeros(len(best), dtype=np.int64), best, comps, w)
        out = []
        for rank, (j, values, score) in enumerate(ranked, start=1):
            named = _named(values)
            out.append(
                Proposal(
                    mentee=str(profile["id"]),
                    mentor=self.ids[j],
                    rank=rank,
                    score=score,
                    components=named,
                    reasons=_reasons(
                        mentee=profile,
                        mentee_facts=facts,
                        mentor=self._mentor_line(j, live, reach),
                        mentor_facts=self._fact(j),
                        components=named,
                        weights=w,
                    ),
                )
            )
        return out

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["matrix"] = np.asarray(self.matrix)  # a memmap pickles as a plain array
        state["_facts"] = {}
        return state
