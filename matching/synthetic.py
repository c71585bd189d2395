"""Synthetic cohorts with a known answer, for evaluation and benchmarks.

Mentees want to grow inside a *niche*: an industry, a role (function) and the topics that go with
it. Some already work in the niche's industry in a junior role; others want to change careers and
say so in ``about``. The right mentors are those whose history holds the niche (same industry and
same role, for at least two years); every other mentor is a distractor, and many share part of a
niche: the industry in another role, the role in another industry, or only the topics. Profile
text mixes niche words with generic ones and mentions other industries, as real profiles do.

Deterministic given ``random_state``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from matching.vocab import INDUSTRIES, TOPICS

__all__ = [
    "NICHE_FUNCTIONS",
    "NICHE_INDUSTRIES",
    "SyntheticCohort",
    "synthetic_cohort",
    "synthetic_profiles",
]

NICHE_INDUSTRIES: tuple[str, ...] = (
    "healthcare",
    "financial_services",
    "technology",
    "construction",
    "energy",
    "public_sector",
    "retail",
    "education",
    "telecommunications",
    "manufacturing",
)

# function -> (titles by level 1..6, topics that go with the role, skills)
_ROLES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "pmo": (
        (
            "PMO Assistant",
            "PMO Analyst",
            "PMO Manager",
            "PMO Lead",
            "Head of PMO",
            "Portfolio Director",
        ),
        ("pmo_governance", "risk_management", "stakeholder_management"),
        (
            "portfolio reporting",
            "governance frameworks",
            "resource planning",
            "RAID logs",
            "benefits tracking",
            "P3O",
        ),
    ),
    "project_management": (
        (
            "Project Coordinator",
            "Project Officer",
            "Project Manager",
            "Senior Project Manager",
            "Programme Manager",
            "Programme Director",
        ),
        ("agile_delivery", "risk_management", "stakeholder_management"),
        ("scheduling", "scrum", "PRINCE2", "budget control", "risk management", "MS Project"),
    ),
    "product_management": (
        (
            "Associate Product Manager",
            "Product Owner",
            "Product Manager",
            "Senior Product Manager",
            "Head of Product",
            "VP Product",
        ),
        ("stakeholder_management", "technical_skills", "communication"),
        ("roadmapping", "user research", "prioritisation", "A/B testing", "discovery"),
    ),
    "engineering": (
        (
            "Junior Developer",
            "Software Engineer",
            "Senior Software Engineer",
            "Lead Engineer",
            "Engineering Director",
            "Chief Technology Officer",
        ),
        ("technical_skills", "leadership", "agile_delivery"),
        ("python", "java", "cloud architecture", "code review", "CI/CD", "kubernetes"),
    ),
    "data": (
        (
            "Junior Data Analyst",
            "Data Analyst",
            "Data Scientist",
            "Lead Data Scientist",
            "Head of Analytics",
            "Chief Data Officer",
        ),
        ("technical_skills", "communication", "career_progression"),
        ("sql", "statistics", "machine learning", "dashboards", "data modelling"),
    ),
    "finance": (
        (
            "Finance Assistant",
            "Financial Analyst",
            "Finance Manager",
            "Senior Finance Manager",
            "Finance Director",
            "Chief Financial Officer",
        ),
        ("risk_management", "certification", "stakeholder_management"),
        ("forecasting", "budgeting", "IFRS", "management accounts", "audit"),
    ),
    "hr": (
        (
            "HR Assistant",
            "HR Officer",
            "HR Business Partner",
            "Senior HR Business Partner",
            "HR Director",
            "Chief People Officer",
        ),
        ("people_management", "communication", "change_management"),
        ("employee relations", "talent acquisition", "workforce planning", "coaching"),
    ),
    "change_management": (
        (
            "Change Analyst",
            "Change Coordinator",
            "Change Manager",
            "Senior Change Manager",
            "Transformation Director",
            "Chief Transformation Officer",
        ),
        ("change_management", "stakeholder_management", "communication"),
        ("change impact assessment", "training design", "adoption planning", "ADKAR"),
    ),
    "operations": (
        (
            "Operations Assistant",
            "Operations Analyst",
            "Operations Manager",
            "Senior Operations Manager",
            "Operations Director",
            "Chief Operating Officer",
        ),
        ("people_management", "risk_management", "leadership"),
        ("process improvement", "lean", "supply chain", "vendor management", "KPIs"),
    ),
    "sales": (
        (
            "Sales Assistant",
            "Sales Executive",
            "Account Manager",
            "Senior Account Manager",
            "Sales Director",
            "VP Sales",
        ),
        ("networking", "communication", "confidence"),
        ("negotiation", "pipeline management", "CRM", "key accounts", "bids"),
    ),
}
NICHE_FUNCTIONS: tuple[str, ...] = tuple(_ROLES)

_FUNCTION_WORDS = {
    "pmo": "PMO governance",
    "project_management": "project management",
    "product_management": "product management",
    "engineering": "software engineering",
    "data": "data science",
    "finance": "finance",
    "hr": "HR",
    "change_management": "change management",
    "operations": "operations",
    "sales": "sales",
}
_GENERIC_TOPICS = (
    "career_progression",
    "leadership",
    "networking",
    "confidence",
    "work_life_balance",
    "communication",
)
_GENERIC_WORDS = (
    "delivered",
    "cross-functional",
    "teams",
    "budget",
    "reporting",
    "stakeholders",
    "strategy",
    "improved",
    "customers",
    "digital",
    "quality",
    "supplier",
    "programme",
    "initiatives",
    "growth",
    "transformation",
    "partnered",
    "senior",
    "leaders",
    "launched",
    "processes",
    "efficiency",
    "colleagues",
    "international",
    "regulation",
    "migration",
    "platform",
    "services",
    "operations",
    "planning",
    "mentoring",
    "coaching",
    "people",
    "change",
    "performance",
    "culture",
    "value",
    "projects",
    "portfolio",
    "risk",
)
_ORGS = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Tyrell",
    "Cyberdyne",
    "Soylent",
    "Wonka",
    "Aperture",
    "Gringotts",
    "Oscorp",
    "Massive Dynamic",
    "Pied Piper",
    "Dunder Mifflin",
    "Monarch",
    "Nakatomi",
)
_ZONES = (
    ("Europe/London", 0.55),
    ("Europe/Berlin", 0.15),
    ("America/New_York", 0.12),
    ("Asia/Kolkata", 0.08),
    ("America/Los_Angeles", 0.05),
    ("Australia/Sydney", 0.05),
)
_ZONE_NAMES = tuple(z for z, _ in _ZONES)
_ZONE_WEIGHTS = tuple(w for _, w in _ZONES)
_FORMATS = ("video", "in_person", "phone", "chat")
_TRAITS = ("openness", "conscientiousness", "extraversion", "agreeableness", "emotional_stability")


@dataclass(frozen=True, slots=True)
class SyntheticCohort:
    """Mentors and mentees (profile lines) with the answer.

    Attributes
    ----------
    mentors, mentees : profile lines (DESIGN.md format).
    mentor_niches : (n_mentors, 2) int, (industry, function) indices of each mentor's main niche.
    mentee_niches : (n_mentees, 2) int, the niche each mentee wants to grow in.
    niche_years : (n_mentors, n_industries, n_functions) float32 years each mentor spent in each
        niche; niche_current : same shape, bool, the niche of the current role.
    """

    mentors: list[dict[str, object]]
    mentees: list[dict[str, object]]
    mentor_niches: NDArray[np.int64]
    mentee_niches: NDArray[np.int64]
    niche_years: NDArray[np.float32]
    niche_current: NDArray[np.bool_]

    def relevance(self, mentee_rows: NDArray[np.int64] | None = None) -> NDArray[np.int8]:
        """(n_rows, n_mentors) int8 graded answer.

        A mentor is right for a mentee when they spent at least two years in the mentee's niche
        (industry and role), are more senior, and offer at least one topic the mentee wants.
        Grade 1 for that, plus 1 when the niche is the mentor's current role, plus 1 when they
        offer at least two of the wanted topics. 0 = a distractor.
        """
        rows = np.arange(len(self.mentees)) if mentee_rows is None else mentee_rows
        niches = self.mentee_niches[rows]
        ind, fn = niches[:, 0], niches[:, 1]
        years = self.niche_years[:, ind, fn].T
        now = self.niche_current[:, ind, fn].T
        wanted = _topic_matrix([self.mentees[int(i)] for i in rows])
        offers = wanted @ _topic_matrix(self.mentors).T
        level_e = np.array([self.mentees[int(i)]["seniority"] for i in rows])
        level_m = np.array([m["seniority"] for m in self.mentors])
        right = (years >= 2) & (level_m[None, :] > level_e[:, None]) & (offers >= 1)
        grade = 1 + now.astype(np.int8) + (offers >= 2).astype(np.int8)
        return np.where(right, grade, 0).astype(np.int8)


def _topic_matrix(profiles: Sequence[dict[str, object]]) -> NDArray[np.int32]:
    index = {t: i for i, t in enumerate(TOPICS)}
    out = np.zeros((len(profiles), len(TOPICS)), dtype=np.int32)
    for r, p in enumerate(profiles):
        for t in p["topics"]:  # type: ignore[attr-defined]
            out[r, index[t]] = 1
    return out


def _industry_word(rng: random.Random, key: str) -> str:
    label, words = INDUSTRIES[key]
    return rng.choice([label.removeprefix("the "), *words[:3]])


def _month(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choices(_GENERIC_WORDS, k=n))


def _zone(rng: random.Random) -> str:
    return rng.choices(_ZONE_NAMES, weights=_ZONE_WEIGHTS)[0]


def _personality(rng: random.Random) -> dict[str, float]:
    return {t: rng.randrange(2, 15) / 2 for t in _TRAITS}


def _languages(rng: random.Random) -> list[str]:
    r = rng.random()
    if r < 0.85:
        return ["en"]
    if r < 0.95:
        return ["en", "fr"]
    return ["en", "de"]


def _position(
    rng: random.Random,
    ind: int,
    fn: int,
    level: int,
    start: tuple[int, int],
    end: tuple[int, int] | None,
) -> dict[str, object]:
    fn_key = NICHE_FUNCTIONS[fn]
    title = _ROLES[fn_key][0][level - 1]
    skills = _ROLES[fn_key][2]
    summary = (
        f"{_words(rng, 4)} {rng.choice(skills)} {_words(rng, 3)} "
        f"{_industry_word(rng, NICHE_INDUSTRIES[ind])} {_words(rng, 2)}"
    )
    return {
        "title": title,
        "organisation": rng.choice(_ORGS),
        "industry": _industry_word(rng, NICHE_INDUSTRIES[ind]),
        "start": _month(*start),
        "end": None if end is None else _month(*end),
        "summary": summary,
    }


def _other(rng: random.Random, n: int, avoid: int) -> int:
    pick = rng.randrange(n - 1)
    return pick + (pick >= avoid)


def _mentor(
    rng: random.Random, pid: str, ind: int, fn: int, year: int
) -> tuple[dict[str, object], list[tuple[int, int, float, bool]]]:
    n_i, n_f = len(NICHE_INDUSTRIES), len(NICHE_FUNCTIONS)
    level = rng.randrange(3, 7)
    positions = []
    history: list[tuple[int, int, float, bool]] = []  # (industry, function, years, current)
    current_years = rng.randrange(2, 11)
    start_year = year - current_years
    positions.append(_position(rng, ind, fn, level, (start_year, rng.randrange(1, 13)), None))
    history.append((ind, fn, current_years, True))
    for _ in range(rng.randrange(1, 4)):
        # Earlier roles share part of the niche (a common career shape) or none of it.
        kind = rng.random()
        if kind < 0.35:
            p_ind, p_fn = ind, _other(rng, n_f, fn)
        elif kind < 0.7:
            p_ind, p_fn = _other(rng, n_i, ind), fn
        else:
            p_ind, p_fn = rng.randrange(n_i), rng.randrange(n_f)
        years = rng.randrange(1, 6)
        end_year = start_year
        start_year = end_year - years
        positions.append(
            _position(
                rng,
                p_ind,
                p_fn,
                max(1, level - 1 - rng.randrange(2)),
                (start_year, 3),
                (end_year, 2),
            )
        )
        history.append((p_ind, p_fn, years, False))
    fn_key = NICHE_FUNCTIONS[fn]
    role_topics = list(_ROLES[fn_key][1])
    topics = rng.sample(role_topics, rng.randrange(2, 4))
    for t in rng.sample(_GENERIC_TOPICS, rng.randrange(1, 3)):
        if t not in topics:
            topics.append(t)
    other_ind = NICHE_INDUSTRIES[_other(rng, n_i, ind)]
    about = (
        f"I have worked in {_industry_word(rng, NICHE_INDUSTRIES[ind])} for "
        f"{current_years} years as {positions[0]['title']}. {_words(rng, 5)}. "
        f"I enjoy meeting people from {_industry_word(rng, other_ind)} too."
    )
    skills = rng.sample(_ROLES[fn_key][2], 3)
    profile: dict[str, object] = {
        "id": pid,
        "positions": positions,
        "skills": skills,
        "certifications": ["PMP"]
        if fn_key in ("pmo", "project_management") and rng.random() < 0.5
        else [],
        "seniority": level,
        "topics": topics,
        "about": about,
        "personality": _personality(rng),
        "languages": _languages(rng),
        "timezone": _zone(rng),
        "formats": rng.sample(_FORMATS, rng.randrange(1, 4)),
        "capacity": rng.randrange(1, 4),
    }
    return profile, history


def _mentee(rng: random.Random, pid: str, ind: int, fn: int, year: int) -> dict[str, object]:
    n_i, n_f = len(NICHE_INDUSTRIES), len(NICHE_FUNCTIONS)
    level = rng.randrange(1, 4)
    fn_key = NICHE_FUNCTIONS[fn]
    changer = rng.random() < 0.3
    if changer:
        cur_ind, cur_fn = _other(rng, n_i, ind), _other(rng, n_f, fn)
    else:
        # Growing inside the industry: today in the role or in a neighbouring one.
        cur_ind = ind
        cur_fn = fn if rng.random() < 0.5 else _other(rng, n_f, fn)
    years = rng.randrange(1, 6)
    position = _position(rng, cur_ind, cur_fn, level, (year - years, rng.randrange(1, 13)), None)
    target_ind = _industry_word(rng, NICHE_INDUSTRIES[ind])
    if changer:
        about = (
            f"After {years} years in {_industry_word(rng, NICHE_INDUSTRIES[cur_ind])} as "
            f"{position['title']}, I want to move into {_FUNCTION_WORDS[fn_key]} in "
            f"{target_ind}. {_words(rng, 4)}."
        )
    else:
        about = (
            f"I work in {target_ind} as {position['title']}. I want to grow into "
            f"{_FUNCTION_WORDS[fn_key]} within {target_ind}. {_words(rng, 4)}."
        )
    role_topics = list(_ROLES[fn_key][1])
    topics = rng.sample(role_topics, 2)
    if rng.random() < 0.6:
        extra = rng.choice(_GENERIC_TOPICS)
        if extra not in topics:
            topics.append(extra)
    cur_skills = _ROLES[NICHE_FUNCTIONS[cur_fn]][2]
    return {
        "id": pid,
        "positions": [position],
        "skills": rng.sample(cur_skills, 2),
        "certifications": [],
        "seniority": level,
        "topics": topics,
        "about": about,
        "personality": _personality(rng),
        "languages": ["en"] if rng.random() < 0.9 else ["en", "fr"],
        "timezone": _zone(rng),
        "formats": rng.sample(_FORMATS, rng.randrange(1, 3)),
    }


def synthetic_cohort(
    *,
    n_mentors: int,
    n_mentees: int,
    random_state: int = 0,
    as_of: str = "2026-01-01",
    n_niches: int | None = None,
) -> SyntheticCohort:
    """Generate a cohort with its known answer.

    Parameters
    ----------
    n_mentors, n_mentees : sizes (>= 0).
    random_state : seed; the same seed gives the same cohort.
    as_of : the date "current" positions run to (ISO).
    n_niches : mentees' niches are drawn from this many (industry, function) pairs (default all
        100); fewer niches mean more relevant mentors per mentee.
    """
    if n_mentors < 0 or n_mentees < 0:
        raise ValueError("n_mentors and n_mentees must be >= 0")
    rng = random.Random(random_state)
    year = dt.date.fromisoformat(as_of).year
    n_i, n_f = len(NICHE_INDUSTRIES), len(NICHE_FUNCTIONS)
    all_niches = np.array([(i, f) for i in range(n_i) for f in range(n_f)], dtype=np.int64)
    mentee_pool = all_niches
    if n_niches is not None:
        if not 1 <= n_niches <= len(all_niches):
            raise ValueError(f"n_niches must be in 1..{len(all_niches)}")
        mentee_pool = all_niches[sorted(rng.sample(range(len(all_niches)), n_niches))]
    mentor_niches = all_niches[[rng.randrange(len(all_niches)) for _ in range(n_mentors)]]
    mentors = []
    niche_years = np.zeros((n_mentors, n_i, n_f), dtype=np.float32)
    current = np.zeros((n_mentors, n_i, n_f), dtype=bool)
    for j in range(n_mentors):
        profile, history = _mentor(
            rng, f"m{j}", int(mentor_niches[j, 0]), int(mentor_niches[j, 1]), year
        )
        mentors.append(profile)
        for ind, fn, years, is_current in history:
            niche_years[j, ind, fn] += years
            current[j, ind, fn] |= is_current
    mentee_niches = mentee_pool[[rng.randrange(len(mentee_pool)) for _ in range(n_mentees)]]
    mentees = [
        _mentee(rng, f"e{i}", int(mentee_niches[i, 0]), int(mentee_niches[i, 1]), year)
        for i in range(n_mentees)
    ]
    return SyntheticCohort(mentors, mentees, mentor_niches, mentee_niches, niche_years, current)


def synthetic_profiles(
    n: int, *, random_state: int = 0, as_of: str = "2026-01-01"
) -> list[dict[str, object]]:
    """``n`` realistic profile lines (half mentors, half mentees) for benchmarks."""
    cohort = synthetic_cohort(
        n_mentors=n - n // 2, n_mentees=n // 2, random_state=random_state, as_of=as_of
    )
    return _interleave(cohort.mentors, cohort.mentees)


def _interleave(
    a: Sequence[dict[str, object]], b: Sequence[dict[str, object]]
) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for x, y in zip(a, b, strict=False):
        out.extend((x, y))
    out.extend(a[len(b) :])
    out.extend(b[len(a) :])
    return out
