"""A mentor who lets requests expire in a row is paused from new requests in that programme
until they confirm they are available again (DESIGN.md, "Engagement: timers and notifications").

Paused means: mentees cannot send them requests, the matcher does not propose them, expiry
cascades and published matching runs pass them by. Requests already waiting stay answerable.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from mentorship.access import require_role
from mentorship.errors import InvalidTransition
from mentorship.models import Membership, Programme, Proposal, ProposalStatus, Role, User
from mentorship.notifications import coordinators_of, notify
from mentorship.services._common import record
from mentorship.services.mentor_availability import mentor_changed

OUTCOMES = (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED, ProposalStatus.EXPIRED)


def is_paused(mentor_id: int, programme_id: int) -> bool:
    return Membership.objects.filter(
        user_id=mentor_id,
        programme_id=programme_id,
        role=Role.MENTOR,
        requests_paused_at__isnull=False,
    ).exists()


def paused_mentor_ids(programme_id: int) -> set[int]:
    return set(
        Membership.objects.filter(
            programme_id=programme_id, role=Role.MENTOR, requests_paused_at__isnull=False
        ).values_list("user_id", flat=True)
    )


def pause_if_lapsing(*, expired: Proposal, now: dt.datetime) -> bool:
    """Called in the transaction that expired `expired`: when the mentor's last answers in the
    programme (since they last confirmed availability) are that many expiries in a row, pause
    them and tell them and the coordinators. Returns whether this paused them."""
    programme = expired.programme
    in_a_row = programme.expiries_before_pause
    if in_a_row == 0:
        return False
    membership = (
        Membership.objects.select_for_update()
        .filter(user_id=expired.mentor_id, programme=programme, role=Role.MENTOR)
        .select_related("user")
        .first()
    )
    if membership is None or membership.requests_paused_at is not None:
        return False
    answers = Proposal.objects.filter(
        mentor_id=expired.mentor_id,
        programme=programme,
        status__in=OUTCOMES,
        responded_at__isnull=False,
    )
    if membership.available_since is not None:
        answers = answers.filter(responded_at__gt=membership.available_since)
    latest = list(
        answers.order_by("-responded_at", "-pk").values_list("status", flat=True)[:in_a_row]
    )
    if len(latest) < in_a_row or any(status != ProposalStatus.EXPIRED for status in latest):
        return False
    membership.requests_paused_at = now
    membership.save(update_fields=["requests_paused_at"])
    mentor_changed(user_id=membership.user_id, programme_ids=[programme.pk])
    record(
        actor=None,
        obj=membership,
        action="pause_requests",
        from_state="available",
        to_state="paused",
        programme_id=programme.pk,
        expired_in_a_row=in_a_row,
    )
    key = f"membership:{membership.pk}:paused:{now.isoformat()}"
    context: dict[str, Any] = {
        "programme": programme.name,
        "count": in_a_row,
        "programme_slug": programme.slug,
    }
    notify("mentor_paused", recipients=[membership.user], about=membership, key=key, **context)
    notify(
        "mentor_paused_alert",
        recipients=coordinators_of(programme),
        about=membership,
        key=key,
        mentor=membership.user.display_name,
        **context,
    )
    return True


@transaction.atomic
def confirm_availability(*, actor: User, programme: Programme) -> Membership:
    """The mentor is available again: mentees may ask them, and earlier expiries no longer
    count towards a pause."""
    require_role(actor, programme, Role.MENTOR)
    membership = Membership.objects.select_for_update().get(
        user=actor, programme=programme, role=Role.MENTOR
    )
    if membership.requests_paused_at is None:
        raise InvalidTransition(f"You are already available for new requests in {programme.name}.")
    membership.requests_paused_at = None
    membership.available_since = timezone.now()
    membership.save(update_fields=["requests_paused_at", "available_since"])
    mentor_changed(user_id=actor.pk, programme_ids=[programme.pk])
    record(
        actor=actor,
        obj=membership,
        action="confirm_available",
        from_state="paused",
        to_state="available",
        programme_id=programme.pk,
    )
    return membership
