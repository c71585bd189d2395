"""The engine end to end: hard rules, exact top-k, scores equal to their components, assignment."""

from __future__ import annotations

import datetime as dt
import pickle

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching import COMPONENTS, DEFAULT_WEIGHTS, MentorIndex, assign, propose, validate_profile
from matching.engine import _prepare
from matching.features import component_values
from matching.reasons import MAX_REASONS, MIN_REASONS
from matching.scoring import weight_vector
from matching.synthetic import synthetic_cohort
from tests.matching.strategies import AS_OF, close, cohorts, eligible, reference_components

ENGINE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _exact_scores(mentors, mentees, weights=None):
    """(n_mentees, n_mentors) exact scores and components from the engine's own vectors."""
    c = _prepare(
        mentors, mentees, weights=weights, as_of=AS_OF, seniority_band=(1, 3), random_state=0
    )
    n_e, n_m = len(mentees), len(mentors)
    e, m = np.divmod(np.arange(n_e * n_m), n_m)
    comps = component_values(c.model.layout, c.u[e], c.const[e], c.matrix[m])
    return c, (comps @ c.weights).reshape(n_e, n_m), comps.reshape(n_e, n_m, -1)


@ENGINE
@given(cohorts(), st.integers(1, 6))
def test_proposals_never_break_a_hard_rule_and_are_the_best_eligible(cohort, top):
    mentors, mentees = cohort
    _, exact, _ = _exact_scores(mentors, mentees)
    got: dict[str, list] = {}
    for p in propose(mentors=mentors, mentees=mentees, top=top, as_of=AS_OF):
        got.setdefault(p.mentee, []).append(p)
    ids = [m["id"] for m in mentors]
    for i, mentee in enumerate(mentees):
        allowed = [j for j, mentor in enumerate(mentors) if eligible(mentee, mentor)]
        proposals = got.get(mentee["id"], [])
        assert len(proposals) == min(top, len(allowed))
        chosen = [ids.index(p.mentor) for p in proposals]
        assert all(j in allowed for j in chosen)
        assert [p.rank for p in proposals] == list(range(1, len(proposals) + 1))
        assert [p.score for p in proposals] == sorted((p.score for p in proposals), reverse=True)
        left_out = [exact[i, j] for j in allowed if j not in chosen]
        if proposals and left_out:
            # float32 products against float64 components: allow rounding, nothing more
            assert min(p.score for p in proposals) >= max(left_out) - 1e-5


@ENGINE
@given(cohorts(max_mentors=6, max_mentees=4))
def test_every_component_is_in_unit_range_and_matches_its_definition(cohort):
    mentors, mentees = cohort
    c, _, comps = _exact_scores(mentors, mentees)
    assert comps.min() >= 0.0
    assert comps.max() <= 1.0
    day = dt.date.fromisoformat(AS_OF)
    for i, mentee in enumerate(c.mentees):
        e = c.model.derive(mentee, as_of=day)
        for j, mentor in enumerate(c.mentors):
            m = c.model.derive(mentor, as_of=day)
            cosine = float(c.mentee_features.text[i] @ c.mentor_features.text[j])
            want = reference_components(mentee, e, mentor, m, cosine)
            for k, name in enumerate(COMPONENTS):
                assert close(comps[i, j, k], want[name]), (name, comps[i, j, k], want[name])


@ENGINE
@given(
    cohorts(max_mentors=8, max_mentees=5),
    st.fixed_dictionaries({c: st.integers(0, 4) for c in COMPONENTS}).filter(
        lambda w: sum(w.values()) > 0
    ),
)
def test_the_one_dot_product_equals_the_weighted_sum_of_components(cohort, weights):
    mentors, mentees = cohort
    c, exact, _ = _exact_scores(mentors, mentees, weights)
    product = c.query.astype(np.float64) @ c.matrix.T.astype(np.float64)
    np.testing.assert_allclose(product, exact, atol=1e-5)


