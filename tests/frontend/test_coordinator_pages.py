"""The coordinator's pages: the dashboard's charts carry the selectors' numbers, the cadence table
filters and pages, the settings keep what was typed, cohort runs are drafted, reviewed and
published (twice is harmless), and only the programme's coordinators get in."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from frontend.forms.coordinator import NETWORK_FIELDS, TIMER_FIELDS
from mentorship import factories
from mentorship.matching_adapter import COMPONENTS, DEFAULT_WEIGHTS
from mentorship.models import (
    AuditEvent,
    MatchingRun,
    MatchingRunStatus,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.selectors.cadence import programme_cadence
from mentorship.selectors.stats import programme_charts
from mentorship.services.matching_runs import compute_matching_run, start_matching_run
from mentorship.taxonomy import ConnectionType, NetworkGroup

S = ProposalStatus
PAGES = [
    "programme-dashboard",
    "programme-cadence",
    "programme-settings",
    "programme-matching",
    "programme-members",
    "programme-export-cadence",
    "programme-export-members",
]


def url(name: str, programme: Programme, **kwargs: Any) -> str:
    return reverse(name, kwargs={"slug": programme.slug, **kwargs})


def chart_data(html: str, key: str) -> dict[str, Any]:
    """The JSON a chart's canvas is drawn from (written by json_script)."""
    match = re.search(
        rf'<script id="chart-{key}-data" type="application/json">(.*?)</script>', html, re.S
    )
    assert match, f"no data for the chart {key}"
    data: dict[str, Any] = json.loads(match.group(1))
    return data


def numbers(data: dict[str, Any]) -> list[list[int]]:
    return [series["data"] for series in data["series"]]


def csv_rows(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def as_coordinator(coordinator: User) -> Client:
    client = Client()
    client.force_login(coordinator)
    return client


@pytest.fixture
def busy_programme(programme: Programme, mentor: User) -> Programme:
    """Pairs in every cadence state, answers, declines and introductions."""
    today = timezone.localdate()
    on_track = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, started_on=today - dt.timedelta(days=40)
    )
    factories.SessionFactory.create(mentorship=on_track, date=today - dt.timedelta(days=2))
    factories.SessionFactory.create(mentorship=on_track, date=today - dt.timedelta(days=30))
    overdue = factories.MentorshipFactory.create(
        programme=programme, started_on=today - dt.timedelta(days=90)
    )
    factories.SessionFactory.create(mentorship=overdue, date=today - dt.timedelta(days=45))
    factories.MentorshipFactory.create(  # never met
        programme=programme, started_on=today - dt.timedelta(days=20)
    )
    for status in (S.ACCEPTED, S.DECLINED, S.DECLINED, S.EXPIRED, S.REQUESTED, S.SUGGESTED):
        factories.ProposalFactory.create(
            programme=programme,
            status=status,
            decline_reason="Travelling this quarter" if status == S.DECLINED else "",
        )
    factories.IntroductionFactory.create_batch(2, mentorship=on_track)
    factories.IntroductionFactory.create(
        mentorship=overdue,
        network_group=NetworkGroup.DELIVERY_TEAMS,
        connection_type=ConnectionType.OPERATIONAL,
    )
    return programme


# Who gets in -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_outsiders_get_the_404_page_and_members_without_the_role_the_403_page(
    programme: Programme, outsider: User, mentor: User, name: str
) -> None:
    client = Client()
    client.force_login(outsider)
    assert client.get(url(name, programme)).status_code == 404
    client.force_login(mentor)
    response = client.get(url(name, programme))
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_visitors_are_sent_to_sign_in(programme: Programme, name: str):
    response = Client().get(url(name, programme))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_an_unknown_programme_is_a_404(as_coordinator: Client, coordinator: User) -> None:
    assert as_coordinator.get("/programmes/no-such-programme/").status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_coordinator_pages_are_never_cached(
    as_coordinator: Client, programme: Programme, name: str
) -> None:
    response = as_coordinator.get(url(name, programme))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


# The dashboard ---------------------------------------------------------------------------


