"""The adapter between the domain and the matching engine: load → compute → persist.

Selectors here load plain profile lines (the CLI profile format of DESIGN.md) from the database;
`matching` computes on them; the services persist the result in one transaction. Nothing in
`matching` knows about Django.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

import matching
from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    Exclusion,
    Membership,
    Mentorship,
    Profile,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services.profiles import format_month

# Mentors a mentee must not be offered again in a programme: they declined, are already asked,
# were dismissed by the mentee, or already mentor them.
BLOCKING_PROPOSAL_STATUSES = (
    ProposalStatus.DECLINED,
    ProposalStatus.REQUESTED,
    ProposalStatus.DISMISSED,
)
INDEX_CACHE_SECONDS = 60 * 60
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


def profile_line(
    profile: Profile, *, role: str, seats: int = 1, exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """A profile as the engine sees it. `seats` is the mentor's number of free places."""
    personality = getattr(profile, "personality", None)
    about = " ".join(part for part in (profile.headline, profile.about) if part)
    return {
        "id": person_id(profile.user_id),
        "positions": [
            {
                "title": p.title,
                "organisation": p.organisation,
                "industry": p.industry,
                "start": format_month(p.start),
                "end": format_month(p.end),
                "summary": p.summary,
            }
            for p in profile.positions.all()
        ],
        "skills": list(profile.skills),
        "certifications": list(profile.certifications),
        "seniority": profile.seniority,
        "topics": list(profile.topics_offered if role == Role.MENTOR else profile.topics_wanted),
        "about": about,
        "personality": personality.big_five() if personality is not None else None,
        "languages": list(profile.languages),
        "timezone": profile.timezone,
        "formats": list(profile.formats),
        "capacity": seats,
        "exclude": sorted(set(exclude)),
    }


def _profiles(programme: Programme, role: str, user_ids: Iterable[int] | None = None) -> Any:
    queryset = (
        Profile.objects.filter(user__memberships__programme=programme, user__memberships__role=role)
        .select_related("personality", "user")
        .prefetch_related("positions")
        .order_by("user_id")
    )
    if user_ids is not None:
        queryset = queryset.filter(user_id__in=list(user_ids))
    return queryset


def _mentor_profiles(programme: Programme) -> Any:
    return _profiles(programme, Role.MENTOR).annotate(
        seats_taken=Count(
            "user__mentorships_as_mentor",
            filter=Q(user__mentorships_as_mentor__status__in=SEAT_HOLDING_STATUSES),
            distinct=True,
        )
    )


def _free_seats(profile: Any) -> int:
    return max(profile.capacity - profile.seats_taken, 0) if profile.accepting_mentees else 0


def mentor_lines(programme: Programme) -> list[dict[str, Any]]:
    """Every mentor of the programme with their free places (0 when full or not accepting)."""
    return [
        profile_line(p, role=Role.MENTOR, seats=_free_seats(p)) for p in _mentor_profiles(programme)
    ]


def exclusions_for(programme: Programme, mentee_ids: Sequence[int]) -> dict[int, set[str]]:
    """Per mentee, the mentors never to propose: coordinator exclusions, previous declines,
    pending or dismissed proposals, their current mentors, and mentors paused from new
    requests (they let requests expire in a row; services/availability.py)."""
    excluded: dict[int, set[str]] = defaultdict(set)
    paused = Membership.objects.filter(
        programme=programme, role=Role.MENTOR, requests_paused_at__isnull=False
    ).values_list("user_id", flat=True)
    for mentor_id in paused:
        for mentee_id in mentee_ids:
            excluded[mentee_id].add(person_id(mentor_id))
    pairs: Iterable[tuple[int, int]]
    for pairs in (
        Exclusion.objects.filter(programme=programme, mentee_id__in=mentee_ids).values_list(
            "mentee_id", "mentor_id"
        ),
        Proposal.objects.filter(
            programme=programme, mentee_id__in=mentee_ids, status__in=BLOCKING_PROPOSAL_STATUSES
        ).values_list("mentee_id", "mentor_id"),
        Mentorship.objects.filter(
            programme=programme, mentee_id__in=mentee_ids, status__in=SEAT_HOLDING_STATUSES
        ).values_list("mentee_id", "mentor_id"),
    ):
        for mentee_id, mentor_id in pairs:
            excluded[mentee_id].add(person_id(mentor_id))
    return excluded


def _fingerprint(programme: Programme) -> str:
    """Changes whenever a mentor joins or leaves, edits their profile or gains or frees a place:
    one light query, so a cached index is reused until something it depends on changes."""
    digest = hashlib.sha256()
    rows = _mentor_profiles(programme).values_list(
        "user_id", "capacity", "accepting_mentees", "seats_taken", "updated_at"
    )
    for row in rows.order_by("user_id"):
        digest.update(repr(row).encode())
    return digest.hexdigest()[:32]


def _index_key(programme: Programme, as_of: str) -> str:
    return f"mentor-index:{programme.pk}:{as_of}:{_fingerprint(programme)}"


def forget_mentor_index(programme: Programme) -> None:
    """Drop the cached index now (an erased mentor's features must not linger in the cache until
    it expires; once the profile is gone the fingerprint no longer finds that entry)."""
    cache.delete(_index_key(programme, timezone.localdate().isoformat()))


def mentor_index(programme: Programme, *, as_of: str) -> matching.MentorIndex:
    """The programme's prebuilt mentor index, so one request does not refit over all mentors."""
    key = _index_key(programme, as_of)
    index = cache.get(key)
    if index is None:
        index = matching.MentorIndex.build(mentor_lines(programme), as_of=as_of)
        cache.set(key, index, INDEX_CACHE_SECONDS)
    return index


def rank_mentors(*, programme: Programme, mentee: User, top: int) -> list[matching.Proposal]:
    """The best `top` eligible mentors of the programme for one mentee, with reasons."""
    as_of = timezone.localdate().isoformat()
    profile = _profiles(programme, Role.MENTEE, [mentee.pk]).first()
    if profile is None:
        return []
    excluded = exclusions_for(programme, [mentee.pk])[mentee.pk]
    line = profile_line(profile, role=Role.MENTEE, exclude=excluded)
    index = mentor_index(programme, as_of=as_of)
    return index.propose(line, top=top, weights=programme_weights(programme))


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
    mentees = [
        profile_line(p, role=Role.MENTEE, exclude=excluded.get(p.user_id, ()))
        for p in _profiles(programme, Role.MENTEE, mentee_ids)
    ]
    mentors = [line for line in mentor_lines(programme) if line["capacity"] > 0]
    return matching.assign(
        mentors=mentors,
        mentees=mentees,
        mode=mode,
        weights=programme_weights(programme),
        as_of=timezone.localdate().isoformat(),
    )
