"""Session cadence: on_track / due / overdue / never_met, and the coordinator's summary."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorship import factories
from mentorship.errors import NotFound, PermissionDenied
from mentorship.models import Mentorship, MentorshipStatus, Programme
from mentorship.selectors.cadence import (
    STATUSES,
    cadence_of,
    due_window,
    mentorship_cadence,
    programme_cadence,
)

TODAY = dt.date(2026, 3, 20)
START = dt.date(2026, 1, 5)


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


@pytest.mark.parametrize(
    ("cadence_days", "window"),
    [(1, 2), (7, 2), (10, 2), (14, 2), (15, 3), (30, 6), (90, 18), (365, 73)],
)
def test_the_due_window_is_a_fifth_of_the_interval_and_at_least_two_days(cadence_days, window):
    assert due_window(cadence_days) == window


@pytest.mark.parametrize(
    ("cadence_days", "last_session_days_ago", "status"),
    [
        # cadence 14, due window 2: due from 12 days after the last session, overdue after 14.
        (14, 0, "on_track"),
        (14, 11, "on_track"),
        (14, 12, "due"),
        (14, 14, "due"),  # the due date itself is not yet overdue
        (14, 15, "overdue"),
        (14, 60, "overdue"),
        # cadence 30, due window 6.
        (30, 23, "on_track"),
        (30, 24, "due"),
        (30, 30, "due"),
        (30, 31, "overdue"),
        # cadence 7, due window 2.
        (7, 4, "on_track"),
        (7, 5, "due"),
        (7, 8, "overdue"),
        # a session logged for tomorrow (time-zone slack) counts as just met
        (14, -1, "on_track"),
    ],
)
def test_cadence_status_boundaries(cadence_days, last_session_days_ago, status):
    last = TODAY - days(last_session_days_ago)

    cadence = cadence_of(
        cadence_days=cadence_days, started_on=START, sessions_held=3, last_session=last, today=TODAY
    )

    assert cadence.status == status
    # Invariants on every row.
    assert cadence.next_due == last + days(cadence_days)
    assert cadence.days_since == max(last_session_days_ago, 0)
    assert cadence.last_session == last
    assert cadence.sessions_held == 3
    assert (cadence.status == "overdue") == (cadence.next_due < TODAY)


@pytest.mark.parametrize("started_days_ago", [0, 5, 14, 200])
def test_a_pair_that_never_met_is_never_met_however_long_ago_it_started(started_days_ago):
    started = TODAY - days(started_days_ago)

    cadence = cadence_of(
        cadence_days=14, started_on=started, sessions_held=0, last_session=None, today=TODAY
    )

    assert cadence.status == "never_met"
    assert cadence.days_since == started_days_ago
    assert cadence.next_due == started + days(14)


@pytest.mark.django_db
def test_mentorship_cadence_counts_the_pairs_sessions(programme):
    mentorship = factories.MentorshipFactory.create(programme=programme, started_on=START)
    for ago in (40, 13, 20):
        factories.SessionFactory.create(mentorship=mentorship, date=TODAY - days(ago))
    factories.SessionFactory.create(date=TODAY - days(1))  # another pair's

    cadence = mentorship_cadence(mentorship, today=TODAY)

    assert (cadence.sessions_held, cadence.last_session, cadence.status) == (
        3,
        TODAY - days(13),
        "due",
    )


@pytest.fixture
def cohort(programme: Programme) -> dict[str, Mentorship]:
    """One mentorship in each cadence state, a paused and a completed one, cadence 14."""

    def pair(*session_days_ago: int, status: str = MentorshipStatus.ACTIVE) -> Mentorship:
        m = factories.MentorshipFactory.create(
            programme=programme,
            started_on=START,
            status=status,
            ended_on=TODAY if status == MentorshipStatus.COMPLETED else None,
        )
        for ago in session_days_ago:
            factories.SessionFactory.create(mentorship=m, date=TODAY - days(ago))
        return m

    return {
        "on_track": pair(40, 3),
        "due": pair(13),
        "overdue": pair(50, 45, 20),
        "never_met": pair(),
        "paused": pair(60, status=MentorshipStatus.PAUSED),
        "completed": pair(10, status=MentorshipStatus.COMPLETED),
    }


@pytest.mark.django_db
def test_programme_cadence_lists_active_mentorships_most_urgent_first(
    programme, coordinator, cohort
):
    # Another programme's pairs never show.
    factories.MentorshipFactory.create(started_on=START)

    _, rows, summary = programme_cadence(actor=coordinator, slug=programme.slug, today=TODAY)

    assert [r.mentorship for r in rows] == [
        cohort["overdue"],
        cohort["never_met"],
        cohort["due"],
        cohort["on_track"],
    ]
    for row in rows:
        assert row.mentorship == cohort[row.cadence.status]
    assert summary.active == 4
    assert summary.paused == 1
    assert {s: getattr(summary, s) for s in STATUSES} == dict.fromkeys(STATUSES, 1)
    assert summary.on_track_rate == 0.25
    # Sessions in the last 30 days across the programme, paused and completed pairs included:
    # 3 (on_track), 13 (due), 20 (overdue), 10 (completed).
    assert summary.sessions_last_30_days == 4
    # Days since the last session of the active pairs that met: 3, 13, 20.
    assert summary.median_days_since == 13.0


@pytest.mark.django_db
def test_programme_cadence_filters_by_status_but_summarises_everything(
    programme, coordinator, cohort
):
    _, rows, summary = programme_cadence(
        actor=coordinator, slug=programme.slug, today=TODAY, status="overdue"
    )

    assert [r.mentorship for r in rows] == [cohort["overdue"]]
    assert summary.active == 4


@pytest.mark.django_db
def test_pausing_takes_a_mentorship_out_of_the_cadence_rows(programme, coordinator, cohort):
    from mentorship.services.mentorships import pause_mentorship

    pause_mentorship(actor=coordinator, mentorship=cohort["overdue"])

    _, rows, summary = programme_cadence(actor=coordinator, slug=programme.slug, today=TODAY)

    assert cohort["overdue"] not in [r.mentorship for r in rows]
    assert (summary.active, summary.paused, summary.overdue) == (3, 2, 0)


@pytest.mark.django_db
def test_an_empty_programme_has_an_empty_summary(programme, coordinator):
    _, rows, summary = programme_cadence(actor=coordinator, slug=programme.slug, today=TODAY)

    assert rows == []
    assert (summary.active, summary.on_track_rate, summary.median_days_since) == (0, None, None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("mentor", PermissionDenied),
        ("mentee", PermissionDenied),
        ("outsider", NotFound),
        ("other_coordinator", NotFound),
    ],
)
def test_only_the_programmes_coordinators_see_its_cadence(request, programme, who, error):
    user = request.getfixturevalue(who)

    with pytest.raises(error):
        programme_cadence(actor=user, slug=programme.slug, today=TODAY)
