"""Strict JSON fields: a value of the wrong JSON type is a 400, never silently coerced.

DRF's own fields accept `0` for a boolean, `5` for a string and `"5"` for a number; a JSON API
that other programs are written against should say what it means.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from mentorship.matching_adapter import COMPONENTS

MAX_ID = 999_999_999_999_999_999  # ids fit a 64-bit database integer (also in the URLs)


class _StrictString:
    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            raise serializers.ValidationError("Must be a string.", code="invalid")
        # The schema's maxLength counts what is sent; DRF would count it after trimming, and
        # admit a text one whitespace character too long.
        max_length = getattr(self, "max_length", None)
        if max_length is not None and len(data) > max_length:
            self.fail("max_length", max_length=max_length)  # type: ignore[attr-defined]
        return super().to_internal_value(data)  # type: ignore[misc]


# A character that is whitespace neither to Python (which trims \x1c-\x1f and \x85 too) nor to
# ECMAScript (whose \s also holds \ufeff): clients read the schema's pattern with the latter.
VISIBLE = r"[^\s\x1c-\x1f\x85\ufeff]"


class CharField(_StrictString, serializers.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not self.allow_blank and not self.read_only:
            # Surrounding whitespace is trimmed, so a required text needs a visible character;
            # the pattern says so in the schema too.
            self.validators.append(RegexValidator(VISIBLE, "This field may not be blank."))


class SlugField(_StrictString, serializers.SlugField):
    pass


class EmailField(_StrictString, serializers.EmailField):
    pass


class RegexField(_StrictString, serializers.RegexField):
    pass


class DateField(_StrictString, serializers.DateField):
    pass


class IntegerField(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            raise serializers.ValidationError("Must be a whole number.", code="invalid")
        return int(super().to_internal_value(data))


class FloatField(serializers.FloatField):
    def to_internal_value(self, data: Any) -> float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise serializers.ValidationError("Must be a number.", code="invalid")
        return float(super().to_internal_value(data))


class BooleanField(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            raise serializers.ValidationError("Must be true or false.", code="invalid")
        return data


class UniqueListField(serializers.ListField):
    """A list whose items must not repeat (`uniqueItems` in the schema)."""

    def to_internal_value(self, data: Any) -> list[Any]:
        items = list(super().to_internal_value(data))
        if len({repr(item) for item in items}) != len(items):
            raise serializers.ValidationError("Entries must not repeat.", code="not_unique")
        return items


@extend_schema_field({"type": "boolean", "enum": [True]})
class ConsentField(BooleanField):
    """Must be `true`: stored answers need explicit consent."""


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            name: {"type": "number", "minimum": 0, "maximum": 100} for name in COMPONENTS
        },
        "additionalProperties": False,
        # Merged over the defaults, the weights are all zero only if all six are sent as zero.
        "not": {
            "required": list(COMPONENTS),
            "properties": {name: {"enum": [0]} for name in COMPONENTS},
        },
    }
)
class WeightsField(serializers.DictField):
    """Overrides of the matching engine's weights, by component name."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=FloatField(min_value=0, max_value=100), **kwargs)

    def to_internal_value(self, data: Any) -> dict[str, float]:
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(COMPONENTS))
            if unknown:
                raise serializers.ValidationError(
                    f"Unknown weight {', '.join(unknown)}; use {', '.join(COMPONENTS)}."
                )
        return dict(super().to_internal_value(data))
