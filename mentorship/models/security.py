from __future__ import annotations

from django.db import models


class LoginAttempts(models.Model):
    """Sign-in attempts counted per key ("account:<name>" or "address:<ip>") in a time window.

    A database row is the shared counter: every process and thread increments the same row
    under a lock, so the limit holds under concurrent attempts (a per-process counter would
    let an attacker through by spreading attempts over workers).
    """

    key = models.CharField(max_length=200, unique=True)
    window_start = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "login attempts"

    def __str__(self) -> str:
        return f"{self.key}: {self.attempts} since {self.window_start:%H:%M}"
