"""Who may do what: every route, method and role, on owner, peer and outsider objects.

The world: programme `p` has a coordinator, a mentor `M` and a mentee `E` in a mentorship (the
owner objects), and a peer pair M2/E2 (peer objects); programme `q` has its own coordinator
(`other`) and pair (outsider objects). Each row gives the expected status for the owner objects;
peer and outsider expectations follow from who can see what:

- a peer object is invisible (404) to the mentee and the mentor, and the coordinator of `p` is
  treated as for the owner object; the other programme's coordinator gets 404;
- an outsider object is invisible (404) to everyone of `p`, and the other coordinator is treated
  as the coordinator is for the owner object.

Invariants checked on every row: never a 5xx, every 4xx has the error shape, and a refused call
writes no audit event. `test_every_api_route_has_a_row` fails when a route has no row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from mentorship import factories, notifications
from mentorship.models import (
    AuditEvent,
    MatchingRun,
    MatchingRunStatus,
    MatchRequest,
    Mentorship,
    MentorshipStatus,
    NetworkPlan,
    ProposalStatus,
    Role,
)
from tests.api.conftest import assert_error

ROLES = ("anonymous", "mentee", "mentor", "coordinator", "other")
TODAY = timezone.localdate()


@dataclass
class World:
    users: dict[str, Any]
    objects: dict[str, Any]


def build_world() -> World:
    p = factories.ProgrammeFactory.create(name="P", slug="p", join_code="JOIN-PPPP")
    q = factories.ProgrammeFactory.create(name="Q", slug="q", join_code="JOIN-QQQQ")
    coordinator = factories.member(p, Role.COORDINATOR, username="coord")
    mentor = factories.member(p, Role.MENTOR, username="mentor", capacity=3)
    mentor2 = factories.member(p, Role.MENTOR, username="mentor2", capacity=3)
    mentee = factories.member(p, Role.MENTEE, username="mentee")
    mentee2 = factories.member(p, Role.MENTEE, username="mentee2")
    other = factories.member(q, Role.COORDINATOR, username="other")
    mentor_q = factories.member(q, Role.MENTOR, username="mentorq", capacity=3)
    mentee_q = factories.member(q, Role.MENTEE, username="menteeq")
    factories.PersonalityFactory.create(profile=mentee.profile)

    def pair(programme: Any, m: Any, e: Any) -> tuple[Any, Any, Any]:
        ship = factories.MentorshipFactory.create(
            programme=programme, mentor=m, mentee=e, started_on=TODAY - dt.timedelta(days=30)
        )
        return (
            ship,
            factories.SessionFactory.create(mentorship=ship),
            factories.IntroductionFactory.create(mentorship=ship),
        )

    own, own_session, own_intro = pair(p, mentor, mentee)
    peer, peer_session, peer_intro = pair(p, mentor2, mentee2)
    out, out_session, out_intro = pair(q, mentor_q, mentee_q)

    def proposal(programme: Any, e: Any, m: Any, status: str) -> Any:
        return factories.ProposalFactory.create(
            programme=programme, mentee=e, mentor=m, status=status
        )

    objects = {
        "programme": (p, None, q),
        "mentorship": (own, peer, out),
        "session": (own_session, peer_session, out_session),
        "introduction": (own_intro, peer_intro, out_intro),
        "requested": (
            proposal(p, mentee, mentor, ProposalStatus.REQUESTED),
            proposal(p, mentee2, mentor2, ProposalStatus.REQUESTED),
            proposal(q, mentee_q, mentor_q, ProposalStatus.REQUESTED),
        ),
        "suggested": (
            proposal(p, mentee, mentor2, ProposalStatus.SUGGESTED),
            proposal(p, mentee2, mentor2, ProposalStatus.SUGGESTED),
            proposal(q, mentee_q, mentor_q, ProposalStatus.SUGGESTED),
        ),
        "run": (
            MatchingRun.objects.create(programme=p, mode="greedy", created_by=coordinator),
            None,
            MatchingRun.objects.create(programme=q, mode="greedy", created_by=other),
        ),
    }
    objects["match_request"] = tuple(pr.match_request for pr in objects["requested"])
    # A notification of each pair's mentee (a person's own: nobody else sees it).
    told = [
        notifications.notify(
            "follow_up_due",
            recipients=[ship.mentee],
            about=ship,
            contact="Kim Lee",
            introducer="A mentor",
            purpose="Meet.",
            programme=ship.programme.name,
            mentorship_id=ship.pk,
        )[0]
        for ship in objects["mentorship"]
    ]
    objects["notification"] = (told[0], told[1], told[2])
    own_contact, peer_contact, out_contact = (
        factories.ContactFactory.create(
            plan=factories.NetworkPlanFactory.create(owner=ship.mentee, programme=ship.programme)
        )
        for ship in objects["mentorship"]
    )
    objects["contact"] = (own_contact, peer_contact, out_contact)
    # A member to erase: the peer pair's mentee in `p`, the other programme's mentee in `q`.
    objects["member"] = (
        SimpleNamespace(pk=mentee2.pk, programme=p),
        None,
        SimpleNamespace(pk=mentee_q.pk, programme=q),
    )
    assert all(objects[kind][1] is None for kind in NO_PEER)
    users = {
        "anonymous": None,
        "mentee": mentee,
        "mentor": mentor,
        "coordinator": coordinator,
        "other": other,
    }
    return World(users, objects)


def end_mentorships(world: World) -> None:
    """Free the pairs, so proposal actions are legal for their mentees."""
    for ship in world.objects["mentorship"]:
        Mentorship.objects.filter(pk=ship.pk).update(
            status=MentorshipStatus.ENDED, ended_on=TODAY, end_reason="test"
        )


def pause_mentorships(world: World) -> None:
    for ship in world.objects["mentorship"]:
        Mentorship.objects.filter(pk=ship.pk).update(status=MentorshipStatus.PAUSED)


def discard_drafts(world: World) -> None:
    MatchingRun.objects.update(status=MatchingRunStatus.DISCARDED)


def share_plans(world: World) -> None:
    NetworkPlan.objects.update(shared_with_mentor=True, shared_at=timezone.now())


@dataclass(frozen=True)
class Row:
    name: str  # the URL name
    method: str
    path: str  # `{obj}` is replaced by the object's id, `{slug}` by its programme's slug
    own: dict[str, int]  # expected status for mentee, mentor, coordinator, other (owner objects)
    obj: str | None = None
    body: Callable[[World, str], Any] | Any = None
    prepare: Callable[[World], None] | None = None
    anonymous: int = 401
    tags: tuple[str, ...] = field(default=())


def everyone(status: int, anonymous: int = 401) -> dict[str, Any]:
    return {"own": dict.fromkeys(ROLES[1:], status), "anonymous": anonymous}


def pair_and_coordinator(status: int, coordinator: int | None = None) -> dict[str, int]:
    return {"mentee": status, "mentor": status, "coordinator": coordinator or status, "other": 404}


def coordinator_only(status: int) -> dict[str, int]:
    return {"mentee": 403, "mentor": 403, "coordinator": status, "other": 404}


def mentee_only(status: int, others: int = 403) -> dict[str, int]:
    """The network plan: its owner only (the others are no mentee, or not the owner)."""
    return {"mentee": status, "mentor": others, "coordinator": others, "other": others}


def credentials(world: World, role: str) -> dict[str, str]:
    user = world.users[role] or world.users["mentee"]
    return {"username": user.username, "password": factories.DEFAULT_PASSWORD}


def signup(world: World, role: str) -> dict[str, str]:
    return {
        "username": f"new-{role}",
        "email": f"new-{role}@example.org",
        "password": "a-long-passphrase-2026",
        "join_code": "JOIN-PPPP",
        "role": "mentee",
    }


SESSION = {
    "date": (TODAY - dt.timedelta(days=1)).isoformat(),
    "duration_minutes": 30,
    "format": "video",
    "topics": ["leadership"],
    "notes": "n",
    "rating": 4,
}
CONTACT = {
    "name": "Ada Obi",
    "network_group": "senior_leadership",
    "connection_type": "strategic",
    "tier": "key",
    "why": "Runs the portfolio board.",
}
TOUCHPOINT = {"date": TODAY.isoformat(), "vehicle": "call", "note": "Coffee"}
INTRO = {
    "contact_name": "Kim Lee",
    "network_group": "wider_business",
    "connection_type": "personal",
    "purpose": "Learn about finance PMOs.",
}

ROWS = [
    Row("api-token", "POST", "auth/token/", body=credentials, **everyone(200, 200)),
    Row("api-signup", "POST", "auth/signup/", body=signup, **everyone(201, 201)),
    Row("api-logout", "POST", "auth/logout/", **everyone(204)),
    Row(
        "api-password-reset",
        "POST",
        "auth/password-reset/",
        body={"email": "someone@example.org"},
        **everyone(202, 202),
    ),
    Row("api-profile", "GET", "me/profile/", **everyone(200)),
    Row("api-profile", "PATCH", "me/profile/", body={"headline": "New headline"}, **everyone(200)),
    Row(
        "api-personality",
        "GET",
        "me/personality/",
        own={"mentee": 200, "mentor": 404, "coordinator": 404, "other": 404},
    ),
    Row(
        "api-personality",
        "PUT",
        "me/personality/",
        body={"answers": [4] * 10, "consent": True},
        **everyone(200),
    ),
    Row("api-personality", "DELETE", "me/personality/", **everyone(204)),
    Row("api-export", "GET", "me/export/", **everyone(200)),
    Row(
        "api-erase",
        "POST",
        "me/erase/",
        body={"password": factories.DEFAULT_PASSWORD},
        # Each coordinator is their programme's only one: erasing would leave it without.
        own={"mentee": 204, "mentor": 204, "coordinator": 409, "other": 409},
    ),
    Row(
        "api-member-erase",
        "POST",
        "programmes/{slug}/members/{obj}/erase/",
        obj="member",
        body={"password": factories.DEFAULT_PASSWORD},
        own=coordinator_only(204),
    ),
    Row("api-programmes", "GET", "programmes/", **everyone(200)),
    Row(
        "api-programmes",
        "POST",
        "programmes/",
        body={"name": "New", "slug": "new"},
        **everyone(403),
    ),
    Row(
        "api-programme", "GET", "programmes/{slug}/", obj="programme", own=pair_and_coordinator(200)
    ),
    Row(
        "api-programme",
        "PATCH",
        "programmes/{slug}/",
        obj="programme",
        body={"description": "x"},
        own=coordinator_only(200),
    ),
    Row(
        "api-cadence",
        "GET",
        "programmes/{slug}/cadence/",
        obj="programme",
        own=coordinator_only(200),
    ),
    Row(
        "api-cadence-export",
        "GET",
        "programmes/{slug}/cadence/export/",
        obj="programme",
        own=coordinator_only(200),
    ),
    Row("api-stats", "GET", "programmes/{slug}/stats/", obj="programme", own=coordinator_only(200)),
    Row(
        "api-matching-runs",
        "GET",
        "programmes/{slug}/matching-runs/",
        obj="programme",
        own=coordinator_only(200),
    ),
    Row(
        "api-matching-runs",
        "POST",
        "programmes/{slug}/matching-runs/",
        obj="programme",
        body={"mode": "greedy"},
        prepare=discard_drafts,
        own=coordinator_only(202),
    ),
    Row(
        "api-matching-run",
        "GET",
        "programmes/{slug}/matching-runs/{obj}/",
        obj="run",
        own=coordinator_only(200),
    ),
    Row(
        "api-matching-run-pairs",
        "GET",
        "programmes/{slug}/matching-runs/{obj}/pairs/",
        obj="run",
        own=coordinator_only(200),
    ),
    Row(
        "api-matching-run-publish",
        "POST",
        "programmes/{slug}/matching-runs/{obj}/publish/",
        obj="run",
        own=coordinator_only(200),
    ),
    Row(
        "api-matching-run-discard",
        "POST",
        "programmes/{slug}/matching-runs/{obj}/discard/",
        obj="run",
        own=coordinator_only(200),
    ),
    Row("api-match-requests", "GET", "match-requests/", **everyone(200)),
    Row(
        "api-match-requests",
        "POST",
        "match-requests/",
        body={"programme": "p"},
        prepare=end_mentorships,
        own={"mentee": 201, "mentor": 403, "coordinator": 403, "other": 404},
    ),
    Row(
        "api-match-request",
        "GET",
        "match-requests/{obj}/",
        obj="match_request",
        own={"mentee": 200, "mentor": 404, "coordinator": 200, "other": 404},
    ),
    Row("api-proposals", "GET", "proposals/", **everyone(200)),
    Row("api-proposal", "GET", "proposals/{obj}/", obj="requested", own=pair_and_coordinator(200)),
    Row(
        "api-proposal-request",
        "POST",
        "proposals/{obj}/request/",
        obj="suggested",
        body={"message": "Hello"},
        prepare=end_mentorships,
        own={"mentee": 200, "mentor": 404, "coordinator": 403, "other": 404},
    ),
    Row(
        "api-proposal-dismiss",
        "POST",
        "proposals/{obj}/dismiss/",
        obj="suggested",
        own={"mentee": 200, "mentor": 404, "coordinator": 403, "other": 404},
    ),
    Row(
        "api-proposal-withdraw",
        "POST",
        "proposals/{obj}/withdraw/",
        obj="requested",
        own={"mentee": 200, "mentor": 403, "coordinator": 403, "other": 404},
    ),
    Row(
        "api-proposal-accept",
        "POST",
        "proposals/{obj}/accept/",
        obj="requested",
        body={},
        prepare=end_mentorships,
        own={"mentee": 403, "mentor": 200, "coordinator": 403, "other": 404},
    ),
    Row(
        "api-proposal-decline",
        "POST",
        "proposals/{obj}/decline/",
        obj="requested",
        body={"reason": "Too busy"},
        own={"mentee": 403, "mentor": 200, "coordinator": 403, "other": 404},
    ),
    Row("api-mentorships", "GET", "mentorships/", **everyone(200)),
    Row(
        "api-mentorship",
        "GET",
        "mentorships/{obj}/",
        obj="mentorship",
        own=pair_and_coordinator(200),
    ),
    Row(
        "api-mentorship",
        "PATCH",
        "mentorships/{obj}/",
        obj="mentorship",
        body={"goals": "PMO"},
        own=pair_and_coordinator(200),
    ),
    Row(
        "api-mentorship-pause",
        "POST",
        "mentorships/{obj}/pause/",
        obj="mentorship",
        own=pair_and_coordinator(200),
    ),
    Row(
        "api-mentorship-resume",
        "POST",
        "mentorships/{obj}/resume/",
        obj="mentorship",
        prepare=pause_mentorships,
        own=pair_and_coordinator(200),
    ),
    Row(
        "api-mentorship-complete",
        "POST",
        "mentorships/{obj}/complete/",
        obj="mentorship",
        own=pair_and_coordinator(200),
    ),
    Row(
        "api-mentorship-end",
        "POST",
        "mentorships/{obj}/end/",
        obj="mentorship",
        body={"reason": "Moved on"},
        own=pair_and_coordinator(200),
    ),
    Row(
        "api-mentorship-sessions",
        "GET",
        "mentorships/{obj}/sessions/",
        obj="mentorship",
        own=pair_and_coordinator(200),
    ),
    Row(
        "api-mentorship-sessions",
        "POST",
        "mentorships/{obj}/sessions/",
        obj="mentorship",
        body=SESSION,
        own=pair_and_coordinator(201, coordinator=403),
    ),
    Row("api-session", "GET", "sessions/{obj}/", obj="session", own=pair_and_coordinator(200)),
    Row(
        "api-session",
        "PATCH",
        "sessions/{obj}/",
        obj="session",
        body={"duration_minutes": 50},
        own=pair_and_coordinator(200, coordinator=403),
    ),
    Row(
        "api-session",
        "DELETE",
        "sessions/{obj}/",
        obj="session",
        own=pair_and_coordinator(204, coordinator=403),
    ),
    Row(
        "api-mentorship-introductions",
        "GET",
        "mentorships/{obj}/introductions/",
        obj="mentorship",
        own=pair_and_coordinator(200),
    ),
    Row(
        "api-mentorship-introductions",
        "POST",
        "mentorships/{obj}/introductions/",
        obj="mentorship",
        body=INTRO,
        own={"mentee": 403, "mentor": 201, "coordinator": 201, "other": 404},
    ),
    Row(
        "api-introduction",
        "GET",
        "introductions/{obj}/",
        obj="introduction",
        own=pair_and_coordinator(200),
    ),
    Row(
        "api-introduction",
        "PATCH",
        "introductions/{obj}/",
        obj="introduction",
        body={"outcome": "met"},
        own=pair_and_coordinator(200),
    ),
    # Engagement (issue 9)
    Row("api-notifications", "GET", "notifications/", **everyone(200)),
    Row(
        "api-notification-read",
        "POST",
        "notifications/{obj}/read/",
        obj="notification",
        own={"mentee": 200, "mentor": 404, "coordinator": 404, "other": 404},
    ),
    Row("api-notification-preferences", "GET", "me/notification-preferences/", **everyone(200)),
    Row(
        "api-notification-preferences",
        "PATCH",
        "me/notification-preferences/",
        body={"cadence_due": False},
        **everyone(200),
    ),
    # The feed's key stands for signing in (tests/api/test_engagement_api.py has the right one).
    Row(
        "api-sessions-feed",
        "GET",
        "me/sessions.ics?key=not-the-key-of-anyone-0123456789",
        **everyone(404, anonymous=404),
    ),
    Row(
        "api-mentorship-nudge",
        "POST",
        "mentorships/{obj}/nudge/",
        obj="mentorship",
        own=coordinator_only(200),
    ),
    Row("api-network-plan", "GET", "me/network/", own=mentee_only(200)),
    Row("api-network-plan", "PATCH", "me/network/", body={"shared": True}, own=mentee_only(200)),
    Row("api-network-summary", "GET", "me/network/summary/", own=mentee_only(200)),
    Row("api-network-contacts", "GET", "me/network/contacts/", **everyone(200)),
    Row("api-network-contacts", "POST", "me/network/contacts/", body=CONTACT, own=mentee_only(201)),
    Row(
        "api-network-contact",
        "GET",
        "me/network/contacts/{obj}/",
        obj="contact",
        own=mentee_only(200, others=404),
    ),
    Row(
        "api-network-contact",
        "PATCH",
        "me/network/contacts/{obj}/",
        obj="contact",
        body={"role": "COO"},
        own=mentee_only(200, others=404),
    ),
    Row(
        "api-network-contact",
        "DELETE",
        "me/network/contacts/{obj}/",
        obj="contact",
        own=mentee_only(204, others=404),
    ),
    Row(
        "api-network-contact-restore",
        "POST",
        "me/network/contacts/{obj}/restore/",
        obj="contact",
        own=mentee_only(200, others=404),
    ),
    Row(
        "api-network-touchpoints",
        "GET",
        "me/network/contacts/{obj}/touchpoints/",
        obj="contact",
        own=mentee_only(200, others=404),
    ),
    Row(
        "api-network-touchpoints",
        "POST",
        "me/network/contacts/{obj}/touchpoints/",
        obj="contact",
        body=TOUCHPOINT,
        own=mentee_only(201, others=404),
    ),
    # The mentee's plan on the mentorship: the mentor only while shared, never coordinators.
    Row(
        "api-mentorship-network",
        "GET",
        "mentorships/{obj}/network/",
        obj="mentorship",
        own=mentee_only(200, others=404),
    ),
    Row(
        "api-mentorship-network",
        "GET",
        "mentorships/{obj}/network/",
        obj="mentorship",
        prepare=share_plans,
        own={"mentee": 200, "mentor": 200, "coordinator": 404, "other": 404},
    ),
    Row("api-health", "GET", "health/", **everyone(200, 200)),
    Row("api-schema", "GET", "schema/", **everyone(200, 200)),
    Row("api-docs", "GET", "docs/", **everyone(200, 200)),
    Row("api-redoc", "GET", "redoc/", **everyone(200, 200)),
]


def expected(row: Row, variant: str, role: str) -> int:
    if role == "anonymous":
        return row.anonymous
    if variant == "own":
        return row.own[role]
    if variant == "peer":
        return {"mentee": 404, "mentor": 404, "coordinator": row.own["coordinator"], "other": 404}[
            role
        ]
    return {"mentee": 404, "mentor": 404, "coordinator": 404, "other": row.own["coordinator"]}[role]


# Objects that belong to a programme rather than to a pair have no peer variant.
NO_PEER = {"programme", "run", "member"}


def variants(row: Row) -> tuple[str, ...]:
    if not row.obj:
        return ("own",)
    return ("own", "outsider") if row.obj in NO_PEER else ("own", "peer", "outsider")


CASES = [
    pytest.param(row, variant, role, id=f"{row.method} {row.path} [{variant}] as {role}")
    for row in ROWS
    for variant in variants(row)
    for role in ROLES
]


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Any:
    """Built once per module inside an outer transaction; each test runs in a savepoint that
    rolls back, so every case starts from the same world (Django's setUpTestData pattern)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.mark.parametrize(("row", "variant", "role"), CASES)
def test_authorization(world: World, db: None, row: Row, variant: str, role: str) -> None:
    if row.prepare:
        row.prepare(world)
    path = row.path
    if row.obj:
        obj = world.objects[row.obj][("own", "peer", "outsider").index(variant)]
        programme = obj if row.obj == "programme" else getattr(obj, "programme", None)
        path = path.format(obj=obj.pk, slug=getattr(programme, "slug", ""))
    client = APIClient()
    if world.users[role] is not None:
        client.force_authenticate(world.users[role])
    body = row.body(world, role) if callable(row.body) else row.body
    audit_before = AuditEvent.objects.exclude(action="denied").count()
    denied_before = AuditEvent.objects.filter(action="denied").count()

    response = getattr(client, row.method.lower())(f"/api/v1/{path}", body, format="json")

    want = expected(row, variant, role)
    assert response.status_code < 500
    assert response.status_code == want, response.content[:300]
    if want >= 400:
        assert_error(response, want)
        written = AuditEvent.objects.exclude(action="denied").count() - audit_before
        assert written == 0, "a refused call wrote an audit event"
        # A signed-in person refused (403) leaves exactly one trace: the refusal itself.
        denied = AuditEvent.objects.filter(action="denied").count() - denied_before
        assert denied == (1 if want == 403 and role != "anonymous" else 0)


def api_routes() -> set[tuple[str, str]]:
    """Every (URL name, method) the API serves, read from the URLconf."""
    routes = set()
    for pattern in get_resolver("api.urls").url_patterns:
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        view = getattr(pattern.callback, "view_class", None) or getattr(
            pattern.callback, "cls", None
        )
        for method in ("get", "post", "put", "patch", "delete"):
            if view is not None and hasattr(view, method):
                routes.add((pattern.name, method.upper()))
    return routes


def test_every_api_route_has_a_row() -> None:
    covered = {(row.name, row.method) for row in ROWS}
    missing = api_routes() - covered
    assert not missing, f"routes without an authorization row: {sorted(missing)}"
    assert not covered - api_routes(), "rows for routes that no longer exist"


def test_the_world_has_owner_peer_and_outsider_objects(world: World, db: None) -> None:
    mentee = world.users["mentee"]
    assert MatchRequest.objects.filter(mentee=mentee).exists()
    own, peer, outsider = world.objects["mentorship"]
    assert own.mentee == mentee
    assert mentee not in (peer.mentee, peer.mentor)
    assert outsider.programme.slug == "q"
