"""The audit trail is append-only in the database itself, yet deleting a user still works."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.db.models import F, Value
from django.utils import timezone

from mentorship import factories
from mentorship.models import AuditEvent, Proposal, ProposalStatus, User
from mentorship.services.proposals import decline_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(programme, mentee, mentor) -> AuditEvent:
    proposal = factories.ProposalFactory.create(
        programme=programme, mentee=mentee, mentor=mentor, status=ProposalStatus.REQUESTED
    )
    decline_proposal(actor=mentor, proposal=proposal, reason="Fully booked.")
    return AuditEvent.objects.get(object_type="proposal", object_id=proposal.pk)


@pytest.mark.parametrize(
    "change",
    [
        {"created_at": Value(timezone.now() - dt.timedelta(days=1))},
        {"programme_id": None},
        {"object_type": "mentorship"},
        {"object_id": F("object_id") + 1},
        {"action": "accept"},
        {"from_state": ""},
        {"to_state": ProposalStatus.ACCEPTED},
        {"data": {"rewritten": True}},
    ],
    ids=lambda change: next(iter(change)),
)
def test_the_database_refuses_to_rewrite_an_audit_event(event, change):
    before = AuditEvent.objects.filter(pk=event.pk).values().get()

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(**change)

    assert AuditEvent.objects.filter(pk=event.pk).values().get() == before


def test_saving_a_loaded_audit_event_is_refused_too(event):
    event.action = "accept"

    with pytest.raises(DatabaseError), transaction.atomic():
        event.save()

    assert AuditEvent.objects.get(pk=event.pk).action == "decline"


def test_deleting_the_actor_keeps_the_event_and_forgets_who(event, mentor):
    before = AuditEvent.objects.filter(pk=event.pk).values().get()

    User.objects.filter(pk=mentor.pk).delete()

    after = AuditEvent.objects.filter(pk=event.pk).values().get()
    assert after["actor_id"] is None
    assert {k: v for k, v in after.items() if k != "actor_id"} == {
        k: v for k, v in before.items() if k != "actor_id"
    }


def test_deleting_the_object_leaves_its_history(event):
    Proposal.objects.filter(pk=event.object_id).delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_new_events_can_still_be_appended(event, mentor):
    AuditEvent.objects.create(
        actor=mentor, object_type="proposal", object_id=event.object_id, action="note"
    )

    assert AuditEvent.objects.filter(object_id=event.object_id).count() == 2
