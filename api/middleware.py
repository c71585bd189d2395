"""The API's answers, whatever produced them: errors in the one JSON shape and never cached.

DRF's exception handler (api/errors.py) shapes the errors of API views. This middleware covers
the rest: an exception outside DRF's handling, or an HTML error page from Django itself (a body
over DATA_UPLOAD_MAX_MEMORY_SIZE read before the view, a host or CSRF check), under /api/.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

from api.errors import SERVER_ERROR, body

logger = logging.getLogger("django.request")

API = "/api/"
# Public, identical for everyone: the schema and its documentation pages may be cached.
PUBLIC = ("/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/")
EXPECTED = (Http404, PermissionDenied, SuspiciousOperation, BadRequest)
STATUS_CODES = {
    400: ("bad_request", "The request could not be read."),
    401: ("not_authenticated", "Authentication credentials were not provided."),
    403: ("permission_denied", "You do not have permission to perform this action."),
    404: ("not_found", "No such endpoint."),
    405: ("method_not_allowed", "Method not allowed."),
    413: ("too_large", "The request body is too large."),
    500: SERVER_ERROR,
}


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API)


def json_error(status: int) -> JsonResponse:
    code, detail = STATUS_CODES.get(status, ("error", "The request failed."))
    if status >= 500 and status not in STATUS_CODES:
        code, detail = SERVER_ERROR
    return JsonResponse(body(code, detail), status=status)


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api(request):
            return response
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith("application/json"):
            replaced = json_error(response.status_code)
            for header in ("Retry-After", "WWW-Authenticate", "Allow", "X-Request-ID"):
                if header in response:
                    replaced[header] = response[header]
            response = replaced
        if not request.path.startswith(PUBLIC):
            # Every other answer is about the caller (or hands out a token): never stored.
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, private"
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """An exception escaping an API view that is not DRF's (DRF's handler shapes its own)."""
        if not is_api(request) or isinstance(exception, EXPECTED):
            return None  # Django answers these with a 4xx page, made JSON on the way out
        logger.error(
            "Internal Server Error: %s",
            request.path,
            exc_info=exception,
            extra={"status_code": 500, "request": request},
        )
        return json_error(500)
