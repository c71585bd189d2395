from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api import fields
from api.fields import MAX_ID
from api.serializers.common import PersonSerializer, shared
from mentorship.models import (
    Introduction,
    IntroductionOutcome,
    Mentorship,
    MentorshipStatus,
    Session,
    User,
)
from mentorship.selectors.cadence import Cadence, cadence_from_annotations
from mentorship.selectors.mentorships import own_rating, private_notes
from mentorship.services.mentorships import CONTACT_FIELDS
from mentorship.taxonomy import ConnectionType, MeetingFormat, NetworkGroup


class CadenceSerializer(serializers.Serializer):
    sessions_held = fields.IntegerField()
    last_session = fields.DateField(allow_null=True)
    days_since = fields.IntegerField()
    next_due = fields.DateField()
    status = serializers.ChoiceField(choices=["on_track", "due", "overdue", "never_met"])

    def to_representation(self, instance: Cadence) -> dict[str, Any]:
        # The fields above without DRF's walk over them: every mentorship of a list has one.
        return {
            "sessions_held": instance.sessions_held,
            "last_session": _iso(instance.last_session),
            "days_since": instance.days_since,
            "next_due": _iso(instance.next_due),
            "status": instance.status,
        }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


class MentorshipSerializer(serializers.ModelSerializer):
    programme = fields.CharField(source="programme.slug", read_only=True)
    mentor = PersonSerializer(read_only=True)
    mentee = PersonSerializer(read_only=True)
    status = serializers.ChoiceField(choices=MentorshipStatus.choices, read_only=True)
    cadence = serializers.SerializerMethodField()

    class Meta:
        model = Mentorship
        fields = (
            "id",
            "programme",
            "mentor",
            "mentee",
            "status",
            "cadence_days",
            "goals",
            "started_on",
            "ended_on",
            "end_reason",
            "proposal",
            "cadence",
        )
        read_only_fields = fields

    @extend_schema_field(CadenceSerializer)
    def get_cadence(self, mentorship: Mentorship) -> dict[str, Any]:
        """Needs the mentorship loaded through `with_session_counts`."""
        cadence = cadence_from_annotations(mentorship, today=timezone.localdate())
        return shared(CadenceSerializer).to_representation(cadence)

    def to_representation(self, instance: Mentorship) -> dict[str, Any]:
        # The fields above without DRF's walk over them: a list shows twenty or more.
        person = shared(PersonSerializer)
        return {
            "id": instance.pk,
            "programme": instance.programme.slug,
            "mentor": person.to_representation(instance.mentor),
            "mentee": person.to_representation(instance.mentee),
            "status": str(instance.status),
            "cadence_days": instance.cadence_days,
            "goals": instance.goals,
            "started_on": _iso(instance.started_on),
            "ended_on": _iso(instance.ended_on),
            "end_reason": instance.end_reason,
            "proposal": instance.proposal_id,
            "cadence": self.get_cadence(instance),
        }


class MentorshipUpdateSerializer(serializers.Serializer):
    cadence_days = fields.IntegerField(min_value=1, max_value=365, required=False)
    goals = fields.CharField(max_length=4000, required=False, allow_blank=True)


class SessionSerializer(serializers.ModelSerializer):
    """A session as one of the pair sees it: `notes` and `rating` are the caller's own."""

    date = fields.DateField()
    duration_minutes = fields.IntegerField(min_value=1, max_value=600)
    format = serializers.ChoiceField(choices=MeetingFormat.choices)
    topics = fields.UniqueListField(
        child=fields.CharField(max_length=40), max_length=10, required=False, default=list
    )
    notes = fields.CharField(
        max_length=10000,
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Private: only its author ever sees it (null for anyone else).",
    )
    rating = fields.IntegerField(
        min_value=1,
        max_value=5,
        required=False,
        allow_null=True,
        help_text="The caller's own rating of the session, 1-5.",
    )
    logged_by = fields.IntegerField(source="logged_by_id", read_only=True, allow_null=True)

    class Meta:
        model = Session
        fields = (
            "id",
            "mentorship",
            "date",
            "duration_minutes",
            "format",
            "topics",
            "notes",
            "rating",
            "logged_by",
            "created_at",
            "updated_at",
        )
        read_only_fields = ("id", "mentorship", "logged_by", "created_at", "updated_at")

    def to_representation(self, session: Session) -> dict[str, Any]:
        viewer: User = self.context["request"].user
        data = super().to_representation(session)
        data["notes"] = private_notes(session, viewer)
        data["rating"] = own_rating(session, viewer)
        return data


class SessionUpdateSerializer(SessionSerializer):
    date = fields.DateField(required=False)
    duration_minutes = fields.IntegerField(min_value=1, max_value=600, required=False)
    format = serializers.ChoiceField(choices=MeetingFormat.choices, required=False)
    topics = fields.UniqueListField(
        child=fields.CharField(max_length=40), max_length=10, required=False
    )


class IntroductionSerializer(serializers.ModelSerializer):
    introducer = PersonSerializer(read_only=True, allow_null=True)
    contact_member = fields.IntegerField(
        source="contact_member_id",
        min_value=1,
        max_value=MAX_ID,
        required=False,
        allow_null=True,
        default=None,
        help_text="The contact's user id when they are a member of the programme.",
    )
    contact_name = fields.CharField(max_length=120, required=False, allow_blank=True, default="")
    contact_organisation = fields.CharField(
        max_length=120, required=False, allow_blank=True, default=""
    )
    contact_role = fields.CharField(max_length=120, required=False, allow_blank=True, default="")
    network_group = serializers.ChoiceField(choices=NetworkGroup.choices)
    connection_type = serializers.ChoiceField(choices=ConnectionType.choices)
    purpose = fields.CharField(max_length=2000)
    follow_up_on = fields.DateField(required=False, allow_null=True, default=None)
    confirmed = serializers.SerializerMethodField()
    outcome = serializers.ChoiceField(choices=IntroductionOutcome.choices, read_only=True)

    class Meta:
        model = Introduction
        fields = (
            "id",
            "mentorship",
            "introducer",
            *CONTACT_FIELDS,
            "confirmed",
            "confirmed_at",
            "outcome",
            "outcome_note",
            "created_at",
            "updated_at",
        )
        read_only_fields = (
            "id",
            "mentorship",
            "introducer",
            "confirmed_at",
            "outcome",
            "outcome_note",
            "created_at",
            "updated_at",
        )

    def get_confirmed(self, introduction: Introduction) -> bool:
        return introduction.confirmed_at is not None


class IntroductionUpdateSerializer(serializers.Serializer):
    """Follow-up and outcome (introducer side); confirmation and outcome (the mentee)."""

    follow_up_on = fields.DateField(required=False, allow_null=True)
    confirmed = fields.BooleanField(required=False)
    outcome = serializers.ChoiceField(choices=IntroductionOutcome.choices, required=False)
    outcome_note = fields.CharField(max_length=2000, required=False, allow_blank=True)
    contact_name = fields.CharField(max_length=120, required=False, allow_blank=True)
    contact_organisation = fields.CharField(max_length=120, required=False, allow_blank=True)
    contact_role = fields.CharField(max_length=120, required=False, allow_blank=True)
    network_group = serializers.ChoiceField(choices=NetworkGroup.choices, required=False)
    connection_type = serializers.ChoiceField(choices=ConnectionType.choices, required=False)
    purpose = fields.CharField(max_length=2000, required=False)


class EndSerializer(serializers.Serializer):
    reason = fields.CharField(max_length=1000)
