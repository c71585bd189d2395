"""The error pages in the site's look (also the handlers of the root URLconf)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string

TITLES = {
    403: "You cannot open this page",
    404: "We could not find that page",
    500: "Something went wrong on our side",
}


def error_page(request: HttpRequest, status: int) -> HttpResponse:
    """Rendered without the navigation's database reads when the error is our own fault, so a
    broken database still gets a page."""
    context = {"status": status, "title": TITLES[status], "plain": status == 500}
    html: str
    try:
        html = render_to_string(f"frontend/errors/{status}.html", context, request=request)
    except Exception:  # the error page itself must not fail
        html = f"<!doctype html><title>{TITLES[status]}</title><h1>{TITLES[status]}</h1>"
    return HttpResponse(html, status=status)


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path no page answers (the last pattern of the pages' URLconf)."""
    raise Http404


def handler403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403)


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 404)


def handler500(request: HttpRequest) -> HttpResponse:
    return error_page(request, 500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent from a stale page (or another site): the 403 page says to reload and retry."""
    return error_page(request, 403)
