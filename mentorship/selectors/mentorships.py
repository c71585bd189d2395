from __future__ import annotations

from django.db.models import Q, QuerySet

from mentorship.access import Viewer
from mentorship.errors import NotFound
from mentorship.models import Introduction, Mentorship, Session, User
from mentorship.selectors.programmes import coordinated_programmes


def _visible(user: User) -> Q:
    return Q(mentor=user) | Q(mentee=user) | Q(programme__in=coordinated_programmes(user))


def mentorships_for(user: Viewer, *, status: str | None = None) -> QuerySet[Mentorship]:
    """The pair sees its mentorship; coordinators see their programmes' mentorships."""
    if not user.is_authenticated:
        return Mentorship.objects.none()
    mentorships = Mentorship.objects.filter(_visible(user)).select_related(
        "mentor", "mentee", "programme"
    )
    return mentorships.filter(status=status) if status else mentorships


def mentorship_for(user: User, pk: int) -> Mentorship:
    mentorship = mentorships_for(user).filter(pk=pk).first()
    if mentorship is None:
        raise NotFound("No such mentorship.")
    return mentorship


def sessions_for(user: User, mentorship: Mentorship | None = None) -> QuerySet[Session]:
    sessions = Session.objects.filter(mentorship__in=mentorships_for(user)).select_related(
        "mentorship"
    )
    return sessions.filter(mentorship=mentorship) if mentorship is not None else sessions


def session_for(user: User, pk: int) -> Session:
    session = sessions_for(user).filter(pk=pk).first()
    if session is None:
        raise NotFound("No such session.")
    return session


def private_notes(session: Session, user: User) -> str | None:
    """The viewer's own notes on a session; None for anyone who is not one of the pair."""
    if user.pk == session.mentorship.mentor_id:
        return session.mentor_notes
    if user.pk == session.mentorship.mentee_id:
        return session.mentee_notes
    return None


def own_rating(session: Session, user: User) -> int | None:
    if user.pk == session.mentorship.mentor_id:
        return session.mentor_rating
    if user.pk == session.mentorship.mentee_id:
        return session.mentee_rating
    return None


def introductions_for(user: User, mentorship: Mentorship | None = None) -> QuerySet[Introduction]:
    introductions = Introduction.objects.filter(
        mentorship__in=mentorships_for(user)
    ).select_related("mentorship", "introducer", "contact_member")
    return introductions.filter(mentorship=mentorship) if mentorship is not None else introductions


def introduction_for(user: User, pk: int) -> Introduction:
    introduction = introductions_for(user).filter(pk=pk).first()
    if introduction is None:
        raise NotFound("No such introduction.")
    return introduction
