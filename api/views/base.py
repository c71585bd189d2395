from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from rest_framework import exceptions, generics
from rest_framework.request import Request

from mentorship.models import User


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
