from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A person who signs in. Their roles live in Membership, their details in Profile.

    An erased person's row stays, pseudonymised ("Former participant", no e-mail, no usable
    password), so the other side's records keep pointing somewhere: see mentorship/privacy.py.
    """

    erased_at = models.DateTimeField(
        null=True, blank=True, help_text="When this person's personal data was erased."
    )

    class Meta:
        constraints = [
            # Sign-up and password reset look people up by e-mail, case-insensitively.
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="user_email_unique_ci"
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
