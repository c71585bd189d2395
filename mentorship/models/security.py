from __future__ import annotations

from django.db import models


class LoginAttempts(models.Model):
    """Failed attempts counted per key (a scope and a keyed hash: "sign-in:account:…",
    "sign-in:address:…", "sign-up:address:…", "reset:address:…", "reset:email:…").

    A database row is the shared counter: every process and thread updates the same row under a
    lock, so the limit holds under concurrent attempts (a per-process counter would let an
    attacker through by spreading attempts over workers). See mentorship/services/auth.py.
    """

    key = models.CharField(max_length=200, unique=True)
    window_start = models.DateTimeField(help_text="The first failure still counted.")
    attempts = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(
        null=True, blank=True, help_text="Attempts before this are refused without a check."
    )

    class Meta:
        verbose_name_plural = "login attempts"

    def __str__(self) -> str:
        return f"{self.key}: {self.attempts} since {self.window_start:%H:%M}"
