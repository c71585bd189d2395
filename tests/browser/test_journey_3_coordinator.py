"""The coordinator's journey on the demo, after the mentee's and the pair's (the modules run in
story order and share the demo server): the dashboard's charts show the programme's numbers and
the introduction the pair just recorded, the cadence table filters, the demo's draft cohort run
is reviewed and published, a new run is drafted, reviewed and published, the settings refuse a
wrong value next to its field, the members are listed, and the cadence CSV downloads.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import Server, check_page, screenshot, sign_in, visit

pytestmark = pytest.mark.browser

SLUG = "pmo-network"
DASHBOARD = f"/programmes/{SLUG}/"
CHARTS = ("sessions", "cadence", "first-session", "funnel", "decline-reasons", "introductions")

# The selectors' numbers, read on the server's database: what every chart must show.
NUMBERS = """
import json
from mentorship.models import User
from mentorship.selectors.cadence import programme_cadence
from mentorship.selectors.stats import programme_charts
from mentorship.taxonomy import ConnectionType, NetworkGroup

actor = User.objects.get(username="coordinator")
charts = programme_charts(actor=actor, slug="pmo-network")
_, rows, s = programme_cadence(actor=actor, slug="pmo-network")
groups = charts.introductions
print("NUMBERS " + json.dumps({
    "sessions": [[w.sessions for w in charts.sessions_per_week]],
    "cadence": [[s.on_track, s.due, s.overdue, s.never_met, s.paused]],
    "first-session": [[b.mentorships for b in charts.first_session.bins]],
    "funnel": [list(charts.funnel.values())],
    "decline-reasons": [[n for _, n in charts.decline_reasons]],
    "introductions": [[groups[g][t] for g in NetworkGroup.values] for t in ConnectionType.values],
    "reasons": [r for r, _ in charts.decline_reasons],
    "active": s.active,
    "overdue": s.overdue,
}))
"""

READ_CHART = """(canvas) => {
  const chart = Chart.getChart(canvas);
  return chart && {
    type: chart.config.type,
    labels: chart.data.labels,
    data: chart.data.datasets.map((d) => d.data),
  };
}"""

READ_TABLE = """(table) => Array.from(table.tBodies[0].rows).map((row) => ({
  label: row.cells[0].textContent.trim(),
  values: Array.from(row.cells).slice(1).map((cell) => Number(cell.textContent)),
}))"""


def server_numbers(server: Server) -> dict[str, Any]:
    out = server.manage("shell", "-v", "0", "-c", NUMBERS)
    [line] = [line for line in out.splitlines() if line.startswith("NUMBERS ")]
    numbers: dict[str, Any] = json.loads(line.removeprefix("NUMBERS "))
    return numbers


def open_dashboard(page: Page) -> None:
    sign_in(page, "coordinator")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programme").click()
    expect(page.get_by_role("heading", name="Programme dashboard", level=1)).to_be_visible()


def test_the_coordinator_sees_the_cadence_and_the_introductions_on_the_dashboard(
    page: Page, server: Server
) -> None:
    expected = server_numbers(server)
    open_dashboard(page)
    page.wait_for_function(
        "() => window.Chart && Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".every((canvas) => Chart.getChart(canvas))"
    )

    for key in CHARTS:
        canvas = page.locator(f"canvas#chart-{key}")
        expect(canvas).to_have_attribute("role", "img")
        drawn = canvas.evaluate(READ_CHART)
        # The chart shows the demo's numbers, as the selectors count them...
        assert drawn["data"] == expected[key], key
        # ...and its table says the same, row by row.
        table = page.locator(f'table[data-chart-table="chart-{key}"]').evaluate(READ_TABLE)
        assert [row["label"] for row in table] == drawn["labels"], key
        by_column = [list(column) for column in zip(*(row["values"] for row in table), strict=True)]
        assert by_column == drawn["data"], key

    assert page.locator("canvas#chart-sessions").evaluate(READ_CHART)["type"] == "line"
    assert sum(expected["sessions"][0]) > 0
    assert (
        expected["reasons"]
        == page.locator("canvas#chart-decline-reasons").evaluate(READ_CHART)["labels"]
    )
    # The demo's introductions reach all five network groups, and the latest are listed.
    assert all(sum(by_group) > 0 for by_group in zip(*expected["introductions"], strict=True))
    latest = page.get_by_role("region", name="Latest introductions")
    expect(latest.get_by_role("row")).to_have_count(6)  # the header and five introductions
    # The introduction the mentor recorded in the pair's journey is the newest, with the outcome
    # the mentee recorded.
    newest = latest.locator("tbody tr").first
    today = dt.datetime.now(dt.UTC).date()
    expect(newest).to_contain_text(f"{today.day} {today:%b %Y}")
    expect(newest).to_contain_text("Wider business")
    expect(newest).to_contain_text("They met")

    # The figures at a glance and the pairs that need attention, overdue first.
    glance = page.get_by_role("region", name="At a glance")
    expect(glance).to_contain_text(f"{expected['active']} active pairs")
    expect(glance).to_contain_text(f"{expected['overdue']} overdue")
    attention = page.get_by_role("region", name="Pairs that need attention")
    expect(attention.locator("tbody tr").first).to_contain_text("overdue")
    expect(attention.locator("tbody").get_by_role("link").first).to_have_attribute(
        "href", re.compile(r"^/mentorships/\d+/$")
    )
    expect(page.get_by_text("PMO-2026").first).to_be_visible()

    # The numbers are there for a screen reader: open one table.
    page.get_by_text("The numbers: Cadence of the pairs").click()
    expect(page.locator('table[data-chart-table="chart-cadence"]')).to_be_visible()
    check_page(page)
    screenshot(page, "coordinator-dashboard")


def test_the_coordinator_filters_the_cadence_table_by_status(page: Page, server: Server) -> None:
    expected = server_numbers(server)
    open_dashboard(page)
    page.get_by_role("navigation", name="Programme").get_by_role("link", name="Cadence").click()
    expect(page.get_by_role("heading", name="Session cadence")).to_be_visible()
    table = page.locator("#cadence-table")
    expect(table).to_contain_text(f"{expected['active']} pairs.")
    expect(page.get_by_role("link", name="Next")).to_be_visible()  # more than 25 pairs

    page.get_by_label("Status").select_option("overdue")  # htmx swaps the table in
    expect(table).to_contain_text(f"{expected['overdue']} pairs match the filters")
    expect(page).to_have_url(re.compile(r"status=overdue"))
    statuses = table.locator("tbody .badge").all_inner_texts()
    assert statuses == ["overdue"] * min(expected["overdue"], 25)
    expect(table.get_by_role("link", name="Download these rows as CSV")).to_have_attribute(
        "href", f"/programmes/{SLUG}/exports/cadence.csv?status=overdue"
    )
    check_page(page)
    screenshot(page, "coordinator-cadence")


def test_the_coordinator_reviews_the_demos_draft_run_and_publishes_it(
    context: BrowserContext, page: Page
) -> None:
    open_dashboard(page)
    page.get_by_role("navigation", name="Programme").get_by_role("link", name="Matching").click()
    expect(page.get_by_role("heading", name="Cohort matching")).to_be_visible()
    expect(page.get_by_label(re.compile(r"Optimal: places as many mentees"))).to_be_checked()
    expect(page.get_by_label(re.compile(r"Stable: mentees propose"))).to_be_visible()
    check_page(page)
    screenshot(page, "coordinator-matching")

    page.get_by_role("link", name=re.compile(r"^Review run #\d+$")).click()
    expect(page.get_by_role("heading", name="Status: Draft")).to_be_visible()
    pairs = page.locator("table.run-pairs tbody tr")
    assert pairs.count() > 0
    first = pairs.first
    expect(first.locator("td.run-pairs__score")).to_have_text(re.compile(r"^\d{1,3}$"))
    assert first.locator("ul.reasons li").count() >= 2
    unmatched = page.get_by_role("heading", name=re.compile(r"^Not matched \(\d+\)$"))
    expect(unmatched).to_be_visible()
    names = page.locator("ul.unmatched-list li").all_inner_texts()
    assert names
    assert not any(re.match(r"^u\d+$", name) for name in names)  # people, not engine ids
    check_page(page)
    screenshot(page, "coordinator-run")

    # A second tab on the same draft: its publish button comes too late, harmlessly.
    late = context.new_page()
    late.goto(page.url)
    page.get_by_role("button", name="Publish the run").click()
    expect(
        page.get_by_text(re.compile(r"^Published: \d+ requests sent to their mentors"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Status: Published")).to_be_visible()
    expect(page.get_by_role("button", name="Publish the run")).to_have_count(0)
    late.get_by_role("button", name="Publish the run").click()
    expect(late.get_by_text("This run is already published.")).to_be_visible()
    expect(late.get_by_role("heading", name="Status: Published")).to_be_visible()


def test_the_coordinator_runs_a_stable_matching_reviews_it_and_publishes_it(page: Page) -> None:
    open_dashboard(page)
    page.get_by_role("navigation", name="Programme").get_by_role("link", name="Matching").click()
    page.get_by_label(re.compile(r"Stable: mentees propose")).check()
    page.get_by_role("button", name="Run the matching").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Stable run #\d+$"))).to_be_visible()
    expect(page.get_by_role("heading", name="Status: Draft")).to_be_visible()
    expect(
        page.get_by_role("heading", name=re.compile(r"^(Proposed pairs|Not matched)"))
    ).to_have_count(2)

    page.get_by_role("button", name="Publish the run").click()
    expect(
        page.get_by_text(re.compile(r"^Published: \d+ requests sent to their mentors"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Status: Published")).to_be_visible()
    page.get_by_role("link", name="← All runs").click()
    runs = page.get_by_role("region", name="Runs").locator("tbody tr")
    expect(runs).to_have_count(3)  # the history's published run, the demo's draft, this one


def test_the_coordinator_downloads_the_cadence_csv(page: Page, server: Server) -> None:
    expected = server_numbers(server)
    open_dashboard(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the cadence table (CSV)").click()
    assert re.fullmatch(
        r"pmo-network-cadence-\d{4}-\d\d-\d\d\.csv", download.value.suggested_filename
    )
    rows = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    assert rows[0][:3] == ["mentorship", "mentor", "mentee"]
    assert len(rows) == 1 + expected["active"]
    assert [row[-1] for row in rows[1:]].count("overdue") == expected["overdue"]


def test_a_wrong_setting_is_shown_next_to_its_field_and_keeps_what_was_typed(page: Page) -> None:
    open_dashboard(page)
    page.get_by_role("navigation", name="Programme").get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="Programme settings")).to_be_visible()
    check_page(page)
    screenshot(page, "coordinator-settings")

    deadline = page.get_by_label("Response deadline (days)")
    before = deadline.input_value()
    deadline.fill("120")
    page.get_by_label("Personality").fill("0.5")
    page.get_by_role("button", name="Save the settings").click()
    expect(deadline).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Ensure this value is less than or equal to 90.")).to_be_visible()
    expect(page.get_by_label("Personality")).to_have_value("0.5")

    # Put both back: saving the same settings changes nothing for the other journeys.
    deadline.fill(before)
    page.get_by_label("Personality").fill("0.05")
    page.get_by_role("button", name="Save the settings").click()
    expect(page.get_by_text("The matching settings are saved.")).to_be_visible()
    expect(page.get_by_label("Response deadline (days)")).to_have_value(before)


MEMBER_COUNTS = """
from mentorship.models import Membership
members = Membership.objects.filter(programme__slug="pmo-network")
for role in ("mentor", "mentee"):
    print("COUNT", role, members.filter(role=role).count())
