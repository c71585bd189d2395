"""The network plan, read: contacts with their cadence, coverage, thin spots and plain words.

Scoped as DESIGN.md says: a plan is its owner's; their mentor reads its summary only while the
owner shares it (and only while the mentorship holds); coordinators see aggregates, never a
mentee's contacts. Contact cadence is the mentorship cadence rule (`cadence_of`) with the
interval of the contact's importance tier.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from mentorship.access import Viewer
from mentorship.errors import NotFound, PermissionDenied, ValidationFailed
from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    SHORT_LIST,
    Contact,
    ContactTier,
    Mentorship,
    NetworkPlan,
    Programme,
    Role,
    Touchpoint,
    User,
)
from mentorship.privacy import note_read
from mentorship.selectors.cadence import STATUSES, Cadence, cadence_of
from mentorship.taxonomy import ConnectionType, NetworkGroup
from mentorship.validators import VALUE_IDEAS

# Contacts that need a touchpoint, most urgent first.
URGENCY = {"overdue": 0, "never_met": 1, "due": 2, "on_track": 3}
# Where a mentor's introduction helps most first: one's own delivery teams are met at work.
INTRODUCTION_PRIORITY = (
    NetworkGroup.SENIOR_LEADERSHIP,
    NetworkGroup.EXTERNAL_INFLUENCERS,
    NetworkGroup.WIDER_BUSINESS,
    NetworkGroup.INDUSTRY_ACQUAINTANCES,
    NetworkGroup.DELIVERY_TEAMS,
)


# Which plan ---------------------------------------------------------------------------------


def mentee_programmes(user: Viewer) -> list[Programme]:
    """The programmes in which the user is a mentee, so keeps a network plan."""
    if not user.is_authenticated:
        return []
    return list(
        Programme.objects.filter(memberships__user=user, memberships__role=Role.MENTEE)
        .distinct()
        .order_by("name", "pk")
    )


def plan_programme(
    user: User, programme: Programme | str | None = None, *, first_by_default: bool = False
) -> Programme:
    """The programme of the user's plan: the one named (a programme or its slug), or their only
    mentee programme (the first one with `first_by_default`, as the pages do)."""
    mine = mentee_programmes(user)
    if not mine:
        raise PermissionDenied("Only mentees keep a network plan.")
    if programme is None:
        if len(mine) == 1 or first_by_default:
            return mine[0]
        message = "Say which programme's plan: " + ", ".join(p.slug for p in mine) + "."
        raise ValidationFailed(message, fields={"programme": [message]})
    slug = programme.slug if isinstance(programme, Programme) else programme
    for candidate in mine:
        if candidate.slug == slug:
            return candidate
    message = "You are not a mentee of that programme."
    raise ValidationFailed(message, fields={"programme": [message]})


def plan_of(owner: User, programme: Programme) -> NetworkPlan:
    """The owner's plan in the programme; an unsaved empty one if they have none (reads write
    nothing)."""
    plan = NetworkPlan.objects.filter(owner=owner, programme=programme).first()
    return plan or NetworkPlan(owner=owner, programme=programme)


# Contacts and their cadence ---------------------------------------------------------------


def tier_cadence_days(programme: Programme, tier: str) -> int:
    return {
        ContactTier.KEY: programme.key_contact_cadence_days,
        ContactTier.REGULAR: programme.regular_contact_cadence_days,
        ContactTier.LIGHT: programme.light_contact_cadence_days,
    }[ContactTier(tier)]


def with_touchpoint_counts(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Annotate `touchpoints_held` and `last_touchpoint`, the inputs of `contact_cadence`."""
    return contacts.annotate(
        touchpoints_held=Count("touchpoints"), last_touchpoint=Max("touchpoints__date")
    )


def contact_cadence(contact: Any, *, today: dt.date) -> Cadence:
    """The cadence of a contact loaded through `with_touchpoint_counts` (with its plan's
    programme): the one cadence rule, with the interval of the contact's tier."""
    return cadence_of(
        cadence_days=tier_cadence_days(contact.plan.programme, contact.tier),
        started_on=contact.added_on,
        sessions_held=contact.touchpoints_held,
        last_session=contact.last_touchpoint,
        today=today,
        first_due=contact.first_due_on,
    )


