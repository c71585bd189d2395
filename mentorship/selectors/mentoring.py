"""The mentor's side: what they offer and their free seats, the inbox of requests addressed to
them (each with the mentee's summary and why the matcher paired them), and the answers given."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, QuerySet

from mentorship.errors import NotFound, PermissionDenied
from mentorship.models import Membership, Profile, Proposal, ProposalStatus, Role, User
from mentorship.selectors.people import PersonSummary, person_summary
from mentorship.selectors.proposals import proposals_for
from mentorship.services.profiles import max_capacity_for
from mentorship.services.proposals import seats_taken

# A request leaves the inbox when it is answered, or when nobody answered it in time.
ANSWERED_STATUSES = (ProposalStatus.ACCEPTED, ProposalStatus.DECLINED, ProposalStatus.EXPIRED)
RECENT_ANSWERS = 20


@dataclass(frozen=True)
class Seats:
    """A mentor's places: taken counts active and paused mentorships, as accepting does."""

    taken: int
    capacity: int
    accepting: bool
    limit: int  # the most the mentor's programmes allow

    @property
    def free(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def full(self) -> bool:
        return self.taken >= self.capacity


@dataclass(frozen=True)
class InboxItem:
    proposal: Proposal
    mentee: PersonSummary

    @property
    def from_cohort_run(self) -> bool:
        return self.proposal.matching_run_id is not None

    @property
    def score_percent(self) -> int:
        return round(self.proposal.score * 100)

    @property
    def mentorship_id(self) -> int | None:
        """The mentorship an accepted request started (while it can be opened)."""
        return getattr(self.proposal, "mentorship_pk", None)


def require_mentor(user: User) -> None:
    """The mentor's pages are for members who mentor somewhere."""
    if not Membership.objects.filter(user=user, role=Role.MENTOR).exists():
        raise PermissionDenied("Only mentors have this page: join a programme as a mentor first.")


def seats_of(user: User) -> Seats:
    profile = Profile.objects.filter(user=user).first()
    return Seats(
        taken=seats_taken(user.pk),
        capacity=profile.capacity if profile else 0,
        accepting=bool(profile and profile.accepting_mentees),
        limit=max_capacity_for(user),
    )


def _addressed_to(user: User) -> QuerySet[Proposal]:
    return (
        proposals_for(user)
        .filter(mentor=user, requested_at__isnull=False)  # never a coordinator's own draft
        .select_related("matching_run")
        .prefetch_related("mentee__profile__positions")
        .annotate(mentorship_pk=F("mentorship__id"))
    )


def _items(proposals: QuerySet[Proposal]) -> list[InboxItem]:
    return [InboxItem(p, person_summary(p.mentee, topics="wanted")) for p in proposals]


def inbox_of(user: User) -> list[InboxItem]:
    """Requests waiting for the mentor's answer, the nearest deadline first."""
    return _items(
        _addressed_to(user).filter(status=ProposalStatus.REQUESTED).order_by("expires_at", "pk")
    )


def answered_of(user: User, *, limit: int = RECENT_ANSWERS) -> list[InboxItem]:
    """The latest requests the mentor accepted, declined or let expire, newest first."""
    answered = _addressed_to(user).filter(status__in=ANSWERED_STATUSES)
    return _items(answered.order_by(F("responded_at").desc(nulls_last=True), "-pk")[:limit])


def inbox_item(user: User, pk: int) -> InboxItem:
    """One request addressed to the mentor, whatever its status; anyone else's is NotFound."""
    proposal = _addressed_to(user).filter(pk=pk).first()
    if proposal is None:
        raise NotFound("No such request.")
    return InboxItem(proposal, person_summary(proposal.mentee, topics="wanted"))
