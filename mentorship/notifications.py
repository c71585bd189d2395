"""One way to tell people about an event: `notify()`, called by a service inside the transaction
that made the event.

It writes one Notification row per recipient in that transaction (so an event and its
notifications commit or roll back together), and once the transaction commits it queues their
e-mails: a Celery task with a broker, in-process without one. Each e-mail is sent at most once
(`deliver()` holds the row's lock and checks its state), and only if the recipient has not turned
that kind off. E-mails whose task was lost (a broker down at commit) are sent by the retry sweep
(`retry_pending_emails`, part of every engagement run).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import zoneinfo
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from kombu.exceptions import OperationalError

from mentorship.models import (
    EmailState,
    Mentorship,
    Notification,
    NotificationPreference,
    Profile,
    Programme,
    Role,
    User,
)
from mentorship.notification_kinds import KINDS, Kind

logger = logging.getLogger(__name__)

MAX_EMAIL_ATTEMPTS = 5
RETRY_AFTER = dt.timedelta(minutes=5)  # a pending e-mail older than this lost its task

#: Recipients, each with the context values that are theirs alone (e.g. "other": the other side).
Recipients = Mapping[User, Mapping[str, Any]] | Iterable[User]


def notify(
    kind: str,
    *,
    recipients: Recipients,
    about: models.Model,
    key: str = "",
    programme_id: int | None = None,
    **context: Any,
) -> list[Notification]:
    """Tell each recipient about an event, once: inside the caller's transaction, with the
    e-mails queued for after its commit. `key` names the event (default: the object itself);
    a recipient already told about (kind, key) is skipped. `context` fills the kind's texts
    and link. Returns the notifications made."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValueError(f"Unknown notification kind {kind!r}.")
    key = key or f"{about._meta.model_name}:{about.pk}"
    programme_id = programme_id or getattr(about, "programme_id", None)
    made: list[Notification] = []
    for recipient, own in _each(recipients):
        values = _readable({**context, **own}, recipient)
        notification = Notification(
            recipient=recipient,
            kind=kind,
            programme_id=programme_id,
            object_type=about._meta.model_name or "",
            object_id=about.pk,
            key=key,
            title=" ".join(render(spec.title, values).split())[:300],
            body=render(spec.body, values).strip()[:4000],
            link=link_of(spec, values),
        )
        try:
            with transaction.atomic():  # a savepoint: a duplicate must not break the caller
                notification.save()
        except IntegrityError:
            continue  # already told about this event (another run or worker got there first)
        made.append(notification)
    if made:
        ids = [n.pk for n in made]
        transaction.on_commit(lambda: queue_emails(ids))
    return made


def _each(recipients: Recipients) -> list[tuple[User, Mapping[str, Any]]]:
    if isinstance(recipients, Mapping):
        return list(recipients.items())
    seen: dict[int, User] = {}
    for user in recipients:
        seen.setdefault(user.pk, user)
    return [(user, {}) for user in seen.values()]


@functools.cache
def _compiled(template: str) -> Template:
    return Template(template)


def render(template: str, values: Mapping[str, Any]) -> str:
    """A kind's title or body as plain text (the HTML e-mail escapes it)."""
    return _compiled(template).render(Context(dict(values), autoescape=False))