def _contacts(queryset: QuerySet[Contact]) -> QuerySet[Contact]:
    return with_touchpoint_counts(queryset).select_related(
        "plan__programme", "introduction__introducer", "introduction__mentorship__mentor"
    )


def contacts_for(
    user: Viewer, *, programme: Programme | None = None, archived: bool = False
) -> QuerySet[Contact]:
    """The user's own contacts (active ones, or the archived with `archived`), with their
    touchpoint counts; nobody else's, ever."""
    if not user.is_authenticated:
        return Contact.objects.none()
    contacts = Contact.objects.filter(plan__owner=user, archived_at__isnull=not archived)
    if programme is not None:
        contacts = contacts.filter(plan__programme=programme)
    return _contacts(contacts).order_by("name", "pk")


def contact_for(user: User, pk: int) -> Contact:
    """One of the user's own contacts, archived or not; anyone else's is NotFound."""
    contact = _contacts(Contact.objects.filter(plan__owner=user, pk=pk)).first()
    if contact is None:
        raise NotFound("No such contact.")
    return contact


def touchpoints_for(user: User, contact: Contact) -> QuerySet[Touchpoint]:
    return Touchpoint.objects.filter(contact=contact, contact__plan__owner=user).order_by(
        "-date", "-pk"
    )


def value_idea(contact: Any, ideas: Sequence[str]) -> str:
    """A way to offer value to a contact that needs a touchpoint: from the programme's list,
    changing after each touchpoint so the same idea does not come back every time."""
    ideas = list(ideas) or list(VALUE_IDEAS)
    return ideas[(contact.pk + contact.touchpoints_held) % len(ideas)]


@dataclass(frozen=True)
class ContactRow:
    contact: Contact
    cadence: Cadence
    idea: str | None  # a way to offer value, for contacts that need a touchpoint

    @property
    def needs_touchpoint(self) -> bool:
        return self.cadence.status != "on_track"


def contact_rows(contacts: Iterable[Any], *, today: dt.date) -> list[ContactRow]:
    rows = []
    for contact in contacts:
        cadence = contact_cadence(contact, today=today)
        idea = (
            value_idea(contact, contact.plan.programme.network_value_ideas)
            if cadence.status != "on_track"
            else None
        )
        rows.append(ContactRow(contact, cadence, idea))
    return rows


# Coverage ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    """Contacts in one cell of the plan, and how many of them are healthy (on track)."""

    key: str
    label: str
    contacts: int
    healthy: int


@dataclass(frozen=True)
class GroupCoverage(Coverage):
    by_type: tuple[Coverage, ...] = ()


@dataclass(frozen=True)
class ThinSpot:
    kind: str  # "network_group" or "connection_type"
    key: str
    text: str


def _group_words(key: str) -> str:
    return NetworkGroup(key).label.lower()


def _type_words(key: str) -> str:
    return ConnectionType(key).label.lower()


def coverage_of(rows: Sequence[ContactRow]) -> tuple[list[GroupCoverage], list[Coverage]]:
    """Per network group (with its split by connection type) and per connection type: the
    number of contacts and of healthy ones."""
    cells: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        cell = cells[(row.contact.network_group, row.contact.connection_type)]
        cell[0] += 1
        cell[1] += row.cadence.status == "on_track"

    def total(keys: Iterable[tuple[str, str]]) -> tuple[int, int]:
        picked = [cells[k] for k in keys if k in cells]
        return sum(c[0] for c in picked), sum(c[1] for c in picked)

    groups = []
    for group in NetworkGroup:
        by_type = tuple(
            Coverage(kind.value, kind.label, *total([(group.value, kind.value)]))
            for kind in ConnectionType
        )
        contacts, healthy = total((group.value, kind.value) for kind in ConnectionType)
        groups.append(GroupCoverage(group.value, group.label, contacts, healthy, by_type))
    types = [
        Coverage(kind.value, kind.label, *total((g.value, kind.value) for g in NetworkGroup))
        for kind in ConnectionType
    ]
    return groups, types


