"""Whole-cohort matching runs: drafted, then published (drafts become requests) or discarded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from mentorship import factories
from mentorship.errors import (
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from mentorship.models import (
    Exclusion,
    MatchingRun,
    MatchingRunMode,
    MatchingRunStatus,
    Membership,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services import matching_runs as services
from mentorship.services.proposals import accept_proposal

pytestmark = pytest.mark.django_db

S = ProposalStatus


def drafted_run(
    programme: Programme, coordinator: User, pairs: list[tuple[User, User]]
) -> MatchingRun:
    """A draft run as its background work leaves it, without the engine's choices."""
    run = MatchingRun.objects.create(
        programme=programme,
        mode="optimal",
        created_by=coordinator,
        summary={"mentees": len(pairs), "matched": len(pairs), "unmatched": []},
    )
    for mentee, mentor in pairs:
        factories.ProposalFactory.create(
            programme=programme, mentee=mentee, mentor=mentor, matching_run=run, status=S.DRAFT
        )
    return run


@pytest.fixture
def cohort(programme: Programme) -> list[tuple[User, User]]:
    return [
        (factories.member(programme, Role.MENTEE), factories.member(programme, Role.MENTOR))
        for _ in range(4)
    ]


@pytest.fixture
def run(programme: Programme, coordinator: User, cohort) -> MatchingRun:
    return drafted_run(programme, coordinator, cohort)


def drafted(*, actor: User, programme: Programme, mode: str) -> MatchingRun:
    """Start a run and let its background work run (in-process, as without a broker)."""
    run = services.start_matching_run(actor=actor, programme=programme, mode=mode)
    assert run.status == MatchingRunStatus.RUNNING
    services.compute_matching_run(run_id=run.pk)  # what the worker does after the commit
    run.refresh_from_db()
    return run


def drafts_of(run: MatchingRun) -> list[Proposal]:
    return list(Proposal.objects.filter(matching_run=run).order_by("id"))


# Publish ----------------------------------------------------------------------------------


def test_publishing_sends_every_draft_to_its_mentor(
    programme, coordinator, run, cohort, audit_of, after_commit
):
    programme.response_deadline_days = 5
    programme.save()
    before = timezone.now()

    with after_commit():
        services.publish_matching_run(actor=coordinator, run=run)

    run.refresh_from_db()
    assert run.status == MatchingRunStatus.PUBLISHED
    assert run.published_by == coordinator
    assert before <= run.published_at <= timezone.now()
    assert run.summary["sent"] == 4
    assert run.summary["withdrawn_at_publication"] == 0
    for p in drafts_of(run):
        assert p.status == S.REQUESTED
        assert p.requested_at == run.published_at
        assert p.expires_at == run.published_at + dt.timedelta(days=5)
        [event] = audit_of(p)
        assert (event.actor, event.action, event.from_state, event.to_state) == (
            coordinator,
            "request",
            S.DRAFT,
            S.REQUESTED,
        )
    [event] = audit_of(run)
    assert (event.actor, event.action, event.from_state, event.to_state) == (
        coordinator,
        "publish",
        "draft",
        "published",
    )
    assert (event.data["sent"], event.data["withdrawn"]) == (4, 0)
    # Each mentor gets the request, each mentee hears whom the coordinators matched them with.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [mentor.email for _, mentor in cohort] + [mentee.email for mentee, _ in cohort]
    )
    matched = {m.to[0]: m.subject for m in mail.outbox}
    for mentee, mentor in cohort:
        assert matched[mentee.email] == f"You are matched with {mentor.display_name}"
        assert matched[mentor.email] == f"{mentee.display_name} would like you as their mentor"


def test_pairs_overtaken_since_drafting_are_withdrawn_at_publication(
    programme, coordinator, run, cohort, audit_of, after_commit
):
    (found_mentor, _), (_, filled_up), (asked_already, _), (_, fine_mentor) = cohort
    factories.MentorshipFactory.create(programme=programme, mentee=found_mentor)
    for _ in range(filled_up.profile.capacity):
        factories.MentorshipFactory.create(programme=programme, mentor=filled_up)
    # The mentee asked a mentor of their own choosing in the meantime.
    factories.ProposalFactory.create(
        programme=programme,
        mentee=asked_already,
        mentor=factories.member(programme, Role.MENTOR),
        status=S.REQUESTED,
    )

    with after_commit():
        services.publish_matching_run(actor=coordinator, run=run)

    assert [p.status for p in drafts_of(run)] == [
        S.WITHDRAWN,
        S.WITHDRAWN,
        S.WITHDRAWN,
        S.REQUESTED,
    ]
    for p in drafts_of(run)[:3]:
        assert p.requested_at is None
        [event] = audit_of(p)
        assert (event.action, event.from_state, event.data["because"]) == (
            "withdraw",
            S.DRAFT,
            "overtaken before publication",
        )
    run.refresh_from_db()
    assert (run.summary["sent"], run.summary["withdrawn_at_publication"]) == (1, 3)
    fine_mentee = drafts_of(run)[3].mentee
    assert sorted(m.to[0] for m in mail.outbox) == sorted([fine_mentor.email, fine_mentee.email])


