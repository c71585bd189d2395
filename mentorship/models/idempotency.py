from __future__ import annotations

from django.conf import settings
from django.db import models


class IdempotencyKey(models.Model):
    """A client's `Idempotency-Key` for one write: a retry with the same key (after a dropped
    connection) gets what the first request made instead of a second copy.

    The key is the client's; `scope` names the write (and its target), `fingerprint` the request's
    content, so the same key sent for a different request is refused. Kept for a day.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    scope = models.CharField(max_length=64)
    fingerprint = models.CharField(max_length=64)
    object_type = models.CharField(max_length=32)
    object_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user"),
        ]
        indexes = [
            # The purge of a user's expired keys when they write again.
            models.Index(fields=["user", "created_at"], name="idempotency_user_created"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} by user #{self.user_id}: {self.object_type} #{self.object_id}"
