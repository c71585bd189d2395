"""The engagement pages: notifications with mark-as-read, e-mail preferences, the calendar link
and file, a mentor's availability, and the coordinators' engagement, nudge and export pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone

from mentorship import factories, notifications
from mentorship.models import (
    AuditEvent,
    CalendarFeed,
    Export,
    ExportStatus,
    Membership,
    Mentorship,
    Notification,
    NotificationPreference,
    Programme,
    Role,
    User,
)
from mentorship.selectors.responsiveness import Responsiveness


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def pair(programme: Programme, mentor: User, mentee: User) -> Mentorship:
    mentorship = factories.MentorshipFactory.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee,
        started_on=timezone.localdate() - dt.timedelta(days=70),
        cadence_days=14,
    )
    factories.SessionFactory.create(
        mentorship=mentorship, date=timezone.localdate() - dt.timedelta(days=65)
    )
    return mentorship


def tell(pair: Mentorship, key: str = "") -> dict[User, Notification]:
    made = notifications.notify(
        "cadence_overdue",
        recipients=notifications.the_pair(pair),
        about=pair,
        key=key,
        programme=pair.programme.name,
        due=timezone.localdate(),
        cadence_days=14,
        mentorship_id=pair.pk,
    )
    return {n.recipient: n for n in made}


# Notifications ----------------------------------------------------------------------------


def test_the_navigation_counts_unread_notifications(client, pair, mentee):
    client.force_login(mentee)
    assert "badge notification-count" not in client.get("/").content.decode()

    tell(pair, "a")
    tell(pair, "b")
    page = client.get("/").content.decode()

    assert '<span class="badge notification-count">2<span class="visually-hidden"> unread' in page


def test_the_list_shows_ones_own_notifications_newest_first(client, pair, mentee, peer_mentee):
    mine = tell(pair)[mentee]
    client.force_login(mentee)

    response = client.get("/notifications/")

    page = response.content.decode()
    assert response.status_code == 200
    assert mine.title in page
    assert "1 unread." in page
    assert f"/notifications/{mine.pk}/open/" in page
    assert "no-store" in response["Cache-Control"]
    client.force_login(peer_mentee)
    assert mine.title not in client.get("/notifications/").content.decode()


def test_marking_read_works_without_javascript_and_twice_is_harmless(client, pair, mentee):
    mine = tell(pair)[mentee]
    client.force_login(mentee)

    for _ in range(2):
        response = client.post(
            f"/notifications/{mine.pk}/read/", {"next": "/notifications/?show=unread"}
        )
        assert response.status_code == 302
        assert response["Location"] == "/notifications/?show=unread"

    mine.refresh_from_db()
    assert mine.is_read
    assert "No unread notifications." in client.get("/notifications/?show=unread").content.decode()


def test_marking_read_with_htmx_swaps_the_item_and_the_count(client, pair, mentee):
    mine = tell(pair)[mentee]
    client.force_login(mentee)

    response = client.post(f"/notifications/{mine.pk}/read/", HTTP_HX_REQUEST="true")

    fragment = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{mine.pk}"' in fragment
    assert "Mark as read" not in fragment
    assert 'id="notification-count" hx-swap-oob="true"' in fragment
    assert "<html" not in fragment


def test_an_offsite_next_is_ignored(client, pair, mentee):
    mine = tell(pair)[mentee]
    client.force_login(mentee)

    response = client.post(f"/notifications/{mine.pk}/read/", {"next": "https://evil.example/"})

    assert response["Location"] == "/notifications/"


def test_opening_a_notification_marks_it_read_and_goes_where_one_acts(client, pair, mentee):
    mine = tell(pair)[mentee]
    client.force_login(mentee)

    response = client.get(f"/notifications/{mine.pk}/open/")

    assert response.status_code == 302
    assert response["Location"] == f"/mentorships/{pair.pk}/"
    mine.refresh_from_db()
    assert mine.is_read


def test_mark_all_as_read(client, pair, mentee):
    tell(pair, "a")
    tell(pair, "b")
    client.force_login(mentee)

    response = client.post("/notifications/read-all/", follow=True)

    assert "Marked 2 notifications as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=mentee, read_at__isnull=True).exists()


def test_someone_elses_notification_is_a_404_and_get_cannot_mark_read(client, pair, mentor, mentee):
    theirs = tell(pair)[mentor]
    client.force_login(mentee)

    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.get(f"/notifications/{tell(pair, 'x')[mentee].pk}/read/").status_code == 405
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_signed_out_visitors_are_sent_to_sign_in(client, db):
    for path in ("/notifications/", "/notifications/preferences/", "/calendar/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


# E-mail preferences -----------------------------------------------------------------------


def test_preferences_show_the_kinds_of_ones_roles_and_save_them(client, mentee, audit_of):
    client.force_login(mentee)
    page = client.get("/notifications/preferences/").content.decode()

    assert "As a mentee" in page
    assert "Your request is declined" in page
    assert "As a mentor" not in page  # a mentee only
    assert "As a coordinator" not in page

    ticked = {"request_accepted": "on", "request_declined": "on", "cadence_overdue": "on"}
    response = client.post("/notifications/preferences/", ticked, follow=True)

    assert "Your e-mail preferences are saved." in response.content.decode()
    off = set(
        NotificationPreference.objects.filter(user=mentee, email=False).values_list(
            "kind", flat=True
        )
    )
    assert "cadence_due" in off
    assert "request_expired" in off
    assert "request_accepted" not in off
    assert "request_reminder" not in off  # a mentor's kind: not on a mentee's page
    assert AuditEvent.objects.filter(action="email_preferences", actor=mentee).count() == 1


def test_a_coordinator_sees_the_coordinator_kinds(client, coordinator):
    client.force_login(coordinator)

    page = client.get("/notifications/preferences/").content.decode()

    assert "As a coordinator" in page
    assert "A pair of your programme stopped meeting" in page
    assert "As a mentee" not in page


# The calendar -----------------------------------------------------------------------------


def test_a_person_makes_replaces_and_revokes_their_calendar_link(client, mentee):
    client.force_login(mentee)
    assert "Create a calendar link" in client.get("/calendar/").content.decode()

    client.post("/calendar/", {"action": "create"})
    first = CalendarFeed.objects.get(user=mentee).key
    page = client.get("/calendar/").content.decode()
    assert f"http://testserver/api/v1/me/sessions.ics?key={first}" in page
    client.post("/calendar/", {"action": "create"})
    second = CalendarFeed.objects.get(user=mentee).key
    assert second != first
    response = client.post("/calendar/", {"action": "revoke"}, follow=True)
    assert "The calendar link is revoked." in response.content.decode()
    assert not CalendarFeed.objects.filter(user=mentee).exists()
    assert client.get(f"/api/v1/me/sessions.ics?key={second}").status_code == 404


def test_the_pair_downloads_the_mentorships_calendar_file(client, pair, mentee, peer_mentee):
    client.force_login(mentee)

    response = client.get(f"/mentorships/{pair.pk}/calendar.ics")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="mentorship-{pair.pk}.ics"' in response["Content-Disposition"]
    assert b"BEGIN:VCALENDAR" in response.content
    client.force_login(peer_mentee)
    assert client.get(f"/mentorships/{pair.pk}/calendar.ics").status_code == 404


# A mentor's availability ------------------------------------------------------------------


def test_a_paused_mentor_confirms_they_are_available_again(client, programme, mentor, audit_of):
    membership = Membership.objects.get(user=mentor, role=Role.MENTOR)
    Membership.objects.filter(pk=membership.pk).update(requests_paused_at=timezone.now())
    client.force_login(mentor)

    page = client.get("/mentor/availability/").content.decode()
    assert "cannot send you new requests" in page
    assert "I am available again" in page

    response = client.post("/mentor/availability/", {"programme": programme.slug}, follow=True)
    assert "mentees can send you requests again" in response.content.decode()
    membership.refresh_from_db()
    assert membership.requests_paused_at is None
    again = client.post("/mentor/availability/", {"programme": programme.slug}, follow=True)
    assert "already available" in again.content.decode()
    assert [e.action for e in audit_of(membership)] == ["confirm_available"]


def test_the_availability_page_is_for_mentors(client, mentee, mentor, other_programme):
    client.force_login(mentee)
    assert client.get("/mentor/availability/").status_code == 404
    client.force_login(mentor)
    response = client.post(
        "/mentor/availability/", {"programme": other_programme.slug}, follow=True
    )
    assert "No such programme." in response.content.decode()


# Coordinators: engagement, nudges, exports ------------------------------------------------


def test_a_coordinator_sees_paused_mentors_idle_pairs_and_responsiveness(
    client, programme, coordinator, mentor, pair
):
    Membership.objects.filter(user=mentor, role=Role.MENTOR).update(
        requests_paused_at=timezone.now()
    )
    client.force_login(coordinator)

    page = client.get(f"/programmes/{programme.slug}/engagement/").content.decode()

    assert "Mentors paused from new requests" in page
    assert f"<strong>{mentor.display_name}</strong>" in page
    assert "Pairs that stopped meeting" in page
    assert ">65<" in page  # days without a session
    pause_on = timezone.localdate() + dt.timedelta(days=25)
    assert f"on {pause_on.day} {pause_on:%b %Y}" in page
    assert f'action="/mentorships/{pair.pk}/nudge/"' in page
    assert "Mentor responsiveness" in page


@pytest.mark.parametrize(("who", "status"), [("mentor", 403), ("other_coordinator", 404)])
def test_only_the_programmes_coordinators_see_its_engagement(
    client, request, programme, who, status
):
    client.force_login(request.getfixturevalue(who))
    for path in ("engagement", "exports"):
        assert client.get(f"/programmes/{programme.slug}/{path}/").status_code == status


def test_the_nudge_button_nudges_once_a_day_with_and_without_javascript(
    client, programme, coordinator, pair
):
    client.force_login(coordinator)

    response = client.post(f"/mentorships/{pair.pk}/nudge/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f"Nudged {pair.mentor.display_name} and {pair.mentee.display_name}." in (
        response.content.decode()
    )
    again = client.post(
        f"/mentorships/{pair.pk}/nudge/", {"next": f"/programmes/{programme.slug}/engagement/"}
    )
    assert again.status_code == 302
    assert again["Location"] == f"/programmes/{programme.slug}/engagement/"
    page = client.get(again["Location"]).content.decode()
    assert "already nudged today" in page
    assert Notification.objects.filter(kind="coordinator_nudge").count() == 2


def test_the_pair_cannot_nudge_itself_and_outsiders_get_404(
    client, pair, mentee, other_coordinator
):
    client.force_login(mentee)
    assert client.post(f"/mentorships/{pair.pk}/nudge/").status_code == 302
    assert not Notification.objects.exists()
    client.force_login(other_coordinator)
    assert client.post(f"/mentorships/{pair.pk}/nudge/").status_code == 404
    assert client.get(f"/mentorships/{pair.pk}/nudge/").status_code == 405


def test_a_coordinator_prepares_an_export_and_downloads_it_when_ready(
    client, programme, coordinator, pair, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/programmes/{programme.slug}/exports/")

    page = client.get(response["Location"]).content.decode()
    assert "Your export is being prepared" in page
    export = Export.objects.get()
    assert export.status == ExportStatus.READY
    assert f"/programmes/{programme.slug}/exports/{export.pk}/download/" in page
    download = client.get(f"/programmes/{programme.slug}/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download.content.decode().startswith("mentorship,mentor,mentee")
    assert Notification.objects.filter(kind="export_ready", recipient=coordinator).exists()


def test_a_pending_export_cannot_be_downloaded_nor_asked_for_twice(client, programme, coordinator):
    client.force_login(coordinator)
    client.post(f"/programmes/{programme.slug}/exports/")  # not committed: stays pending
    export = Export.objects.get()

    twice = client.post(f"/programmes/{programme.slug}/exports/", follow=True)
    early = client.get(f"/programmes/{programme.slug}/exports/{export.pk}/download/", follow=True)

    assert "already being prepared" in twice.content.decode()
    assert "not ready yet" in early.content.decode()
    assert Export.objects.count() == 1


# Partials the lead places on other areas' pages -------------------------------------------


@pytest.mark.parametrize(
    ("requests", "answered", "hours", "text"),
    [
        (0, 0, None, "New mentor: no requests answered yet"),
        (4, 3, 5.0, "Usually answers within a few hours · answered 3 of 4 requests"),
        (2, 2, 20.0, "Usually answers within a day · answered 2 of 2 requests"),
        (1, 1, 50.0, "Usually answers within 3 days · answered 1 of 1 request"),
        (3, 0, None, "answered 0 of 3 requests"),
    ],
)
def test_the_responsiveness_partial_says_it_in_words(requests, answered, hours, text):
    html = render_to_string(
        "frontend/mentee/_responsiveness.html",
        {"responsiveness": Responsiveness(1, requests, answered, hours, 0.5)},
    )
    assert html.split(">", 1)[1].rsplit("<", 1)[0].strip() == text


def test_the_calendar_partial_links_the_mentorships_file(pair):
    html = render_to_string("frontend/pairs/_calendar_link.html", {"mentorship": pair})
    assert f'href="/mentorships/{pair.pk}/calendar.ics"' in html
