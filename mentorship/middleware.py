"""Project-wide middleware: request ids and access logs, security headers, and the audit of
sensitive reads and refused requests."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from mentorship import observability, privacy
from mentorship.services import privacy as privacy_services

access_log = logging.getLogger("mentorship.access")


class RequestIdMiddleware:
    """First in the chain: every log line of the request carries its id, and so does the
    response (`X-Request-ID`), so a person reporting a problem can quote it. One structured
    access-log line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = observability.start_request(request.headers.get("X-Request-ID"))
        request.id = request_id  # type: ignore[attr-defined]
        started = time.monotonic()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        access_log.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return response


class SecurityHeadersMiddleware:
    """The headers Django does not set itself: which browser features pages may use."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class AuditMiddleware:
    """After authentication: audit what the response showed of other people's sensitive fields
    (noted by `privacy.note_read` while the view built it), once it is going out, and every
    request refused to a signed-in person (403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with privacy.collecting_reads() as reads:
            response = self.get_response(request)
        status = response.status_code
        if not (reads and status < 400) and status != 403:
            return response  # nothing to write: the user is not even looked up
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return response
        if status == 403:
            privacy_services.record_denied(
                actor=user, method=request.method or "", path=request.path
            )
        else:
            privacy_services.record_reads(reader=user, reads=reads, path=request.path)
        return response
