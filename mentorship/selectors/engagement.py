"""Reads behind the engagement timers and pages: how long a pair has gone without meeting,
which pairs stopped, and a mentor's own pause from new requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from mentorship.models import (
    AuditEvent,
    Membership,
    Mentorship,
    MentorshipStatus,
    Role,
    User,
)
from mentorship.selectors.cadence import with_session_counts
from mentorship.selectors.programmes import coordinated_programme

DEFAULT_WATCH_DAYS = 60  # what the coordinators' list uses when a programme turned both timers off


def with_last_resume(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """Annotate `last_resume`: when the pair last resumed after a pause (from the audit trail)."""
    resumed = AuditEvent.objects.filter(
        object_type="mentorship", object_id=OuterRef("pk"), action="resume"
    ).order_by("-created_at", "-pk")
    return mentorships.annotate(last_resume=Subquery(resumed.values("created_at")[:1]))


def idle_since(mentorship: Any) -> dt.date:
    """The day inactivity counts from: the last session, the start, or the last resume (a pair
    that resumes gets a fresh start). Needs `with_session_counts` and `with_last_resume`."""
    days = [mentorship.started_on]
    if mentorship.last_session:
        days.append(mentorship.last_session)
    if mentorship.last_resume:
        days.append(timezone.localdate(mentorship.last_resume))
    return max(days)


def with_idleness(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    return with_last_resume(with_session_counts(mentorships)).select_related(
        "programme", "mentor", "mentee"
    )


@dataclass(frozen=True)
class IdlePair:
    mentorship: Mentorship
    idle_days: int
    pause_on: dt.date | None


@dataclass(frozen=True)
class InactivePairs:
    idle: list[IdlePair]  # active pairs past the warning (most idle first)
    paused: list[Mentorship]  # pairs the inactivity timer paused, still paused
    threshold_days: int


def inactive_pairs(*, actor: User, slug: str, today: dt.date) -> InactivePairs:
    """For coordinators: active pairs that have not met for the programme's warning period,
    and the pairs the 90-day timer paused."""
    programme = coordinated_programme(actor, slug)
    threshold = (
        programme.inactivity_warning_days or programme.inactivity_pause_days or DEFAULT_WATCH_DAYS
    )
    idle = []
    active = Mentorship.objects.filter(programme=programme, status=MentorshipStatus.ACTIVE)
    for mentorship in with_idleness(active):
        since = idle_since(mentorship)
        days = (today - since).days
        if days >= threshold:
            pause_days = programme.inactivity_pause_days
            pause_on = since + dt.timedelta(days=pause_days) if pause_days else None
            idle.append(IdlePair(mentorship, days, pause_on))
    idle.sort(key=lambda pair: (-pair.idle_days, pair.mentorship.pk))
    paused_by_timer = AuditEvent.objects.filter(
        programme_id=programme.pk,
        object_type="mentorship",
        action="pause",
        actor__isnull=True,
    ).values("object_id")
    paused = list(
        Mentorship.objects.filter(
            programme=programme, status=MentorshipStatus.PAUSED, pk__in=paused_by_timer
        )
        .select_related("mentor", "mentee")
        .order_by("-pk")
    )
    return InactivePairs(idle, paused, threshold)


def availability_of(user: User) -> list[Membership]:
    """The user's mentor memberships, each saying whether they are paused from new requests."""
    return list(
        Membership.objects.filter(user=user, role=Role.MENTOR)
        .select_related("programme")
        .order_by("programme__name", "pk")
    )
