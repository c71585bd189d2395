"""The adapter between the domain and the matching engine: load → compute → persist.

Selectors here load plain profile lines (the CLI profile format of DESIGN.md) from the database;
`matching` computes on them; the services persist the result in one transaction. Nothing in
`matching` knows about Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

import matching
from mentorship.compiled import CompiledValues
from mentorship.models import (
    BIG_FIVE,
    SEAT_HOLDING_STATUSES,
    EmptyReason,
    Exclusion,
    Membership,
    Mentorship,
    Position,
    Profile,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services.mentor_availability import seats_of
from mentorship.services.profiles import format_month

# Mentors a mentee must not be offered again in a programme: they declined, are already asked,
# were dismissed by the mentee, or already mentor them.
BLOCKING_PROPOSAL_STATUSES = (
    ProposalStatus.DECLINED,
    ProposalStatus.REQUESTED,
    ProposalStatus.DISMISSED,
)
# The engine's component names, for the interfaces (which never import `matching` directly).
COMPONENTS: tuple[str, ...] = matching.COMPONENTS
DEFAULT_WEIGHTS: Mapping[str, float] = matching.DEFAULT_WEIGHTS
# What each component is called where people read it (pages, API clients). `responsiveness`
# and `network_fit` are the optional components of issues 9 and 10.
COMPONENT_LABELS: Mapping[str, str] = {
    "topic_fit": "Topics",
    "career_relevance": "Career relevance",
    "career_variety": "Career variety",
    "seniority": "Seniority gap",
    "personality": "Personality",
    "logistics": "Time zone, language and format",
    "responsiveness": "Responsiveness",
    "network_fit": "Network reach",
}


def component_label(name: str) -> str:
    """`career_relevance` -> `Career relevance`; a component added later reads sensibly too."""
    return COMPONENT_LABELS.get(name) or name.replace("_", " ").capitalize()


def person_id(user_id: int) -> str:
    return f"u{user_id}"


def user_id_of(person: str) -> int:
    return int(person[1:])


def validate_weights(weights: Mapping[str, Any]) -> dict[str, float]:
    """Check a programme's partial weight overrides; keep only the keys it set."""
    if not isinstance(weights, Mapping):
        raise ValueError('Weights must be an object such as {"topic_fit": 0.3}.')
    merged = matching.validate_weights(weights)
    return {key: merged[key] for key in weights}


def programme_weights(programme: Programme) -> dict[str, float]:
    return matching.validate_weights(programme.matching_weights or {})


PROFILE_LINE_FIELDS = (
    "id",
    "user_id",
    "headline",
    "about",
    "skills",
    "certifications",
    "seniority",
    "topics_offered",
    "topics_wanted",
    "languages",
    "timezone",
    "formats",
)
POSITION_LINE_FIELDS = (
    "profile_id",
    "title",
    "organisation",
    "industry",
    "start",
    "end",
    "summary",
)


#: The personality's traits as `values()` reads them across the profile's one-to-one.
TRAIT_VALUES = tuple(f"personality__{trait}" for trait in BIG_FIVE)


def profile_lines(
    programme: Programme,
    role: str,
    *,
    user_ids: Iterable[int] | None = None,
    exclude: Mapping[int, Iterable[str]] | None = None,
) -> list[dict[str, Any]]:
    """The programme's members in `role` (or those of `user_ids` still in it), by user id, as
    engine profile lines with one seat: the mentors' lines are what the stored index fits
    (seats, accepting and pauses are the availability mask's business, mentor_index.py), the
    mentees' what a cohort run assigns, with `exclude` (per user id) applied.

    Read as plain values in two queries, the profiles with their personality, then their
    careers: building thousands of model instances with their positions costs more than
    fitting them, and joining the careers in would repeat each profile once per position."""
    profiles = Profile.objects.filter(
        user__memberships__programme=programme, user__memberships__role=role
    )
    if user_ids is not None:
        profiles = profiles.filter(user_id__in=list(user_ids))
    rows = list(profiles.order_by("user_id").values(*PROFILE_LINE_FIELDS, *TRAIT_VALUES))
    careers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for position in (
        Position.objects.filter(profile_id__in=[row["id"] for row in rows])
        .order_by("profile_id", "-start", "-id")
        .values(*POSITION_LINE_FIELDS)
    ):
        careers[position["profile_id"]].append(_career_entry(position))
    excluded = exclude or {}
    return [
        _line(row, careers.get(row["id"], []), role, excluded.get(row["user_id"], ()))
        for row in rows
    ]