def test_publishing_twice_is_refused(coordinator, run, audit_of):
    services.publish_matching_run(actor=coordinator, run=run)

    with pytest.raises(InvalidTransition, match="already published"):
        services.publish_matching_run(actor=coordinator, run=run)

    assert [e.action for e in audit_of(run)] == ["publish"]
    assert all(len(audit_of(p)) == 1 for p in drafts_of(run))


def test_a_discarded_run_cannot_be_published(coordinator, run):
    services.discard_matching_run(actor=coordinator, run=run)

    with pytest.raises(InvalidTransition):
        services.publish_matching_run(actor=coordinator, run=run)

    run.refresh_from_db()
    assert run.status == MatchingRunStatus.DISCARDED
    assert {p.status for p in drafts_of(run)} == {S.WITHDRAWN}


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("mentor", PermissionDenied),
        ("mentee", PermissionDenied),
        ("outsider", NotFound),
        ("other_coordinator", NotFound),
        ("staff", NotFound),
    ],
)
def test_only_the_programmes_coordinators_publish_or_discard(request, run, audit_of, who, error):
    actor = request.getfixturevalue(who)

    with pytest.raises(error):
        services.publish_matching_run(actor=actor, run=run)
    with pytest.raises(error):
        services.discard_matching_run(actor=actor, run=run)

    run.refresh_from_db()
    assert run.status == MatchingRunStatus.DRAFT
    assert {p.status for p in drafts_of(run)} == {S.DRAFT}
    assert audit_of(run) == []


def test_requests_from_a_published_run_follow_the_normal_lifecycle(coordinator, run, cohort):
    services.publish_matching_run(actor=coordinator, run=run)
    first = drafts_of(run)[0]

    mentorship = accept_proposal(actor=first.mentor, proposal=first)

    assert (mentorship.mentee, mentorship.mentor) == cohort[0]


# Discard ----------------------------------------------------------------------------------


def test_discarding_withdraws_the_drafts_and_frees_the_programme_for_a_new_run(
    programme, coordinator, run, cohort, audit_of
):
    services.discard_matching_run(actor=coordinator, run=run)

    run.refresh_from_db()
    assert run.status == MatchingRunStatus.DISCARDED
    assert run.published_at is None
    for p in drafts_of(run):
        assert (p.status, p.requested_at) == (S.WITHDRAWN, None)
        [event] = audit_of(p)
        assert (event.actor, event.action, event.data["because"]) == (
            coordinator,
            "withdraw",
            "run discarded",
        )
    [event] = audit_of(run)
    assert (event.action, event.from_state, event.to_state) == ("discard", "draft", "discarded")
    # A new draft is allowed now.
    drafted_run(programme, coordinator, cohort[:1])


@pytest.mark.parametrize("first", ["publish", "discard"])
def test_only_a_draft_can_be_discarded(coordinator, run, first):
    getattr(services, f"{first}_matching_run")(actor=coordinator, run=run)
    run.refresh_from_db()
    status = run.status

    with pytest.raises(InvalidTransition):
        services.discard_matching_run(actor=coordinator, run=run)

    run.refresh_from_db()
    assert run.status == status


# Drafting (the checks made before the engine is called) -----------------------------------


def test_a_programme_has_one_draft_run_at_a_time(programme, coordinator, run):
    with pytest.raises(Conflict):
        services.start_matching_run(actor=coordinator, programme=programme, mode="stable")

    assert list(MatchingRun.objects.filter(programme=programme)) == [run]


def test_drafting_refuses_an_unknown_mode(programme, coordinator):
    with pytest.raises(ValidationFailed) as error:
        services.start_matching_run(actor=coordinator, programme=programme, mode="random")

    assert "mode" in error.value.fields
    assert not MatchingRun.objects.exists()


