"""Every list page runs the same number of queries for 1 row as for 100: no N+1.

Each row of PAGES names the page, who opens it and how to add rows to it; the test opens it with
one row, adds 99 and opens it again (the first page of a paginated list), comparing the query
counts. The rows come from tests/list_rows.py, shared with the API's test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import Programme, User
from tests.list_rows import (
    World,
    cadence,
    contacts,
    draft_pairs,
    exports,
    inbox,
    introductions,
    make_world,
    members,
    mentorships,
    never_met,
    notifications,
    requests,
    runs,
    sessions,
    statements,
    touchpoints,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programme: Programme, coordinator: User, mentor: User, mentee: User) -> World:
    return make_world(programme, coordinator, mentor, mentee)


def slug(name: str) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[w["programme"].slug])


@dataclass(frozen=True)
class ListPage:
    name: str
    who: str
    url: Callable[[World], str]
    add: Callable[[World, int], None]
    already: int = 0  # rows the world starts with


PAGES = [
    ListPage("my requests", "mentee", lambda w: reverse("my-requests"), requests),
    ListPage("inbox", "mentor", lambda w: reverse("inbox"), inbox),
    ListPage("my mentorships", "mentor", lambda w: reverse("mentorships"), mentorships, 1),
    ListPage(
        "a mentorship's sessions",
        "mentee",
        lambda w: reverse("mentorship", args=[w["pair"].pk]),
        sessions,
    ),
    ListPage(
        "a mentorship's introductions",
        "mentee",
        lambda w: reverse("mentorship", args=[w["pair"].pk]),
        introductions,
    ),
    ListPage("notifications", "mentee", lambda w: reverse("notifications"), notifications),
    ListPage("my network", "mentee", lambda w: reverse("my-network"), contacts, 1),
    ListPage(
        "a contact's touchpoints",
        "mentee",
        lambda w: reverse("network-contact", args=[w["contact"].pk]),
        touchpoints,
    ),
    ListPage("dashboard", "coordinator", slug("programme-dashboard"), never_met),
    ListPage("cadence", "coordinator", slug("programme-cadence"), cadence, 1),
    ListPage("members", "coordinator", slug("programme-members"), members),
    ListPage("matching runs", "coordinator", slug("programme-matching"), runs, 1),
    ListPage(
        "a run's pairs",
        "coordinator",
        lambda w: reverse("programme-run", args=[w["programme"].slug, w["run"].pk]),
        draft_pairs,
        1,
    ),
    ListPage("exports", "coordinator", slug("programme-exports"), exports),
    ListPage("engagement", "coordinator", slug("programme-engagement"), requests),
]


def opened(world: World, page: ListPage) -> tuple[int, int]:
    """(queries, length of the page) of one visit."""
    client = Client()
    client.force_login(world[page.who])
    url = page.url(world)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return statements(queries), len(response.content)


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_a_page_of_100_rows_costs_the_queries_of_a_page_of_1(world: World, page: ListPage) -> None:
    page.add(world, 1 - page.already)
    one, short = opened(world, page)

    page.add(world, 99)
    hundred, long = opened(world, page)

    assert long > short + 1000, f"{page.name}: the rows are not on the page"
    assert hundred == one, f"{page.name}: {one} queries for 1 row, {hundred} for 100"
