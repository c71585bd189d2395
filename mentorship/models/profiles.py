from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from mentorship.taxonomy import Seniority
from mentorship.validators import (
    validate_formats,
    validate_languages,
    validate_skills,
    validate_slug_list,
    validate_timezone,
    validate_tipi_answers,
)

BIG_FIVE = ("openness", "conscientiousness", "extraversion", "agreeableness", "emotional_stability")


class Profile(models.Model):
    """A person's reusable profile, shared by all their programmes and roles."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    headline = models.CharField(max_length=160, blank=True)
    about = models.TextField(blank=True, max_length=4000)
    skills = models.JSONField(default=list, blank=True, validators=[validate_skills])
    certifications = models.JSONField(default=list, blank=True, validators=[validate_skills])
    seniority = models.PositiveSmallIntegerField(
        choices=Seniority.choices, default=Seniority.PRACTITIONER
    )
    topics_wanted = models.JSONField(default=list, blank=True, validators=[validate_slug_list])
    topics_offered = models.JSONField(default=list, blank=True, validators=[validate_slug_list])
    languages = models.JSONField(default=list, blank=True, validators=[validate_languages])
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    formats = models.JSONField(default=list, blank=True, validators=[validate_formats])
    capacity = models.PositiveSmallIntegerField(
        default=1, help_text="Mentees this person can mentor at once (active and paused)."
    )
    accepting_mentees = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(seniority__gte=1, seniority__lte=6), name="profile_seniority_range"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=0, capacity__lte=20), name="profile_capacity_range"
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class Position(models.Model):
    """One role in a person's career history."""

    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(max_length=120)
    organisation = models.CharField(max_length=120, blank=True)
    industry = models.CharField(max_length=80, blank=True)
    start = models.DateField(help_text="First day of the month the role began.")
    end = models.DateField(null=True, blank=True, help_text="Empty while the role continues.")
    summary = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="position_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.organisation}" if self.organisation else self.title


class Personality(models.Model):
    """Answers to the 10-item TIPI questionnaire and the Big Five derived from them.

    Kept only with explicit consent: the row exists only while consent stands, and
    withdrawing consent deletes it.
    """

    profile = models.OneToOneField(Profile, on_delete=models.CASCADE, related_name="personality")
    answers = models.JSONField(
        validators=[validate_tipi_answers],
        help_text="Ten answers on the 1-7 scale, in questionnaire order.",
    )
    openness = models.FloatField()
    conscientiousness = models.FloatField()
    extraversion = models.FloatField()
    agreeableness = models.FloatField()
    emotional_stability = models.FloatField()
    consented_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "personalities"
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{trait}__gte": 1, f"{trait}__lte": 7}),
                name=f"personality_{trait}_range",
            )
            for trait in BIG_FIVE
        ]

    def __str__(self) -> str:
        return f"Personality of {self.profile.user}"

    def big_five(self) -> dict[str, float]:
        return {trait: getattr(self, trait) for trait in BIG_FIVE}
