"""Programme statistics for coordinators: the funnel, matching speed, answers, introductions."""

from __future__ import annotations

import statistics
from typing import Any

from django.db.models import Count, Min

from mentorship.models import (
    Introduction,
    MatchRequest,
    Membership,
    Mentorship,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.selectors.programmes import coordinated_programme
from mentorship.taxonomy import NetworkGroup


def _counts(queryset: Any, field: str) -> dict[str, int]:
    return {row[field]: row["n"] for row in queryset.values(field).annotate(n=Count("id"))}


def programme_stats(*, actor: User, slug: str) -> dict[str, Any]:
    programme = coordinated_programme(actor, slug)
    mentees = Membership.objects.filter(programme=programme, role=Role.MENTEE).count()
    proposals = Proposal.objects.filter(programme=programme)
    mentorships = Mentorship.objects.filter(programme=programme)
    asked = MatchRequest.objects.filter(programme=programme).values("mentee").distinct().count()
    requested = proposals.filter(requested_at__isnull=False).values("mentee").distinct().count()
    matched = mentorships.values("mentee").distinct().count()

    first_asked = dict(
        proposals.values("mentee").annotate(first=Min("created_at")).values_list("mentee", "first")
    )
    waits = [
        (started - first_asked[mentee].date()).days
        for mentee, started in mentorships.values_list("mentee", "started_on")
        if mentee in first_asked
    ]
    answers = {
        status: proposals.filter(status=status).count()
        for status in (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED, ProposalStatus.EXPIRED)
    }
    answered = sum(answers.values())
    reasons = (
        proposals.filter(status=ProposalStatus.DECLINED)
        .values("decline_reason")
        .annotate(n=Count("id"))
        .order_by("-n", "decline_reason")[:10]
    )
    introductions = Introduction.objects.filter(mentorship__programme=programme)
    by_group = dict.fromkeys(NetworkGroup.values, 0) | _counts(introductions, "network_group")
    return {
        "programme": programme.slug,
        "funnel": {"mentees": mentees, "asked": asked, "requested": requested, "matched": matched},
        "match_rate": round(matched / mentees, 3) if mentees else None,
        "median_days_to_match": float(statistics.median(waits)) if waits else None,
        "acceptance_rate": round(answers[ProposalStatus.ACCEPTED] / answered, 3)
        if answered
        else None,
        "answers": {str(k): v for k, v in answers.items()},
        "decline_reasons": [{"key": r["decline_reason"], "count": r["n"]} for r in reasons],
        "introductions_by_group": by_group,
        "introductions_by_outcome": _counts(introductions, "outcome"),
        "mentorships_by_status": _counts(mentorships, "status"),
    }
