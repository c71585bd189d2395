"""Every list endpoint runs the same number of queries for 1 row as for 100: no N+1.

Each row of LISTINGS names the endpoint, who reads it and how to add rows to it; the test lists
it with one row, adds 99, lists all 100 (`page_size=100`) and compares the query counts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship import factories
from mentorship.models import (
    MatchingRun,
    MatchingRunStatus,
    Membership,
    Notification,
    Programme,
    ProposalStatus,
    Role,
    User,
)
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db
World = dict[str, Any]


@pytest.fixture
def world(programme: Programme, coordinator: User, mentor: User, mentee: User) -> World:
    pair = factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)
    plan = factories.NetworkPlanFactory.create(programme=programme, owner=mentee)
    world = {
        "programme": programme,
        "coordinator": coordinator,
        "mentor": mentor,
        "mentee": mentee,
        "pair": pair,
        "contact": factories.ContactFactory.create(plan=plan),
        "plan": plan,
        "run": MatchingRun.objects.create(
            programme=programme, mode="optimal", created_by=coordinator
        ),
    }
    draft_pairs(world, 1)  # a run with a pair: every level of its prefetch runs
    return world


def with_career(user: User) -> User:
    factories.PositionFactory.create(profile=user.profile)
    factories.PositionFactory.create(profile=user.profile, title="PMO Lead")
    return user


def proposals(w: World, n: int) -> None:
    for _ in range(n):
        mentor = with_career(factories.member(w["programme"], Role.MENTOR))
        factories.ProposalFactory.create(
            programme=w["programme"],
            mentee=w["mentee"],
            mentor=mentor,
            status=ProposalStatus.SUGGESTED,
        )


def mentorships(w: World, n: int) -> None:
    for _ in range(n):
        mentee = with_career(factories.member(w["programme"], Role.MENTEE))
        pair = factories.MentorshipFactory.create(
            programme=w["programme"], mentor=w["mentor"], mentee=mentee
        )
        factories.SessionFactory.create(mentorship=pair)


def sessions(w: World, n: int) -> None:
    for days in range(n):
        factories.SessionFactory.create(
            mentorship=w["pair"], date=timezone.localdate() - dt.timedelta(days=days)
        )


def introductions(w: World, n: int) -> None:
    for _ in range(n):
        factories.IntroductionFactory.create(mentorship=w["pair"])


def notifications(w: World, n: int) -> None:
    start = Notification.objects.count()
    Notification.objects.bulk_create(
        Notification(
            recipient=w["mentee"],
            kind="cadence_due",
            programme=w["programme"],
            object_type="mentorship",
            object_id=w["pair"].pk,
            key=f"test:{start + i}",
            title="Your next session is due",
            link="/mentorships/",
        )
        for i in range(n)
    )


def contacts(w: World, n: int) -> None:
    for _ in range(n):
        contact = factories.ContactFactory.create(plan=w["plan"])
        factories.TouchpointFactory.create(contact=contact)


def touchpoints(w: World, n: int) -> None:
    for days in range(n):
        factories.TouchpointFactory.create(
            contact=w["contact"], date=timezone.localdate() - dt.timedelta(days=days + 1)
        )


def runs(w: World, n: int) -> None:
    MatchingRun.objects.filter(status=MatchingRunStatus.DRAFT).update(
        status=MatchingRunStatus.DISCARDED
    )
    for _ in range(n):
        run = MatchingRun.objects.create(
            programme=w["programme"],
            mode="stable",
            created_by=w["coordinator"],
            status=MatchingRunStatus.DISCARDED,
        )
        draft_pairs(w, 1, run=run)


def draft_pairs(w: World, n: int, run: MatchingRun | None = None) -> None:
    for _ in range(n):
        factories.ProposalFactory.create(
            programme=w["programme"],
            mentee=with_career(factories.member(w["programme"], Role.MENTEE)),
            mentor=with_career(factories.member(w["programme"], Role.MENTOR)),
            matching_run=run or w["run"],
            status=ProposalStatus.DRAFT,
        )


def programmes(w: World, n: int) -> None:
    for _ in range(n):
        programme = factories.ProgrammeFactory.create()
        Membership.objects.create(user=w["coordinator"], programme=programme, role=Role.COORDINATOR)


def cadence(w: World, n: int) -> None:
    for _ in range(n):
        pair = factories.MentorshipFactory.create(programme=w["programme"])
        factories.SessionFactory.create(mentorship=pair)


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
        lambda w: f"programmes/{w['programme'].slug}/matching-runs/{w['run'].pk}/",
        draft_pairs,
        rows=lambda body: list(body["proposals"]),
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


def statements(queries: CaptureQueriesContext) -> int:
    """The queries, a bulk insert counting once: SQLite splits one into batches of at most 999
    parameters (the audit rows of 100 reads of career histories take two)."""
    count, previous = 0, ""
    for query in queries.captured_queries:
        head = query["sql"].split(" VALUES ", 1)[0]
        if not (head.startswith("INSERT") and head == previous):
            count += 1
        previous = head
    return count


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
