"""The mentee pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path


def placeholder(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    """placeholder: replaced by the area's real views."""
    return HttpResponse("placeholder")


urlpatterns = [
    path("profile/", placeholder, name="profile"),
    path("profile/questionnaire/", placeholder, name="questionnaire"),
    path("find-a-mentor/", placeholder, name="find-mentor"),
    path("requests/", placeholder, name="my-requests"),
]
