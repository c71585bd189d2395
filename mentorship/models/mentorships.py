from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mentorship.models.matching import Proposal
from mentorship.models.programmes import Programme
from mentorship.taxonomy import ConnectionType, MeetingFormat, NetworkGroup
from mentorship.validators import validate_slug_list


class MentorshipStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    COMPLETED = "completed", "Completed"
    ENDED = "ended", "Ended"


# Capacity counts these: a paused pairing still holds its seat.
SEAT_HOLDING_STATUSES = (MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED)
CLOSED_STATUSES = (MentorshipStatus.COMPLETED, MentorshipStatus.ENDED)


class MentorshipQuerySet(models.QuerySet["Mentorship"]):
    def holding_seats(self) -> MentorshipQuerySet:
        return self.filter(status__in=SEAT_HOLDING_STATUSES)

    def involving(self, user: Any) -> MentorshipQuerySet:
        return self.filter(Q(mentor=user) | Q(mentee=user))


class Mentorship(models.Model):
    """An accepted pairing with a cadence target, goals and a lifecycle."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="mentorships")
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentor"
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    proposal = models.OneToOneField(
        Proposal, null=True, blank=True, on_delete=models.SET_NULL, related_name="mentorship"
    )
    status = models.CharField(
        max_length=16, choices=MentorshipStatus.choices, default=MentorshipStatus.ACTIVE
    )
    cadence_days = models.PositiveSmallIntegerField(help_text="Target days between sessions.")
    goals = models.TextField(blank=True, max_length=4000)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MentorshipQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MentorshipStatus.values), name="mentorship_status_valid"
            ),
            models.CheckConstraint(condition=~Q(mentee=F("mentor")), name="mentorship_not_self"),
            models.CheckConstraint(
                condition=Q(cadence_days__gte=1, cadence_days__lte=365),
                name="mentorship_cadence_range",
            ),
            models.CheckConstraint(
                condition=Q(status__in=CLOSED_STATUSES, ended_on__isnull=False)
                | Q(status__in=SEAT_HOLDING_STATUSES, ended_on__isnull=True),
                name="mentorship_ended_on_iff_closed",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="mentorship_ends_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(status=MentorshipStatus.ENDED) | ~Q(end_reason=""),
                name="mentorship_ended_has_reason",
            ),
            models.UniqueConstraint(
                fields=["programme", "mentor", "mentee"],
                condition=Q(status__in=SEAT_HOLDING_STATUSES),
                name="mentorship_one_open_per_pair",
            ),
        ]
        indexes = [
            # Capacity checks count a mentor's seat-holding mentorships.
            models.Index(fields=["mentor", "status"], name="mentorship_mentor_status"),
            # Cadence pages list a programme's mentorships by status.
            models.Index(fields=["programme", "status"], name="mentorship_programme_status"),
            # Lists are paged in the default order: the database reads a page off this index.
            models.Index(fields=["-started_on", "-id"], name="mentorship_newest_first"),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} mentoring {self.mentee}"

    def has_member(self, user: Any) -> bool:
        return user.pk in (self.mentor_id, self.mentee_id)


class Session(models.Model):
    """A logged meeting of a mentorship. Each side keeps private notes and its own rating."""

    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField()
    duration_minutes = models.PositiveSmallIntegerField()
    format = models.CharField(max_length=16, choices=MeetingFormat.choices)
    topics = models.JSONField(default=list, blank=True, validators=[validate_slug_list])
    mentor_notes = models.TextField(blank=True, max_length=10000)
    mentee_notes = models.TextField(blank=True, max_length=10000)
    mentor_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    mentee_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600),
                name="session_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(format__in=MeetingFormat.values), name="session_format_valid"
            ),
            models.CheckConstraint(
                condition=Q(mentor_rating__isnull=True)
                | Q(mentor_rating__gte=1, mentor_rating__lte=5),
                name="session_mentor_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(mentee_rating__isnull=True)
                | Q(mentee_rating__gte=1, mentee_rating__lte=5),
                name="session_mentee_rating_range",
            ),
        ]
        indexes = [
            # Cadence: the latest session of each mentorship.
            models.Index(fields=["mentorship", "-date"], name="session_mentorship_date"),
        ]

    def __str__(self) -> str:
        return f"Session on {self.date} ({self.mentorship})"


class IntroductionOutcome(models.TextChoices):
    PENDING = "pending", "Pending"
    MET = "met", "They met"
    OPPORTUNITY = "opportunity", "Led to an opportunity"
    NO_RESPONSE = "no_response", "No response"
    NOT_PURSUED = "not_pursued", "Not pursued"


class Introduction(models.Model):
    """A connection made for the mentee from the introducer's network."""

    mentorship = models.ForeignKey(
        Mentorship, on_delete=models.CASCADE, related_name="introductions"
    )
    introducer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="introductions_as_contact",
        help_text="The contact, when they are a member of the platform.",
    )
    contact_name = models.CharField(max_length=120, blank=True)
    contact_organisation = models.CharField(max_length=120, blank=True)
    contact_role = models.CharField(max_length=120, blank=True)
    network_group = models.CharField(max_length=32, choices=NetworkGroup.choices)
    connection_type = models.CharField(max_length=16, choices=ConnectionType.choices)
    purpose = models.TextField(max_length=2000)
    follow_up_on = models.DateField(null=True, blank=True)
    confirmed_at = models.DateTimeField(
        null=True, blank=True, help_text="When the mentee confirmed the introduction happened."
    )
    outcome = models.CharField(
        max_length=16, choices=IntroductionOutcome.choices, default=IntroductionOutcome.PENDING
    )
    outcome_note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact_member__isnull=False) | ~Q(contact_name=""),
                name="introduction_has_contact",
            ),
            models.CheckConstraint(
                condition=Q(network_group__in=NetworkGroup.values),
                name="introduction_network_group_valid",
            ),
            models.CheckConstraint(
                condition=Q(connection_type__in=ConnectionType.values),
                name="introduction_connection_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome__in=IntroductionOutcome.values),
                name="introduction_outcome_valid",
            ),
            models.CheckConstraint(condition=~Q(purpose=""), name="introduction_has_purpose"),
        ]
        indexes = [
            # The follow-up list: introductions whose follow-up date has come.
            models.Index(fields=["follow_up_on"], name="introduction_follow_up"),
        ]

    def __str__(self) -> str:
        return f"Introduction to {self.contact_display} for {self.mentorship.mentee}"

    @property
    def contact_display(self) -> str:
        if self.contact_member_id and not self.contact_name:
            return str(self.contact_member)
        return self.contact_name
