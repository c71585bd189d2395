"""How one person appears to the other side of a pairing: a short profile summary in words a
person reads (never their questionnaire, never their private notes), and the topic choices a
person's programmes allow."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.conf.locale import LANG_INFO
from django.db import connection, models

from mentorship.compiled import CompiledValues
from mentorship.models import Position, Profile, User
from mentorship.privacy import note_read
from mentorship.services.profiles import POSITION_FIELDS, allowed_topics
from mentorship.taxonomy import TOPICS, MeetingFormat, Seniority, topic_label

TopicSide = Literal["wanted", "offered"]


@dataclass(frozen=True)
class PersonSummary:
    """Who someone is at a glance: enough to decide and to prepare a first conversation."""

    user: User
    name: str
    headline: str
    position: Position | None  # the current role, or the latest one
    seniority: str
    topics: list[str]  # labels: what a mentee wants, or what a mentor offers
    languages: list[str]  # names
    timezone: str
    formats: list[str]  # labels


def language_name(code: str) -> str:
    info = LANG_INFO.get(code)
    return str(info["name"]) if info else code


def current_position(profile: Profile) -> Position | None:
    """The role that continues (the latest of them), else the latest one held. Reads the
    prefetched positions when the caller prefetched `profile__positions`."""
    positions = sorted(profile.positions.all(), key=lambda p: (p.start, p.pk), reverse=True)
    ongoing = [p for p in positions if p.end is None]
    latest = ongoing or positions
    return latest[0] if latest else None


def person_summary(user: User, *, topics: TopicSide) -> PersonSummary:
    """`topics` says which side of the person to show: the topics they want help with, or the
    topics they offer. Load people with `select_related("…profile")` and prefetch
    `…profile__positions` to keep a list of summaries to two queries."""
    profile: Profile | None = getattr(user, "profile", None)
    if profile is None:
        return PersonSummary(user, user.display_name, "", None, "", [], [], "", [])
    # The current position is career history: audited for mentors and coordinators reading a
    # mentee's, for coordinators only when it is a mentor's (mentees see mentors' careers).
    note_read(subject_id=user.pk, field="career_history", always=topics == "wanted")
    slugs = profile.topics_wanted if topics == "wanted" else profile.topics_offered
    return PersonSummary(
        user=user,
        name=user.display_name,
        headline=profile.headline,
        position=current_position(profile),
        seniority=Seniority(profile.seniority).label,
        topics=[topic_label(slug) for slug in slugs],
        languages=[language_name(code) for code in profile.languages],
        timezone=profile.timezone,
        formats=[MeetingFormat(f).label for f in profile.formats if f in MeetingFormat.values],
    )


#: The fields a person's summary shows (the API's member summaries, `person_summary`), per model:
#: all that `people_with_careers` reads.
SUMMARY_FIELDS: dict[type[models.Model], tuple[str, ...]] = {
    User: ("id", "username", "first_name", "last_name"),
    Profile: (
        "id",
        "user_id",
        "headline",
        "seniority",
        "topics_wanted",
        "topics_offered",
        "languages",
        "timezone",
        "formats",
    ),
    Position: ("id", "profile_id", *POSITION_FIELDS),
}


def _attnames(model: type[models.Model]) -> list[str]:
    """SUMMARY_FIELDS of the model in the order of its columns (as `Model.from_db` takes them)."""
    wanted = SUMMARY_FIELDS[model]
    return [f.attname for f in model._meta.concrete_fields if f.attname in wanted]


_USER, _PROFILE, _POSITION = (_attnames(m) for m in (User, Profile, Position))
#: A row per position (one per person without any), compiled once: building its SQL costs
#: more than running it.
_SUMMARY_ROWS = CompiledValues(
    lambda ids: (
        User.objects.filter(pk__in=ids)
        .order_by("id", "-profile__positions__start", "-profile__positions__id")
        .values(
            *_USER,
            *(f"profile__{name}" for name in _PROFILE),
            *(f"profile__positions__{name}" for name in _POSITION),
        )
    )
)


def people_with_careers(user_ids: Iterable[int]) -> dict[int, User]:
    """The users by id, each with their profile (or none) and its positions newest first, as
    `select_related("profile")` with `prefetch_related("profile__positions")` gives them, in one
    query instead of two and in half the time (a match request's answer shows its mentors
    this way). The objects hold SUMMARY_FIELDS; reading any other field loads it (deferred)."""
    db = connection.alias
    people: dict[int, User] = {}
    careers: dict[int, list[Position]] = {}  # by user id: the rows of the prefetch-alike below
    for row in _SUMMARY_ROWS.rows(user_ids):
        user_id = row["id"]
        if user_id not in people:
            user = people[user_id] = User.from_db(db, _USER, [row[n] for n in _USER])
            profile = None
            if row["profile__id"] is not None:
                profile = Profile.from_db(db, _PROFILE, [row[f"profile__{n}"] for n in _PROFILE])
                Profile.user.field.set_cached_value(profile, user)
                # what a prefetch leaves: the related queryset with its rows already read
                positions = profile.positions.all()
                positions._result_cache = careers[user_id] = []
                positions._prefetch_done = True  # type: ignore[attr-defined]
                profile._prefetched_objects_cache = {"positions": positions}  # type: ignore[attr-defined]
            User.profile.related.set_cached_value(user, profile)
        if row["profile__positions__id"] is not None:
            values = [row[f"profile__positions__{n}"] for n in _POSITION]
            careers[user_id].append(Position.from_db(db, _POSITION, values))
    return people


def topic_choices(user: User) -> list[tuple[str, str]]:
    """(slug, label) for every topic the user's programmes allow: the shared taxonomy in its
    order, then the programmes' own additions alphabetically."""
    allowed = allowed_topics(user)
    ordered = [t for t in TOPICS if t in allowed] + sorted(allowed - set(TOPICS))
    return [(slug, topic_label(slug)) for slug in ordered]
