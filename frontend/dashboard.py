"""What a signed-in member sees first, per role, read through the selectors."""

from __future__ import annotations

from typing import Any

from mentorship.models import MentorshipStatus, ProposalStatus, Role, User
from mentorship.selectors.cadence import mentorship_cadence, programme_cadence
from mentorship.selectors.mentorships import mentorships_for
from mentorship.selectors.programmes import memberships_of
from mentorship.selectors.proposals import proposals_for


def dashboard_for(user: User) -> dict[str, Any]:
    memberships = list(memberships_of(user))
    roles = {m.role for m in memberships}
    open_mentorships = [
        (m, mentorship_cadence(m))
        for m in mentorships_for(user).filter(
            status__in=[MentorshipStatus.ACTIVE, MentorshipStatus.PAUSED]
        )
        if m.has_member(user)
    ]
    mine = proposals_for(user)
    context: dict[str, Any] = {
        "memberships": memberships,
        "as_mentor": [(m, c) for m, c in open_mentorships if m.mentor_id == user.pk],
        "as_mentee": [(m, c) for m, c in open_mentorships if m.mentee_id == user.pk],
        "suggestions": list(mine.filter(mentee=user, status=ProposalStatus.SUGGESTED)[:10]),
        "waiting": list(mine.filter(mentee=user, status=ProposalStatus.REQUESTED)),
        "inbox": list(mine.filter(mentor=user, status=ProposalStatus.REQUESTED)),
        "coordinated": [],
    }
    if Role.COORDINATOR in roles:
        for membership in memberships:
            if membership.role == Role.COORDINATOR:
                _, rows, summary = programme_cadence(actor=user, slug=membership.programme.slug)
                context["coordinated"].append(
                    {"programme": membership.programme, "summary": summary, "urgent": rows[:8]}
                )
    return context
