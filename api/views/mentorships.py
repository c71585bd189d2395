from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.mentorships import (
    EndSerializer,
    IntroductionSerializer,
    IntroductionUpdateSerializer,
    MentorshipSerializer,
    MentorshipUpdateSerializer,
    SessionSerializer,
    SessionUpdateSerializer,
)
from api.views.base import (
    IDEMPOTENCY_KEY,
    ListView,
    action_view,
    caller,
    choice_param,
    idempotency_key,
    mentorship_with_cadence,
    validated,
)
from mentorship.models import Mentorship, MentorshipStatus, User
from mentorship.selectors.cadence import with_session_counts
from mentorship.selectors.mentorships import (
    introduction_for,
    introductions_for,
    mentorship_for,
    mentorships_for,
    session_for,
    sessions_for,
)
from mentorship.services import mentorships


class MentorshipListView(ListView):
    """Your mentorships as mentor or mentee; coordinators see their programmes'."""

    serializer_class = MentorshipSerializer

    def get_queryset(self) -> Any:
        status_filter = choice_param(self.request, "status", MentorshipStatus.values)
        mentorships_qs = with_session_counts(
            mentorships_for(caller(self.request), status=status_filter)
        )
        programme = self.request.query_params.get("programme")
        if programme:
            mentorships_qs = mentorships_qs.filter(programme__slug=programme)
        return mentorships_qs.order_by("-started_on", "-pk")

    @extend_schema(
        tags=["mentorships"],
        parameters=[
            OpenApiParameter("status", str, enum=MentorshipStatus.values),
            OpenApiParameter("programme", str, description="A programme slug."),
        ],
    )
    def get(self, request: Request) -> Response:
        return self.list(request)


