"""Reasons: two to four per proposal, each one true to the facts and the component it explains."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings

from matching import COMPONENTS, propose
from matching.engine import _cohort_topk, _named, _pair_components, _prepare
from matching.reasons import MAX_REASONS, MIN_REASONS, pair_reasons
from matching.scoring import working_slots
from matching.synthetic import synthetic_cohort
from matching.vocab import FORMAT_LABELS, LANGUAGE_LABELS, TOPIC_LABELS
from tests.matching.strategies import AS_OF, cohorts

NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}


def _pairs(mentors, mentees, top=5):
    c = _prepare(mentors, mentees, weights=None, as_of=AS_OF, seniority_band=(1, 3), random_state=0)
    idx, _ = _cohort_topk(c, np.arange(len(mentees), dtype=np.int64), k=top)
    e_rows, slot = np.nonzero(idx >= 0)
    m_rows = idx[e_rows, slot]
    comps = _pair_components(c, e_rows, m_rows)
    for e, j, values in zip(e_rows.tolist(), m_rows.tolist(), comps, strict=True):
        mentee, mentor = c.mentees[e], c.mentors[j]
        facts_e = c.model.derive(mentee, as_of=c.as_of)
        facts_m = c.model.derive(mentor, as_of=c.as_of)
        named = _named(values)
        reasons = pair_reasons(
            mentee=mentee,
            mentee_facts=facts_e,
            mentor=mentor,
            mentor_facts=facts_m,
            components=named,
            weights=dict(zip(COMPONENTS, c.weights, strict=True)),
        )
        yield mentee, facts_e, mentor, facts_m, named, reasons


def _years_in(text: str) -> int:
    match = re.search(r"(\d+) years|a year", text)
    assert match, text
    return int(match.group(1)) if match.group(1) else 1


def check_reason(r, mentee, e, mentor, m, comp) -> None:
    assert comp[r.component] >= 0.0
    if r.kind == "topics":
        assert comp["topic_fit"] > 0
        named = [t for t in mentee["topics"] if TOPIC_LABELS.get(t, t) in r.text]
        assert named
        assert all(t in mentor["topics"] for t in named)
    elif r.kind == "industry":
        assert comp["career_relevance"] > 0
        key = next(
            k
            for k in m.industry_years
            if k.replace("_", " ") in r.text
            or k in r.text
            or (k == "public_sector" and "public sector" in r.text)
            or (k == "financial_services" and "financial services" in r.text)
        )
        assert key in e.industry_aims
        if r.text.startswith("You both work in"):
            assert key in e.current_industries
            assert key in m.current_industries
        else:
            assert _years_in(r.text) == max(1, round(m.industry_years[key]))
    elif r.kind == "function":
        assert comp["career_relevance"] > 0
        assert any(
            m.function_years.get(k, 0) >= 1 and k in e.function_aims for k in m.function_years
        )
    elif r.kind == "skills":
        theirs = {s.lower() for s in [*mentor["skills"], *mentor["certifications"]]}
        mine = {s.lower() for s in [*mentee["skills"], *mentee["certifications"]]}
        assert theirs & mine
        assert any(s in r.text.lower() for s in theirs & mine)
    elif r.kind == "variety":
        assert comp["career_variety"] > 0
        for n, what in re.findall(r"(\d+) (industries|kinds of role|organisations)", r.text):
            have = {
                "industries": m.industry_years,
                "kinds of role": m.function_years,
                "organisations": m.organisations,
            }[what]
            assert int(n) == len(have)
    elif r.kind == "seniority":
        word = r.text.split()[0].lower()
        assert NUMBERS[word] == m.seniority - e.seniority
        if "near enough" in r.text:
            assert comp["seniority"] == pytest.approx(1.0)
        assert comp["seniority"] > 0
    elif r.kind == "personality":
        assert comp["personality"] >= 0.85
    elif r.kind == "timezone":
        assert e.tz_halfhours is not None
        assert m.tz_halfhours is not None
        shared = (working_slots(e.tz_halfhours) * working_slots(m.tz_halfhours)).sum() / 2
        if r.text == "Available in your time zone":
            assert e.tz_halfhours == m.tz_halfhours
        else:
            assert f"{shared:g} of your working hours" in r.text
        assert comp["logistics"] > 0
    elif r.kind == "formats":
        labels = [
            FORMAT_LABELS[f]
            for f in mentee["formats"]
            if (not mentor["formats"] or f in mentor["formats"])
        ]
        assert any(label in r.text for label in labels)
    elif r.kind == "language":
        assert any(
            LANGUAGE_LABELS.get(x, x) in r.text
            for x in set(mentee["languages"]) & set(mentor["languages"])
        )
    elif r.kind == "experience":
        assert _years_in(r.text) == max(1, round(m.total_years))
    elif r.kind == "strongest":
        best = max(comp[c] for c in COMPONENTS if c == r.component)
        assert best >= 0
    else:
        assert r.kind == "capacity"
        assert mentor["capacity"] > 0


def test_synthetic_proposals_carry_two_to_four_true_reasons():
    cohort = synthetic_cohort(n_mentors=400, n_mentees=60, random_state=11)
    kinds = set()
    for mentee, e, mentor, m, comp, reasons in _pairs(cohort.mentors, cohort.mentees):
        assert MIN_REASONS <= len(reasons) <= MAX_REASONS
        assert len({r.text for r in reasons}) == len(reasons)
        for r in reasons:
            check_reason(r, mentee, e, mentor, m, comp)
            kinds.add(r.kind)
    # the synthetic cohort exercises the main kinds of reason
    assert {"topics", "industry", "function", "seniority", "timezone"} <= kinds


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cohorts(max_mentors=8, max_mentees=5))
def test_reasons_stay_true_on_sparse_and_odd_profiles(cohort):
    mentors, mentees = cohort
    for mentee, e, mentor, m, comp, reasons in _pairs(mentors, mentees):
        assert MIN_REASONS <= len(reasons) <= MAX_REASONS
        for r in reasons:
            check_reason(r, mentee, e, mentor, m, comp)


def test_the_pmo_example_reads_as_the_design_says():
    mentor = {
        "id": "m",
        "seniority": 5,
        "topics": ["pmo_governance", "stakeholder_management"],
        "positions": [
            {"title": "Head of PMO", "industry": "Healthcare", "start": "2018-01", "end": None}
        ],
        "timezone": "Europe/London",
        "languages": ["en"],
    }
    mentee = {
        "id": "e",
        "seniority": 2,
        "topics": ["pmo_governance", "stakeholder_management"],
        "positions": [{"title": "PMO Analyst", "industry": "NHS", "start": "2023-01"}],
        "timezone": "Europe/London",
        "languages": ["en"],
    }
    (p,) = propose(mentors=[mentor], mentees=[mentee], as_of="2026-01-01")
    text = " | ".join(p.reasons)
    assert "Has led a PMO for 8 years; you want to grow into PMO governance" in text
    assert "You both work in healthcare" in text or "Offers help with PMO governance" in text
    assert len(p.reasons) == 4
