"""Real transactions racing in threads released together by a barrier.

These run on whichever database the suite runs on: the shipped SQLite configuration by
default, PostgreSQL in the CI leg that sets DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection, connections
from django.utils import timezone

from mentorship import factories
from mentorship.errors import CapacityReached, Conflict
from mentorship.models import (
    MatchingRun,
    MatchingRunStatus,
    Mentorship,
    MentorshipStatus,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    Session,
    User,
)
from mentorship.services.matching_runs import start_matching_run
from mentorship.services.mentorships import log_session
from mentorship.services.proposals import accept_proposal

THREADS = 8
TRIALS = 20


def race(workers: list[Callable[[], str]]) -> Counter[str]:
    """Run each worker in its own thread (own connection), all released at once."""
    barrier = threading.Barrier(len(workers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(work: Callable[[], str]) -> None:
        try:
            connection.ensure_connection()  # connect before the start line, not after it
            barrier.wait()
            outcome = work()
        except Exception as error:
            outcome = f"{type(error).__name__}: {error}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a worker hung"
    return Counter(outcomes)


def accept(mentor_id: int, proposal_id: int) -> Callable[[], str]:
    def work() -> str:
        proposal = Proposal.objects.get(pk=proposal_id)
        mentor = proposal.mentor
        assert mentor.pk == mentor_id
        try:
            accept_proposal(actor=mentor, proposal=proposal)
        except CapacityReached:
            return "capacity"
        return "accepted"

    return work


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("capacity", [1, 2, 3])
def test_concurrent_accepts_fill_exactly_the_mentors_capacity(capacity: int) -> None:
    for trial in range(TRIALS):
        programme = factories.ProgrammeFactory.create(slug=f"race-{capacity}-{trial}")
        mentor = factories.member(programme, Role.MENTOR, capacity=capacity)
        proposals = [
            factories.ProposalFactory.create(
                programme=programme, mentor=mentor, status=ProposalStatus.REQUESTED
            )
            for _ in range(THREADS)
        ]

        outcomes = race([accept(mentor.pk, p.pk) for p in proposals])

        assert outcomes == Counter({"accepted": capacity, "capacity": THREADS - capacity}), (
            f"trial {trial}: {outcomes}"
        )
        seats = Mentorship.objects.filter(mentor=mentor, status=MentorshipStatus.ACTIVE)
        assert seats.count() == capacity
        assert (
            Proposal.objects.filter(mentor=mentor, status=ProposalStatus.ACCEPTED).count()
            == capacity
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_session_logs_are_all_stored() -> None:
    writers, logs_each = THREADS, 200
    programme = factories.ProgrammeFactory.create(slug="busy")
    mentorships = [
        factories.MentorshipFactory.create(
            programme=programme, started_on=timezone.localdate() - dt.timedelta(days=400)
        )
        for _ in range(writers)
    ]

    def writer(mentorship_id: int) -> Callable[[], str]:
        def work() -> str:
            mentorship = Mentorship.objects.select_related("programme").get(pk=mentorship_id)
            acknowledged = 0
            for i in range(logs_each):
                log_session(
                    actor=mentorship.mentee,
                    mentorship=mentorship,
                    date=timezone.localdate() - dt.timedelta(days=i % 300),
                    duration_minutes=30 + i % 60,
                    format="video",
                    topics=["leadership"],
                    notes=f"writer {mentorship_id} log {i}",
                )
                acknowledged += 1
            return f"acknowledged {acknowledged}"

        return work

    outcomes = race([writer(m.pk) for m in mentorships])

    assert outcomes == Counter({f"acknowledged {logs_each}": writers})
    assert Session.objects.count() == writers * logs_each
    for mentorship in mentorships:
        assert Session.objects.filter(mentorship=mentorship).count() == logs_each


@pytest.mark.django_db(transaction=True)
def test_concurrent_starts_make_one_matching_run() -> None:
    for trial in range(TRIALS // 4):
        programme = factories.ProgrammeFactory.create(slug=f"run-race-{trial}")
        coordinators = [factories.member(programme, Role.COORDINATOR) for _ in range(THREADS)]

        def start(coordinator_id: int, programme_id: int) -> Callable[[], str]:
            def work() -> str:
                coordinator = User.objects.get(pk=coordinator_id)
                programme = Programme.objects.get(pk=programme_id)
                try:
                    start_matching_run(actor=coordinator, programme=programme, mode="optimal")
                except Conflict:
                    return "conflict"
                return "started"

            return work

        outcomes = race([start(c.pk, programme.pk) for c in coordinators])

        assert outcomes == Counter({"started": 1, "conflict": THREADS - 1}), outcomes
        # Started after commit and computed in-process (no broker): an empty cohort's draft.
        [run] = MatchingRun.objects.filter(programme=programme)
        assert run.status == MatchingRunStatus.DRAFT
