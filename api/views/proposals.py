from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.common import shared
from api.serializers.matching import (
    AcceptProposalSerializer,
    MatchRequestCreateSerializer,
    MatchRequestSerializer,
    ProposalSerializer,
    ReasonSerializer,
    RequestProposalSerializer,
)
from api.serializers.mentorships import MentorshipSerializer
from api.views.base import (
    ListView,
    action_view,
    caller,
    choice_param,
    mentorship_with_cadence,
    validated,
)
from mentorship.models import ProposalStatus, User
from mentorship.selectors.programmes import programme_for
from mentorship.selectors.proposals import (
    match_request_for,
    match_requests_for,
    proposal_for,
    proposals_for,
    with_shortlist,
)
from mentorship.services import proposals

PROPOSAL_PREFETCH = ("mentor__profile__positions", "mentee__profile__positions")


class MatchRequestListView(ListView):
    """Ask for matches: the programme's eligible mentors ranked for you, with reasons."""

    serializer_class = MatchRequestSerializer
    error_codes = (404, 409)  # no such programme; already has a mentor

    def get_queryset(self) -> Any:
        return match_requests_for(caller(self.request))

    @extend_schema(tags=["matching"])
    def get(self, request: Request) -> Response:
        return self.list(request)

    @extend_schema(
        tags=["matching"],
        request=MatchRequestCreateSerializer,
        responses={201: MatchRequestSerializer},
    )
    def post(self, request: Request) -> Response:
        data = validated(request, MatchRequestCreateSerializer)
        programme = programme_for(caller(request), data["programme"])
        match_request = proposals.create_match_request(actor=caller(request), programme=programme)
        return Response(
            shared(MatchRequestSerializer).to_representation(with_shortlist(match_request)),
            status=status.HTTP_201_CREATED,
        )


class MatchRequestDetailView(APIView):
    @extend_schema(tags=["matching"], responses=MatchRequestSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(MatchRequestSerializer(match_request_for(caller(request), pk)).data)


class ProposalListView(ListView):
    """Proposals visible to you: your suggestions and requests, those sent to you as mentor,
    and (coordinators) all of your programmes'."""

    serializer_class = ProposalSerializer

    def get_queryset(self) -> Any:
        status_filter = choice_param(self.request, "status", ProposalStatus.values)
        programme = self.request.query_params.get("programme")
        return proposals_for(
            caller(self.request),
            status=status_filter,
            programme=programme_for(caller(self.request), programme) if programme else None,
        ).prefetch_related(*PROPOSAL_PREFETCH)

    @extend_schema(
        tags=["matching"],
        parameters=[
            OpenApiParameter("status", str, enum=ProposalStatus.values),
            OpenApiParameter("programme", str, description="A programme slug."),
        ],
    )
    def get(self, request: Request) -> Response:
        return self.list(request)


class ProposalDetailView(APIView):
    @extend_schema(tags=["matching"], responses=ProposalSerializer)
    def get(self, request: Request, pk: int) -> Response:
        return Response(ProposalSerializer(proposal_for(caller(request), pk)).data)


def proposal_action(
    *,
    doc: str,
    form: type[serializers.Serializer] | None,
    act: Callable[[User, Any, dict[str, Any]], Any],
    returns_mentorship: bool = False,
) -> type[APIView]:
    """One POST endpoint applying one proposal service; accepting answers with the mentorship."""

    def respond(user: User, pk: int, result: Any) -> Any:
        if returns_mentorship:
            return mentorship_with_cadence(user, result.pk)
        return proposal_for(user, pk)

    return action_view(
        doc=doc,
        tag="matching",
        form=form,
        load=proposal_for,
        act=act,
        respond=respond,
        response=MentorshipSerializer if returns_mentorship else ProposalSerializer,
    )


RequestView = proposal_action(
    doc="Send this suggestion to the mentor as a request, with a message (mentee).",
    form=RequestProposalSerializer,
    act=lambda user, p, d: proposals.request_proposal(actor=user, proposal=p, message=d["message"]),
)
DismissView = proposal_action(
    doc="Not interested: the mentor is not suggested to you again (mentee).",
    form=None,
    act=lambda user, p, d: proposals.dismiss_proposal(actor=user, proposal=p),
)
WithdrawView = proposal_action(
    doc="Take back a suggestion or an unanswered request (mentee).",
    form=None,
    act=lambda user, p, d: proposals.withdraw_proposal(actor=user, proposal=p),
)
AcceptView = proposal_action(
    doc="Accept the request: the mentorship starts (mentor). 409 at capacity or once answered.",
    form=AcceptProposalSerializer,
    act=lambda user, p, d: proposals.accept_proposal(actor=user, proposal=p, **d),
    returns_mentorship=True,
)
DeclineView = proposal_action(
    doc="Decline the request, saying why (mentor). 409 if already answered.",
    form=ReasonSerializer,
    act=lambda user, p, d: proposals.decline_proposal(actor=user, proposal=p, reason=d["reason"]),
)
