"""Notifications and engagement, as people use them: reading and marking notifications, choosing
which are e-mailed, the calendar link, a paused mentor coming back, and a coordinator's
engagement page with its nudge button and background exports."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, check_page, screenshot, sign_in

pytestmark = pytest.mark.browser


def unread_badge(page: Page) -> str:
    badge = page.locator("#notification-count .notification-count")
    return badge.inner_text() if badge.count() else "0"


def test_a_mentor_reads_their_notifications_and_marks_one_read(page: Page) -> None:
    sign_in(page, "mentor")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile("Notifications")
    ).click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    before = int(re.sub(r"\D", "", unread_badge(page)) or 0)
    assert before > 0, "the demo mentor has unread notifications"
    check_page(page)
    screenshot(page, "notifications-list")

    first = page.locator("article.notification--unread").first
    title = first.get_by_role("heading").inner_text()
    first.get_by_role("button", name=re.compile("Mark as read")).click()
    item = page.locator("article.notification", has_text=title).first
    expect(item.get_by_role("button", name=re.compile("Mark as read"))).to_have_count(0)
    expect(page.locator("#notification-count")).to_contain_text(
        str(before - 1) if before > 1 else ""
    )

    page.get_by_role("link", name="Unread", exact=True).click()
    expect(page.get_by_role("heading", name=title)).to_have_count(0)


def test_a_mentor_turns_off_reminder_e_mails_and_the_choice_is_kept(page: Page) -> None:
    sign_in(page, "mentor")
    page.goto("/notifications/")
    page.get_by_role("link", name="Choose which are e-mailed to you").click()
    reminders = page.get_by_label("Reminders of requests waiting for your answer")
    expect(reminders).to_be_checked()
    check_page(page)
    screenshot(page, "notifications-preferences")

    reminders.uncheck()
    page.get_by_role("button", name="Save preferences").click()

    expect(page.get_by_text("Your e-mail preferences are saved.")).to_be_visible()
    expect(page.get_by_label("Reminders of requests waiting for your answer")).not_to_be_checked()
    expect(page.get_by_label("A mentee asks you to mentor them")).to_be_checked()


def test_a_mentee_makes_a_calendar_link_that_works_until_revoked(page: Page) -> None:
    sign_in(page, "mentee")
    page.goto("/notifications/preferences/")
    page.get_by_role("link", name="Manage your calendar link").click()
    page.get_by_role("button", name="Create a calendar link").click()
    link = page.get_by_label(re.compile("Your calendar link"))
    url = link.input_value()
    assert "/api/v1/me/sessions.ics?key=" in url
    check_page(page)
    screenshot(page, "notifications-calendar")

    feed = page.request.get(url)
    assert feed.status == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in feed.text()

    page.get_by_role("button", name="Revoke the link").click()
    expect(page.get_by_text("The calendar link is revoked.")).to_be_visible()
    assert page.request.get(url).status == 404


def test_a_paused_mentor_says_they_are_available_again(page: Page, server: Server) -> None:
    server.manage(
        "shell",
        "-c",
        "from django.utils import timezone; from mentorship.models import Membership; "
        "Membership.objects.filter(user__username='mentor', role='mentor')"
        ".update(requests_paused_at=timezone.now())",
    )
    sign_in(page, "mentor")
    page.goto("/mentor/availability/")
    expect(page.get_by_text("cannot send you new requests")).to_be_visible()
    check_page(page)
    screenshot(page, "engagement-availability")

    page.get_by_role("button", name="I am available again").click()

    expect(page.get_by_text("Thank you: mentees can send you requests again.")).to_be_visible()
    expect(page.get_by_role("button", name="I am available again")).to_have_count(0)
    expect(page.get_by_text("available", exact=True)).to_be_visible()


def test_a_coordinator_sees_who_stopped_meeting_and_nudges_a_pair(page: Page) -> None:
    sign_in(page, "coordinator")
    page.goto("/programmes/pmo-network/engagement/")
    expect(page.get_by_role("heading", name="Mentor responsiveness")).to_be_visible()
    expect(page.get_by_role("table").last.get_by_role("row")).not_to_have_count(1)
    check_page(page)
    screenshot(page, "engagement-programme")

    idle = page.get_by_role("region", name="Pairs that stopped meeting")
    nudge = idle.get_by_role("button", name=re.compile("^Nudge")).first
    expect(nudge).to_be_visible()
    nudge.click()
    expect(idle.get_by_role("status").first).to_contain_text("Nudged")


def test_a_coordinator_prepares_a_csv_export_and_downloads_it(page: Page) -> None:
    sign_in(page, "coordinator")
    page.goto("/programmes/pmo-network/engagement/")
    page.get_by_role("link", name="CSV exports").click()
    page.get_by_role("button", name="Prepare a session cadence export").click()

    expect(page.get_by_text("Your export is being prepared")).to_be_visible()
    download_link = page.get_by_role("link", name=re.compile(r"^Download pmo-network-cadence-"))
    expect(download_link).to_be_visible()
    check_page(page)
    screenshot(page, "engagement-exports")
    with page.expect_download() as waiting:
        download_link.click()
    path = waiting.value.path()
    assert path is not None
    with open(path, encoding="utf-8") as csv:
        assert csv.readline().startswith("mentorship,mentor,mentee")

    page.goto("/notifications/")
    expect(page.get_by_role("link", name=re.compile(r"Your export .* is ready"))).to_be_visible()
