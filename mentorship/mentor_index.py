"""A programme's stored mentor index: built ahead of requests, shared by every worker.

The engine's fitted features (`matching.MentorIndex`) are saved as uncompressed arrays under
`MENTOR_INDEX_DIR / <programme id> / <version>` (default `VAR_DIR / "mentor-index"`) and
memory-mapped by every worker, so four workers share one copy in the page cache.
`MentorIndexState.version` names the current directory: a request reads that one row and
reloads only when the version moved.

The index changes only when a mentor's matching profile or membership changes: the services mark
the mentor (`services/mentor_availability.py`) and `catch_up` replaces just their rows
(`with_mentor` / `without_mentor`), refitting everyone only when the vocabulary drifted, when
many mentors changed at once, or on the daily full rebuild. Whether a mentor may be proposed now
(seats, accepting, paused) is a boolean mask kept per worker from the `MentorAvailability` rows
changed since it last looked; it never rebuilds anything.

This module and `matching_adapter` are the two places that call the engine.
"""

from __future__ import annotations

import logging
import shutil
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

import matching
from mentorship import matching_adapter
from mentorship.models import MentorAvailability, MentorIndexState, Programme
from mentorship.services.mentor_availability import resync_availability

log = logging.getLogger(__name__)

KEEP_VERSIONS = 2  # the current files and the previous ones (a worker may still be reading them)
# Catching up mentor by mentor costs about one build per mentor's share: past this share of the
# index (or this many mentors in a small one), one full rebuild is cheaper.
REBUILD_SHARE = 0.2
REBUILD_AT_LEAST = 50


def index_root(programme_id: int) -> Path:
    return Path(settings.MENTOR_INDEX_DIR) / str(programme_id)


def version_dir(programme_id: int, version: int) -> Path:
    return index_root(programme_id) / str(version)


# One worker's view -----------------------------------------------------------------------------


@dataclass
class Loaded:
    """A worker's loaded index of one programme and its availability mask (one per row)."""

    version: int
    index: matching.MentorIndex
    available: np.ndarray  # bool, one per row
    seen: int = 0  # the programme's change number the mask reflects
    known: dict[int, bool] = field(default_factory=dict)  # every availability row read so far

    def row(self, mentor_id: int) -> int | None:
        """The index row of a mentor (by user id), None when the index does not hold them."""
        return self.index.row_of(matching_adapter.person_id(mentor_id))

    def apply(self, changes: dict[int, bool]) -> None:
        self.known.update(changes)
        for mentor_id, available in changes.items():
            row = self.row(mentor_id)
            if row is not None:
                self.available[row] = available


_loaded: dict[int, Loaded] = {}
_guard = threading.Lock()  # gunicorn threads of one worker share `_loaded`


def forget_loaded() -> None:
    """Drop this worker's loaded indexes (tests; a worker after the files were removed)."""
    with _guard:
        _loaded.clear()


def _wrap(version: int, index: matching.MentorIndex, before: Loaded | None) -> Loaded:
    loaded = Loaded(version=version, index=index, available=np.zeros(len(index.ids), dtype=bool))
    if before is None:
        return loaded
    # The mask survives a reload: as it was when the rows are the same mentors in the same order
    # (an edited mentor keeps their row), else re-applied row by row.
    loaded.seen = before.seen
    if before.index.ids == index.ids:
        loaded.available[:] = before.available
        loaded.known = dict(before.known)
    else:
        loaded.apply(before.known)
    return loaded


# Reading: the request path ---------------------------------------------------------------------


