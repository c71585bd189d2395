"""Reasons written for a whole batch are pair_reasons' words, pair for pair."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from matching import COMPONENTS, NETWORK_GROUPS
from matching.batch_reasons import batch_reasons
from matching.engine import _cohort_topk, _named, _pair_components, _prepare
from matching.reasons import pair_reasons
from matching.synthetic import synthetic_cohort
from tests.matching.strategies import AS_OF

WEIGHTS = [
    None,
    {"personality": 0.4, "logistics": 0.3, "career_variety": 0.2},
    {"topic_fit": 0.0, "career_relevance": 0.1, "responsiveness": 0.3, "network_fit": 0.4},
    dict.fromkeys(COMPONENTS, 1.0),
]


def _cohort(seed: int):
    c = synthetic_cohort(n_mentors=150, n_mentees=60, random_state=seed)
    rng = np.random.default_rng(seed)
    mentors = [
        dict(
            m,
            responsiveness=float(rng.choice([0.2, 0.5, 0.8, 1.0])),
            network_reach={g: int(rng.integers(0, 6)) for g in NETWORK_GROUPS},
        )
        for m in c.mentors
    ]
    mentees = [
        dict(e, network_gaps=list(rng.choice(NETWORK_GROUPS, int(rng.integers(0, 3)), False)))
        for e in c.mentees
    ]
    return mentors, mentees


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("weights", WEIGHTS)
def test_batch_reasons_are_the_per_pair_reasons(seed, weights):
    mentors, mentees = _cohort(seed)
    c = _prepare(
        mentors, mentees, weights=weights, as_of=AS_OF, seniority_band=(1, 3), random_state=0
    )
    idx, _ = _cohort_topk(c, np.arange(len(c.mentees), dtype=np.int64), k=25)
    e_rows, slot = np.nonzero(idx >= 0)
    m_rows = idx[e_rows, slot]
    comps = _pair_components(c, e_rows, m_rows)
    got = batch_reasons(
        mentees=c.mentees,
        mentee_facts=c.mentee_features.facts,
        mentors=c.mentors,
        mentor_facts=c.mentor_features.facts,
        mentee_rows=e_rows,
        mentor_rows=m_rows,
        components=comps,
        weights=c.weights,
    )
    assert len(got) == len(e_rows) > 1000
    for e, j, values, texts in zip(e_rows.tolist(), m_rows.tolist(), comps, got, strict=True):
        want = pair_reasons(
            mentee=c.mentees[e],
            mentee_facts=c.model.derive(c.mentees[e], as_of=c.as_of),
            mentor=c.mentors[j],
            mentor_facts=c.model.derive(c.mentors[j], as_of=c.as_of),
            components=_named(values),
            weights=dict(zip(COMPONENTS, c.weights, strict=True)),
        )
        assert texts == tuple(r.text for r in want)


def test_no_pairs_no_reasons():
    mentors, mentees = _cohort(3)
    c = _prepare(mentors, mentees, weights=None, as_of=AS_OF, seniority_band=(1, 3), random_state=0)
    empty = np.zeros(0, dtype=np.int64)
    assert (
        batch_reasons(
            mentees=c.mentees,
            mentee_facts=c.mentee_features.facts,
            mentors=c.mentors,
            mentor_facts=c.mentor_features.facts,
            mentee_rows=empty,
            mentor_rows=empty,
            components=np.zeros((0, len(COMPONENTS))),
            weights=c.weights,
        )
        == []
    )


@pytest.mark.parametrize("n_jobs", [1, 2])
def test_a_shared_writer_over_several_calls_writes_the_same_words(n_jobs, monkeypatch):
    """propose builds the per-profile arrays once and writes block after block with them,
    in forked processes when asked: the words are those of a writer built per call."""
    monkeypatch.setattr("matching.batch_reasons.PARALLEL_PAIRS", 10)
    mentors, mentees = _cohort(4)
    c = _prepare(mentors, mentees, weights=None, as_of=AS_OF, seniority_band=(1, 3), random_state=0)
    idx, _ = _cohort_topk(c, np.arange(len(c.mentees), dtype=np.int64), k=25)
    e_rows, slot = np.nonzero(idx >= 0)
    m_rows = idx[e_rows, slot]
    comps = _pair_components(c, e_rows, m_rows)
    facts: dict[str, Any] = {
        "mentees": c.mentees,
        "mentee_facts": c.mentee_features.facts,
        "mentors": c.mentors,
        "mentor_facts": c.mentor_features.facts,
        "weights": c.weights,
    }
    want = batch_reasons(**facts, mentee_rows=e_rows, mentor_rows=m_rows, components=comps)
    writer = c.writer()
    assert c.writer() is writer  # built once
    half = len(e_rows) // 2
    got = [
        texts
        for lo, hi in ((0, half), (half, len(e_rows)))
        for texts in batch_reasons(
            **facts,
            mentee_rows=e_rows[lo:hi],
            mentor_rows=m_rows[lo:hi],
            components=comps[lo:hi],
            n_jobs=n_jobs,
            writer=writer,
        )
    ]
    assert got == want
