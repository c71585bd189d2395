"""What the "My data" page shows: how much the platform keeps about the signed-in person, by
category of the privacy registry (the export itself is a service: it is audited)."""

from __future__ import annotations

from dataclasses import dataclass

from mentorship.models import User
from mentorship.privacy import exported


@dataclass(frozen=True)
class Kept:
    label: str
    amount: str


def kept_about(user: User) -> list[Kept]:
    rows = []
    for category in exported():
        data = category.export(user)  # type: ignore[misc]
        if isinstance(data, list):
            amount = f"{len(data)} item{'s' if len(data) != 1 else ''}" if data else "none"
        else:
            amount = "kept" if data else "none"
        rows.append(Kept(category.label, amount))
    return rows
