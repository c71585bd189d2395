from __future__ import annotations

from typing import Any

from rest_framework import serializers

from api import fields
from api.serializers.common import MAX_TEXT, PositionSerializer
from mentorship.models import BIG_FIVE, Profile, Role
from mentorship.services.profiles import MAX_POSITIONS, profile_topics
from mentorship.taxonomy import MeetingFormat

StringList = lambda max_length, max_items: fields.UniqueListField(  # noqa: E731
    child=fields.CharField(max_length=max_length), max_length=max_items, required=False
)


class BigFiveSerializer(serializers.Serializer):
    openness = fields.FloatField()
    conscientiousness = fields.FloatField()
    extraversion = fields.FloatField()
    agreeableness = fields.FloatField()
    emotional_stability = fields.FloatField()


class ProfileSerializer(serializers.Serializer):
    """One's own profile, with the field names of the matching engine's profile line."""

    id = fields.IntegerField(source="user.pk", read_only=True)
    username = fields.CharField(source="user.username", read_only=True)
    first_name = fields.CharField(
        max_length=150, required=False, allow_blank=True, source="user.first_name"
    )
    last_name = fields.CharField(
        max_length=150, required=False, allow_blank=True, source="user.last_name"
    )
    headline = fields.CharField(max_length=160, required=False, allow_blank=True)
    about = fields.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    positions = PositionSerializer(many=True, required=False)
    skills = StringList(80, 40)
    certifications = StringList(80, 40)
    seniority = fields.IntegerField(min_value=1, max_value=6, required=False)
    topics = StringList(40, 30)
    topics_wanted = StringList(40, 30)
    topics_offered = StringList(40, 30)
    languages = StringList(3, 10)
    timezone = fields.CharField(max_length=64, required=False)
    formats = fields.UniqueListField(
        child=serializers.ChoiceField(choices=MeetingFormat.choices), max_length=4, required=False
    )
    capacity = fields.IntegerField(min_value=0, max_value=20, required=False, allow_null=True)
    accepting_mentees = fields.BooleanField(required=False, allow_null=True)
    personality = BigFiveSerializer(read_only=True, allow_null=True)
    roles = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def validate_positions(self, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if len(value) > MAX_POSITIONS:
            raise serializers.ValidationError(f"At most {MAX_POSITIONS} positions.")
        return value

    def get_roles(self, profile: Profile) -> list[str]:
        return sorted(set(profile.user.memberships.values_list("role", flat=True)))

    def to_representation(self, profile: Profile) -> dict[str, Any]:
        data = super().to_representation(profile)
        roles = set(data["roles"])
        is_mentor = Role.MENTOR in roles
        data["topics"] = profile_topics(profile, roles)
        personality = getattr(profile, "personality", None) if profile.pk else None
        data["personality"] = personality.big_five() if personality else None
        if not is_mentor:
            data["capacity"] = None
            data["accepting_mentees"] = None
        return data


class PersonalitySerializer(serializers.Serializer):
    answers = serializers.ListField(
        child=fields.IntegerField(min_value=1, max_value=7),
        min_length=10,
        max_length=10,
        help_text="The ten TIPI answers on the 1-7 scale, in questionnaire order.",
    )
    consent = fields.ConsentField(
        help_text="Must be true: answers are stored only with explicit consent."
    )
    big_five = BigFiveSerializer(read_only=True)
    consented_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, personality: Any) -> dict[str, Any]:
        return {
            "answers": list(personality.answers),
            "consent": True,
            "big_five": {trait: getattr(personality, trait) for trait in BIG_FIVE},
            "consented_at": serializers.DateTimeField().to_representation(personality.consented_at),
        }
