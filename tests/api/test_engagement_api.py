"""The engagement endpoints: notifications, e-mail preferences, the calendar feed, nudges and the
programme's timer settings."""

from __future__ import annotations

import pytest
from django.utils import timezone
from icalendar import Calendar

from mentorship import factories, notifications
from mentorship.models import Mentorship, Notification
from mentorship.notification_kinds import KINDS
from mentorship.services.notifications import create_calendar_feed, revoke_calendar_feed
from tests.api.conftest import assert_error


@pytest.fixture
def pair(programme, mentor, mentee) -> Mentorship:
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee, cadence_days=14
    )
    factories.SessionFactory.create(mentorship=mentorship)
    return mentorship


def tell(mentorship: Mentorship, key: str) -> list[Notification]:
    return notifications.notify(
        "cadence_due",
        recipients=notifications.the_pair(mentorship),
        about=mentorship,
        key=key,
        programme="PMO Network",
        due=timezone.localdate(),
        cadence_days=14,
        mentorship_id=mentorship.pk,
    )


def test_people_list_their_own_notifications_newest_first(api, pair, mentee, peer_mentee):
    tell(pair, "first")
    tell(pair, "second")

    body = api(mentee).get("notifications/").json()

    assert body["count"] == 2
    first = body["results"][0]
    assert set(first) == {"id", "kind", "title", "body", "url", "created_at", "read", "read_at"}
    assert first["kind"] == "cadence_due"
    assert first["url"] == f"http://testserver/mentorships/{pair.pk}/"
    assert (first["read"], first["read_at"]) == (False, None)
    assert api(peer_mentee).get("notifications/").json()["count"] == 0


def test_marking_read_is_idempotent_and_filters_follow(api, pair, mentee):
    [to_mentee] = [n for n in tell(pair, "k") if n.recipient == mentee]

    first = api(mentee).post(f"notifications/{to_mentee.pk}/read/")
    again = api(mentee).post(f"notifications/{to_mentee.pk}/read/")

    assert first.status_code == again.status_code == 200
    assert first.json()["read"] is True
    assert again.json()["read_at"] == first.json()["read_at"]
    assert api(mentee).get("notifications/?unread=true").json()["count"] == 0
    assert api(mentee).get("notifications/?unread=false").json()["count"] == 1
    assert_error(api(mentee).get("notifications/?unread=maybe"), 400)


def test_someone_elses_notification_is_not_found(api, pair, mentor, mentee):
    [to_mentee] = [n for n in tell(pair, "k") if n.recipient == mentee]

    assert_error(api(mentor).post(f"notifications/{to_mentee.pk}/read/"), 404)
    assert not Notification.objects.get(pk=to_mentee.pk).is_read


def test_preferences_list_every_kind_and_change_some(api, mentee):
    assert api(mentee).get("me/notification-preferences/").json() == {
        kind: spec.email for kind, spec in KINDS.items()
    }

    response = api(mentee).patch(
        "me/notification-preferences/", {"cadence_due": False, "request_reminder": False}
    )

    assert response.status_code == 200
    assert response.json()["cadence_due"] is False
    assert response.json()["request_accepted"] is True
    assert api(mentee).get("me/notification-preferences/").json() == response.json()


def test_preferences_with_unknown_kinds_are_refused_naming_them(api, mentee):
    body = assert_error(
        api(mentee).patch(
            "me/notification-preferences/", {"cadence_due": False, "spam": True, "ads": True}
        ),
        400,
        "invalid",
    )
    assert set(body["fields"]) == {"ads", "spam"}
    assert body["detail"] == "Unknown notification kind 'ads'."
    body = assert_error(api(mentee).patch("me/notification-preferences/", {"cadence_due": 0}), 400)
    assert set(body["fields"]) == {"cadence_due"}
    assert_error(api(mentee).patch("me/notification-preferences/", ["cadence_due"]), 400)
    assert api(mentee).get("me/notification-preferences/").json()["cadence_due"] is True


def test_the_feed_answers_its_key_without_signing_in(api, pair, mentee):
    feed = create_calendar_feed(actor=mentee)

    response = api().get(f"me/sessions.ics?key={feed.key}")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    calendar = Calendar.from_ical(response.content)
    assert len(calendar.walk("VEVENT")) == 2  # the session and the next due one


def test_a_wrong_missing_or_revoked_key_is_a_404_that_reveals_nothing(api, mentee):
    feed = create_calendar_feed(actor=mentee)
    revoke_calendar_feed(actor=mentee)

    bodies = [
        assert_error(api(mentee).get(path), 404)
        for path in (
            f"me/sessions.ics?key={feed.key}",
            "me/sessions.ics?key=wrong",
            "me/sessions.ics",
        )
    ]
    assert (
        bodies[0]
        == bodies[1]
        == bodies[2]
        == {
            "error": "not_found",
            "detail": "No such calendar.",
        }
    )


def test_a_coordinator_nudges_a_pair_once_a_day(api, pair, coordinator, mentee, other_coordinator):
    response = api(coordinator).post(f"mentorships/{pair.pk}/nudge/")

    assert response.status_code == 200
    assert response.json()["id"] == pair.pk
    assert Notification.objects.filter(kind="coordinator_nudge").count() == 2
    assert_error(api(coordinator).post(f"mentorships/{pair.pk}/nudge/"), 409, "conflict")
    assert_error(api(mentee).post(f"mentorships/{pair.pk}/nudge/"), 403)
    assert_error(api(other_coordinator).post(f"mentorships/{pair.pk}/nudge/"), 404)
    assert Notification.objects.filter(kind="coordinator_nudge").count() == 2


def test_coordinators_set_the_programmes_timers(api, programme, coordinator, mentor):
    timers = {
        "first_reminder_hours": 72,
        "second_reminder_hours": 0,
        "expiries_before_pause": 3,
        "cadence_nudges": False,
        "inactivity_warning_days": 45,
        "inactivity_pause_days": 0,
        "follow_up_reminders": False,
    }
    response = api(coordinator).patch(f"programmes/{programme.slug}/", timers)

    assert response.status_code == 200
    assert {k: response.json()[k] for k in timers} == timers
    programme.refresh_from_db()
    assert programme.expiries_before_pause == 3
    seen_by_mentor = api(mentor).get(f"programmes/{programme.slug}/").json()
    assert seen_by_mentor["first_reminder_hours"] == 72
    for bad in (
        {"first_reminder_hours": 721},
        {"expiries_before_pause": -1},
        {"cadence_nudges": 1},
    ):
        assert_error(api(coordinator).patch(f"programmes/{programme.slug}/", bad), 400)


def test_the_schema_documents_the_engagement_endpoints(api):
    schema = api().get("schema/?format=json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/notifications/",
        "/api/v1/notifications/{id}/read/",
        "/api/v1/me/notification-preferences/",
        "/api/v1/me/sessions.ics",
        "/api/v1/mentorships/{id}/nudge/",
    ):
        assert path in paths, path
    preferences = schema["components"]["schemas"]["PatchedEmailPreferencesRequest"]
    assert preferences["additionalProperties"] is False
    assert set(preferences["properties"]) == set(KINDS)
    feed = paths["/api/v1/me/sessions.ics"]["get"]
    assert "text/calendar" in feed["responses"]["200"]["content"]
    assert {"404"} <= set(feed["responses"])
