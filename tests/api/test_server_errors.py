"""What a client gets when the body is hostile or the server fails: the API's JSON error shape,
a 400 for bad bodies, a generic 500 (no traceback) for bugs, and nothing half-written."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from mentorship import factories
from mentorship.models import AuditEvent, Session, User
from tests.api.conftest import assert_error

DEEP = b"[" * 1000 + b"]" * 1000


def post_raw(path: str, body: bytes, content_type: str = "application/json") -> object:
    return Client().generic("POST", path, body, content_type=content_type)


def test_json_nested_a_thousand_deep_is_a_400_on_the_anonymous_sign_in(db: None) -> None:
    response = post_raw("/api/v1/auth/token/", DEEP)
    body = assert_error(response, 400, "too_deep")
    assert "nested" in body["detail"]


def test_nesting_inside_strings_does_not_count(db: None) -> None:
    factories.UserFactory.create(username="tom")
    body = b'{"username": "tom", "password": "' + b"[" * 100 + b'"}'
    assert_error(post_raw("/api/v1/auth/token/", body), 400, "invalid_credentials")


def test_an_oversized_body_is_a_400_in_the_error_shape(db: None) -> None:
    big = b'{"username": "' + b"x" * 300_000 + b'", "password": "p"}'
    body = assert_error(post_raw("/api/v1/auth/token/", big), 400, "too_large")
    assert "too large" in body["detail"] or "larger" in body["detail"]


def test_an_oversized_body_sent_without_reading_its_length_first_is_refused_too(
    mentee: User,
) -> None:
    client = APIClient()
    client.force_authenticate(mentee)
    big = '{"about": "' + "x" * 300_000 + '"}'
    assert_error(client.generic("PATCH", "/api/v1/me/profile/", big, "application/json"), 400)
    mentee.profile.refresh_from_db()
    assert mentee.profile.about == ""


@pytest.mark.parametrize("constant", [b"NaN", b"Infinity", b"-Infinity"])
def test_non_json_numbers_are_malformed(mentee: User, constant: bytes) -> None:
    client = APIClient()
    client.force_authenticate(mentee)
    body = '{"seniority": ' + constant.decode() + "}"
    response = client.generic("PATCH", "/api/v1/me/profile/", body, "application/json")
    assert_error(response, 400, "malformed")


@pytest.fixture
def pair(programme, mentor, mentee):
    return factories.MentorshipFactory.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        started_on=timezone.localdate() - dt.timedelta(days=20),
    )


SESSION = {
    "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
    "duration_minutes": 45,
    "format": "video",
    "topics": ["leadership"],
    "notes": "Talked about the board.",
    "rating": 5,
}


def test_a_bug_is_a_generic_json_500_with_no_traceback_and_nothing_written(
    pair, mentor: User
) -> None:
    client = APIClient()
    client.force_authenticate(mentor)
    audit_before = AuditEvent.objects.count()
    # The audit append fails after the session row was saved in the same transaction.
    with mock.patch(
        "mentorship.services.mentorships.record", side_effect=RuntimeError("disk on fire")
    ):
        response = client.post(f"/api/v1/mentorships/{pair.pk}/sessions/", SESSION, format="json")
    body = assert_error(response, 500, "server_error")
    text = response.content.decode()
    assert "disk on fire" not in text
    assert "Traceback" not in text
    assert "RuntimeError" not in text
    assert "try again" in body["detail"]
    assert response["X-Request-ID"]
    assert not Session.objects.exists()
    assert AuditEvent.objects.count() == audit_before


def test_a_bug_in_a_selector_is_a_json_500_too(mentee: User) -> None:
    client = Client()
    client.force_login(mentee)
    with mock.patch("api.views.me.own_profile", side_effect=RuntimeError("selector exploded")):
        response = client.get("/api/v1/me/profile/")
    assert_error(response, 500, "server_error")
    assert "exploded" not in response.content.decode()


def test_a_bug_on_a_page_is_the_sites_500_page_without_a_traceback(mentee: User) -> None:
    client = Client()
    client.force_login(mentee)
    with mock.patch("frontend.views.account.dashboard_for", side_effect=RuntimeError("boom")):
        response = client.get("/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "boom" not in page
    assert "Traceback" not in page


def test_errors_django_raises_before_the_api_view_are_json_too(db: None) -> None:
    response = Client().get("/api/v1/me/profile/", HTTP_HOST="evil.example")
    assert_error(response, 400, "bad_request")


def test_an_unknown_api_path_is_json_whatever_the_method(db: None) -> None:
    for method in ("GET", "POST", "PUT", "DELETE"):
        assert_error(Client().generic(method, "/api/v2/anything/"), 404, "not_found")
