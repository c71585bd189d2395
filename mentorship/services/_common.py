"""Helpers every service uses: validated saves, state checks and the audit trail."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from mentorship.errors import InvalidTransition, ValidationFailed
from mentorship.models import AuditEvent


def validated_save(obj: models.Model, *, exclude: Iterable[str] | None = None) -> None:
    """`full_clean()` then `save()`, turning Django's ValidationError into ValidationFailed."""
    try:
        obj.full_clean(exclude=list(exclude) if exclude else None)
    except ValidationError as error:
        raise as_validation_failed(error) from error
    obj.save()


def as_validation_failed(error: ValidationError) -> ValidationFailed:
    fields = (
        error.message_dict if hasattr(error, "error_dict") else {"non_field_errors": error.messages}
    )
    first = next(iter(fields.values()))[0] if fields else "Invalid input."
    return ValidationFailed(str(first), fields=fields)


def require_status(obj: Any, allowed: Collection[str], *, action: str) -> None:
    if obj.status not in allowed:
        noun = obj._meta.verbose_name
        raise InvalidTransition(f"Cannot {action} a {noun} that is {obj.status}.")


def record(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    from_state: str = "",
    to_state: str = "",
    programme_id: int | None = None,
    **data: Any,
) -> AuditEvent:
    """Append one audit event. `actor` None means the system acted."""
    event = audit_event(
        actor=actor,
        obj=obj,
        action=action,
        from_state=from_state,
        to_state=to_state,
        programme_id=programme_id,
        **data,
    )
    event.save()
    return event


def set_status(obj: Any, *, to: str, actor: Any, action: str, **data: Any) -> None:
    """Move `obj` to status `to`, save it and append the audit event of that transition."""
    before = obj.status
    obj.status = to
    obj.save()
    record(actor=actor, obj=obj, action=action, from_state=before, to_state=to, **data)


def audit_event(
    *,
    actor: Any,
    obj: models.Model,
    action: str,
    from_state: str = "",
    to_state: str = "",
    programme_id: int | None = None,
    **data: Any,
) -> AuditEvent:
    """An unsaved audit event, for bulk writes."""
    if programme_id is None:
        programme_id = getattr(obj, "programme_id", None)
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        programme_id=programme_id,
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        action=action,
        from_state=from_state,
        to_state=to_state,
        data=data,
    )


def clean_text(value: str | None) -> str:
    return (value or "").strip()
