"""The network plan over HTTP: contacts, touchpoints, the plan's share flag and its summary."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api import fields
from api.serializers.common import PersonSerializer
from mentorship.models import (
    WHY_MAX_LENGTH,
    Contact,
    ContactTier,
    IntroductionOutcome,
    NetworkPlan,
    Touchpoint,
    TouchpointVehicle,
)
from mentorship.selectors.cadence import STATUSES, Cadence
from mentorship.selectors.network import (
    NetworkSummary,
    contact_cadence,
    tier_cadence_days,
    value_idea,
)
from mentorship.taxonomy import ConnectionType, NetworkGroup

PROGRAMME_HELP = (
    "The programme's slug; needed only by a mentee of several programmes (one plan in each)."
)


class ContactCadenceSerializer(serializers.Serializer):
    interval_days = fields.IntegerField(help_text="Days between touchpoints, from the tier.")
    touchpoints = fields.IntegerField()
    last_touchpoint = fields.DateField(allow_null=True)
    days_since = fields.IntegerField()
    next_due = fields.DateField()
    status = serializers.ChoiceField(choices=list(STATUSES))


class ContactIntroductionSerializer(serializers.Serializer):
    """The introduction a contact came from: its outcome lives there, recorded once."""

    id = fields.IntegerField()
    introducer = PersonSerializer(allow_null=True)
    follow_up_on = fields.DateField(allow_null=True)
    confirmed = fields.BooleanField()
    outcome = serializers.ChoiceField(choices=IntroductionOutcome.choices)


class ContactSerializer(serializers.ModelSerializer):
    """A contact of the caller's plan (loaded by `contacts_for`/`contact_for`)."""

    programme = fields.CharField(source="plan.programme.slug", read_only=True)
    name = fields.CharField(max_length=120)
    organisation = fields.CharField(max_length=120, required=False, allow_blank=True, default="")
    role = fields.CharField(max_length=120, required=False, allow_blank=True, default="")
    network_group = serializers.ChoiceField(choices=NetworkGroup.choices)
    connection_type = serializers.ChoiceField(choices=ConnectionType.choices)
    tier = serializers.ChoiceField(choices=ContactTier.choices, default=ContactTier.REGULAR)
    why = fields.CharField(
        max_length=WHY_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
        help_text="Why this contact matters; required for key contacts.",
    )
    archived = serializers.SerializerMethodField()
    cadence = serializers.SerializerMethodField()
    offer_value = serializers.SerializerMethodField()
    introduction = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = (
            "id",
            "programme",
            "name",
            "organisation",
            "role",
            "network_group",
            "connection_type",
            "tier",
            "why",
            "archived",
            "added_on",
            "cadence",
            "offer_value",
            "introduction",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "added_on", "created_at", "updated_at")

    def _cadence(self, contact: Any) -> Cadence:
        return contact_cadence(contact, today=self.context.get("today") or timezone.localdate())

    def get_archived(self, contact: Contact) -> bool:
        return contact.archived_at is not None

    @extend_schema_field(ContactCadenceSerializer)
    def get_cadence(self, contact: Any) -> dict[str, Any]:
        cadence = self._cadence(contact)
        return {
            "interval_days": tier_cadence_days(contact.plan.programme, contact.tier),
            "touchpoints": cadence.sessions_held,
            "last_touchpoint": cadence.last_session,
            "days_since": cadence.days_since,
            "next_due": cadence.next_due,
            "status": cadence.status,
        }

    @extend_schema_field(fields.CharField(allow_null=True))
    def get_offer_value(self, contact: Any) -> str | None:
        """A way to offer value, for a contact that needs a touchpoint."""
        if self._cadence(contact).status == "on_track" or contact.archived_at is not None:
            return None
        return value_idea(contact, contact.plan.programme.network_value_ideas)

    @extend_schema_field(ContactIntroductionSerializer(allow_null=True))
    def get_introduction(self, contact: Contact) -> dict[str, Any] | None:
        introduction = contact.introduction
        if introduction is None:
            return None
        return dict(
            ContactIntroductionSerializer(
                {
                    "id": introduction.pk,
                    "introducer": introduction.introducer,
                    "follow_up_on": introduction.follow_up_on,
                    "confirmed": introduction.confirmed_at is not None,
                    "outcome": introduction.outcome,
                }
            ).data
        )


