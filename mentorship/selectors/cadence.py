"""Cadence: is each pair meeting, and each network contact touched, as often as meant to?

One rule for both (`cadence_of`). For a target interval `cadence_days`, counting from the last
meeting (a session of a mentorship, a touchpoint with a contact) or from the start when there
was none yet:

- `never_met`: nothing logged yet;
- `overdue`: the next meeting's due date has passed;
- `due`: the next meeting falls due within the due window (a fifth of the interval, at least
  two days);
- `on_track`: otherwise.

The first meeting is due one interval after the start, unless a first due date is set (a
contact introduced by a mentor is due on the introduction's follow-up date).

Paused mentorships have no cadence expectation; they are counted apart in the summary.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from mentorship.models import Mentorship, MentorshipStatus, Programme, Session, User
from mentorship.selectors.programmes import coordinated_programme

STATUSES = ("on_track", "due", "overdue", "never_met")


@dataclass(frozen=True)
class Cadence:
    sessions_held: int
    last_session: dt.date | None
    days_since: int
    next_due: dt.date
    status: str

    @property
    def label(self) -> str:
        return self.status.replace("_", " ")


@dataclass(frozen=True)
class CadenceRow:
    mentorship: Mentorship
    cadence: Cadence


@dataclass(frozen=True)
class CadenceSummary:
    active: int
    paused: int
    on_track: int
    due: int
    overdue: int
    never_met: int
    sessions_last_30_days: int
    median_days_since: float | None

    @property
    def on_track_rate(self) -> float | None:
        return round(self.on_track / self.active, 3) if self.active else None


def due_window(cadence_days: int) -> int:
    return max(2, cadence_days // 5)


def cadence_of(
    *,
    cadence_days: int,
    started_on: dt.date,
    sessions_held: int,
    last_session: dt.date | None,
    today: dt.date,
    first_due: dt.date | None = None,
) -> Cadence:
    """The cadence of anything met at intervals: a mentorship's sessions (`sessions_held`,
    `last_session`) or a network contact's touchpoints (their count and latest date)."""
    anchor = last_session or started_on
    days_since = max((today - anchor).days, 0)
    if last_session is None and first_due is not None:
        next_due = first_due
    else:
        next_due = anchor + dt.timedelta(days=cadence_days)
    if sessions_held == 0:
        status = "never_met"
    elif today > next_due:
        status = "overdue"
    elif (next_due - today).days <= due_window(cadence_days):
        status = "due"
    else:
        status = "on_track"
    return Cadence(sessions_held, last_session, days_since, next_due, status)


def with_session_counts(mentorships: QuerySet[Mentorship]) -> QuerySet[Mentorship]:
    """Annotate `sessions_held` and `last_session`, the inputs of `cadence_of`, in one query.

    Correlated subqueries rather than a join with GROUP BY: a page of 20 rows costs 20 lookups
    on the session index, its count needs no join, and the database never aggregates the
    sessions of pairs the page does not show."""
    own = Session.objects.filter(mentorship=OuterRef("pk")).order_by().values("mentorship")
    return mentorships.annotate(
        sessions_held=Coalesce(
            Subquery(own.annotate(n=Count("id")).values("n"), output_field=IntegerField()), 0
        ),
        last_session=Subquery(own.annotate(last=Max("date")).values("last")),
    )


def cadence_from_annotations(mentorship: Any, *, today: dt.date) -> Cadence:
    """Cadence of a mentorship loaded through `with_session_counts`."""
    return cadence_of(
        cadence_days=mentorship.cadence_days,
        started_on=mentorship.started_on,
        sessions_held=mentorship.sessions_held,
        last_session=mentorship.last_session,
        today=today,
    )


def mentorship_cadence(mentorship: Mentorship, *, today: dt.date | None = None) -> Cadence:
    """Cadence of one mentorship (the pair's own view)."""
    stats = Session.objects.filter(mentorship=mentorship).aggregate(n=Count("id"), last=Max("date"))
    return cadence_of(
        cadence_days=mentorship.cadence_days,
        started_on=mentorship.started_on,
        sessions_held=stats["n"],
        last_session=stats["last"],
        today=today or timezone.localdate(),
    )


def programme_cadence(
    *,
    actor: User,
    slug: str,
    today: dt.date | None = None,
    status: str | None = None,
    mentor_id: int | None = None,
) -> tuple[Programme, list[CadenceRow], CadenceSummary]:
    """Every active mentorship of a programme the actor coordinates, most urgent first.

    `status` and `mentor_id` filter the rows; the summary always covers the whole programme."""
    programme = coordinated_programme(actor, slug)
    today = today or timezone.localdate()
    active = with_session_counts(
        Mentorship.objects.filter(programme=programme, status=MentorshipStatus.ACTIVE)
    ).select_related("mentor", "mentee")
    rows = [CadenceRow(m, cadence_from_annotations(m, today=today)) for m in active]
    urgency = {"overdue": 0, "never_met": 1, "due": 2, "on_track": 3}
    rows.sort(key=lambda r: (urgency[r.cadence.status], r.cadence.next_due, r.mentorship.pk))
    counts = {s: sum(1 for r in rows if r.cadence.status == s) for s in STATUSES}
    met = [r.cadence.days_since for r in rows if r.cadence.last_session is not None]
    summary = CadenceSummary(
        active=len(rows),
        paused=Mentorship.objects.filter(
            programme=programme, status=MentorshipStatus.PAUSED
        ).count(),
        sessions_last_30_days=Session.objects.filter(
            mentorship__programme=programme, date__gt=today - dt.timedelta(days=30)
        ).count(),
        median_days_since=float(statistics.median(met)) if met else None,
        **counts,
    )
    if status:
        rows = [r for r in rows if r.cadence.status == status]
    if mentor_id is not None:
        rows = [r for r in rows if r.mentorship.mentor_id == mentor_id]
    return programme, rows, summary