def thin_spots(groups: Sequence[Coverage], types: Sequence[Coverage]) -> list[ThinSpot]:
    """Where the network is thin: no contact at all in a group or type, or none on track."""
    spots = []
    for kind, cells, words, noun in (
        ("network_group", groups, _group_words, "contacts"),
        ("connection_type", types, _type_words, "ties"),
    ):
        for cell in cells:
            if cell.contacts == 0:
                spots.append(ThinSpot(kind, cell.key, f"No {words(cell.key)} {noun}"))
            elif cell.healthy == 0:
                spots.append(ThinSpot(kind, cell.key, f"No {words(cell.key)} {noun} on track"))
    return spots


# The summary ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NetworkSummary:
    """Everything the plan's summary shows, for its owner or their mentor."""

    plan: NetworkPlan
    today: dt.date
    rows: list[ContactRow]
    groups: list[GroupCoverage]
    types: list[Coverage]
    thin: list[ThinSpot]
    counts: dict[str, int]
    key_contacts: int
    text: str
    suggestion: str | None
    warnings: list[str] = field(default_factory=list)

    @property
    def owner(self) -> User:
        return self.plan.owner

    @property
    def programme(self) -> Programme:
        return self.plan.programme

    @property
    def contacts(self) -> int:
        return len(self.rows)

    @property
    def healthy(self) -> int:
        return self.counts["on_track"]

    @property
    def attention(self) -> list[ContactRow]:
        """Contacts needing a touchpoint, most urgent first."""
        rows = [r for r in self.rows if r.needs_touchpoint]
        return sorted(rows, key=lambda r: (URGENCY[r.cadence.status], r.cadence.next_due))

    def by_group(self) -> list[tuple[GroupCoverage, list[ContactRow]]]:
        """The contacts of each network group, in taxonomy order."""
        return [
            (g, [r for r in self.rows if r.contact.network_group == g.key]) for g in self.groups
        ]

    def chart(self) -> dict[str, Any]:
        """Plain numbers for the coverage chart (the table beside it shows the same)."""
        return {
            "labels": [g.label for g in self.groups],
            "healthy": [g.healthy for g in self.groups],
            "other": [g.contacts - g.healthy for g in self.groups],
        }


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _words(
    *,
    rows: Sequence[ContactRow],
    groups: Sequence[Coverage],
    thin: Sequence[ThinSpot],
    counts: dict[str, int],
    owner: User,
    for_owner: bool,
) -> tuple[str, str | None]:
    """The plan in plain words, and the one next step it suggests."""
    who = "You keep" if for_owner else f"{owner.display_name} keeps"
    if not rows:
        text = (
            "Your plan has no contacts yet. Start with the few people who could change your "
            "career: add them as key contacts and say why each matters."
            if for_owner
            else f"{owner.display_name}'s plan has no contacts yet."
        )
    else:
        covered = sum(1 for g in groups if g.contacts)
        states = [
            f"{counts[s]} {label}"
            for s, label in (
                ("on_track", "on track"),
                ("due", "due"),
                ("overdue", "overdue"),
                ("never_met", "not yet met"),
            )
            if counts[s]
        ]
        text = (
            f"{who} {_plural(len(rows), 'contact')} across {covered} of {len(groups)} network "
            f"groups: {', '.join(states)}."
        )
        if thin:
            text += " Thin spots: " + "; ".join(s.text.lower() for s in thin) + "."
    empty = {g.key for g in groups if g.contacts == 0}
    thin_groups_ = {s.key for s in thin if s.kind == "network_group"}
    target = next((g for g in INTRODUCTION_PRIORITY if g in empty), None) or next(
        (g for g in INTRODUCTION_PRIORITY if g in thin_groups_), None
    )
    if target is None:
        return text, None
    group = _group_words(target)
    if for_owner:
        return text, f"Ask your mentor for an introduction to someone in {group}."
    return text, f"Consider introducing {owner.display_name} to someone in {group}."


