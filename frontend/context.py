"""Template context every page gets: who is signed in, in which roles and programmes."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from mentorship.models import User
from mentorship.selectors.navigation import places_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    user = cast(User, request.user)
    return {"places": SimpleLazyObject(lambda: places_of(user))}
