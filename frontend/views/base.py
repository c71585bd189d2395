"""Helpers every page view uses. Views translate HTTP to services and selectors and back."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from mentorship.errors import DomainError
from mentorship.models import User

__all__ = ["acted", "login_required", "partial_or_page", "signed_in"]


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a view behind `login_required`."""
    return cast(User, request.user)


def partial_or_page(request: HttpRequest, page: str, partial: str) -> str:
    """The template for this request: htmx asks for the fragment, a plain browser the page.
    When htmx restores a pushed URL from history (Back), it needs the whole page."""
    htmx = getattr(request, "htmx", None)
    return partial if htmx and not htmx.history_restore_request else page


def acted(request: HttpRequest, error: DomainError | None, *, done: str, to: str) -> HttpResponse:
    """After a button press without a form to redisplay (accept, dismiss, publish): a message
    saying what happened, or why not, then back to `to`. Pressing twice says "already done"."""
    if error is None:
        messages.success(request, done)
    else:
        messages.error(request, error.detail)
    return redirect(to)
