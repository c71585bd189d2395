"""Cohort matching runs over HTTP: 202 and a running run, its progress, then its draft; 409 for
a second run; a failed run's reason."""

from __future__ import annotations

from typing import Any

import pytest

from mentorship import factories
from mentorship.models import (
    MatchingRun,
    MatchingRunStatus,
    Membership,
    Profile,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services.matching_runs import compute_matching_run
from tests.api.conftest import Api, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(programme: Programme) -> list[User]:
    """Two mentors with a place each, two mentees who want what they offer."""
    people = []
    for _ in range(2):
        people.append(
            factories.member(programme, Role.MENTOR, topics_offered=["leadership"], seniority=5)
        )
        people.append(
            factories.member(programme, Role.MENTEE, topics_wanted=["leadership"], seniority=2)
        )
    return people


def runs_url(programme: Programme) -> str:
    return f"programmes/{programme.slug}/matching-runs/"


def drafted_pairs(client: Api, programme: Programme, run_id: int) -> dict[str, Any]:
    response = client.get(f"{runs_url(programme)}{run_id}/pairs/")
    assert response.status_code == 200, response.content
    return dict(response.json())


def test_starting_a_run_answers_202_with_a_running_run_then_its_draft(
    api: type[Api], programme: Programme, coordinator: User, cohort: list[User], after_commit
) -> None:
    as_coordinator = api(coordinator)

    with after_commit():  # the background work, in-process as without a broker
        response = as_coordinator.post(runs_url(programme), {"mode": "optimal"})

    assert response.status_code == 202, response.content
    started: dict[str, Any] = response.json()
    assert started["status"] == "running"
    assert started["progress"] == {"stage": "queued", "percent": 0}
    assert "proposals" not in started  # the pairs are listed on their own (`…/pairs/`)
    assert started["failure_reason"] == ""
    assert started["finished_at"] is None
    assert response["Location"] == f"/api/v1/{runs_url(programme)}{started['id']}/"

    done = as_coordinator.get(response["Location"]).json()
    assert done["status"] == "draft"
    assert done["progress"] == {"stage": "done", "percent": 100}
    assert done["started_at"] is not None
    assert done["finished_at"] is not None
    pairs = drafted_pairs(as_coordinator, programme, done["id"])
    assert pairs["count"] == done["summary"]["matched"] == 2
    scores = [pair["score"] for pair in pairs["results"]]
    assert scores == sorted(scores, reverse=True)  # best first
    assert {pair["mentee"]["id"] for pair in pairs["results"]} == {
        person.pk for person in cohort if person.profile.topics_wanted
    }
    assert all(pair["status"] == "draft" and pair["reasons"] for pair in pairs["results"])


@pytest.mark.django_db(transaction=True)
def test_without_a_broker_a_run_computes_on_a_thread_after_the_answer(
    api: type[Api], programme: Programme, coordinator: User, cohort: list[User], settings
) -> None:
    import threading

    settings.MATCHING_RUNS_IN_THREAD = True
    response = api(coordinator).post(runs_url(programme), {"mode": "optimal"})

    assert response.status_code == 202, response.content
    name = f"matching-run-{response.json()['id']}"
    for thread in threading.enumerate():  # (gone already when it finished first)
        if thread.name == name:
            thread.join(timeout=60)
    run = MatchingRun.objects.get(pk=response.json()["id"])
    assert run.status == MatchingRunStatus.DRAFT
    assert run.proposals.count() == run.summary["matched"] == 2


def test_a_running_run_shows_its_progress(
    api: type[Api], programme: Programme, coordinator: User
) -> None:
    response = api(coordinator).post(runs_url(programme), {"mode": "stable"})
    run = MatchingRun.objects.get(pk=response.json()["id"])
    MatchingRun.objects.filter(pk=run.pk).update(progress={"stage": "scoring", "percent": 10})

    body = api(coordinator).get(f"{runs_url(programme)}{run.pk}/").json()

    assert (body["status"], body["progress"]) == ("running", {"stage": "scoring", "percent": 10})
    assert drafted_pairs(api(coordinator), programme, run.pk)["count"] == 0
    [listed] = api(coordinator).get(runs_url(programme)).json()["results"]
    assert listed["id"] == run.pk
    assert listed["status"] == "running"


@pytest.mark.parametrize("computed", [False, True])
def test_a_second_run_while_one_is_running_or_a_draft_waits_is_a_409(
    api: type[Api],
    programme: Programme,
    coordinator: User,
    cohort: list[User],
    django_capture_on_commit_callbacks,
    computed: bool,
) -> None:
    with django_capture_on_commit_callbacks(execute=computed):
        first = api(coordinator).post(runs_url(programme), {"mode": "optimal"})
    assert first.status_code == 202

    second = api(coordinator).post(runs_url(programme), {"mode": "greedy"})

    body = assert_error(second, 409, "conflict")
    assert ("draft" if computed else "in progress") in body["detail"]
    assert MatchingRun.objects.count() == 1


def test_a_failed_run_says_why_and_a_new_one_can_start(
    api: type[Api],
    programme: Programme,
    coordinator: User,
    cohort: list[User],
    monkeypatch,
    after_commit,
) -> None:
    def broken(**kwargs: Any) -> None:
        raise ValueError("Found array with 0 sample(s)")

    monkeypatch.setattr("mentorship.matching_adapter.assign_cohort", broken)
    with after_commit():
        started = api(coordinator).post(runs_url(programme), {"mode": "optimal"}).json()

    failed = api(coordinator).get(f"{runs_url(programme)}{started['id']}/").json()
    assert failed["status"] == "failed"
    assert "unexpected error (ValueError)" in failed["failure_reason"]
    assert drafted_pairs(api(coordinator), programme, started["id"])["count"] == 0

    again = api(coordinator).post(runs_url(programme), {"mode": "optimal"})
    assert again.status_code == 202


def test_a_running_run_cannot_be_published_or_discarded(
    api: type[Api], programme: Programme, coordinator: User
) -> None:
    run_id = api(coordinator).post(runs_url(programme), {"mode": "optimal"}).json()["id"]

    for action in ("publish", "discard"):
        response = api(coordinator).post(f"{runs_url(programme)}{run_id}/{action}/")
        assert "running" in assert_error(response, 409)["detail"]

    assert compute_matching_run(run_id=run_id) == MatchingRunStatus.DRAFT


@pytest.mark.parametrize(("who", "status"), [("mentor", 403), ("outsider", 404)])
def test_only_the_programmes_coordinators_start_runs(
    request, api: type[Api], programme: Programme, who: str, status: int
) -> None:
    response = api(request.getfixturevalue(who)).post(runs_url(programme), {"mode": "optimal"})

    assert_error(response, status)
    assert not MatchingRun.objects.exists()


def test_a_run_of_1200_pairs_reads_page_by_page(
    api: type[Api], programme: Programme, coordinator: User
) -> None:
    """The run's own answer stays small; its pairs come 100 at most a page, every one once."""
    users = User.objects.bulk_create(User(username=f"pair-{i}") for i in range(2400))
    Profile.objects.bulk_create(Profile(user=u) for u in users)
    run = MatchingRun.objects.create(
        programme=programme, mode="optimal", status=MatchingRunStatus.DRAFT, created_by=coordinator
    )
    Proposal.objects.bulk_create(
        Proposal(
            programme=programme,
            mentee=users[i],
            mentor=users[1200 + i],
            matching_run=run,
            rank=1,
            score=0.5,
            components={},
            reasons=[],
            status=ProposalStatus.DRAFT,
        )
        for i in range(1200)
    )

    client = api(coordinator)
    detail = client.get(f"{runs_url(programme)}{run.pk}/")
    assert detail.status_code == 200
    assert len(detail.content) < 2000

    seen = []
    for page in range(1, 13):
        response = client.get(f"{runs_url(programme)}{run.pk}/pairs/?page={page}&page_size=100")
        assert response.status_code == 200, response.content[:300]
        assert response.json()["count"] == 1200
        seen += [pair["id"] for pair in response.json()["results"]]
    assert len(seen) == len(set(seen)) == 1200
    after = client.get(f"{runs_url(programme)}{run.pk}/pairs/?page=13&page_size=100")
    assert after.status_code == 404


@pytest.mark.parametrize(("who", "status"), [("mentor", 403), ("outsider", 404)])
def test_only_the_programmes_coordinators_read_a_runs_pairs(
    request, api: type[Api], programme: Programme, coordinator: User, who: str, status: int
) -> None:
    run = MatchingRun.objects.create(
        programme=programme, mode="optimal", status=MatchingRunStatus.DRAFT, created_by=coordinator
    )
    response = api(request.getfixturevalue(who)).get(f"{runs_url(programme)}{run.pk}/pairs/")

    assert_error(response, status)


def test_a_run_of_another_programme_has_no_pairs_here(
    api: type[Api], programme: Programme, other_programme: Programme, coordinator: User
) -> None:
    Membership.objects.create(user=coordinator, programme=other_programme, role=Role.COORDINATOR)
    run = MatchingRun.objects.create(
        programme=other_programme,
        mode="optimal",
        status=MatchingRunStatus.DRAFT,
        created_by=coordinator,
    )

    response = api(coordinator).get(f"{runs_url(programme)}{run.pk}/pairs/")

    assert_error(response, 404)
