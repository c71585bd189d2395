"""One cadence rule: a mentorship and a network contact met on the same dates, at the same
interval, have the same cadence, whatever the dates (hypothesis explores them).

Both sides go through their real read paths (the database annotations of sessions and of
touchpoints, then each side's selector), so the test fails if either path stops using the
shared rule.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorship import factories
from mentorship.models import Contact, ContactTier, Mentorship, NetworkPlan, Role, Touchpoint
from mentorship.selectors.cadence import cadence_from_annotations, with_session_counts
from mentorship.selectors.network import contact_cadence, with_touchpoint_counts

START = dt.date(2026, 1, 5)


class Rollback(Exception):
    """Raised to undo one example's rows."""


@pytest.fixture
def people(db):
    programme = factories.ProgrammeFactory.create(slug="cadence")
    mentor = factories.member(programme, Role.MENTOR)
    mentee = factories.member(programme, Role.MENTEE)
    return programme, mentor, mentee


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    interval=st.integers(min_value=1, max_value=365),
    start_offset=st.integers(min_value=0, max_value=200),
    meetings=st.lists(st.integers(min_value=0, max_value=500), max_size=6),
    today_offset=st.integers(min_value=0, max_value=800),
)
def test_mentorships_and_contacts_get_identical_cadence_for_the_same_dates(
    people, interval, start_offset, meetings, today_offset
):
    programme, mentor, mentee = people
    started = START + dt.timedelta(days=start_offset)
    dates = [started + dt.timedelta(days=d) for d in meetings]
    today = START + dt.timedelta(days=today_offset)
    try:
        with transaction.atomic():
            programme.key_contact_cadence_days = interval
            programme.regular_contact_cadence_days = max(interval, 90)
            programme.light_contact_cadence_days = max(interval, 180)
            programme.save()
            ship = factories.MentorshipFactory.create(
                programme=programme,
                mentor=mentor,
                mentee=mentee,
                cadence_days=interval,
                started_on=started,
            )
            for date in dates:
                factories.SessionFactory.create(mentorship=ship, date=date)
            plan = NetworkPlan.objects.create(owner=mentee, programme=programme)
            contact = Contact.objects.create(
                plan=plan,
                name="Kim",
                network_group="senior_leadership",
                connection_type="strategic",
                tier=ContactTier.KEY,
                why="Matters.",
                added_on=started,
            )
            Touchpoint.objects.bulk_create(
                Touchpoint(contact=contact, date=date, vehicle="call") for date in dates
            )

            mentorship_side = cadence_from_annotations(
                with_session_counts(Mentorship.objects.filter(pk=ship.pk)).get(), today=today
            )
            contact_side = contact_cadence(
                with_touchpoint_counts(Contact.objects.filter(pk=contact.pk))
                .select_related("plan__programme")
                .get(),
                today=today,
            )

            assert contact_side.status == mentorship_side.status
            assert contact_side == mentorship_side
            raise Rollback
    except Rollback:
        pass