#: `mentee_line`'s query, compiled once: building its SQL (25 columns, two joins) took twice as
#: long as running it, on every match request.
_MENTEE_LINE_ROWS = CompiledValues(
    lambda ids: (
        Profile.objects.filter(user_id__in=ids)
        .order_by("-positions__start", "-positions__id")
        .values(
            *PROFILE_LINE_FIELDS,
            *TRAIT_VALUES,
            "positions__id",
            *(f"positions__{name}" for name in POSITION_LINE_FIELDS[1:]),
        )
    )
)


def mentee_line(mentee_id: int, *, exclude: Iterable[str]) -> dict[str, Any] | None:
    """One mentee's line (as `profile_lines`), None without a profile: one query, the profile
    joined to its personality and positions (a row per position). Read by the unique user id,
    not through the memberships join (the caller checked the role): the join lets the database
    walk the programme's members first."""
    rows = _MENTEE_LINE_ROWS.rows([mentee_id])
    if not rows:
        return None
    career = [_career_entry(row, "positions__") for row in rows if row["positions__id"]]
    return _line(rows[0], career, Role.MENTEE, exclude)


def _career_entry(values: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """A position of a profile line, from its `values()` (named with `prefix`)."""
    return {
        "title": values[f"{prefix}title"],
        "organisation": values[f"{prefix}organisation"],
        "industry": values[f"{prefix}industry"],
        "start": format_month(values[f"{prefix}start"]),
        "end": format_month(values[f"{prefix}end"]),
        "summary": values[f"{prefix}summary"],
    }


def _line(
    row: Mapping[str, Any], career: list[dict[str, Any]], role: str, exclude: Iterable[str]
) -> dict[str, Any]:
    """A profile line from the profile's `values()` (PROFILE_LINE_FIELDS and TRAIT_VALUES)."""
    topics = "topics_offered" if role == Role.MENTOR else "topics_wanted"
    return {
        "id": person_id(row["user_id"]),
        "positions": career,
        "skills": list(row["skills"]),
        "certifications": list(row["certifications"]),
        "seniority": row["seniority"],
        "topics": list(row[topics]),
        "about": " ".join(part for part in (row["headline"], row["about"]) if part),
        # Traits are never null: all of them are null when there is no questionnaire.
        "personality": (
            {trait: row[name] for trait, name in zip(BIG_FIVE, TRAIT_VALUES, strict=True)}
            if row[TRAIT_VALUES[0]] is not None
            else None
        ),
        "languages": list(row["languages"]),
        "timezone": row["timezone"],
        "formats": list(row["formats"]),
        "capacity": 1,
        "exclude": sorted(set(exclude)),
    }


def mentor_lines(
    programme: Programme, *, user_ids: Iterable[int] | None = None
) -> list[dict[str, Any]]:
    """The programme's mentors as the stored index fits them (`profile_lines`)."""
    return profile_lines(programme, Role.MENTOR, user_ids=user_ids)


def mentor_lines_with_seats(programme: Programme) -> list[dict[str, Any]]:
    """Every mentor of the programme with their free places (0 when full or not accepting), for
    whole-cohort assignment, by user id. The lines are the stored index's (mentor_index.current:
    every profile change reaches it first), read from its files: the same profiles the match
    requests rank, at a third of the cost of reading them from the database."""
    mentors = mentor_index.current(programme).index.mentors
    lines = sorted((dict(line) for line in mentors), key=lambda line: user_id_of(str(line["id"])))
    seats = seats_of(user_id_of(str(line["id"])) for line in lines)
    for line in lines:
        found = seats.get(user_id_of(str(line["id"])))
        line["capacity"] = found.free if found is not None else 0
    return lines


#: Mentees per exclusions query: its UNION binds each id three times, within SQLite's limit of
#: 32,766 parameters.
EXCLUSION_CHUNK = 5_000


def _blocking_pairs_sql(n_mentees: int) -> str:
    """The UNION of `_blocking_pairs` for `n_mentees` ids, written out: it runs on every match
    request, and building it with the ORM (three querysets and a combinator) cost more Python
    than the rest of the exclusions' work (about 2.5 ms a request)."""
    ids = ", ".join(["%s"] * n_mentees)
    parts = [
        (Exclusion, "FALSE", ""),
        (Proposal, "FALSE", BLOCKING_PROPOSAL_STATUSES),
        (Mentorship, "TRUE", SEAT_HOLDING_STATUSES),
    ]
    return " UNION ".join(
        f"SELECT mentee_id, mentor_id, {current} FROM {model._meta.db_table} "
        f"WHERE programme_id = %s AND mentee_id IN ({ids})"
        + (f" AND status IN ({', '.join(['%s'] * len(statuses))})" if statuses else "")
        for model, current, statuses in parts
    )


def _blocking_pairs(
    programme: Programme, mentee_ids: Sequence[int]
) -> Iterator[tuple[int, int, bool]]:
    """(mentee, mentor, whether the mentor is the mentee's current one) for every mentor never
    to propose to the mentee: coordinator exclusions, previous declines, pending or dismissed
    proposals, their current mentors. One query (a UNION) per EXCLUSION_CHUNK mentees."""
    for start in range(0, len(mentee_ids), EXCLUSION_CHUNK):
        chunk = list(mentee_ids[start : start + EXCLUSION_CHUNK])
        params: list[int | str] = [
            programme.pk,
            *chunk,
            programme.pk,
            *chunk,
            *map(str, BLOCKING_PROPOSAL_STATUSES),
            programme.pk,
            *chunk,
            *map(str, SEAT_HOLDING_STATUSES),
        ]
        with connection.cursor() as cursor:
            cursor.execute(_blocking_pairs_sql(len(chunk)), params)
            rows = cursor.fetchall()
        for mentee_id, mentor_id, current in rows:
            yield mentee_id, mentor_id, bool(current)  # SQLite answers 0 or 1


def pair_exclusions(programme: Programme, mentee_ids: Sequence[int]) -> dict[int, set[str]]:
    """Per mentee, the mentors never to propose to them (`_blocking_pairs`), as engine ids."""
    excluded: dict[int, set[str]] = defaultdict(set)
    for mentee_id, mentor_id, _ in _blocking_pairs(programme, mentee_ids):
        excluded[mentee_id].add(person_id(mentor_id))
    return excluded


def exclusions_for(programme: Programme, mentee_ids: Sequence[int]) -> dict[int, set[str]]:
    """`pair_exclusions` plus the mentors paused from new requests (they let requests expire
    in a row; services/availability.py), for whole-cohort assignment. A single mentee's request
    applies pauses through the availability mask instead."""
    excluded = pair_exclusions(programme, mentee_ids)
    paused = Membership.objects.filter(
        programme=programme, role=Role.MENTOR, requests_paused_at__isnull=False
    ).values_list("user_id", flat=True)
    for mentor_id in paused:
        for mentee_id in mentee_ids:
            excluded[mentee_id].add(person_id(mentor_id))
    return excluded


def forget_mentor(*, mentor_id: int) -> None:
    """An erased mentor leaves every programme's stored index as soon as the erasure commits: a
    new version without them, and every older version's files deleted (they hold the mentor's
    features). Call inside the erasure's transaction."""
    from mentorship.services.mentor_availability import mentor_changed

    programme_ids = mentor_changed(user_id=mentor_id, profile=True)
    for programme_id in programme_ids:
        transaction.on_commit(partial(mentor_index.catch_up, programme_id, keep=1))


@dataclass(frozen=True)
class Shortlist:
    """One mentee's ranked suggestions, or why there are none (`empty_reason`, EmptyReason).
    `has_mentor`: the mentee already has a mentor in the programme, and nobody was ranked."""

    proposals: list[matching.Proposal]
    empty_reason: str = ""
    has_mentor: bool = False


def shortlist(*, programme: Programme, mentee: User, top: int) -> Shortlist:
    """The best `top` available, eligible mentors of the programme for one mentee, with reasons.

    Work per request does not grow with the programme besides the scoring itself: the stored
    index and its availability mask (mentor_index.current), the mentee's own profile and
    exclusions (which also tell whether they already have a mentor here), and the optional
    signals from a bounded-time cache."""
    excluded: set[str] = set()
    for _, mentor_id, current in _blocking_pairs(programme, [mentee.pk]):
        if current:
            return Shortlist([], has_mentor=True)
        excluded.add(person_id(mentor_id))
    line = mentee_line(mentee.pk, exclude=excluded)
    if line is None:
        return Shortlist([], EmptyReason.NO_PROFILE)
    loaded = mentor_index.current(programme)
    if not len(loaded.index.ids):
        return Shortlist([], EmptyReason.NO_MENTORS)
    if not loaded.available.any():
        return Shortlist([], EmptyReason.NONE_AVAILABLE)
    weights = programme_weights(programme)
    signals = query_signals.for_request(programme, loaded, weights)
    if signals is not None and weights.get("network_fit", 0) > 0:
        line["network_gaps"] = query_signals.gaps_of(programme, [mentee.pk])[mentee.pk]
    proposals = loaded.index.propose(
        line, top=top, weights=weights, available=loaded.available, signals=signals
    )
    return Shortlist(proposals, "" if proposals else EmptyReason.NONE_ELIGIBLE)


def rank_mentors(*, programme: Programme, mentee: User, top: int) -> list[matching.Proposal]:
    """The best `top` available, eligible mentors of the programme for one mentee."""
    return shortlist(programme=programme, mentee=mentee, top=top).proposals


def unmatched_mentee_ids(programme: Programme) -> list[int]:
    """Mentees of the programme with no mentor and no request waiting for an answer."""
    busy = set(
        Mentorship.objects.filter(
            programme=programme, status__in=SEAT_HOLDING_STATUSES
        ).values_list("mentee_id", flat=True)
    ) | set(
        Proposal.objects.filter(programme=programme, status=ProposalStatus.REQUESTED).values_list(
            "mentee_id", flat=True
        )
    )
    members = programme.memberships.filter(role=Role.MENTEE).values_list("user_id", flat=True)
    return sorted(set(members) - busy)


def assign_cohort(*, programme: Programme, mode: str) -> list[matching.Assignment]:
    """Whole-cohort assignment of the unmatched mentees to mentors with free places."""
    mentee_ids = unmatched_mentee_ids(programme)
    if not mentee_ids:
        return []
    excluded = exclusions_for(programme, mentee_ids)
    mentees = profile_lines(programme, Role.MENTEE, user_ids=mentee_ids, exclude=excluded)
    mentors = [line for line in mentor_lines_with_seats(programme) if line["capacity"] > 0]
    weights = programme_weights(programme)
    query_signals.add_to_lines(programme, mentors=mentors, mentees=mentees, weights=weights)
    return matching.assign(
        mentors=mentors,
        mentees=mentees,
        mode=mode,
        weights=weights,
        as_of=timezone.localdate().isoformat(),
    )


# Imported last: both modules call back into this one (profile lines, person ids).
from mentorship import mentor_index, query_signals  # noqa: E402
