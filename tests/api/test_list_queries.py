"""Every list endpoint runs the same number of queries for 1 row as for 100: no N+1.

Each row of LISTINGS names the endpoint, who reads it and how to add rows to it; the test lists
it with one row, adds 99, lists all 100 (`page_size=100`) and compares the query counts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship.models import Programme, User
from tests.api.conftest import Api
from tests.list_rows import (
    World,
    cadence,
    contacts,
    draft_pairs,
    introductions,
    make_world,
    mentorships,
    notifications,
    programmes,
    proposals,
    runs,
    sessions,
    statements,
    touchpoints,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(programme: Programme, coordinator: User, mentor: User, mentee: User) -> World:
    return make_world(programme, coordinator, mentor, mentee)


def results(body: Any) -> list[Any]:
    return list(body["results"])


@dataclass(frozen=True)
class Listing:
    name: str
    who: str
    url: Callable[[World], str]
    add: Callable[[World, int], None]
    rows: Callable[[Any], list[Any]] = results
    already: int = 0  # rows the world starts with


LISTINGS = [
    Listing("proposals", "mentee", lambda w: "proposals/", proposals),
    Listing("match requests", "mentee", lambda w: "match-requests/", proposals),
    Listing("mentorships", "mentor", lambda w: "mentorships/", mentorships, already=1),
    Listing("sessions", "mentee", lambda w: f"mentorships/{w['pair'].pk}/sessions/", sessions),
    Listing(
        "introductions",
        "mentee",
        lambda w: f"mentorships/{w['pair'].pk}/introductions/",
        introductions,
    ),
    Listing("notifications", "mentee", lambda w: "notifications/", notifications),
    Listing("network contacts", "mentee", lambda w: "me/network/contacts/", contacts, already=1),
    Listing(
        "touchpoints",
        "mentee",
        lambda w: f"me/network/contacts/{w['contact'].pk}/touchpoints/",
        touchpoints,
    ),
    Listing(
        "matching runs",
        "coordinator",
        lambda w: f"programmes/{w['programme'].slug}/matching-runs/",
        runs,
        already=1,
    ),
    Listing(
        "a run's proposals",
        "coordinator",
        lambda w: f"programmes/{w['programme'].slug}/matching-runs/{w['run'].pk}/pairs/",
        draft_pairs,
        already=1,
    ),
    Listing("programmes", "coordinator", lambda w: "programmes/", programmes, already=1),
    Listing(
        "cadence",
        "coordinator",
        lambda w: f"programmes/{w['programme'].slug}/cadence/",
        cadence,
        rows=lambda body: list(body["mentorships"]),
        already=1,
    ),
]


def listed(api: type[Api], world: World, listing: Listing) -> tuple[int, int]:
    """(queries, rows) of one GET of the whole list."""
    client = api(world[listing.who])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{listing.url(world)}?page_size=100")
    assert response.status_code == 200, response.content
    return statements(queries), len(listing.rows(response.json()))


@pytest.mark.parametrize("listing", LISTINGS, ids=lambda listing: listing.name)
def test_a_list_of_100_rows_costs_the_queries_of_a_list_of_1(
    api: type[Api], world: World, listing: Listing
) -> None:
    listing.add(world, 1 - listing.already)
    one, rows = listed(api, world, listing)
    assert rows == 1

    listing.add(world, 99)
    hundred, rows = listed(api, world, listing)

    assert rows == 100
    assert hundred == one, f"{listing.name}: {one} queries for 1 row, {hundred} for 100"
