"""Profile lines: validation into a normalised form, dates, time zones and the Big Five.

A profile line is the CLI profile format of DESIGN.md (mentors and mentees alike). Unknown keys are
ignored and every key except ``id`` is optional. :func:`validate_profile` returns a normalised copy
and raises :class:`ValueError` naming the offending field; everything downstream relies on that
normal form.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import zoneinfo
from collections.abc import Mapping, Sequence

from matching.scoring import NEUTRAL_RESPONSIVENESS
from matching.vocab import NETWORK_GROUPS, TRAITS

__all__ = [
    "Profile",
    "label_list",
    "parse_as_of",
    "tipi_traits",
    "tz_offset_halfhours",
    "validate_profile",
]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_UTC_RE = re.compile(r"^(?:utc|gmt)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)
_TEXT_FIELDS = ("title", "organisation", "industry", "summary")


class Profile(dict[str, object]):
    """A validated, normalised profile: what :func:`validate_profile` returns.

    A plain dict to its users; the type lets the engine skip validating the same profile twice.
    """

    __slots__ = ()


def parse_as_of(value: str) -> dt.date:
    """Parse an ISO date ``YYYY-MM-DD`` (the ``as_of`` of every call); ValueError otherwise."""
    if not isinstance(value, str):
        raise ValueError(f"as_of must be an ISO date string 'YYYY-MM-DD', got {value!r}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"as_of must be an ISO date 'YYYY-MM-DD', got {value!r}") from None


def month_index(value: str) -> int:
    """Months since year 0 of a normalised ``YYYY-MM`` date."""
    return int(value[:4]) * 12 + int(value[5:7]) - 1


def _normal_month(value: object, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{field}: expected a date 'YYYY-MM' or null, got {value!r}")
    match = _DATE_RE.match(value.strip())
    if match is None:
        raise ValueError(f"{field}: expected a date 'YYYY-MM', got {value!r}")
    year = int(match.group(1))
    # A bare year is read as mid-year: the best guess for how long a position lasted.
    month = int(match.group(2)) if match.group(2) else 7
    if not 1 <= month <= 12 or year < 1900:
        raise ValueError(f"{field}: {value!r} is not a valid date")
    if match.group(3):
        try:
            dt.date(year, month, int(match.group(3)))
        except ValueError:
            raise ValueError(f"{field}: {value!r} is not a valid date") from None
    return f"{year:04d}-{month:02d}"


@functools.lru_cache(maxsize=1024)
def _zone(name: str) -> zoneinfo.ZoneInfo | int:
    """A named zone, or a fixed offset in minutes for 'UTC+5:30'-style names."""
    match = _UTC_RE.match(name.strip())
    if match is not None:
        hours, minutes = int(match.group(2)), int(match.group(3) or 0)
        if hours > 14 or minutes >= 60:
            raise ValueError(f"timezone: {name!r} is not a valid UTC offset")
        sign = -1 if match.group(1) == "-" else 1
        return sign * (hours * 60 + minutes)
    if name.strip().upper() in ("UTC", "GMT", "Z"):
        return 0
    try:
        return zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"timezone: unknown time zone {name!r}") from None


@functools.lru_cache(maxsize=4096)
def tz_offset_halfhours(name: str, as_of: dt.date) -> int:
    """UTC offset of a time zone on ``as_of`` (noon UTC), in half hours, rounded to the nearest.

    Accepts IANA names ("Europe/London") and fixed offsets ("UTC+5:30", "+02:00", "GMT-3").
    Daylight saving is the one in force on ``as_of``. Offsets of 45 minutes (Nepal, Chatham) are
    rounded to the nearest half hour.
    """
    zone = _zone(name)
    if isinstance(zone, int):
        minutes = zone
    else:
        instant = dt.datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=dt.UTC)
        delta = instant.astimezone(zone).utcoffset()
        minutes = 0 if delta is None else int(delta.total_seconds() // 60)
    return math.floor(minutes / 30 + 0.5)


def tipi_traits(answers: Sequence[float]) -> dict[str, float]:
    """Big Five traits (1-7) from the ten answers of the Ten-Item Personality Inventory (TIPI).

    Parameters
    ----------
    answers : sequence of 10 numbers in [1, 7], in questionnaire order (Gosling et al., 2003).
    """
    if len(answers) != 10:
        raise ValueError(f"personality.answers: expected 10 answers, got {len(answers)}")
    a = [_trait_value(v, f"personality.answers[{i}]") for i, v in enumerate(answers)]
    return {
        "extraversion": (a[0] + 8 - a[5]) / 2,
        "agreeableness": (8 - a[1] + a[6]) / 2,
        "conscientiousness": (a[2] + 8 - a[7]) / 2,
        "emotional_stability": (8 - a[3] + a[8]) / 2,
        "openness": (a[4] + 8 - a[9]) / 2,
    }


def _trait_value(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{field}: expected a number from 1 to 7, got {value!r}")
    number = float(value)
    if not 1.0 <= number <= 7.0:
        raise ValueError(f"{field}: expected a number from 1 to 7, got {value!r}")
    return number


def _id(value: object, field: str) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"{field}: expected a non-empty string id, got {value!r}")
    text = str(value).strip()
    if not text:
        raise ValueError(f"{field}: expected a non-empty string id")
    return text


def _text(value: object, field: str) -> str:
    if value is None:
        return ""
    if type(value) is not str:
        raise ValueError(f"{field}: expected a string, got {type(value).__name__}")
    return value.strip()


def _strings(value: object, field: str) -> list[str]:
    if value is None:
        return []
    if type(value) is not list:
        raise ValueError(f"{field}: expected a list of strings, got {type(value).__name__}")
    out: list[str] = []
    seen: set[str] = set()
    for item in value:
        if type(item) is not str:
            i = value.index(item)
            raise ValueError(f"{field}[{i}]: expected a string, got {item!r}")
        text = item.strip()
        if text:
            low = text.lower()
            if low not in seen:
                seen.add(low)
                out.append(text)
    return out


def _label(text: str) -> str:
    return "_".join(text.lower().replace("-", " ").split())


def _labels(value: object, field: str) -> list[str]:
    """Lower-case snake_case labels ("Stakeholder management" -> "stakeholder_management")."""
    return list(dict.fromkeys([_label(s) for s in _strings(value, field)]))


def label_list(value: object) -> list[str]:
    """Labels of a value that may not be valid yet (non-strings skipped, no error)."""
    if not isinstance(value, list):
        return []
    return [_label(s) for s in value if isinstance(s, str) and s.strip()]


def _languages(value: object) -> list[str]:
    # "en-GB" and "en" both speak English: compare primary language subtags.
    out: list[str] = []
    for s in _strings(value, "languages"):
        code = s.lower().replace("_", "-").split("-", 1)[0]
        if code and code not in out:
            out.append(code)
    return out


def _int_in(value: object, field: str, low: int, high: int | None) -> int:
    if type(value) is int:
        number = value
    elif type(value) is float and value.is_integer():
        number = int(value)
    else:
        raise ValueError(f"{field}: expected an integer, got {value!r}")
    if number < low or (high is not None and number > high):
        bound = f"from {low} to {high}" if high is not None else f">= {low}"
        raise ValueError(f"{field}: expected an integer {bound}, got {value!r}")
    return number


def _is_month(value: object) -> bool:
    """Fast check for an already normal 'YYYY-MM' (the common case)."""
    return (
        type(value) is str
        and len(value) == 7
        and value[4] == "-"
        and value[:4].isdigit()
        and value[5:].isdigit()
        and "01" <= value[5:] <= "12"
        and value >= "1900"
    )


def _positions(value: object) -> list[dict[str, str | None]]:
    if value is None:
        return []
    if type(value) is not list:
        raise ValueError(f"positions: expected a list, got {type(value).__name__}")
    out: list[dict[str, str | None]] = []
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise ValueError(f"positions[{i}]: expected an object, got {item!r}")
        position: dict[str, str | None] = {}
        for key in _TEXT_FIELDS:
            text = item.get(key)
            if text is None:
                position[key] = ""
            elif type(text) is str:
                position[key] = text.strip()
            else:
                raise ValueError(
                    f"positions[{i}].{key}: expected a string, got {type(text).__name__}"
                )
        start = item.get("start")
        if not (start is None or _is_month(start)):
            start = _normal_month(start, f"positions[{i}].start")
        end = item.get("end")
        if not (end is None or _is_month(end)):
            end = _normal_month(end, f"positions[{i}].end")
        if start is not None and end is not None and end < start:
            raise ValueError(f"positions[{i}]: end {end} is before start {start}")
        position["start"] = start
        position["end"] = end
        out.append(position)
    return out


def _personality(value: object) -> dict[str, float] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValueError(f"personality: expected an object, got {type(value).__name__}")
    answers = value.get("answers")
    if answers is not None:
        if not isinstance(answers, list):
            raise ValueError("personality.answers: expected a list of 10 numbers")
        return tipi_traits(answers)
    traits: dict[str, float] = {}
    for trait in TRAITS:
        v = value.get(trait)
        if v is None:
            continue
        if (type(v) is int or type(v) is float) and 1.0 <= v <= 7.0:
            traits[trait] = float(v)
        else:
            traits[trait] = _trait_value(v, f"personality.{trait}")
    if not traits:
        return None
    # A partly answered questionnaire counts the missing traits as the scale's midpoint.
    return {trait: traits.get(trait, 4.0) for trait in TRAITS}


def validate_profile(line: Mapping[str, object]) -> Profile:
    """Validate one profile line and return its normalised copy.

    The copy has every key: ``id`` (str), ``positions`` (list of dicts with title, organisation,
    industry, summary, start and end as ``YYYY-MM`` or None), ``skills``, ``certifications``,
    ``about``, ``topics`` and ``formats`` (snake_case labels), ``languages`` (primary subtags),
    ``seniority`` (1-6 or None), ``personality`` (the five traits 1-7, or None), ``timezone``
    (str or None), ``capacity`` (int >= 0, default 1), ``accepting`` (bool, default True),
    ``exclude`` (list of ids), ``responsiveness`` (a mentor's answer rate in [0, 1], default
    0.5 = no history), ``network_reach`` (a mentor's introductions per network group: a dict of
    every group in NETWORK_GROUPS to a count >= 0, default zeros) and ``network_gaps`` (the
    mentee's thin network groups, default []). Raises ValueError naming the field for any
    malformed value.
    """
    if not isinstance(line, Mapping):
        raise ValueError(f"expected a JSON object, got {type(line).__name__}")
    if line.get("id") is None:
        raise ValueError("id: missing")
    timezone = _text(line.get("timezone"), "timezone") or None
    if timezone is not None:
        _zone(timezone)
    seniority = line.get("seniority")
    accepting = line.get("accepting", True)
    if type(accepting) is not bool:
        raise ValueError(f"accepting: expected true or false, got {accepting!r}")
    capacity = line.get("capacity")
    exclude = line.get("exclude")
    return Profile(
        {
            "id": _id(line.get("id"), "id"),
            "positions": _positions(line.get("positions")),
            "skills": _strings(line.get("skills"), "skills"),
            "certifications": _strings(line.get("certifications"), "certifications"),
            "seniority": None if seniority is None else _int_in(seniority, "seniority", 1, 6),
            "topics": _labels(line.get("topics"), "topics"),
            "about": _text(line.get("about"), "about"),
            "personality": _personality(line.get("personality")),
            "languages": _languages(line.get("languages")),
            "timezone": timezone,
            "formats": _labels(line.get("formats"), "formats"),
            "capacity": 1 if capacity is None else _int_in(capacity, "capacity", 0, None),
            "accepting": accepting,
            "exclude": []
            if not exclude
            else [_id(v, f"exclude[{i}]") for i, v in enumerate(_list(exclude, "exclude"))],
            "responsiveness": _responsiveness(line.get("responsiveness")),
            "network_reach": _network_reach(line.get("network_reach")),
            "network_gaps": _network_gaps(line.get("network_gaps")),
        }
    )


_NO_REACH: Mapping[str, int] = dict.fromkeys(NETWORK_GROUPS, 0)


def _responsiveness(value: object) -> float:
    if value is None:
        return NEUTRAL_RESPONSIVENESS
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or not 0.0 <= value <= 1.0
    ):
        raise ValueError(f"responsiveness: expected a number from 0 to 1, got {value!r}")
    return float(value)


def _network_group(value: object, field: str) -> str:
    if not isinstance(value, str) or value not in NETWORK_GROUPS:
        raise ValueError(
            f"{field}: unknown network group {value!r}; the groups are {', '.join(NETWORK_GROUPS)}"
        )
    return value


def _network_reach(value: object) -> dict[str, int]:
    if value is None:
        return dict(_NO_REACH)
    if not isinstance(value, Mapping):
        raise ValueError(
            f"network_reach: expected an object of network group: count, got {value!r}"
        )
    out = dict(_NO_REACH)
    for key, count in value.items():
        group = _network_group(key, "network_reach")
        out[group] = _int_in(count, f"network_reach.{group}", 0, None)
    return out


def _network_gaps(value: object) -> list[str]:
    items = _list(value, "network_gaps")
    return list(dict.fromkeys(_network_group(v, f"network_gaps[{i}]") for i, v in enumerate(items)))


def _list(value: object, field: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{field}: expected a list, got {type(value).__name__}")
    return value
