"""Signing in, signing up and asking for a password reset, with limits that slow an attacker down
without letting anyone lock a person out.

- The client address is REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` proxies the X-Forwarded-For
  entry the outermost trusted proxy wrote (read from the right): never a raw header a client
  could choose.
- Only failures count (a wrong password, a sign-up refused): a hundred colleagues signing in
  through one proxy are never refused.
- After `LOGIN_LIMIT_PER_ACCOUNT` failures for one account, each further attempt for it waits 1,
  2, 4… seconds, at most `LOGIN_MAX_DELAY_SECONDS` (15 minutes). Attempts made while waiting are
  refused unchecked and uncounted, so a stranger's flood never lengthens the wait: the owner
  signs in at most that long after the stranger's last counted failure, or at once after a
  password reset, which clears the account's counter (so does signing in).
- The same per client address (`LOGIN_LIMIT_PER_ADDRESS`), and the same per address for
  failed sign-ups (which say when a username or e-mail is taken) and for password-reset requests.
  Reset links per e-mail address are capped too, silently, so nobody floods a mailbox.
- Failures are forgotten `LOGIN_WINDOW_SECONDS` after the last one (or after the last wait).

Counters are database rows locked while counted, shared by every process; the attempt is
counted before the password is checked and given back on success, so concurrent guesses cannot
all slip under the limit. Their keys are keyed hashes: the table never holds a username, an
e-mail or an address in clear.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from mentorship.errors import AuthenticationFailed, DomainError, RateLimited
from mentorship.models import LoginAttempts, User
from mentorship.services._common import record

OnSuccess = Literal["clear", "refund", "keep"]


@dataclass(frozen=True)
class Limit:
    """One counter: `scope` (what is limited) and `value` (whose), failures allowed before the
    delays start, and what a success does to it: `clear` the counter (the account proved itself),
    `refund` the one attempt (a shared address), or `keep` it (every request counts)."""

    scope: str
    value: str
    free: int
    on_success: OnSuccess

    @property
    def key(self) -> str:
        return counter_key(self.scope, self.value)


def counter_key(scope: str, value: str) -> str:
    digest = hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()
    return f"{scope}:{digest[:40]}"


def account_name(username: str | None) -> str:
    return (username or "").strip().lower()[:150]


def _window() -> dt.timedelta:
    return dt.timedelta(seconds=settings.LOGIN_WINDOW_SECONDS)


def delay_after(failures: int, free: int) -> dt.timedelta | None:
    """The wait after `failures` failures: none before `free`, then 1, 2, 4… seconds, capped."""
    if failures < free:
        return None
    seconds = min(2 ** min(failures - free, 30), settings.LOGIN_MAX_DELAY_SECONDS)
    return dt.timedelta(seconds=seconds)


NOUNS = {"sign-in": "sign-in attempts", "sign-up": "sign-up attempts", "reset": "reset requests"}


def _refused(limit: Limit, locked_until: dt.datetime, now: dt.datetime) -> RateLimited:
    seconds = max(math.ceil((locked_until - now).total_seconds()), 1)
    if seconds < 120:
        wait = "1 second" if seconds == 1 else f"{seconds} seconds"
    else:
        wait = f"{math.ceil(seconds / 60)} minutes"
    noun = NOUNS.get(limit.scope.split(":")[0], "attempts")
    return RateLimited(f"Too many {noun}. Try again in {wait}.", retry_after=seconds)


@dataclass
class _Taken:
    limit: Limit
    locked_until: dt.datetime | None
    previous_lock: dt.datetime | None


def _take(limit: Limit, now: dt.datetime) -> _Taken:
    """Count one attempt against `limit` (as a failure until it succeeds), or refuse it unchecked
    while the counter's wait runs."""
    for _ in range(3):
        try:
            with transaction.atomic():
                row = LoginAttempts.objects.select_for_update().filter(key=limit.key).first()
                if row is None:
                    row = LoginAttempts(key=limit.key, window_start=now, attempts=0)
                if row.locked_until and row.locked_until > now:
                    raise _refused(limit, row.locked_until, now)
                quiet_since = max(
                    row.last_failure_at or row.window_start, row.locked_until or row.window_start
                )
                if now - quiet_since >= _window():
                    row.attempts, row.window_start = 0, now
                previous = row.locked_until
                row.attempts += 1
                row.last_failure_at = now
                wait = delay_after(row.attempts, limit.free)
                row.locked_until = now + wait if wait else None
                row.save()
                return _Taken(limit, row.locked_until, previous)
        except IntegrityError:  # another attempt created the row first: lock it and count again
            continue
    raise RuntimeError(f"could not count an attempt for {limit.scope}")


