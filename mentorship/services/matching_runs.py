"""Whole-cohort matching runs: started by a coordinator, computed in the background into a
draft (or failed with a reason), reviewed, then published or discarded."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from mentorship import matching_adapter
from mentorship.access import require_role
from mentorship.errors import Conflict, DomainError, InvalidTransition, ValidationFailed
from mentorship.models import (
    OPEN_RUN_STATUSES,
    AuditEvent,
    MatchingRun,
    MatchingRunMode,
    MatchingRunStage,
    MatchingRunStatus,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services._common import audit_event, record, require_status, set_status
from mentorship.services.availability import is_paused
from mentorship.services.proposals import has_free_seat, has_mentor, send_request

logger = logging.getLogger(__name__)

#: A run still running this long after it was started lost its worker: the periodic job marks it
#: failed, so the programme can run again.
RUN_TIME_LIMIT = dt.timedelta(minutes=30)
RUNNING_ALREADY = "A matching run is already in progress for this programme: wait for it to finish."
DRAFT_ALREADY = "This programme already has a draft run: publish or discard it first."
UNEXPECTED = (
    "The matching stopped with an unexpected error ({error}); nothing was drafted. Try again, "
    "and tell the site's administrators if it fails again."
)
NO_WORKER = "The background workers could not be reached; nothing was drafted. Try again shortly."
STALLED = (
    "The run did not finish within {minutes} minutes (its worker probably stopped); nothing was "
    "drafted. Try again."
)


def _open_run_conflict(programme: Programme) -> Conflict | None:
    statuses = set(
        MatchingRun.objects.filter(programme=programme, status__in=OPEN_RUN_STATUSES).values_list(
            "status", flat=True
        )
    )
    if MatchingRunStatus.RUNNING in statuses:
        return Conflict(RUNNING_ALREADY)
    if MatchingRunStatus.DRAFT in statuses:
        return Conflict(DRAFT_ALREADY)
    return None


def start_matching_run(*, actor: User, programme: Programme, mode: str) -> MatchingRun:
    """Start a whole-cohort run: it is `running` at once and computed in the background after
    commit (by a Celery worker, or in-process without a broker), then becomes a `draft` of
    proposals to review, or `failed` with the reason. One run computing or waiting for review
    per programme: another one is a Conflict."""
    require_role(actor, programme, Role.COORDINATOR)
    if mode not in MatchingRunMode.values:
        message = f"Unknown mode {mode!r}; use one of {', '.join(MatchingRunMode.values)}."
        raise ValidationFailed(message, fields={"mode": [message]})
    try:
        with transaction.atomic():
            if (conflict := _open_run_conflict(programme)) is not None:
                raise conflict
            run = MatchingRun.objects.create(
                programme=programme,
                mode=mode,
                created_by=actor,
                status=MatchingRunStatus.RUNNING,
                progress={"stage": MatchingRunStage.QUEUED, "percent": 0},
            )
            record(actor=actor, obj=run, action="start", to_state=run.status, mode=mode)
            transaction.on_commit(lambda: queue_run(run.pk))
    except IntegrityError as error:  # a rival coordinator's run started meanwhile
        raise _open_run_conflict(programme) or Conflict(RUNNING_ALREADY) from error
    return run


def queue_run(run_id: int) -> None:
    """After commit: hand the run to a worker (without a broker: compute it on a thread of this
    process, started once the response is sent when a request queued it, or in this request
    when MATCHING_RUNS_IN_THREAD is off). A broker
    that is down fails the run at once, so the programme is not blocked."""
    from mentorship.tasks import compute_matching_run

    if settings.CELERY_TASK_ALWAYS_EAGER and settings.MATCHING_RUNS_IN_THREAD:
        waiting = getattr(_this_request, "runs", None)
        if waiting is not None:
            waiting.append(run_id)  # started once the response is sent
        else:
            _start_thread(run_id)
        return
    try:
        compute_matching_run.delay(run_id)
    except OperationalError:
        logger.exception("Could not queue matching run %s.", run_id)
        _fail(run_id, NO_WORKER)


#: Runs a request queued for a thread, started when its response has been sent: computing holds
#: the GIL for seconds, and the request's own thread would wait for it to write the 202.
_this_request = threading.local()


def _request_started(**_: Any) -> None:
    _this_request.runs = []


def _request_finished(**_: Any) -> None:
    runs, _this_request.runs = getattr(_this_request, "runs", None) or [], None
    for run_id in runs:
        _start_thread(run_id)


request_started.connect(_request_started, dispatch_uid="matching-runs-request-started")
request_finished.connect(_request_finished, dispatch_uid="matching-runs-request-finished")


def _start_thread(run_id: int) -> None:
    threading.Thread(
        target=_compute_on_thread, args=(run_id,), name=f"matching-run-{run_id}", daemon=True
    ).start()


def _compute_on_thread(run_id: int) -> None:
    """A run computed beside the requests of this process (no broker): its own connection,
    closed when done; any failure is recorded on the run by compute_matching_run."""
    try:
        compute_matching_run(run_id=run_id)
    except Exception:
        logger.exception("Matching run %s failed on its thread.", run_id)
    finally:
        connection.close()


def _set_progress(run_id: int, stage: str, percent: int, **fields: Any) -> bool:
    """Record where a running run is; False if it is no longer running."""
    updated = MatchingRun.objects.filter(pk=run_id, status=MatchingRunStatus.RUNNING).update(
        progress={"stage": stage, "percent": percent}, **fields
    )
    return updated == 1


def compute_matching_run(*, run_id: int) -> str:
    """The background work of a run: compute the assignment (outside any transaction: it can
    take seconds), then write the draft proposals and their audit rows in bulk, in one
    transaction. Any error marks the run failed with a plain reason and writes no proposal.
    A run that is not running (done, failed, gone) is left alone. Returns the run's status."""
    if not _set_progress(run_id, MatchingRunStage.LOADING, 5, started_at=timezone.now()):
        run = MatchingRun.objects.filter(pk=run_id).first()
        return "gone" if run is None else str(run.status)
    try:
        run = MatchingRun.objects.select_related("programme", "created_by").get(pk=run_id)
        # The adapter loads the profiles and the engine scores and assigns in one call.
        _set_progress(run_id, MatchingRunStage.SCORING, 10)
        assignments = matching_adapter.assign_cohort(programme=run.programme, mode=run.mode)
        if not _set_progress(run_id, MatchingRunStage.WRITING, 90):
            return str(MatchingRun.objects.get(pk=run_id).status)
        return _write_draft(run, assignments)
    except Exception as error:
        reason = error.detail if isinstance(error, DomainError) else ""
        if not reason:
            logger.exception("Matching run %s failed.", run_id)
            reason = UNEXPECTED.format(error=type(error).__name__)
        return _fail(run_id, reason)