@pytest.mark.parametrize(
    ("who", "error"),
    [("mentor", PermissionDenied), ("outsider", NotFound), ("other_coordinator", NotFound)],
)
def test_only_the_programmes_coordinators_draft_runs(request, programme, who, error):
    actor = request.getfixturevalue(who)

    with pytest.raises(error):
        services.start_matching_run(actor=actor, programme=programme, mode="optimal")

    assert not MatchingRun.objects.exists()


# Drafting with the real engine ------------------------------------------------------------


@pytest.fixture
def real_cohort(programme: Programme) -> dict[str, User]:
    """Mentors with 3 free places between them, and mentees of whom 3 can be matched."""
    cache.clear()  # the adapter caches mentor indexes

    def mentor(name: str, **fields: object) -> User:
        user = factories.member(
            programme,
            Role.MENTOR,
            username=name,
            seniority=5,
            topics_offered=["leadership", "pmo_governance"],
            **fields,
        )
        factories.PositionFactory.create(
            profile=user.profile, title="Head of PMO", industry="energy"
        )
        return user

    def mentee(name: str, **fields: object) -> User:
        user = factories.member(
            programme,
            Role.MENTEE,
            username=name,
            seniority=2,
            topics_wanted=["leadership", "pmo_governance"],
            **fields,
        )
        factories.PositionFactory.create(
            profile=user.profile, title="PMO Analyst", industry="energy"
        )
        return user

    people = {
        "wide": mentor("wide", capacity=2),
        "single": mentor("single", capacity=1),
        "full": mentor("full", capacity=1),
        "resting": mentor("resting", capacity=3, accepting_mentees=False),
        "m1": mentee("m1"),
        "m2": mentee("m2"),
        "m3": mentee("m3"),
        "francophone": mentee("francophone", languages=["fr"]),  # no shared language
        "matched": mentee("matched"),
        "waiting": mentee("waiting"),
    }
    factories.MentorshipFactory.create(
        programme=programme, mentor=people["full"], mentee=people["matched"]
    )
    factories.ProposalFactory.create(
        programme=programme, mentee=people["waiting"], mentor=people["resting"], status=S.REQUESTED
    )
    # m1 may only go to `single`: `wide` is excluded for them.
    Exclusion.objects.create(
        programme=programme, mentee=people["m1"], mentor=people["wide"], reason="reporting_line"
    )
    return people


@pytest.mark.parametrize("mode", MatchingRunMode.values)
def test_a_drafted_run_respects_every_hard_rule(
    programme, coordinator, real_cohort, audit_of, mode
):
    people = real_cohort
    free_places = {people["wide"].pk: 2, people["single"].pk: 1}
    mentors = set(Membership.objects.filter(role=Role.MENTOR).values_list("user", flat=True))
    assert mentors == {people[n].pk for n in ("wide", "single", "full", "resting")}

    run = drafted(actor=coordinator, programme=programme, mode=mode)

    drafts = list(Proposal.objects.filter(matching_run=run).select_related("mentee", "mentor"))
    pairs = {(p.mentee.username, p.mentor.username) for p in drafts}
    # Invariants on every mode: drafts only, one per mentee, within free places, no excluded or
    # language-less pair, and only mentees who are neither matched nor waiting.
    assert {(p.status, p.rank, p.requested_at) for p in drafts} == {(S.DRAFT, 1, None)}
    assert len({p.mentee_id for p in drafts}) == len(drafts)
    for mentor_id, places in free_places.items():
        assert sum(p.mentor_id == mentor_id for p in drafts) <= places
    assert {p.mentor_id for p in drafts} <= set(free_places)
    assert ("m1", "wide") not in pairs
    assert {p.mentee.username for p in drafts} <= {"m1", "m2", "m3"}
    assert all(0 <= p.score <= 1 and p.reasons for p in drafts)
    assert run.status == MatchingRunStatus.DRAFT
    assert run.created_by == coordinator
    assert run.summary["mentees"] == 4  # m1, m2, m3, francophone
    assert run.summary["matched"] == len(drafts)
    unmatched = {int(pid[1:]) for pid in run.summary["unmatched"]}
    assert unmatched == {people[n].pk for n in ("m1", "m2", "m3", "francophone")} - {
        p.mentee_id for p in drafts
    }
    assert people["francophone"].pk in unmatched
    start, draft = audit_of(run)
    assert (start.actor, start.action, start.to_state) == (coordinator, "start", "running")
    assert (draft.actor, draft.action, draft.from_state, draft.to_state) == (
        coordinator,
        "draft",
        "running",
        "draft",
    )
    assert all([e.action for e in audit_of(p)] == ["draft"] for p in drafts)
    # Mentees are not shown a draft, mentors are not sent one.
    assert mail.outbox == []


