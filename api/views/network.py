"""The network plan: the owner's contacts and touchpoints, the share flag, and the summary its
owner (and their mentor, while shared) reads."""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.network import (
    ContactCreateSerializer,
    ContactSerializer,
    ContactUpdateSerializer,
    PlanSerializer,
    PlanUpdateSerializer,
    SummarySerializer,
    TouchpointSerializer,
    summary_data,
)
from api.views.base import ListView, caller, choice_param, validated
from mentorship.selectors.mentorships import mentorship_for
from mentorship.selectors.network import (
    contact_for,
    contacts_for,
    own_summary,
    plan_of,
    plan_programme,
    shared_summary,
    touchpoints_for,
)
from mentorship.services import network

TAG = "network"
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PROGRAMME_PARAM = OpenApiParameter(
    "programme",
    str,
    pattern=rf"^{SLUG.pattern}$",
    allow_blank=False,
    description="A programme's slug; needed only by a mentee of several programmes.",
)


def _programme_param(request: Request) -> str | None:
    value = request.query_params.get("programme")
    if value is not None and not SLUG.fullmatch(value):
        raise exceptions.ValidationError(
            {"programme": ["Give a programme's slug, or leave it out."]}
        )
    return value


def _contact(request: Request, pk: int) -> Any:
    return ContactSerializer(contact_for(caller(request), pk)).data


class ContactListView(ListView):
    """Your network plan's contacts (active ones; `?archived=true` for the archived)."""

    serializer_class = ContactSerializer

    def get_queryset(self) -> Any:
        archived = choice_param(self.request, "archived", ("true", "false")) == "true"
        contacts = contacts_for(caller(self.request), archived=archived)
        slug = _programme_param(self.request)
        return contacts.filter(plan__programme__slug=slug) if slug else contacts

    @extend_schema(
        tags=[TAG],
        parameters=[
            PROGRAMME_PARAM,
            OpenApiParameter("archived", str, enum=["true", "false"]),
        ],
    )
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(tags=[TAG], request=ContactCreateSerializer, responses={201: ContactSerializer})
    def post(self, request: Request) -> Response:
        data = validated(request, ContactCreateSerializer)
        contact = network.add_contact(actor=caller(request), **data)
        return Response(_contact(request, contact.pk), status=status.HTTP_201_CREATED)


class ContactDetailView(APIView):
    """One contact of your plan. DELETE archives it (its touchpoints are kept)."""

    error_codes = (409,)  # changing an archived contact

    @extend_schema(tags=[TAG], responses=ContactSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(_contact(request, pk))

    @extend_schema(tags=[TAG], request=ContactUpdateSerializer, responses=ContactSerializer)
    def patch(self, request: Request, pk: int) -> Response:
        contact = contact_for(caller(request), pk)
        data = validated(request, ContactUpdateSerializer, partial=True)
        network.update_contact(actor=caller(request), contact=contact, **data)
        return Response(_contact(request, pk))

    @extend_schema(tags=[TAG], responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        network.archive_contact(actor=caller(request), contact=contact_for(caller(request), pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ContactRestoreView(APIView):
    """Put an archived contact back on your active list."""

    @extend_schema(tags=[TAG], request=None, responses=ContactSerializer)
    def post(self, request: Request, pk: int) -> Response:
        network.restore_contact(actor=caller(request), contact=contact_for(caller(request), pk))
        return Response(_contact(request, pk))


class TouchpointListView(ListView):
    """Touchpoints with one of your contacts; log one (the first with an introduced contact
    confirms the introduction)."""

    serializer_class = TouchpointSerializer
    error_codes = (409,)  # an archived contact

    def get_queryset(self) -> Any:
        contact = contact_for(caller(self.request), self.kwargs["pk"])
        return touchpoints_for(caller(self.request), contact)

    @extend_schema(tags=[TAG])
    def get(self, request: Request, pk: int) -> Response:
        return self.list(request)

    @extend_schema(tags=[TAG], request=TouchpointSerializer, responses={201: TouchpointSerializer})
    def post(self, request: Request, pk: int) -> Response:
        contact = contact_for(caller(request), pk)
        data = validated(request, TouchpointSerializer)
        touchpoint = network.log_touchpoint(actor=caller(request), contact=contact, **data)
        return Response(TouchpointSerializer(touchpoint).data, status=status.HTTP_201_CREATED)


class PlanView(APIView):
    """Your network plan's share flag: off by default; on, your mentor sees its summary."""

    error_codes = (400,)  # a programme you are not a mentee of

    @extend_schema(tags=[TAG], parameters=[PROGRAMME_PARAM], responses=PlanSerializer)
    def get(self, request: Request) -> Response:
        programme = plan_programme(caller(request), _programme_param(request))
        return Response(PlanSerializer(plan_of(caller(request), programme)).data)

    @extend_schema(tags=[TAG], request=PlanUpdateSerializer, responses=PlanSerializer)
    def patch(self, request: Request) -> Response:
        data = validated(request, PlanUpdateSerializer)
        plan = network.share_plan(actor=caller(request), **data)
        return Response(PlanSerializer(plan).data)


class SummaryView(APIView):
    """Your plan's coverage by network group and connection type, thin spots, due and overdue
    contacts (each with a way to offer value), and the plan in plain words."""

    error_codes = (400,)  # a programme you are not a mentee of

    @extend_schema(tags=[TAG], parameters=[PROGRAMME_PARAM], responses=SummarySerializer)
    def get(self, request: Request) -> Response:
        summary = own_summary(caller(request), _programme_param(request))
        return Response(summary_data(summary))


class MentorshipNetworkView(APIView):
    """The mentee's plan summary for the pair: the mentee always, the mentor while the mentee
    shares it (404 otherwise); never coordinators, who see aggregates only."""

    @extend_schema(tags=[TAG], responses=SummarySerializer)
    def get(self, request: Request, pk: int) -> Response:
        user = caller(request)
        return Response(summary_data(shared_summary(user, mentorship_for(user, pk))))
