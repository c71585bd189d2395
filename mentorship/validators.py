"""Field validators for the JSON list fields and other free-form values of the domain."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

from mentorship.taxonomy import MeetingFormat

SLUG = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@deconstructible
class StringList:
    """A JSON list of distinct, non-blank, bounded strings."""

    def __init__(self, *, max_items: int, max_length: int) -> None:
        self.max_items = max_items
        self.max_length = max_length

    def __call__(self, value: Any) -> None:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise ValidationError("Must be a list of strings.")
        if len(value) > self.max_items:
            raise ValidationError(f"At most {self.max_items} entries.")
        for item in value:
            if not item.strip():
                raise ValidationError("Entries cannot be blank.")
            if len(item) > self.max_length:
                raise ValidationError(f"Entries are at most {self.max_length} characters.")
        if len({item.strip().lower() for item in value}) != len(value):
            raise ValidationError("Entries must not repeat.")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StringList) and (self.max_items, self.max_length) == (
            other.max_items,
            other.max_length,
        )

    def __hash__(self) -> int:
        return hash((self.max_items, self.max_length))


validate_skills = StringList(max_items=40, max_length=80)


def validate_slug_list(value: Any) -> None:
    StringList(max_items=30, max_length=40)(value)
    bad = [item for item in value if not SLUG.fullmatch(item)]
    if bad:
        raise ValidationError(f"Not a topic code: {', '.join(bad)}.")


def validate_languages(value: Any) -> None:
    StringList(max_items=10, max_length=3)(value)
    bad = [item for item in value if not LANGUAGE.fullmatch(item)]
    if bad:
        raise ValidationError(f"Use ISO 639 language codes such as 'en': {', '.join(bad)}.")


def validate_formats(value: Any) -> None:
    StringList(max_items=len(MeetingFormat.values), max_length=16)(value)
    bad = [item for item in value if item not in MeetingFormat.values]
    if bad:
        raise ValidationError(
            f"Unknown meeting format: {', '.join(bad)} (use {', '.join(MeetingFormat.values)})."
        )


@cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: Any) -> None:
    if value not in _timezones():
        raise ValidationError(f"Unknown time zone {value!r}; use a name such as 'Europe/London'.")


def validate_tipi_answers(value: Any) -> None:
    if (
        not isinstance(value, list)
        or len(value) != 10
        or not all(isinstance(a, int) and not isinstance(a, bool) and 1 <= a <= 7 for a in value)
    ):
        raise ValidationError("Give exactly ten answers, each a whole number from 1 to 7.")


# The network plan: what a due contact suggests offering (a programme edits its own list).
VALUE_IDEAS = (
    "Share an article they would find useful",
    "Congratulate them on a recent success",
    "Offer an introduction of your own",
    "Ask for their view on a problem you are working on",
    "Invite them to an event you are going to",
    "Tell them what came of their last piece of advice",
)
VALUE_IDEAS_MAX = 12
VALUE_IDEA_LENGTH = 120


def default_value_ideas() -> list[str]:
    return list(VALUE_IDEAS)


def validate_value_ideas(value: Any) -> None:
    StringList(max_items=VALUE_IDEAS_MAX, max_length=VALUE_IDEA_LENGTH)(value)
    if not value:
        raise ValidationError("Give at least one way to offer value.")
