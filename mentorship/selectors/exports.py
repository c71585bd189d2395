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

from django.utils import timezone

from mentorship.models import User
from mentorship.selectors.cadence import programme_cadence

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
    *, actor: User, slug: str, status: str | None = None, today: dt.date | None = None
) -> Export:
    """The programme's cadence table, one row per active mentorship, most urgent first."""
    today = today or timezone.localdate()
    programme, rows, _ = programme_cadence(actor=actor, slug=slug, status=status, today=today)

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