@ENGINE
@given(cohorts(max_mentors=10, max_mentees=4), st.integers(1, 5))
def test_the_interactive_index_proposes_what_the_batch_proposes(cohort, top):
    mentors, mentees = cohort
    batch: dict[str, list] = {}
    for p in propose(mentors=mentors, mentees=mentees, top=top, as_of=AS_OF):
        batch.setdefault(p.mentee, []).append(p)
    index = MentorIndex.build(mentors, as_of=AS_OF)
    # the batch fits on mentors and mentees, the index on mentors only: same ranking rules,
    # text vectors differ, so compare the hard-rule outcome and the shape of the answer
    for mentee in mentees:
        one = index.propose(mentee, top=top)
        assert len(one) == len(batch.get(str(mentee["id"]), []))
        assert all(eligible(mentee, next(m for m in mentors if m["id"] == p.mentor)) for p in one)


def test_the_index_gives_the_batch_ranking_when_it_uses_the_same_feature_model():
    cohort = synthetic_cohort(n_mentors=300, n_mentees=20, random_state=5)
    day = dt.date.fromisoformat(AS_OF)
    from matching.features import FeatureModel

    model = FeatureModel.fit(cohort.mentors)
    index = MentorIndex.build(cohort.mentors, feature_model=model, as_of=AS_OF)
    for mentee in cohort.mentees:
        got = index.propose(mentee, top=10)
        feats = model.transform([mentee], as_of=day)
        u, const = model.mentee_matrix(feats)
        q = model.query(u, const, weight_vector(None))
        scores = index.matrix.astype(np.float64) @ q[0].astype(np.float64)
        best = np.sort(scores)[::-1][:10]
        np.testing.assert_allclose([p.score for p in got], best, atol=1e-5)


def test_the_index_survives_pickling():
    cohort = synthetic_cohort(n_mentors=120, n_mentees=3, random_state=2)
    index = MentorIndex.build(cohort.mentors, as_of=AS_OF)
    again = pickle.loads(pickle.dumps(index))
    for mentee in cohort.mentees:
        assert index.propose(mentee) == again.propose(mentee)