def _zone(user: User) -> zoneinfo.ZoneInfo | None:
    """The recipient's own time zone (from their profile), if they have one."""
    try:
        return zoneinfo.ZoneInfo(user.profile.timezone)
    except (Profile.DoesNotExist, zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _readable(values: dict[str, Any], recipient: User) -> dict[str, Any]:
    """Dates and times as words, times in the recipient's own time zone."""
    zone = _zone(recipient)
    zone_name = zone.key if zone is not None else str(timezone.get_current_timezone())
    out: dict[str, Any] = {}
    for name, value in values.items():
        if isinstance(value, dt.datetime):
            local = timezone.localtime(value, zone)
            out[name] = f"{date_format(local, 'l j F Y, H:i')} ({zone_name} time)"
        elif isinstance(value, dt.date):
            out[name] = date_format(value, "l j F Y")
        else:
            out[name] = value
    return out


def link_of(spec: Kind, values: Mapping[str, Any]) -> str:
    args = [values[spec.page_arg]] if spec.page_arg else []
    return reverse(spec.page, args=args)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# Who to tell ------------------------------------------------------------------------------


def the_pair(mentorship: Mentorship) -> dict[User, dict[str, Any]]:
    """Both sides of a mentorship, each with the other's name as `other`."""
    return {
        mentorship.mentor: {"other": mentorship.mentee.display_name},
        mentorship.mentee: {"other": mentorship.mentor.display_name},
    }


def coordinators_of(programme: Programme | int) -> list[User]:
    programme_id = programme.pk if isinstance(programme, Programme) else programme
    return list(
        User.objects.filter(
            memberships__programme_id=programme_id,
            memberships__role=Role.COORDINATOR,
            is_active=True,
        )
        .select_related("profile")
        .distinct()
        .order_by("pk")
    )


# E-mail -----------------------------------------------------------------------------------


def wants_email(user_id: int, kind: str) -> bool:
    spec = KINDS.get(kind)
    if spec is None:
        return False
    chosen = (
        NotificationPreference.objects.filter(user_id=user_id, kind=kind)
        .values_list("email", flat=True)
        .first()
    )
    return spec.email if chosen is None else chosen


def queue_emails(ids: list[int]) -> None:
    """After commit: hand the e-mails to a worker (or send them now, without a broker). A broker
    that is down loses nothing: the rows stay pending and the retry sweep sends them."""
    from mentorship.tasks import deliver_notifications

    try:
        deliver_notifications.delay(ids)
    except OperationalError:
        logger.exception("Could not queue e-mails %s; the retry sweep will send them.", ids)


def email_message(notification: Notification) -> EmailMultiAlternatives:
    recipient = notification.recipient
    spec = KINDS[notification.kind]
    context = {
        "notification": notification,
        "name": recipient.first_name or recipient.display_name,
        "action": spec.action,
        "url": absolute(notification.link),
        "preferences_url": absolute(reverse("notification-preferences")),
    }
    message = EmailMultiAlternatives(
        subject=notification.title,
        body=render_to_string("mentorship/email/notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(
        render_to_string("mentorship/email/notification.html", context), "text/html"
    )
    return message


def deliver(notification_id: int) -> str:
    """E-mail one notification, at most once: under its row lock, only while still pending.
    Returns what happened: sent, skipped, failed, pending (will be retried), gone, or
    "already <state>" when another run or worker got there first."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None:
            return "gone"
        if notification.email_state != EmailState.PENDING:
            return f"already {notification.email_state}"
        recipient = notification.recipient
        if (
            not recipient.is_active
            or not recipient.email
            or not wants_email(recipient.pk, notification.kind)
        ):
            notification.email_state = EmailState.SKIPPED
            notification.save(update_fields=["email_state"])
            return "skipped"
        notification.email_attempts += 1
        try:
            email_message(notification).send()
        except OSError:  # SMTP errors are OSErrors: try again later, a few times
            logger.exception("E-mailing notification %s failed.", notification.pk)
            if notification.email_attempts >= MAX_EMAIL_ATTEMPTS:
                notification.email_state = EmailState.FAILED
            notification.save(update_fields=["email_state", "email_attempts"])
            return str(notification.email_state)
        notification.email_state = EmailState.SENT
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["email_state", "emailed_at", "email_attempts"])
        return "sent"


def retry_pending_emails(*, now: dt.datetime | None = None) -> int:
    """Send the e-mails still pending a while after their notification was made."""
    now = now or timezone.now()
    pending = list(
        Notification.objects.filter(
            email_state=EmailState.PENDING, created_at__lte=now - RETRY_AFTER
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    return sum(deliver(pk) == "sent" for pk in pending)
