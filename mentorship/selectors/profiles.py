"""One's own profile as the profile wizard reads it: the career history in the service's
format, one position by id, and which parts are filled in."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mentorship.errors import NotFound
from mentorship.models import Personality, Position, Profile, User
from mentorship.services.profiles import format_month


def own_positions(user: User) -> QuerySet[Position]:
    """The user's career history, newest first."""
    return Position.objects.filter(profile__user=user).order_by("-start", "-id")


def own_position(user: User, pk: int) -> Position:
    position = own_positions(user).filter(pk=pk).first()
    if position is None:
        raise NotFound("No such position.")
    return position


def own_personality(user: User) -> Personality | None:
    """The user's questionnaire answers (they exist only while consent stands)."""
    return Personality.objects.filter(profile__user=user).first()


def position_entry(position: Position) -> dict[str, Any]:
    """A position as `services.profiles.set_positions` takes it (with its id, so it is kept)."""
    return {
        "id": position.pk,
        "title": position.title,
        "organisation": position.organisation,
        "industry": position.industry,
        "start": format_month(position.start),
        "end": format_month(position.end),
        "summary": position.summary,
    }


def profile_progress(user: User, *, wants_topics: bool) -> dict[str, bool]:
    """Which parts of the profile wizard hold something, by step: `about`, `positions`,
    `skills`, `preferences` (languages, and topics for a mentee) and `questionnaire`."""
    profile = Profile.objects.filter(user=user).first()
    if profile is None:
        return dict.fromkeys(
            ("about", "positions", "skills", "preferences", "questionnaire"), False
        )
    return {
        "about": bool(profile.headline or profile.about),
        "positions": profile.positions.exists(),
        "skills": bool(profile.skills or profile.certifications),
        "preferences": bool(profile.languages and (profile.topics_wanted or not wants_topics)),
        "questionnaire": Personality.objects.filter(profile=profile).exists(),
    }