def test_same_seed_same_proposals_and_assignment():
    cohort = synthetic_cohort(n_mentors=200, n_mentees=40, random_state=9)
    runs = [
        [
            p.to_json()
            for p in propose(
                mentors=cohort.mentors, mentees=cohort.mentees, as_of=AS_OF, random_state=4
            )
        ]
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    a = assign(mentors=cohort.mentors, mentees=cohort.mentees, as_of=AS_OF, random_state=4)
    b = assign(mentors=cohort.mentors, mentees=cohort.mentees, as_of=AS_OF, random_state=4)
    assert a == b


@ENGINE
@given(cohorts(max_mentors=8, max_mentees=10), st.sampled_from(["optimal", "stable", "greedy"]))
def test_assignment_respects_capacity_hard_rules_and_places_each_mentee_once(cohort, mode):
    mentors, mentees = cohort
    result = assign(mentors=mentors, mentees=mentees, mode=mode, as_of=AS_OF, candidates=3)
    assert [r.mentee for r in result] == [str(m["id"]) for m in mentees]
    by_id = {m["id"]: m for m in mentors}
    load: dict[str, int] = {}
    for mentee, r in zip(mentees, result, strict=True):
        if r.mentor is None:
            assert r.score is None
            assert r.reasons == ()
            continue
        assert r.score is not None
        mentor = by_id[r.mentor]
        assert eligible(mentee, mentor)
        load[r.mentor] = load.get(r.mentor, 0) + 1
        assert MIN_REASONS <= len(r.reasons) <= MAX_REASONS
        assert close(
            r.score,
            sum(DEFAULT_WEIGHTS[c] * r.components[c] for c in COMPONENTS)
            / sum(DEFAULT_WEIGHTS.values()),
        )
    for mentor_id, n in load.items():
        assert n <= by_id[mentor_id]["capacity"]


@ENGINE
@given(cohorts(max_mentors=6, max_mentees=6))
def test_optimal_assignment_places_as_many_as_brute_force_when_every_edge_is_a_candidate(cohort):
    mentors, mentees = cohort
    result = assign(
        mentors=mentors, mentees=mentees, mode="optimal", as_of=AS_OF, candidates=len(mentors)
    )
    seats = [max(0, m["capacity"]) if m.get("accepting", True) else 0 for m in mentors]
    assert sum(r.mentor is not None for r in result) == _max_placed(mentees, mentors, seats)


@ENGINE
@given(cohorts(max_mentors=6, max_mentees=8))
def test_a_mentee_left_out_of_few_candidates_has_no_eligible_mentor_with_a_free_seat(cohort):
    # one candidate each: popular mentors fill up, and the stranded get fresh candidates
    mentors, mentees = cohort
    result = assign(mentors=mentors, mentees=mentees, mode="optimal", as_of=AS_OF, candidates=1)
    load = {m["id"]: 0 for m in mentors}
    for r in result:
        if r.mentor is not None:
            load[r.mentor] += 1
    free = [m for m in mentors if m.get("accepting", True) and load[m["id"]] < m["capacity"]]
    for mentee, r in zip(mentees, result, strict=True):
        if r.mentor is None:
            assert not any(eligible(mentee, m) for m in free)


def _max_placed(mentees, mentors, seats) -> int:
    def go(i: int, seats: list[int]) -> int:
        if i == len(mentees):
            return 0
        best = go(i + 1, seats)
        for j, mentor in enumerate(mentors):
            if seats[j] > 0 and eligible(mentees[i], mentor):
                seats[j] -= 1
                best = max(best, 1 + go(i + 1, seats))
                seats[j] += 1
        return best

    return go(0, list(seats))


def test_a_mentor_with_no_free_seat_or_not_accepting_is_never_proposed():
    mentee = {"id": "e", "topics": ["leadership"]}
    mentors: list[dict[str, object]] = [
        {"id": "full", "topics": ["leadership"], "capacity": 0},
        {"id": "closed", "topics": ["leadership"], "accepting": False},
        {"id": "open", "topics": []},
    ]
    got = list(propose(mentors=mentors, mentees=[mentee], as_of=AS_OF))
    assert [p.mentor for p in got] == ["open"]


def test_exclusions_work_in_both_directions_and_nobody_mentors_themself():
    people: list[dict[str, object]] = [
        {"id": x, "topics": ["leadership"]} for x in ("a", "b", "c", "d")
    ]
    people[1]["exclude"] = ["a"]  # b refuses a
    mentee = dict(people[0], exclude=["c"])  # a refuses c
    got = list(propose(mentors=people, mentees=[mentee], as_of=AS_OF))
    assert [p.mentor for p in got] == ["d"]


def test_languages_must_be_shared_unless_a_side_gives_none():
    mentors: list[dict[str, object]] = [
        {"id": "fr", "languages": ["fr"]},
        {"id": "en-gb", "languages": ["en-GB"]},
        {"id": "silent"},
    ]
    got = {
        p.mentor
        for p in propose(mentors=mentors, mentees=[{"id": "e", "languages": ["en"]}], as_of=AS_OF)
    }
    assert got == {"en-gb", "silent"}
    anyone = {p.mentor for p in propose(mentors=mentors, mentees=[{"id": "e"}], as_of=AS_OF)}
    assert anyone == {"fr", "en-gb", "silent"}


def test_bad_input_is_refused_with_the_profile_named():
    with pytest.raises(ValueError, match=r"mentees\[1\]: capacity"):
        list(
            propose(
                mentors=[{"id": "m"}],
                mentees=[{"id": "a"}, {"id": "b", "capacity": -1}],
                as_of=AS_OF,
            )
        )
    with pytest.raises(ValueError, match="duplicate id 'm'"):
        propose(mentors=[{"id": "m"}, {"id": "m"}], mentees=[], as_of=AS_OF)
    with pytest.raises(ValueError, match="unknown weight"):
        propose(mentors=[], mentees=[], weights={"charm": 1.0}, as_of=AS_OF)
    with pytest.raises(ValueError, match="unknown mode"):
        assign(mentors=[], mentees=[], mode="lottery", as_of=AS_OF)
    with pytest.raises(ValueError, match="as_of"):
        propose(mentors=[], mentees=[], as_of="22/11/2026")


def test_validated_profiles_are_accepted_as_they_are():
    raw = {"id": 7, "topics": ["Stakeholder Management"], "languages": ["EN-gb"]}
    normal = validate_profile(raw)
    assert normal["id"] == "7"
    assert normal["topics"] == ["stakeholder_management"]
    assert normal["languages"] == ["en"]
    assert validate_profile(normal) == normal
