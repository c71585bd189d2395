"""The network plan: a mentee's short list of contacts, kept warm by touchpoints.

A plan belongs to one mentee in one programme (a programme is a tenant: its own data, its own
tier cadences). Contacts sit in a network group and a connection type (the taxonomy of
`mentorship.taxonomy`), in an importance tier that sets how often to be in touch, with the reason
they matter. An introduction recorded by the mentor becomes a contact of the mentee's plan.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from mentorship.models.mentorships import Introduction
from mentorship.models.programmes import Programme
from mentorship.taxonomy import ConnectionType, NetworkGroup

WHY_MAX_LENGTH = 500
# The three challenges of keeping a network: time (a short list), motivation (a reason per key
# contact) and confidence (an idea of what to offer).
KEY_CONTACTS_MAX = 7
SHORT_LIST = 25


class ContactTier(models.TextChoices):
    KEY = "key", "Key: can change your career"
    REGULAR = "regular", "Regular: worth keeping warm"
    LIGHT = "light", "Light: an occasional message"


class TouchpointVehicle(models.TextChoices):
    MEETING = "meeting", "Meeting"
    CALL = "call", "Call"
    MESSAGE = "message", "Message"
    EVENT = "event", "Event"
    SOCIAL_POST = "social_post", "Social post"


class NetworkPlan(models.Model):
    """One mentee's plan in one programme; created with its first contact or share."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_plans"
    )
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="network_plans")
    shared_with_mentor = models.BooleanField(
        default=False, help_text="The owner lets their mentor in this programme see the plan."
    )
    shared_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "programme"], name="network_plan_one_per_owner"
            ),
            models.CheckConstraint(
                condition=Q(shared_with_mentor=False) | Q(shared_at__isnull=False),
                name="network_plan_shared_has_date",
            ),
        ]
        indexes = [
            # Coordinators' aggregates load a programme's plans.
            models.Index(fields=["programme", "owner"], name="network_plan_programme"),
        ]

    def __str__(self) -> str:
        return f"Network plan of {self.owner} ({self.programme})"


class ContactQuerySet(models.QuerySet["Contact"]):
    def active(self) -> ContactQuerySet:
        return self.filter(archived_at__isnull=True)


class Contact(models.Model):
    """Someone in the mentee's network worth keeping in touch with."""

    plan = models.ForeignKey(NetworkPlan, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120)
    organisation = models.CharField(max_length=120, blank=True)
    role = models.CharField(max_length=120, blank=True)
    network_group = models.CharField(max_length=32, choices=NetworkGroup.choices)
    connection_type = models.CharField(max_length=16, choices=ConnectionType.choices)
    tier = models.CharField(max_length=16, choices=ContactTier.choices, default=ContactTier.REGULAR)
    why = models.TextField(
        blank=True, max_length=WHY_MAX_LENGTH, help_text="Why this contact matters to you."
    )
    introduction = models.OneToOneField(
        Introduction,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact",
        help_text="The introduction this contact came from, if any.",
    )
    added_on = models.DateField()
    first_due_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the first touchpoint is due (an introduction's follow-up date); "
        "otherwise one tier interval after the contact was added.",
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="contact_has_name"),
            models.CheckConstraint(
                condition=Q(network_group__in=NetworkGroup.values),
                name="contact_network_group_valid",
            ),
            models.CheckConstraint(
                condition=Q(connection_type__in=ConnectionType.values),
                name="contact_connection_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(tier__in=ContactTier.values), name="contact_tier_valid"
            ),
            models.CheckConstraint(
                condition=~Q(tier=ContactTier.KEY) | ~Q(why=""), name="contact_key_has_why"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("why"), WHY_MAX_LENGTH),
                name="contact_why_length",
            ),
        ]
        indexes = [
            # The plan's page and summary list a plan's active contacts.
            models.Index(fields=["plan", "archived_at"], name="contact_plan_active"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_network_group_display()})"


class Touchpoint(models.Model):
    """One time the mentee was in touch with a contact."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="touchpoints")
    date = models.DateField()
    vehicle = models.CharField(max_length=16, choices=TouchpointVehicle.choices)
    note = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vehicle__in=TouchpointVehicle.values), name="touchpoint_vehicle_valid"
            ),
        ]
        indexes = [
            # Cadence: the latest touchpoint of each contact.
            models.Index(fields=["contact", "-date"], name="touchpoint_contact_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_vehicle_display()} with {self.contact.name} on {self.date}"
