"""A person's own notifications: read them, choose which kinds are e-mailed, and manage the key
of their calendar feed."""

from __future__ import annotations

import secrets
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from mentorship.errors import NotFound, ValidationFailed
from mentorship.models import CalendarFeed, Notification, NotificationPreference, User
from mentorship.notification_kinds import KINDS
from mentorship.services._common import record


def mark_read(*, actor: User, notification: Notification) -> Notification:
    """Idempotent: reading a read notification changes nothing. (Not audited: it is the
    person's own inbox, not a state of the programme.)"""
    if notification.recipient_id != actor.pk:
        raise NotFound("No such notification.")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        notification.refresh_from_db(fields=["read_at"])
    return notification


def mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def update_email_preferences(*, actor: User, changes: Mapping[str, bool]) -> dict[str, bool]:
    """Turn e-mails of some kinds on or off; unknown kinds are refused, naming them."""
    unknown = sorted(set(changes) - set(KINDS))
    if unknown:
        raise ValidationFailed(
            f"Unknown notification kind{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.",
            fields={kind: ["Unknown notification kind."] for kind in unknown},
        )
    wrong = sorted(kind for kind, value in changes.items() if not isinstance(value, bool))
    if wrong:
        raise ValidationFailed(
            "Say true or false for each kind.",
            fields={kind: ["Must be true or false."] for kind in wrong},
        )
    chosen = dict(NotificationPreference.objects.filter(user=actor).values_list("kind", "email"))
    changed = sorted(
        kind for kind, email in changes.items() if chosen.get(kind, KINDS[kind].email) != email
    )
    for kind in changed:
        NotificationPreference.objects.update_or_create(
            user=actor, kind=kind, defaults={"email": changes[kind]}
        )
    if changed:
        record(actor=actor, obj=actor, action="email_preferences", changed=changed)
    chosen = dict(NotificationPreference.objects.filter(user=actor).values_list("kind", "email"))
    return {kind: chosen.get(kind, spec.email) for kind, spec in KINDS.items()}


@transaction.atomic
def create_calendar_feed(*, actor: User) -> CalendarFeed:
    """A new secret key for the person's calendar feed; the previous one stops working."""
    CalendarFeed.objects.filter(user=actor).delete()
    feed = CalendarFeed.objects.create(user=actor, key=secrets.token_urlsafe(32))
    record(actor=actor, obj=actor, action="calendar_feed", to_state="created")
    return feed


@transaction.atomic
def revoke_calendar_feed(*, actor: User) -> bool:
    """The feed's key stops working at once. Returns whether there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=actor).delete()
    if deleted:
        record(actor=actor, obj=actor, action="calendar_feed", to_state="revoked")
    return bool(deleted)
