"""Keeping each mentor's `MentorAvailability` row and the stored index's to-do list current.

Every service that can change whether a mentor may be proposed (a mentorship starts or ends,
capacity or accepting edited, paused or available again, joins or leaves as mentor, erased)
calls `mentor_changed` inside its own transaction, so the row changes with the write that caused
it. A change to the mentor's *matching profile* (the fields the engine fits: `profile=True`) also
marks the mentor for the stored index, which a background task updates after the commit
(`mentorship.tasks.refresh_mentor_index`). Availability never rebuilds the index: it is a mask
applied when a mentee asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, F, Q

from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    Membership,
    MentorAvailability,
    MentorIndexState,
    Profile,
    Role,
)

# The profile fields the engine reads for a mentor (mentorship.matching_adapter.profile_lines);
# an edit of any of them changes the mentor's fitted features. `topics_wanted` is a mentee's.
MATCHING_PROFILE_FIELDS = frozenset(
    {
        "headline",
        "about",
        "skills",
        "certifications",
        "seniority",
        "topics_offered",
        "languages",
        "timezone",
        "formats",
    }
)
# The profile fields that decide whether a mentor has room (capacity) and wants mentees.
AVAILABILITY_PROFILE_FIELDS = frozenset({"capacity", "accepting_mentees"})


@dataclass(frozen=True)
class Seats:
    accepting: bool
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        """Places a mentor can still offer: 0 when full or not accepting mentees."""
        return max(self.capacity - self.taken, 0) if self.accepting else 0


def seats_of(mentor_ids: Iterable[int]) -> dict[int, Seats]:
    """Capacity is on the shared profile and counts mentorships in every programme."""
    rows = (
        Profile.objects.filter(user_id__in=list(mentor_ids))
        .annotate(
            taken=Count(
                "user__mentorships_as_mentor",
                filter=Q(user__mentorships_as_mentor__status__in=SEAT_HOLDING_STATUSES),
                distinct=True,
            )
        )
        .values_list("user_id", "accepting_mentees", "capacity", "taken")
    )
    return {uid: Seats(accepting, capacity, taken) for uid, accepting, capacity, taken in rows}


def _is_available(membership_paused: bool | None, seats: Seats | None) -> bool:
    """`membership_paused` None: not a mentor of the programme (left, or never joined)."""
    return (
        membership_paused is False
        and seats is not None
        and seats.accepting
        and seats.taken < seats.capacity
    )


def _next_change(programme_id: int, count: int = 1) -> int:
    """Take the programme's next change number(s); returns the last one taken. The UPDATE
    locks the state row until commit, so two writers never take the same number."""
    MentorIndexState.objects.get_or_create(programme_id=programme_id)
    MentorIndexState.objects.filter(programme_id=programme_id).update(changes=F("changes") + count)
    return int(
        MentorIndexState.objects.filter(programme_id=programme_id)
        .values_list("changes", flat=True)
        .get()
    )


def mentor_changed(
    *, user_id: int, programme_ids: Iterable[int] | None = None, profile: bool = False
) -> list[int]:
    """Recompute `user_id`'s availability as a mentor in `programme_ids` (default: every
    programme where they mentor or have a row) inside the caller's transaction. `profile`: their
    matching profile or membership changed too, so the stored index must update them (queued
    after the commit). Returns the programmes whose index must update them."""
    memberships = dict(
        Membership.objects.filter(user_id=user_id, role=Role.MENTOR).values_list(
            "programme_id", "requests_paused_at"
        )
    )
    rows = {row.programme_id: row for row in MentorAvailability.objects.filter(mentor_id=user_id)}
    wanted = set(memberships) | set(rows) if programme_ids is None else set(programme_ids)
    if not wanted:
        return []
    seats = seats_of([user_id]).get(user_id)
    touched: list[int] = []
    for programme_id in sorted(wanted):
        paused = (memberships[programme_id] is not None) if programme_id in memberships else None
        available = _is_available(paused, seats)
        row = rows.get(programme_id)
        if row is not None and row.available == available and not profile:
            continue
        if row is None and paused is None and not profile:
            continue  # never a mentor here: nothing to record
        version = _next_change(programme_id)
        fields = {"available": available, "version": version}
        if profile or row is None:
            fields["profile_version"] = version
        MentorAvailability.objects.update_or_create(
            programme_id=programme_id, mentor_id=user_id, defaults=fields
        )
        if "profile_version" in fields:
            MentorIndexState.objects.filter(programme_id=programme_id).update(
                profile_changed=version
            )
            touched.append(programme_id)
    if touched:
        transaction.on_commit(lambda: _queue_index_refresh(touched))
    return touched


def mentor_profile_changed(*, user_id: int, changed: Iterable[str]) -> None:
    """After a profile edit: the index learns of matching fields, the mask of capacity and
    accepting; other fields (names, topics wanted) change neither."""
    changed = set(changed)
    if changed & MATCHING_PROFILE_FIELDS:
        mentor_changed(user_id=user_id, profile=True)
    elif changed & AVAILABILITY_PROFILE_FIELDS:
        mentor_changed(user_id=user_id)


def _queue_index_refresh(programme_ids: list[int]) -> None:
    from mentorship import tasks  # tasks import the services: imported when first needed

    for programme_id in programme_ids:
        tasks.refresh_mentor_index.delay(programme_id)


def resync_availability(*, programme_id: int) -> int:
    """Recompute every mentor row of the programme (the daily check, and before a full index
    build): a write that bypassed the services is corrected here. Returns the rows changed."""
    with transaction.atomic():
        memberships = dict(
            Membership.objects.filter(programme_id=programme_id, role=Role.MENTOR).values_list(
                "user_id", "requests_paused_at"
            )
        )
        rows = {
            row.mentor_id: row
            for row in MentorAvailability.objects.filter(programme_id=programme_id)
        }
        seats = seats_of(memberships)
        changed: list[MentorAvailability] = []
        created: list[MentorAvailability] = []
        for mentor_id in sorted(set(memberships) | set(rows)):
            paused = (memberships[mentor_id] is not None) if mentor_id in memberships else None
            available = _is_available(paused, seats.get(mentor_id))
            row = rows.get(mentor_id)
            if row is None:
                created.append(
                    MentorAvailability(
                        programme_id=programme_id, mentor_id=mentor_id, available=available
                    )
                )
            elif row.available != available:
                row.available = available
                changed.append(row)
        if not changed and not created:
            return 0
        version = _next_change(programme_id)
        for row in changed:
            row.version = version
            if row.mentor_id not in memberships:
                row.profile_version = version  # left behind the services' back: out of the index
        for row in created:
            # A mentor the index may not know yet (added behind the services' back).
            row.version = row.profile_version = version
        MentorAvailability.objects.bulk_update(
            changed, fields=["available", "version", "profile_version"]
        )
        MentorAvailability.objects.bulk_create(created)
        if created or any(row.profile_version == version for row in changed):
            MentorIndexState.objects.filter(programme_id=programme_id).update(
                profile_changed=version
            )
        return len(changed) + len(created)
