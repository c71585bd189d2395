"""The pair's pages: a person's mentorships, and one mentorship as its viewer sees it (the
mentor, the mentee, or a coordinator of its programme, who never sees private notes)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from mentorship.errors import NotFound
from mentorship.models import (
    SEAT_HOLDING_STATUSES,
    Introduction,
    Membership,
    Mentorship,
    MentorshipStatus,
    Role,
    Session,
    User,
)
from mentorship.selectors.cadence import (
    Cadence,
    cadence_from_annotations,
    mentorship_cadence,
    with_session_counts,
)
from mentorship.selectors.mentorships import (
    introductions_for,
    mentorships_for,
    own_rating,
    private_notes,
    sessions_for,
)
from mentorship.selectors.people import PersonSummary, person_summary
from mentorship.taxonomy import topic_label

MENTOR, MENTEE, COORDINATOR = "mentor", "mentee", "coordinator"

# The lifecycle moves a status allows (services/mentorships.py enforces them), in button order.
LIFECYCLE_ACTIONS: dict[str, tuple[str, ...]] = {
    MentorshipStatus.ACTIVE: ("pause", "complete", "end"),
    MentorshipStatus.PAUSED: ("resume", "complete", "end"),
}


def lifecycle_actions(mentorship: Mentorship) -> tuple[str, ...]:
    return LIFECYCLE_ACTIONS.get(mentorship.status, ())


def viewer_side(mentorship: Mentorship, user: User) -> str:
    """Which side the viewer of a mentorship they can see is on."""
    if user.pk == mentorship.mentor_id:
        return MENTOR
    if user.pk == mentorship.mentee_id:
        return MENTEE
    return COORDINATOR


# The list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MentorshipRow:
    mentorship: Mentorship
    other: User  # the person on the other side
    cadence: Cadence

    @property
    def is_open(self) -> bool:
        return self.mentorship.status in SEAT_HOLDING_STATUSES


@dataclass(frozen=True)
class MyMentorships:
    as_mentor: list[MentorshipRow]
    as_mentee: list[MentorshipRow]


def _open_first(row: MentorshipRow) -> tuple[int, int, int]:
    m = row.mentorship
    if row.is_open:
        return (0, row.cadence.next_due.toordinal(), m.pk)
    return (1, -(m.ended_on or m.started_on).toordinal(), -m.pk)


def my_mentorships(user: User, *, today: dt.date) -> MyMentorships:
    """The person's own mentorships on each side (not those they only coordinate): the open ones
    first, soonest due first, then the closed ones, latest ended first."""
    mine = with_session_counts(mentorships_for(user).filter(Q(mentor=user) | Q(mentee=user)))
    rows = [
        MentorshipRow(
            m,
            m.mentee if m.mentor_id == user.pk else m.mentor,
            cadence_from_annotations(m, today=today),
        )
        for m in mine
    ]
    rows.sort(key=_open_first)
    return MyMentorships(
        as_mentor=[r for r in rows if r.mentorship.mentor_id == user.pk],
        as_mentee=[r for r in rows if r.mentorship.mentee_id == user.pk],
    )


# One mentorship ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionEntry:
    """A session as the viewer sees it: the notes and rating are the viewer's own (None for a
    coordinator); the other side's never appear."""

    session: Session
    topics: list[str]
    notes: str | None
    rating: int | None
    logged_by_viewer: bool


@dataclass(frozen=True)
class PairPage:
    mentorship: Mentorship
    side: str
    mentor: PersonSummary
    mentee: PersonSummary
    cadence: Cadence
    sessions: list[SessionEntry]
    introductions: list[Introduction]

    @property
    def in_pair(self) -> bool:
        return self.side != COORDINATOR

    @property
    def other(self) -> PersonSummary:
        return self.mentee if self.side == MENTOR else self.mentor

    @property
    def is_open(self) -> bool:
        return self.mentorship.status in SEAT_HOLDING_STATUSES

    @property
    def can_log_sessions(self) -> bool:
        return self.in_pair

    @property
    def can_edit_goals(self) -> bool:
        return self.in_pair and self.is_open

    @property
    def can_introduce(self) -> bool:
        return (
            self.side in (MENTOR, COORDINATOR) and self.mentorship.status != MentorshipStatus.ENDED
        )

    @property
    def can_answer_introductions(self) -> bool:
        return self.side == MENTEE

    @property
    def actions(self) -> tuple[str, ...]:
        return lifecycle_actions(self.mentorship)


def _visible(user: User) -> QuerySet[Mentorship]:
    return mentorships_for(user).select_related("mentor__profile", "mentee__profile")


def pair_mentorship(user: User, pk: int) -> Mentorship:
    """The mentorship for its pair and its programme's coordinators; NotFound for anyone else."""
    mentorship = _visible(user).filter(pk=pk).first()
    if mentorship is None:
        raise NotFound("No such mentorship.")
    return mentorship


def session_entries(user: User, mentorship: Mentorship) -> list[SessionEntry]:
    sessions = sessions_for(user, mentorship).order_by("-date", "-id")
    return [
        SessionEntry(
            session=s,
            topics=[topic_label(t) for t in s.topics],
            notes=private_notes(s, user),
            rating=own_rating(s, user),
            logged_by_viewer=s.logged_by_id == user.pk,
        )
        for s in sessions
    ]


def pair_page(user: User, pk: int, *, today: dt.date) -> PairPage:
    mentorship = (
        _visible(user)
        .prefetch_related("mentor__profile__positions", "mentee__profile__positions")
        .filter(pk=pk)
        .first()
    )
    if mentorship is None:
        raise NotFound("No such mentorship.")
    introductions = introductions_for(user, mentorship).order_by("-created_at", "-id")
    return PairPage(
        mentorship=mentorship,
        side=viewer_side(mentorship, user),
        mentor=person_summary(mentorship.mentor, topics="offered"),
        mentee=person_summary(mentorship.mentee, topics="wanted"),
        cadence=mentorship_cadence(mentorship, today=today),
        sessions=session_entries(user, mentorship),
        introductions=list(introductions),
    )


def introduction_contacts(mentorship: Mentorship) -> list[tuple[int, str]]:
    """Members an introducer may pick as the contact: the programme's mentors and coordinators
    (people whose names the programme already shows), never the pair themselves."""
    members = (
        Membership.objects.filter(
            programme_id=mentorship.programme_id, role__in=(Role.MENTOR, Role.COORDINATOR)
        )
        .exclude(user_id__in=(mentorship.mentor_id, mentorship.mentee_id))
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user_id")
    )
    seen: dict[int, str] = {}
    for membership in members:
        seen.setdefault(membership.user_id, membership.user.display_name)
    return list(seen.items())
