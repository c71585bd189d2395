from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mentorship.models import Mentorship, User
from mentorship.selectors.cadence import with_session_counts
from mentorship.selectors.mentorships import mentorship_for, mentorships_for
from mentorship.services.idempotency import HEADER, KEY_PATTERN

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    {"type": "string", "pattern": KEY_PATTERN, "minLength": 1, "maxLength": 255},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Makes a retry safe: a request repeating a key you used in the last 24 hours returns "
        "what the first one created instead of a duplicate (409 if the key was used for a "
        "different request). A UUID is a good key."
    ),
)


def idempotency_key(request: Request) -> str | None:
    return request.headers.get(HEADER)


def caller(request: Request) -> User:
    """The signed-in user; every view requiring authentication has already checked there is one."""
    return cast(User, request.user)


def choice_param(request: Request, name: str, choices: Sequence[str]) -> str | None:
    """A query parameter restricted to `choices`; absent → None, anything else → 400."""
    value = request.query_params.get(name)
    if value is None:
        return None
    if value not in choices:
        raise exceptions.ValidationError({name: [f"Use one of: {', '.join(choices)}."]})
    return value


class ListView(generics.ListAPIView):
    """A paginated list whose items come from `get_queryset()` (a selector)."""


def validated(
    request: Request, form: type[serializers.Serializer], *, partial: bool = False
) -> dict[str, Any]:
    """The request body as checked by `form`; a 400 naming the bad fields otherwise."""
    bound = form(data=request.data, partial=partial, context={"request": request})
    bound.is_valid(raise_exception=True)
    return dict(bound.validated_data)


def mentorship_with_cadence(user: User, pk: int) -> Mentorship:
    """The caller's mentorship `pk` (404 outside their reach) with its session counts."""
    mentorship_for(user, pk)
    return with_session_counts(mentorships_for(user)).get(pk=pk)


def action_view(
    *,
    doc: str,
    tag: str,
    form: type[serializers.Serializer] | None,
    load: Callable[[User, int], Any],
    act: Callable[[User, Any, dict[str, Any]], Any],
    respond: Callable[[User, int, Any], Any],
    response: type[serializers.Serializer],
) -> type[APIView]:
    """One POST endpoint applying one service: `load` the caller's object (404 outside their
    reach), check the body with `form` (when the action takes one), `act`, then answer with
    `respond(user, pk, what act returned)` serialised by `response`."""

    class ActionView(APIView):
        __doc__ = doc
        error_codes = (409,)  # an illegal transition

        @extend_schema(tags=[tag], request=form, responses=response)
        def post(self, request: Request, pk: int) -> Response:
            user = caller(request)
            obj = load(user, pk)
            result = act(user, obj, validated(request, form) if form is not None else {})
            return Response(response(respond(user, pk, result), context={"request": request}).data)

    return ActionView
