"""Every engagement timer on a controlled clock: each sends exactly the expected notifications and
e-mails, once, even when its job runs twice (the concurrent runs are in
test_engagement_concurrency.py)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from mentorship import factories, matching_adapter
from mentorship.errors import Conflict, InvalidTransition, NotFound, PermissionDenied
from mentorship.models import (
    AuditEvent,
    IntroductionOutcome,
    MatchRequest,
    Membership,
    Mentorship,
    MentorshipStatus,
    Notification,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services import engagement
from mentorship.services.availability import confirm_availability
from mentorship.services.mentorships import log_session, resume_mentorship
from mentorship.services.proposals import (
    decline_proposal,
    expire_overdue_proposals,
    request_proposal,
)

S = ProposalStatus
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)  # a Monday morning
D0 = T0.date()


@pytest.fixture
def clock() -> Iterator[Callable[[dt.datetime], None]]:
    """`clock(when)` moves time to `when` (and keeps it still) for the rest of the test."""
    traveller = time_machine.travel(T0, tick=False)
    shift = traveller.start()
    yield lambda when: shift.move_to(when)
    traveller.stop()


@pytest.fixture
def run_twice(
    after_commit: Callable[[], AbstractContextManager[Any]],
) -> Callable[[Callable[..., Any]], list[Any]]:
    """Run a job twice (e-mails sent after each commit) and return both outcomes."""

    def run(job: Callable[..., Any]) -> list[Any]:
        outcomes = []
        for _ in range(2):
            with after_commit():
                outcomes.append(job())
        return outcomes

    return run


def told(kind: str) -> Counter[str]:
    """Who got a notification of `kind`, by username."""
    return Counter(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def emailed() -> Counter[str]:
    return Counter(m.to[0].split("@")[0] for m in mail.outbox)


def requested(programme: Programme, mentee: User, mentor: User, **fields: Any) -> Proposal:
    """A request sent at T0, answerable for the programme's default 7 days."""
    fields.setdefault("expires_at", T0 + dt.timedelta(days=7))
    return factories.ProposalFactory.create(
        programme=programme,
        mentee=mentee,
        mentor=mentor,
        status=S.REQUESTED,
        requested_at=T0,
        **fields,
    )


# Request reminders ------------------------------------------------------------------------


def test_the_mentor_is_reminded_48_and_24_hours_before_the_deadline_once_each(
    programme, mentee, mentor, clock, run_twice
):
    proposal = requested(programme, mentee, mentor)

    clock(T0 + dt.timedelta(days=5, hours=-1))  # 49 hours before the deadline
    assert run_twice(engagement.remind_unanswered_requests) == [0, 0]
    clock(T0 + dt.timedelta(days=5, minutes=1))
    assert run_twice(engagement.remind_unanswered_requests) == [1, 0]
    clock(T0 + dt.timedelta(days=5, hours=12))
    assert run_twice(engagement.remind_unanswered_requests) == [0, 0]
    clock(T0 + dt.timedelta(days=6, minutes=1))
    assert run_twice(engagement.remind_unanswered_requests) == [1, 0]

    assert told("request_reminder") == {"maria": 2}
    assert emailed() == {"maria": 2}
    first, second = mail.outbox
    assert "expires in 48 hours" in first.body
    assert "expires in 24 hours" in second.body
    assert first.subject == f"Reminder: {mentee.display_name} is waiting for your answer"
    assert "/inbox/" in first.body
    keys = Notification.objects.filter(kind="request_reminder").values_list("key", flat=True)
    assert all(key.startswith(f"proposal:{proposal.pk}:reminder:") for key in keys)


def test_a_job_that_was_down_sends_only_the_latest_reminder(
    programme, mentee, mentor, clock, run_twice
):
    requested(programme, mentee, mentor)

    clock(T0 + dt.timedelta(days=6, hours=3))
    run_twice(engagement.remind_unanswered_requests)

    assert told("request_reminder") == {"maria": 1}
    assert "expires in 24 hours" in mail.outbox[0].body