def test_each_chart_is_drawn_from_the_selectors_numbers_and_tabled(
    as_coordinator: Client, busy_programme: Programme, coordinator: User
) -> None:
    programme = busy_programme
    html = as_coordinator.get(url("programme-dashboard", programme)).content.decode()
    today = timezone.localdate()
    charts = programme_charts(actor=coordinator, slug=programme.slug, today=today)
    _, _, summary = programme_cadence(actor=coordinator, slug=programme.slug, today=today)

    sessions = chart_data(html, "sessions")
    assert sessions["kind"] == "line"
    assert len(sessions["labels"]) == 26
    assert numbers(sessions) == [[w.sessions for w in charts.sessions_per_week]]
    assert sum(numbers(sessions)[0]) == 3

    cadence = chart_data(html, "cadence")
    assert cadence["labels"] == ["On track", "Due", "Overdue", "Never met", "Paused"]
    expected = [summary.on_track, summary.due, summary.overdue, summary.never_met, summary.paused]
    assert numbers(cadence) == [expected] == [[1, 0, 1, 1, 0]]

    first = chart_data(html, "first-session")
    assert numbers(first) == [[b.mentorships for b in charts.first_session.bins]]
    assert "1 active or paused pairs have not met yet" in html

    funnel = chart_data(html, "funnel")
    assert funnel["horizontal"] is True
    assert numbers(funnel) == [list(charts.funnel.values())]
    assert charts.funnel["declined"] == 2

    reasons = chart_data(html, "decline-reasons")
    assert (reasons["labels"], numbers(reasons)) == (["Travelling this quarter"], [[2]])

    introductions = chart_data(html, "introductions")
    assert introductions["stacked"] is True
    assert introductions["labels"] == [NetworkGroup(g).label for g in NetworkGroup.values]
    assert [s["label"] for s in introductions["series"]] == ConnectionType.labels
    assert numbers(introductions) == [
        [charts.introductions[g][t] for g in NetworkGroup.values] for t in ConnectionType.values
    ]
    assert sum(map(sum, numbers(introductions))) == 3

    # Every chart has its table of the same numbers, and an accessible name on its canvas.
    for key in ("sessions", "cadence", "first-session", "funnel", "decline-reasons"):
        assert f'data-chart-table="chart-{key}"' in html
        assert re.search(rf'<canvas id="chart-{key}"[^>]*role="img"[^>]*aria-label="', html)
    assert re.search(r'<th scope="row">Travelling this quarter</th><td>2</td>', html), (
        "the decline reasons table"
    )
    # Drawn by our own script from static files, never by inline code.
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "frontend/charts.js" in html
    assert not re.search(r"<script(?![^>]*(src=|application/json))", html)


def test_the_dashboard_lists_overdue_and_never_met_pairs_with_links_and_the_join_code(
    as_coordinator: Client, busy_programme: Programme, coordinator: User
) -> None:
    programme = busy_programme
    html = as_coordinator.get(url("programme-dashboard", programme)).content.decode()
    attention = html.split('id="attention"')[1].split("</section>")[0]
    _, rows, _ = programme_cadence(actor=coordinator, slug=programme.slug)
    urgent = [r.mentorship.pk for r in rows if r.cadence.status in ("overdue", "never_met")]

    links = re.findall(r'href="/mentorships/(\d+)/"', attention)
    assert [int(pk) for pk in links] == urgent
    assert len(urgent) == 2
    assert "cadence-badge--overdue" in attention
    assert "cadence-badge--never_met" in attention
    assert "cadence-badge--on_track" not in attention
    assert programme.join_code in html
    assert url("programme-export-cadence", programme) in html


@pytest.mark.parametrize(
    ("status", "said"),
    [("draft", "A draft cohort run waits for your review"), ("running", "is in progress")],
)
def test_the_dashboard_points_to_a_run_in_progress_or_waiting_for_review(
    as_coordinator: Client, programme: Programme, coordinator: User, status: str, said: str
) -> None:
    run = MatchingRun.objects.create(
        programme=programme, mode="optimal", created_by=coordinator, status=status
    )
    html = as_coordinator.get(url("programme-dashboard", programme)).content.decode()
    assert url("programme-run", programme, pk=run.pk) in html
    assert said in html


# The cadence table -----------------------------------------------------------------------


def test_the_cadence_table_filters_by_status_and_mentor(
    as_coordinator: Client, busy_programme: Programme, mentor: User
) -> None:
    programme = busy_programme
    everyone = as_coordinator.get(url("programme-cadence", programme)).content.decode()
    assert "3 pairs." in everyone

    overdue = as_coordinator.get(url("programme-cadence", programme), {"status": "overdue"})
    assert overdue.status_code == 200
    assert "1 pair match the filters" in overdue.content.decode()
    assert overdue.content.decode().count("cadence-badge--overdue") == 1

    mine = as_coordinator.get(url("programme-cadence", programme), {"mentor": mentor.pk})
    page = mine.content.decode()
    assert "1 pair match the filters" in page
    assert "cadence-badge--on_track" in page
    # The CSV link carries the filters.
    assert f"/exports/cadence.csv?mentor={mentor.pk}" in page


