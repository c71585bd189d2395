"""Mentor responsiveness from the audit trail: share answered, median time to answer, score."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from mentorship import factories
from mentorship.errors import NotFound, PermissionDenied
from mentorship.models import Membership, Proposal, Role
from mentorship.selectors.responsiveness import (
    mentor_responsiveness,
    programme_responsiveness,
    responsiveness_scores,
    with_responsiveness,
)
from mentorship.services.proposals import (
    decline_proposal,
    expire_overdue_proposals,
    request_proposal,
    withdraw_proposal,
)

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def history(programme, mentor) -> list[Proposal]:
    """Five requests to the mentor at T0: declined after 2 h and after 10 h, one expired, one
    withdrawn by the mentee, one still waiting."""
    proposals = [
        factories.ProposalFactory.create(programme=programme, mentor=mentor) for _ in range(5)
    ]
    with time_machine.travel(T0, tick=False) as traveller:
        for proposal in proposals:
            request_proposal(actor=proposal.mentee, proposal=proposal, message="Hello")
        traveller.move_to(T0 + dt.timedelta(hours=2))
        decline_proposal(actor=mentor, proposal=proposals[0], reason="Busy.")
        traveller.move_to(T0 + dt.timedelta(hours=10))
        decline_proposal(actor=mentor, proposal=proposals[1], reason="Not my field.")
        withdraw_proposal(actor=proposals[3].mentee, proposal=proposals[3])
        Proposal.objects.filter(pk=proposals[2].pk).update(expires_at=T0 + dt.timedelta(days=1))
        traveller.move_to(T0 + dt.timedelta(days=2))
        expire_overdue_proposals()
    return proposals


def test_responsiveness_counts_answers_and_expiries_from_the_audit_trail(
    programme, mentor, history
):
    [r] = mentor_responsiveness(programme=programme, mentor_ids=[mentor.pk]).values()

    assert (r.requests, r.answered, r.expired) == (3, 2, 1)  # withdrawn and waiting left out
    assert r.share_answered == pytest.approx(0.667)
    assert r.median_hours == 6.0
    assert r.median_days == 0.2
    # 0.7 * (2 + 1) / (3 + 2) + 0.3 * (1 - 6 / 168)
    assert r.score == pytest.approx(0.7 * 3 / 5 + 0.3 * (1 - 6 / 168), abs=1e-4)


def test_a_mentor_without_history_scores_a_neutral_half(programme, mentor, history):
    newcomer = factories.member(programme, Role.MENTOR)

    scores = responsiveness_scores(programme)

    assert scores[newcomer.pk] == 0.5
    assert 0 <= scores[mentor.pk] <= 1
    assert set(scores) == set(
        Membership.objects.filter(programme=programme, role=Role.MENTOR).values_list(
            "user_id", flat=True
        )
    )
    [fresh] = mentor_responsiveness(programme=programme, mentor_ids=[newcomer.pk]).values()
    assert (fresh.requests, fresh.share_answered, fresh.median_hours) == (0, None, None)


def test_slow_or_silent_mentors_score_lower(programme, mentor, history):
    quick = factories.member(programme, Role.MENTOR)
    proposal = factories.ProposalFactory.create(programme=programme, mentor=quick)
    with time_machine.travel(T0, tick=False) as traveller:
        request_proposal(actor=proposal.mentee, proposal=proposal)
        traveller.move_to(T0 + dt.timedelta(minutes=30))
        decline_proposal(actor=quick, proposal=proposal, reason="Full.")

    scores = responsiveness_scores(programme)

    assert scores[quick.pk] > scores[mentor.pk]


def test_the_shortlist_carries_each_mentors_responsiveness(programme, mentor, history):
    suggestion = factories.ProposalFactory.create(programme=programme, mentor=mentor)

    [shown] = with_responsiveness([suggestion])

    assert shown.responsiveness.requests == 3  # type: ignore[attr-defined]


def test_coordinators_see_every_mentor_paused_ones_first(
    programme, coordinator, mentor, history, mentee, outsider
):
    paused = factories.member(programme, Role.MENTOR, username="paused")
    Membership.objects.filter(user=paused).update(requests_paused_at=T0)

    found, rows = programme_responsiveness(actor=coordinator, slug=programme.slug)

    assert found == programme
    assert [r.mentor.username for r in rows][:1] == ["paused"]
    assert {r.mentor.username for r in rows} == {"paused", "maria"} | {
        p.mentor.username for p in history
    }
    with pytest.raises(PermissionDenied):
        programme_responsiveness(actor=mentee, slug=programme.slug)
    with pytest.raises(NotFound):
        programme_responsiveness(actor=outsider, slug=programme.slug)
