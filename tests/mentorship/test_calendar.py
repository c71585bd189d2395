"""Sessions as iCalendar: a mentorship's file and a person's feed with a revocable key."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from mentorship import factories
from mentorship.errors import NotFound
from mentorship.models import AuditEvent, Mentorship
from mentorship.selectors.calendar import feed_owner, mentorship_calendar, sessions_feed
from mentorship.services.notifications import create_calendar_feed, revoke_calendar_feed

TODAY = timezone.localdate()


@pytest.fixture
def pair(programme, mentor, mentee) -> Mentorship:
    mentorship = factories.MentorshipFactory.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        started_on=TODAY - dt.timedelta(days=40),
        cadence_days=14,
    )
    factories.SessionFactory.create(
        mentorship=mentorship,
        date=TODAY - dt.timedelta(days=20),
        mentor_notes="PRIVATE mentor note",
        mentee_notes="PRIVATE mentee note",
    )
    factories.SessionFactory.create(mentorship=mentorship, date=TODAY - dt.timedelta(days=6))
    return mentorship


def events(ics: bytes) -> list[tuple[str, dt.date]]:
    calendar = Calendar.from_ical(ics)
    return sorted((str(e["summary"]), e.decoded("dtstart")) for e in calendar.walk("VEVENT"))


def test_a_mentorship_file_lists_its_sessions_and_the_next_due_one(
    pair, mentor, mentee, coordinator
):
    for viewer in (mentor, mentee, coordinator):
        filename, ics = mentorship_calendar(user=viewer, pk=pair.pk)
        assert filename == f"mentorship-{pair.pk}.ics"
        pair_name = f"{mentor.display_name} and {mentee.display_name}"
        assert events(ics) == [
            (f"Mentoring session: {pair_name}", TODAY - dt.timedelta(days=20)),
            (f"Mentoring session: {pair_name}", TODAY - dt.timedelta(days=6)),
            (f"Next mentoring session due: {pair_name}", TODAY + dt.timedelta(days=8)),
        ]
        assert b"PRIVATE" not in ics
        assert f"/mentorships/{pair.pk}/".encode() in ics


def test_a_closed_mentorship_has_no_next_session(pair, mentor):
    Mentorship.objects.filter(pk=pair.pk).update(status="completed", ended_on=TODAY)

    _, ics = mentorship_calendar(user=mentor, pk=pair.pk)

    assert [summary for summary, _ in events(ics) if summary.startswith("Next")] == []


@pytest.mark.parametrize("who", ["peer_mentee", "outsider", "other_coordinator"])
def test_nobody_else_gets_a_mentorships_file(request, pair, who):
    with pytest.raises(NotFound):
        mentorship_calendar(user=request.getfixturevalue(who), pk=pair.pk)


def test_the_feed_holds_only_ones_own_sessions(pair, programme, mentor, mentee, coordinator):
    other = factories.MentorshipFactory.create(programme=programme, mentor=mentor)
    factories.SessionFactory.create(mentorship=other, date=TODAY - dt.timedelta(days=2))

    mentor_events = events(sessions_feed(mentor))
    mentee_events = events(sessions_feed(mentee))

    assert len(mentor_events) == 5  # three sessions, two next-due dates
    assert len(mentee_events) == 3
    assert events(sessions_feed(coordinator)) == []  # coordinating is not taking part


def test_a_feed_key_opens_only_its_owners_feed_until_revoked(mentee, audit_of):
    feed = create_calendar_feed(actor=mentee)

    assert feed_owner(feed.key) == mentee
    replaced = create_calendar_feed(actor=mentee)
    for wrong in (feed.key, "", "x" * 43, replaced.key[:-1] + "?"):
        with pytest.raises(NotFound, match="No such calendar"):
            feed_owner(wrong)
    assert feed_owner(replaced.key) == mentee
    assert revoke_calendar_feed(actor=mentee) is True
    assert revoke_calendar_feed(actor=mentee) is False
    with pytest.raises(NotFound):
        feed_owner(replaced.key)
    states = AuditEvent.objects.filter(action="calendar_feed").order_by("id")
    assert [e.to_state for e in states] == ["created", "created", "revoked"]


def test_a_deactivated_persons_key_stops_working(mentee):
    feed = create_calendar_feed(actor=mentee)
    mentee.is_active = False
    mentee.save()

    with pytest.raises(NotFound):
        feed_owner(feed.key)
