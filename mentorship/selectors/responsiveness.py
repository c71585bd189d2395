"""Mentor responsiveness, read from the audit trail: of the requests sent to a mentor in a
programme that reached an outcome, how many they answered (accepted or declined) rather than let
expire, and how long their answers took (the median).

The score in [0, 1] is what the matcher's optional `responsiveness` component uses: mostly
whether they answer, partly how fast. Both parts are smoothed towards the middle when there is
little history, so a new mentor scores 0.5, neither rewarded nor punished:

    answered_share = (answered + 1) / (requests + 2)
    speed          = 1 - median_hours / deadline_hours (0 at the deadline; 0.5 with no answers)
    score          = 0.7 * answered_share + 0.3 * speed
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from mentorship.models import AuditEvent, Membership, Programme, Proposal, Role, User
from mentorship.selectors.programmes import coordinated_programme

SHARE_WEIGHT = 0.7
SPEED_WEIGHT = 0.3
ANSWERS = ("accept", "decline")


@dataclass(frozen=True)
class Responsiveness:
    mentor_id: int
    requests: int  # requests that reached an outcome: answered or expired
    answered: int
    median_hours: float | None  # of the answered ones
    score: float  # in [0, 1]

    @property
    def expired(self) -> int:
        return self.requests - self.answered

    @property
    def share_answered(self) -> float | None:
        return round(self.answered / self.requests, 3) if self.requests else None

    @property
    def median_days(self) -> float | None:
        return None if self.median_hours is None else round(self.median_hours / 24, 1)

    @property
    def answer_time(self) -> str:
        """The median time to answer in words: "within a few hours", "within 3 days"."""
        if self.median_hours is None:
            return ""
        if self.median_hours <= 6:
            return "within a few hours"
        if self.median_hours <= 24:
            return "within a day"
        days = math.ceil(self.median_hours / 24)
        return f"within {days} days"


def _score(*, requests: int, answered: int, median_hours: float | None, deadline: float) -> float:
    share = (answered + 1) / (requests + 2)
    speed = 0.5 if median_hours is None else max(0.0, 1.0 - median_hours / deadline)
    return round(SHARE_WEIGHT * share + SPEED_WEIGHT * speed, 4)


def mentor_responsiveness(
    *, programme: Programme, mentor_ids: Iterable[int] | None = None
) -> dict[int, Responsiveness]:
    """Per mentor of `mentor_ids` (default: every mentor with requests in the programme). Not
    scoped to a viewer: it is an aggregate members of the programme see on shortlists; callers
    check who is looking."""
    proposals = Proposal.objects.filter(programme=programme, requested_at__isnull=False)
    wanted = None if mentor_ids is None else sorted(set(mentor_ids))
    if wanted is not None:
        proposals = proposals.filter(mentor_id__in=wanted)
    mentor_of = dict(proposals.values_list("pk", "mentor_id"))
    events = (
        AuditEvent.objects.filter(
            action__in=("request", *ANSWERS, "expire"),
            object_type="proposal",
            object_id__in=proposals.values("pk"),
        )
        .order_by("created_at", "pk")
        .values_list("object_id", "action", "created_at")
    )
    sent: dict[int, Any] = {}
    outcome: dict[int, tuple[str, Any]] = {}
    for proposal_id, action, at in events:
        if action == "request":
            sent.setdefault(proposal_id, at)
        elif proposal_id in sent and proposal_id not in outcome:
            outcome[proposal_id] = (action, at)
    requests: dict[int, int] = defaultdict(int)
    hours: dict[int, list[float]] = defaultdict(list)
    for proposal_id, (action, at) in outcome.items():
        mentor_id = mentor_of[proposal_id]
        requests[mentor_id] += 1
        if action in ANSWERS:
            hours[mentor_id].append((at - sent[proposal_id]).total_seconds() / 3600)
    deadline = programme.response_deadline_days * 24.0
    result = {}
    for mentor_id in wanted if wanted is not None else sorted(set(mentor_of.values())):
        median = round(statistics.median(hours[mentor_id]), 1) if hours[mentor_id] else None
        answered = len(hours[mentor_id])
        result[mentor_id] = Responsiveness(
            mentor_id=mentor_id,
            requests=requests[mentor_id],
            answered=answered,
            median_hours=median,
            score=_score(
                requests=requests[mentor_id],
                answered=answered,
                median_hours=median,
                deadline=deadline,
            ),
        )
    return result


def responsiveness_scores(programme: Programme) -> dict[int, float]:
    """Every mentor of the programme's score in [0, 1], by user id: the matcher's optional
    `responsiveness` component (a mentor without history scores 0.5)."""
    mentor_ids = Membership.objects.filter(programme=programme, role=Role.MENTOR).values_list(
        "user_id", flat=True
    )
    return {
        mentor_id: r.score
        for mentor_id, r in mentor_responsiveness(
            programme=programme, mentor_ids=list(mentor_ids)
        ).items()
    }


def with_responsiveness(proposals: list[Proposal]) -> list[Proposal]:
    """The mentee's shortlist with each proposal's `responsiveness` (its mentor's, in its
    programme) set, for frontend/templates/frontend/mentee/_responsiveness.html."""
    by_programme: dict[int, list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        by_programme[proposal.programme_id].append(proposal)
    for group in by_programme.values():
        found = mentor_responsiveness(
            programme=group[0].programme, mentor_ids=[p.mentor_id for p in group]
        )
        for proposal in group:
            proposal.responsiveness = found[proposal.mentor_id]  # type: ignore[attr-defined]
    return proposals


@dataclass(frozen=True)
class MentorRow:
    mentor: User
    responsiveness: Responsiveness
    paused_at: Any  # when they were paused from new requests, or None


def programme_responsiveness(*, actor: User, slug: str) -> tuple[Programme, list[MentorRow]]:
    """For coordinators: every mentor of the programme with their responsiveness and whether
    they are paused from new requests; paused first, then the least responsive."""
    programme = coordinated_programme(actor, slug)
    memberships = list(
        Membership.objects.filter(programme=programme, role=Role.MENTOR).select_related("user")
    )
    found = mentor_responsiveness(programme=programme, mentor_ids=[m.user_id for m in memberships])
    rows = [MentorRow(m.user, found[m.user_id], m.requests_paused_at) for m in memberships]
    rows.sort(
        key=lambda r: (r.paused_at is None, r.responsiveness.score, r.mentor.display_name.lower())
    )
    return programme, rows
