"""A retry with the same Idempotency-Key returns the first result instead of a duplicate."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from mentorship import factories
from mentorship.errors import Conflict, PermissionDenied, ValidationFailed
from mentorship.models import AuditEvent, IdempotencyKey, Introduction, Session
from mentorship.services.mentorships import log_session, record_introduction
from tests.api.conftest import Api, assert_error
from tests.mentorship.test_concurrency import race

YESTERDAY = timezone.localdate() - dt.timedelta(days=1)
SESSION: dict[str, Any] = {
    "date": YESTERDAY,
    "duration_minutes": 45,
    "format": "video",
    "notes": "Board prep.",
}
INTRO = {
    "contact_name": "Kim Lee",
    "network_group": "senior_leadership",
    "connection_type": "strategic",
    "purpose": "How an energy PMO runs its portfolio board",
}


@pytest.fixture
def pair(programme, mentor, mentee):
    return factories.MentorshipFactory.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        started_on=timezone.localdate() - dt.timedelta(days=30),
    )


def test_a_retry_with_the_same_key_returns_the_first_session(pair, mentor, audit_of) -> None:
    first = log_session(actor=mentor, mentorship=pair, idempotency_key="k-1", **SESSION)
    again = log_session(actor=mentor, mentorship=pair, idempotency_key="k-1", **SESSION)
    assert again.pk == first.pk
    assert Session.objects.count() == 1
    assert [e.action for e in audit_of(first)] == ["log"]
    row = IdempotencyKey.objects.get()
    assert (row.user, row.key, row.object_type, row.object_id) == (
        mentor,
        "k-1",
        "session",
        first.pk,
    )


def test_without_a_key_each_call_logs_a_session(pair, mentor) -> None:
    log_session(actor=mentor, mentorship=pair, **SESSION)
    log_session(actor=mentor, mentorship=pair, **SESSION)
    assert Session.objects.count() == 2


def test_a_key_reused_for_a_different_request_is_refused(pair, mentor) -> None:
    log_session(actor=mentor, mentorship=pair, idempotency_key="k-1", **SESSION)
    with pytest.raises(Conflict) as error:
        log_session(
            actor=mentor, mentorship=pair, idempotency_key="k-1", **{**SESSION, "notes": "Other"}
        )
    assert "Idempotency-Key" in error.value.fields
    assert Session.objects.count() == 1


def test_keys_belong_to_their_user(pair, mentor, mentee) -> None:
    log_session(actor=mentor, mentorship=pair, idempotency_key="shared", **SESSION)
    log_session(actor=mentee, mentorship=pair, idempotency_key="shared", **SESSION)
    assert Session.objects.count() == 2


def test_a_failed_write_leaves_no_key_so_the_retry_writes(pair, mentor, outsider) -> None:
    with pytest.raises(ValidationFailed):
        log_session(
            actor=mentor,
            mentorship=pair,
            idempotency_key="k-2",
            **{**SESSION, "date": timezone.localdate() + dt.timedelta(days=9)},
        )
    with pytest.raises(PermissionDenied):
        log_session(actor=outsider, mentorship=pair, idempotency_key="k-2", **SESSION)
    assert not IdempotencyKey.objects.exists()
    log_session(actor=mentor, mentorship=pair, idempotency_key="k-2", **SESSION)
    assert Session.objects.count() == 1


def test_a_key_is_kept_for_a_day(pair, mentor) -> None:
    with time_machine.travel(timezone.now() - dt.timedelta(hours=25), tick=False):
        log_session(actor=mentor, mentorship=pair, idempotency_key="old", **SESSION)
    log_session(actor=mentor, mentorship=pair, idempotency_key="old", **SESSION)
    assert Session.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_a_replay_of_a_deleted_session_is_a_conflict(pair, mentor) -> None:
    first = log_session(actor=mentor, mentorship=pair, idempotency_key="k-3", **SESSION)
    Session.objects.filter(pk=first.pk).delete()
    with pytest.raises(Conflict, match="already made"):
        log_session(actor=mentor, mentorship=pair, idempotency_key="k-3", **SESSION)


@pytest.mark.parametrize("key", ["", "a b", "é", "x" * 256, "line\nbreak"])
def test_a_key_that_is_not_visible_ascii_is_refused(pair, mentor, key: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        log_session(actor=mentor, mentorship=pair, idempotency_key=key, **SESSION)
    assert "Idempotency-Key" in error.value.fields


def test_introductions_are_idempotent_too(pair, mentor) -> None:
    first = record_introduction(actor=mentor, mentorship=pair, idempotency_key="i-1", **INTRO)
    again = record_introduction(actor=mentor, mentorship=pair, idempotency_key="i-1", **INTRO)
    assert again.pk == first.pk
    assert Introduction.objects.count() == 1
    assert AuditEvent.objects.filter(action="introduce").count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_log_one_session() -> None:
    programme = factories.ProgrammeFactory.create()
    mentorship = factories.MentorshipFactory.create(
        programme=programme, started_on=timezone.localdate() - dt.timedelta(days=30)
    )
    mentor_id = mentorship.mentor_id

    def retry() -> str:
        from mentorship.models import Mentorship, User

        session = log_session(
            actor=User.objects.get(pk=mentor_id),
            mentorship=Mentorship.objects.get(pk=mentorship.pk),
            idempotency_key="racing",
            **SESSION,
        )
        return f"session {session.pk}"

    outcomes = race([retry for _ in range(6)])
    assert len(outcomes) == 1, outcomes
    assert Counter(outcomes).most_common(1)[0][1] == 6
    assert Session.objects.count() == 1


# Over HTTP -------------------------------------------------------------------------------


def test_the_api_replays_a_session_for_the_same_header(pair, mentor) -> None:
    body = {**SESSION, "date": YESTERDAY.isoformat(), "topics": [], "rating": 4}
    client = Api(mentor)
    path = f"mentorships/{pair.pk}/sessions/"
    first = client.post(path, body, HTTP_IDEMPOTENCY_KEY="3f2c-retry")
    second = client.post(path, body, HTTP_IDEMPOTENCY_KEY="3f2c-retry")
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json() == second.json()
    assert Session.objects.count() == 1
    other = client.post(path, {**body, "duration_minutes": 30}, HTTP_IDEMPOTENCY_KEY="3f2c-retry")
    assert_error(other, 409, "conflict")
    assert_error(client.post(path, body, HTTP_IDEMPOTENCY_KEY="a b"), 400, "invalid")


def test_the_api_replays_an_introduction_for_the_same_header(pair, mentor) -> None:
    client = Api(mentor)
    path = f"mentorships/{pair.pk}/introductions/"
    first = client.post(path, INTRO, HTTP_IDEMPOTENCY_KEY="intro-1")
    second = client.post(path, INTRO, HTTP_IDEMPOTENCY_KEY="intro-1")
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    assert Introduction.objects.count() == 1


def test_the_header_is_in_the_schema(client, db) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in ("/api/v1/mentorships/{id}/sessions/", "/api/v1/mentorships/{id}/introductions/"):
        parameters = schema["paths"][path]["post"]["parameters"]
        header = next(p for p in parameters if p["name"] == "Idempotency-Key")
        assert header["in"] == "header"
        assert not header.get("required", False)
