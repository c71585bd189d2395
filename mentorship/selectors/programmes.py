from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from mentorship.access import Viewer, remember_coordinated, remember_roles, require_role
from mentorship.compiled import CompiledValues
from mentorship.errors import NotFound
from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    Exclusion,
    Membership,
    Mentorship,
    Profile,
    Programme,
    Role,
    User,
)


def programmes_for(user: Viewer) -> QuerySet[Programme]:
    """Staff see every programme; everyone else the programmes they belong to."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_staff:
        return Programme.objects.all()
    return Programme.objects.filter(memberships__user=user).distinct()


def programmes_with_roles_for(user: User) -> QuerySet[Programme]:
    """programmes_for, each with `caller_memberships`: the user's memberships of it, fetched in
    one query for the whole list."""
    mine = Membership.objects.filter(user=user)
    return programmes_for(user).prefetch_related(
        Prefetch("memberships", queryset=mine, to_attr="caller_memberships")
    )


def _columns(model: type[Model]) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


_MEMBERSHIP, _PROGRAMME = _columns(Membership), _columns(Programme)
#: Every membership of a person with its programme (`select_related("programme")`), compiled
#: once: nearly every programme page and endpoint starts with it.
_MEMBERSHIP_ROWS = CompiledValues(
    lambda ids: (
        Membership.objects.filter(user_id__in=ids)
        .order_by("id")
        .values(*_MEMBERSHIP, *(f"programme__{name}" for name in _PROGRAMME))
    )
)


def memberships_with_programmes(user_id: int) -> list[Membership]:
    """The user's memberships, each with its programme, as
    `Membership.objects.filter(user=…).select_related("programme")` gives them."""
    db = connection.alias
    found = []
    for row in _MEMBERSHIP_ROWS.rows([user_id]):
        membership = Membership.from_db(db, _MEMBERSHIP, [row[n] for n in _MEMBERSHIP])
        programme = Programme.from_db(db, _PROGRAMME, [row[f"programme__{n}"] for n in _PROGRAMME])
        Membership.programme.field.set_cached_value(membership, programme)
        found.append(membership)
    return found


def programme_for(user: User, slug: str) -> Programme:
    """The programme if the user may see it, with their roles in it read in the same query:
    the permission check that follows (`require_role`) costs no second one. The query reads all
    of the caller's memberships (a handful) and keeps the programmes they coordinate on the
    user object for the rest of the request (`remember_coordinated`: the audit of what the
    response shows needs no query of its own)."""
    everywhere = memberships_with_programmes(user.pk)
    remember_coordinated(user, everywhere)
    memberships = [m for m in everywhere if m.programme.slug == slug]
    if memberships:
        programme = memberships[0].programme
    elif user.is_staff:
        found = Programme.objects.filter(slug=slug).first()
        if found is None:
            raise NotFound("No such programme.")
        programme = found
    else:
        raise NotFound("No such programme.")
    remember_roles(user, programme, (m.role for m in memberships))
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


# Members are listed coordinators first, then mentors, then mentees.
MEMBER_ROLES = (Role.COORDINATOR, Role.MENTOR, Role.MENTEE)
ROLE_ORDER = [When(role=role, then=Value(n)) for n, role in enumerate(MEMBER_ROLES)]


@dataclass(frozen=True)
class ProgrammeMembers:
    programme: Programme
    members: QuerySet[Membership]
    counts: dict[str, int]  # role → members, over the whole programme


def programme_members(*, actor: User, slug: str, role: str | None = None) -> ProgrammeMembers:
    """A programme's members for its coordinators, by role then name. Each membership carries
    `seats_taken` (the person's active and paused mentorships as a mentor, in every programme:
    capacity is theirs, not the programme's) and `has_mentor` (in this programme)."""
    programme = coordinated_programme(actor, slug)
    seat_holding = Q(user__mentorships_as_mentor__status__in=SEAT_HOLDING_STATUSES)
    mentored_here = Mentorship.objects.filter(
        programme=programme, mentee=OuterRef("user"), status__in=SEAT_HOLDING_STATUSES
    )
    members = (
        members_of(actor=actor, programme=programme, role=role)
        .annotate(
            seats_taken=Count("user__mentorships_as_mentor", filter=seat_holding, distinct=True),
            has_mentor=Exists(mentored_here),
        )
        .annotate(role_order=Case(*ROLE_ORDER, default=Value(len(ROLE_ORDER))))
        .order_by("role_order", "user__last_name", "user__first_name", "user__username", "pk")
    )
    counts = dict.fromkeys(MEMBER_ROLES, 0) | dict(
        Membership.objects.filter(programme=programme)
        .values("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    return ProgrammeMembers(programme, members, counts)


def exclusions_of(*, actor: User, programme: Programme) -> QuerySet[Exclusion]:
    require_role(actor, programme, Role.COORDINATOR)
    return Exclusion.objects.filter(programme=programme).select_related("mentee", "mentor")


def own_profile(user: User) -> Profile:
    """The user's profile; an unsaved blank one if they never had one (nothing is written)."""
    profile = (
        Profile.objects.select_related("personality")
        .prefetch_related("positions")
        .filter(user=user)
        .first()
    )
    if profile is None:
        return Profile(user=user)
    profile.user = user  # the caller's own object, not a second query for it
    return profile
