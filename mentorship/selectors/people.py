"""How one person appears to the other side of a pairing: a short profile summary in words a
person reads (never their questionnaire, never their private notes), and the topic choices a
person's programmes allow."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.conf.locale import LANG_INFO

from mentorship.models import Position, Profile, User
from mentorship.privacy import note_read
from mentorship.services.profiles import allowed_topics
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


def topic_choices(user: User) -> list[tuple[str, str]]:
    """(slug, label) for every topic the user's programmes allow: the shared taxonomy in its
    order, then the programmes' own additions alphabetically."""
    allowed = allowed_topics(user)
    ordered = [t for t in TOPICS if t in allowed] + sorted(allowed - set(TOPICS))
    return [(slug, topic_label(slug)) for slug in ordered]
