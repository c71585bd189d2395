"""The network plan's weekly digest: contacts due a touchpoint, told once per ISO week."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from mentorship import factories
from mentorship.models import Notification, Programme, User
from mentorship.services import engagement

MONDAY = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def plan(programme: Programme, mentee: User):
    return factories.NetworkPlanFactory.create(owner=mentee, programme=programme)


def digests() -> list[Notification]:
    return list(Notification.objects.filter(kind="touchpoints_due").order_by("pk"))


@time_machine.travel(MONDAY, tick=False)
def test_a_mentee_with_contacts_due_gets_one_digest_a_week_listing_the_most_urgent(
    plan, mentee, after_commit
) -> None:
    factories.ContactFactory.create(plan=plan, name="Kim Lee", tier="key", why="Sponsor.")
    on_track = factories.ContactFactory.create(plan=plan, name="Ada Obi")
    factories.TouchpointFactory.create(contact=on_track, date=timezone.localdate())

    with after_commit():
        assert engagement.send_touchpoint_digests() == 1
        assert engagement.send_touchpoint_digests() == 0  # the same week: nothing more

    [digest] = digests()
    assert digest.recipient == mentee
    assert digest.title == "1 contact in your network is due a touchpoint"
    assert "Kim Lee (never met)" in digest.body
    assert "Ada Obi" not in digest.body  # on track
    assert digest.link == "/network/"
    assert [m.to for m in mail.outbox] == [[mentee.email]]

    with time_machine.travel(MONDAY + dt.timedelta(days=7), tick=False):
        assert engagement.send_touchpoint_digests() == 1  # a new week
    assert len(digests()) == 2


@time_machine.travel(MONDAY, tick=False)
def test_no_digest_without_a_contact_due_nor_for_archived_ones(plan) -> None:
    contact = factories.ContactFactory.create(plan=plan)
    factories.TouchpointFactory.create(contact=contact, date=timezone.localdate())
    factories.ContactFactory.create(plan=plan, archived_at=timezone.now())

    assert engagement.send_touchpoint_digests() == 0
    assert digests() == []


@time_machine.travel(MONDAY, tick=False)
def test_the_digest_runs_with_every_engagement_job(plan) -> None:
    factories.ContactFactory.create(plan=plan, name="Kim Lee")

    assert engagement.run_engagement()["touchpoint digests"] == 1
    assert engagement.run_engagement()["touchpoint digests"] == 0
