"""Hypothesis strategies and a reference (pure Python) scorer for the engine tests."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from hypothesis import strategies as st

from matching.derive import Derived
from matching.scoring import (
    LOGISTICS_FORMAT,
    LOGISTICS_TIMEZONE,
    RELEVANCE_FUNCTION,
    RELEVANCE_INDUSTRY,
    RELEVANCE_TEXT,
    TRAIT_WEIGHTS,
    experience,
    network_saturation,
    seniority_table,
    working_slots,
)
from matching.vocab import NETWORK_GROUPS, TOPICS, TRAITS

AS_OF = "2026-01-01"
TITLES = (
    "PMO Analyst",
    "Head of PMO",
    "Project Manager",
    "Software Engineer",
    "Data Scientist",
    "Finance Director",
    "HR Business Partner",
    "Sales Executive",
    "Nurse",
    "Consultant",
)
INDUSTRY_FIELDS = (
    "healthcare",
    "NHS",
    "banking",
    "construction",
    "energy",
    "retail",
    "space tourism",
    "",
)
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC+5:45", None)
ABOUTS = (
    "",
    "I want to move into PMO work in healthcare.",
    "After years in retail I hope to grow into data science in banking.",
    "I work in construction as a project manager; I like people.",
    "Moving from energy into the public sector, aiming to become a product manager.",
)
LANGS = ("en", "fr", "de")


@st.composite
def positions(draw: st.DrawFn) -> dict[str, object]:
    start_year = draw(st.integers(1995, 2025))
    ended = draw(st.booleans())
    end_year = draw(st.integers(start_year, 2025)) if ended else None
    return {
        "title": draw(st.sampled_from(TITLES)),
        "organisation": draw(st.sampled_from(("Acme", "Globex", "Initech", ""))),
        "industry": draw(st.sampled_from(INDUSTRY_FIELDS)),
        "start": f"{start_year}-{draw(st.integers(1, 12)):02d}",
        "end": None if end_year is None else f"{end_year}-12",
        "summary": draw(st.sampled_from(("", "delivered risk reporting", "led governance"))),
    }


@st.composite
def profiles(draw: st.DrawFn, pid: str, ids: Sequence[str] = ()) -> dict[str, object]:
    personality = draw(
        st.none()
        | st.fixed_dictionaries({t: st.integers(2, 14).map(lambda v: v / 2) for t in TRAITS})
    )
    profile: dict[str, object] = {
        "id": pid,
        "positions": draw(st.lists(positions(), max_size=3)),
        "skills": draw(
            st.lists(
                st.sampled_from(("risk management", "scrum", "sql", "PMP")), max_size=3, unique=True
            )
        ),
        "certifications": draw(st.lists(st.sampled_from(("PMP", "PRINCE2")), max_size=1)),
        "seniority": draw(st.none() | st.integers(1, 6)),
        "topics": draw(st.lists(st.sampled_from(TOPICS[:8]), max_size=4, unique=True)),
        "about": draw(st.sampled_from(ABOUTS)),
        "personality": personality,
        "languages": draw(st.lists(st.sampled_from(LANGS), max_size=2, unique=True)),
        "timezone": draw(st.sampled_from(ZONES)),
        "formats": draw(
            st.lists(st.sampled_from(("video", "in_person", "phone")), max_size=2, unique=True)
        ),
        "capacity": draw(st.integers(0, 3)),
        "accepting": draw(st.booleans().map(lambda b: b or draw(st.booleans()))),
        "exclude": draw(
            st.lists(st.sampled_from(list(ids) or ["nobody"]), max_size=2, unique=True)
        ),
        "responsiveness": draw(st.none() | st.floats(0.0, 1.0)),
        "network_reach": draw(
            st.dictionaries(st.sampled_from(NETWORK_GROUPS), st.integers(0, 9), max_size=3)
        ),
        "network_gaps": draw(st.lists(st.sampled_from(NETWORK_GROUPS), max_size=2, unique=True)),
    }
    return profile


@st.composite
def cohorts(
    draw: st.DrawFn, max_mentors: int = 12, max_mentees: int = 8
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    n_m = draw(st.integers(1, max_mentors))
    n_e = draw(st.integers(1, max_mentees))
    mentor_ids = [f"m{i}" for i in range(n_m)]
    mentee_ids = [f"e{i}" for i in range(n_e)]
    # a few people are both mentor and mentee (the self rule)
    shared = draw(st.integers(0, min(2, n_m, n_e)))
    mentee_ids[:shared] = mentor_ids[:shared]
    every = mentor_ids + mentee_ids
    mentors = [draw(profiles(pid, every)) for pid in mentor_ids]
    mentees = [draw(profiles(pid, every)) for pid in mentee_ids]
    return mentors, mentees


def eligible(mentee: Mapping[str, Any], mentor: Mapping[str, Any]) -> bool:
    """The hard rules, written independently of the engine."""
    if mentee["id"] == mentor["id"]:
        return False
    if mentor.get("capacity", 1) <= 0 or not mentor.get("accepting", True):
        return False
    if mentor["id"] in mentee.get("exclude", []) or mentee["id"] in mentor.get("exclude", []):
        return False
    a = {x.split("-")[0].lower() for x in mentee.get("languages", [])}
    b = {x.split("-")[0].lower() for x in mentor.get("languages", [])}
    return not a or not b or bool(a & b)


def reference_components(
    mentee: Mapping[str, Any],
    e: Derived,
    mentor: Mapping[str, Any],
    m: Derived,
    text_cosine: float,
    band: tuple[int, int] = (1, 3),
) -> dict[str, float]:
    """Component values from their definitions (no vectors), for checking the linear encoding."""
    wanted = mentee["topics"]
    topic = sum(t in mentor["topics"] for t in wanted) / len(wanted) if wanted else 0.0
    industry = sum(a * experience(m.industry_years.get(k, 0.0)) for k, a in e.industry_aims.items())
    function = sum(a * experience(m.function_years.get(k, 0.0)) for k, a in e.function_aims.items())
    relevance = (
        RELEVANCE_INDUSTRY * industry
        + RELEVANCE_FUNCTION * function
        + RELEVANCE_TEXT * (1 + text_cosine) / 2
    )

    def breadth(n: int) -> float:
        return min(1.0, max(0.0, (n - 1) / 3))

    variety = (
        breadth(len(m.industry_years))
        + breadth(len(m.function_years))
        + breadth(len(m.organisations))
    ) / 3
    seniority = float(seniority_table(band)[e.seniority or 0, m.seniority or 0])
    if e.personality is None or m.personality is None:
        personality = 0.5
    else:
        personality = 1 - sum(
            w * ((x - y) / 6) ** 2
            for w, x, y in zip(TRAIT_WEIGHTS, e.personality, m.personality, strict=True)
        )
    if e.tz_halfhours is None or m.tz_halfhours is None:
        tz = 0.5
    else:
        tz = float((working_slots(e.tz_halfhours) * working_slots(m.tz_halfhours)).sum()) / 18
    gaps = mentee["network_gaps"]
    if gaps:
        reach = [mentor["network_reach"][g] for g in gaps]
        network = float(network_saturation(np.asarray(reach, dtype=float)).mean())
    else:
        network = 0.5
    if not mentee["formats"] or not mentor["formats"]:
        fmt = 1.0
    else:
        fmt = sum(f in mentor["formats"] for f in mentee["formats"]) / len(mentee["formats"])
    return {
        "topic_fit": topic,
        "career_relevance": relevance,
        "career_variety": variety,
        "seniority": seniority,
        "personality": personality,
        "logistics": LOGISTICS_TIMEZONE * tz + LOGISTICS_FORMAT * fmt,
        "responsiveness": mentor["responsiveness"],
        "network_fit": network,
    }


def close(a: float, b: float, tol: float = 2e-5) -> bool:
    return math.isclose(a, b, abs_tol=tol)
