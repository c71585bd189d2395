"""Is this instance able to serve? The database always; the cache and the Celery broker when they
are configured (the embedded set-up has neither: local memory and in-process tasks).

Answers say only "ok" or "unavailable" per dependency, never a URL, a host or an error message:
the endpoint is public, for load balancers. The reason of a failure goes to the log.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections

logger = logging.getLogger("mentorship.health")
TIMEOUT_SECONDS = 3
STATUSES = ("ok", "unavailable")  # of the whole instance and of each dependency


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    milliseconds: float


@dataclass(frozen=True)
class Health:
    checks: tuple[Check, ...]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def _database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not answer 1")


def _cache() -> None:
    key, value = "health-check", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise RuntimeError("the cache did not return what was stored")


def _broker() -> None:
    from mentorship.celery import app

    with app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, interval_start=0, timeout=TIMEOUT_SECONDS)


def _run(name: str, probe: Callable[[], None]) -> Check:
    started = time.monotonic()
    try:
        probe()
        ok = True
    except Exception as error:  # any failure means "unavailable"; the log says which
        logger.warning("health check %s failed: %s", name, type(error).__name__, exc_info=True)
        ok = False
        if name == "database":
            connections["default"].close_if_unusable_or_obsolete()
    return Check(name, ok, round((time.monotonic() - started) * 1000, 1))


def configured_checks() -> list[tuple[str, Callable[[], None]]]:
    checks: list[tuple[str, Callable[[], None]]] = [("database", _database)]
    if settings.CACHE_URL:
        checks.append(("cache", _cache))
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        checks.append(("broker", _broker))
    return checks


def check_health() -> Health:
    return Health(tuple(_run(name, probe) for name, probe in configured_checks()))
