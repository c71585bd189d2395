"""The network plan, seen from the programme: coordinators' aggregates (counts only, never a
mentee's contacts) and the inputs of the `network_fit` matching factor (a mentor's reach by
network group, a mentee's thin groups)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from mentorship.models import (
    Contact,
    Introduction,
    IntroductionOutcome,
    Membership,
    Programme,
    Role,
    User,
)
from mentorship.selectors.network import contact_cadence, with_touchpoint_counts
from mentorship.selectors.programmes import coordinated_programme
from mentorship.taxonomy import NetworkGroup

# Introductions that led somewhere: the mentee met the contact, or more came of it.
LED_TO_OUTCOME = (IntroductionOutcome.MET, IntroductionOutcome.OPPORTUNITY)
# Relationships that are alive: touched within their tier's interval.
ALIVE = ("on_track", "due")


# Coordinators: aggregates only ---------------------------------------------------------------


@dataclass(frozen=True)
class MenteeNetworkRow:
    mentee: User
    contacts: int
    on_track: int
    touchpoints: int
    touchpoints_last_30_days: int


@dataclass(frozen=True)
class NetworkAggregates:
    programme: Programme
    mentees: int
    mentees_with_plan: int
    contacts: int
    on_track: int
    touchpoints_last_30_days: int
    introductions: int
    introductions_as_contacts: int
    active_relationships: int
    rows: list[MenteeNetworkRow]

    @property
    def active_relationship_rate(self) -> float | None:
        if not self.introductions:
            return None
        return round(self.active_relationships / self.introductions, 3)


def programme_network_aggregates(
    *, actor: User, slug: str, today: dt.date | None = None
) -> NetworkAggregates:
    """Per mentee of a programme the actor coordinates: how many contacts and touchpoints, and
    how many introductions became active relationships. Counts only: never a contact."""
    programme = coordinated_programme(actor, slug)
    today = today or timezone.localdate()
    recent = today - dt.timedelta(days=30)
    contacts: list[Any] = list(
        with_touchpoint_counts(Contact.objects.filter(plan__programme=programme).active())
        .annotate(recent_touchpoints=Count("touchpoints", filter=Q(touchpoints__date__gt=recent)))
        .select_related("plan__programme")
    )
    status = {c.pk: contact_cadence(c, today=today).status for c in contacts}
    per_owner: dict[int, list[Any]] = defaultdict(list)
    for contact in contacts:
        per_owner[contact.plan.owner_id].append(contact)
    owners = User.objects.filter(network_plans__programme=programme).order_by(
        "first_name", "last_name", "username"
    )
    rows = [
        MenteeNetworkRow(
            mentee=owner,
            contacts=len(per_owner[owner.pk]),
            on_track=sum(1 for c in per_owner[owner.pk] if status[c.pk] == "on_track"),
            touchpoints=sum(c.touchpoints_held for c in per_owner[owner.pk]),
            touchpoints_last_30_days=sum(c.recent_touchpoints for c in per_owner[owner.pk]),
        )
        for owner in owners
    ]
    rows.sort(key=lambda r: (-r.contacts, -r.touchpoints))
    introduced = [c for c in contacts if c.introduction_id]
    return NetworkAggregates(
        programme=programme,
        mentees=Membership.objects.filter(programme=programme, role=Role.MENTEE).count(),
        mentees_with_plan=len(rows),
        contacts=len(contacts),
        on_track=sum(1 for c in contacts if status[c.pk] == "on_track"),
        touchpoints_last_30_days=sum(c.recent_touchpoints for c in contacts),
        introductions=Introduction.objects.filter(mentorship__programme=programme).count(),
        introductions_as_contacts=len(introduced),
        active_relationships=sum(
            1 for c in introduced if c.touchpoints_held and status[c.pk] in ALIVE
        ),
        rows=rows,
    )


# Network reach: the matching factor's inputs ---------------------------------------------------
#
# The shapes are the engine's profile-line signals (`network_reach` of a mentor, `network_gaps`
# of a mentee); the adapter puts them on the lines it sends, keyed by person id.

# Two healthy contacts in a group: the plan is fine there.
HEALTHY_ENOUGH = 2


def mentor_network_reach(programme: Programme) -> dict[int, dict[str, dict[str, int]]]:
    """Per mentor of the programme (user id), their introductions in it by network group and
    how many led to an outcome (the mentee met the contact, or more):
    `{mentor_id: {"senior_leadership": {"introductions": 6, "outcomes": 4}, ...}}`.
    Every mentor is present; groups they never introduced into are absent."""
    reach: dict[int, dict[str, dict[str, int]]] = {
        user_id: {}
        for user_id in Membership.objects.filter(programme=programme, role=Role.MENTOR)
        .values_list("user_id", flat=True)
        .order_by("user_id")
    }
    rows = (
        Introduction.objects.filter(
            mentorship__programme=programme, introducer_id=F("mentorship__mentor_id")
        )
        .values("introducer_id", "network_group")
        .annotate(
            introductions=Count("id"),
            outcomes=Count("id", filter=Q(outcome__in=LED_TO_OUTCOME)),
        )
        .order_by()
    )
    for row in rows:
        if row["introducer_id"] in reach:
            reach[row["introducer_id"]][row["network_group"]] = {
                "introductions": row["introductions"],
                "outcomes": row["outcomes"],
            }
    return reach


def network_gaps(
    programme: Programme, mentee_ids: Iterable[int], *, today: dt.date | None = None
) -> dict[int, dict[str, float]]:
    """Per mentee (user id), how thin their plan in the programme is in each network group:
    1 with no healthy (on-track) contact there, 0.5 with one, absent from two on. A mentee
    without a plan is thin everywhere."""
    today = today or timezone.localdate()
    ids = list(mentee_ids)
    healthy: dict[int, Counter[str]] = defaultdict(Counter)
    contacts = with_touchpoint_counts(
        Contact.objects.filter(plan__programme=programme, plan__owner_id__in=ids).active()
    ).select_related("plan__programme")
    for contact in contacts:
        if contact_cadence(contact, today=today).status == "on_track":
            healthy[contact.plan.owner_id][contact.network_group] += 1
    return {
        i: {
            group: 1 - healthy[i][group] / HEALTHY_ENOUGH
            for group in NetworkGroup.values
            if healthy[i][group] < HEALTHY_ENOUGH
        }
        for i in ids
    }


def thin_groups(
    programme: Programme, mentee_ids: Iterable[int], *, today: dt.date | None = None
) -> dict[int, list[str]]:
    """Per mentee (user id), the network groups of their plan without a healthy contact, in
    taxonomy order."""
    gaps = network_gaps(programme, mentee_ids, today=today)
    return {i: [g for g, weight in groups.items() if weight == 1] for i, groups in gaps.items()}
