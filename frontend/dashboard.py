"""What a signed-in member sees first, per role, read through the selectors."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from mentorship.models import SEAT_HOLDING_STATUSES, ProposalStatus, User
from mentorship.selectors.cadence import (
    cadence_from_annotations,
    programme_cadence,
    with_session_counts,
)
from mentorship.selectors.mentorships import mentorships_for
from mentorship.selectors.navigation import Places, next_steps
from mentorship.selectors.proposals import proposals_for

# Where each first-run step is done.
STEP_PAGES = {
    "profile": "profile",
    "questionnaire": "questionnaire",
    "find": "find-mentor",
    "offer": "mentor-profile",
}


def dashboard_for(user: User, places: Places, *, today: Any) -> dict[str, Any]:
    open_mentorships = [
        (m, cadence_from_annotations(m, today=today))
        for m in with_session_counts(
            mentorships_for(user).filter(status__in=SEAT_HOLDING_STATUSES)
        ).order_by("-started_on", "-id")
        if m.has_member(user)
    ]
    mine = proposals_for(user)
    steps = next_steps(user, places)
    return {
        "steps": [(step, reverse(STEP_PAGES[step.key])) for step in steps],
        "steps_left": sum(1 for s in steps if not s.done),
        "as_mentor": [(m, c) for m, c in open_mentorships if m.mentor_id == user.pk],
        "as_mentee": [(m, c) for m, c in open_mentorships if m.mentee_id == user.pk],
        "waiting": list(mine.filter(mentee=user, status=ProposalStatus.REQUESTED)),
        "inbox_count": mine.filter(mentor=user, status=ProposalStatus.REQUESTED).count(),
        "coordinated": [
            {
                "programme": programme,
                "summary": programme_cadence(actor=user, slug=programme.slug, today=today)[2],
            }
            for programme in places.coordinator_of
        ],
    }
