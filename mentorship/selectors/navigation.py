"""What the pages' navigation and first-run checklist need to know about the signed-in person."""

from __future__ import annotations

from dataclasses import dataclass, field

from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    Membership,
    Mentorship,
    Personality,
    Profile,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)


@dataclass(frozen=True)
class Step:
    """One item of the first-run checklist."""

    key: str
    label: str
    done: bool


@dataclass
class Places:
    """The signed-in person's roles, by programme, in the order the navigation shows them."""

    mentee_of: list[Programme] = field(default_factory=list)
    mentor_of: list[Programme] = field(default_factory=list)
    coordinator_of: list[Programme] = field(default_factory=list)

    @property
    def is_mentee(self) -> bool:
        return bool(self.mentee_of)

    @property
    def is_mentor(self) -> bool:
        return bool(self.mentor_of)

    @property
    def is_coordinator(self) -> bool:
        return bool(self.coordinator_of)

    @property
    def programmes(self) -> list[Programme]:
        seen: dict[int, Programme] = {}
        for p in self.mentee_of + self.mentor_of + self.coordinator_of:
            seen.setdefault(p.pk, p)
        return sorted(seen.values(), key=lambda p: p.name)


def places_of(user: User) -> Places:
    """One query: the user's memberships with their programmes."""
    places = Places()
    by_role = {
        Role.MENTEE: places.mentee_of,
        Role.MENTOR: places.mentor_of,
        Role.COORDINATOR: places.coordinator_of,
    }
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("programme")
        .order_by("programme__name", "programme_id")
    )
    for membership in memberships:
        by_role[Role(membership.role)].append(membership.programme)
    return places


def profile_is_complete(profile: Profile | None, *, as_mentor: bool) -> bool:
    """Enough for the matcher to say something useful: a line about oneself, a position, topics
    and a language."""
    if profile is None or profile.pk is None:
        return False
    topics = profile.topics_offered if as_mentor else profile.topics_wanted
    has_position = profile.positions.exists()
    about = profile.about or profile.headline
    return bool(about and has_position and topics and profile.languages)


def next_steps(user: User, places: Places) -> list[Step]:
    """The first-run checklist of a mentee or a mentor, in the order to do things; empty for
    someone who is only a coordinator."""
    if not (places.is_mentee or places.is_mentor):
        return []
    profile = Profile.objects.filter(user=user).first()
    steps = [
        Step(
            "profile",
            "Complete your profile",
            profile_is_complete(profile, as_mentor=places.is_mentor and not places.is_mentee),
        ),
        Step(
            "questionnaire",
            "Answer the personality questionnaire",
            Personality.objects.filter(profile__user=user).exists(),
        ),
    ]
    if places.is_mentee:
        has_mentor = Mentorship.objects.filter(
            mentee=user, status__in=SEAT_HOLDING_STATUSES
        ).exists()
        asked = Proposal.objects.filter(
            mentee=user, requested_at__isnull=False, status=ProposalStatus.REQUESTED
        ).exists()
        steps.append(Step("find", "Find a mentor", has_mentor or asked))
    if places.is_mentor:
        offered = bool(profile and profile.topics_offered and profile.capacity)
        steps.append(Step("offer", "Say what you offer and how many mentees you can take", offered))
    return steps
