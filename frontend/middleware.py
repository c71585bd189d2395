"""The pages' middleware: friendly error pages and no caching of personal pages.

Applies to the pages only: the API answers its own JSON errors and the admin keeps Django's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import BadRequest, SuspiciousOperation
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import add_never_cache_headers

from frontend.views.errors import error_page
from mentorship import errors

logger = logging.getLogger("frontend")
BAD_REQUESTS = (MultiPartParserError, BadRequest, SuspiciousOperation)
NOT_PAGES = ("/api/", "/admin/", "/static/", "/health/")


def is_page(request: HttpRequest) -> bool:
    return not request.path.startswith(NOT_PAGES)


class PagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_page(request) and request.user.is_authenticated:
            # Pages of a signed-in person carry their data: never kept by a browser or a proxy.
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """The site's own 404, 403 and 500 pages, with DEBUG on as well (instead of Django's
        technical pages, which list every URL); the traceback of a 500 goes to the log."""
        if not is_page(request) or isinstance(exception, BAD_REQUESTS):
            return None  # Django answers a body it cannot read with a 400
        if isinstance(exception, Http404 | errors.NotFound):
            return error_page(request, 404)
        if isinstance(exception, DjangoPermissionDenied | errors.PermissionDenied):
            return error_page(request, 403)
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"request": request},
        )
        return error_page(request, 500)
