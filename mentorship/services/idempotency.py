"""Idempotent writes: a client retrying a write with the same `Idempotency-Key` gets the object
the first attempt made, never a duplicate (the IETF draft "The Idempotency-Key HTTP Header").

The key is remembered in the write's own transaction, so a write that failed leaves no key
behind and the retry performs it. Two requests racing with one key: the second waits on the
key's unique index, finds it taken, and replays the first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils import timezone

from mentorship.errors import Conflict, ValidationFailed
from mentorship.models import IdempotencyKey, User

HEADER = "Idempotency-Key"
KEY = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as the schema says
KEY_PATTERN = "^[!-~]{1,255}$"
KEPT_FOR = dt.timedelta(hours=24)
M = TypeVar("M", bound=models.Model)


def fingerprint(fields: Mapping[str, Any]) -> str:
    """The request's content, whatever the order of its fields."""
    text = json.dumps(fields, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def check_key(key: str | None) -> str | None:
    if key is None:
        return None
    if not KEY.fullmatch(key):
        message = "Use 1 to 255 visible ASCII characters, such as a UUID."
        raise ValidationFailed(f"{HEADER}: {message}", fields={HEADER: [message]})
    return key


def _replay(actor: User, key: str, scope: str, digest: str, model: type[M]) -> M | None:
    row = IdempotencyKey.objects.select_for_update().filter(user=actor, key=key).first()
    if row is None:
        return None
    if row.created_at < timezone.now() - KEPT_FOR:
        row.delete()
        return None
    if row.scope != scope or row.fingerprint != digest:
        message = "This key was already used for a different request; use a new key."
        raise Conflict(message, fields={HEADER: [message]})
    first = model._default_manager.filter(pk=row.object_id).first()
    if first is None:
        raise Conflict("This request was already made, and what it created is gone since.")
    return first


def once(
    *,
    actor: User,
    key: str | None,
    scope: str,
    fields: Mapping[str, Any],
    model: type[M],
    create: Callable[[], M],
) -> M:
    """`create()` in a transaction, unless `key` was already used for this very request: then the
    object that first request created. Without a key, simply `create()`."""
    key = check_key(key)
    if key is None:
        with transaction.atomic():
            return create()
    digest = fingerprint(fields)
    for _ in range(2):
        try:
            with transaction.atomic():
                first = _replay(actor, key, scope, digest, model)
                if first is not None:
                    return first
                made = create()
                IdempotencyKey.objects.filter(
                    user=actor, created_at__lt=timezone.now() - KEPT_FOR
                ).delete()
                IdempotencyKey.objects.create(
                    user=actor,
                    key=key,
                    scope=scope,
                    fingerprint=digest,
                    object_type=made._meta.model_name or "",
                    object_id=made.pk,
                )
                return made
        except IntegrityError:
            # A concurrent request with this key committed first: replay it (once).
            if not IdempotencyKey.objects.filter(user=actor, key=key).exists():
                raise
    raise Conflict("This request is being processed; retry in a moment.")