@transaction.atomic
def _write_draft(run: MatchingRun, assignments: list[Any]) -> str:
    locked = MatchingRun.objects.select_for_update().get(pk=run.pk)
    if locked.status != MatchingRunStatus.RUNNING:  # failed as stalled meanwhile
        return str(locked.status)
    actor = run.created_by
    matched = [a for a in assignments if a.mentor is not None]
    total = sum(a.score or 0.0 for a in matched)
    proposals = Proposal.objects.bulk_create(
        Proposal(
            programme_id=run.programme_id,
            mentee_id=matching_adapter.user_id_of(a.mentee),
            mentor_id=matching_adapter.user_id_of(a.mentor),
            matching_run=locked,
            rank=1,
            score=min(max(a.score or 0.0, 0.0), 1.0),
            components=dict(a.components),
            reasons=list(a.reasons),
            status=ProposalStatus.DRAFT,
        )
        for a in matched
        if a.mentor is not None
    )
    locked.summary = {
        "mentees": len(assignments),
        "matched": len(matched),
        "unmatched": [a.mentee for a in assignments if a.mentor is None],
        "mean_score": round(total / len(matched), 4) if matched else None,
    }
    locked.status = MatchingRunStatus.DRAFT
    locked.progress = {"stage": MatchingRunStage.DONE, "percent": 100}
    locked.finished_at = timezone.now()
    locked.save(update_fields=["summary", "status", "progress", "finished_at"])
    events = [
        audit_event(
            actor=actor,
            obj=locked,
            action="draft",
            from_state=MatchingRunStatus.RUNNING,
            to_state=MatchingRunStatus.DRAFT,
            matched=len(matched),
            mentees=len(assignments),
        )
    ]
    events += [
        audit_event(actor=actor, obj=p, action="draft", to_state=ProposalStatus.DRAFT)
        for p in proposals
    ]
    AuditEvent.objects.bulk_create(events)
    return str(locked.status)


