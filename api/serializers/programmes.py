from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api import fields
from api.serializers.common import PersonSerializer
from mentorship.models import Programme, Role
from mentorship.services.programmes import SETTINGS
from mentorship.validators import VALUE_IDEA_LENGTH, VALUE_IDEAS_MAX

COORDINATOR_ONLY = ("join_code", "matching_weights")


class ProgrammeSerializer(serializers.ModelSerializer):
    """What members see of their programme; coordinators also see the join code and weights."""

    topics = fields.UniqueListField(child=fields.CharField(), read_only=True)
    roles = serializers.SerializerMethodField()
    join_code = fields.CharField(read_only=True, allow_null=True)
    matching_weights = serializers.DictField(
        child=fields.FloatField(), read_only=True, allow_null=True
    )
    network_value_ideas = serializers.ListField(child=fields.CharField(), read_only=True)

    class Meta:
        model = Programme
        fields = (
            "slug",
            "name",
            "join_code",
            *[f for f in SETTINGS if f != "matching_weights"],
            "matching_weights",
            "topics",
            "roles",
            "created_at",
        )
        read_only_fields = fields

    def get_roles(self, programme: Programme) -> list[str]:
        mine = getattr(programme, "caller_memberships", None)  # programmes_with_roles_for
        if mine is not None:
            return sorted({m.role for m in mine})
        user = self.context["request"].user
        return sorted(set(programme.memberships.filter(user=user).values_list("role", flat=True)))

    def to_representation(self, programme: Programme) -> dict[str, Any]:
        data = super().to_representation(programme)
        if Role.COORDINATOR not in data["roles"]:
            for field in COORDINATOR_ONLY:
                data[field] = None
        return data


class ProgrammeCreateSerializer(serializers.Serializer):
    name = fields.CharField(max_length=120)
    slug = fields.SlugField(max_length=60)


class ProgrammeUpdateSerializer(serializers.Serializer):
    name = fields.CharField(max_length=120, required=False)
    description = fields.CharField(max_length=2000, required=False, allow_blank=True)
    is_open = fields.BooleanField(required=False)
    default_cadence_days = fields.IntegerField(min_value=1, max_value=365, required=False)
    response_deadline_days = fields.IntegerField(min_value=1, max_value=90, required=False)
    max_mentor_capacity = fields.IntegerField(min_value=1, max_value=20, required=False)
    proposals_per_request = fields.IntegerField(min_value=1, max_value=20, required=False)
    matching_weights = fields.WeightsField(
        required=False,
        help_text='Overrides of the engine\'s default weights, e.g. {"personality": 0.2}.',
    )
    extra_topics = fields.UniqueListField(
        child=fields.RegexField(r"^[a-z][a-z0-9_]{1,39}$"), max_length=30, required=False
    )
    # Engagement timers (issue 9); 0 turns a timer off.
    first_reminder_hours = fields.IntegerField(
        min_value=0, max_value=720, required=False, help_text="First reminder, hours before."
    )
    second_reminder_hours = fields.IntegerField(
        min_value=0, max_value=720, required=False, help_text="Second reminder, hours before."
    )
    expiries_before_pause = fields.IntegerField(
        min_value=0, max_value=20, required=False, help_text="Expiries in a row pausing a mentor."
    )
    cadence_nudges = fields.BooleanField(required=False)
    inactivity_warning_days = fields.IntegerField(min_value=0, max_value=730, required=False)
    inactivity_pause_days = fields.IntegerField(min_value=0, max_value=730, required=False)
    follow_up_reminders = fields.BooleanField(required=False)
    # The network plan: days between touchpoints by tier (key ≤ regular ≤ light), and the ways
    # to offer value a due contact suggests.
    key_contact_cadence_days = fields.IntegerField(min_value=1, max_value=365, required=False)
    regular_contact_cadence_days = fields.IntegerField(min_value=1, max_value=365, required=False)
    light_contact_cadence_days = fields.IntegerField(min_value=1, max_value=365, required=False)
    network_value_ideas = fields.UniqueListField(
        child=fields.CharField(max_length=VALUE_IDEA_LENGTH),
        min_length=1,
        max_length=VALUE_IDEAS_MAX,
        required=False,
    )