@pytest.mark.parametrize(
    "status", [S.ACCEPTED, S.DECLINED, S.WITHDRAWN, S.EXPIRED, S.SUGGESTED, S.DISMISSED]
)
def test_no_reminder_for_a_request_that_is_not_waiting(
    programme, mentee, mentor, clock, run_twice, status
):
    proposal = requested(programme, mentee, mentor, decline_reason="Busy.")
    Proposal.objects.filter(pk=proposal.pk).update(status=status)

    clock(T0 + dt.timedelta(days=6, minutes=1))
    run_twice(engagement.remind_unanswered_requests)

    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_reminders_that_would_fall_before_the_request_was_sent_are_skipped(
    programme, mentee, mentor, clock, run_twice
):
    programme.response_deadline_days = 1
    programme.save()
    requested(programme, mentee, mentor, expires_at=T0 + dt.timedelta(days=1))

    for hours in (1, 12, 23):
        clock(T0 + dt.timedelta(hours=hours))
        run_twice(engagement.remind_unanswered_requests)

    assert not Notification.objects.exists()


def test_a_programme_can_change_or_turn_off_its_reminders(
    programme, mentee, mentor, clock, run_twice
):
    programme.first_reminder_hours, programme.second_reminder_hours = 0, 6
    programme.save()
    requested(programme, mentee, mentor)

    clock(T0 + dt.timedelta(days=5, hours=1))
    run_twice(engagement.remind_unanswered_requests)
    assert not Notification.objects.exists()
    clock(T0 + dt.timedelta(days=6, hours=18, minutes=1))
    run_twice(engagement.remind_unanswered_requests)
    assert told("request_reminder") == {"maria": 1}
    assert "expires in 6 hours" in mail.outbox[0].body


# Expiry and the cascade -------------------------------------------------------------------


@pytest.fixture
def shortlist(programme: Programme, mentee: User) -> list[Proposal]:
    """Three ranked suggestions of one match request; the first is requested at T0."""
    match_request = MatchRequest.objects.create(programme=programme, mentee=mentee)
    ranked = [
        factories.ProposalFactory.create(
            programme=programme,
            mentee=mentee,
            mentor=factories.member(programme, Role.MENTOR, username=f"mentor{rank}"),
            match_request=match_request,
            rank=rank,
        )
        for rank in (1, 2, 3)
    ]
    Proposal.objects.filter(pk=ranked[0].pk).update(
        status=S.REQUESTED, requested_at=T0, expires_at=T0 + dt.timedelta(days=7)
    )
    return ranked


def test_expiry_requests_the_next_choice_and_tells_everyone_once(
    programme, mentee, shortlist, clock, run_twice, audit_of
):
    first, second, _third = shortlist

    clock(T0 + dt.timedelta(days=7, minutes=-1))
    assert run_twice(expire_overdue_proposals) == [0, 0]
    clock(T0 + dt.timedelta(days=7, minutes=1))
    assert run_twice(expire_overdue_proposals) == [1, 0]

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.EXPIRED, S.REQUESTED)
    assert second.expires_at == T0 + dt.timedelta(days=14, minutes=1)
    assert [e.action for e in audit_of(first)] == ["expire"]
    assert [(e.actor, e.action) for e in audit_of(second)] == [(None, "request")]
    assert told("request_expired") == {"tom": 1}
    assert told("request_lapsed") == {"mentor1": 1}
    assert told("request_received") == {"mentor2": 1}
    assert emailed() == {"tom": 1, "mentor1": 1, "mentor2": 1}
    expired = next(m for m in mail.outbox if m.to == [mentee.email])
    assert "We have asked your next choice, " + second.mentor.display_name in expired.body
    assert "/requests/" in expired.body


# A mentor who lets requests expire in a row -----------------------------------------------


def expire_at(when: dt.datetime, proposal: Proposal) -> None:
    Proposal.objects.filter(pk=proposal.pk).update(expires_at=when)


