"""Notifications, e-mail preferences, the calendar feed and the coordinators' nudge."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.mentorships import MentorshipSerializer
from api.serializers.notifications import EmailPreferencesSerializer, NotificationSerializer
from api.views.base import ListView, action_view, caller, mentorship_with_cadence, validated
from mentorship.selectors.calendar import feed_owner, sessions_feed
from mentorship.selectors.mentorships import mentorship_for
from mentorship.selectors.notifications import (
    email_preferences,
    notification_for,
    notifications_for,
)
from mentorship.services import engagement, notifications


def _unread(request: Request) -> bool | None:
    value = request.query_params.get("unread")
    if value is None:
        return None
    if value not in ("true", "false"):
        raise exceptions.ValidationError({"unread": ["Use true or false."]})
    return value == "true"


class NotificationListView(ListView):
    """Your notifications, newest first (`?unread=true` for the unread ones)."""

    serializer_class = NotificationSerializer

    def get_queryset(self) -> Any:
        return notifications_for(caller(self.request), unread=_unread(self.request))

    @extend_schema(
        tags=["notifications"],
        parameters=[OpenApiParameter("unread", OpenApiTypes.STR, enum=["true", "false"])],
    )
    def get(self, request: Request) -> Response:
        return self.list(request)


NotificationReadView = action_view(
    doc="Mark one of your notifications as read (reading it again changes nothing).",
    tag="notifications",
    form=None,
    load=notification_for,
    act=lambda user, n, d: notifications.mark_read(actor=user, notification=n),
    respond=lambda user, pk, n: n,
    response=NotificationSerializer,
)


class EmailPreferencesView(APIView):
    """Which notification kinds are also e-mailed to you (every kind is listed, with your
    choice or its default)."""

    @extend_schema(tags=["notifications"], responses=EmailPreferencesSerializer)
    def get(self, request: Request) -> Response:
        return Response(email_preferences(caller(request)))

    @extend_schema(
        tags=["notifications"],
        request=EmailPreferencesSerializer,
        responses=EmailPreferencesSerializer,
    )
    def patch(self, request: Request) -> Response:
        changes = validated(request, EmailPreferencesSerializer, partial=True)
        return Response(
            notifications.update_email_preferences(actor=caller(request), changes=changes)
        )


class SessionsFeedView(APIView):
    """Your sessions and next due sessions as an iCalendar feed, for calendar apps. The secret
    `key` (made and revoked on the calendar page) stands for signing in; a wrong or revoked key
    answers 404."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    error_codes = (400, 404)

    @extend_schema(
        tags=["notifications"],
        auth=[],
        parameters=[OpenApiParameter("key", OpenApiTypes.STR, required=True)],
        responses={
            (200, "text/calendar"): OpenApiResponse(
                OpenApiTypes.STR, description="iCalendar (RFC 5545)"
            )
        },
    )
    def get(self, request: Request) -> HttpResponse:
        user = feed_owner(request.query_params.get("key", ""))
        response = HttpResponse(sessions_feed(user), content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, no-store"
        return response


NudgeView = action_view(
    doc="A coordinator of the pair's programme nudges them to meet (at most once a day).",
    tag="mentorships",
    form=None,
    load=mentorship_for,
    act=lambda user, m, d: engagement.nudge_pair(actor=user, mentorship=m),
    respond=lambda user, pk, _: mentorship_with_cadence(user, pk),
    response=MentorshipSerializer,
)
