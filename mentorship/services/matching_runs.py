"""Whole-cohort matching runs: drafted by a coordinator, reviewed, then published or discarded."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from mentorship import matching_adapter
from mentorship.access import require_role
from mentorship.errors import Conflict, InvalidTransition, ValidationFailed
from mentorship.models import (
    AuditEvent,
    MatchingRun,
    MatchingRunMode,
    MatchingRunStatus,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services._common import audit_event, require_status, set_status
from mentorship.services.availability import is_paused
from mentorship.services.proposals import has_free_seat, has_mentor, send_request


def draft_matching_run(*, actor: User, programme: Programme, mode: str) -> MatchingRun:
    """Assign every unmatched mentee of the programme to a mentor with a free place, as drafts.

    The assignment is computed outside the write transaction (it can take seconds for a large
    cohort); the run and its draft proposals are then written in one transaction.
    """
    require_role(actor, programme, Role.COORDINATOR)
    if mode not in MatchingRunMode.values:
        message = f"Unknown mode {mode!r}; use one of {', '.join(MatchingRunMode.values)}."
        raise ValidationFailed(message, fields={"mode": [message]})
    if MatchingRun.objects.filter(programme=programme, status=MatchingRunStatus.DRAFT).exists():
        raise Conflict("This programme already has a draft run: publish or discard it first.")
    assignments = matching_adapter.assign_cohort(programme=programme, mode=mode)
    matched = [a for a in assignments if a.mentor is not None]
    total = sum(a.score or 0.0 for a in matched)
    try:
        with transaction.atomic():
            run = MatchingRun.objects.create(
                programme=programme,
                mode=mode,
                created_by=actor,
                summary={
                    "mentees": len(assignments),
                    "matched": len(matched),
                    "unmatched": [a.mentee for a in assignments if a.mentor is None],
                    "mean_score": round(total / len(matched), 4) if matched else None,
                },
            )
            proposals = Proposal.objects.bulk_create(
                Proposal(
                    programme=programme,
                    mentee_id=matching_adapter.user_id_of(a.mentee),
                    mentor_id=matching_adapter.user_id_of(a.mentor),
                    matching_run=run,
                    rank=1,
                    score=min(max(a.score or 0.0, 0.0), 1.0),
                    components=dict(a.components),
                    reasons=list(a.reasons),
                    status=ProposalStatus.DRAFT,
                )
                for a in matched
                if a.mentor is not None
            )
            events = [
                audit_event(
                    actor=actor,
                    obj=run,
                    action="draft",
                    to_state=run.status,
                    matched=len(matched),
                    mentees=len(assignments),
                )
            ]
            events += [
                audit_event(actor=actor, obj=p, action="draft", to_state=ProposalStatus.DRAFT)
                for p in proposals
            ]
            AuditEvent.objects.bulk_create(events)
    except IntegrityError as error:  # a rival coordinator's draft landed meanwhile
        raise Conflict(
            "This programme already has a draft run: publish or discard it first."
        ) from error
    return run


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