@transaction.atomic
def _fail(run_id: int, reason: str) -> str:
    """Mark a running run failed with the reason (no actor: the system gave up on it)."""
    run = MatchingRun.objects.select_for_update().filter(pk=run_id).first()
    if run is None or run.status != MatchingRunStatus.RUNNING:
        return "gone" if run is None else str(run.status)
    run.failure_reason = reason[:1000]
    run.finished_at = timezone.now()
    run.progress = {**run.progress, "stage": MatchingRunStage.DONE}
    set_status(run, to=MatchingRunStatus.FAILED, actor=None, action="fail", because=reason)
    return str(run.status)


def fail_stalled_matching_runs(*, now: dt.datetime | None = None) -> int:
    """Periodic job: runs still running RUN_TIME_LIMIT after they started lost their worker;
    mark them failed. Returns how many."""
    cutoff = (now or timezone.now()) - RUN_TIME_LIMIT
    stalled = MatchingRun.objects.filter(
        status=MatchingRunStatus.RUNNING, created_at__lte=cutoff
    ).values_list("pk", flat=True)
    reason = STALLED.format(minutes=int(RUN_TIME_LIMIT.total_seconds() // 60))
    return sum(_fail(pk, reason) == MatchingRunStatus.FAILED for pk in list(stalled))


def _is_waiting(draft: Proposal) -> bool:
    """The mentee has asked a mentor themself since the run was drafted (the run only places
    mentees with no request in flight, so this draft is overtaken)."""
    return Proposal.objects.filter(
        programme_id=draft.programme_id,
        mentee_id=draft.mentee_id,
        status=ProposalStatus.REQUESTED,
    ).exists()


@transaction.atomic
def publish_matching_run(*, actor: User, run: MatchingRun) -> MatchingRun:
    """Send every draft proposal to its mentor as a request. Pairs overtaken since drafting
    (the mentee found a mentor or asked one, the mentor filled up or was paused from new
    requests) are withdrawn instead."""
    require_role(actor, run.programme, Role.COORDINATOR)
    run = (
        MatchingRun.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=run.pk)
    )
    if run.status == MatchingRunStatus.PUBLISHED:
        raise InvalidTransition("This run is already published.")
    require_status(run, [MatchingRunStatus.DRAFT], action="publish")
    now = timezone.now()
    sent = withdrawn = 0
    drafts = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("programme")
        .filter(matching_run=run, status=ProposalStatus.DRAFT)
    )
    for proposal in drafts:
        if (
            has_mentor(proposal.mentee_id, proposal.programme_id)
            or not has_free_seat(proposal.mentor_id)
            or is_paused(proposal.mentor_id, proposal.programme_id)
            or _is_waiting(proposal)
        ):
            set_status(
                proposal,
                to=ProposalStatus.WITHDRAWN,
                actor=actor,
                action="withdraw",
                because="overtaken before publication",
            )
            withdrawn += 1
        else:
            send_request(proposal, actor=actor, message="", now=now)
            sent += 1
    run.published_by = actor
    run.published_at = now
    run.summary = {**run.summary, "sent": sent, "withdrawn_at_publication": withdrawn}
    set_status(
        run,
        to=MatchingRunStatus.PUBLISHED,
        actor=actor,
        action="publish",
        sent=sent,
        withdrawn=withdrawn,
    )
    return run


@transaction.atomic
def discard_matching_run(*, actor: User, run: MatchingRun) -> MatchingRun:
    require_role(actor, run.programme, Role.COORDINATOR)
    run = MatchingRun.objects.select_for_update().get(pk=run.pk)
    require_status(run, [MatchingRunStatus.DRAFT], action="discard")
    drafts = list(Proposal.objects.filter(matching_run=run, status=ProposalStatus.DRAFT))
    Proposal.objects.filter(pk__in=[p.pk for p in drafts]).update(status=ProposalStatus.WITHDRAWN)
    AuditEvent.objects.bulk_create(
        audit_event(
            actor=actor,
            obj=p,
            action="withdraw",
            from_state=ProposalStatus.DRAFT,
            to_state=ProposalStatus.WITHDRAWN,
            because="run discarded",
        )
        for p in drafts
    )
    set_status(run, to=MatchingRunStatus.DISCARDED, actor=actor, action="discard")
    return run