class ContactCreateSerializer(ContactSerializer):
    programme = fields.SlugField(  # type: ignore[assignment]
        max_length=60, required=False, write_only=True, help_text=PROGRAMME_HELP
    )


class ContactUpdateSerializer(serializers.Serializer):
    name = fields.CharField(max_length=120, required=False)
    organisation = fields.CharField(max_length=120, required=False, allow_blank=True)
    role = fields.CharField(max_length=120, required=False, allow_blank=True)
    network_group = serializers.ChoiceField(choices=NetworkGroup.choices, required=False)
    connection_type = serializers.ChoiceField(choices=ConnectionType.choices, required=False)
    tier = serializers.ChoiceField(choices=ContactTier.choices, required=False)
    why = fields.CharField(max_length=WHY_MAX_LENGTH, required=False, allow_blank=True)


class TouchpointSerializer(serializers.ModelSerializer):
    date = fields.DateField(help_text="When it happened (not in the future).")
    vehicle = serializers.ChoiceField(choices=TouchpointVehicle.choices)
    note = fields.CharField(max_length=2000, required=False, allow_blank=True, default="")

    class Meta:
        model = Touchpoint
        fields = ("id", "contact", "date", "vehicle", "note", "created_at")
        read_only_fields = ("id", "contact", "created_at")


class PlanSerializer(serializers.ModelSerializer):
    programme = fields.CharField(source="programme.slug", read_only=True)
    shared = fields.BooleanField(
        source="shared_with_mentor", help_text="Whether your mentor sees the plan's summary."
    )

    class Meta:
        model = NetworkPlan
        fields = ("programme", "shared", "shared_at")
        read_only_fields = ("programme", "shared_at")


class PlanUpdateSerializer(serializers.Serializer):
    shared = fields.BooleanField(help_text="Let your mentor see the plan's summary, or stop.")
    programme = fields.SlugField(max_length=60, required=False, help_text=PROGRAMME_HELP)


class CoverageSerializer(serializers.Serializer):
    contacts = fields.IntegerField()
    healthy = fields.IntegerField(help_text="Contacts on track.")


class TypeCoverageSerializer(CoverageSerializer):
    connection_type = serializers.ChoiceField(choices=ConnectionType.choices, source="key")


class GroupCoverageSerializer(CoverageSerializer):
    network_group = serializers.ChoiceField(choices=NetworkGroup.choices, source="key")
    by_connection_type = TypeCoverageSerializer(many=True, source="by_type")


class ThinSpotSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["network_group", "connection_type"])
    key = fields.CharField()
    text = fields.CharField()


class DueContactSerializer(serializers.Serializer):
    id = fields.IntegerField(source="contact.pk")
    name = fields.CharField(source="contact.name")
    network_group = serializers.ChoiceField(
        choices=NetworkGroup.choices, source="contact.network_group"
    )
    tier = serializers.ChoiceField(choices=ContactTier.choices, source="contact.tier")
    status = serializers.ChoiceField(choices=list(STATUSES), source="cadence.status")
    next_due = fields.DateField(source="cadence.next_due")
    offer_value = fields.CharField(source="idea", allow_null=True)


class SummarySerializer(serializers.Serializer):
    """The plan's coverage, thin spots, due and overdue contacts, and its plain words."""

    programme = fields.CharField(source="programme.slug")
    owner = PersonSerializer()
    shared = fields.BooleanField(source="plan.shared_with_mentor")
    today = fields.DateField()
    contacts = fields.IntegerField(help_text="Active contacts.")
    key_contacts = fields.IntegerField()
    statuses = serializers.DictField(child=fields.IntegerField(), source="counts")
    coverage = GroupCoverageSerializer(many=True, source="groups")
    connection_types = TypeCoverageSerializer(many=True, source="types")
    thin_spots = ThinSpotSerializer(many=True, source="thin")
    summary = fields.CharField(source="text")
    suggestion = fields.CharField(allow_null=True)
    warnings = serializers.ListField(child=fields.CharField())
    due_contacts = DueContactSerializer(many=True, source="attention")


def summary_data(summary: NetworkSummary) -> dict[str, Any]:
    return dict(SummarySerializer(summary).data)
