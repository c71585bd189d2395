"""The mentorship lifecycle: active ⇄ paused → completed | ended; sessions and introductions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from mentorship.access import is_coordinator
from mentorship.errors import InvalidTransition, PermissionDenied, ValidationFailed
from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    Introduction,
    IntroductionOutcome,
    Membership,
    Mentorship,
    MentorshipStatus,
    Session,
    User,
)
from mentorship.services import idempotency, network
from mentorship.services._common import clean_text, record, require_status, validated_save
from mentorship.services.mentor_availability import mentor_changed
from mentorship.services.profiles import allowed_topics

CLOSED = (MentorshipStatus.COMPLETED, MentorshipStatus.ENDED)


def _require_pair_or_coordinator(actor: User, mentorship: Mentorship) -> None:
    if not (mentorship.has_member(actor) or is_coordinator(actor, mentorship.programme)):
        raise PermissionDenied("Only the pair or a coordinator may do this.")


def _require_pair(actor: User, mentorship: Mentorship) -> None:
    if not mentorship.has_member(actor):
        raise PermissionDenied("Only the mentor and mentee may do this.")


def _locked(mentorship: Mentorship) -> Mentorship:
    return (
        Mentorship.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=mentorship.pk)
    )


def _move(
    actor: User,
    mentorship: Mentorship,
    *,
    allowed: Sequence[str],
    to: str,
    action: str,
    end_reason: str = "",
) -> Mentorship:
    _require_pair_or_coordinator(actor, mentorship)
    mentorship = _locked(mentorship)
    require_status(mentorship, allowed, action=action)
    before = mentorship.status
    mentorship.status = to
    if to in CLOSED:
        mentorship.ended_on = max(timezone.localdate(), mentorship.started_on)
        mentorship.end_reason = end_reason
    validated_save(mentorship)
    if to in CLOSED:
        mentor_changed(user_id=mentorship.mentor_id)  # a seat freed
    # The reason is on the mentorship; the append-only audit trail keeps no free text (it could
    # not be erased with its author: mentorship/privacy.py).
    record(actor=actor, obj=mentorship, action=action, from_state=before, to_state=to)
    return mentorship


@transaction.atomic
def pause_mentorship(*, actor: User, mentorship: Mentorship) -> Mentorship:
    """A break (leave, busy season). The mentor's place stays taken; cadence is not tracked."""
    return _move(
        actor,
        mentorship,
        allowed=[MentorshipStatus.ACTIVE],
        to=MentorshipStatus.PAUSED,
        action="pause",
    )


@transaction.atomic
def resume_mentorship(*, actor: User, mentorship: Mentorship) -> Mentorship:
    return _move(
        actor,
        mentorship,
        allowed=[MentorshipStatus.PAUSED],
        to=MentorshipStatus.ACTIVE,
        action="resume",
    )


@transaction.atomic
def complete_mentorship(*, actor: User, mentorship: Mentorship) -> Mentorship:
    """The pair reached its goals; the mentor's place is freed."""
    return _move(
        actor,
        mentorship,
        allowed=SEAT_HOLDING_STATUSES,
        to=MentorshipStatus.COMPLETED,
        action="complete",
    )


@transaction.atomic
def end_mentorship(*, actor: User, mentorship: Mentorship, reason: str) -> Mentorship:
    """End early, with a reason; the mentor's place is freed."""
    reason = clean_text(reason)
    if not reason:
        message = "Say why the mentorship ends."
        raise ValidationFailed(message, fields={"reason": [message]})
    return _move(
        actor,
        mentorship,
        allowed=SEAT_HOLDING_STATUSES,
        to=MentorshipStatus.ENDED,
        action="end",
        end_reason=reason,
    )


@transaction.atomic
def update_mentorship(
    *,
    actor: User,
    mentorship: Mentorship,
    cadence_days: int | None = None,
    goals: str | None = None,
) -> Mentorship:
    """Change the cadence target or the goals of an open mentorship."""
    _require_pair_or_coordinator(actor, mentorship)
    mentorship = _locked(mentorship)
    require_status(mentorship, SEAT_HOLDING_STATUSES, action="change")
    changed = []
    if cadence_days is not None and cadence_days != mentorship.cadence_days:
        mentorship.cadence_days = cadence_days
        changed.append("cadence_days")
    if goals is not None and clean_text(goals) != mentorship.goals:
        mentorship.goals = clean_text(goals)
        changed.append("goals")
    validated_save(mentorship)
    if changed:
        record(actor=actor, obj=mentorship, action="update", changed=changed)
    return mentorship


# Sessions ---------------------------------------------------------------------------------

SESSION_SHARED_FIELDS = ("date", "duration_minutes", "format", "topics")


