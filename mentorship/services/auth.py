"""Signing in, with attempts limited per account and per client address."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from mentorship.errors import AuthenticationFailed, RateLimited
from mentorship.models import LoginAttempts, User


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)


def count_attempt(key: str, *, now: dt.datetime | None = None) -> tuple[int, dt.datetime]:
    """Atomically add one attempt for `key`; returns the count in the current window and when
    the window started. Concurrent callers each get a distinct count."""
    now = now or timezone.now()
    for _ in range(3):
        try:
            with transaction.atomic():
                row = LoginAttempts.objects.select_for_update().filter(key=key).first()
                if row is None:
                    row = LoginAttempts.objects.create(key=key, window_start=now, attempts=1)
                elif row.window_start <= now - _window():
                    row.window_start, row.attempts = now, 1
                    row.save(update_fields=["window_start", "attempts"])
                else:
                    row.attempts += 1
                    row.save(update_fields=["attempts"])
                return row.attempts, row.window_start
        except IntegrityError:  # another attempt created the row first: lock it and count again
            continue
    raise RuntimeError(f"could not count a login attempt for {key!r}")


def client_address(request: HttpRequest | None) -> str:
    if request is None:
        return "unknown"
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def sign_in(*, username: str, password: str, address: str) -> User:
    """Check credentials, counting the attempt against the account and the client address first.

    Every attempt counts (not only failures), before the password is checked, so many
    concurrent attempts cannot all slip under the limit. A successful sign-in clears the
    account's counter, never the address's. Unknown and existing accounts are treated alike.
    """
    now = timezone.now()
    name = (username or "").strip().lower()[:150]
    limits = (
        (f"account:{name}", settings.LOGIN_LIMIT_PER_ACCOUNT),
        (f"address:{address}", settings.LOGIN_LIMIT_PER_ADDRESS),
    )
    for key, limit in limits:
        attempts, started = count_attempt(key, now=now)
        if attempts > limit:
            retry = int((started + _window() - now).total_seconds()) + 1
            raise RateLimited(
                f"Too many sign-in attempts. Try again in {max(retry // 60, 1)} minutes.",
                retry_after=max(retry, 1),
            )
    user = authenticate(username=(username or "").strip(), password=password or "")
    if user is None or not user.is_active:
        raise AuthenticationFailed("Wrong username or password.")
    LoginAttempts.objects.filter(key=f"account:{name}").delete()
    return user
