"""The shared vocabularies of the domain: topics, network groups, connection types, formats."""

from __future__ import annotations

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