def test_a_mentor_whose_requests_expire_twice_in_a_row_is_paused_until_they_confirm(
    programme, coordinator, mentor, mentee, peer_mentee, clock, run_twice, audit_of
):
    first = requested(programme, mentee, mentor)
    second = requested(programme, peer_mentee, mentor)
    expire_at(T0 + dt.timedelta(days=2), second)
    membership = Membership.objects.get(user=mentor, programme=programme, role=Role.MENTOR)

    clock(T0 + dt.timedelta(days=3))
    run_twice(expire_overdue_proposals)
    membership.refresh_from_db()
    assert membership.requests_paused_at is None  # one expiry is not a row
    clock(T0 + dt.timedelta(days=8))
    run_twice(expire_overdue_proposals)

    membership.refresh_from_db()
    assert membership.requests_paused_at == T0 + dt.timedelta(days=8)
    [event] = audit_of(membership)
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        None,
        "pause_requests",
        "available",
        "paused",
    )
    assert told("mentor_paused") == {"maria": 1}
    assert told("mentor_paused_alert") == {"carol": 1}
    paused_mail = next(m for m in mail.outbox if m.subject.startswith("You are paused"))
    assert "/mentor/availability/" in paused_mail.body
    alert = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert alert.subject == f"{mentor.display_name} is paused from new requests"

    # Paused: the matcher does not propose them, and mentees cannot ask them.
    excluded = matching_adapter.exclusions_for(programme, [mentee.pk])
    assert matching_adapter.person_id(mentor.pk) in excluded[mentee.pk]
    newcomer = factories.member(programme, Role.MENTEE)
    suggestion = factories.ProposalFactory.create(
        programme=programme, mentee=newcomer, mentor=mentor
    )
    with pytest.raises(Conflict, match="not taking new requests"):
        request_proposal(actor=newcomer, proposal=suggestion)

    confirm_availability(actor=mentor, programme=programme)
    membership.refresh_from_db()
    assert membership.requests_paused_at is None
    assert membership.available_since == T0 + dt.timedelta(days=8)
    assert [e.action for e in audit_of(membership)] == ["pause_requests", "confirm_available"]
    with pytest.raises(InvalidTransition, match="already available"):
        confirm_availability(actor=mentor, programme=programme)
    request_proposal(actor=newcomer, proposal=suggestion)
    assert Proposal.objects.get(pk=first.pk).status == S.EXPIRED


def test_after_confirming_the_count_starts_again(
    programme, mentor, mentee, peer_mentee, clock, run_twice
):
    Membership.objects.filter(user=mentor, role=Role.MENTOR).update(
        available_since=T0 - dt.timedelta(days=1)
    )
    # Expired before the mentor confirmed: does not count.
    old = requested(programme, peer_mentee, mentor)
    Proposal.objects.filter(pk=old.pk).update(
        status=S.EXPIRED, responded_at=T0 - dt.timedelta(days=2)
    )
    requested(programme, mentee, mentor)

    clock(T0 + dt.timedelta(days=8))
    run_twice(expire_overdue_proposals)

    assert not Membership.objects.filter(requests_paused_at__isnull=False).exists()
    assert told("mentor_paused") == {}


def test_an_answer_between_two_expiries_breaks_the_row(
    programme, mentor, mentee, peer_mentee, clock, run_twice
):
    first = requested(programme, mentee, mentor)
    expire_at(T0 + dt.timedelta(days=1), first)
    answered = requested(programme, peer_mentee, mentor)
    third = requested(programme, factories.member(programme, Role.MENTEE), mentor)

    clock(T0 + dt.timedelta(days=2))
    run_twice(expire_overdue_proposals)
    decline_proposal(actor=mentor, proposal=answered, reason="Not my field.")
    clock(T0 + dt.timedelta(days=8))
    run_twice(expire_overdue_proposals)

    assert Proposal.objects.get(pk=third.pk).status == S.EXPIRED
    assert not Membership.objects.filter(requests_paused_at__isnull=False).exists()


def test_a_programme_can_turn_pausing_off(programme, mentor, mentee, peer_mentee, clock, run_twice):
    programme.expiries_before_pause = 0
    programme.save()
    requested(programme, mentee, mentor)
    requested(programme, peer_mentee, mentor)

    clock(T0 + dt.timedelta(days=8))
    run_twice(expire_overdue_proposals)

    assert not Membership.objects.filter(requests_paused_at__isnull=False).exists()


def test_only_a_mentor_of_the_programme_confirms_availability(programme, mentee, outsider):
    with pytest.raises(PermissionDenied):
        confirm_availability(actor=mentee, programme=programme)
    with pytest.raises(NotFound):
        confirm_availability(actor=outsider, programme=programme)


# Cadence nudges ---------------------------------------------------------------------------


@pytest.fixture
def pair(programme: Programme, mentor: User, mentee: User) -> Mentorship:
    """Active since D0, every 14 days, met on D0: due from D0+12, overdue after D0+14."""
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee, started_on=D0, cadence_days=14
    )
    factories.SessionFactory.create(mentorship=mentorship, date=D0)
    return mentorship