def test_a_wrong_filter_is_shown_next_to_its_field(
    as_coordinator: Client, busy_programme: Programme, outsider: User
) -> None:
    response = as_coordinator.get(
        url("programme-cadence", busy_programme), {"mentor": str(outsider.pk), "status": "overdue"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Select a valid choice" in page
    assert re.search(r'<select name="mentor"[^>]*aria-invalid="true"', page)
    assert '<option value="overdue" selected>' in page  # what was chosen is kept


def test_the_cadence_table_is_paginated(
    as_coordinator: Client, programme: Programme, mentor: User
) -> None:
    factories.MentorshipFactory.create_batch(30, programme=programme)
    first = as_coordinator.get(url("programme-cadence", programme)).content.decode()
    second = as_coordinator.get(url("programme-cadence", programme), {"page": 2}).content.decode()
    assert first.count("cadence-badge--") == 25
    assert second.count("cadence-badge--") == 5
    assert "Page 1 of 2" in first
    assert "?page=2" in first
    nonsense = as_coordinator.get(url("programme-cadence", programme), {"page": "x"})
    assert nonsense.status_code == 200


def test_an_htmx_filter_gets_the_table_alone(
    as_coordinator: Client, busy_programme: Programme
) -> None:
    response = as_coordinator.get(
        url("programme-cadence", busy_programme), {"status": "never_met"}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="cadence-table"')
    assert "<html" not in page
    assert page.count("cadence-badge--never_met") == 1


def test_going_back_to_a_filtered_table_gets_the_whole_page(
    as_coordinator: Client, busy_programme: Programme
) -> None:
    """htmx pushed the filtered URL; restoring it from history needs the page, not the table."""
    response = as_coordinator.get(
        url("programme-cadence", busy_programme),
        {"status": "never_met"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    page = response.content.decode()
    assert "<html" in page
    assert page.count("cadence-badge--never_met") == 1


# CSV exports -----------------------------------------------------------------------------


def test_the_cadence_csv_is_an_attachment_with_the_tables_filters_and_no_formulas(
    as_coordinator: Client, programme: Programme
) -> None:
    sly = factories.member(programme, Role.MENTEE, first_name="=HYPERLINK(1)", last_name="")
    factories.MentorshipFactory.create(programme=programme, mentee=sly)
    factories.MentorshipFactory.create(programme=programme)
    response = as_coordinator.get(url("programme-export-cadence", programme))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert re.match(
        r'attachment; filename="pmo-network-cadence-\d{4}-\d\d-\d\d\.csv"',
        response["Content-Disposition"],
    )
    rows = csv_rows(response)
    assert rows[0][:3] == ["mentorship", "mentor", "mentee"]
    assert len(rows) == 3
    assert "'=HYPERLINK(1)" in [row[2] for row in rows]

    filtered = csv_rows(
        as_coordinator.get(url("programme-export-cadence", programme), {"status": "on_track"})
    )
    assert filtered == [rows[0]]


def test_a_wrong_export_filter_shows_the_table_with_the_error(
    as_coordinator: Client, programme: Programme
) -> None:
    response = as_coordinator.get(url("programme-export-cadence", programme), {"status": "bad"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_members_csv_lists_roles_seats_and_no_email(
    as_coordinator: Client, programme: Programme, mentor: User, mentee: User
) -> None:
    factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)
    response = as_coordinator.get(url("programme-export-members", programme))
    assert "attachment;" in response["Content-Disposition"]
    rows = csv_rows(response)
    header, body = rows[0], rows[1:]
    by_name = {row[2]: dict(zip(header, row, strict=True)) for row in body}
    assert by_name["maria"]["seats_taken"] == "1"
    assert by_name["maria"]["capacity"] == "2"
    assert by_name["tom"]["has_mentor"] == "yes"
    assert "@" not in "".join(",".join(row) for row in rows)


# Matching settings -----------------------------------------------------------------------


def settings_data(programme: Programme, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "description": programme.description,
        "is_open": "on",
        "default_cadence_days": 21,
        "response_deadline_days": 5,
        "max_mentor_capacity": 3,
        "proposals_per_request": 6,
        **{f"weight_{c}": DEFAULT_WEIGHTS[c] for c in COMPONENTS},
        **{
            name: ("on" if value else None) if isinstance(value, bool) else value
            for name in (*TIMER_FIELDS, *NETWORK_FIELDS)
            if (value := getattr(programme, name)) is not None
        },
        "network_value_ideas": "\n".join(programme.network_value_ideas),
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_settings_are_saved_with_an_audit_row_and_default_weights_left_unset(
    as_coordinator: Client, programme: Programme, coordinator: User
) -> None:
    response = as_coordinator.post(
        url("programme-settings", programme),
        settings_data(programme, weight_personality=0.3, is_open=None, description="Year two"),
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.matching_weights == {"personality": 0.3}
    assert (programme.default_cadence_days, programme.response_deadline_days) == (21, 5)
    assert (programme.max_mentor_capacity, programme.proposals_per_request) == (3, 6)
    assert (programme.is_open, programme.description) == (False, "Year two")
    event = AuditEvent.objects.get(object_type="programme", action="update_settings")
    assert event.actor == coordinator
    page = as_coordinator.get(url("programme-settings", programme)).content.decode()
    assert "The matching settings are saved." in page
    assert re.search(r'name="weight_personality" value="0.3"', page)


def test_timers_tier_cadences_and_value_ideas_are_settings_too(
    as_coordinator: Client, programme: Programme
) -> None:
    response = as_coordinator.post(
        url("programme-settings", programme),
        settings_data(
            programme,
            first_reminder_hours=72,
            cadence_nudges=None,
            key_contact_cadence_days=21,
            network_value_ideas="Send a note\n\n  Share a podcast  \n",
        ),
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.first_reminder_hours, programme.cadence_nudges) == (72, False)
    assert programme.key_contact_cadence_days == 21
    assert programme.network_value_ideas == ["Send a note", "Share a podcast"]


def test_tier_cadences_out_of_order_are_refused_with_input_kept(
    as_coordinator: Client, programme: Programme
) -> None:
    response = as_coordinator.post(
        url("programme-settings", programme),
        settings_data(programme, key_contact_cadence_days=200),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "1 ≤ key ≤ regular ≤ light ≤ 365 days" in page
    assert re.search(r'name="key_contact_cadence_days" value="200"', page)
    programme.refresh_from_db()
    assert programme.key_contact_cadence_days == 30


def test_a_settings_error_is_shown_next_to_its_field_and_keeps_what_was_typed(
    as_coordinator: Client, programme: Programme
) -> None:
    response = as_coordinator.post(
        url("programme-settings", programme),
        settings_data(programme, weight_topic_fit=-1, max_mentor_capacity=0, description="Kept"),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(r'name="weight_topic_fit" value="-1"[^>]*aria-invalid="true"', page)
    assert re.search(r'name="max_mentor_capacity" value="0"[^>]*aria-invalid="true"', page)
    assert "greater than or equal to 0" in page
    assert re.search(r">\s*Kept</textarea>", page)
    programme.refresh_from_db()
    assert programme.max_mentor_capacity == 5


def test_weights_that_are_all_zero_are_refused_by_the_engine_with_a_clear_message(
    as_coordinator: Client, programme: Programme
) -> None:
    zeros = {f"weight_{c}": 0 for c in COMPONENTS}
    response = as_coordinator.post(
        url("programme-settings", programme), settings_data(programme, **zeros)
    )
    assert response.status_code == 400
    assert "weights are all zero" in response.content.decode()
    programme.refresh_from_db()
    assert programme.matching_weights == {}


# Cohort matching -------------------------------------------------------------------------


@pytest.fixture
def cohort(programme: Programme) -> dict[str, User]:
    """Two mentors with one place each, three mentees: one stays unmatched."""
    cache.clear()  # the adapter caches mentor indexes

    def person(role: str, name: str, **fields: Any) -> User:
        user = factories.member(programme, role, username=name, first_name=name.title(), **fields)
        factories.PositionFactory.create(
            profile=user.profile, title="Head of PMO" if role == Role.MENTOR else "PMO Analyst"
        )
        return user

    topics = {"topics_offered": ["leadership"], "seniority": 5, "capacity": 1}
    return {
        "ann": person(Role.MENTOR, "ann", **topics),
        "bob": person(Role.MENTOR, "bob", **topics),
        "cy": person(Role.MENTEE, "cy", topics_wanted=["leadership"], seniority=2),
        "di": person(Role.MENTEE, "di", topics_wanted=["leadership"], seniority=2),
        "ed": person(Role.MENTEE, "ed", topics_wanted=["leadership"], seniority=2),
    }


def test_a_coordinator_runs_reviews_and_publishes_a_cohort_matching(
    as_coordinator: Client, programme: Programme, cohort: dict[str, User], after_commit
) -> None:
    page = as_coordinator.get(url("programme-matching", programme)).content.decode()
    assert "Optimal: places as many mentees" in page
    assert "Stable: mentees propose" in page

    with after_commit():  # the run's background work, in-process as without a broker
        response = as_coordinator.post(url("programme-matching", programme), {"mode": "stable"})
    run = MatchingRun.objects.get(programme=programme)
    assert response["Location"] == url("programme-run", programme, pk=run.pk)
    assert (run.mode, run.status) == ("stable", MatchingRunStatus.DRAFT)

    review = as_coordinator.get(response["Location"]).content.decode()
    drafts = list(Proposal.objects.filter(matching_run=run))
    assert len(drafts) == 2
    for proposal in drafts:
        assert proposal.mentee.display_name in review
        assert f">{round(proposal.score * 100)}</td>" in review
        assert all(reason in review for reason in proposal.reasons)
    [unmatched] = {"cy", "di", "ed"} - {p.mentee.username for p in drafts}
    not_matched = review.split('id="unmatched"')[1]
    assert cohort[unmatched].display_name in not_matched
    assert f"u{cohort[unmatched].pk}" not in review  # names, not the engine's ids

    published = as_coordinator.post(url("programme-run-publish", programme, pk=run.pk))
    assert published["Location"] == url("programme-run", programme, pk=run.pk)
    assert set(Proposal.objects.filter(matching_run=run).values_list("status", flat=True)) == {
        S.REQUESTED
    }
    assert (
        "Published: 2 requests sent to their mentors."
        in as_coordinator.get(published["Location"]).content.decode()
    )

    # Pressing publish again (a double click, a second tab) says so and changes nothing.
    again = as_coordinator.post(url("programme-run-publish", programme, pk=run.pk), follow=True)
    assert again.status_code == 200
    assert "This run is already published." in again.content.decode()
    assert AuditEvent.objects.filter(object_type="matchingrun", action="publish").count() == 1


@pytest.mark.parametrize(
    ("computed", "said"),
    [(True, "already has a draft run"), (False, "already in progress")],
)
def test_a_second_run_waits_for_the_first_and_says_so(
    as_coordinator: Client,
    programme: Programme,
    cohort: dict[str, User],
    django_capture_on_commit_callbacks,
    computed: bool,
    said: str,
) -> None:
    with django_capture_on_commit_callbacks(execute=computed):
        as_coordinator.post(url("programme-matching", programme), {"mode": "optimal"})
    response = as_coordinator.post(url("programme-matching", programme), {"mode": "stable"})
    assert response.status_code == 400
    assert said in response.content.decode()
    assert MatchingRun.objects.filter(programme=programme).count() == 1


def test_an_unknown_mode_is_a_form_error(as_coordinator: Client, programme: Programme) -> None:
    response = as_coordinator.post(url("programme-matching", programme), {"mode": "greedy!"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not MatchingRun.objects.exists()


def test_a_discarded_run_sends_nothing_and_cannot_be_published(
    as_coordinator: Client, programme: Programme, cohort: dict[str, User], after_commit
) -> None:
    with after_commit():
        as_coordinator.post(url("programme-matching", programme), {"mode": "optimal"})
    run = MatchingRun.objects.get()
    discarded = as_coordinator.post(url("programme-run-discard", programme, pk=run.pk), follow=True)
    assert "Discarded: nobody was sent anything." in discarded.content.decode()
    assert not Proposal.objects.filter(matching_run=run, requested_at__isnull=False).exists()
    late = as_coordinator.post(url("programme-run-publish", programme, pk=run.pk), follow=True)
    assert late.status_code == 200
    assert "Cannot publish a matching run that is discarded." in late.content.decode()
    run.refresh_from_db()
    assert run.status == MatchingRunStatus.DISCARDED


def test_the_run_page_answers_htmx_with_its_body(
    as_coordinator: Client, programme: Programme, coordinator: User
) -> None:
    run = MatchingRun.objects.create(
        programme=programme, mode="optimal", created_by=coordinator, summary={"matched": 0}
    )
    page = as_coordinator.get(url("programme-run", programme, pk=run.pk), HTTP_HX_REQUEST="true")
    html = page.content.decode()
    assert "<html" not in html
    assert '<section id="run-status"' in html
    assert "Proposed pairs (0)" in html
    assert "Publish the run" in html
    assert "hx-trigger" not in html  # a draft: nothing to poll


def test_a_running_run_shows_its_progress_and_polls_until_it_is_drafted(
    as_coordinator: Client, programme: Programme, coordinator: User, cohort: dict[str, User]
) -> None:
    run = start_matching_run(actor=coordinator, programme=programme, mode="optimal")
    MatchingRun.objects.filter(pk=run.pk).update(progress={"stage": "scoring", "percent": 10})
    run_url = url("programme-run", programme, pk=run.pk)

    page = as_coordinator.get(run_url).content.decode()
    assert "Matching in progress… 10 %" in page
    assert "Scoring and assigning." in page
    assert f'hx-get="{run_url}" hx-trigger="every 2s" hx-swap="outerHTML"' in page
    assert f'<a href="{run_url}">refresh this page</a>' in page  # without JavaScript
    assert "Publish the run" not in page
    assert "Proposed pairs" not in page

    compute_matching_run(run_id=run.pk)  # the worker finishes
    polled = as_coordinator.get(run_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in polled
    assert "Proposed pairs (2)" in polled
    assert "Publish the run" in polled


def test_a_failed_run_shows_the_reason_and_tries_again(
    as_coordinator: Client,
    programme: Programme,
    coordinator: User,
    cohort: dict[str, User],
    monkeypatch,
    after_commit,
) -> None:
    def broken(**kwargs: Any) -> None:
        raise MemoryError

    monkeypatch.setattr("mentorship.matching_adapter.assign_cohort", broken)
    with after_commit():
        response = as_coordinator.post(url("programme-matching", programme), {"mode": "stable"})
    failed = MatchingRun.objects.get()
    assert failed.status == MatchingRunStatus.FAILED

    page = as_coordinator.get(response["Location"]).content.decode()
    assert "The run failed." in page
    assert "unexpected error (MemoryError)" in page
    assert "hx-trigger" not in page
    assert '<input type="hidden" name="mode" value="stable">' in page

    monkeypatch.undo()
    with after_commit():
        again = as_coordinator.post(url("programme-matching", programme), {"mode": "stable"})
    retried = MatchingRun.objects.exclude(pk=failed.pk).get()
    assert again["Location"] == url("programme-run", programme, pk=retried.pk)
    assert retried.status == MatchingRunStatus.DRAFT


def test_another_programmes_run_or_a_nonsense_id_is_a_404(
    as_coordinator: Client, programme: Programme, other_programme: Programme, other_coordinator
) -> None:
    foreign = MatchingRun.objects.create(
        programme=other_programme, mode="optimal", created_by=other_coordinator
    )
    for name in ("programme-run", "programme-run-publish", "programme-run-discard"):
        method = as_coordinator.get if name == "programme-run" else as_coordinator.post
        assert method(url(name, programme, pk=foreign.pk)).status_code == 404
        assert method(url(name, programme, pk=999999)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.status == MatchingRunStatus.DRAFT


def test_publishing_is_a_post(as_coordinator: Client, programme: Programme, coordinator: User):
    run = MatchingRun.objects.create(programme=programme, mode="optimal", created_by=coordinator)
    assert as_coordinator.get(url("programme-run-publish", programme, pk=run.pk)).status_code == 405


# Members -----------------------------------------------------------------------------------


def test_members_are_shown_by_role_with_seats_and_join_dates(
    as_coordinator: Client, programme: Programme, mentor: User, mentee: User, peer_mentee: User
) -> None:
    factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)
    page = as_coordinator.get(url("programme-members", programme)).content.decode()
    headings = re.findall(r"<h2 id=\"role-\d\">(\w+)</h2>", page)
    assert headings == ["Coordinators", "Mentors", "Mentees"]
    mentors = page.split(">Mentors</h2>")[1].split("</section>")[0]
    assert "1 of 2" in mentors  # seats taken of capacity
    assert mentor.display_name in mentors
    assert programme.join_code in page
    assert timezone.localdate().strftime("%-d %b %Y") in page

    only = as_coordinator.get(url("programme-members", programme), {"role": "mentee"})
    assert re.findall(r"<h2 id=\"role-\d\">(\w+)</h2>", only.content.decode()) == ["Mentees"]
    assert as_coordinator.get(url("programme-members", programme), {"role": "x"}).status_code == 404