class MentorshipDetailView(APIView):
    error_codes = (409,)  # changing a closed mentorship

    @extend_schema(tags=["mentorships"], responses=MentorshipSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(MentorshipSerializer(mentorship_with_cadence(caller(request), pk)).data)

    @extend_schema(
        tags=["mentorships"], request=MentorshipUpdateSerializer, responses=MentorshipSerializer
    )
    def patch(self, request: Request, pk: int) -> Response:
        mentorship = mentorship_for(caller(request), pk)
        data = validated(request, MentorshipUpdateSerializer, partial=True)
        mentorships.update_mentorship(actor=caller(request), mentorship=mentorship, **data)
        return Response(MentorshipSerializer(mentorship_with_cadence(caller(request), pk)).data)


def mentorship_action(
    *,
    doc: str,
    form: type[serializers.Serializer] | None,
    act: Callable[[User, Mentorship, dict[str, Any]], Any],
) -> type[APIView]:
    """One POST endpoint applying one mentorship service."""
    return action_view(
        doc=doc,
        tag="mentorships",
        form=form,
        load=mentorship_for,
        act=act,
        respond=lambda user, pk, _: mentorship_with_cadence(user, pk),
        response=MentorshipSerializer,
    )


PauseView = mentorship_action(
    doc="Pause (the pair or a coordinator). The mentor's place stays taken.",
    form=None,
    act=lambda user, m, d: mentorships.pause_mentorship(actor=user, mentorship=m),
)
ResumeView = mentorship_action(
    doc="Resume a paused mentorship.",
    form=None,
    act=lambda user, m, d: mentorships.resume_mentorship(actor=user, mentorship=m),
)
CompleteView = mentorship_action(
    doc="Complete: the pair reached its goals; the mentor's place is freed.",
    form=None,
    act=lambda user, m, d: mentorships.complete_mentorship(actor=user, mentorship=m),
)
EndView = mentorship_action(
    doc="End early with a reason (the pair or a coordinator).",
    form=EndSerializer,
    act=lambda user, m, d: mentorships.end_mentorship(actor=user, mentorship=m, reason=d["reason"]),
)


class SessionListView(ListView):
    """Sessions of a mentorship. Either of the pair logs one; notes and rating are private.
    Send an `Idempotency-Key` to make retries safe: the same key returns the first session."""

    serializer_class = SessionSerializer
    error_codes = (409,)  # an Idempotency-Key reused for another request

    def get_queryset(self) -> Any:
        mentorship = mentorship_for(caller(self.request), self.kwargs["pk"])
        return sessions_for(caller(self.request), mentorship).order_by("-date", "-pk")

    @extend_schema(tags=["mentorships"])
    def get(self, request: Request, pk: int) -> Response:
        return self.list(request)

    @extend_schema(
        tags=["mentorships"],
        request=SessionSerializer,
        responses={201: SessionSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    def post(self, request: Request, pk: int) -> Response:
        mentorship = mentorship_for(caller(request), pk)
        data = validated(request, SessionSerializer)
        session = mentorships.log_session(
            actor=caller(request),
            mentorship=mentorship,
            idempotency_key=idempotency_key(request),
            **data,
        )
        return Response(self.get_serializer(session).data, status=status.HTTP_201_CREATED)


class SessionDetailView(APIView):
    @extend_schema(tags=["mentorships"], responses=SessionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            SessionSerializer(session_for(caller(request), pk), context={"request": request}).data
        )

    @extend_schema(
        tags=["mentorships"], request=SessionUpdateSerializer, responses=SessionSerializer
    )
    def patch(self, request: Request, pk: int) -> Response:
        session = session_for(caller(request), pk)
        data = validated(request, SessionUpdateSerializer, partial=True)
        session = mentorships.update_session(actor=caller(request), session=session, **data)
        return Response(SessionSerializer(session, context={"request": request}).data)

    @extend_schema(tags=["mentorships"], responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        mentorships.delete_session(actor=caller(request), session=session_for(caller(request), pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _introduction_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The body's `contact_member` (a user id) under the service's name for it."""
    data = dict(data)
    if "contact_member_id" in data:
        data["contact_member"] = data.pop("contact_member_id")
    return data


class IntroductionListView(ListView):
    """Introductions the mentor (or a coordinator) made for the mentee. Send an
    `Idempotency-Key` to make retries safe: the same key returns the first introduction."""

    serializer_class = IntroductionSerializer
    error_codes = (409,)

    def get_queryset(self) -> Any:
        mentorship = mentorship_for(caller(self.request), self.kwargs["pk"])
        return introductions_for(caller(self.request), mentorship).order_by("-created_at", "-pk")

    @extend_schema(tags=["mentorships"])
    def get(self, request: Request, pk: int) -> Response:
        return self.list(request)

    @extend_schema(
        tags=["mentorships"],
        request=IntroductionSerializer,
        responses={201: IntroductionSerializer},
        parameters=[IDEMPOTENCY_KEY],
    )
    def post(self, request: Request, pk: int) -> Response:
        mentorship = mentorship_for(caller(request), pk)
        data = validated(request, IntroductionSerializer)
        introduction = mentorships.record_introduction(
            actor=caller(request),
            mentorship=mentorship,
            idempotency_key=idempotency_key(request),
            **_introduction_fields(data),
        )
        return Response(IntroductionSerializer(introduction).data, status=status.HTTP_201_CREATED)


class IntroductionDetailView(APIView):
    @extend_schema(tags=["mentorships"], responses=IntroductionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(IntroductionSerializer(introduction_for(caller(request), pk)).data)

    @extend_schema(
        tags=["mentorships"], request=IntroductionUpdateSerializer, responses=IntroductionSerializer
    )
    def patch(self, request: Request, pk: int) -> Response:
        introduction = introduction_for(caller(request), pk)
        data = validated(request, IntroductionUpdateSerializer, partial=True)
        introduction = mentorships.update_introduction(
            actor=caller(request), introduction=introduction, **data
        )
        return Response(IntroductionSerializer(introduction).data)