def at_day(clock: Callable[[dt.datetime], None], day: int) -> None:
    clock(T0 + dt.timedelta(days=day))


def test_the_pair_is_nudged_when_due_and_again_when_overdue_once_per_state(
    pair, clock, run_twice, mentor, mentee
):
    for day, expected in ((11, [0, 0]), (12, [1, 0]), (13, [0, 0]), (14, [0, 0]), (15, [1, 0])):
        at_day(clock, day)
        assert run_twice(engagement.nudge_cadence) == expected, day
    at_day(clock, 20)
    assert run_twice(engagement.nudge_cadence) == [0, 0]

    assert told("cadence_due") == {"maria": 1, "tom": 1}
    assert told("cadence_overdue") == {"maria": 1, "tom": 1}
    assert emailed() == {"maria": 2, "tom": 2}
    to_mentee = next(m for m in mail.outbox if m.to == [mentee.email])
    assert to_mentee.subject == f"Your next session with {mentor.display_name} is due"
    assert f"/mentorships/{pair.pk}/" in to_mentee.body


def test_a_new_session_re_arms_the_nudges(pair, clock, run_twice, mentor):
    at_day(clock, 15)
    run_twice(engagement.nudge_cadence)
    at_day(clock, 16)
    log_session(
        actor=mentor,
        mentorship=pair,
        date=D0 + dt.timedelta(days=16),
        duration_minutes=30,
        format="video",
    )
    for day in (17, 27):
        at_day(clock, day)
        run_twice(engagement.nudge_cadence)
    at_day(clock, 28)
    assert run_twice(engagement.nudge_cadence) == [1, 0]

    assert told("cadence_overdue") == {"maria": 1, "tom": 1}
    assert told("cadence_due") == {"maria": 1, "tom": 1}


def test_a_pair_that_never_met_is_nudged_by_the_calendar(programme, clock, run_twice):
    factories.MentorshipFactory.create(programme=programme, started_on=D0, cadence_days=14)

    at_day(clock, 15)
    run_twice(engagement.nudge_cadence)

    assert sum(told("cadence_overdue").values()) == 2
    assert told("cadence_due") == {}


@pytest.mark.parametrize("inactivity_first", [True, False])
def test_a_pair_idle_past_the_pause_is_told_of_the_pause_only(
    programme, clock, run_twice, inactivity_first
):
    factories.MentorshipFactory.create(programme=programme, started_on=D0, cadence_days=14)
    jobs = [engagement.watch_inactivity, engagement.nudge_cadence]

    at_day(clock, 95)  # no job ran meanwhile: the pair never met and is due for the pause
    for job in jobs if inactivity_first else reversed(jobs):
        run_twice(job)

    assert sum(told("inactivity_paused").values()) == 2
    assert told("cadence_overdue") == {}


def test_a_pair_idle_short_of_the_pause_is_still_nudged(programme, clock, run_twice):
    factories.MentorshipFactory.create(programme=programme, started_on=D0, cadence_days=14)

    at_day(clock, 89)
    run_twice(engagement.nudge_cadence)

    assert sum(told("cadence_overdue").values()) == 2


@pytest.mark.parametrize("status", [MentorshipStatus.PAUSED, "completed", "ended"])
def test_no_nudge_for_a_paused_or_closed_mentorship(pair, clock, run_twice, status):
    closed = status in ("completed", "ended")
    Mentorship.objects.filter(pk=pair.pk).update(
        status=status, ended_on=D0 if closed else None, end_reason="Moved." if closed else ""
    )

    at_day(clock, 15)
    run_twice(engagement.nudge_cadence)

    assert not Notification.objects.exists()


def test_a_programme_can_turn_cadence_nudges_off(programme, pair, clock, run_twice):
    programme.cadence_nudges = False
    programme.save()

    at_day(clock, 15)
    run_twice(engagement.nudge_cadence)

    assert not Notification.objects.exists()


# Long inactivity: the 60-day warning and the 90-day pause ----------------------------------


