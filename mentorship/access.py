"""Who holds which role where: the permission checks shared by services and selectors."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeAlias, cast

from django.contrib.auth.models import AnonymousUser

from mentorship.errors import NotFound, PermissionDenied
from mentorship.models import Membership, Programme, Role, User

#: Whoever is looking: selectors answer an anonymous visitor with nothing.
Viewer: TypeAlias = User | AnonymousUser


def roles_in(user: Any, programme: Programme) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    known = getattr(programme, "_roles_of", None)
    if known is not None and known[0] == user.pk:
        return cast(frozenset[str], known[1])
    return frozenset(
        Membership.objects.filter(user=user, programme=programme).values_list("role", flat=True)
    )


def remember_roles(user: User, programme: Programme, roles: Iterable[str]) -> None:
    """Keep the user's roles, read with the programme, on it for `roles_in` (a selector that
    loads a programme for its caller does this; the object lives as long as the request)."""
    programme._roles_of = (user.pk, frozenset(roles))  # type: ignore[attr-defined]


def remember_coordinated(user: User, memberships: Iterable[Membership]) -> None:
    """Keep, on the user object of this request, the programmes they coordinate, from every
    membership of theirs a selector has just read (`remembered_coordinated`)."""
    user._coordinated_ids = frozenset(  # type: ignore[attr-defined]
        m.programme_id for m in memberships if m.role == Role.COORDINATOR
    )


def remembered_coordinated(user: User) -> frozenset[int] | None:
    """The ids of the programmes the user coordinates, if read earlier in this request."""
    return cast(frozenset[int] | None, getattr(user, "_coordinated_ids", None))


def is_coordinator(user: Any, programme: Programme) -> bool:
    return Role.COORDINATOR in roles_in(user, programme)


def require_role(user: Any, programme: Programme, role: str) -> None:
    """Outsiders get NotFound (the programme is invisible to them); members without the role
    get PermissionDenied."""
    roles = roles_in(user, programme)
    if not roles:
        raise NotFound("No such programme.")
    if role not in roles:
        raise PermissionDenied(
            f"Only a {Role(role).label.lower()} of {programme.name} may do this."
        )
