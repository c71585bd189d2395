from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One state transition: who did what to which object, from which state to which.

    Append-only: the table carries no foreign key to the objects it describes (so no cascade
    can rewrite history), and a database trigger refuses updates to its content columns.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for the system (expiry sweeps, automatic withdrawals).",
    )
    programme_id = models.BigIntegerField(null=True, blank=True)
    object_type = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    action = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # An object's history, shown in the admin and asserted by tests.
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            # A programme's activity feed, newest first.
            models.Index(fields=["programme_id", "-created_at"], name="audit_programme_recent"),
        ]

    def __str__(self) -> str:
        arrow = f" {self.from_state or '∅'} → {self.to_state}" if self.to_state else ""
        return f"{self.object_type} #{self.object_id} {self.action}{arrow}"
