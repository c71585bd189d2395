from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.serializers.common import shared
from api.serializers.profiles import PersonalitySerializer, ProfileSerializer
from api.views.base import caller, validated
from mentorship.errors import NotFound
from mentorship.models import Personality
from mentorship.selectors.programmes import own_profile
from mentorship.services import profiles


def _profile_changes(data: dict[str, Any]) -> dict[str, Any]:
    """Map the API's field names onto the profile service's."""
    changes = dict(data)
    changes.update(changes.pop("user", {}))  # first_name, last_name
    for field in ("capacity", "accepting_mentees"):
        if changes.get(field, 0) is None:
            del changes[field]
    return changes


class ProfileView(APIView):
    """Your own profile, with the field names of the matching engine's profile line."""

    error_codes = (401, 403)

    @extend_schema(tags=["me"], responses=ProfileSerializer)
    def get(self, request: Request) -> Response:
        return Response(shared(ProfileSerializer).to_representation(own_profile(caller(request))))

    @extend_schema(tags=["me"], request=ProfileSerializer, responses=ProfileSerializer)
    def patch(self, request: Request) -> Response:
        data = validated(request, ProfileSerializer, partial=True)
        profiles.update_profile(actor=caller(request), **_profile_changes(data))
        return Response(shared(ProfileSerializer).to_representation(own_profile(caller(request))))


class PersonalityView(APIView):
    """Your answers to the 10-item personality questionnaire, kept only with your consent."""

    error_codes = (401, 403, 404)

    def _own(self, request: Request) -> Personality:
        personality = Personality.objects.filter(profile__user=caller(request)).first()
        if personality is None:
            raise NotFound("You have not answered the questionnaire.")
        return personality

    @extend_schema(tags=["me"], responses=PersonalitySerializer)
    def get(self, request: Request) -> Response:
        return Response(PersonalitySerializer(self._own(request)).data)

    @extend_schema(tags=["me"], request=PersonalitySerializer, responses=PersonalitySerializer)
    def put(self, request: Request) -> Response:
        data = validated(request, PersonalitySerializer)
        personality = profiles.save_personality(
            actor=caller(request),
            answers=data["answers"],
            consent=data["consent"],
        )
        return Response(PersonalitySerializer(personality).data)

    @extend_schema(tags=["me"], responses={204: None})
    def delete(self, request: Request) -> Response:
        profiles.withdraw_personality(actor=caller(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
