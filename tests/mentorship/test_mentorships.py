"""The mentorship lifecycle: active ⇄ paused → completed | ended (with a reason), and who may."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from mentorship import factories
from mentorship.errors import InvalidTransition, PermissionDenied, ValidationFailed
from mentorship.models import Mentorship, MentorshipStatus, Programme, User
from mentorship.services import mentorships as services

pytestmark = pytest.mark.django_db

M = MentorshipStatus


@pytest.fixture
def mentorship(programme: Programme, mentor: User, mentee: User) -> Mentorship:
    return factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)


def in_status(mentorship: Mentorship, status: str) -> Mentorship:
    closed = status in (M.COMPLETED, M.ENDED)
    Mentorship.objects.filter(pk=mentorship.pk).update(
        status=status,
        ended_on=timezone.localdate() if closed else None,
        end_reason="Relocated abroad." if status == M.ENDED else "",
    )
    mentorship.refresh_from_db()
    return mentorship


def end(actor: User, mentorship: Mentorship) -> Mentorship:
    return services.end_mentorship(actor=actor, mentorship=mentorship, reason="Changed jobs.")


ACTIONS: dict[str, Callable[..., Mentorship]] = {
    "pause": services.pause_mentorship,
    "resume": services.resume_mentorship,
    "complete": services.complete_mentorship,
    "end": lambda *, actor, mentorship: end(actor, mentorship),
}
# action -> {from status: to status}; every pair not listed is refused.
LEGAL: dict[str, dict[str, str]] = {
    "pause": {M.ACTIVE: M.PAUSED},
    "resume": {M.PAUSED: M.ACTIVE},
    "complete": {M.ACTIVE: M.COMPLETED, M.PAUSED: M.COMPLETED},
    "end": {M.ACTIVE: M.ENDED, M.PAUSED: M.ENDED},
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("status", M.values)
def test_each_transition_is_made_or_refused_by_the_lifecycle(
    mentorship, mentor, audit_of, action, status
):
    mentorship = in_status(mentorship, status)
    target = LEGAL[action].get(status)

    if target is None:
        with pytest.raises(InvalidTransition):
            ACTIONS[action](actor=mentor, mentorship=mentorship)
    else:
        ACTIONS[action](actor=mentor, mentorship=mentorship)

    # Invariant on every row: the row, its closing date and the audit trail agree.
    mentorship.refresh_from_db()
    assert mentorship.status == (target or status)
    assert (mentorship.ended_on is not None) == (mentorship.status in (M.COMPLETED, M.ENDED))
    events = audit_of(mentorship)
    if target is None:
        assert events == []
    else:
        [event] = events
        assert (event.actor, event.action, event.from_state, event.to_state) == (
            mentor,
            action,
            status,
            target,
        )
        assert event.programme_id == mentorship.programme_id


def test_ending_records_the_reason_and_the_date(mentorship, mentee, audit_of):
    services.end_mentorship(actor=mentee, mentorship=mentorship, reason="  Moved abroad. ")

    mentorship.refresh_from_db()
    assert mentorship.status == M.ENDED
    assert mentorship.end_reason == "Moved abroad."
    assert mentorship.ended_on == timezone.localdate()
    [event] = audit_of(mentorship)
    assert (event.action, event.to_state, event.actor) == ("end", M.ENDED, mentee)
    assert event.data == {}  # no free text in the append-only trail


def test_completing_needs_no_reason_and_frees_the_mentors_place(mentorship, mentor):
    services.complete_mentorship(actor=mentor, mentorship=mentorship)

    mentorship.refresh_from_db()
    assert mentorship.end_reason == ""
    assert not Mentorship.objects.filter(mentor=mentor).holding_seats().exists()


def test_a_mentorship_started_today_closes_no_earlier_than_it_started(programme):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    mentorship = factories.MentorshipFactory.create(programme=programme, started_on=tomorrow)

    services.complete_mentorship(actor=mentorship.mentor, mentorship=mentorship)

    mentorship.refresh_from_db()
    assert mentorship.ended_on == tomorrow


@pytest.mark.parametrize("reason", ["", "  ", None])
def test_ending_needs_a_reason(mentorship, mentor, audit_of, reason):
    with pytest.raises(ValidationFailed) as error:
        services.end_mentorship(actor=mentor, mentorship=mentorship, reason=reason)

    assert "reason" in error.value.fields
    mentorship.refresh_from_db()
    assert mentorship.status == M.ACTIVE
    assert audit_of(mentorship) == []


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("mentor", True),
        ("mentee", True),
        ("coordinator", True),
        ("peer_mentee", False),
        ("outsider", False),
        ("other_coordinator", False),
        ("staff", False),
    ],
)
@pytest.mark.parametrize("action", ACTIONS)
def test_the_pair_and_the_programmes_coordinators_may_move_a_mentorship(
    request, mentorship, audit_of, who, allowed, action
):
    actor = request.getfixturevalue(who)
    if action == "resume":
        mentorship = in_status(mentorship, M.PAUSED)
    before = mentorship.status

    if allowed:
        ACTIONS[action](actor=actor, mentorship=mentorship)
    else:
        with pytest.raises(PermissionDenied):
            ACTIONS[action](actor=actor, mentorship=mentorship)

    mentorship.refresh_from_db()
    assert (mentorship.status != before) is allowed
    assert [e.actor for e in audit_of(mentorship)] == ([actor] if allowed else [])


def test_update_changes_cadence_and_goals_and_records_what_changed(
    mentorship, coordinator, audit_of
):
    services.update_mentorship(
        actor=coordinator, mentorship=mentorship, cadence_days=21, goals=" Lead a PMO. "
    )

    mentorship.refresh_from_db()
    assert (mentorship.cadence_days, mentorship.goals) == (21, "Lead a PMO.")
    [event] = audit_of(mentorship)
    assert (event.actor, event.action, event.data) == (
        coordinator,
        "update",
        {"changed": ["cadence_days", "goals"]},
    )


def test_update_with_nothing_new_writes_no_audit_row(mentorship, mentor, audit_of):
    services.update_mentorship(actor=mentor, mentorship=mentorship, cadence_days=14)

    assert audit_of(mentorship) == []


@pytest.mark.parametrize("cadence_days", [0, 366])
def test_update_refuses_a_cadence_outside_a_day_and_a_year(
    mentorship, mentor, audit_of, cadence_days
):
    with pytest.raises(ValidationFailed):
        services.update_mentorship(actor=mentor, mentorship=mentorship, cadence_days=cadence_days)

    mentorship.refresh_from_db()
    assert mentorship.cadence_days == 14
    assert audit_of(mentorship) == []


@pytest.mark.parametrize("status", [M.COMPLETED, M.ENDED])
def test_a_closed_mentorship_cannot_be_changed(mentorship, mentor, status):
    mentorship = in_status(mentorship, status)

    with pytest.raises(InvalidTransition):
        services.update_mentorship(actor=mentor, mentorship=mentorship, goals="More.")


@pytest.mark.parametrize("who", ["peer_mentee", "outsider", "other_coordinator"])
def test_update_is_refused_to_anyone_outside_the_pair_and_coordinators(
    request, mentorship, audit_of, who
):
    actor: Any = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.update_mentorship(actor=actor, mentorship=mentorship, goals="Mine now.")

    mentorship.refresh_from_db()
    assert mentorship.goals == ""
    assert audit_of(mentorship) == []
