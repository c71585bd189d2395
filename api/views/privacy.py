"""A person's data over the API: export all of it, erase one's account, and a coordinator's
erasure of a member (mentorship/services/privacy.py)."""

from __future__ import annotations

from django.contrib.auth import logout
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api import fields
from api.views.base import caller, validated
from mentorship.privacy import EXPORT_FORMAT
from mentorship.selectors.programmes import programme_for
from mentorship.services import auth
from mentorship.services import privacy as privacy_services


class PasswordSerializer(serializers.Serializer):
    password = fields.CharField(
        max_length=128,
        style={"input_type": "password"},
        help_text="The caller's own password, to confirm.",
    )


class ExportView(APIView):
    """All your data as one JSON document: your account, profile and career history,
    questionnaire, memberships, match requests, proposals, mentorships, sessions with your own
    notes and ratings, introductions, and the audit events about you (more categories as the
    platform grows). Nothing about other people beyond what you already see."""

    @extend_schema(
        tags=["me"],
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description=f'`{{"format": "{EXPORT_FORMAT}", "exported_at", <category>: …}}`',
            )
        },
    )
    def get(self, request: Request) -> Response:
        return Response(privacy_services.export_data(actor=caller(request)))


class EraseView(APIView):
    """Erase your account: personal data deleted or pseudonymised everywhere, your tokens and
    sessions ended, the other side's records kept as those of a "Former participant". There is
    no undo. 400 with a wrong password; 409 if a programme would be left without a coordinator."""

    error_codes = (409, 429)

    @extend_schema(tags=["me"], request=PasswordSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        data = validated(request, PasswordSerializer)
        privacy_services.erase_myself(
            actor=caller(request),
            password=data["password"],
            address=auth.client_address(request),
        )
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MemberEraseView(APIView):
    """A coordinator erases a member of their programme at the member's request, confirming with
    their own password (audited). Members of other programmes too, and staff, are erased by an
    administrator (403)."""

    error_codes = (409, 429)

    @extend_schema(tags=["coordination"], request=PasswordSerializer, responses={204: None})
    def post(self, request: Request, slug: str, pk: int) -> Response:
        programme = programme_for(caller(request), slug)
        data = validated(request, PasswordSerializer)
        privacy_services.erase_member(
            actor=caller(request),
            programme=programme,
            person_id=pk,
            password=data["password"],
            address=auth.client_address(request),
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