"""


def test_the_coordinator_sees_the_members_by_role_with_seats(page: Page, server: Server) -> None:
    counts = {
        role: int(n)
        for _, role, n in (
            line.split()
            for line in server.manage("shell", "-c", MEMBER_COUNTS).splitlines()
            if line.startswith("COUNT ")
        )
    }
    open_dashboard(page)
    page.get_by_role("navigation", name="Programme").get_by_role("link", name="Members").click()
    expect(page.get_by_role("heading", name="Members", level=1)).to_be_visible()
    # The demo's 40 mentors and 120 mentees, and whoever joined in the journeys before.
    assert counts["mentor"] >= 40
    assert counts["mentee"] >= 120
    expect(page.get_by_role("link", name=f"Mentors ({counts['mentor']})")).to_be_visible()
    expect(page.get_by_role("link", name=f"Mentees ({counts['mentee']})")).to_be_visible()
    mentors = page.locator("section").filter(has=page.get_by_role("heading", name="Mentors"))
    demo_mentor = mentors.get_by_role("row").filter(has_text="mentor")
    expect(demo_mentor.first).to_contain_text(re.compile(r"\d of 3"))
    check_page(page)
    screenshot(page, "coordinator-members")
    assert visit(page, f"/programmes/{SLUG}/members/?role=nobody") == 404
