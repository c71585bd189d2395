"""Two workers running the engagement jobs at the same moment: real transactions, threads behind
a barrier, a controlled clock. Every event is told once and every transition made once.

They run on whichever database the suite runs on: SQLite by default, PostgreSQL in the CI leg
that sets DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator

import pytest
import time_machine
from django.core import mail

from mentorship import factories, notifications
from mentorship.errors import Conflict
from mentorship.models import (
    AuditEvent,
    EmailState,
    Membership,
    Mentorship,
    MentorshipStatus,
    Notification,
    Proposal,
    ProposalStatus,
    Role,
)
from mentorship.services import engagement
from tests.mentorship.test_concurrency import race

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
D0 = T0.date()
NOW = T0 + dt.timedelta(days=6, minutes=1)


@pytest.fixture
def at_now() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def build_world() -> dict[str, object]:
    """One event due for every timer at NOW."""
    programme = factories.ProgrammeFactory.create(slug="race")
    coordinator = factories.member(programme, Role.COORDINATOR, username="carol")
    mentor = factories.member(programme, Role.MENTOR, username="maria")
    mentee = factories.member(programme, Role.MENTEE, username="tom")
    lapsing = factories.member(programme, Role.MENTOR, username="lapsing")
    # A request waiting 24 hours before its deadline: the second reminder is due.
    waiting = factories.ProposalFactory.create(
        programme=programme,
        mentor=factories.member(programme, Role.MENTOR, username="busy"),
        status=ProposalStatus.REQUESTED,
        requested_at=T0,
        expires_at=T0 + dt.timedelta(days=7),
    )
    # Two requests to the same mentor past their deadlines: both expire, the mentor is paused.
    overdue = [
        factories.ProposalFactory.create(
            programme=programme,
            mentor=lapsing,
            status=ProposalStatus.REQUESTED,
            requested_at=T0 - dt.timedelta(days=days),
            expires_at=T0 + dt.timedelta(days=5 - i),
        )
        for i, days in enumerate((2, 1))
    ]
    # A pair whose session is overdue, with an introduction whose follow-up date is today.
    meeting = factories.MentorshipFactory.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        started_on=D0 - dt.timedelta(days=16),
        cadence_days=14,
    )
    factories.SessionFactory.create(mentorship=meeting, date=D0 - dt.timedelta(days=16))
    introduction = factories.IntroductionFactory.create(mentorship=meeting, follow_up_on=NOW.date())
    # A pair that has not met for 95 days: paused.
    idle = factories.MentorshipFactory.create(
        programme=programme, started_on=D0 - dt.timedelta(days=89), cadence_days=14
    )
    return {
        "coordinator": coordinator,
        "waiting": waiting,
        "overdue": overdue,
        "meeting": meeting,
        "introduction": introduction,
        "idle": idle,
        "lapsing": lapsing,
    }


def run_jobs() -> str:
    engagement.run_engagement()
    return "ran"


@pytest.mark.django_db(transaction=True)
def test_two_workers_running_every_job_at_once_tell_each_event_once(at_now) -> None:
    world = build_world()

    assert race([run_jobs, run_jobs]) == Counter({"ran": 2})

    kinds = Counter(Notification.objects.values_list("kind", flat=True))
    assert kinds == {
        "request_reminder": 1,
        "request_expired": 2,
        "request_lapsed": 2,
        "mentor_paused": 1,
        "mentor_paused_alert": 1,
        "cadence_overdue": 2,
        "follow_up_due": 1,
        "inactivity_paused": 2,
        "pair_inactive": 1,
    }
    assert len(mail.outbox) == sum(kinds.values())
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}
    # One transition each, with one audit event each.
    assert all(
        Proposal.objects.get(pk=p.pk).status == ProposalStatus.EXPIRED
        for p in world["overdue"]  # type: ignore[attr-defined]
    )
    assert AuditEvent.objects.filter(action="expire").count() == 2
    assert AuditEvent.objects.filter(action="pause_requests").count() == 1
    assert Membership.objects.filter(requests_paused_at__isnull=False).count() == 1
    idle = Mentorship.objects.get(pk=world["idle"].pk)  # type: ignore[attr-defined]
    assert idle.status == MentorshipStatus.PAUSED
    assert AuditEvent.objects.filter(action="pause", object_id=idle.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_delivering_one_notification_send_one_email() -> None:
    programme = factories.ProgrammeFactory.create(slug="race-mail")
    mentorship = factories.MentorshipFactory.create(programme=programme)
    [notification, _] = notifications.notify(
        "coordinator_nudge",
        recipients=notifications.the_pair(mentorship),
        about=mentorship,
        coordinator="Carol",
        programme=programme.name,
        due=D0,
        mentorship_id=mentorship.pk,
    )
    mail.outbox.clear()  # the on-commit delivery of the autocommitted rows already ran
    Notification.objects.update(email_state=EmailState.PENDING, emailed_at=None)

    outcomes = race([lambda: notifications.deliver(notification.pk)] * 4)

    assert outcomes == Counter({"sent": 1, "already sent": 3})
    assert [m.to for m in mail.outbox] == [[mentorship.mentor.email]]


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_nudging_at_once_nudge_the_pair_once(at_now) -> None:
    programme = factories.ProgrammeFactory.create(slug="race-nudge")
    coordinators = [factories.member(programme, Role.COORDINATOR) for _ in range(2)]
    mentorship = factories.MentorshipFactory.create(programme=programme)

    def nudge(coordinator_id: int) -> Callable[[], str]:
        def work() -> str:
            coordinator = Membership.objects.get(user_id=coordinator_id, role=Role.COORDINATOR)
            try:
                engagement.nudge_pair(actor=coordinator.user, mentorship=mentorship)
            except Conflict:
                return "already"
            return "nudged"

        return work

    assert race([nudge(c.pk) for c in coordinators]) == Counter({"nudged": 1, "already": 1})
    assert Notification.objects.filter(kind="coordinator_nudge").count() == 2  # the pair
    assert AuditEvent.objects.filter(action="nudge").count() == 1
