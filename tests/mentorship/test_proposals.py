"""The proposal lifecycle: suggested → requested → accepted | declined | expired | withdrawn,
or dismissed; the expiry sweep and its cascade to the mentee's next choice."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from mentorship import factories
from mentorship.errors import (
    CapacityReached,
    Conflict,
    InvalidTransition,
    PermissionDenied,
    ValidationFailed,
)
from mentorship.models import (
    AuditEvent,
    MatchRequest,
    Mentorship,
    MentorshipStatus,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services import proposals as services
from mentorship.services.proposals import MAX_PENDING_REQUESTS

pytestmark = pytest.mark.django_db

S = ProposalStatus
NOW = timezone.now


def proposal(programme: Programme, mentee: User, mentor: User, **fields: Any) -> Proposal:
    if fields.get("status") == S.DECLINED:
        fields.setdefault("decline_reason", "No time this quarter.")
    return factories.ProposalFactory.create(
        programme=programme, mentee=mentee, mentor=mentor, **fields
    )


def full(mentor: User, programme: Programme) -> None:
    """Fill every place of `mentor` with active mentorships."""
    for _ in range(mentor.profile.capacity):
        factories.MentorshipFactory.create(programme=programme, mentor=mentor)


def snapshot(p: Proposal) -> tuple[Any, ...]:
    p.refresh_from_db()
    return (p.status, p.requested_at, p.expires_at, p.responded_at, p.message, p.decline_reason)


@pytest.fixture
def suggestion(programme: Programme, mentee: User, mentor: User) -> Proposal:
    return proposal(programme, mentee, mentor)


@pytest.fixture
def request_(programme: Programme, mentee: User, mentor: User) -> Proposal:
    return proposal(programme, mentee, mentor, status=S.REQUESTED, message="Hello")


# Request ----------------------------------------------------------------------------------


def test_request_sends_the_suggestion_to_the_mentor_with_a_response_deadline(
    programme, mentee, mentor, suggestion, audit_of, after_commit
):
    programme.response_deadline_days = 10
    programme.save()
    before = NOW()

    with after_commit():
        services.request_proposal(
            actor=mentee, proposal=suggestion, message="  I'd value your PMO advice.  "
        )

    suggestion.refresh_from_db()
    assert suggestion.status == S.REQUESTED
    assert suggestion.message == "I'd value your PMO advice."
    assert before <= suggestion.requested_at <= NOW()
    assert suggestion.expires_at == suggestion.requested_at + dt.timedelta(days=10)
    [event] = audit_of(suggestion)
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        mentee,
        "request",
        S.SUGGESTED,
        S.REQUESTED,
    )
    assert event.programme_id == programme.pk
    [email] = mail.outbox
    assert email.to == [mentor.email]
    assert mentee.display_name in email.subject
    assert "I'd value your PMO advice." in email.body
    deadline = timezone.localtime(suggestion.expires_at, ZoneInfo(mentor.profile.timezone))
    assert f"{deadline.day} {deadline:%B %Y}, {deadline:%H:%M}" in email.body
    assert email.alternatives[0].mimetype == "text/html"  # type: ignore[attr-defined]
    assert "/inbox/" in email.body


@pytest.mark.parametrize("who", ["mentor", "peer_mentee", "coordinator", "outsider", "staff"])
def test_only_the_mentee_may_request_dismiss_or_withdraw_a_suggestion(
    request, suggestion, audit_of, after_commit, who
):
    actor = request.getfixturevalue(who)
    before = snapshot(suggestion)
    for action in (
        services.request_proposal,
        services.dismiss_proposal,
        services.withdraw_proposal,
    ):
        with after_commit(), pytest.raises(PermissionDenied):
            action(actor=actor, proposal=suggestion)

        assert snapshot(suggestion) == before
        assert audit_of(suggestion) == []
        assert mail.outbox == []


@pytest.mark.parametrize(
    "status", [S.DRAFT, S.REQUESTED, S.ACCEPTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN, S.DISMISSED]
)
def test_request_and_dismiss_refuse_a_proposal_that_is_no_longer_a_suggestion(
    programme, mentee, mentor, audit_of, status
):
    p = proposal(programme, mentee, mentor, status=status)
    before = snapshot(p)

    for action in (services.request_proposal, services.dismiss_proposal):
        with pytest.raises(InvalidTransition):
            action(actor=mentee, proposal=p)

        assert snapshot(p) == before
        assert audit_of(p) == []


def test_request_refuses_a_mentee_who_already_has_a_mentor(programme, mentee, suggestion):
    factories.MentorshipFactory.create(programme=programme, mentee=mentee)

    with pytest.raises(InvalidTransition):
        services.request_proposal(actor=mentee, proposal=suggestion)

    suggestion.refresh_from_db()
    assert suggestion.status == S.SUGGESTED


def test_a_mentee_may_wait_on_at_most_max_pending_requests(programme, mentee, audit_of):
    suggestions = [
        proposal(programme, mentee, factories.member(programme, Role.MENTOR))
        for _ in range(MAX_PENDING_REQUESTS + 1)
    ]
    # Requests pending in another programme do not count against this one.
    elsewhere = factories.ProgrammeFactory.create()
    proposal(elsewhere, mentee, factories.member(elsewhere, Role.MENTOR), status=S.REQUESTED)

    for p in suggestions[:MAX_PENDING_REQUESTS]:
        services.request_proposal(actor=mentee, proposal=p)

    with pytest.raises(Conflict):
        services.request_proposal(actor=mentee, proposal=suggestions[-1])
    assert snapshot(suggestions[-1])[0] == S.SUGGESTED
    assert audit_of(suggestions[-1]) == []
    pending = Proposal.objects.filter(programme=programme, mentee=mentee, status=S.REQUESTED)
    assert pending.count() == MAX_PENDING_REQUESTS


def test_request_refuses_asking_the_same_mentor_twice(programme, mentee, mentor, request_):
    # A second match request suggested the same mentor again.
    again = proposal(programme, mentee, mentor)

    with pytest.raises(Conflict):
        services.request_proposal(actor=mentee, proposal=again)

    assert snapshot(again)[0] == S.SUGGESTED


@pytest.mark.parametrize("why", ["full", "not_accepting"])
def test_request_refuses_a_mentor_with_no_free_place(
    programme, mentee, mentor, suggestion, audit_of, why
):
    if why == "full":
        full(mentor, programme)
    else:
        mentor.profile.accepting_mentees = False
        mentor.profile.save()

    with pytest.raises(CapacityReached):
        services.request_proposal(actor=mentee, proposal=suggestion)

    assert snapshot(suggestion)[0] == S.SUGGESTED
    assert audit_of(suggestion) == []


# Dismiss and withdraw ---------------------------------------------------------------------


def test_dismiss_sets_a_suggestion_aside(mentee, suggestion, audit_of):
    services.dismiss_proposal(actor=mentee, proposal=suggestion)

    suggestion.refresh_from_db()
    assert suggestion.status == S.DISMISSED
    assert suggestion.requested_at is None
    [event] = audit_of(suggestion)
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        mentee,
        "dismiss",
        S.SUGGESTED,
        S.DISMISSED,
    )


@pytest.mark.parametrize("status", [S.SUGGESTED, S.REQUESTED])
def test_the_mentee_withdraws_an_open_proposal(programme, mentee, mentor, audit_of, status):
    p = proposal(programme, mentee, mentor, status=status)

    services.withdraw_proposal(actor=mentee, proposal=p)

    p.refresh_from_db()
    assert p.status == S.WITHDRAWN
    [event] = audit_of(p)
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        mentee,
        "withdraw",
        status,
        S.WITHDRAWN,
    )


@pytest.mark.parametrize(
    "status", [S.DRAFT, S.ACCEPTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN, S.DISMISSED]
)
def test_withdraw_refuses_a_closed_proposal(programme, mentee, mentor, audit_of, status):
    p = proposal(programme, mentee, mentor, status=status)
    before = snapshot(p)

    with pytest.raises(InvalidTransition):
        services.withdraw_proposal(actor=mentee, proposal=p)

    assert snapshot(p) == before
    assert audit_of(p) == []


def test_withdrawing_a_request_frees_a_pending_slot(programme, mentee):
    requests = [
        proposal(programme, mentee, factories.member(programme, Role.MENTOR), status=S.REQUESTED)
        for _ in range(MAX_PENDING_REQUESTS)
    ]
    waiting = proposal(programme, mentee, factories.member(programme, Role.MENTOR))
    with pytest.raises(Conflict):
        services.request_proposal(actor=mentee, proposal=waiting)

    services.withdraw_proposal(actor=mentee, proposal=requests[0])
    services.request_proposal(actor=mentee, proposal=waiting)

    assert snapshot(waiting)[0] == S.REQUESTED


# Accept -----------------------------------------------------------------------------------


def test_accept_starts_a_mentorship_and_withdraws_the_mentees_other_open_proposals(
    programme, other_programme, mentee, peer_mentee, mentor, request_, audit_of, after_commit
):
    programme.default_cadence_days = 21
    programme.save()
    other_mentor = factories.member(programme, Role.MENTOR)
    third_mentor = factories.member(programme, Role.MENTOR)
    other_request = proposal(programme, mentee, other_mentor, status=S.REQUESTED)
    other_suggestion = proposal(programme, mentee, third_mentor)
    dismissed = proposal(programme, mentee, factories.member(programme, Role.MENTOR))
    dismissed.status = S.DISMISSED
    dismissed.save()
    # Not the mentee's, or not in this programme: untouched.
    peers = proposal(programme, peer_mentee, other_mentor, status=S.REQUESTED)
    factories.MembershipFactory.create(user=mentee, programme=other_programme, role=Role.MENTEE)
    elsewhere = proposal(
        other_programme, mentee, factories.member(other_programme, Role.MENTOR), status=S.REQUESTED
    )
    before = NOW()

    with after_commit():
        mentorship = services.accept_proposal(
            actor=mentor, proposal=request_, goals="  Move into PMO leadership. "
        )

    request_.refresh_from_db()
    assert request_.status == S.ACCEPTED
    assert before <= request_.responded_at <= NOW()
    mentorship.refresh_from_db()
    assert (mentorship.programme, mentorship.mentor, mentorship.mentee) == (
        programme,
        mentor,
        mentee,
    )
    assert mentorship.proposal == request_
    assert mentorship.status == MentorshipStatus.ACTIVE
    assert mentorship.cadence_days == 21
    assert mentorship.goals == "Move into PMO leadership."
    assert mentorship.started_on == timezone.localdate()
    [accepted] = audit_of(request_)
    assert (accepted.actor, accepted.action, accepted.from_state, accepted.to_state) == (
        mentor,
        "accept",
        S.REQUESTED,
        S.ACCEPTED,
    )
    [started] = audit_of(mentorship)
    assert (started.actor, started.action, started.to_state) == (mentor, "start", "active")
    for other, status in ((other_request, S.REQUESTED), (other_suggestion, S.SUGGESTED)):
        other.refresh_from_db()
        assert other.status == S.WITHDRAWN
        [event] = audit_of(other)
        assert (event.actor, event.action, event.from_state, event.to_state) == (
            None,
            "withdraw",
            status,
            S.WITHDRAWN,
        )
        assert event.data["accepted_proposal"] == request_.pk
    for untouched, status in ((dismissed, S.DISMISSED), (peers, S.REQUESTED)):
        untouched.refresh_from_db()
        assert untouched.status == status
    elsewhere.refresh_from_db()
    assert elsewhere.status == S.REQUESTED
    [email] = mail.outbox
    assert email.to == [mentee.email]
    assert "accepted" in email.subject


def test_accept_takes_the_cadence_the_mentor_asks_for(mentor, request_):
    mentorship = services.accept_proposal(actor=mentor, proposal=request_, cadence_days=30)

    assert mentorship.cadence_days == 30


@pytest.mark.parametrize(
    "who", ["mentee", "peer_mentee", "coordinator", "outsider", "other_coordinator", "staff"]
)
def test_only_the_mentor_may_accept_or_decline(request, request_, audit_of, after_commit, who):
    actor = request.getfixturevalue(who)
    before = snapshot(request_)

    with after_commit():
        with pytest.raises(PermissionDenied):
            services.accept_proposal(actor=actor, proposal=request_)
        with pytest.raises(PermissionDenied):
            services.decline_proposal(actor=actor, proposal=request_, reason="Busy.")

    assert snapshot(request_) == before
    assert audit_of(request_) == []
    assert not Mentorship.objects.exists()
    assert mail.outbox == []


def test_accepting_twice_is_refused(mentor, request_, audit_of):
    services.accept_proposal(actor=mentor, proposal=request_)

    with pytest.raises(InvalidTransition, match="already accepted"):
        services.accept_proposal(actor=mentor, proposal=request_)

    assert Mentorship.objects.count() == 1
    assert [e.action for e in audit_of(request_)] == ["accept"]


@pytest.mark.parametrize(
    "status", [S.DRAFT, S.SUGGESTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN, S.DISMISSED]
)
def test_accept_and_decline_refuse_a_proposal_that_is_not_a_pending_request(
    programme, mentee, mentor, audit_of, status
):
    p = proposal(programme, mentee, mentor, status=status)
    before = snapshot(p)

    with pytest.raises(InvalidTransition):
        services.accept_proposal(actor=mentor, proposal=p)
    with pytest.raises(InvalidTransition):
        services.decline_proposal(actor=mentor, proposal=p, reason="Busy.")

    assert snapshot(p) == before
    assert audit_of(p) == []
    assert not Mentorship.objects.exists()


@pytest.mark.parametrize(
    ("holding", "accepted"),
    [
        # (statuses of the mentor's existing mentorships, capacity 2) -> may accept?
        ([], True),
        ([MentorshipStatus.ACTIVE], True),
        ([MentorshipStatus.ACTIVE, MentorshipStatus.ACTIVE], False),
        ([MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED], False),
        ([MentorshipStatus.PAUSED, MentorshipStatus.PAUSED], False),
        ([MentorshipStatus.ACTIVE, MentorshipStatus.COMPLETED], True),
        ([MentorshipStatus.ENDED, MentorshipStatus.COMPLETED, MentorshipStatus.ACTIVE], True),
    ],
)
def test_accept_refuses_a_full_mentor(
    programme, mentor, request_, audit_of, after_commit, holding, accepted
):
    assert mentor.profile.capacity == 2
    for status in holding:
        closed = status in (MentorshipStatus.COMPLETED, MentorshipStatus.ENDED)
        factories.MentorshipFactory.create(
            programme=programme,
            mentor=mentor,
            status=status,
            ended_on=timezone.localdate() if closed else None,
            end_reason="Moved away." if status == MentorshipStatus.ENDED else "",
        )
    seats_before = Mentorship.objects.filter(mentor=mentor).holding_seats().count()

    with after_commit():
        if accepted:
            services.accept_proposal(actor=mentor, proposal=request_)
        else:
            with pytest.raises(CapacityReached):
                services.accept_proposal(actor=mentor, proposal=request_)

    # Invariant on every row: seats never exceed capacity, and the outcome shows everywhere.
    seats = Mentorship.objects.filter(mentor=mentor).holding_seats().count()
    assert seats <= mentor.profile.capacity
    assert seats == seats_before + accepted
    assert snapshot(request_)[0] == (S.ACCEPTED if accepted else S.REQUESTED)
    assert len(audit_of(request_)) == int(accepted)
    assert len(mail.outbox) == int(accepted)


def test_accept_refuses_a_mentee_who_found_another_mentor_meanwhile(
    programme, mentee, mentor, request_
):
    factories.MentorshipFactory.create(programme=programme, mentee=mentee)

    with pytest.raises(InvalidTransition):
        services.accept_proposal(actor=mentor, proposal=request_)

    assert snapshot(request_)[0] == S.REQUESTED
    assert not Mentorship.objects.filter(mentor=mentor).exists()


# Decline ----------------------------------------------------------------------------------


def test_decline_records_the_reason_and_tells_the_mentee(
    mentee, mentor, request_, audit_of, after_commit
):
    with after_commit():
        services.decline_proposal(
            actor=mentor, proposal=request_, reason="  Fully booked until June. "
        )

    request_.refresh_from_db()
    assert request_.status == S.DECLINED
    assert request_.decline_reason == "Fully booked until June."
    assert request_.responded_at is not None
    [event] = audit_of(request_)
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        mentor,
        "decline",
        S.REQUESTED,
        S.DECLINED,
    )
    [email] = mail.outbox
    assert email.to == [mentee.email]
    assert "Fully booked until June." in email.body
    assert not Mentorship.objects.exists()


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_decline_needs_a_reason(mentor, request_, audit_of, reason):
    with pytest.raises(ValidationFailed) as error:
        services.decline_proposal(actor=mentor, proposal=request_, reason=reason)

    assert "reason" in error.value.fields
    assert snapshot(request_)[0] == S.REQUESTED
    assert audit_of(request_) == []


def test_declining_twice_is_refused(mentor, request_, audit_of):
    services.decline_proposal(actor=mentor, proposal=request_, reason="Busy.")

    with pytest.raises(InvalidTransition, match="already declined"):
        services.decline_proposal(actor=mentor, proposal=request_, reason="Still busy.")

    request_.refresh_from_db()
    assert request_.decline_reason == "Busy."
    assert [e.action for e in audit_of(request_)] == ["decline"]


def test_an_accepted_request_cannot_be_declined_nor_a_declined_one_accepted(
    programme, mentee, peer_mentee, mentor, request_
):
    services.accept_proposal(actor=mentor, proposal=request_)
    with pytest.raises(InvalidTransition):
        services.decline_proposal(actor=mentor, proposal=request_, reason="Changed my mind.")

    other = proposal(programme, peer_mentee, mentor, status=S.REQUESTED)
    services.decline_proposal(actor=mentor, proposal=other, reason="Busy.")
    with pytest.raises(InvalidTransition):
        services.accept_proposal(actor=mentor, proposal=other)

    assert Mentorship.objects.filter(mentor=mentor).count() == 1


# Expiry -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "expires_in", "expires"),
    [
        (S.REQUESTED, dt.timedelta(days=-2), True),
        (S.REQUESTED, dt.timedelta(seconds=-1), True),
        (S.REQUESTED, dt.timedelta(0), True),  # the deadline is the last moment to answer
        (S.REQUESTED, dt.timedelta(seconds=1), False),
        (S.REQUESTED, dt.timedelta(days=3), False),
        (S.ACCEPTED, dt.timedelta(days=-2), False),
        (S.DECLINED, dt.timedelta(days=-2), False),
        (S.WITHDRAWN, dt.timedelta(days=-2), False),
    ],
)
def test_the_sweep_expires_only_unanswered_requests_past_their_deadline(
    programme, mentee, mentor, audit_of, after_commit, status, expires_in, expires
):
    now = NOW()
    p = proposal(
        programme,
        mentee,
        mentor,
        status=status,
        requested_at=now - dt.timedelta(days=8),
        expires_at=now + expires_in,
    )

    with after_commit():
        services.expire_overdue_proposals(now=now)

    p.refresh_from_db()
    assert p.status == (S.EXPIRED if expires else status)
    assert (p.responded_at == now) is expires
    events = audit_of(p)
    assert [(e.actor, e.action, e.to_state) for e in events] == (
        [(None, "expire", S.EXPIRED)] if expires else []
    )
    # Both sides are told: the mentee that the request expired, the mentor that it lapsed.
    assert sorted(m.to[0] for m in mail.outbox) == (
        sorted([mentee.email, mentor.email]) if expires else []
    )


def test_expire_proposal_leaves_a_request_whose_deadline_has_not_passed(request_):
    assert services.expire_proposal(proposal=request_) is None

    assert snapshot(request_)[0] == S.REQUESTED


@pytest.fixture
def shortlist(programme: Programme, mentee: User) -> list[Proposal]:
    """A match request with five ranked suggestions; rank 2 is requested and overdue."""
    match_request = MatchRequest.objects.create(programme=programme, mentee=mentee)
    ranked = [
        proposal(
            programme,
            mentee,
            factories.member(programme, Role.MENTOR, capacity=1),
            match_request=match_request,
            rank=rank,
        )
        for rank in range(1, 6)
    ]
    overdue = ranked[1]
    overdue.status = S.REQUESTED
    overdue.requested_at = NOW() - dt.timedelta(days=9)
    overdue.expires_at = NOW() - dt.timedelta(days=2)
    overdue.save()
    return ranked


def test_expiry_requests_the_next_ranked_suggestion_whose_mentor_has_room(
    programme, mentee, shortlist, audit_of, after_commit
):
    _first, overdue, full_mentor, dismissed, free = shortlist
    factories.MentorshipFactory.create(programme=programme, mentor=full_mentor.mentor)
    dismissed.status = S.DISMISSED
    dismissed.save()
    now = NOW()

    with after_commit():
        expired = services.expire_overdue_proposals(now=now)

    assert expired == 1
    statuses = [snapshot(p)[0] for p in shortlist]
    # rank 1 stays (the cascade only moves down the list), rank 3's mentor is full,
    # rank 4 was dismissed, rank 5 is asked.
    assert statuses == [S.SUGGESTED, S.EXPIRED, S.SUGGESTED, S.DISMISSED, S.REQUESTED]
    free.refresh_from_db()
    assert free.requested_at == now
    assert free.expires_at == now + dt.timedelta(days=programme.response_deadline_days)
    [event] = audit_of(free)
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        None,
        "request",
        S.SUGGESTED,
        S.REQUESTED,
    )
    assert [e.action for e in audit_of(overdue)] == ["expire"]
    told = {(m.to[0], m.subject) for m in mail.outbox}
    assert told == {
        (mentee.email, f"Your request to {overdue.mentor.display_name} expired"),
        (overdue.mentor.email, f"The request from {mentee.display_name} expired"),
        (free.mentor.email, f"{mentee.display_name} would like you as their mentor"),
    }
    expired_email = next(m for m in mail.outbox if m.to == [mentee.email])
    assert f"asked your next choice, {free.mentor.display_name}" in expired_email.body


def test_when_two_requests_expire_together_the_cascade_counts_from_the_first(
    programme, mentee, shortlist
):
    first, second, third, *_ = shortlist
    for asked in (first, third):
        asked.status = S.REQUESTED
        asked.requested_at = NOW() - dt.timedelta(days=9)
        asked.expires_at = NOW() - dt.timedelta(days=2)
        asked.save()
    second.status = S.SUGGESTED
    second.requested_at = second.expires_at = None
    second.save()

    assert services.expire_overdue_proposals(now=NOW()) == 2

    assert [snapshot(p)[0] for p in (first, second, third)] == [S.EXPIRED, S.REQUESTED, S.EXPIRED]


@pytest.mark.parametrize("situation", ["still_waiting", "has_mentor", "nobody_has_room"])
def test_expiry_does_not_cascade_when_there_is_no_one_to_ask(
    programme, mentee, shortlist, situation
):
    first, overdue, *below = shortlist
    if situation == "still_waiting":
        below[0].status = S.REQUESTED
        below[0].requested_at = NOW()
        below[0].expires_at = NOW() + dt.timedelta(days=5)
        below[0].save()
    elif situation == "has_mentor":
        factories.MentorshipFactory.create(programme=programme, mentee=mentee, mentor=first.mentor)
    else:
        for p in below:
            p.mentor.profile.accepting_mentees = False
            p.mentor.profile.save()
    before = [snapshot(p)[0] for p in below]

    assert services.expire_proposal(proposal=overdue) is None

    assert snapshot(overdue)[0] == S.EXPIRED
    assert [snapshot(p)[0] for p in below] == before


def test_expiry_cascade_skips_a_mentor_the_mentee_already_asked_in_another_request(
    programme, mentee, shortlist
):
    _, overdue, next_choice, *_ = shortlist
    # A later match request suggested rank 3's mentor again, and the mentee asked there.
    proposal(programme, mentee, next_choice.mentor, status=S.REQUESTED)

    successor = services.expire_proposal(proposal=overdue)

    assert successor == shortlist[3]
    assert snapshot(next_choice)[0] == S.SUGGESTED
    assert snapshot(shortlist[3])[0] == S.REQUESTED


def test_an_expired_request_can_no_longer_be_accepted(shortlist):
    overdue = shortlist[1]
    services.expire_proposal(proposal=overdue)

    with pytest.raises(InvalidTransition):
        services.accept_proposal(actor=overdue.mentor, proposal=overdue)

    assert not AuditEvent.objects.filter(action="accept").exists()