def current(programme: Programme) -> Loaded:
    """The programme's index and availability mask, as fresh as the database says.

    One query (the state row and the availability rows changed since this worker last looked,
    `_read`); files are loaded (memory-mapped) only when the version moved. A programme without
    an index, or with mentor changes not yet applied, is brought up to date here, once, under
    the state row's lock."""
    loaded = _loaded.get(programme.pk)
    state, changed = _read(programme.pk, since=loaded.seen if loaded else 0)
    if state is None or state.version == 0 or state.profile_changed > state.built_through:
        catch_up(programme.pk)
        loaded = _loaded.get(programme.pk)
        state, changed = _read(programme.pk, since=loaded.seen if loaded else 0)
        assert state is not None
    if loaded is None or loaded.version != state.version:
        loaded = _load(programme.pk, state.version, before=loaded)  # keeps `seen`
    if loaded.seen < state.changes:
        loaded.apply({mentor_id: available for mentor_id, available, _ in changed})
        loaded.seen = max((version for _, _, version in changed), default=loaded.seen)
    return loaded


class _State(NamedTuple):
    version: int
    changes: int
    profile_changed: int
    built_through: int


def _read(programme_id: int, *, since: int) -> tuple[_State | None, list[tuple[int, bool, int]]]:
    """The programme's state row, and (mentor id, available, version) of the availability rows
    changed after `since`, in one statement: one round trip and one snapshot. Written out in
    SQL: it runs on every match request, and the ORM's two queries cost ~1 ms more."""
    sql = (
        "SELECT 0, version, changes, profile_changed, built_through "
        f"FROM {MentorIndexState._meta.db_table} WHERE programme_id = %s "
        "UNION ALL "
        "SELECT 1, mentor_id, CASE WHEN available THEN 1 ELSE 0 END, version, 0 "
        f"FROM {MentorAvailability._meta.db_table} WHERE programme_id = %s AND version > %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [programme_id, programme_id, since])
        rows = cursor.fetchall()
    state = next((_State(*row[1:]) for row in rows if row[0] == 0), None)
    changed = [
        (mentor_id, bool(available), version)
        for kind, mentor_id, available, version, _ in rows
        if kind == 1
    ]
    return state, changed


def _state(programme_id: int) -> MentorIndexState | None:
    return (
        MentorIndexState.objects.filter(programme_id=programme_id)
        .only("version", "changes", "profile_changed", "built_through")
        .first()
    )


def _load(programme_id: int, version: int, *, before: Loaded | None) -> Loaded:
    try:
        index = matching.MentorIndex.load(version_dir(programme_id, version), mmap=True)
    except ValueError:
        # Files lost or unreadable (a new machine, a cleaned VAR_DIR, an engine whose format
        # changed): rebuild them once.
        log.warning(
            "mentor index files of programme %s v%s missing: rebuilding", programme_id, version
        )
        rebuild(programme_id)
        state = _state(programme_id)
        assert state is not None
        version = state.version
        index = matching.MentorIndex.load(version_dir(programme_id, version), mmap=True)
    loaded = _wrap(version, index, before)  # first load in a worker: reads every row once
    with _guard:
        _loaded[programme_id] = loaded
    return loaded


# Writing: background tasks (and a request that finds no index) ---------------------------------


def _locked_state(programme_id: int) -> MentorIndexState:
    MentorIndexState.objects.get_or_create(programme_id=programme_id)
    return MentorIndexState.objects.select_for_update().get(programme_id=programme_id)


def _save(index: matching.MentorIndex, state: MentorIndexState, *, full: bool) -> None:
    """Write the files of the next version and point the state row at them (caller holds the
    row's lock; the directory only becomes current when the transaction commits)."""
    version = state.version + 1
    target = version_dir(state.programme_id, version)
    if target.exists():  # left by a build whose transaction rolled back
        shutil.rmtree(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    index.save(target)
    now = timezone.now()
    state.version = version
    state.built_through = state.changes
    state.built_at = now
    state.as_of = index.as_of
    state.mentors = len(index.ids)
    fields = ["version", "built_through", "built_at", "as_of", "mentors"]
    if full:
        state.full_build_at = now
        fields.append("full_build_at")
    state.save(update_fields=fields)
    with _guard:
        before = _loaded.get(state.programme_id)
    loaded = _wrap(version, index, before)
    with _guard:
        _loaded[state.programme_id] = loaded


def rebuild(programme_id: int) -> int:
    """Refit the programme's index over all its mentors (daily, on drift, or when there is none)
    and resync every availability row. Returns the new version."""
    with transaction.atomic():
        _locked_state(programme_id)
        version = _rebuild_locked(programme_id)
    prune(programme_id)
    return version


def _rebuild_locked(programme_id: int) -> int:
    """`rebuild` for a caller that holds the state row's lock (so a second worker waiting on it
    finds the index built instead of building it again)."""
    resync_availability(programme_id=programme_id)
    state = MentorIndexState.objects.get(programme_id=programme_id)
    programme = Programme.objects.get(pk=programme_id)
    lines = matching_adapter.mentor_lines(programme)
    index = matching.MentorIndex.build(lines, as_of=timezone.localdate().isoformat())
    _save(index, state, full=True)
    return state.version


def catch_up(programme_id: int, *, keep: int = KEEP_VERSIONS) -> int:
    """Apply the mentors changed since the files were built, one by one; rebuild when there is no
    index, the vocabulary drifted or too many changed. Idempotent: with nothing pending it does
    nothing. Returns the current version."""
    with transaction.atomic():
        state = _locked_state(programme_id)
        pending = list(
            MentorAvailability.objects.filter(
                programme_id=programme_id, profile_version__gt=state.built_through
            ).values_list("mentor_id", flat=True)
        )
        full = state.version == 0
        if not full and (pending or state.profile_changed > state.built_through):
            full = len(pending) > max(REBUILD_AT_LEAST, REBUILD_SHARE * state.mentors)
            updated = None if full else _with_changes(programme_id, state.version, pending)
            if updated is not None:
                _save(updated, state, full=False)
            else:
                full = True  # too many changes, or the vocabulary drifted: refit everyone
        version = _rebuild_locked(programme_id) if full else state.version
    prune(programme_id, keep=keep)  # also when nothing was pending (erasure: keep only 1)
    return version


def _with_changes(
    programme_id: int, version: int, mentor_ids: list[int]
) -> matching.MentorIndex | None:
    """The current index with `mentor_ids` replaced, added or removed; None when one of them
    drifted from the fitted vocabulary (the caller refits)."""
    with _guard:
        loaded = _loaded.get(programme_id)
    if loaded is not None and loaded.version == version:
        index = loaded.index
    else:
        try:
            index = matching.MentorIndex.load(version_dir(programme_id, version), mmap=True)
        except ValueError:
            return None  # files lost or of another format: refit
    programme = Programme.objects.get(pk=programme_id)
    lines = {
        matching_adapter.user_id_of(str(line["id"])): line
        for line in matching_adapter.mentor_lines(programme, user_ids=mentor_ids)
    }
    for mentor_id in sorted(mentor_ids):
        line = lines.get(mentor_id)
        if line is not None:
            changed = index.with_mentor(line)
            if changed is None:
                return None
            index = changed
        elif matching_adapter.person_id(mentor_id) in index.ids:
            index = index.without_mentor(matching_adapter.person_id(mentor_id))
    return index


def prune(programme_id: int, *, keep: int = KEEP_VERSIONS) -> list[int]:
    """Delete all but the `keep` newest version directories (never the current one). An erased
    mentor's features must not outlive the erasure in an older version: erasure keeps 1."""
    root = index_root(programme_id)
    if not root.is_dir():
        return []
    state = MentorIndexState.objects.filter(programme_id=programme_id).first()
    current_version = state.version if state is not None else 0
    versions = sorted(
        (int(p.name) for p in root.iterdir() if p.is_dir() and p.name.isdigit()), reverse=True
    )
    kept = [v for v in versions if v <= current_version][: max(keep, 1)]
    removed = [v for v in versions if v not in kept and v <= current_version]
    for version in removed:
        shutil.rmtree(version_dir(programme_id, version), ignore_errors=True)
    return removed


def rebuild_all() -> dict[int, int]:
    """The daily job: every programme's index refitted from scratch, availability resynced."""
    return {
        programme_id: rebuild(programme_id)
        for programme_id in Programme.objects.order_by("pk").values_list("pk", flat=True)
    }
