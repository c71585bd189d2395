"""Sessions (each side's private notes and rating) and introductions (the mentor's network)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from mentorship import factories
from mentorship.errors import InvalidTransition, PermissionDenied, ValidationFailed
from mentorship.models import (
    AuditEvent,
    Introduction,
    IntroductionOutcome,
    Mentorship,
    Programme,
    Session,
    User,
)
from mentorship.services import mentorships as services
from mentorship.taxonomy import ConnectionType, NetworkGroup

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def mentorship(programme: Programme, mentor: User, mentee: User) -> Mentorship:
    return factories.MentorshipFactory.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        started_on=TODAY() - dt.timedelta(days=30),
    )


def meeting(**overrides: Any) -> dict[str, Any]:
    return {
        "date": TODAY() - dt.timedelta(days=2),
        "duration_minutes": 45,
        "format": "video",
        "topics": ["leadership"],
        **overrides,
    }


# Sessions ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "own", "other"),
    [("mentor", "mentor", "mentee"), ("mentee", "mentee", "mentor")],
)
def test_notes_and_rating_go_to_the_loggers_own_side(
    request, mentorship, audit_of, who, own, other
):
    actor = request.getfixturevalue(who)

    session = services.log_session(
        actor=actor,
        mentorship=mentorship,
        **meeting(notes="  Talked about stage gates. "),
        rating=4,
    )

    session.refresh_from_db()
    assert getattr(session, f"{own}_notes") == "Talked about stage gates."
    assert getattr(session, f"{own}_rating") == 4
    assert getattr(session, f"{other}_notes") == ""
    assert getattr(session, f"{other}_rating") is None
    assert session.logged_by == actor
    assert (session.duration_minutes, session.format, session.topics) == (
        45,
        "video",
        ["leadership"],
    )
    [event] = audit_of(session)
    assert (event.actor, event.action, event.to_state) == (actor, "log", "logged")
    assert event.programme_id == mentorship.programme_id
    assert event.data == {"mentorship": mentorship.pk}


def test_the_other_side_adds_its_own_notes_without_touching_the_first(
    mentorship, mentor, mentee, audit_of
):
    session = services.log_session(
        actor=mentor, mentorship=mentorship, **meeting(notes="Mentor's view."), rating=5
    )

    services.update_session(actor=mentee, session=session, notes="Mentee's view.", rating=3)

    session.refresh_from_db()
    assert (session.mentor_notes, session.mentor_rating) == ("Mentor's view.", 5)
    assert (session.mentee_notes, session.mentee_rating) == ("Mentee's view.", 3)
    assert [(e.actor, e.action) for e in audit_of(session)] == [(mentor, "log"), (mentee, "update")]
    assert audit_of(session)[1].data == {"changed": ["notes", "rating"]}


@pytest.mark.parametrize(
    ("days_from_today", "ok"),
    [
        (-30, True),  # the day the mentorship started
        (-31, False),  # before it started
        (0, True),
        (1, True),  # a day of slack for time zones ahead of the server
        (2, False),  # in the future
    ],
)
def test_session_dates_lie_within_the_mentorship(mentorship, mentee, days_from_today, ok):
    date = TODAY() + dt.timedelta(days=days_from_today)

    if ok:
        services.log_session(actor=mentee, mentorship=mentorship, **meeting(date=date))
    else:
        with pytest.raises(ValidationFailed) as error:
            services.log_session(actor=mentee, mentorship=mentorship, **meeting(date=date))
        assert "date" in error.value.fields

    sessions = Session.objects.filter(mentorship=mentorship)
    assert [s.date for s in sessions] == ([date] if ok else [])
    logged = AuditEvent.objects.filter(object_type="session", action="log")
    assert [e.object_id for e in logged] == [s.pk for s in sessions]


def test_a_session_cannot_be_dated_after_the_mentorship_ended(mentorship, mentee):
    services.complete_mentorship(actor=mentee, mentorship=mentorship)
    Mentorship.objects.filter(pk=mentorship.pk).update(ended_on=TODAY() - dt.timedelta(days=5))
    mentorship.refresh_from_db()

    services.log_session(
        actor=mentee, mentorship=mentorship, **meeting(date=TODAY() - dt.timedelta(days=5))
    )
    with pytest.raises(ValidationFailed) as error:
        services.log_session(
            actor=mentee, mentorship=mentorship, **meeting(date=TODAY() - dt.timedelta(days=4))
        )

    assert "date" in error.value.fields
    assert Session.objects.filter(mentorship=mentorship).count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"rating": 6}, None),
        ({"rating": 0}, None),
        ({"duration_minutes": 0}, None),
        ({"duration_minutes": 601}, None),
        ({"format": "carrier_pigeon"}, "format"),
        ({"topics": ["astrology"]}, "topics"),
        ({"date": None}, "date"),
        ({"mentor_notes": "Sneaky."}, "mentor_notes"),
        ({"logged_by": None}, "logged_by"),
    ],
)
def test_log_session_refuses_bad_input(mentorship, mentee, fields, field):
    with pytest.raises(ValidationFailed) as error:
        services.log_session(actor=mentee, mentorship=mentorship, **meeting(**fields))

    if field is not None:
        assert field in error.value.fields
    assert not Session.objects.exists()


def test_a_topic_the_programme_adds_is_accepted(programme, mentorship, mentee):
    programme.extra_topics = ["bid_management"]
    programme.save()

    session = services.log_session(
        actor=mentee, mentorship=mentorship, **meeting(topics=["bid_management", "leadership"])
    )

    assert session.topics == ["bid_management", "leadership"]


@pytest.mark.parametrize("who", ["coordinator", "peer_mentee", "outsider", "other_coordinator"])
def test_only_the_pair_logs_changes_or_deletes_sessions(request, mentorship, mentee, audit_of, who):
    actor = request.getfixturevalue(who)
    session = services.log_session(actor=mentee, mentorship=mentorship, **meeting(notes="Mine."))

    with pytest.raises(PermissionDenied):
        services.log_session(actor=actor, mentorship=mentorship, **meeting())
    with pytest.raises(PermissionDenied):
        services.update_session(actor=actor, session=session, notes="Theirs.")
    with pytest.raises(PermissionDenied):
        services.delete_session(actor=actor, session=session)

    session.refresh_from_db()
    assert (session.mentee_notes, session.mentor_notes) == ("Mine.", "")
    assert Session.objects.count() == 1
    assert [e.actor for e in audit_of(session)] == [mentee]


def test_deleting_a_session_leaves_an_audit_row(mentorship, mentor, audit_of):
    session = factories.SessionFactory.create(mentorship=mentorship)
    session_pk, date = session.pk, session.date

    services.delete_session(actor=mentor, session=session)

    assert not Session.objects.filter(pk=session_pk).exists()
    session.pk = session_pk
    [event] = audit_of(session)
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        mentor,
        "delete",
        "logged",
        "deleted",
    )
    assert event.data == {"mentorship": mentorship.pk, "date": date.isoformat()}


# Introductions ----------------------------------------------------------------------------


def contact(**overrides: Any) -> dict[str, Any]:
    return {
        "contact_name": "Priya Shah",
        "contact_organisation": "Gridline Power",
        "contact_role": "Head of PMO",
        "network_group": NetworkGroup.SENIOR_LEADERSHIP,
        "connection_type": ConnectionType.STRATEGIC,
        "purpose": "Hear how she set up a portfolio office.",
        "follow_up_on": TODAY() + dt.timedelta(days=14),
        **overrides,
    }


@pytest.mark.parametrize("who", ["mentor", "coordinator"])
def test_the_mentor_or_a_coordinator_records_an_introduction(request, mentorship, audit_of, who):
    actor = request.getfixturevalue(who)

    introduction = services.record_introduction(
        actor=actor, mentorship=mentorship, **contact(contact_name="  Priya Shah ")
    )

    introduction.refresh_from_db()
    assert introduction.introducer == actor
    assert introduction.contact_name == "Priya Shah"
    assert introduction.outcome == IntroductionOutcome.PENDING
    assert introduction.confirmed_at is None
    [event] = audit_of(introduction)
    assert (event.actor, event.action, event.to_state) == (actor, "introduce", "pending")
    assert event.programme_id == mentorship.programme_id
    assert event.data["network_group"] == NetworkGroup.SENIOR_LEADERSHIP


@pytest.mark.parametrize("who", ["mentee", "peer_mentee", "outsider", "other_coordinator", "staff"])
def test_introductions_are_not_recorded_by_anyone_else(request, mentorship, who):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.record_introduction(actor=actor, mentorship=mentorship, **contact())

    assert not Introduction.objects.exists()


def test_a_member_of_the_platform_can_be_the_contact(programme, mentorship, mentor):
    contact_member = factories.member(programme, "mentor", username="dev")

    introduction = services.record_introduction(
        actor=mentor,
        mentorship=mentorship,
        **contact(contact_name="", contact_member=contact_member),
    )

    assert introduction.contact_member == contact_member
    assert introduction.contact_display == str(contact_member)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"contact_name": "  "}, "contact_name"),
        ({"contact_member": "mentee", "contact_name": ""}, "contact_member"),
        ({"purpose": ""}, "purpose"),
        ({"network_group": "golf_club"}, "network_group"),
        ({"connection_type": "romantic"}, "connection_type"),
        ({"outcome": "met"}, "outcome"),
        ({"confirmed_at": "2026-01-01"}, "confirmed_at"),
    ],
)
def test_record_introduction_refuses_bad_input(mentorship, mentor, mentee, overrides, field):
    fields = contact(**overrides)
    if fields.get("contact_member") == "mentee":
        fields["contact_member"] = mentee

    with pytest.raises(ValidationFailed) as error:
        services.record_introduction(actor=mentor, mentorship=mentorship, **fields)

    assert field in error.value.fields
    assert not Introduction.objects.exists()


def test_no_introductions_once_a_mentorship_has_ended(mentorship, mentor):
    services.end_mentorship(actor=mentor, mentorship=mentorship, reason="Changed jobs.")

    with pytest.raises(InvalidTransition):
        services.record_introduction(actor=mentor, mentorship=mentorship, **contact())

    assert not Introduction.objects.exists()


@pytest.fixture
def introduction(mentorship: Mentorship) -> Introduction:
    return factories.IntroductionFactory.create(mentorship=mentorship)


def test_the_mentee_confirms_the_introduction_and_reports_the_outcome(
    introduction, mentee, audit_of
):
    before = timezone.now()

    services.update_introduction(
        actor=mentee,
        introduction=introduction,
        confirmed=True,
        outcome="met",
        outcome_note="Coffee.",
    )

    introduction.refresh_from_db()
    assert before <= introduction.confirmed_at <= timezone.now()
    assert (introduction.outcome, introduction.outcome_note) == ("met", "Coffee.")
    [event] = audit_of(introduction)
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        mentee,
        "update",
        "pending",
        "met",
    )
    assert event.data == {"changed": ["outcome", "outcome_note", "confirmed"]}


def test_confirming_again_keeps_the_first_confirmation_and_unconfirming_clears_it(
    introduction, mentee
):
    services.update_introduction(actor=mentee, introduction=introduction, confirmed=True)
    introduction.refresh_from_db()
    first = introduction.confirmed_at

    services.update_introduction(actor=mentee, introduction=introduction, confirmed=True)
    introduction.refresh_from_db()
    assert introduction.confirmed_at == first

    services.update_introduction(actor=mentee, introduction=introduction, confirmed=False)
    introduction.refresh_from_db()
    assert introduction.confirmed_at is None


@pytest.mark.parametrize(
    ("who", "fields", "allowed"),
    [
        ("mentee", {"confirmed": True}, True),
        ("mentee", {"outcome": "opportunity"}, True),
        ("mentee", {"purpose": "Something else."}, False),
        ("mentee", {"follow_up_on": dt.date(2030, 1, 1)}, False),
        ("mentee", {"contact_name": "Someone else"}, False),
        ("mentor", {"follow_up_on": dt.date(2030, 1, 1)}, True),
        ("mentor", {"outcome": "no_response", "outcome_note": "Chased twice."}, True),
        ("mentor", {"contact_role": "COO"}, True),
        ("mentor", {"confirmed": True}, False),  # only the mentee says it happened
        ("coordinator", {"outcome": "not_pursued"}, True),
        ("coordinator", {"confirmed": True}, False),
    ],
)
def test_who_may_change_what_on_an_introduction(
    request, introduction, audit_of, who, fields, allowed
):
    actor = request.getfixturevalue(who)
    before = dict(Introduction.objects.values().get(pk=introduction.pk))

    if allowed:
        services.update_introduction(actor=actor, introduction=introduction, **fields)
    else:
        with pytest.raises(ValidationFailed) as error:
            services.update_introduction(actor=actor, introduction=introduction, **fields)
        assert set(error.value.fields) == set(fields)

    after = dict(Introduction.objects.values().get(pk=introduction.pk))
    changed = {k for k in after if after[k] != before[k]} - {"updated_at"}
    expected = {"confirmed_at" if f == "confirmed" else f for f in fields} if allowed else set()
    assert changed == expected
    assert [e.actor for e in audit_of(introduction)] == ([actor] if allowed else [])


@pytest.mark.parametrize("who", ["peer_mentee", "outsider", "other_coordinator"])
def test_introductions_are_updated_by_no_one_outside_the_pair_and_coordinators(
    request, introduction, audit_of, who
):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        services.update_introduction(actor=actor, introduction=introduction, outcome="met")

    introduction.refresh_from_db()
    assert introduction.outcome == IntroductionOutcome.PENDING
    assert audit_of(introduction) == []


def test_update_introduction_refuses_an_unknown_outcome(introduction, mentee):
    with pytest.raises(ValidationFailed) as error:
        services.update_introduction(actor=mentee, introduction=introduction, outcome="married")

    assert "outcome" in error.value.fields
    introduction.refresh_from_db()
    assert introduction.outcome == IntroductionOutcome.PENDING


def test_the_mentor_cannot_make_the_mentee_their_own_contact(introduction, mentor, mentee):
    with pytest.raises(ValidationFailed):
        services.update_introduction(actor=mentor, introduction=introduction, contact_member=mentee)

    introduction.refresh_from_db()
    assert introduction.contact_member is None
