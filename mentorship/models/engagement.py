"""Engagement: notifications, e-mail preferences, calendar feed keys and background exports."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from mentorship.models.programmes import Programme
from mentorship.notification_kinds import KINDS


def now() -> dt.datetime:
    """The default of creation times: looked up at each call, so a patched clock (the demo's
    simulation, tests) is the one used."""
    return timezone.now()


def validate_kind(value: str) -> None:
    """Kinds live in `notification_kinds.KINDS`, not in the schema, so adding one needs no
    migration (and so no CheckConstraint either: it would have to list them)."""
    if value not in KINDS:
        raise ValidationError(f"Unknown notification kind {value!r}.")


class EmailState(models.TextChoices):
    PENDING = "pending", "Waiting to be e-mailed"
    SENT = "sent", "E-mailed"
    SKIPPED = "skipped", "Not e-mailed (turned off, or no address)"
    FAILED = "failed", "E-mailing failed"


class NotificationQuerySet(models.QuerySet["Notification"]):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One event told to one person: shown in the pages and the API, and e-mailed unless the
    person turned that kind off.

    `key` names the event ("proposal:17:reminder:48h:…"): the unique constraint on (recipient,
    kind, key) is what makes every timer tell each person once per event, also when the job runs
    twice or in two workers at the same moment.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, validators=[validate_kind])
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_type = models.CharField(max_length=32, help_text="What it is about, e.g. proposal.")
    object_id = models.BigIntegerField()
    key = models.CharField(max_length=160)
    title = models.CharField(max_length=300)
    body = models.TextField(max_length=4000, blank=True)
    link = models.CharField(max_length=300, help_text="The page where the person acts.")
    created_at = models.DateTimeField(default=now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(
        max_length=16, choices=EmailState.choices, default=EmailState.PENDING
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(default=0)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"], name="notification_once_per_event"
            ),
            models.CheckConstraint(
                condition=Q(email_state__in=EmailState.values),
                name="notification_email_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(email_state=EmailState.SENT, emailed_at__isnull=False)
                | (~Q(email_state=EmailState.SENT) & Q(emailed_at__isnull=True)),
                name="notification_emailed_at_iff_sent",
            ),
        ]
        indexes = [
            # The navigation's unread count and the list, newest first.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_recent"),
            # The e-mail retry sweep: pending e-mails older than a few minutes.
            models.Index(fields=["email_state", "created_at"], name="notification_email_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """Whether one kind is e-mailed to one person. No row means the kind's default."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, validators=[validate_kind])
    email = models.BooleanField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} e-mail {'on' if self.email else 'off'}"


class CalendarFeed(models.Model):
    """A person's calendar feed key (`/api/v1/me/sessions.ics?key=…`). Revoking deletes the
    row, so an old key stops working at once; a new one can be made any time."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class ExportKind(models.TextChoices):
    CADENCE = "cadence", "Session cadence"
    MEMBERS = "members", "Members"


class ExportStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Export(models.Model):
    """A coordinator's CSV export, made in the background and kept in the database (shared by
    every worker, unlike a local file) until they download it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=ExportKind.choices)
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    filename = models.CharField(max_length=200, blank=True)
    content = models.TextField(blank=True)
    rows = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ExportKind.values), name="export_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ExportStatus.values), name="export_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ExportStatus.PENDING, finished_at__isnull=True)
                | (~Q(status=ExportStatus.PENDING) & Q(finished_at__isnull=False)),
                name="export_finished_at_iff_done",
            ),
            # One export of a kind being prepared per person and programme: a double submit
            # cannot queue the same work twice.
            models.UniqueConstraint(
                fields=["programme", "requested_by", "kind"],
                condition=Q(status=ExportStatus.PENDING),
                name="export_one_pending_per_person",
            ),
        ]
        indexes = [
            # The programme's exports page, newest first.
            models.Index(fields=["programme", "-created_at"], name="export_programme_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} export of {self.programme} ({self.status})"
