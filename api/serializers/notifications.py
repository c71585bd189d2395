from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerExtension
from rest_framework import serializers

from api import fields
from mentorship.models import Notification
from mentorship.notification_kinds import KINDS


class NotificationSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=list(KINDS), read_only=True)
    read = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="The page where you act on it.")

    class Meta:
        model = Notification
        fields = ("id", "kind", "title", "body", "url", "created_at", "read", "read_at")
        read_only_fields = fields

    def get_read(self, notification: Notification) -> bool:
        return notification.is_read

    def get_url(self, notification: Notification) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(notification.link) if request else notification.link


class EmailPreferencesSerializer(serializers.Serializer):
    """Per notification kind, whether it is also e-mailed to you. PATCH any subset; a kind that
    does not exist is refused (400, naming it)."""

    def get_fields(self) -> dict[str, Any]:
        return {
            kind: fields.BooleanField(required=False, help_text=f"{spec.label} ({spec.when}).")
            for kind, spec in KINDS.items()
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = (
            sorted(set(self.initial_data) - set(KINDS))
            if isinstance(self.initial_data, dict)
            else []
        )
        if unknown:
            raise serializers.ValidationError(
                {kind: [f"Unknown notification kind {kind!r}."] for kind in unknown}
            )
        return attrs


class EmailPreferencesExtension(OpenApiSerializerExtension):
    """Document that no other key is allowed (the API refuses unknown kinds)."""

    target_class = EmailPreferencesSerializer

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        schema: dict[str, Any] = auto_schema._map_basic_serializer(self.target, direction)
        schema["additionalProperties"] = False
        return schema