def summarise(
    plan: NetworkPlan, *, for_owner: bool, today: dt.date | None = None
) -> NetworkSummary:
    """The plan's summary. Callers have already checked the viewer may see it."""
    today = today or timezone.localdate()
    contacts: Iterable[Any] = (
        _contacts(plan.contacts.active()).order_by("name", "pk") if plan.pk else []
    )
    rows = contact_rows(contacts, today=today)
    groups, types = coverage_of(rows)
    thin = thin_spots(groups, types)
    counts = {s: sum(1 for r in rows if r.cadence.status == s) for s in STATUSES}
    text, suggestion = _words(
        rows=rows, groups=groups, thin=thin, counts=counts, owner=plan.owner, for_owner=for_owner
    )
    warnings = []
    if len(rows) > SHORT_LIST:
        warnings.append(
            f"{len(rows)} active contacts is a long list to keep warm: a short list of about "
            f"{SHORT_LIST} works better. Consider archiving some light contacts."
        )
    return NetworkSummary(
        plan=plan,
        today=today,
        rows=rows,
        groups=groups,
        types=types,
        thin=thin,
        counts=counts,
        key_contacts=sum(1 for r in rows if r.contact.tier == ContactTier.KEY),
        text=text,
        suggestion=suggestion,
        warnings=warnings,
    )


def own_summary(
    user: User,
    programme: Programme | str | None = None,
    *,
    today: dt.date | None = None,
    first_by_default: bool = False,
) -> NetworkSummary:
    """The owner's own plan summary."""
    chosen = plan_programme(user, programme, first_by_default=first_by_default)
    return summarise(plan_of(user, chosen), for_owner=True, today=today)


def _mentee_plan_for(viewer: User, mentorship: Mentorship) -> tuple[NetworkPlan, bool] | None:
    """The plan of the mentorship's mentee if the viewer may see it, and whether the viewer
    is its owner: the mentee always; the mentor while the plan is shared and the mentorship
    holds; nobody else."""
    plan = plan_of(mentorship.mentee, mentorship.programme)
    if viewer.pk == mentorship.mentee_id:
        return plan, True
    if (
        viewer.pk == mentorship.mentor_id
        and mentorship.status in SEAT_HOLDING_STATUSES
        and plan.shared_with_mentor
    ):
        # The mentor is shown someone else's plan: audited like every sensitive read.
        note_read(subject_id=mentorship.mentee_id, field="network_plan")
        return plan, False
    return None


def shared_summary(
    viewer: User, mentorship: Mentorship, *, today: dt.date | None = None
) -> NetworkSummary:
    """The mentee's plan summary as the pair sees it; a mentor's read of an unshared plan, and
    anyone else's, is NotFound."""
    found = _mentee_plan_for(viewer, mentorship)
    if found is None:
        raise NotFound("No shared network plan.")
    plan, is_owner = found
    return summarise(plan, for_owner=is_owner, today=today)


@dataclass(frozen=True)
class NetworkPanel:
    """The coverage panel of the mentorship page."""

    mentee: User
    viewer_is_owner: bool
    summary: NetworkSummary | None  # None: the mentee has not shared the plan


def network_panel(
    viewer: User, mentorship: Mentorship, *, today: dt.date | None = None
) -> NetworkPanel | None:
    """What the mentorship page shows of the mentee's plan: the summary for the mentee and for
    a mentor it is shared with; "not shared" for the mentor otherwise; nothing for anyone else
    (coordinators see aggregates on their dashboard only)."""
    if viewer.pk not in (mentorship.mentor_id, mentorship.mentee_id):
        return None
    found = _mentee_plan_for(viewer, mentorship)
    summary = summarise(found[0], for_owner=found[1], today=today) if found else None
    return NetworkPanel(
        mentee=mentorship.mentee, viewer_is_owner=viewer.pk == mentorship.mentee_id, summary=summary
    )