def _apply_session_fields(actor: User, session: Session, fields: dict[str, Any]) -> None:
    mentorship = session.mentorship
    side = "mentor" if actor.pk == mentorship.mentor_id else "mentee"
    for name in SESSION_SHARED_FIELDS:
        if name in fields:
            setattr(session, name, fields[name])
    if "notes" in fields:
        setattr(session, f"{side}_notes", clean_text(fields["notes"]))
    if "rating" in fields:
        setattr(session, f"{side}_rating", fields["rating"])
    errors: dict[str, list[str]] = {}
    if isinstance(session.date, dt.date):
        if session.date > timezone.localdate() + dt.timedelta(days=1):
            errors["date"] = ["Log sessions that have happened; the date is in the future."]
        elif session.date < mentorship.started_on:
            errors["date"] = ["The date is before the mentorship started."]
        elif mentorship.ended_on and session.date > mentorship.ended_on:
            errors["date"] = ["The date is after the mentorship ended."]
    if isinstance(session.topics, list):
        unknown = sorted(set(map(str, session.topics)) - allowed_topics(mentorship.mentee))
        if unknown:
            errors["topics"] = [f"Unknown topic: {', '.join(unknown)}."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


SESSION_FIELDS = frozenset({*SESSION_SHARED_FIELDS, "notes", "rating"})


def _check_session_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - SESSION_FIELDS
    if unknown:
        raise ValidationFailed(
            f"Cannot set {', '.join(sorted(unknown))}.",
            fields={f: ["Unknown field."] for f in sorted(unknown)},
        )


def log_session(
    *, actor: User, mentorship: Mentorship, idempotency_key: str | None = None, **fields: Any
) -> Session:
    """Either side logs a meeting; notes and rating are the logger's own and private. A retry
    with the same `idempotency_key` returns the session the first attempt logged."""
    _check_session_fields(fields)
    return idempotency.once(
        actor=actor,
        key=idempotency_key,
        scope=f"log_session:{mentorship.pk}",
        fields=fields,
        model=Session,
        create=lambda: _log_session(actor, mentorship, fields),
    )


def _log_session(actor: User, mentorship: Mentorship, fields: dict[str, Any]) -> Session:
    _require_pair(actor, mentorship)
    mentorship = _locked(mentorship)  # dates are checked against its current start and end
    session = Session(mentorship=mentorship, logged_by=actor)
    _apply_session_fields(actor, session, fields)
    validated_save(session)
    record(
        actor=actor,
        obj=session,
        action="log",
        to_state="logged",
        programme_id=mentorship.programme_id,
        mentorship=mentorship.pk,
    )
    return session


@transaction.atomic
def update_session(*, actor: User, session: Session, **fields: Any) -> Session:
    _check_session_fields(fields)
    _require_pair(actor, session.mentorship)
    session = (
        Session.objects.select_for_update(of=("self",))
        .select_related("mentorship")
        .get(pk=session.pk)
    )
    _apply_session_fields(actor, session, fields)
    validated_save(session)
    record(
        actor=actor,
        obj=session,
        action="update",
        programme_id=session.mentorship.programme_id,
        changed=sorted(fields),
    )
    return session


@transaction.atomic
def delete_session(*, actor: User, session: Session) -> None:
    mentorship = session.mentorship
    _require_pair(actor, mentorship)
    record(
        actor=actor,
        obj=session,
        action="delete",
        from_state="logged",
        to_state="deleted",
        programme_id=mentorship.programme_id,
        mentorship=mentorship.pk,
        date=session.date.isoformat(),
    )
    session.delete()


# Introductions ----------------------------------------------------------------------------

CONTACT_FIELDS = (
    "contact_member",
    "contact_name",
    "contact_organisation",
    "contact_role",
    "network_group",
    "connection_type",
    "purpose",
    "follow_up_on",
)
INTRODUCER_UPDATABLE = frozenset({*CONTACT_FIELDS, "outcome", "outcome_note"})
MENTEE_UPDATABLE = frozenset({"confirmed", "outcome", "outcome_note"})


def _require_introducer_side(actor: User, mentorship: Mentorship) -> None:
    if actor.pk != mentorship.mentor_id and not is_coordinator(actor, mentorship.programme):
        raise PermissionDenied("Only the mentor or a coordinator records introductions.")


def record_introduction(
    *, actor: User, mentorship: Mentorship, idempotency_key: str | None = None, **fields: Any
) -> Introduction:
    """The mentor (or a coordinator) connects the mentee with someone from their network:
    a named contact, or a member of the programme (`contact_member`, a user or a user id).
    A retry with the same `idempotency_key` returns the introduction first recorded."""
    unknown = set(fields) - set(CONTACT_FIELDS)
    if unknown:
        raise ValidationFailed(
            f"Cannot set {', '.join(sorted(unknown))}.",
            fields={f: ["Unknown field."] for f in sorted(unknown)},
        )
    return idempotency.once(
        actor=actor,
        key=idempotency_key,
        scope=f"record_introduction:{mentorship.pk}",
        fields={k: v.pk if isinstance(v, User) else v for k, v in fields.items()},
        model=Introduction,
        create=lambda: _record_introduction(actor, mentorship, fields),
    )


def _record_introduction(
    actor: User, mentorship: Mentorship, fields: dict[str, Any]
) -> Introduction:
    _require_introducer_side(actor, mentorship)
    mentorship = _locked(mentorship)  # the status the caller holds may be stale
    if mentorship.status == MentorshipStatus.ENDED:
        raise InvalidTransition("This mentorship has ended.")
    introduction = Introduction(mentorship=mentorship, introducer=actor)
    _apply_introduction(introduction, fields)
    validated_save(introduction)
    record(
        actor=actor,
        obj=introduction,
        action="introduce",
        to_state=introduction.outcome,
        programme_id=mentorship.programme_id,
        mentorship=mentorship.pk,
        network_group=introduction.network_group,
    )
    # The introduction becomes a contact of the mentee's network plan.
    network.contact_from_introduction(actor=actor, introduction=introduction)
    return introduction


def _contact_member(mentorship: Mentorship, value: User | int | None) -> User | None:
    """The contact as a member of the mentorship's programme (given as a user or a user id);
    anyone else, and the mentee themself, is refused."""
    if value is None:
        return None
    user_id = value.pk if isinstance(value, User) else value
    if user_id == mentorship.mentee_id:
        raise ValidationFailed(
            "The mentee cannot be introduced to themself.",
            fields={"contact_member": ["That is the mentee."]},
        )
    membership = (
        Membership.objects.filter(programme_id=mentorship.programme_id, user_id=user_id)
        .select_related("user")
        .first()
    )
    if membership is None:
        message = "Not a member of this programme."
        raise ValidationFailed(message, fields={"contact_member": [message]})
    return membership.user


def _apply_introduction(introduction: Introduction, fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if name == "contact_member":
            introduction.contact_member = _contact_member(introduction.mentorship, value)
        elif isinstance(value, str):
            setattr(introduction, name, clean_text(value))
        else:
            setattr(introduction, name, value)
    if not introduction.contact_member_id and not introduction.contact_name:
        raise ValidationFailed(
            "Name the contact, or choose a member.",
            fields={"contact_name": ["This field is required."]},
        )


@transaction.atomic
def update_introduction(*, actor: User, introduction: Introduction, **fields: Any) -> Introduction:
    """The introducer side updates follow-up and outcome; the mentee confirms, reports outcome."""
    introduction = (
        Introduction.objects.select_for_update(of=("self",))
        .select_related("mentorship__programme")
        .get(pk=introduction.pk)
    )
    mentorship = introduction.mentorship
    if actor.pk == mentorship.mentee_id:
        allowed = MENTEE_UPDATABLE
    elif actor.pk == mentorship.mentor_id or is_coordinator(actor, mentorship.programme):
        allowed = INTRODUCER_UPDATABLE
    else:
        raise PermissionDenied("Only the pair or a coordinator may update this introduction.")
    refused = set(fields) - allowed
    if refused:
        raise ValidationFailed(
            f"You cannot change {', '.join(sorted(refused))}.",
            fields={f: ["You cannot change this field."] for f in sorted(refused)},
        )
    before = introduction.outcome
    follow_up_before = introduction.follow_up_on
    confirmed = fields.pop("confirmed", None)
    if confirmed is not None:
        if confirmed and introduction.confirmed_at is None:
            introduction.confirmed_at = timezone.now()
        elif not confirmed:
            introduction.confirmed_at = None
    _apply_introduction(introduction, fields)
    if introduction.outcome not in IntroductionOutcome.values:
        raise ValidationFailed(
            "Unknown outcome.",
            fields={"outcome": [f"Use one of {', '.join(IntroductionOutcome.values)}."]},
        )
    validated_save(introduction)
    if introduction.follow_up_on != follow_up_before:
        network.follow_up_moved(introduction=introduction)
    changed = sorted(fields) + (["confirmed"] if confirmed is not None else [])
    record(
        actor=actor,
        obj=introduction,
        action="update",
        from_state=before,
        to_state=introduction.outcome,
        programme_id=mentorship.programme_id,
        changed=changed,
    )
    return introduction
