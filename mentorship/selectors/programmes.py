from __future__ import annotations

from django.db.models import QuerySet

from mentorship.access import Viewer, require_role
from mentorship.errors import NotFound
from mentorship.models import Exclusion, Membership, Profile, Programme, Role, User


def programmes_for(user: Viewer) -> QuerySet[Programme]:
    """Staff see every programme; everyone else the programmes they belong to."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_staff:
        return Programme.objects.all()
    return Programme.objects.filter(memberships__user=user).distinct()


def programme_for(user: User, slug: str) -> Programme:
    programme = programmes_for(user).filter(slug=slug).first()
    if programme is None:
        raise NotFound("No such programme.")
    return programme


def coordinated_programmes(user: Viewer) -> QuerySet[Programme]:
    if not user.is_authenticated:
        return Programme.objects.none()
    return Programme.objects.filter(
        memberships__user=user, memberships__role=Role.COORDINATOR
    ).distinct()


def coordinated_programme(user: User, slug: str) -> Programme:
    """The programme if the user coordinates it; 404 for outsiders, 403 for other members."""
    programme = programme_for(user, slug)
    require_role(user, programme, Role.COORDINATOR)
    return programme


def memberships_of(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user=user)
        .select_related("programme")
        .order_by("programme__name", "role")
    )


def members_of(
    *, actor: User, programme: Programme, role: str | None = None
) -> QuerySet[Membership]:
    """Coordinators list a programme's members."""
    require_role(actor, programme, Role.COORDINATOR)
    members = Membership.objects.filter(programme=programme).select_related("user", "user__profile")
    return members.filter(role=role) if role else members


def exclusions_of(*, actor: User, programme: Programme) -> QuerySet[Exclusion]:
    require_role(actor, programme, Role.COORDINATOR)
    return Exclusion.objects.filter(programme=programme).select_related("mentee", "mentor")


def own_profile(user: User) -> Profile:
    """The user's profile; an unsaved blank one if they never had one (nothing is written)."""
    return Profile.objects.select_related("personality").prefetch_related("positions").filter(
        user=user
    ).first() or Profile(user=user)
