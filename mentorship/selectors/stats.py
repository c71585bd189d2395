"""Programme statistics for coordinators: the funnel, matching speed, answers, introductions,
and the numbers behind the programme dashboard's charts (plain numbers; the pages draw them)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    Introduction,
    MatchRequest,
    Membership,
    Mentorship,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    Session,
    User,
)
from mentorship.selectors.programmes import coordinated_programme
from mentorship.taxonomy import ConnectionType, NetworkGroup

DECLINE_REASONS_SHOWN = 10
# Days from the start of a mentorship to its first session: (first day, last day) of each bin;
# None for the open-ended last one.
FIRST_SESSION_BINS: tuple[tuple[int, int | None], ...] = (
    (0, 7),
    (8, 14),
    (15, 30),
    (31, 60),
    (61, None),
)


def _counts(queryset: Any, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("id"))}


def programme_stats(*, actor: User, slug: str) -> dict[str, Any]:
    programme = coordinated_programme(actor, slug)
    mentees = Membership.objects.filter(programme=programme, role=Role.MENTEE).count()
    proposals = Proposal.objects.filter(programme=programme)
    mentorships = Mentorship.objects.filter(programme=programme)
    asked = MatchRequest.objects.filter(programme=programme).values("mentee").distinct().count()
    requested = proposals.filter(requested_at__isnull=False).values("mentee").distinct().count()
    matched = mentorships.values("mentee").distinct().count()

    first_asked = dict(
        proposals.values("mentee").annotate(first=Min("created_at")).values_list("mentee", "first")
    )
    waits = [
        (started - first_asked[mentee].date()).days
        for mentee, started in mentorships.values_list("mentee", "started_on")
        if mentee in first_asked
    ]
    answers = {
        status: proposals.filter(status=status).count()
        for status in (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED, ProposalStatus.EXPIRED)
    }
    answered = sum(answers.values())
    reasons, _ = _decline_reasons(programme)
    introductions = Introduction.objects.filter(mentorship__programme=programme)
    by_group = {
        group: sum(by_type.values()) for group, by_type in _introductions_matrix(programme).items()
    }
    return {
        "programme": programme.slug,
        "funnel": {"mentees": mentees, "asked": asked, "requested": requested, "matched": matched},
        "match_rate": round(matched / mentees, 3) if mentees else None,
        "median_days_to_match": float(statistics.median(waits)) if waits else None,
        "acceptance_rate": round(answers[ProposalStatus.ACCEPTED] / answered, 3)
        if answered
        else None,
        "answers": {str(k): v for k, v in answers.items()},
        "decline_reasons": [{"key": reason, "count": n} for reason, n in reasons],
        "introductions_by_group": by_group,
        "introductions_by_outcome": _counts(introductions, "outcome"),
        "mentorships_by_status": _counts(mentorships, "status"),
    }


# The dashboard's charts ---------------------------------------------------------------------


@dataclass(frozen=True)
class WeekCount:
    week: dt.date  # the Monday the week starts on
    sessions: int


@dataclass(frozen=True)
class WaitBin:
    first_day: int
    last_day: int | None  # None: and longer
    mentorships: int


@dataclass(frozen=True)
class FirstSessionWait:
    """How long pairs took from the start of their mentorship to their first session."""

    bins: list[WaitBin]
    median_days: float | None
    not_met_yet: int  # active or paused pairs still waiting for their first session


@dataclass(frozen=True)
class ProgrammeCharts:
    sessions_per_week: list[WeekCount]  # oldest week first, the current week last
    first_session: FirstSessionWait
    # suggested → requested → accepted / declined / expired / withdrawn / waiting
    funnel: dict[str, int]
    decline_reasons: list[tuple[str, int]]  # the most given reasons, most given first
    other_decline_reasons: int  # declines whose reason is not among those
    introductions: dict[str, dict[str, int]]  # network group → connection type → count


def programme_charts(
    *, actor: User, slug: str, today: dt.date | None = None, weeks: int = 26
) -> ProgrammeCharts:
    """The numbers of the programme dashboard's charts (the cadence chart reads the cadence
    summary of `programme_cadence`)."""
    programme = coordinated_programme(actor, slug)
    today = today or timezone.localdate()
    reasons, others = _decline_reasons(programme)
    return ProgrammeCharts(
        sessions_per_week=_sessions_per_week(programme, today=today, weeks=weeks),
        first_session=_first_session_wait(programme),
        funnel=_funnel(programme),
        decline_reasons=reasons,
        other_decline_reasons=others,
        introductions=_introductions_matrix(programme),
    )


def _sessions_per_week(programme: Programme, *, today: dt.date, weeks: int) -> list[WeekCount]:
    this_monday = today - dt.timedelta(days=today.weekday())
    mondays = [this_monday - dt.timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    per_day = (
        Session.objects.filter(
            mentorship__programme=programme, date__gte=mondays[0], date__lte=today
        )
        .values("date")
        .annotate(n=Count("id"))
        .values_list("date", "n")
    )
    per_week: Counter[dt.date] = Counter()
    for day, n in per_day:
        per_week[day - dt.timedelta(days=day.weekday())] += n
    return [WeekCount(monday, per_week[monday]) for monday in mondays]


def _first_session_wait(programme: Programme) -> FirstSessionWait:
    mentorships = Mentorship.objects.filter(programme=programme).annotate(
        first_session=Min("sessions__date")
    )
    waits = [
        max((first - started).days, 0)
        for started, first in mentorships.filter(first_session__isnull=False).values_list(
            "started_on", "first_session"
        )
    ]
    bins = [
        WaitBin(low, high, sum(1 for w in waits if low <= w and (high is None or w <= high)))
        for low, high in FIRST_SESSION_BINS
    ]
    return FirstSessionWait(
        bins=bins,
        median_days=float(statistics.median(waits)) if waits else None,
        not_met_yet=mentorships.filter(
            first_session__isnull=True, status__in=SEAT_HOLDING_STATUSES
        ).count(),
    )


def _funnel(programme: Programme) -> dict[str, int]:
    """Every proposal that reached a person (a mentee's suggestion, or a published run's
    request), how many were sent to the mentor, and what became of those sent."""
    sent = Q(requested_at__isnull=False)
    counts = Proposal.objects.filter(programme=programme).aggregate(
        suggested=Count("id", filter=Q(match_request__isnull=False) | sent),
        requested=Count("id", filter=sent),
        accepted=Count("id", filter=sent & Q(status=ProposalStatus.ACCEPTED)),
        declined=Count("id", filter=sent & Q(status=ProposalStatus.DECLINED)),
        expired=Count("id", filter=sent & Q(status=ProposalStatus.EXPIRED)),
        withdrawn=Count("id", filter=sent & Q(status=ProposalStatus.WITHDRAWN)),
        waiting=Count("id", filter=sent & Q(status=ProposalStatus.REQUESTED)),
    )
    return {stage: int(n) for stage, n in counts.items()}


def _decline_reasons(programme: Programme) -> tuple[list[tuple[str, int]], int]:
    """The most given decline reasons with their counts, and how many declines gave another."""
    declined: QuerySet[Proposal] = Proposal.objects.filter(
        programme=programme, status=ProposalStatus.DECLINED
    )
    top = [
        (row["decline_reason"], row["n"])
        for row in declined.values("decline_reason")
        .annotate(n=Count("id"))
        .order_by("-n", "decline_reason")[:DECLINE_REASONS_SHOWN]
    ]
    return top, declined.count() - sum(n for _, n in top)


def _introductions_matrix(programme: Programme) -> dict[str, dict[str, int]]:
    matrix = {group: dict.fromkeys(ConnectionType.values, 0) for group in NetworkGroup.values}
    rows = (
        Introduction.objects.filter(mentorship__programme=programme)
        .values("network_group", "connection_type")
        .annotate(n=Count("id"))
    )
    for row in rows:
        matrix[row["network_group"]][row["connection_type"]] = row["n"]
    return matrix
