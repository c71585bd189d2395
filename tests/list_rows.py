"""Rows for the list-query tests of the API and the pages: a world with one of everything,
and functions that add n rows to one list of it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from mentorship import factories
from mentorship.models import (
    Export,
    ExportKind,
    ExportStatus,
    MatchingRun,
    MatchingRunStatus,
    Membership,
    Notification,
    Programme,
    ProposalStatus,
    Role,
    User,
)

World = dict[str, Any]


def make_world(programme: Programme, coordinator: User, mentor: User, mentee: User) -> World:
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


def proposals(w: World, n: int, status: str = ProposalStatus.SUGGESTED) -> None:
    """n proposals to the mentee from new mentors."""
    now = timezone.now()
    for _ in range(n):
        mentor = with_career(factories.member(w["programme"], Role.MENTOR))
        factories.ProposalFactory.create(
            programme=w["programme"],
            mentee=w["mentee"],
            mentor=mentor,
            status=status,
            requested_at=None if status == ProposalStatus.SUGGESTED else now,
            expires_at=None if status == ProposalStatus.SUGGESTED else now + dt.timedelta(days=7),
        )


def requests(w: World, n: int) -> None:
    proposals(w, n, ProposalStatus.REQUESTED)


def inbox(w: World, n: int) -> None:
    """n requests to the mentor from new mentees."""
    now = timezone.now()
    for _ in range(n):
        mentee = with_career(factories.member(w["programme"], Role.MENTEE))
        factories.ProposalFactory.create(
            programme=w["programme"],
            mentee=mentee,
            mentor=w["mentor"],
            status=ProposalStatus.REQUESTED,
            requested_at=now,
            expires_at=now + dt.timedelta(days=7),
        )


def members(w: World, n: int) -> None:
    for _ in range(n):
        with_career(factories.member(w["programme"], Role.MENTEE))


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


def exports(w: World, n: int) -> None:
    Export.objects.bulk_create(
        Export(
            programme=w["programme"],
            requested_by=w["coordinator"],
            kind=ExportKind.CADENCE,
            status=ExportStatus.READY,
            filename="cadence.csv",
            content="mentorship,mentor,mentee\n",
            finished_at=timezone.now(),
        )
        for _ in range(n)
    )


def never_met(w: World, n: int) -> None:
    """n pairs that never met: the dashboard lists them as needing attention."""
    for _ in range(n):
        factories.MentorshipFactory.create(programme=w["programme"])


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
