"""Personal data: a registry of what we keep about a person, to export it and to erase it, and
the note of who read someone else's sensitive fields.

Every category of personal data registers an exporter and an eraser here; `GET /me/export/` and
every erasure (self-service, by a coordinator, from the admin) walk the whole registry, so a
category that registers is exported and erased everywhere at once. A model that refers to a
person and is in no category fails `tests/mentorship/test_privacy_registry.py`.

To add a category (say, notifications), in the module that owns the model:

    from mentorship import privacy

    def _export(person: User) -> list[dict[str, Any]]:
        return [{"kind": n.kind, "created_at": n.created_at, "read": n.read_at is not None}
                for n in Notification.objects.filter(recipient=person)]

    def _erase(erasure: privacy.Erasure) -> int:
        return Notification.objects.filter(recipient=erasure.person).delete()[0]

    privacy.register("notifications", export=_export, erase=_erase, models=[Notification])

and import that module from `MentorshipConfig.ready()` (mentorship/apps.py) if nothing else
does. Exporters return JSON-able data (dates are fine) holding nothing about other people beyond
what the person already sees; erasers run in one transaction, in `order`, before the person's
account row is pseudonymised (last), and return how many rows they changed.

What an eraser does with text: what the person wrote is removed; what others wrote about them
stays theirs but loses the person's names and e-mail (`Erasure.scrub`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models

from mentorship.models import User

PSEUDONYM = "Former participant"
ERASED_TEXT = "[erased]"
EXPORT_FORMAT = "mentorship-export/1"

# The fields whose reads by someone else are audited.
SENSITIVE_FIELDS = ("personality", "career_history", "private_notes", "network_plan")


@dataclass
class Erasure:
    """One person's erasure in progress: who, on whose initiative, and the person's identifiers
    as they were before anything was changed."""

    person: User
    actor: User
    by: str  # "self", "coordinator" or "admin"
    identifiers: tuple[str, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.identifiers:
            self.identifiers = identifiers_of(self.person)
        self._patterns = _patterns(self.identifiers)

    def scrub(self, text: str) -> str:
        """`text` (written by someone else) with the person's names and e-mail replaced."""
        for pattern in self._patterns:
            text = pattern.sub(PSEUDONYM, text)
        return text

    def scrub_fields(self, obj: models.Model, *names: str) -> bool:
        """Scrub text fields of `obj` in place; True when one changed (the caller saves)."""
        changed = False
        for name in names:
            value = getattr(obj, name)
            if isinstance(value, str) and value:
                cleaned = self.scrub(value)
                if cleaned != value:
                    setattr(obj, name, cleaned)
                    changed = True
        return changed

    def mentions(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self._patterns)


def identifiers_of(person: User) -> tuple[str, ...]:
    """What names the person in text: e-mail, username, full name, first and last names."""
    names = [person.email, person.username, person.get_full_name()]
    names += [person.first_name, person.last_name]
    seen: dict[str, None] = {}
    for name in names:
        name = (name or "").strip()
        if len(name) >= 2 and name.lower() != PSEUDONYM.lower():
            seen.setdefault(name, None)
    return tuple(sorted(seen, key=len, reverse=True))


def _patterns(identifiers: Iterable[str]) -> list[re.Pattern[str]]:
    """Longest first. A single-word name matches as written (capitalised), so a person called
    Will does not turn every "will" into a pseudonym; e-mails, usernames and full names match
    whatever their case."""
    patterns = []
    for identifier in identifiers:
        single_word = re.fullmatch(r"[^\W\d_][\w'-]*", identifier) is not None
        flags = 0 if single_word and identifier[:1].isupper() else re.IGNORECASE
        patterns.append(re.compile(rf"(?<!\w){re.escape(identifier)}(?!\w)", flags))
    return patterns


# The registry ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Category:
    name: str
    export: Callable[[User], Any] | None
    erase: Callable[[Erasure], int] | None
    models: tuple[type[models.Model], ...]
    order: int
    label: str  # how the "My data" page names it


REGISTRY: dict[str, Category] = {}


def register(
    name: str,
    *,
    export: Callable[[User], Any] | None,
    erase: Callable[[Erasure], int] | None,
    models: Iterable[type[models.Model]] = (),
    order: int = 50,
    label: str = "",
) -> None:
    """Register a category of personal data. `export` None: not part of the export (technical
    data such as sign-in counters); `erase` None: nothing to erase (said why in the category)."""
    if name in REGISTRY:
        raise ImproperlyConfigured(f"The privacy category {name!r} is registered twice.")
    label = label or name.replace("_", " ").capitalize()
    REGISTRY[name] = Category(name, export, erase, tuple(models), order, label)


def categories() -> list[Category]:
    """In erasure order."""
    return sorted(REGISTRY.values(), key=lambda c: (c.order, c.name))


def exported() -> list[Category]:
    """The categories of the export, in the order they were registered (the order shown)."""
    return [category for category in REGISTRY.values() if category.export is not None]


def covered_models() -> set[type[models.Model]]:
    return {model for category in REGISTRY.values() for model in category.models}


# Reads of sensitive fields -------------------------------------------------------------------


@dataclass(frozen=True)
class Read:
    subject_id: int
    field: str
    always: bool  # False: audited only when the reader coordinates a programme of the subject


_reads: ContextVar[set[Read] | None] = ContextVar("sensitive_reads", default=None)


@contextmanager
def collecting_reads() -> Iterator[set[Read]]:
    """Collect the sensitive reads of one request (mentorship.middleware.AuditMiddleware writes
    them once the response is ready and the reader known)."""
    token = _reads.set(set())
    try:
        reads = _reads.get()
        assert reads is not None
        yield reads
    finally:
        _reads.reset(token)


def note_read(*, subject_id: int, field: str, always: bool = True) -> None:
    """Someone is being shown `field` of person `subject_id`. Call it where the data is put into
    a response (a serializer, a page's selector, the admin). `always=False` for data shown to
    mentees too (a mentor's career on a suggestion): audited only for coordinators."""
    if field not in SENSITIVE_FIELDS:
        raise ValueError(f"{field!r} is not a sensitive field: {', '.join(SENSITIVE_FIELDS)}")
    reads = _reads.get()
    if reads is not None and subject_id is not None:
        reads.add(Read(subject_id, field, always))
