"""What a mentee reads when finding a mentor: the shortlist of their latest match request, each
mentor summarised, the score's components in plain labels, and how many more mentors they may ask.

Scoped to the acting mentee: someone else's programme or proposal does not exist for them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import QuerySet

from mentorship.access import require_role
from mentorship.errors import NotFound
from mentorship.matching_adapter import COMPONENTS, component_label, programme_weights
from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    MatchRequest,
    Mentorship,
    Profile,
    Programme,
    Proposal,
    Role,
    User,
)
from mentorship.privacy import note_read
from mentorship.selectors.navigation import profile_is_complete
from mentorship.selectors.proposals import latest_match_request, proposals_for, shortlist
from mentorship.selectors.responsiveness import Responsiveness, with_responsiveness
from mentorship.services.proposals import MAX_PENDING_REQUESTS, pending_requests
from mentorship.taxonomy import MeetingFormat, Seniority, language_name


@dataclass(frozen=True)
class PersonSummary:
    """Who someone is professionally, as the other side of a match reads it (never their
    questionnaire)."""

    name: str
    headline: str = ""
    position: str = ""
    industry: str = ""
    seniority: str = ""
    languages: list[str] = field(default_factory=list)
    timezone: str = ""
    formats: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    value: float  # 0 to 1

    @property
    def percent(self) -> int:
        return round(self.value * 100)


@dataclass(frozen=True)
class Suggestion:
    """One mentor of a shortlist and what the mentee did about them."""

    proposal: Proposal
    mentor: PersonSummary
    components: list[Component]
    responsiveness: Responsiveness

    @property
    def percent(self) -> int:
        return round(self.proposal.score * 100)


@dataclass(frozen=True)
class FindMentor:
    """Everything the "find a mentor" page shows for one programme."""

    programme: Programme
    match_request: MatchRequest | None
    suggestions: list[Suggestion]
    mentorship: Mentorship | None  # the mentee already has this mentor here
    requests_left: int
    profile_complete: bool


def person_summary(user: User) -> PersonSummary:
    """Name, headline, current position and industry, seniority and practicalities. Reads the
    profile's positions through the prefetch cache when there is one."""
    profile: Profile | None = getattr(user, "profile", None)
    if profile is None:
        return PersonSummary(name=user.display_name)
    # A mentor's career shown on a shortlist: audited when a coordinator reads it.
    note_read(subject_id=user.pk, field="career_history", always=False)
    positions = sorted(
        profile.positions.all(), key=lambda p: (p.end is None, p.end or p.start, p.start)
    )
    current = positions[-1] if positions else None
    position = ""
    if current is not None:
        position = ", ".join(part for part in (current.title, current.organisation) if part)
    return PersonSummary(
        name=user.display_name,
        headline=profile.headline,
        position=position,
        industry=current.industry.capitalize() if current and current.industry else "",
        seniority=Seniority(profile.seniority).label if profile.seniority else "",
        languages=[language_name(code) for code in profile.languages],
        timezone=profile.timezone,
        formats=[
            MeetingFormat(f).label if f in MeetingFormat.values else f for f in profile.formats
        ],
    )


def components_of(
    values: Mapping[str, float], weights: Mapping[str, float] | None = None
) -> list[Component]:
    """The engine's components in its order (any newer ones after), with plain labels; those
    the programme leaves out of the score (weight 0 in `weights`) are not shown."""
    names = [c for c in COMPONENTS if c in values] + sorted(set(values) - set(COMPONENTS))
    if weights is not None:
        names = [name for name in names if weights.get(name, 1.0) > 0]
    return [
        Component(name, component_label(name), min(max(float(values[name]), 0.0), 1.0))
        for name in names
    ]


def suggestions_of(proposals: list[Proposal]) -> list[Suggestion]:
    """Shortlist cards, with how responsive each mentor is in the proposal's programme."""
    weights = {
        programme.pk: programme_weights(programme)
        for programme in Programme.objects.filter(pk__in={p.programme_id for p in proposals})
    }
    return [
        Suggestion(
            proposal=p,
            mentor=person_summary(p.mentor),
            components=components_of(p.components or {}, weights.get(p.programme_id)),
            responsiveness=p.responsiveness,  # type: ignore[attr-defined]
        )
        for p in with_responsiveness(proposals)
    ]


def suggestion_of(proposal: Proposal) -> Suggestion:
    [suggestion] = suggestions_of([proposal])
    return suggestion


def mentee_programmes(user: User) -> QuerySet[Programme]:
    """The programmes where the user is a mentee, by name."""
    return Programme.objects.filter(memberships__user=user, memberships__role=Role.MENTEE).order_by(
        "name", "pk"
    )


def mentee_programme(user: User, slug: str) -> Programme:
    programme = mentee_programmes(user).filter(slug=slug).first()
    if programme is None:
        raise NotFound("No such programme.")
    return programme


def current_mentorship(user: User, programme: Programme) -> Mentorship | None:
    """The mentee's open (active or paused) mentorship in the programme."""
    return (
        Mentorship.objects.filter(
            mentee=user, programme=programme, status__in=SEAT_HOLDING_STATUSES
        )
        .select_related("mentor")
        .first()
    )


def requests_left(user: User, programme: Programme) -> int:
    """How many more mentors the mentee may ask now (the limit counts unanswered requests)."""
    return max(MAX_PENDING_REQUESTS - pending_requests(user.pk, programme.pk), 0)


def find_mentor(user: User, programme: Programme) -> FindMentor:
    """The page of one programme: the latest match request's shortlist only, best first, each
    mentor once."""
    require_role(user, programme, Role.MENTEE)
    match_request = latest_match_request(user, programme)
    profile = Profile.objects.filter(user=user).first()
    return FindMentor(
        programme=programme,
        match_request=match_request,
        suggestions=suggestions_of(shortlist(user, match_request)),
        mentorship=current_mentorship(user, programme),
        requests_left=requests_left(user, programme),
        profile_complete=profile_is_complete(profile, as_mentor=False),
    )


def mentee_proposal(user: User, pk: int) -> Proposal:
    """A proposal of which the user is the mentee (what they may request, dismiss or
    withdraw); anyone else's, a mentor's or a coordinator's view of it, is NotFound."""
    proposal = (
        proposals_for(user)
        .filter(pk=pk, mentee=user)
        .prefetch_related("mentor__profile__positions")
        .first()
    )
    if proposal is None:
        raise NotFound("No such proposal.")
    return proposal