class CadenceRowSerializer(serializers.Serializer):
    mentorship = fields.IntegerField(source="mentorship.pk")
    mentor = PersonSerializer(source="mentorship.mentor")
    mentee = PersonSerializer(source="mentorship.mentee")
    started_on = fields.DateField(source="mentorship.started_on")
    expected_interval_days = fields.IntegerField(source="mentorship.cadence_days")
    sessions = fields.IntegerField(source="cadence.sessions_held")
    last_session = fields.DateField(source="cadence.last_session", allow_null=True)
    days_since = fields.IntegerField(source="cadence.days_since")
    next_due = fields.DateField(source="cadence.next_due")
    status = serializers.ChoiceField(
        source="cadence.status", choices=["on_track", "due", "overdue", "never_met"]
    )


class CadenceSummarySerializer(serializers.Serializer):
    active = fields.IntegerField()
    paused = fields.IntegerField()
    on_track = fields.IntegerField()
    due = fields.IntegerField()
    overdue = fields.IntegerField()
    never_met = fields.IntegerField()
    on_track_rate = fields.FloatField(allow_null=True)
    sessions_last_30_days = fields.IntegerField()
    median_days_since = fields.FloatField(allow_null=True)


class CadenceSerializerOut(serializers.Serializer):
    programme = fields.CharField()
    today = fields.DateField()
    summary = CadenceSummarySerializer(help_text="The whole programme, whatever the filter.")
    count = fields.IntegerField(help_text="Mentorships matching the filter, on every page.")
    next = serializers.URLField(allow_null=True, help_text="The next page, or null.")
    previous = serializers.URLField(allow_null=True, help_text="The previous page, or null.")
    mentorships = CadenceRowSerializer(many=True, help_text="This page, most urgent first.")


class CountSerializer(serializers.Serializer):
    key = fields.CharField()
    count = fields.IntegerField()


class StatsSerializer(serializers.Serializer):
    programme = fields.CharField()
    funnel = serializers.DictField(
        child=fields.IntegerField(), help_text="mentees, asked, requested, matched"
    )
    match_rate = fields.FloatField(allow_null=True)
    median_days_to_match = fields.FloatField(allow_null=True)
    acceptance_rate = fields.FloatField(allow_null=True)
    answers = serializers.DictField(
        child=fields.IntegerField(), help_text="accepted, declined, expired"
    )
    decline_reasons = CountSerializer(many=True)
    introductions_by_group = serializers.DictField(child=fields.IntegerField())
    introductions_by_outcome = serializers.DictField(child=fields.IntegerField())
    mentorships_by_status = serializers.DictField(child=fields.IntegerField())


class SignupSerializer(serializers.Serializer):
    username = fields.CharField(max_length=150)
    email = fields.EmailField(max_length=254)
    password = fields.CharField(max_length=128, write_only=True, style={"input_type": "password"})
    join_code = fields.CharField(max_length=32)
    role = serializers.ChoiceField(choices=[(Role.MENTEE, "Mentee"), (Role.MENTOR, "Mentor")])
    first_name = fields.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = fields.CharField(max_length=150, required=False, allow_blank=True, default="")


class SignupResultSerializer(serializers.Serializer):
    id = fields.IntegerField()
    username = fields.CharField()
    email = fields.EmailField()
    programme = fields.CharField()
    role = fields.CharField()
    token = fields.CharField()


class CredentialsSerializer(serializers.Serializer):
    username = fields.CharField(max_length=150)
    password = fields.CharField(max_length=128, style={"input_type": "password"})


class TokenSerializer(serializers.Serializer):
    token = fields.CharField()


class PasswordResetRequestSerializer(serializers.Serializer):
    email = fields.EmailField(max_length=254)


class DetailSerializer(serializers.Serializer):
    detail = fields.CharField()
