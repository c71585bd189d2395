"""Plain-words reasons for a proposed pair, written from the same facts the score used.

Each candidate reason belongs to one component and carries its share of the weighted score, so
the reasons shown are the ones that moved the score most. Only the returned pairs get reasons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matching.derive import Derived
from matching.features import variety_of
from matching.scoring import (
    COMPONENTS,
    LOGISTICS_FORMAT,
    LOGISTICS_TIMEZONE,
    RELEVANCE_FUNCTION,
    RELEVANCE_INDUSTRY,
    RELEVANCE_TEXT,
    WORK_HALFHOURS,
    experience,
    shared_working_halfhours,
)
from matching.vocab import (
    FORMAT_LABELS,
    FUNCTIONS,
    INDUSTRIES,
    LANGUAGE_LABELS,
    NETWORK_GROUP_NOUNS,
    NETWORK_GROUPS,
    TOPIC_LABELS,
    TRAIT_LABELS,
    TRAITS,
)

__all__ = ["MAX_REASONS", "MIN_REASONS", "Reason", "pair_reasons"]

MIN_REASONS = 2
MAX_REASONS = 4
_MIN_SHARE = 0.02  # a reason must carry at least this much of the score to be shown first
_CLOSE_TRAIT = 1.0 / 6.0  # within one point on the 1-7 scale
_SIMILAR_PERSONALITY = 0.85
RESPONSIVE = 0.75  # an answer rate from which "Reliably answers mentees' requests" is said
NETWORK_FIT_SHOWN = 0.5  # network fit from which the introductions are named
_NUMBERS = ("no", "one", "two", "three", "four", "five", "six")


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason: the component it explains, the words, and its share of the score."""

    component: str
    kind: str
    text: str
    share: float


def _label_topic(topic: str) -> str:
    return TOPIC_LABELS.get(topic, topic.replace("_", " "))


def _label_industry(key: str) -> str:
    known = INDUSTRIES.get(key)
    return known[0] if known else key.replace("_", " ")


def _years(years: float) -> str:
    whole = round(years)
    return "a year" if whole <= 1 else f"{whole} years"


def _and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _levels(n: int) -> str:
    word = _NUMBERS[n] if n < len(_NUMBERS) else str(n)
    return f"{word} level{'s' if n != 1 else ''}"


def _topic_reason(
    mentee: Mapping[str, object], mentor: Mapping[str, object], w: float, value: float
) -> Reason | None:
    offered = set(mentor["topics"])  # type: ignore[call-overload]
    shared = [t for t in mentee["topics"] if t in offered]  # type: ignore[attr-defined]
    if not shared or value <= 0.0:
        return None
    labels = [_label_topic(t) for t in shared]
    if len(labels) > 3:
        text = f"Offers help with {', '.join(labels[:3])} and {len(labels) - 3} more of your topics"
    else:
        text = f"Offers help with {_and(labels)}, which you asked for"
    return Reason("topic_fit", "topics", text, w * value)


def _industry_reason(e: Derived, m: Derived, w: float) -> Reason | None:
    best, best_share = None, 0.0
    for key, aim in e.industry_aims.items():
        years = m.industry_years.get(key, 0.0)
        share = w * RELEVANCE_INDUSTRY * aim * experience(years)
        if years >= 1.0 and share > best_share:
            best, best_share = key, share
    if best is None:
        return None
    label = _label_industry(best)
    spent = _years(m.industry_years[best])
    source = e.industry_aim_source.get(best, "")
    if best in e.current_industries and best in m.current_industries:
        text = f"You both work in {label}"
    elif source == "about":
        text = f"Has {spent} in {label}, where you want to work"
    elif best in e.current_industries:
        text = f"Has {spent} in {label}, your industry"
    else:
        text = f"Has {spent} in {label}, where you have worked too"
    return Reason("career_relevance", "industry", text, best_share)


def _function_reason(e: Derived, m: Derived, w: float) -> Reason | None:
    best, best_share = None, 0.0
    for key, aim in e.function_aims.items():
        years = m.function_years.get(key, 0.0)
        share = w * RELEVANCE_FUNCTION * aim * experience(years)
        if years >= 1.0 and share > best_share:
            best, best_share = key, share
    if best is None:
        return None
    phrase, lead_phrase, _ = FUNCTIONS.get(best, (best.replace("_", " "), best, ()))
    led = m.led_years.get(best, 0.0)
    if led >= 1.0:
        done = f"Has led {lead_phrase} for {_years(led)}"
    else:
        done = f"Has worked in {phrase} for {_years(m.function_years[best])}"
    source = e.function_aim_source.get(best, "")
    if source.startswith("topic:"):
        text = f"{done}; you want to grow into {_label_topic(source[6:])}"
    elif source == "about":
        text = f"{done}; you want to move into {phrase}"
    elif best in e.current_functions:
        text = f"{done}, your own field"
    else:
        text = f"{done}, as you have"
    return Reason("career_relevance", "function", text, best_share)


