"""CSV exports for coordinators: selectors that yield rows; the interfaces only stream them.

Every cell goes through `safe_cell`, so a member who names themself `=HYPERLINK(…)` cannot put a
formula into a coordinator's spreadsheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from mentorship.errors import NotFound
from mentorship.models import Export as StoredExport
from mentorship.models import Programme, Role, User
from mentorship.selectors.cadence import programme_cadence
from mentorship.selectors.programmes import coordinated_programme, programme_members

# Spreadsheets read a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CADENCE_COLUMNS = (
    "mentorship",
    "mentor",
    "mentee",
    "started_on",
    "expected_interval_days",
    "sessions",
    "last_session",
    "days_since",
    "next_due",
    "status",
)

MEMBER_COLUMNS = (
    "role",
    "name",
    "username",
    "joined_on",
    "seats_taken",
    "capacity",
    "accepting_mentees",
    "has_mentor",
)


@dataclass(frozen=True)
class Export:
    filename: str
    rows: Iterable[list[str]]  # the header first


def safe_cell(value: object) -> str:
    """A cell as text, with a leading quote when a spreadsheet would run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """The rows as CSV text, one line at a time (for a streaming response). Every cell goes
    through `safe_cell` here too (it is idempotent), so an export that forgot is still safe:
    this is the one CSV writer of the code base (a test keeps it so)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def cadence_export(
    *,
    actor: User,
    slug: str,
    status: str | None = None,
    mentor_id: int | None = None,
    today: dt.date | None = None,
) -> Export:
    """The programme's cadence table, one row per active mentorship, most urgent first."""
    today = today or timezone.localdate()
    programme, rows, _ = programme_cadence(
        actor=actor, slug=slug, status=status, mentor_id=mentor_id, today=today
    )

    def lines() -> Iterator[list[str]]:
        yield list(CADENCE_COLUMNS)
        for row in rows:
            m, c = row.mentorship, row.cadence
            yield [
                safe_cell(value)
                for value in (
                    m.pk,
                    m.mentor.display_name,
                    m.mentee.display_name,
                    m.started_on,
                    m.cadence_days,
                    c.sessions_held,
                    c.last_session or "",
                    c.days_since,
                    c.next_due,
                    c.status,
                )
            ]

    return Export(f"{programme.slug}-cadence-{today.isoformat()}.csv", lines())


def members_export(*, actor: User, slug: str, today: dt.date | None = None) -> Export:
    """The programme's members by role: mentors with their seats, mentees with whether they
    have a mentor here. No e-mail addresses: members never agreed to share them."""
    today = today or timezone.localdate()
    listing = programme_members(actor=actor, slug=slug)

    def lines() -> Iterator[list[str]]:
        yield list(MEMBER_COLUMNS)
        members: Iterable[Any] = listing.members  # annotated with seats_taken and has_mentor
        for m in members:
            profile = getattr(m.user, "profile", None)
            is_mentor = m.role == Role.MENTOR
            yield [
                safe_cell(value)
                for value in (
                    m.role,
                    m.user.display_name,
                    m.user.username,
                    timezone.localdate(m.joined_at),
                    m.seats_taken if is_mentor else "",
                    profile.capacity if is_mentor and profile else "",
                    ("yes" if profile.accepting_mentees else "no") if is_mentor and profile else "",
                    ("yes" if m.has_mentor else "no") if m.role == Role.MENTEE else "",
                )
            ]

    return Export(f"{listing.programme.slug}-members-{today.isoformat()}.csv", lines())


# Background exports (services/exports.py) ---------------------------------------------------


def exports_of(*, actor: User, slug: str) -> tuple[Programme, QuerySet[StoredExport]]:
    """The programme's exports, newest first, for its coordinators (without the files)."""
    programme = coordinated_programme(actor, slug)
    exports = (
        StoredExport.objects.filter(programme=programme)
        .select_related("requested_by")
        .defer("content")
        .order_by("-created_at", "-pk")
    )
    return programme, exports


def export_for(*, actor: User, slug: str, pk: int) -> StoredExport:
    programme = coordinated_programme(actor, slug)
    export = (
        StoredExport.objects.select_related("programme").filter(programme=programme, pk=pk).first()
    )
    if export is None:
        raise NotFound("No such export.")
    return export
