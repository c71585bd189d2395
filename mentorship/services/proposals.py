"""Match requests and the proposal lifecycle: suggested → requested → accepted | declined |
expired | withdrawn, or dismissed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Min, QuerySet
from django.utils import timezone

from mentorship import matching_adapter
from mentorship.access import require_role
from mentorship.errors import (
    CapacityReached,
    Conflict,
    InvalidTransition,
    PermissionDenied,
    ValidationFailed,
)
from mentorship.models import (
    OPEN_PROPOSAL_STATUSES,
    SEAT_HOLDING_STATUSES,
    MatchRequest,
    Mentorship,
    Profile,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.notifications import notify
from mentorship.services._common import (
    audit_event,
    clean_text,
    record,
    require_status,
    set_status,
    validated_save,
)
from mentorship.services._match_request_writes import write_match_request
from mentorship.services.availability import is_paused, pause_if_lapsing
from mentorship.services.mentor_availability import mentor_changed

MAX_PENDING_REQUESTS = 3  # a mentee may wait on this many mentors at once in a programme


def _require_mentee_of(actor: User, proposal: Proposal) -> None:
    if actor.pk != proposal.mentee_id:
        raise PermissionDenied("Only the mentee of this proposal may do this.")


def _require_mentor_of(actor: User, proposal: Proposal) -> None:
    if actor.pk != proposal.mentor_id:
        raise PermissionDenied("Only the mentor of this proposal may do this.")


def has_mentor(mentee_id: int, programme_id: int) -> bool:
    return Mentorship.objects.filter(
        mentee_id=mentee_id, programme_id=programme_id, status__in=SEAT_HOLDING_STATUSES
    ).exists()


def pending_requests(mentee_id: int, programme_id: int) -> int:
    """Requests the mentee is waiting on in the programme (at most MAX_PENDING_REQUESTS)."""
    return Proposal.objects.filter(
        mentee_id=mentee_id, programme_id=programme_id, status=ProposalStatus.REQUESTED
    ).count()


def seats_taken(mentor_id: int) -> int:
    return Mentorship.objects.filter(mentor_id=mentor_id, status__in=SEAT_HOLDING_STATUSES).count()


def has_free_seat(mentor_id: int) -> bool:
    profile = Profile.objects.filter(user_id=mentor_id).first()
    return bool(profile and profile.accepting_mentees and seats_taken(mentor_id) < profile.capacity)


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=proposal.pk)
    )


def create_match_request(*, actor: User, programme: Programme) -> MatchRequest:
    """Rank the programme's eligible mentors for the mentee and store the best as suggestions.

    Load and compute happen before the writes (ranking a large programme must not hold the
    database's write lock); the request, its proposals and their audit rows are then written at
    once (`write_match_request`: one statement on PostgreSQL). Nobody to suggest is an answer
    too: the request is stored with an empty shortlist and the reason
    (`MatchRequest.empty_reason`). The request returned carries its proposals, best first, as
    `shortlist`.
    """
    require_role(actor, programme, Role.MENTEE)
    found = matching_adapter.shortlist(
        programme=programme, mentee=actor, top=programme.proposals_per_request
    )
    if found.has_mentor:  # read with the exclusions: no query of its own
        raise InvalidTransition("You already have a mentor in this programme.")
    request = MatchRequest(programme=programme, mentee=actor, empty_reason=found.empty_reason)
    proposals = [
        Proposal(
            programme=programme,
            mentee=actor,
            mentor_id=matching_adapter.user_id_of(item.mentor),
            rank=item.rank,
            score=min(max(item.score, 0.0), 1.0),
            components=dict(item.components),
            reasons=list(item.reasons),
            status=ProposalStatus.SUGGESTED,
        )
        for item in found.proposals
    ]
    events = [audit_event(actor=actor, obj=request, action="create", count=len(proposals))]
    events += [
        audit_event(actor=actor, obj=p, action="suggest", to_state=ProposalStatus.SUGGESTED)
        for p in proposals
    ]
    write_match_request(request, proposals, events)
    request.shortlist = proposals
    return request


def send_request(proposal: Proposal, *, actor: User | None, message: str, now: dt.datetime) -> None:
    """suggested/draft → requested: the mentor now has `response_deadline_days` to answer."""
    before = proposal.status
    proposal.status = ProposalStatus.REQUESTED
    proposal.message = message
    proposal.requested_at = now
    proposal.expires_at = now + dt.timedelta(days=proposal.programme.response_deadline_days)
    proposal.save()
    record(actor=actor, obj=proposal, action="request", from_state=before, to_state=proposal.status)
    context: dict[str, Any] = {
        "mentor": proposal.mentor.display_name,
        "mentee": proposal.mentee.display_name,
        "programme": proposal.programme.name,
        "deadline": proposal.expires_at,
    }
    from_run = proposal.matching_run_id is not None
    notify(
        "request_received",
        recipients=[proposal.mentor],
        about=proposal,
        message=proposal.message,
        from_run=from_run,
        **context,
    )
    if from_run:
        notify("matched_by_run", recipients=[proposal.mentee], about=proposal, **context)


@transaction.atomic
def request_proposal(*, actor: User, proposal: Proposal, message: str = "") -> Proposal:
    """The mentee asks this mentor, with a message."""
    _require_mentee_of(actor, proposal)
    proposal = _locked(proposal)
    require_status(proposal, [ProposalStatus.SUGGESTED], action="request")
    if has_mentor(actor.pk, proposal.programme_id):
        raise InvalidTransition("You already have a mentor in this programme.")
    pending = pending_requests(actor.pk, proposal.programme_id)
    if pending >= MAX_PENDING_REQUESTS:
        raise Conflict(
            f"You are already waiting on {pending} mentors; withdraw a request or wait for answers."
        )
    if Proposal.objects.filter(
        mentee=actor,
        mentor_id=proposal.mentor_id,
        programme_id=proposal.programme_id,
        status=ProposalStatus.REQUESTED,
    ).exists():
        raise Conflict("You have already asked this mentor.")
    if not has_free_seat(proposal.mentor_id):
        raise CapacityReached("This mentor has no free place right now.")
    if is_paused(proposal.mentor_id, proposal.programme_id):
        raise Conflict("This mentor is not taking new requests right now.")
    send_request(proposal, actor=actor, message=clean_text(message), now=timezone.now())
    return proposal


@transaction.atomic
def dismiss_proposal(*, actor: User, proposal: Proposal) -> Proposal:
    """The mentee is not interested; the mentor is not suggested to them again."""
    _require_mentee_of(actor, proposal)
    proposal = _locked(proposal)
    require_status(proposal, [ProposalStatus.SUGGESTED], action="dismiss")
    set_status(proposal, to=ProposalStatus.DISMISSED, actor=actor, action="dismiss")
    return proposal


@transaction.atomic
def withdraw_proposal(*, actor: User, proposal: Proposal) -> Proposal:
    """The mentee takes back a suggestion or a request the mentor has not answered."""
    _require_mentee_of(actor, proposal)
    proposal = _locked(proposal)
    require_status(proposal, OPEN_PROPOSAL_STATUSES, action="withdraw")
    set_status(proposal, to=ProposalStatus.WITHDRAWN, actor=actor, action="withdraw")
    return proposal


@transaction.atomic
def accept_proposal(
    *, actor: User, proposal: Proposal, cadence_days: int | None = None, goals: str = ""
) -> Mentorship:
    """The mentor accepts: a mentorship starts, within the mentor's capacity.

    The mentor's profile row is locked first, so concurrent accepts for one mentor queue and
    each sees the seats the previous one took (on SQLite, BEGIN IMMEDIATE serialises writers).
    """
    _require_mentor_of(actor, proposal)
    profile = Profile.objects.select_for_update().get(user_id=proposal.mentor_id)
    proposal = _locked(proposal)
    if proposal.status == ProposalStatus.ACCEPTED:
        raise InvalidTransition("This request is already accepted.")
    require_status(proposal, [ProposalStatus.REQUESTED], action="accept")
    taken = seats_taken(actor.pk)
    if taken >= profile.capacity:
        raise CapacityReached(
            f"You are at capacity ({taken} of {profile.capacity} mentees); "
            "end a mentorship or raise your capacity first."
        )
    if has_mentor(proposal.mentee_id, proposal.programme_id):
        raise InvalidTransition("This mentee already has a mentor in this programme.")
    now = timezone.now()
    proposal.responded_at = now
    set_status(proposal, to=ProposalStatus.ACCEPTED, actor=actor, action="accept")
    programme = proposal.programme
    mentorship = Mentorship(
        programme=programme,
        mentor_id=proposal.mentor_id,
        mentee_id=proposal.mentee_id,
        proposal=proposal,
        cadence_days=cadence_days or programme.default_cadence_days,
        goals=clean_text(goals),
        started_on=timezone.localdate(now),
    )
    validated_save(mentorship)
    mentor_changed(user_id=mentorship.mentor_id)  # a seat taken: maybe full now
    record(actor=actor, obj=mentorship, action="start", to_state=mentorship.status)
    _withdraw_others(proposal)
    notify(
        "request_accepted",
        recipients=[proposal.mentee],
        about=proposal,
        mentor=proposal.mentor.display_name,
        programme=programme.name,
        mentorship_id=mentorship.pk,
        cadence_days=mentorship.cadence_days,
    )
    return mentorship


def _withdraw_others(accepted: Proposal) -> None:
    """The mentee has a mentor now: their other open proposals in the programme are withdrawn."""
    others: QuerySet[Proposal] = (
        Proposal.objects.select_for_update()
        .filter(
            mentee_id=accepted.mentee_id,
            programme_id=accepted.programme_id,
            status__in=OPEN_PROPOSAL_STATUSES,
        )
        .exclude(pk=accepted.pk)
    )
    for other in others:
        set_status(
            other,
            to=ProposalStatus.WITHDRAWN,
            actor=None,
            action="withdraw",
            because="another request was accepted",
            accepted_proposal=accepted.pk,
        )


@transaction.atomic
def decline_proposal(*, actor: User, proposal: Proposal, reason: str) -> Proposal:
    """The mentor declines, saying why; the mentee is not proposed to them again."""
    _require_mentor_of(actor, proposal)
    reason = clean_text(reason)
    if not reason:
        raise ValidationFailed(
            "Say why you decline.", fields={"reason": ["This field is required."]}
        )
    proposal = _locked(proposal)
    if proposal.status == ProposalStatus.DECLINED:
        raise InvalidTransition("This request is already declined.")
    require_status(proposal, [ProposalStatus.REQUESTED], action="decline")
    proposal.decline_reason = reason
    proposal.responded_at = timezone.now()
    set_status(proposal, to=ProposalStatus.DECLINED, actor=actor, action="decline")
    notify(
        "request_declined",
        recipients=[proposal.mentee],
        about=proposal,
        mentor=proposal.mentor.display_name,
        programme=proposal.programme.name,
        reason=reason,
    )
    return proposal


def _next_choice(expired: Proposal) -> Proposal | None:
    """The mentee's next-ranked suggestion of the same match request whose mentor has room."""
    if expired.match_request_id is None or has_mentor(expired.mentee_id, expired.programme_id):
        return None
    siblings = Proposal.objects.filter(match_request_id=expired.match_request_id)
    if siblings.filter(status=ProposalStatus.REQUESTED).exists():
        return None  # the mentee is still waiting on someone else
    # A later match request may have suggested the same mentor, and the mentee asked there.
    already_asked = Proposal.objects.filter(
        mentee_id=expired.mentee_id,
        programme_id=expired.programme_id,
        status=ProposalStatus.REQUESTED,
    ).values("mentor_id")
    # "Next" counts from the best-ranked mentor the mentee asked, so when two requests expire
    # in one sweep the suggestions ranked between them are not skipped.
    first_asked = siblings.filter(requested_at__isnull=False).aggregate(best=Min("rank"))["best"]
    candidates = siblings.filter(
        status=ProposalStatus.SUGGESTED, rank__gt=first_asked or expired.rank
    ).exclude(mentor_id__in=already_asked)
    for candidate in candidates:
        if has_free_seat(candidate.mentor_id) and not is_paused(
            candidate.mentor_id, candidate.programme_id
        ):
            return candidate
    return None


def expire_proposal(*, proposal: Proposal, now: dt.datetime | None = None) -> Proposal | None:
    """Expire one unanswered request past its deadline and request the mentee's next choice.

    Returns the next proposal requested, if any. Does nothing if the request was answered or
    its deadline has not passed (so a sweep racing a mentor's answer, or a second sweep, is
    harmless). Both sides are told; a mentor whose requests expire in a row is paused.
    """
    now = now or timezone.now()
    with transaction.atomic():
        proposal = _locked(proposal)
        if (
            proposal.status != ProposalStatus.REQUESTED
            or not proposal.expires_at
            or proposal.expires_at > now
        ):
            return None
        proposal.responded_at = now
        set_status(proposal, to=ProposalStatus.EXPIRED, actor=None, action="expire")
        pause_if_lapsing(expired=proposal, now=now)
        successor = _next_choice(proposal)
        if successor is not None:
            successor = _locked(successor)
            send_request(successor, actor=None, message="", now=now)
        next_mentor = successor.mentor.display_name if successor is not None else ""
        context: dict[str, Any] = {
            "mentor": proposal.mentor.display_name,
            "mentee": proposal.mentee.display_name,
            "programme": proposal.programme.name,
            "deadline": proposal.expires_at,
            "next_mentor": next_mentor,
        }
        notify("request_expired", recipients=[proposal.mentee], about=proposal, **context)
        notify("request_lapsed", recipients=[proposal.mentor], about=proposal, **context)
        return successor


def expire_overdue_proposals(*, now: dt.datetime | None = None) -> int:
    """The sweep run every few minutes by Celery beat (or `manage.py expire_proposals`)."""
    now = now or timezone.now()
    overdue = list(
        Proposal.objects.filter(status=ProposalStatus.REQUESTED, expires_at__lte=now).order_by(
            "expires_at", "pk"
        )
    )
    for proposal in overdue:
        expire_proposal(proposal=proposal, now=now)
    return len(overdue)