def test_after_60_days_the_pair_and_coordinators_are_warned_once(
    pair, coordinator, clock, run_twice
):
    at_day(clock, 59)
    assert run_twice(engagement.watch_inactivity)[0] == {"warned": 0, "paused": 0}
    at_day(clock, 60)
    assert run_twice(engagement.watch_inactivity) == [
        {"warned": 1, "paused": 0},
        {"warned": 0, "paused": 0},
    ]
    at_day(clock, 75)
    run_twice(engagement.watch_inactivity)

    assert told("inactivity_warning") == {"maria": 1, "tom": 1}
    assert told("pair_inactive") == {"carol": 1}
    assert emailed() == {"maria": 1, "tom": 1, "carol": 1}
    warning = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert "will be paused on Sunday 31 May 2026" in warning.body
    assert "/programmes/pmo-network/" in warning.body
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE


def test_after_90_days_the_mentorship_is_paused_and_the_coordinators_told(
    pair, coordinator, clock, run_twice, audit_of
):
    at_day(clock, 60)
    run_twice(engagement.watch_inactivity)
    at_day(clock, 90)
    assert run_twice(engagement.watch_inactivity) == [
        {"warned": 0, "paused": 1},
        {"warned": 0, "paused": 0},
    ]

    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.PAUSED
    [event] = [e for e in audit_of(pair) if e.action == "pause"]
    assert (event.actor, event.from_state, event.to_state) == (None, "active", "paused")
    assert event.data["because"] == "no session for 90 days"
    assert told("inactivity_paused") == {"maria": 1, "tom": 1}
    assert told("pair_inactive") == {"carol": 2}  # the warning, then the pause
    assert emailed() == {"maria": 2, "tom": 2, "carol": 2}
    assert "The mentorship is now paused." in mail.outbox[-1].body


def test_a_job_that_was_down_pauses_without_a_stale_warning(pair, clock, run_twice):
    at_day(clock, 95)
    run_twice(engagement.watch_inactivity)

    assert told("inactivity_warning") == {}
    assert told("inactivity_paused") == {"maria": 1, "tom": 1}


def test_a_resumed_pair_gets_a_fresh_start(pair, mentor, clock, run_twice):
    at_day(clock, 90)
    run_twice(engagement.watch_inactivity)
    at_day(clock, 100)
    resume_mentorship(actor=mentor, mentorship=pair)

    for day in (101, 159):
        at_day(clock, day)
        run_twice(engagement.watch_inactivity)
    assert told("inactivity_warning") == {}
    at_day(clock, 160)
    assert run_twice(engagement.watch_inactivity)[0] == {"warned": 1, "paused": 0}
    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE


def test_a_session_resets_the_inactivity_clock(pair, mentee, clock, run_twice):
    at_day(clock, 59)
    log_session(
        actor=mentee,
        mentorship=pair,
        date=D0 + dt.timedelta(days=58),
        duration_minutes=30,
        format="phone",
    )
    at_day(clock, 90)
    run_twice(engagement.watch_inactivity)

    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE
    kinds = ("inactivity_warning", "inactivity_paused", "pair_inactive")
    assert not Notification.objects.filter(kind__in=kinds).exists()


@pytest.mark.parametrize("status", ["completed", "ended", MentorshipStatus.PAUSED])
def test_inactivity_never_acts_on_a_closed_or_paused_mentorship(pair, clock, run_twice, status):
    closed = status in ("completed", "ended")
    Mentorship.objects.filter(pk=pair.pk).update(
        status=status, ended_on=D0 if closed else None, end_reason="Moved." if closed else ""
    )

    at_day(clock, 120)
    run_twice(engagement.watch_inactivity)

    pair.refresh_from_db()
    assert pair.status == status
    assert not Notification.objects.exists()


def test_a_programme_sets_its_own_inactivity_periods(programme, pair, clock, run_twice):
    programme.inactivity_warning_days, programme.inactivity_pause_days = 30, 0
    programme.save()

    at_day(clock, 30)
    run_twice(engagement.watch_inactivity)
    at_day(clock, 200)
    run_twice(engagement.watch_inactivity)

    pair.refresh_from_db()
    assert pair.status == MentorshipStatus.ACTIVE
    assert told("inactivity_warning") == {"maria": 1, "tom": 1}
    assert "paused" not in mail.outbox[0].body


# Introduction follow-ups ------------------------------------------------------------------


@pytest.fixture
def introduction(pair: Mentorship) -> Any:
    return factories.IntroductionFactory.create(
        mentorship=pair, contact_name="Kim Lee", follow_up_on=D0 + dt.timedelta(days=5)
    )