def _skills_reason(
    mentee: Mapping[str, object], mentor: Mapping[str, object], w: float
) -> Reason | None:
    theirs = {s.lower() for s in [*mentor["skills"], *mentor["certifications"]]}  # type: ignore[misc]
    shared = [s for s in [*mentee["skills"], *mentee["certifications"]] if s.lower() in theirs]  # type: ignore[misc]
    if not shared:
        return None
    return Reason(
        "career_relevance",
        "skills",
        f"Shares your background in {_and(shared[:3])}",
        w * RELEVANCE_TEXT * min(1.0, len(shared) / 3.0),
    )


def _variety_reason(m: Derived, w: float, value: float) -> Reason | None:
    parts = []
    if len(m.industry_years) >= 2:
        parts.append(f"{len(m.industry_years)} industries")
    if len(m.function_years) >= 2:
        parts.append(f"{len(m.function_years)} kinds of role")
    if len(m.organisations) >= 2:
        parts.append(f"{len(m.organisations)} organisations")
    if not parts or value <= 0.0:
        return None
    return Reason("career_variety", "variety", f"A varied career: {_and(parts)}", w * value)


def _seniority_reason(e: Derived, m: Derived, w: float, value: float) -> Reason | None:
    if e.seniority is None or m.seniority is None or m.seniority <= e.seniority:
        return None
    gap = m.seniority - e.seniority
    if value >= 1.0:
        text = (
            f"{_levels(gap).capitalize()} more senior than you: "
            "near enough to remember your next steps"
        )
    else:
        text = f"{_levels(gap).capitalize()} more senior than you"
    return Reason("seniority", "seniority", text, w * value)


def _personality_reason(e: Derived, m: Derived, w: float, value: float) -> Reason | None:
    if e.personality is None or m.personality is None or value < _SIMILAR_PERSONALITY:
        return None
    close = [
        TRAIT_LABELS[t]
        for t, x, y in zip(TRAITS, e.personality, m.personality, strict=True)
        if abs(x - y) / 6.0 <= _CLOSE_TRAIT
    ]
    if not close:
        return None
    text = f"Similar to you in {_and(close[:2])}"
    return Reason("personality", "personality", text, w * (value - 0.5))


def _timezone_reason(e: Derived, m: Derived, w: float) -> Reason | None:
    if e.tz_halfhours is None or m.tz_halfhours is None:
        return None
    if e.tz_halfhours == m.tz_halfhours:
        text = "Available in your time zone"
        overlap = 1.0
    else:
        shared = float(shared_working_halfhours(e.tz_halfhours, m.tz_halfhours))
        overlap = shared / WORK_HALFHOURS
        if shared < WORK_HALFHOURS / 2:
            return None
        hours = shared / 2.0
        text = f"Shares {hours:g} of your working hours"
    return Reason("logistics", "timezone", text, w * LOGISTICS_TIMEZONE * overlap)


def _format_reason(
    mentee: Mapping[str, object], mentor: Mapping[str, object], w: float
) -> Reason | None:
    wanted: list[str] = mentee["formats"]  # type: ignore[assignment]
    offered: list[str] = mentor["formats"]  # type: ignore[assignment]
    if not wanted:
        return None
    shared = [f for f in wanted if not offered or f in offered]
    if not shared:
        return None
    labels = [FORMAT_LABELS.get(f, f.replace("_", " ")) for f in shared]
    verb = "Meets" if len(labels) == 1 else "Can meet"
    text = f"{verb} {_and(labels)}, as you prefer"
    if labels[0] in ("video", "phone", "chat"):
        text = f"{verb} by {_and(labels)}, as you prefer"
    return Reason("logistics", "formats", text, w * LOGISTICS_FORMAT * len(shared) / len(wanted))


def _responsiveness_reason(w: float, value: float) -> Reason | None:
    if w <= 0.0 or value < RESPONSIVE:
        return None
    text = "Reliably answers mentees' requests"
    return Reason("responsiveness", "responsiveness", text, w * value)


