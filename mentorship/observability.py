"""Structured logs: every line a request logs carries that request's id.

`RequestIdMiddleware` (in `mentorship.middleware`) sets the id for the duration of a request; the
`RequestIdFilter` copies it onto every log record, so the JSON formatter (production) and the
text formatter (local development) both print it. Background work logs `-`.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from pythonjsonlogger.core import RESERVED_ATTRS

NO_REQUEST = "-"
# An id sent by the client or the proxy in front is kept when it looks like an id (so a proxy's
# id and ours match up in the logs); anything else is replaced by a fresh one, so a client cannot
# write arbitrary text into the logs through this header.
INCOMING_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")

_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def current_request_id() -> str:
    return _request_id.get()


def start_request(incoming: str | None) -> str:
    """Set the id of the request being served (kept until Django's `request_finished`, so the
    `django.request` line Django logs after the middleware has returned carries it too)."""
    request_id = incoming if incoming and INCOMING_ID.fullmatch(incoming) else uuid.uuid4().hex
    _request_id.set(request_id)
    return request_id


def end_request(**kwargs: object) -> None:
    """Receiver of `request_finished`."""
    _request_id.set(NO_REQUEST)


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (a filter on the handler, so third-party loggers get it
    too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


def logging_config(
    *, level: str, log_format: str, access_log: bool, celery_level: str = "WARNING"
) -> dict[str, object]:
    """The LOGGING setting: JSON lines (`log_format="json"`, production) or readable text."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "mentorship.observability.RequestIdFilter"}},
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
                # Django attaches the request object to its error records: its repr is enough.
                "reserved_attrs": [*RESERVED_ATTRS, "request", "server_time"],
            },
            "text": {"format": "%(levelname)s %(asctime)s %(name)s [%(request_id)s] %(message)s"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": log_format,
                "filters": ["request_id"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # One line per task is noise when tasks run in-process; workers log through their -l.
            "celery": {"level": celery_level},
            # One structured line per request (method, path, status, duration, user).
            "mentorship.access": {"level": "INFO" if access_log else "WARNING"},
        },
    }