def test_the_mentee_is_reminded_on_the_follow_up_date_once(introduction, mentee, clock, run_twice):
    at_day(clock, 4)
    assert run_twice(engagement.remind_follow_ups) == [0, 0]
    at_day(clock, 5)
    assert run_twice(engagement.remind_follow_ups) == [1, 0]
    at_day(clock, 6)
    assert run_twice(engagement.remind_follow_ups) == [0, 0]

    assert told("follow_up_due") == {"tom": 1}
    [email] = mail.outbox
    assert email.to == [mentee.email]
    assert email.subject == "How did your introduction to Kim Lee go?"


def test_moving_the_follow_up_date_re_arms_the_reminder(introduction, clock, run_twice):
    at_day(clock, 5)
    run_twice(engagement.remind_follow_ups)
    introduction.follow_up_on = D0 + dt.timedelta(days=9)
    introduction.save()
    at_day(clock, 9)
    assert run_twice(engagement.remind_follow_ups) == [1, 0]


@pytest.mark.parametrize("change", ["outcome", "closed", "turned_off", "long_ago"])
def test_no_follow_up_reminder_once_answered_closed_turned_off_or_long_past(
    programme, introduction, pair, clock, run_twice, change
):
    if change == "outcome":
        introduction.outcome = IntroductionOutcome.MET
        introduction.save()
    elif change == "closed":
        Mentorship.objects.filter(pk=pair.pk).update(status="completed", ended_on=D0)
    elif change == "turned_off":
        programme.follow_up_reminders = False
        programme.save()
    at_day(clock, 5 + (30 if change == "long_ago" else 0))
    run_twice(engagement.remind_follow_ups)

    assert not Notification.objects.exists()


# The coordinators' nudge ------------------------------------------------------------------


def test_a_coordinator_nudges_a_pair_at_most_once_a_day(
    pair, coordinator, mentor, mentee, clock, after_commit, audit_of
):
    at_day(clock, 20)
    with after_commit():
        engagement.nudge_pair(actor=coordinator, mentorship=pair)
    with pytest.raises(Conflict, match="already nudged today"):
        engagement.nudge_pair(actor=coordinator, mentorship=pair)
    at_day(clock, 21)
    with after_commit():
        engagement.nudge_pair(actor=coordinator, mentorship=pair)

    assert told("coordinator_nudge") == {"maria": 2, "tom": 2}
    assert emailed() == {"maria": 2, "tom": 2}
    assert mail.outbox[0].subject.startswith(f"A nudge from {coordinator.display_name}")
    nudges = [e for e in audit_of(pair) if e.action == "nudge"]
    assert [(e.actor, e.data["cadence"]) for e in nudges] == [(coordinator, "overdue")] * 2


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("mentor", PermissionDenied),
        ("mentee", PermissionDenied),
        ("peer_mentee", PermissionDenied),
        ("other_coordinator", NotFound),
    ],
)
def test_only_a_coordinator_of_the_programme_nudges(request, pair, who, error):
    with pytest.raises(error):
        engagement.nudge_pair(actor=request.getfixturevalue(who), mentorship=pair)
    assert not Notification.objects.exists()
    assert not AuditEvent.objects.filter(action="nudge").exists()


def test_a_paused_pair_is_not_nudged(pair, coordinator):
    Mentorship.objects.filter(pk=pair.pk).update(status=MentorshipStatus.PAUSED)

    with pytest.raises(InvalidTransition, match="paused"):
        engagement.nudge_pair(actor=coordinator, mentorship=pair)


# Everything at once -----------------------------------------------------------------------


def test_run_engagement_runs_every_job_once_and_changes_nothing_the_second_time(
    programme, pair, introduction, shortlist, clock, run_twice
):
    at_day(clock, 95)
    first, second = run_twice(engagement.run_engagement)

    assert first == {
        "expired requests": 1,
        "request reminders": 0,
        "inactivity": {"warned": 0, "paused": 1},
        "cadence nudges": 0,  # paused for inactivity just before: no nudge to meet as well
        "follow-up reminders": 0,  # 90 days after the follow-up date: too long ago
        "touchpoint digests": 0,  # nobody keeps a network plan here
        "e-mails retried": 0,
        "exports retried": 0,
        "stalled matching runs failed": 0,
        "old exports deleted": 0,
    }
    assert second == dict.fromkeys(first, 0) | {"inactivity": {"warned": 0, "paused": 0}}
    assert timezone.now() == T0 + dt.timedelta(days=95)
