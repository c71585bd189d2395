"""A person's own notifications and e-mail preferences (nobody else's, ever)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from mentorship.access import Viewer
from mentorship.errors import NotFound
from mentorship.models import CalendarFeed, Notification, NotificationPreference, User
from mentorship.notification_kinds import KINDS, Kind


def notifications_for(user: Viewer, *, unread: bool | None = None) -> QuerySet[Notification]:
    if not user.is_authenticated:
        return Notification.objects.none()
    notifications = Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")
    if unread is not None:
        notifications = notifications.filter(read_at__isnull=unread)
    return notifications


def notification_for(user: User, pk: int) -> Notification:
    notification = notifications_for(user).filter(pk=pk).first()
    if notification is None:
        raise NotFound("No such notification.")
    return notification


def unread_count(user: Viewer) -> int:
    return notifications_for(user, unread=True).count()


@dataclass(frozen=True)
class Preference:
    kind: str
    spec: Kind
    email: bool


def preferences_of(user: User) -> list[Preference]:
    """Every kind with whether it is e-mailed to the user (their choice, else the default), in
    the order of the kinds table."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return [Preference(kind, spec, chosen.get(kind, spec.email)) for kind, spec in KINDS.items()]


def email_preferences(user: User) -> dict[str, bool]:
    return {p.kind: p.email for p in preferences_of(user)}


def calendar_feed_of(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()
