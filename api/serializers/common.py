from __future__ import annotations

import functools
from typing import Any, TypeVar

from rest_framework import serializers

from api import fields
from mentorship.models import Position, User
from mentorship.privacy import note_read
from mentorship.services.profiles import format_month
from mentorship.taxonomy import MeetingFormat

MAX_TEXT = 4000


S = TypeVar("S", bound=serializers.BaseSerializer)


@functools.cache
def shared(serializer_class: type[S]) -> S:
    """One unbound instance of a serializer that needs no context, for output only: its fields
    are built once per process, where `Serializer(obj).data` deep-copies them on every call.
    Use as `shared(CadenceSerializer).to_representation(obj)`."""
    return serializer_class()


class ErrorSerializer(serializers.Serializer):
    error = fields.CharField(help_text="A stable machine-readable code, e.g. `capacity_reached`.")
    detail = fields.CharField(help_text="What went wrong, in words a person can act on.")
    # DRF's metaclass moves declared fields off the class, so this does not shadow `.fields`.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=fields.CharField()),
        required=False,
        help_text="Per input field, what is wrong with it.",
    )


MONTH = r"^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$"  # YYYY-MM, 1900 to 2099


class PositionSerializer(serializers.Serializer):
    title = fields.CharField(max_length=120)
    organisation = fields.CharField(max_length=120, required=False, allow_blank=True, default="")
    industry = fields.CharField(max_length=80, required=False, allow_blank=True, default="")
    start = fields.RegexField(MONTH, help_text="YYYY-MM")
    end = fields.RegexField(
        MONTH,
        required=False,
        allow_null=True,
        default=None,
        help_text="YYYY-MM, or null while the role continues",
    )
    summary = fields.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def to_representation(self, instance: Position) -> dict[str, Any]:
        return {
            "title": instance.title,
            "organisation": instance.organisation,
            "industry": instance.industry,
            "start": format_month(instance.start),
            "end": format_month(instance.end),
            "summary": instance.summary,
        }


class PersonSerializer(serializers.Serializer):
    """Who someone is, for the other side of a pairing: never their questionnaire."""

    id = fields.IntegerField()
    username = fields.CharField()
    name = fields.CharField(source="display_name")

    def to_representation(self, instance: User) -> dict[str, Any]:
        # The fields above, without DRF's walk over them: lists show dozens of people.
        return {"id": instance.pk, "username": instance.username, "name": instance.display_name}


def _profile(user: User) -> Any:
    return getattr(user, "profile", None)


class MemberSummarySerializer(PersonSerializer):
    headline = serializers.SerializerMethodField()
    seniority = serializers.SerializerMethodField()
    topics = serializers.SerializerMethodField()
    positions = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    timezone = serializers.SerializerMethodField()
    formats = serializers.SerializerMethodField()

    topics_field = "topics_wanted"
    # Whoever sees a mentee's summary reads it as their (prospective) mentor or coordinator:
    # audited. A mentor's summary is shown to mentees too: audited for coordinators only.
    reads_audited_always = True

    def get_headline(self, user: User) -> str:
        return _profile(user).headline if _profile(user) else ""

    def get_seniority(self, user: User) -> int | None:
        return _profile(user).seniority if _profile(user) else None

    def get_topics(self, user: User) -> list[str]:
        return list(getattr(_profile(user), self.topics_field, []) or [])

    def get_positions(self, user: User) -> list[dict[str, Any]]:
        profile = _profile(user)
        if profile is None:
            return []
        note_read(subject_id=user.pk, field="career_history", always=self.reads_audited_always)
        return [shared(PositionSerializer).to_representation(p) for p in profile.positions.all()]

    def get_languages(self, user: User) -> list[str]:
        return list(_profile(user).languages) if _profile(user) else []

    def get_timezone(self, user: User) -> str:
        return _profile(user).timezone if _profile(user) else "UTC"

    def get_formats(self, user: User) -> list[str]:
        return list(_profile(user).formats) if _profile(user) else []

    def to_representation(self, instance: User) -> dict[str, Any]:
        # The fields above (the get_ methods give the schema its types), without DRF's walk.
        return {
            **super().to_representation(instance),
            "headline": self.get_headline(instance),
            "seniority": self.get_seniority(instance),
            "topics": self.get_topics(instance),
            "positions": self.get_positions(instance),
            "languages": self.get_languages(instance),
            "timezone": self.get_timezone(instance),
            "formats": self.get_formats(instance),
        }


class MentorSummarySerializer(MemberSummarySerializer):
    """A mentor as mentees and coordinators see them: topics are what they offer."""

    topics_field = "topics_offered"
    reads_audited_always = False


class MenteeSummarySerializer(MemberSummarySerializer):
    """A mentee as their (prospective) mentor sees them: a profile summary, topics wanted."""

    topics_field = "topics_wanted"


FORMAT_CHOICES = MeetingFormat.choices
