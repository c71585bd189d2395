"""Sessions as iCalendar (RFC 5545): a mentorship's sessions and its next due session as one
.ics file, and a person's feed of all their own (`/api/v1/me/sessions.ics?key=…`).

Sessions are logged with a date and a duration but no time of day, so they are all-day events.
Nothing private goes in: no notes, no ratings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from mentorship.errors import NotFound
from mentorship.models import CalendarFeed, Mentorship, MentorshipStatus, Session, User
from mentorship.selectors.cadence import mentorship_cadence
from mentorship.selectors.mentorships import mentorship_for

FEED_HISTORY_DAYS = 730  # the feed carries the last two years of sessions


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "mentorship.invalid"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Mentorship//Sessions//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    return calendar


def _all_day(uid: str, day: dt.date, summary: str, description: str, url: str) -> Event:
    event = Event()
    event.add("uid", f"{uid}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", day)
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # all-day markers, not busy time
    return event


def _pair(mentorship: Mentorship) -> str:
    return f"{mentorship.mentor.display_name} and {mentorship.mentee.display_name}"


def _add_mentorship(
    calendar: Calendar, mentorship: Mentorship, sessions: Iterable[Session]
) -> None:
    url = settings.SITE_URL.rstrip("/") + reverse("mentorship", args=[mentorship.pk])
    for session in sessions:
        topics = ", ".join(t.replace("_", " ") for t in session.topics) or "none recorded"
        calendar.add_component(
            _all_day(
                f"session-{session.pk}",
                session.date,
                f"Mentoring session: {_pair(mentorship)}",
                f"{session.duration_minutes} minutes, {session.get_format_display().lower()}."
                f" Topics: {topics}. {mentorship.programme.name}.",
                url,
            )
        )
    if mentorship.status == MentorshipStatus.ACTIVE:
        cadence = mentorship_cadence(mentorship)
        calendar.add_component(
            _all_day(
                f"mentorship-{mentorship.pk}-next",
                cadence.next_due,
                f"Next mentoring session due: {_pair(mentorship)}",
                f"You aim to meet every {mentorship.cadence_days} days"
                f" ({mentorship.programme.name}). Agree a date and log the session afterwards.",
                url,
            )
        )


def mentorship_calendar(*, user: User, pk: int) -> tuple[str, bytes]:
    """One mentorship's sessions and its next due session: (file name, .ics bytes), for the
    pair and the programme's coordinators (404 for anyone else)."""
    mentorship = mentorship_for(user, pk)
    calendar = _calendar(f"Mentoring: {_pair(mentorship)}")
    sessions = Session.objects.filter(mentorship=mentorship).order_by("date", "pk")
    _add_mentorship(calendar, mentorship, sessions)
    return f"mentorship-{mentorship.pk}.ics", calendar.to_ical()


# What `secrets.token_urlsafe(32)` makes (services/notifications.py): anything else, a NUL byte
# included (PostgreSQL refuses those in a query), cannot be a key and is not looked up.
FEED_KEY = re.compile(r"[A-Za-z0-9_-]{20,64}")


def feed_owner(key: str) -> User:
    """The person whose feed this key opens; NotFound for a wrong, revoked or empty key (the
    same answer for each, so a guess learns nothing)."""
    feed = (
        CalendarFeed.objects.select_related("user").filter(key=key).first()
        if FEED_KEY.fullmatch(key)
        else None
    )
    if feed is None or not feed.user.is_active:
        raise NotFound("No such calendar.")
    return feed.user


def sessions_feed(user: User) -> bytes:
    """Every session of the person's own mentorships (as mentor or mentee) of the last two
    years, and the next due session of each active one."""
    mentorships = (
        Mentorship.objects.filter(Q(mentor=user) | Q(mentee=user))
        .select_related("mentor", "mentee", "programme")
        .order_by("started_on", "pk")
    )
    since = timezone.localdate() - dt.timedelta(days=FEED_HISTORY_DAYS)
    calendar = _calendar("Mentoring sessions")
    calendar.add("x-published-ttl", "PT1H")
    for mentorship in mentorships:
        sessions = mentorship.sessions.filter(date__gte=since).order_by("date", "pk")
        _add_mentorship(calendar, mentorship, sessions)
    return calendar.to_ical()