def test_the_optimal_run_matches_as_many_mentees_as_the_places_allow(
    programme, coordinator, real_cohort
):
    run = drafted(actor=coordinator, programme=programme, mode="optimal")

    pairs = {
        (p.mentee.username, p.mentor.username)
        for p in Proposal.objects.filter(matching_run=run).select_related("mentee", "mentor")
    }
    # m1 can only have `single`, so m2 and m3 share `wide`.
    assert pairs == {("m1", "single"), ("m2", "wide"), ("m3", "wide")}


def test_a_drafted_run_is_published_to_the_mentors(
    programme, coordinator, real_cohort, after_commit
):
    run = drafted(actor=coordinator, programme=programme, mode="optimal")
    # Meanwhile m2 found a mentor: their draft is overtaken.
    factories.MentorshipFactory.create(programme=programme, mentee=real_cohort["m2"])

    with after_commit():
        services.publish_matching_run(actor=coordinator, run=run)

    statuses = {
        p.mentee.username: p.status
        for p in Proposal.objects.filter(matching_run=run).select_related("mentee")
    }
    assert statuses == {"m1": S.REQUESTED, "m2": S.WITHDRAWN, "m3": S.REQUESTED}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [real_cohort[name].email for name in ("single", "wide", "m1", "m3")]
    )


def test_a_second_draft_waits_for_the_first_to_be_published_or_discarded(
    programme, coordinator, real_cohort
):
    first = drafted(actor=coordinator, programme=programme, mode="stable")
    with pytest.raises(Conflict):
        drafted(actor=coordinator, programme=programme, mode="greedy")

    services.discard_matching_run(actor=coordinator, run=first)
    second = drafted(actor=coordinator, programme=programme, mode="greedy")

    assert list(MatchingRun.objects.filter(status="draft")) == [second]


def test_nobody_to_match_gives_an_empty_draft(programme, coordinator):
    run = drafted(actor=coordinator, programme=programme, mode="optimal")

    assert run.summary == {"mentees": 0, "matched": 0, "unmatched": [], "mean_score": None}
    assert not Proposal.objects.filter(matching_run=run).exists()


# In the background ------------------------------------------------------------------------


def test_a_run_starts_running_and_its_background_work_drafts_it_after_commit(
    programme, coordinator, real_cohort, audit_of, after_commit
):
    with after_commit() as queued:
        run = services.start_matching_run(actor=coordinator, programme=programme, mode="optimal")
        # Nothing computed before the commit: the run is queued, with no proposal yet.
        assert (run.status, run.progress) == ("running", {"stage": "queued", "percent": 0})
        assert not Proposal.objects.filter(matching_run=run).exists()

    assert len(queued) == 1
    run.refresh_from_db()
    assert run.status == MatchingRunStatus.DRAFT
    assert run.progress == {"stage": "done", "percent": 100}
    assert run.started_at is not None
    assert run.finished_at is not None
    assert run.created_at <= run.started_at <= run.finished_at
    assert run.failure_reason == ""
    assert run.summary["matched"] == Proposal.objects.filter(matching_run=run).count() == 3
    assert [e.action for e in audit_of(run)] == ["start", "draft"]


def test_computing_a_run_that_is_not_running_changes_nothing(programme, coordinator, real_cohort):
    run = drafted(actor=coordinator, programme=programme, mode="optimal")
    proposals = drafts_of(run)

    # The task delivered twice (a worker restarted), or after the run was discarded.
    assert services.compute_matching_run(run_id=run.pk) == "draft"
    services.discard_matching_run(actor=coordinator, run=run)
    assert services.compute_matching_run(run_id=run.pk) == "discarded"
    assert services.compute_matching_run(run_id=run.pk + 1000) == "gone"

    assert [p.pk for p in drafts_of(run)] == [p.pk for p in proposals]


def test_a_second_run_while_one_is_running_is_refused(programme, coordinator):
    running = services.start_matching_run(actor=coordinator, programme=programme, mode="optimal")

    with pytest.raises(Conflict, match="in progress"):
        services.start_matching_run(actor=coordinator, programme=programme, mode="stable")

    assert list(MatchingRun.objects.all()) == [running]


