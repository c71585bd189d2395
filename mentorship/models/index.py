"""The stored mentor index of a programme and its mentors' availability (DESIGN.md, "The
platform path of a match request").

The fitted features live in files under `VAR_DIR / "mentor-index" / <programme id> / <version>`;
`MentorIndexState` says which version is current, so every worker reads one small row per request
and reloads the files only when the version moved. Availability (accepting, paused, free seats,
membership) changes far more often than a matching profile and never rebuilds the index: each
mentor's `MentorAvailability` row is upserted in the transaction that changed it, stamped with
the next number of the programme's `changes` counter, so a worker fetches only the rows stamped
after the last one it saw.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from mentorship.models.programmes import Programme


class MentorIndexState(models.Model):
    """One programme's index: the version of its files and the change counter of its mentors.

    `changes` is bumped (F() + 1) by every write that touches a mentor of the programme; the
    row's `MentorAvailability.version` takes the new value. `built_through` is the value of
    `changes` the stored files reflect for matching profiles: a mentor whose
    `profile_version` is above it is not yet (or no longer) right in the files, and
    `profile_changed > built_through` says so in the one row a request reads."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="mentor_index_state"
    )
    version = models.PositiveIntegerField(
        default=0, help_text="The files' version; 0 until the first build."
    )
    changes = models.PositiveBigIntegerField(default=0)
    profile_changed = models.PositiveBigIntegerField(
        default=0, help_text="The change number of the latest matching-profile change."
    )
    built_through = models.PositiveBigIntegerField(default=0)
    built_at = models.DateTimeField(null=True, blank=True)
    full_build_at = models.DateTimeField(null=True, blank=True)
    as_of = models.DateField(null=True, blank=True, help_text="The day careers were measured to.")
    mentors = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(built_through__lte=models.F("changes")),
                name="mentor_index_built_through_past",
            ),
        ]

    def __str__(self) -> str:
        return f"Mentor index of {self.programme_id} v{self.version}"


class MentorAvailability(models.Model):
    """Whether a mentor of a programme may be proposed now: a mentor member, accepting mentees,
    not paused from new requests, with a free seat. Denormalised for the query-time mask."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    available = models.BooleanField(default=False)
    version = models.PositiveBigIntegerField(
        help_text="The programme's change counter when this row last changed."
    )
    profile_version = models.PositiveBigIntegerField(
        default=0,
        help_text="The programme's change counter when the mentor's matching profile (or "
        "membership) last changed; above the index's built_through means not yet indexed.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentor"], name="mentor_availability_once_per_mentor"
            ),
        ]
        indexes = [
            # A worker's per-request delta: the rows of a programme changed since it last looked.
            models.Index(fields=["programme", "version"], name="mentor_availability_delta"),
            # The index updater: mentors whose profile changed after the files were built.
            models.Index(
                fields=["programme", "profile_version"], name="mentor_availability_profile"
            ),
        ]

    def __str__(self) -> str:
        state = "available" if self.available else "unavailable"
        return f"Mentor {self.mentor_id} in {self.programme_id}: {state}"
