"""The shared vocabularies of the domain: topics, network groups, connection types, formats."""

from __future__ import annotations

import re
import zoneinfo
from functools import cache

from django.conf.locale import LANG_INFO
from django.db import models

from matching import vocab

# The starting topic taxonomy of DESIGN.md is the engine's (a programme may add its own,
# Programme.extra_topics); the platform's meeting formats are the engine's FORMATS.
TOPICS = vocab.TOPICS


def topic_label(slug: str) -> str:
    """`pmo_governance` -> `PMO governance`: the words a person reads."""
    words = [w.upper() if w in {"pmo", "it", "hr"} else w for w in slug.split("_")]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _language_names() -> dict[str, str]:
    """ISO 639 code -> English name: every two- or three-letter code Django knows, with the
    engine's names (those its reasons use) winning; ordered by name."""
    names = {
        code: str(info["name"])
        for code, info in LANG_INFO.items()
        if re.fullmatch(r"[a-z]{2,3}", code) and "name" in info
    }
    names.update(vocab.LANGUAGE_LABELS)
    return dict(sorted(names.items(), key=lambda item: item[1]))


LANGUAGE_NAMES: dict[str, str] = _language_names()
# The languages the engine names in its reasons: offered first where people pick languages.
COMMON_LANGUAGES: tuple[str, ...] = tuple(vocab.LANGUAGE_LABELS)


def language_name(code: str) -> str:
    """`fr` -> `French`; an unknown code stays as it is."""
    return LANGUAGE_NAMES.get(code, code)


@cache
def timezone_names() -> tuple[str, ...]:
    """Every IANA time zone name a profile may use, sorted."""
    return tuple(sorted(zoneinfo.available_timezones()))


class NetworkGroup(models.TextChoices):
    DELIVERY_TEAMS = "delivery_teams", "Delivery teams"
    SENIOR_LEADERSHIP = "senior_leadership", "Senior leadership"
    WIDER_BUSINESS = "wider_business", "Wider business"
    EXTERNAL_INFLUENCERS = "external_influencers", "External influencers"
    INDUSTRY_ACQUAINTANCES = "industry_acquaintances", "Industry acquaintances"


class ConnectionType(models.TextChoices):
    OPERATIONAL = "operational", "Operational"
    PERSONAL = "personal", "Personal"
    STRATEGIC = "strategic", "Strategic"


class MeetingFormat(models.TextChoices):
    VIDEO = "video", "Video call"
    PHONE = "phone", "Phone"
    IN_PERSON = "in_person", "In person"
    CHAT = "chat", "Chat"


class Seniority(models.IntegerChoices):
    ENTRY = 1, "Entry"
    PRACTITIONER = 2, "Practitioner"
    SENIOR = 3, "Senior"
    LEAD = 4, "Lead"
    HEAD = 5, "Head"
    EXECUTIVE = 6, "Executive"
