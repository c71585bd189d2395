"""The one exception handler: every error of the API is `{"error", "detail", "fields"?}`.

Domain errors raised by services and selectors are translated here, once, to HTTP. Anything else
is a bug: logged with its traceback, answered with a generic 500 in the same shape (never the
traceback), and the request's transaction, if any, is rolled back.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, JsonResponse, UnreadablePostError
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from mentorship import errors

logger = logging.getLogger("django.request")
SERVER_ERROR = (
    "server_error",
    "Something went wrong on our side. It has been logged; please try again later.",
)


class BodyTooLarge(exceptions.ParseError):
    """A request body over DATA_UPLOAD_MAX_MEMORY_SIZE: refused before it is parsed."""


class TooDeeplyNested(exceptions.ParseError):
    """JSON nested deeper than any of our documents, refused before it is parsed."""


DOMAIN_STATUS: dict[type[errors.DomainError], int] = {
    errors.NotFound: status.HTTP_404_NOT_FOUND,
    errors.PermissionDenied: status.HTTP_403_FORBIDDEN,
    errors.ValidationFailed: status.HTTP_400_BAD_REQUEST,
    errors.InvalidTransition: status.HTTP_409_CONFLICT,
    errors.CapacityReached: status.HTTP_409_CONFLICT,
    errors.Conflict: status.HTTP_409_CONFLICT,
    errors.AuthenticationFailed: status.HTTP_400_BAD_REQUEST,
    errors.RateLimited: status.HTTP_429_TOO_MANY_REQUESTS,
}
DRF_CODES: dict[type[exceptions.APIException], str] = {
    BodyTooLarge: "too_large",
    TooDeeplyNested: "too_deep",
    exceptions.ParseError: "malformed",
    exceptions.NotAuthenticated: "not_authenticated",
    exceptions.AuthenticationFailed: "not_authenticated",
    exceptions.PermissionDenied: "permission_denied",
    exceptions.NotFound: "not_found",
    exceptions.MethodNotAllowed: "method_not_allowed",
    exceptions.NotAcceptable: "not_acceptable",
    exceptions.UnsupportedMediaType: "unsupported_media_type",
    exceptions.Throttled: "rate_limited",
}


def body(code: str, detail: str, fields: dict[str, list[str]] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"error": code, "detail": detail}
    if fields:
        data["fields"] = fields
    return data


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors as {"field" or "positions[0].start": [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            if isinstance(key, int):  # DRF keys a nested list's errors by position
                name = f"{prefix}[{key}]"
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            out.update(flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    out.update(flatten(item, f"{prefix}[{index}]"))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, errors.DomainError):
        response = Response(
            body(exc.code, exc.detail, exc.fields or None),
            status=DOMAIN_STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST),
        )
        if isinstance(exc, errors.RateLimited):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge("The request body is too large.")
    elif isinstance(exc, SuspiciousOperation | UnreadablePostError):
        exc = exceptions.ParseError("The request could not be read.")
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        fields = flatten(exc.detail)
        first = next(iter(fields.values()))[0] if fields else "Invalid input."
        only_general = set(fields) == {"non_field_errors"}
        return Response(
            body("invalid", first, None if only_general else fields), status=exc.status_code
        )
    if isinstance(exc, exceptions.APIException):
        code = next((c for cls, c in DRF_CODES.items() if isinstance(exc, cls)), "error")
        response = Response(body(code, str(exc.detail)), status=exc.status_code)
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header  # type: ignore[attr-defined]
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
        return response
    request = context.get("request")
    logger.error(
        "Internal Server Error: %s",
        getattr(request, "path", "?"),
        exc_info=exc,
        extra={"status_code": 500, "request": getattr(request, "_request", None)},
    )
    set_rollback()
    return Response(body(*SERVER_ERROR), status=status.HTTP_500_INTERNAL_SERVER_ERROR)


@csrf_exempt
def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/ answer JSON too, whatever the method (no CSRF page)."""
    return JsonResponse(body("not_found", "No such endpoint."), status=404)
