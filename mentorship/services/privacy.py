"""A person's data: export it all, erase it (themselves, their coordinator, or an administrator),
and the audit events of sensitive reads and refused requests. The categories of data are in the
registry of mentorship/privacy.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from mentorship.access import remembered_coordinated, require_role
from mentorship.errors import Conflict, NotFound, PermissionDenied
from mentorship.models import AuditEvent, Membership, Programme, Role, User
from mentorship.privacy import EXPORT_FORMAT, Erasure, Read, categories, exported
from mentorship.selectors.programmes import coordinated_programmes
from mentorship.services import auth
from mentorship.services._common import record


def export_data(*, actor: User) -> dict[str, Any]:
    """Everything about the signed-in person, by category; the export itself is audited."""
    data: dict[str, Any] = {"format": EXPORT_FORMAT, "exported_at": timezone.now()}
    for category in exported():
        data[category.name] = category.export(actor)  # type: ignore[misc]
    record(actor=actor, obj=actor, action="export", programme_id=None)
    return data


def _check_erasable(person: User) -> None:
    if person.erased_at is not None:
        raise NotFound("No such person.")
    for membership in Membership.objects.filter(user=person, role=Role.COORDINATOR).select_related(
        "programme"
    ):
        others = Membership.objects.filter(
            programme=membership.programme, role=Role.COORDINATOR
        ).exclude(user=person)
        if not others.exists():
            raise Conflict(
                f"{membership.programme.name} would have no coordinator left: "
                "make someone else its coordinator first."
            )


@transaction.atomic
def _erase(*, person: User, actor: User, by: str) -> Erasure:
    person = User.objects.select_for_update().get(pk=person.pk)
    _check_erasable(person)
    erasure = Erasure(person=person, actor=actor, by=by)
    for category in categories():
        if category.erase is not None:
            erasure.counts[category.name] = category.erase(erasure)
    # The audit row names nobody: an id, who asked (self, a coordinator, an administrator).
    record(actor=actor, obj=person, action="erase", programme_id=None, by=by)
    return erasure


def erase_myself(*, actor: User, password: str, address: str) -> Erasure:
    """The signed-in person erases their account, confirming with their password."""
    auth.confirm_password(user=actor, password=password, address=address)
    _check_erasable(actor)
    return _erase(person=actor, actor=actor, by="self")


def erase_member(
    *, actor: User, programme: Programme, person_id: int, password: str, address: str
) -> Erasure:
    """A coordinator erases a member of their programme (who asked them to, by e-mail or in
    person), confirming with their own password. Only members of no other programme: a person
    who is also elsewhere is erased by an administrator or by themselves."""
    require_role(actor, programme, Role.COORDINATOR)
    person = (
        User.objects.filter(pk=person_id, memberships__programme=programme, erased_at__isnull=True)
        .distinct()
        .first()
    )
    if person is None:
        raise NotFound("No such member.")
    if person.pk == actor.pk:
        raise Conflict("To erase your own account, use My data (POST /api/v1/me/erase/).")
    if person.is_staff or person.is_superuser:
        raise PermissionDenied("Staff accounts are erased by an administrator.")
    if (
        Membership.objects.filter(user=person)
        .exclude(programme__in=coordinated_programmes(actor))
        .exists()
    ):
        raise PermissionDenied(
            "This person is also a member of a programme you do not coordinate: "
            "an administrator erases them, or they do it themselves."
        )
    auth.confirm_password(user=actor, password=password, address=address)
    return _erase(person=person, actor=actor, by="coordinator")


def erase_by_administrator(*, actor: User, person: User) -> Erasure:
    """A superuser erases anyone but themselves (from the admin)."""
    if not actor.is_superuser:
        raise PermissionDenied("Only an administrator may do this.")
    if person.pk == actor.pk:
        raise Conflict("Erase your own account from My data.")
    return _erase(person=person, actor=actor, by="admin")


# Audit of reads and refusals -----------------------------------------------------------------


def record_reads(*, reader: User, reads: Iterable[Read], path: str) -> int:
    """One audit event per person whose sensitive fields `reader` was shown, unless the person
    is the reader; reads flagged not `always` (shown to mentees too) only for coordinators."""
    others = [read for read in reads if read.subject_id != reader.pk]
    if not others:
        return 0
    subjects = {read.subject_id for read in others}
    coordinated = remembered_coordinated(reader)
    programme_of: dict[int, int] = {}
    if coordinated is None:
        programme_of = dict(
            Membership.objects.filter(
                user_id__in=subjects, programme__in=coordinated_programmes(reader)
            ).values_list("user_id", "programme_id")
        )
    elif coordinated:  # read with the caller's memberships (programme_for); mentees and mentors
        # coordinate nothing: no query
        programme_of = dict(
            Membership.objects.filter(
                user_id__in=subjects, programme_id__in=coordinated
            ).values_list("user_id", "programme_id")
        )
    fields: dict[int, set[str]] = defaultdict(set)
    for read in others:
        if read.always or read.subject_id in programme_of:
            fields[read.subject_id].add(read.field)
    if not fields:
        return 0  # shown to a mentee or mentor only: nothing to write, no transaction
    AuditEvent.objects.bulk_create(
        AuditEvent(
            actor=reader,
            programme_id=programme_of.get(subject_id),
            object_type="user",
            object_id=subject_id,
            action="read",
            data={"fields": sorted(names), "via": path},
        )
        for subject_id, names in sorted(fields.items())
    )
    return len(fields)


def record_denied(*, actor: User, method: str, path: str) -> None:
    """A signed-in person was refused (403): kept, so repeated probing shows in the trail."""
    AuditEvent.objects.create(
        actor=actor,
        object_type="user",
        object_id=actor.pk,
        action="denied",
        data={"method": method, "path": path},
    )