def _give_back(taken: _Taken) -> None:
    with transaction.atomic():
        row = LoginAttempts.objects.select_for_update().filter(key=taken.limit.key).first()
        if row is None:
            return
        row.attempts = max(row.attempts - 1, 0)
        if row.locked_until == taken.locked_until:
            row.locked_until = taken.previous_lock
        if row.attempts == 0:
            row.delete()
        else:
            row.save(update_fields=["attempts", "locked_until"])


def _succeeded(taken: _Taken) -> None:
    if taken.limit.on_success == "clear":
        LoginAttempts.objects.filter(key=taken.limit.key).delete()
    elif taken.limit.on_success == "refund":
        _give_back(taken)


@contextmanager
def attempt(*limits: Limit, now: dt.datetime | None = None) -> Iterator[None]:
    """Run the block as one attempt against every limit: refused (RateLimited) while a limit's
    wait runs; a DomainError raised by the block is a failure and stays counted; success settles
    each limit as it says; any other exception is not the caller's failure and is given back."""
    now = now or timezone.now()
    taken: list[_Taken] = []
    try:
        for limit in limits:
            taken.append(_take(limit, now))
    except RateLimited:
        for each in taken:
            _give_back(each)
        raise
    try:
        yield
    except DomainError:
        raise
    except BaseException:
        for each in taken:
            _give_back(each)
        raise
    for each in taken:
        _succeeded(each)


def client_address(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the entry of
    X-Forwarded-For that many hops from the right (written by the outermost trusted proxy).
    A request that did not come through every proxy, or a malformed entry, gets REMOTE_ADDR."""
    if request is None:
        return "unknown"
    remote = str(request.META.get("REMOTE_ADDR") or "unknown")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [
        part.strip()
        for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",")
        if part.strip()
    ]
    if len(forwarded) < hops:
        return remote
    candidate = forwarded[-hops]
    if candidate.count(":") == 1 and "." in candidate:  # 203.0.113.7:51234
        candidate = candidate.split(":")[0]
    try:
        return str(ipaddress.ip_address(candidate.strip("[]")))
    except ValueError:
        return remote


def _address_limit(scope: str, address: str, on_success: OnSuccess = "refund") -> Limit:
    return Limit(f"{scope}:address", address, settings.LOGIN_LIMIT_PER_ADDRESS, on_success)


def _account_limit(name: str) -> Limit:
    return Limit("sign-in:account", name, settings.LOGIN_LIMIT_PER_ACCOUNT, "clear")


def sign_in(*, username: str, password: str, address: str) -> User:
    """Check credentials within the limits of the client address and the account. Unknown and
    existing accounts are treated alike."""
    name = account_name(username)
    with attempt(_address_limit("sign-in", address), _account_limit(name)):
        user = authenticate(username=(username or "").strip(), password=password or "")
        if user is None or not user.is_active:
            raise AuthenticationFailed("Wrong username or password.")
    return user


def sign_up(*, address: str, **fields: Any) -> User:
    """Create an account (see `programmes.sign_up`); refused sign-ups count against the client
    address, as they say whether a username or an e-mail address is taken."""
    from mentorship.services import programmes

    with attempt(_address_limit("sign-up", address)):
        return programmes.sign_up(**fields)


def password_reset_allowed(*, email: str, address: str) -> bool:
    """Count one password-reset request against the client address (RateLimited beyond its
    limit) and the e-mail address; False when that mailbox has had enough links for now (the
    caller then sends nothing and says the same as always, so nothing is revealed)."""
    with attempt(_address_limit("reset", address, on_success="keep")):
        pass
    mailbox = Limit("reset:email", email.strip().lower(), settings.LOGIN_LIMIT_PER_ACCOUNT, "keep")
    try:
        with attempt(mailbox):
            pass
    except RateLimited:
        return False
    return True


@transaction.atomic
def password_was_reset(*, user: User) -> None:
    """A password set through a reset link: the account's sign-in counter is cleared, so the owner
    signs in at once even while a stranger keeps guessing."""
    LoginAttempts.objects.filter(key=_account_limit(account_name(user.username)).key).delete()
    record(actor=user, obj=user, action="password_reset", programme_id=None)


def forget_counters(*, user: User) -> int:
    """Delete the counters that name this person (their account, their mailbox): erasure."""
    keys = [
        _account_limit(account_name(user.username)).key,
        counter_key("reset:email", user.email.strip().lower()),
    ]
    deleted, _ = LoginAttempts.objects.filter(key__in=keys).delete()
    return deleted


def confirm_password(*, user: User, password: str, address: str) -> None:
    """A signed-in person confirms a grave action (erasing data) with their password, within the
    sign-in limits: a stolen session cannot guess the password this way either."""
    with attempt(_address_limit("sign-in", address), _account_limit(account_name(user.username))):
        if not user.check_password(password or ""):
            message = "That is not your password."
            raise AuthenticationFailed(message, fields={"password": [message]})
