"""Domain errors, raised by services and selectors and translated once at each edge.

Each carries a stable machine-readable `code`; the API maps the class to an HTTP status and the
pages to a form error or message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, detail: str, *, fields: Mapping[str, Sequence[str]] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.fields = {name: list(messages) for name, messages in (fields or {}).items()}


class NotFound(DomainError):
    """The object does not exist or is outside the caller's reach (the two look the same)."""

    code = "not_found"


class PermissionDenied(DomainError):
    """The caller can see the object but may not do this to it."""

    code = "permission_denied"


class ValidationFailed(DomainError):
    """The input is wrong; `fields` says which fields and why."""

    code = "invalid"


class InvalidTransition(DomainError):
    """The object is not in a state that allows this action."""

    code = "invalid_transition"


class CapacityReached(DomainError):
    """The mentor has no free place."""

    code = "capacity_reached"


class Conflict(DomainError):
    """The action clashes with another object (a duplicate, a rival draft)."""

    code = "conflict"


class AuthenticationFailed(DomainError):
    """Wrong username or password (the message never says which, nor whether the account exists)."""

    code = "invalid_credentials"


class RateLimited(DomainError):
    """Too many attempts; `retry_after` says in how many seconds to try again."""

    code = "rate_limited"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