def _network_reason(
    mentee: Mapping[str, object], mentor: Mapping[str, object], w: float, value: float
) -> Reason | None:
    """The introductions the mentor made into the mentee's thin network groups (two at most)."""
    gaps: list[str] = mentee["network_gaps"]  # type: ignore[assignment]
    if w <= 0.0 or not gaps or value < NETWORK_FIT_SHOWN:
        return None
    reach: Mapping[str, int] = mentor["network_reach"]  # type: ignore[assignment]
    made = sorted(
        ((int(reach.get(g, 0)), NETWORK_GROUPS.index(g)) for g in gaps if reach.get(g, 0) > 0),
        key=lambda item: (-item[0], item[1]),
    )[:2]
    if not made:
        return None
    (first, group), *rest = made
    text = (
        f"Has introduced {first} mentee{'s' if first != 1 else ''} to "
        f"{NETWORK_GROUP_NOUNS[NETWORK_GROUPS[group]]}"
    )
    if rest:
        count, other = rest[0]
        text += f" and {count} to {NETWORK_GROUP_NOUNS[NETWORK_GROUPS[other]]}"
    return Reason("network_fit", "network", text, w * value)


_COMPONENT_LABELS = {
    "topic_fit": "the topics you asked for",
    "career_relevance": "career relevance",
    "career_variety": "breadth of career",
    "seniority": "seniority",
    "personality": "personality",
    "logistics": "practicalities (time zone, formats)",
    "responsiveness": "answering requests",
    "network_fit": "the network you want to grow",
}


def _fallbacks(
    mentee: Mapping[str, object],
    mentor: Mapping[str, object],
    m: Derived,
    components: Mapping[str, float],
    w: Mapping[str, float],
) -> list[Reason]:
    """Always-true statements for pairs whose profiles say little."""
    out = []
    theirs: list[str] = mentor["languages"]  # type: ignore[assignment]
    shared = [x for x in mentee["languages"] if x in theirs]  # type: ignore[attr-defined]
    if shared:
        names = [LANGUAGE_LABELS.get(x, x) for x in shared[:2]]
        out.append(Reason("logistics", "language", f"Speaks {_and(names)}, like you", 0.0))
    if m.total_years >= 1.0:
        out.append(
            Reason(
                "career_variety",
                "experience",
                f"Brings {_years(m.total_years)} of work experience",
                0.0,
            )
        )
    out.append(Reason("logistics", "capacity", "Has room for another mentee now", 0.0))
    top = max(COMPONENTS, key=lambda c: (w[c] * components[c], -COMPONENTS.index(c)))
    out.append(Reason(top, "strongest", f"Fits you best on {_COMPONENT_LABELS[top]}", 0.0))
    return out


def pair_reasons(
    *,
    mentee: Mapping[str, object],
    mentee_facts: Derived,
    mentor: Mapping[str, object],
    mentor_facts: Derived,
    components: Mapping[str, float],
    weights: Mapping[str, float],
) -> list[Reason]:
    """Two to four reasons for one pair, strongest first.

    Parameters
    ----------
    mentee, mentor : normalised profiles (:func:`matching.validate_profile`); the mentor's
        ``network_reach`` is the one the network_fit component was computed from.
    mentee_facts, mentor_facts : their derived facts on the same ``as_of``.
    components : the pair's component values; weights : normalised weights (sum 1).
    """
    w = {c: float(weights[c]) for c in COMPONENTS}
    candidates = [
        _topic_reason(mentee, mentor, w["topic_fit"], components["topic_fit"]),
        _industry_reason(mentee_facts, mentor_facts, w["career_relevance"]),
        _function_reason(mentee_facts, mentor_facts, w["career_relevance"]),
        _skills_reason(mentee, mentor, w["career_relevance"]),
        _variety_reason(mentor_facts, w["career_variety"], variety_of(mentor_facts)),
        _seniority_reason(mentee_facts, mentor_facts, w["seniority"], components["seniority"]),
        _personality_reason(
            mentee_facts, mentor_facts, w["personality"], components["personality"]
        ),
        _timezone_reason(mentee_facts, mentor_facts, w["logistics"]),
        _format_reason(mentee, mentor, w["logistics"]),
        _responsiveness_reason(w["responsiveness"], components["responsiveness"]),
        _network_reason(mentee, mentor, w["network_fit"], components["network_fit"]),
    ]
    found = sorted((r for r in candidates if r is not None), key=lambda r: -r.share)
    chosen = [r for r in found if r.share >= _MIN_SHARE][:MAX_REASONS]
    for r in [*found, *_fallbacks(mentee, mentor, mentor_facts, components, w)]:
        if len(chosen) >= MIN_REASONS:
            break
        if r not in chosen:
            chosen.append(r)
    return chosen
