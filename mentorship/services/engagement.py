"""The engagement timers (DESIGN.md, "Engagement: timers and notifications") and the
coordinators' manual nudge.

Every job is idempotent and safe to run in two workers at once: each event it acts on is handled
in its own transaction under the row lock of its object, re-checked there (no timer acts on an
answered request or a closed mentorship), and told through `notify()` with a key naming the event,
which the database lets exist once per recipient. Running a job twice sends one e-mail and makes
one transition. Celery beat runs them (mentorship/celery.py); `manage.py run_engagement` runs
them all once, for cron.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from mentorship.access import require_role
from mentorship.errors import Conflict, InvalidTransition
from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    Export,
    Introduction,
    IntroductionOutcome,
    Mentorship,
    MentorshipStatus,
    NetworkPlan,
    Notification,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.notifications import coordinators_of, notify, retry_pending_emails, the_pair
from mentorship.selectors.cadence import (
    Cadence,
    cadence_from_annotations,
    due_window,
    mentorship_cadence,
)
from mentorship.selectors.engagement import idle_since, with_idleness
from mentorship.selectors.network import summarise
from mentorship.services._common import record, set_status
from mentorship.services.exports import build_stale_exports
from mentorship.services.matching_runs import fail_stalled_matching_runs
from mentorship.services.proposals import expire_overdue_proposals

MAX_REMINDER_HOURS = 720  # the largest reminder a programme may set (its constraint)
FOLLOW_UP_CATCH_UP_DAYS = 7  # a follow-up date missed while the jobs were down, still reminded
EXPORT_KEEP_DAYS = 7  # exports hold personal data: deleted a week after they were made
DIGEST_CONTACTS = 7  # the most urgent contacts a weekly digest lists


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def _told(kind: str, obj: Any, key: str) -> bool:
    """Whether an event was already told (a cheap check before taking any lock)."""
    return Notification.objects.filter(
        kind=kind, object_type=obj._meta.model_name, object_id=obj.pk, key=key
    ).exists()


# Request reminders ------------------------------------------------------------------------


def reminder_due(proposal: Proposal, now: dt.datetime) -> int | None:
    """The reminder (in hours before the deadline) a waiting request should have had by `now`:
    the latest reminder point passed, if it fell after the request was sent. A job that was down
    sends the latest one only, never a stale one."""
    assert proposal.expires_at is not None
    assert proposal.requested_at is not None
    programme = proposal.programme
    for hours in sorted({programme.first_reminder_hours, programme.second_reminder_hours} - {0}):
        point = proposal.expires_at - dt.timedelta(hours=hours)
        if point <= now and point > proposal.requested_at:
            return hours
    return None


def remind_unanswered_requests(*, now: dt.datetime | None = None) -> int:
    """Remind mentors of requests waiting for their answer (48 h and 24 h before the deadline
    by default). Returns the reminders sent."""
    now = _now(now)
    waiting = Proposal.objects.filter(
        status=ProposalStatus.REQUESTED,
        expires_at__gt=now,
        expires_at__lte=now + dt.timedelta(hours=MAX_REMINDER_HOURS),
    ).select_related("programme")
    sent = 0
    for proposal in waiting.order_by("expires_at", "pk"):
        hours = reminder_due(proposal, now)
        if hours is None:
            continue
        key = f"proposal:{proposal.pk}:reminder:{hours}h:{proposal.expires_at:%Y%m%dT%H%M%S}"
        if not _told("request_reminder", proposal, key):
            sent += _remind(proposal.pk, hours=hours, key=key, now=now)
    return sent


def _remind(proposal_id: int, *, hours: int, key: str, now: dt.datetime) -> int:
    with transaction.atomic():
        proposal = (
            Proposal.objects.select_for_update(of=("self",))
            .select_related("programme", "mentor", "mentee")
            .filter(pk=proposal_id)
            .first()
        )
        if (
            proposal is None
            or proposal.status != ProposalStatus.REQUESTED
            or proposal.expires_at is None
            or proposal.expires_at <= now
            or reminder_due(proposal, now) != hours
        ):
            return 0  # answered, withdrawn or expired meanwhile
        made = notify(
            "request_reminder",
            recipients=[proposal.mentor],
            about=proposal,
            key=key,
            mentee=proposal.mentee.display_name,
            programme=proposal.programme.name,
            deadline=proposal.expires_at,
            hours=hours,
        )
        return len(made)


# Cadence nudges ---------------------------------------------------------------------------


def timing(cadence: Cadence, cadence_days: int, today: dt.date) -> str | None:
    """ "due" or "overdue" by the calendar (also for a pair that never met), else None."""
    if today > cadence.next_due:
        return "overdue"
    if (cadence.next_due - today).days <= due_window(cadence_days):
        return "due"
    return None


def _active(**filters: Any) -> QuerySet[Mentorship]:
    return Mentorship.objects.filter(status=MentorshipStatus.ACTIVE, **filters)


def nudge_cadence(*, now: dt.datetime | None = None) -> int:
    """Nudge both sides of every active pair whose next session became due, and again when it
    became overdue: once per state change (a new session moves the due date, re-arming both).
    Returns the pairs nudged. A pair idle long enough to be paused is left to the inactivity
    watch: it is told of the pause, not of an overdue session as well, whichever job runs first."""
    today = timezone.localdate(_now(now))
    nudged = 0
    for mentorship in with_idleness(_active(programme__cadence_nudges=True)).order_by("pk"):
        cadence = cadence_from_annotations(mentorship, today=today)
        state = timing(cadence, mentorship.cadence_days, today)
        if state is None or _due_for_pause(mentorship, today):
            continue
        key = f"mentorship:{mentorship.pk}:{state}:{cadence.next_due.isoformat()}"
        if not _told(f"cadence_{state}", mentorship, key):
            nudged += _nudge(mentorship.pk, state=state, key=key, today=today)
    return nudged


def _locked_mentorship(pk: int) -> Mentorship | None:
    return (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("programme", "mentor", "mentee")
        .filter(pk=pk)
        .first()
    )


def _nudge(pk: int, *, state: str, key: str, today: dt.date) -> int:
    with transaction.atomic():
        mentorship = _locked_mentorship(pk)
        if mentorship is None or mentorship.status != MentorshipStatus.ACTIVE:
            return 0
        cadence = mentorship_cadence(mentorship, today=today)
        if timing(cadence, mentorship.cadence_days, today) != state:
            return 0  # a session was logged meanwhile
        made = notify(
            f"cadence_{state}",
            recipients=the_pair(mentorship),
            about=mentorship,
            key=key,
            programme=mentorship.programme.name,
            due=cadence.next_due,
            cadence_days=mentorship.cadence_days,
            mentorship_id=mentorship.pk,
        )
        return int(bool(made))


# Long inactivity --------------------------------------------------------------------------


def _inactive(pk: int | None = None) -> QuerySet[Mentorship]:
    return with_idleness(_active() if pk is None else _active(pk=pk))


def watch_inactivity(*, now: dt.datetime | None = None) -> dict[str, int]:
    """After 60 days without a session (by default) warn the pair and the coordinators; after 90
    pause the mentorship and tell them. A warning falling at or after the pause is not sent.
    Returns the pairs warned and paused."""
    today = timezone.localdate(_now(now))
    done = {"warned": 0, "paused": 0}
    for mentorship in _inactive().order_by("pk"):
        step = _inactivity_step(mentorship, today)
        if step is None:
            continue
        stage, since = step
        key = f"mentorship:{mentorship.pk}:inactive:{since.isoformat()}:{stage}"
        kind = "inactivity_paused" if stage == "pause" else "inactivity_warning"
        if not _told(kind, mentorship, key):
            done["paused" if stage == "pause" else "warned"] += _act_on_inactivity(
                mentorship.pk, stage=stage, key=key, today=today
            )
    return done


def _inactivity_step(mentorship: Any, today: dt.date) -> tuple[str, dt.date] | None:
    programme = mentorship.programme
    since = idle_since(mentorship)
    idle = (today - since).days
    pause, warn = programme.inactivity_pause_days, programme.inactivity_warning_days
    if pause and idle >= pause:
        return "pause", since
    if warn and idle >= warn and (not pause or warn < pause):
        return "warning", since
    return None


def _due_for_pause(mentorship: Any, today: dt.date) -> bool:
    step = _inactivity_step(mentorship, today)
    return step is not None and step[0] == "pause"


def _act_on_inactivity(pk: int, *, stage: str, key: str, today: dt.date) -> int:
    with transaction.atomic():
        if _locked_mentorship(pk) is None:
            return 0
        mentorship = _inactive(pk).first()  # re-read under the lock, with its sessions
        if mentorship is None or _inactivity_step(mentorship, today) != (
            stage,
            idle_since(mentorship),
        ):
            return 0  # closed, paused or met meanwhile
        programme = mentorship.programme
        since = idle_since(mentorship)
        days = (today - since).days
        pause_on = (
            since + dt.timedelta(days=programme.inactivity_pause_days)
            if programme.inactivity_pause_days
            else None
        )
        if stage == "pause":
            set_status(
                mentorship,
                to=MentorshipStatus.PAUSED,
                actor=None,
                action="pause",
                because=f"no session for {days} days",
            )
        context: dict[str, Any] = {
            "programme": programme.name,
            "programme_slug": programme.slug,
            "mentorship_id": mentorship.pk,
            "days": days,
            "pause_on": pause_on,
            "mentor": mentorship.mentor.display_name,
            "mentee": mentorship.mentee.display_name,
            "paused": stage == "pause",
        }
        kind = "inactivity_paused" if stage == "pause" else "inactivity_warning"
        made = notify(kind, recipients=the_pair(mentorship), about=mentorship, key=key, **context)
        notify(
            "pair_inactive",
            recipients=coordinators_of(programme),
            about=mentorship,
            key=key,
            **context,
        )
        return int(bool(made))


# Introduction follow-ups ------------------------------------------------------------------


def remind_follow_ups(*, now: dt.datetime | None = None) -> int:
    """On an introduction's follow-up date, remind the mentee to record what happened (while
    the outcome is still pending and the mentorship open). Returns the reminders sent."""
    today = timezone.localdate(_now(now))
    due = Introduction.objects.filter(
        follow_up_on__lte=today,
        follow_up_on__gte=today - dt.timedelta(days=FOLLOW_UP_CATCH_UP_DAYS),
        outcome=IntroductionOutcome.PENDING,
        mentorship__status__in=SEAT_HOLDING_STATUSES,
        mentorship__programme__follow_up_reminders=True,
    )
    sent = 0
    for introduction in due.order_by("follow_up_on", "pk"):
        assert introduction.follow_up_on is not None
        key = f"introduction:{introduction.pk}:follow_up:{introduction.follow_up_on.isoformat()}"
        if not _told("follow_up_due", introduction, key):
            sent += _remind_follow_up(introduction.pk, key=key, today=today)
    return sent


def _remind_follow_up(pk: int, *, key: str, today: dt.date) -> int:
    with transaction.atomic():
        introduction = (
            Introduction.objects.select_for_update(of=("self",))
            .select_related("mentorship__programme", "mentorship__mentee", "introducer")
            .filter(pk=pk)
            .first()
        )
        if (
            introduction is None
            or introduction.outcome != IntroductionOutcome.PENDING
            or introduction.mentorship.status not in SEAT_HOLDING_STATUSES
            or introduction.follow_up_on is None
            or introduction.follow_up_on > today
            or not key.endswith(introduction.follow_up_on.isoformat())
        ):
            return 0
        mentorship = introduction.mentorship
        purpose = introduction.purpose
        made = notify(
            "follow_up_due",
            recipients=[mentorship.mentee],
            about=introduction,
            key=key,
            programme_id=mentorship.programme_id,
            programme=mentorship.programme.name,
            contact=introduction.contact_display,
            introducer=introduction.introducer.display_name
            if introduction.introducer
            else "Your mentor",
            purpose=(purpose if len(purpose) <= 160 else purpose[:157] + "…").rstrip("."),
            mentorship_id=mentorship.pk,
        )
        return len(made)


# The network plan's weekly digest ---------------------------------------------------------


def send_touchpoint_digests(*, now: dt.datetime | None = None) -> int:
    """Once per ISO week, tell each mentee which contacts of their network plan are due or
    overdue a touchpoint, most urgent first, each with a way to offer value. Returns the digests
    sent (running again in the same week sends none)."""
    today = timezone.localdate(_now(now))
    year, week, _ = today.isocalendar()
    plans = NetworkPlan.objects.filter(
        contacts__archived_at__isnull=True,
        owner__memberships__programme=F("programme"),
        owner__memberships__role=Role.MENTEE,
    ).distinct()
    sent = 0
    for plan in plans.select_related("owner", "programme").order_by("pk"):
        key = f"network_plan:{plan.pk}:digest:{year}-W{week:02d}"
        if _told("touchpoints_due", plan, key):
            continue
        due = summarise(plan, for_owner=True, today=today).attention
        if not due:
            continue
        with transaction.atomic():
            sent += len(
                notify(
                    "touchpoints_due",
                    recipients=[plan.owner],
                    about=plan,
                    key=key,
                    programme_id=plan.programme_id,
                    programme=plan.programme.name,
                    count=len(due),
                    contacts="\n".join(
                        f"- {row.contact.name} ({row.cadence.label})"
                        + (f": {row.idea}" if row.idea else "")
                        for row in due[:DIGEST_CONTACTS]
                    ),
                )
            )
    return sent


# The coordinators' nudge ------------------------------------------------------------------


@transaction.atomic
def nudge_pair(*, actor: User, mentorship: Mentorship) -> Mentorship:
    """A coordinator reminds an active pair to meet: at most once a day per pair."""
    require_role(actor, mentorship.programme, Role.COORDINATOR)
    locked = _locked_mentorship(mentorship.pk)
    assert locked is not None
    if locked.status != MentorshipStatus.ACTIVE:
        raise InvalidTransition(f"Only an active pair can be nudged; this one is {locked.status}.")
    today = timezone.localdate()
    key = f"mentorship:{locked.pk}:nudge:{today.isoformat()}"
    if _told("coordinator_nudge", locked, key):
        raise Conflict("This pair was already nudged today; you can nudge them again tomorrow.")
    cadence = mentorship_cadence(locked, today=today)
    notify(
        "coordinator_nudge",
        recipients=the_pair(locked),
        about=locked,
        key=key,
        coordinator=actor.display_name,
        programme=locked.programme.name,
        due=cadence.next_due,
        mentorship_id=locked.pk,
    )
    record(actor=actor, obj=locked, action="nudge", cadence=cadence.status)
    return locked


# Housekeeping and all jobs at once --------------------------------------------------------


def purge_old_exports(*, now: dt.datetime | None = None) -> int:
    """Exports hold personal data: deleted a week after they were made."""
    cutoff = _now(now) - dt.timedelta(days=EXPORT_KEEP_DAYS)
    deleted, _ = Export.objects.filter(created_at__lt=cutoff).delete()
    return deleted


#: Every periodic job, by the name the command prints and the Celery task runs.
JOBS: dict[str, Callable[..., Any]] = {
    "expired requests": expire_overdue_proposals,
    "request reminders": remind_unanswered_requests,
    # Inactivity before cadence: a pair paused for inactivity is not also told to meet.
    "inactivity": watch_inactivity,
    "cadence nudges": nudge_cadence,
    "follow-up reminders": remind_follow_ups,
    "touchpoint digests": send_touchpoint_digests,
    "e-mails retried": retry_pending_emails,
    "exports retried": build_stale_exports,
    "stalled matching runs failed": fail_stalled_matching_runs,
    "old exports deleted": purge_old_exports,
}


def run_engagement(*, now: dt.datetime | None = None) -> dict[str, Any]:
    """Every periodic job once, in order (the command for cron users)."""
    now = _now(now)
    return {name: job(now=now) for name, job in JOBS.items()}
