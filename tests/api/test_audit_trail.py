"""Audit events for reads of someone else's sensitive fields by mentors and coordinators, for
refused requests and for admin actions; and nothing can change an audit row."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver

from mentorship import factories
from mentorship.models import AuditEvent, ProposalStatus, User
from tests.api.conftest import assert_error


@pytest.fixture
def with_careers(programme, mentor, mentee):
    for person in (mentor, mentee):
        factories.PositionFactory.create(profile=person.profile, title="PMO lead")
    return factories.ProposalFactory.create(
        programme=programme, mentee=mentee, mentor=mentor, status=ProposalStatus.REQUESTED
    )


def reads() -> list[tuple[str, int, list[str]]]:
    return [
        (e.actor.username if e.actor else "", e.object_id, e.data["fields"])
        for e in AuditEvent.objects.filter(action="read").order_by("id")
    ]


def test_a_mentor_reading_a_mentees_career_is_audited(api, with_careers, mentor, mentee) -> None:
    assert api(mentor).get("proposals/").status_code == 200
    assert reads() == [("maria", mentee.pk, ["career_history"])]
    event = AuditEvent.objects.get(action="read")
    assert event.object_type == "user"
    assert event.data["via"] == "/api/v1/proposals/"


def test_a_mentee_reading_their_own_and_their_mentors_career_is_not(
    api, with_careers, mentee
) -> None:
    assert api(mentee).get("proposals/").status_code == 200
    assert api(mentee).get(f"match-requests/{with_careers.match_request_id}/").status_code == 200
    assert reads() == []


def test_a_coordinator_reading_both_careers_is_audited_with_the_programme(
    api, with_careers, coordinator, mentor, mentee, programme
) -> None:
    assert api(coordinator).get(f"proposals/{with_careers.pk}/").status_code == 200
    assert sorted(reads()) == [
        ("carol", mentor.pk, ["career_history"]),
        ("carol", mentee.pk, ["career_history"]),
    ]
    assert set(AuditEvent.objects.filter(action="read").values_list("programme_id", flat=True)) == {
        programme.pk
    }


def test_a_mentees_match_request_shows_mentors_careers_unaudited(
    api, with_careers, programme, mentee
) -> None:
    with_careers.delete()  # nothing pending: the mentor can be suggested
    response = api(mentee).post("match-requests/", {"programme": programme.slug})
    assert response.status_code == 201, response.content
    assert response.json()["proposals"][0]["mentor"]["positions"]
    assert reads() == []


def test_a_mentee_who_coordinates_another_programme_of_the_mentor_is_audited(
    api, with_careers, programme, other_programme, mentor, mentee
) -> None:
    """The match request reads the caller's memberships with the programme (programme_for);
    what they coordinate elsewhere still decides what the audit records."""
    with_careers.delete()
    factories.MembershipFactory.create(user=mentee, programme=other_programme, role="coordinator")
    factories.MembershipFactory.create(user=mentor, programme=other_programme, role="mentor")
    response = api(mentee).post("match-requests/", {"programme": programme.slug})
    assert response.status_code == 201, response.content
    assert reads() == [("tom", mentor.pk, ["career_history"])]
    assert AuditEvent.objects.get(action="read").programme_id == other_programme.pk


def test_a_refused_read_writes_no_read_event(api, with_careers, outsider) -> None:
    assert_error(api(outsider).get(f"proposals/{with_careers.pk}/"), 404)
    assert reads() == []


def test_a_coordinator_opening_a_profile_in_the_admin_is_audited(with_careers, mentee) -> None:
    root = factories.UserFactory.create(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    response = client.get(f"/admin/mentorship/profile/{mentee.profile.pk}/change/")
    assert response.status_code == 200
    assert reads() == [("root", mentee.pk, ["career_history"])]


def test_a_refused_request_of_a_signed_in_person_is_audited(api, with_careers, mentee) -> None:
    response = api(mentee).post(f"proposals/{with_careers.pk}/accept/", {})
    assert_error(response, 403)
    event = AuditEvent.objects.get(action="denied")
    assert event.actor == mentee
    assert event.data == {"method": "POST", "path": f"/api/v1/proposals/{with_careers.pk}/accept/"}
    assert_error(api().get("me/profile/"), 401)  # not signed in: nobody to name
    assert AuditEvent.objects.filter(action="denied").count() == 1


def test_a_page_or_admin_page_refused_is_audited_too(mentee) -> None:
    client = Client()
    client.force_login(mentee)
    assert client.get("/admin/mentorship/auditevent/").status_code == 302  # not staff: log in
    mentee.is_staff = True
    mentee.save()
    assert client.get("/admin/mentorship/auditevent/").status_code == 403
    assert AuditEvent.objects.filter(action="denied", actor=mentee).count() == 1


def test_admin_changes_append_audit_events(programme, mentee) -> None:
    root = factories.UserFactory.create(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    response = client.post(
        f"/admin/mentorship/user/{mentee.pk}/change/",
        {
            "username": mentee.username,
            "first_name": "Tomas",
            "last_name": mentee.last_name,
            "email": mentee.email,
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(action="admin_change")
    assert (event.actor, event.object_type, event.object_id) == (root, "user", mentee.pk)
    assert event.data == {"via": "admin"}


def test_no_endpoint_can_change_an_audit_row(api, with_careers, mentor) -> None:
    api(mentor).get("proposals/")  # a read event to aim at
    event = AuditEvent.objects.get(action="read")
    before = AuditEvent.objects.filter(pk=event.pk).values().get()
    root = factories.UserFactory.create(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(root)
    base = f"/admin/mentorship/auditevent/{event.pk}"
    assert client.post(f"{base}/change/", {"action": "rewritten"}).status_code == 403
    assert client.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    bulk = client.post(
        "/admin/mentorship/auditevent/",
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    assert bulk.status_code in (200, 302)
    assert AuditEvent.objects.filter(pk=event.pk).values().get() == before
    # No API route is about audit events.
    for pattern in get_resolver("api.urls").url_patterns:
        if isinstance(pattern, URLPattern):
            assert "audit" not in str(pattern.pattern), pattern


def test_erasing_a_person_changes_no_audit_row(api, with_careers, mentor, mentee) -> None:
    from mentorship.services.privacy import erase_myself

    api(mentor).get("proposals/")
    rows = list(AuditEvent.objects.values("id", "action", "object_id", "data", "created_at"))
    erase_myself(
        actor=User.objects.get(pk=mentee.pk), password=factories.DEFAULT_PASSWORD, address="x"
    )
    after = {
        row["id"]: row
        for row in AuditEvent.objects.values("id", "action", "object_id", "data", "created_at")
    }
    assert all(after[row["id"]] == row for row in rows)
