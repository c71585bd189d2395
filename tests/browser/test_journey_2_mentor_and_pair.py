"""The mentor's and the pair's journey on the demo: the mentor declines one request with a reason
and accepts another; the declined mentee reads the reason; the pair logs a session and an
introduction, and the mentee records its outcome.

The tests run in file order and share the server's state: each picks up where the previous one
left the demo.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, check_page, screenshot, sign_in, sign_out

pytestmark = pytest.mark.browser

DECLINE_REASON = "I mentor construction PMOs only this year; ask someone from your industry."

# The demo leaves `mentor` with pending requests from mentees who have no mentor yet.
PENDING_REQUESTS = """
from mentorship.models import Proposal

pending = Proposal.objects.filter(status="requested", mentor__username="mentor")
for proposal in pending.order_by("expires_at", "pk")[:2]:
    print("pending", proposal.mentee.username, proposal.mentee.get_full_name(), sep="|")
"""


@pytest.fixture(scope="module")
def requests_to_mentor(server: Server) -> list[tuple[str, str]]:
    """(username, name) of the mentees whose requests wait for `mentor`, in inbox order."""
    output = server.manage("shell", "-c", PENDING_REQUESTS)
    rows = [line.split("|")[1:] for line in output.splitlines() if line.startswith("pending|")]
    assert len(rows) == 2, output
    return [(username, name) for username, name in rows]


def api_json(page: Page, path: str) -> dict[str, Any]:
    response = page.request.get(path)
    assert response.ok, f"{path}: {response.status}"
    return json.loads(response.text())


def test_mentor_declines_one_request_with_a_reason_and_accepts_another(
    page: Page, requests_to_mentor: list[tuple[str, str]]
) -> None:
    (_, declined), (_, accepted) = requests_to_mentor
    sign_in(page, "mentor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
    expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
    expect(page.get_by_text("2 of 3 places taken")).to_be_visible()
    check_page(page)
    screenshot(page, "mentor-inbox")

    card = page.get_by_role("article", name=declined)
    expect(card.get_by_role("heading", name="Why you were matched")).to_be_visible()
    card.get_by_role("button", name="Decline").click()  # no reason yet: refused in place
    reason = card.get_by_label("Why you decline")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(card.get_by_text("This field is required.")).to_be_visible()
    reason.fill(DECLINE_REASON)
    card.get_by_role("button", name="Decline").click()
    expect(card.get_by_text("You declined on")).to_be_visible()
    expect(card.get_by_text(DECLINE_REASON)).to_be_visible()

    card = page.get_by_role("article", name=accepted)
    card.get_by_label("Meet every (days)").fill("21")
    card.get_by_label("First goals (optional)").fill("Step into a PMO lead role within a year.")
    card.get_by_role("button", name="Accept").click()
    expect(card.get_by_text(f"Accepted: you now mentor {accepted}.")).to_be_visible()
    expect(page.get_by_text("3 of 3 places taken")).to_be_visible()  # swapped out of band
    card.get_by_role("link", name=f"Open your mentorship with {accepted}").click()
    expect(page.get_by_role("heading", level=1, name=f"Mentoring {accepted}")).to_be_visible()
    expect(page.get_by_text("every 21 days")).to_be_visible()
    expect(page.get_by_text("Step into a PMO lead role within a year.")).to_be_visible()


def test_the_declined_mentee_reads_the_reason(
    page: Page, requests_to_mentor: list[tuple[str, str]]
) -> None:
    username, _ = requests_to_mentor[0]
    sign_in(page, username)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My requests").click()
    mentor_name = page.get_by_role("article").filter(has_text=DECLINE_REASON)
    expect(mentor_name).to_have_count(1)
    expect(mentor_name.get_by_text("Declined")).to_be_visible()
    expect(mentor_name.get_by_text(DECLINE_REASON)).to_be_visible()


def test_the_mentor_sees_what_they_offer_and_their_full_places(page: Page) -> None:
    sign_in(page, "mentor")
    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="What I offer").click()
    expect(page.get_by_role("heading", level=1, name="What I offer")).to_be_visible()
    expect(page.get_by_text("3 of 3 places taken")).to_be_visible()
    capacity = page.get_by_label("Mentees I can take at once")
    capacity.fill("9")  # above the programme's maximum of 4: the service refuses
    page.get_by_role("button", name="Save what I offer").click()
    expect(page.get_by_text("Your programme allows at most 4 mentees per mentor.")).to_be_visible()
    expect(capacity).to_have_value("9")
    capacity.fill("3")
    page.get_by_role("button", name="Save what I offer").click()
    expect(page.get_by_text("Saved: this is what mentees are matched on now.")).to_be_visible()
    check_page(page)
    screenshot(page, "mentor-offer")


def test_the_pair_logs_a_session_and_an_introduction_and_the_mentee_records_its_outcome(
    page: Page,
) -> None:
    sign_in(page, "mentor")
    mentorships = api_json(page, "/api/v1/mentorships/?status=active")["results"]
    pair = next(m for m in mentorships if m["mentee"]["username"] == "mentee")
    mentee_name = pair["mentee"]["name"]

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My mentees").click()
    expect(page.get_by_role("heading", level=1, name="My mentees")).to_be_visible()
    check_page(page)
    screenshot(page, "mentorships")
    page.get_by_role("link", name=mentee_name).click()
    expect(page.get_by_role("heading", level=1, name=f"Mentoring {mentee_name}")).to_be_visible()

    # A session, logged without reloading the page (htmx swaps the form and the history).
    page.evaluate("() => { window.stillTheSamePage = true; }")
    today = dt.datetime.now(dt.UTC).date()
    yesterday = today - dt.timedelta(days=1)
    log = page.get_by_role("form", name="Log a session")
    log.get_by_label("Date").fill(yesterday.isoformat())
    log.get_by_label("Duration (minutes)").fill("50")
    log.get_by_label("Format").select_option(label="Video call")
    log.get_by_label("Stakeholder management").check()
    log.get_by_label("Private notes").fill("MENTOR-NOTE: agreed a 30-60-90 day plan.")
    log.get_by_label("5", exact=True).check()
    log.get_by_role("button", name="Log the session").click()
    sessions = page.locator("#sessions")
    expect(sessions.get_by_role("status")).to_contain_text("logged.")
    expect(sessions.get_by_text("MENTOR-NOTE: agreed a 30-60-90 day plan.")).to_be_visible()
    expect(page.locator("#cadence")).to_contain_text("on track")
    assert page.evaluate("() => window.stillTheSamePage === true")
    expect(page.get_by_label("Private notes")).to_have_value("")  # a fresh form

    # An introduction from the mentor's network.
    page.get_by_text("Record an introduction").click()
    intro = page.locator(".record-introduction form")
    intro.get_by_label("Contact's name").fill("Rui Costa")
    intro.get_by_label("Organisation").fill("Harbour Logistics")
    intro.get_by_label(re.compile(r"^Role:?$")).fill("Operations Director")
    intro.get_by_label("Network group").select_option(label="Wider business")
    intro.get_by_label("Connection type").select_option(label="Operational")
    intro.get_by_label("Purpose").fill("How operations plans capacity with the PMO")
    intro.get_by_label("Follow up on (optional)").fill((today + dt.timedelta(days=14)).isoformat())
    intro.get_by_role("button", name="Record the introduction").click()
    expect(page.get_by_text("Introduction recorded.")).to_be_visible()
    kim = page.get_by_role("article", name=re.compile(r"^Rui Costa"))
    expect(kim).to_contain_text("Not confirmed yet")
    check_page(page)
    screenshot(page, "mentorship-page")
    sign_out(page)

    # The mentee confirms the introduction and says how it went; the mentor's notes stay theirs.
    sign_in(page, "mentee")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My mentorships").click()
    page.get_by_role("link", name=pair["mentor"]["name"]).click()
    expect(page.get_by_text("MENTOR-NOTE")).to_have_count(0)
    kim = page.get_by_role("article", name=re.compile(r"^Rui Costa"))
    kim.get_by_label("This introduction happened").check()
    kim.get_by_label("Outcome").select_option(label="They met")
    kim.get_by_label("Note").fill("Coffee at Harbour; he offered to review my CV.")
    kim.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_text("Thank you: the outcome is recorded.")).to_be_visible()
    kim = page.get_by_role("article", name=re.compile(r"^Rui Costa"))
    expect(kim).to_contain_text("Confirmed on")
    expect(kim).to_contain_text("They met")
    expect(kim).to_contain_text("he offered to review my CV")
    check_page(page)
