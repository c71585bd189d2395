"""Synthetic cohorts (deterministic, with an answer) and profile validation."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from matching import tipi_traits, validate_profile
from matching.profiles import tz_offset_halfhours
from matching.synthetic import synthetic_cohort


def test_the_same_seed_gives_the_same_cohort_and_another_seed_another():
    a = synthetic_cohort(n_mentors=50, n_mentees=20, random_state=7)
    b = synthetic_cohort(n_mentors=50, n_mentees=20, random_state=7)
    c = synthetic_cohort(n_mentors=50, n_mentees=20, random_state=8)
    assert a.mentors == b.mentors
    assert a.mentees == b.mentees
    np.testing.assert_array_equal(a.relevance(), b.relevance())
    assert a.mentors != c.mentors


def test_every_synthetic_profile_is_valid_and_the_answer_is_the_niche():
    cohort = synthetic_cohort(n_mentors=300, n_mentees=40, random_state=1)
    mentors: list[Any] = cohort.mentors
    mentees: list[Any] = cohort.mentees
    for p in cohort.mentors + cohort.mentees:
        validate_profile(p)
    rel = cohort.relevance()
    assert rel.shape == (40, 300)
    assert set(np.unique(rel)) <= {0, 1, 2, 3}
    for i in range(40):
        for j in np.flatnonzero(rel[i]):
            # right mentors are more senior and offer a wanted topic
            assert mentors[j]["seniority"] > mentees[i]["seniority"]
            assert set(mentors[j]["topics"]) & set(mentees[i]["topics"])
    assert (rel > 0).sum(axis=1).mean() > 1


def test_profiles_are_normalised():
    p: Any = validate_profile(
        {
            "id": "p1",
            "positions": [
                {"title": " PMO Lead ", "start": "2016-04", "end": None},
                {"title": "Analyst", "start": "2012", "end": "2016-03-31"},
            ],
            "topics": ["Stakeholder Management", "stakeholder_management", "risk-management"],
            "languages": ["en-GB", "EN", "fr"],
            "formats": ["In person", "video"],
            "personality": {"openness": 5.5, "conscientiousness": 6},
            "capacity": 2.0,
            "unknown_key": "ignored",
        }
    )
    assert p["positions"][0]["title"] == "PMO Lead"
    assert p["positions"][1]["start"] == "2012-07"
    assert p["positions"][1]["end"] == "2016-03"
    assert p["topics"] == ["stakeholder_management", "risk_management"]
    assert p["languages"] == ["en", "fr"]
    assert p["formats"] == ["in_person", "video"]
    assert p["personality"]["extraversion"] == 4.0
    assert p["capacity"] == 2
    assert "unknown_key" not in p


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ({}, "id"),
        ({"id": ""}, "id"),
        ({"id": "a", "capacity": -1}, "capacity"),
        ({"id": "a", "capacity": 1.5}, "capacity"),
        ({"id": "a", "seniority": 0}, "seniority"),
        ({"id": "a", "seniority": True}, "seniority"),
        ({"id": "a", "topics": "leadership"}, "topics"),
        ({"id": "a", "skills": [1]}, "skills[0]"),
        ({"id": "a", "positions": [{"start": "2016/04"}]}, "positions[0].start"),
        ({"id": "a", "positions": [{"start": "2016-04", "end": "2015-01"}]}, "positions[0]"),
        ({"id": "a", "personality": {"openness": 8}}, "personality.openness"),
        ({"id": "a", "personality": {"answers": [4] * 9}}, "personality.answers"),
        ({"id": "a", "timezone": "Mars/Olympus"}, "timezone"),
        ({"id": "a", "accepting": "yes"}, "accepting"),
        ({"id": "a", "exclude": "b"}, "exclude"),
    ],
)
def test_a_malformed_profile_is_refused_naming_the_field(line, field):
    with pytest.raises(ValueError, match="^" + re.escape(field)):
        validate_profile(line)


def test_the_ten_item_questionnaire_scores_the_big_five():
    traits = tipi_traits([7, 1, 7, 1, 7, 1, 7, 1, 7, 1])
    assert traits == {
        "extraversion": 7.0,
        "agreeableness": 7.0,
        "conscientiousness": 7.0,
        "emotional_stability": 7.0,
        "openness": 7.0,
    }
    neutral = validate_profile({"id": "a", "personality": {"answers": [4] * 10}})
    assert neutral["personality"] == dict.fromkeys(traits, 4.0)


def test_time_zone_offsets_follow_daylight_saving_on_the_date_given():
    import datetime as dt

    assert tz_offset_halfhours("Europe/London", dt.date(2026, 1, 15)) == 0
    assert tz_offset_halfhours("Europe/London", dt.date(2026, 7, 15)) == 2
    assert tz_offset_halfhours("Asia/Kolkata", dt.date(2026, 7, 15)) == 11
    assert tz_offset_halfhours("UTC-3", dt.date(2026, 7, 15)) == -6
    assert tz_offset_halfhours("+05:45", dt.date(2026, 7, 15)) == 12  # rounded to the half hour


def test_weights_merge_over_the_defaults_and_bad_ones_are_refused():
    from matching import DEFAULT_WEIGHTS, validate_weights

    merged = validate_weights({"personality": 0.5})
    assert merged == {**DEFAULT_WEIGHTS, "personality": 0.5}
    cases: list[tuple[dict[str, object], str]] = [
        ({"charm": 1}, "unknown weight 'charm'"),
        ({"topic_fit": -0.1}, ">= 0"),
        ({"topic_fit": float("nan")}, "finite"),
        ({"topic_fit": True}, "must be a number"),
        (dict.fromkeys(DEFAULT_WEIGHTS, 0), "all zero"),
    ]
    for bad, message in cases:
        with pytest.raises(ValueError, match=re.escape(message)):
            validate_weights(bad)