@pytest.mark.parametrize("failing", ["engine", "write"])
def test_a_failing_run_is_marked_failed_with_a_reason_and_drafts_nothing(
    programme, coordinator, real_cohort, audit_of, monkeypatch, caplog, failing
):
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    if failing == "engine":
        monkeypatch.setattr(services.matching_adapter, "assign_cohort", broken)
    else:  # after the proposals are written, before their audit rows: all rolled back
        monkeypatch.setattr(services.AuditEvent.objects, "bulk_create", broken)

    run = drafted(actor=coordinator, programme=programme, mode="optimal")

    assert run.status == MatchingRunStatus.FAILED
    assert "unexpected error (RuntimeError)" in run.failure_reason
    assert "disk full" not in run.failure_reason  # the details are in the log, not the page
    assert "Matching run" in caplog.text
    assert "disk full" in caplog.text
    assert run.finished_at is not None
    assert not Proposal.objects.filter(matching_run=run).exists()
    fail = audit_of(run)[-1]
    assert (fail.actor, fail.action, fail.from_state, fail.to_state) == (
        None,
        "fail",
        "running",
        "failed",
    )
    # A failed run does not block the programme: the coordinator tries again.
    monkeypatch.undo()
    again = drafted(actor=coordinator, programme=programme, mode="optimal")
    assert again.status == MatchingRunStatus.DRAFT


def test_a_run_stuck_running_is_failed_by_the_periodic_job(programme, coordinator, real_cohort):
    from mentorship.services.engagement import run_engagement

    stuck = services.start_matching_run(actor=coordinator, programme=programme, mode="optimal")
    started = stuck.created_at
    limit = services.RUN_TIME_LIMIT

    assert services.fail_stalled_matching_runs(now=started + limit - dt.timedelta(minutes=1)) == 0
    assert run_engagement(now=started + limit)["stalled matching runs failed"] == 1
    assert services.fail_stalled_matching_runs(now=started + 2 * limit) == 0

    stuck.refresh_from_db()
    assert stuck.status == MatchingRunStatus.FAILED
    assert "did not finish within 30 minutes" in stuck.failure_reason
    # Its worker coming back late writes nothing; the programme can run again.
    assert services.compute_matching_run(run_id=stuck.pk) == "failed"
    assert not Proposal.objects.filter(matching_run=stuck).exists()
    assert drafted(actor=coordinator, programme=programme, mode="optimal").status == "draft"


def test_a_run_failed_as_stalled_while_computing_discards_its_result(
    programme, coordinator, real_cohort, monkeypatch
):
    compute = services.matching_adapter.assign_cohort

    def slow(**kwargs: object) -> object:
        result = compute(**kwargs)  # type: ignore[arg-type]
        services.fail_stalled_matching_runs(now=timezone.now() + services.RUN_TIME_LIMIT)
        return result

    monkeypatch.setattr(services.matching_adapter, "assign_cohort", slow)

    run = drafted(actor=coordinator, programme=programme, mode="optimal")

    assert run.status == MatchingRunStatus.FAILED
    assert not Proposal.objects.filter(matching_run=run).exists()


def test_a_broker_out_of_reach_fails_the_run_at_once(
    programme, coordinator, monkeypatch, after_commit
):
    from kombu.exceptions import OperationalError

    from mentorship import tasks

    def unreachable(*args: object) -> None:
        raise OperationalError("connection refused")

    monkeypatch.setattr(tasks.compute_matching_run, "delay", unreachable)

    with after_commit():
        run = services.start_matching_run(actor=coordinator, programme=programme, mode="optimal")

    run.refresh_from_db()
    assert run.status == MatchingRunStatus.FAILED
    assert "workers could not be reached" in run.failure_reason


def test_a_thread_run_queued_by_a_request_starts_once_its_response_is_sent(
    settings, monkeypatch
) -> None:
    """Computing holds the GIL: the 202 is written first, then the run's thread starts."""
    from django.core.signals import request_finished, request_started

    settings.CELERY_TASK_ALWAYS_EAGER = settings.MATCHING_RUNS_IN_THREAD = True
    started: list[int] = []
    monkeypatch.setattr(services, "_start_thread", started.append)

    request_started.send(sender=None)
    services.queue_run(41)
    assert started == []
    request_finished.send(sender=None)
    assert started == [41]

    services.queue_run(42)  # outside a request (a command, a test): at once
    assert started == [41, 42]
