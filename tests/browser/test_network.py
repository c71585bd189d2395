"""The network plan, as people use it: the mentor introduces someone, the contact appears in the
mentee's plan, the mentee's first touchpoint confirms the introduction and fills a thin spot of
the coverage, and the mentee shares the plan with their mentor.

The mentorship page is built on another branch; until it is merged here, the mentor records the
introduction and reads the shared plan through the API with their browser session (the same
services and selectors the page calls).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_page, screenshot, sign_in

pytestmark = pytest.mark.browser

CONTACT = "Kim Lee"


def api(page: Page, method: str, path: str, data: Any = None) -> Any:
    """Call the API as the signed-in person (session cookie and CSRF token)."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.fetch(
        f"/api/v1/{path}",
        method=method,
        headers={"X-CSRFToken": token, "Content-Type": "application/json"},
        data=data,
    )


def the_pair(page: Page) -> int:
    """The demo mentor's mentorship with the demo mentee."""
    response = api(page, "GET", "mentorships/?status=active")
    assert response.ok, response.text()
    return next(m["id"] for m in response.json()["results"] if m["mentee"]["username"] == "mentee")


def test_the_mentor_introduces_a_senior_leader_and_cannot_see_the_private_plan(
    page: Page,
) -> None:
    sign_in(page, "mentor")
    pair = the_pair(page)
    follow_up = (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=7)).isoformat()

    response = api(
        page,
        "POST",
        f"mentorships/{pair}/introductions/",
        {
            "contact_name": CONTACT,
            "contact_organisation": "Gridline Power",
            "contact_role": "Chief Operating Officer",
            "network_group": "senior_leadership",
            "connection_type": "strategic",
            "purpose": "How an energy company's portfolio board decides what to fund.",
            "follow_up_on": follow_up,
        },
    )

    assert response.status == 201, response.text()
    assert api(page, "GET", f"mentorships/{pair}/network/").status == 404  # not shared yet


def test_the_mentee_sees_the_introduction_in_their_plan(page: Page) -> None:
    sign_in(page, "mentee")
    page.get_by_role("link", name="My network").click()

    expect(page.get_by_role("heading", name="My network", level=1)).to_be_visible()
    senior = page.get_by_role("region", name=re.compile("^Senior leadership"))
    card = senior.get_by_role("article", name=CONTACT)
    expect(card).to_contain_text("never met")
    expect(card).to_contain_text("Introduced by")
    expect(card).to_contain_text("not confirmed yet")
    expect(card).to_contain_text("How an energy company's portfolio board decides what to fund.")
    coverage = page.get_by_role("region", name="Coverage")
    row = coverage.get_by_role("row", name=re.compile("^Senior leadership"))
    expect(row).to_contain_text("1")
    expect(coverage.get_by_role("list")).to_contain_text("No senior leadership contacts on track")
    check_page(page)


def test_the_mentees_first_touchpoint_confirms_it_and_the_coverage_changes(page: Page) -> None:
    sign_in(page, "mentee")
    page.goto("/network/")
    card = page.get_by_role("article", name=CONTACT)
    chart_before = page.evaluate(
        "() => Chart.getChart(document.getElementById('network-coverage-chart'))"
        ".data.datasets[0].data"
    )

    card.get_by_label("How you were in touch").select_option("meeting")
    card.get_by_label("Note (optional)").fill("Coffee after the portfolio board")
    card.get_by_role("button", name="Log touchpoint").click()

    card = page.get_by_role("article", name=CONTACT)
    expect(card).to_contain_text("on track")
    expect(card).to_contain_text("confirmed")
    expect(card).not_to_contain_text("not confirmed")
    coverage = page.get_by_role("region", name="Coverage")
    row = coverage.get_by_role("row", name=re.compile("^Senior leadership"))
    expect(row.get_by_role("cell").nth(1)).to_have_text("1")  # on track
    expect(coverage).not_to_contain_text("No senior leadership contacts")
    chart_after = page.evaluate(
        "() => Chart.getChart(document.getElementById('network-coverage-chart'))"
        ".data.datasets[0].data"
    )
    assert chart_after[1] == chart_before[1] + 1  # senior leadership, on track
    check_page(page)
    screenshot(page, "network")


def test_the_mentee_records_what_came_of_the_introduction(page: Page) -> None:
    sign_in(page, "mentee")
    page.goto("/network/")
    page.get_by_role("article", name=CONTACT).get_by_role("link", name=CONTACT).click()

    expect(page.get_by_role("heading", name=CONTACT, level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Coffee after the portfolio board")).to_be_visible()
    page.get_by_label("What came of it").select_option("met")
    page.get_by_role("button", name="Record the outcome").click()
    expect(page.get_by_text("The introduction's outcome is recorded.")).to_be_visible()
    check_page(page)
    screenshot(page, "network-contact")


def test_the_mentee_adds_a_key_contact_and_must_say_why(page: Page) -> None:
    sign_in(page, "mentee")
    page.goto("/network/")
    page.get_by_role("link", name="Add a contact").click()
    page.get_by_label("Name").fill("Sam Patel")
    page.get_by_label("Network group").select_option("wider_business")
    page.get_by_label("Strategic").check()
    page.get_by_label("Key: can change your career").check()
    page.get_by_role("button", name="Add to my plan").click()

    why = page.get_by_label("Why this contact matters")
    expect(why).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Name")).to_have_value("Sam Patel")
    check_page(page)
    screenshot(page, "network-add-contact")
    why.fill("Runs the finance side of every business case I write.")
    page.get_by_role("button", name="Add to my plan").click()

    expect(page.get_by_text("Sam Patel is in your plan.")).to_be_visible()
    expect(
        page.get_by_role("region", name=re.compile("^Wider business")).get_by_role(
            "article", name="Sam Patel"
        )
    ).to_contain_text("Key")


def test_the_mentee_shares_the_plan_and_the_mentor_sees_it(page: Page) -> None:
    sign_in(page, "mentee")
    page.goto("/network/")
    page.get_by_role("button", name="Share my plan with my mentor").click()
    expect(page.get_by_role("button", name="Stop sharing with my mentor")).to_be_visible()
    page.reload()
    expect(page.get_by_role("button", name="Stop sharing with my mentor")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "mentor")
    pair = the_pair(page)
    page.goto(f"/mentorships/{pair}/")
    panel = page.get_by_role("region", name=re.compile(r"network plan$"))
    expect(panel).to_be_visible()
    expect(panel.get_by_role("row", name=re.compile(r"^Senior leadership 1"))).to_be_visible()
    check_page(page)
    response = api(page, "GET", f"mentorships/{pair}/network/")

    assert response.status == 200, response.text()
    summary = response.json()
    assert summary["shared"] is True
    senior = next(g for g in summary["coverage"] if g["network_group"] == "senior_leadership")
    assert (senior["contacts"], senior["healthy"]) == (1, 1)
    assert summary["summary"].split(" keeps ")[1].startswith(f"{summary['contacts']} contacts")
