"""Bad input always gets a 4xx in the one error shape, never a 5xx."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from mentorship import factories
from tests.api.conftest import assert_error


def raw(user, method: str, path: str, body: bytes, content_type: str = "application/json"):
    client = APIClient()
    client.force_authenticate(user)
    return client.generic(method, f"/api/v1/{path}", body.decode(), content_type=content_type)


def test_malformed_json_is_a_400(mentee) -> None:
    body = assert_error(raw(mentee, "PATCH", "me/profile/", b'{"headline": '), 400, "malformed")
    assert "JSON" in body["detail"]


def test_a_body_that_is_not_json_is_a_415(mentee) -> None:
    assert_error(
        raw(mentee, "PATCH", "me/profile/", b"headline=x", "application/x-www-form-urlencoded"), 415
    )


def test_an_oversized_body_is_refused(mentee) -> None:
    big = b'{"about": "' + b"x" * 300_000 + b'"}'
    response = raw(mentee, "PATCH", "me/profile/", big)
    assert 400 <= response.status_code < 500
    mentee.profile.refresh_from_db()
    assert mentee.profile.about == ""


def test_too_long_strings_name_the_field(api, mentee) -> None:
    body = assert_error(api(mentee).patch("me/profile/", {"headline": "x" * 161}), 400, "invalid")
    assert "headline" in body["fields"]


@pytest.mark.parametrize(
    "payload",
    [
        {"skills": "not a list"},
        {"skills": ["\x00"]},
        {"seniority": 9},
        {"seniority": "high"},
        {"timezone": "Mars/Olympus"},
        {"languages": ["english"]},
        {"formats": ["telepathy"]},
        {"topics_wanted": ["not-a-topic"]},
        {"positions": [{"title": "PM", "start": "2020-13"}]},
        {"positions": [{"title": "PM", "start": "2020-05", "end": "2019-01"}]},
        {"positions": "x"},
        {"capacity": -1},
    ],
)
def test_invalid_profile_fields_are_400s_and_change_nothing(api, mentee, payload) -> None:
    before = mentee.profile.updated_at
    body = assert_error(api(mentee).patch("me/profile/", payload), 400)
    assert body["fields"]
    mentee.profile.refresh_from_db()
    assert mentee.profile.updated_at == before


def test_unknown_paths_and_huge_ids_answer_json_404(api, mentee) -> None:
    assert_error(api(mentee).get("no-such-thing/"), 404, "not_found")
    assert_error(api(mentee).get("proposals/99999999999999999999999/"), 404, "not_found")
    assert_error(api(mentee).get("proposals/999999999999999999/"), 404, "not_found")


def test_wrong_method_is_a_405(api, mentee) -> None:
    assert_error(api(mentee).delete("proposals/"), 405, "method_not_allowed")


def test_pages_are_at_most_100_long_and_bad_pages_are_4xx(api, programme, coordinator) -> None:
    for _ in range(3):
        factories.MentorshipFactory.create(programme=programme)
    body = api(coordinator).get("mentorships/?page_size=100").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert_error(api(coordinator).get("mentorships/?page_size=1000"), 400, "invalid")
    assert_error(api(coordinator).get("mentorships/?page=99"), 404, "not_found")
    for page in ("abc", "", "0", "last"):
        assert_error(api(coordinator).get(f"mentorships/?page={page}"), 400, "invalid")


def test_bad_filters_are_400s(api, mentee) -> None:
    assert_error(api(mentee).get("proposals/?status=bogus"), 400, "invalid")
    assert_error(api(mentee).get("proposals/?programme=nowhere"), 404, "not_found")


def test_anonymous_calls_are_401_with_a_challenge(api, db) -> None:
    response = api().get("me/profile/")
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_illegal_transitions_are_409s(api, programme, mentor, mentee) -> None:
    proposal = factories.ProposalFactory.create(programme=programme, mentee=mentee, mentor=mentor)
    assert_error(api(mentor).post(f"proposals/{proposal.pk}/decline/", {"reason": "no"}), 404)
    api(mentee).post(f"proposals/{proposal.pk}/dismiss/")
    assert_error(api(mentee).post(f"proposals/{proposal.pk}/dismiss/"), 409, "invalid_transition")


def test_accepting_at_capacity_is_a_409(api, programme, mentor, mentee, peer_mentee) -> None:
    mentor.profile.capacity = 1
    mentor.profile.save()
    factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=peer_mentee)
    proposal = factories.ProposalFactory.create(
        programme=programme, mentee=mentee, mentor=mentor, status="requested"
    )
    body = assert_error(
        api(mentor).post(f"proposals/{proposal.pk}/accept/", {}), 409, "capacity_reached"
    )
    assert "capacity" in body["detail"]


def test_the_docs_are_served_from_installed_packages(client, db) -> None:
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in page
    assert "cdn" not in page.lower()
    assert "/static/drf_spectacular_sidecar/" in page
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/proposals/{id}/accept/" in schema["paths"]


@pytest.mark.parametrize("size", ["abc", "0", "101", "²", "", "-1", "9" * 30])
def test_a_page_size_that_is_not_1_to_100_is_a_400(api, mentee, size) -> None:
    assert_error(api(mentee).get(f"proposals/?page_size={size}"), 400, "invalid")


def test_an_empty_filter_is_not_silently_ignored(api, programme, coordinator) -> None:
    assert_error(api(coordinator).get(f"programmes/{programme.slug}/cadence/?status="), 400)


@pytest.mark.parametrize(
    ("path", "method", "payload"),
    [
        ("programmes/pmo-network/", "patch", {"is_open": 0}),
        ("programmes/pmo-network/", "patch", {"default_cadence_days": "14"}),
        ("programmes/pmo-network/", "patch", {"matching_weights": {"charisma": 1}}),
        ("programmes/pmo-network/", "patch", {"matching_weights": {"personality": True}}),
        ("programmes/", "post", {"name": "Zero", "slug": 0}),
    ],
)
def test_values_of_the_wrong_json_type_are_refused(
    api, programme, coordinator, staff, path, method, payload
) -> None:
    caller = staff if method == "post" else coordinator
    assert_error(getattr(api(caller), method)(path, payload), 400, "invalid")
    programme.refresh_from_db()
    assert (programme.is_open, programme.default_cadence_days, programme.matching_weights) == (
        True,
        14,
        {},
    )


def test_a_taken_slug_is_a_409(api, programme, staff) -> None:
    assert_error(
        api(staff).post("programmes/", {"name": "Again", "slug": programme.slug}), 409, "conflict"
    )


def test_unsafe_methods_on_unknown_paths_answer_json_404_not_a_csrf_page(mentee) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(mentee)
    for path in (
        "/api/v1/proposals/1000000000000000000/dismiss/",
        "/api/v1/nope/",
        "/api/v1/a%0Ab/",
    ):
        assert_error(client.post(path, {}, format="json"), 404, "not_found")


def test_a_huge_contact_member_is_a_400_not_a_crash(api, programme, mentor, mentee) -> None:
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee
    )
    response = api(mentor).post(
        f"mentorships/{mentorship.pk}/introductions/",
        {
            "contact_member": 9223372036854775808,
            "network_group": "delivery_teams",
            "connection_type": "operational",
            "purpose": "x",
        },
    )
    assert_error(response, 400, "invalid")


def test_consent_must_be_true_in_the_schema_too(client, db) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    consent = components["PersonalityRequest"]["properties"]["consent"]
    ref = consent["allOf"][0]["$ref"].rsplit("/", 1)[-1] if "allOf" in consent else None
    assert (components[ref] if ref else consent)["enum"] == [True]


@pytest.mark.parametrize("start", ["0500-10", "2100-01", "1899-12"])
def test_positions_start_between_1900_and_2099(api, mentee, start) -> None:
    body = assert_error(
        api(mentee).patch("me/profile/", {"positions": [{"title": "PM", "start": start}]}), 400
    )
    assert "positions[0].start" in body["fields"]


def test_months_come_back_as_they_went_in(api, mentee) -> None:
    positions = [{"title": "PM", "start": "1905-03", "end": "1910-11"}]
    body = api(mentee).patch("me/profile/", {"positions": positions}).json()
    assert (body["positions"][0]["start"], body["positions"][0]["end"]) == ("1905-03", "1910-11")
