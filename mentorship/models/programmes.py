from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mentorship.taxonomy import TOPICS
from mentorship.validators import default_value_ideas, validate_slug_list, validate_value_ideas


class Role(models.TextChoices):
    MENTEE = "mentee", "Mentee"
    MENTOR = "mentor", "Mentor"
    COORDINATOR = "coordinator", "Coordinator"


class Programme(models.Model):
    """A tenant: its own members, settings, cohorts and data."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=60, unique=True)
    join_code = models.CharField(max_length=32, unique=True)
    description = models.TextField(blank=True, max_length=2000)
    is_open = models.BooleanField(default=True, help_text="Accepting new sign-ups.")
    default_cadence_days = models.PositiveSmallIntegerField(
        default=14, help_text="Days between sessions a new mentorship aims for."
    )
    response_deadline_days = models.PositiveSmallIntegerField(
        default=7, help_text="Days a mentor has to answer a request before it expires."
    )
    max_mentor_capacity = models.PositiveSmallIntegerField(
        default=5, help_text="Most mentees a mentor of this programme may take at once."
    )
    proposals_per_request = models.PositiveSmallIntegerField(
        default=5, help_text="Suggestions a mentee gets per match request."
    )
    matching_weights = models.JSONField(
        default=dict, blank=True, help_text="Overrides of the matching engine's default weights."
    )
    extra_topics = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_slug_list],
        help_text="Topics this programme adds to the shared taxonomy.",
    )
    # Engagement timers (DESIGN.md, "Engagement: timers and notifications"); 0 turns one off.
    first_reminder_hours = models.PositiveSmallIntegerField(
        default=48, help_text="Remind the mentor this many hours before a request expires (0: off)."
    )
    second_reminder_hours = models.PositiveSmallIntegerField(
        default=24, help_text="A second reminder this many hours before the deadline (0: off)."
    )
    expiries_before_pause = models.PositiveSmallIntegerField(
        default=2,
        help_text="Requests expiring in a row that pause a mentor from new requests (0: never).",
    )
    cadence_nudges = models.BooleanField(
        default=True, help_text="Nudge a pair when its next session falls due and when overdue."
    )
    inactivity_warning_days = models.PositiveSmallIntegerField(
        default=60,
        help_text="Warn a pair and the coordinators after this many days without a "
        "session (0: off; never sent at or after the pause).",
    )
    inactivity_pause_days = models.PositiveSmallIntegerField(
        default=90, help_text="Pause a mentorship after this many days without a session (0: off)."
    )
    follow_up_reminders = models.BooleanField(
        default=True, help_text="Remind the mentee on an introduction's follow-up date."
    )
    # The network plan (DESIGN.md): touchpoint cadence by importance tier, and the ideas a due
    # contact suggests for what to offer.
    key_contact_cadence_days = models.PositiveSmallIntegerField(
        default=30, help_text="Days between touchpoints with a key contact."
    )
    regular_contact_cadence_days = models.PositiveSmallIntegerField(
        default=90, help_text="Days between touchpoints with a regular contact."
    )
    light_contact_cadence_days = models.PositiveSmallIntegerField(
        default=180, help_text="Days between touchpoints with a light contact."
    )
    network_value_ideas = models.JSONField(
        default=default_value_ideas,
        blank=True,
        validators=[validate_value_ideas],
        help_text="Ways to offer value that a due contact suggests, one short sentence each.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(default_cadence_days__gte=1, default_cadence_days__lte=365),
                name="programme_cadence_range",
            ),
            models.CheckConstraint(
                condition=Q(response_deadline_days__gte=1, response_deadline_days__lte=90),
                name="programme_deadline_range",
            ),
            models.CheckConstraint(
                condition=Q(max_mentor_capacity__gte=1, max_mentor_capacity__lte=20),
                name="programme_max_capacity_range",
            ),
            models.CheckConstraint(
                condition=Q(proposals_per_request__gte=1, proposals_per_request__lte=20),
                name="programme_proposals_range",
            ),
            models.CheckConstraint(
                condition=Q(first_reminder_hours__lte=720, second_reminder_hours__lte=720),
                name="programme_reminder_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(expiries_before_pause__lte=20), name="programme_expiries_range"
            ),
            models.CheckConstraint(
                condition=Q(inactivity_warning_days__lte=730, inactivity_pause_days__lte=730),
                name="programme_inactivity_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    key_contact_cadence_days__gte=1,
                    key_contact_cadence_days__lte=F("regular_contact_cadence_days"),
                    regular_contact_cadence_days__lte=F("light_contact_cadence_days"),
                    light_contact_cadence_days__lte=365,
                ),
                name="programme_contact_cadences_by_tier",
                violation_error_message=(
                    "Touchpoint cadences go from key contacts (most often) to light ones: "
                    "1 ≤ key ≤ regular ≤ light ≤ 365 days."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def topics(self) -> tuple[str, ...]:
        extra = tuple(t for t in self.extra_topics if t not in TOPICS)
        return TOPICS + extra


class MembershipQuerySet(models.QuerySet["Membership"]):
    def of(self, user: Any) -> MembershipQuerySet:
        return self.filter(user=user)

    def with_role(self, role: str) -> MembershipQuerySet:
        return self.filter(role=role)


class Membership(models.Model):
    """A user's role in a programme; one user may hold several roles."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)
    requests_paused_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="A mentor let requests expire in a row: no new requests until they confirm "
        "they are available again.",
    )
    available_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the mentor last confirmed they are available; earlier expiries no "
        "longer count towards a pause.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "programme", "role"], name="membership_one_role_per_programme"
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
            models.CheckConstraint(
                condition=Q(requests_paused_at__isnull=True) | Q(role=Role.MENTOR),
                name="membership_only_mentors_paused",
            ),
        ]
        indexes = [
            # Cohort matching and the member lists load a programme's members by role.
            models.Index(fields=["programme", "role"], name="membership_programme_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.programme})"


class Exclusion(models.Model):
    """A pair the coordinators never want matched (reporting line, conflict of interest)."""

    class Reason(models.TextChoices):
        REPORTING_LINE = "reporting_line", "Reporting line"
        CONFLICT = "conflict", "Conflict of interest"
        OTHER = "other", "Other"

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="exclusions")
    mentee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "mentee", "mentor"], name="exclusion_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(mentee=models.F("mentor")), name="exclusion_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentee} / {self.mentor}: {self.get_reason_display()}"
