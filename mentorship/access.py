"""Who holds which role where: the permission checks shared by services and selectors."""

from __future__ import annotations

from typing import Any, TypeAlias

from django.contrib.auth.models import AnonymousUser

from mentorship.errors import NotFound, PermissionDenied
from mentorship.models import Membership, Programme, Role, User

#: Whoever is looking: selectors answer an anonymous visitor with nothing.
Viewer: TypeAlias = User | AnonymousUser


def roles_in(user: Any, programme: Programme) -> frozenset[str]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return frozenset(
        Membership.objects.filter(user=user, programme=programme).values_list("role", flat=True)
    )


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
