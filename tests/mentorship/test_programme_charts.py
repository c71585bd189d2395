"""The numbers behind the programme dashboard's charts, on small programmes counted by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from mentorship import factories
from mentorship.errors import NotFound, PermissionDenied
from mentorship.models import (
    MatchingRun,
    MentorshipStatus,
    Programme,
    ProposalStatus,
    Role,
    User,
)
from mentorship.selectors.programmes import programme_members
from mentorship.selectors.proposals import run_proposals, unmatched_mentees
from mentorship.selectors.stats import programme_charts, programme_stats
from mentorship.taxonomy import ConnectionType, NetworkGroup

pytestmark = pytest.mark.django_db

S = ProposalStatus
TODAY = dt.date(2026, 11, 25)  # a Wednesday


def test_sessions_are_counted_per_week_from_monday_oldest_week_first(programme, coordinator):
    pair = factories.MentorshipFactory.create(programme=programme, started_on=dt.date(2026, 8, 1))
    for day in (
        dt.date(2026, 11, 23),  # this week's Monday
        dt.date(2026, 11, 25),  # today
        dt.date(2026, 11, 22),  # last week's Sunday
        dt.date(2026, 11, 16),  # last week's Monday
        dt.date(2026, 11, 2),  # four weeks ago
        dt.date(2026, 10, 25),  # before the window of 4 weeks
    ):
        factories.SessionFactory.create(mentorship=pair, date=day)
    factories.SessionFactory.create(  # another programme's session is not counted
        mentorship=factories.MentorshipFactory.create(), date=TODAY
    )

    weeks = programme_charts(
        actor=coordinator, slug=programme.slug, today=TODAY, weeks=4
    ).sessions_per_week

    assert [(w.week, w.sessions) for w in weeks] == [
        (dt.date(2026, 11, 2), 1),
        (dt.date(2026, 11, 9), 0),
        (dt.date(2026, 11, 16), 2),
        (dt.date(2026, 11, 23), 2),
    ]


def test_the_wait_for_a_first_session_is_binned_with_its_median(programme, coordinator):
    start = dt.date(2026, 9, 1)
    for days in (0, 7, 8, 20, 45, 90):
        pair = factories.MentorshipFactory.create(programme=programme, started_on=start)
        factories.SessionFactory.create(mentorship=pair, date=start + dt.timedelta(days=days))
        # Later sessions do not change the wait.
        factories.SessionFactory.create(mentorship=pair, date=start + dt.timedelta(days=days + 14))
    factories.MentorshipFactory.create(programme=programme, started_on=start)  # not met yet
    factories.MentorshipFactory.create(  # closed without meeting: not waiting any more
        programme=programme,
        started_on=start,
        status=MentorshipStatus.COMPLETED,
        ended_on=TODAY,
    )

    wait = programme_charts(actor=coordinator, slug=programme.slug, today=TODAY).first_session

    assert [(b.first_day, b.last_day, b.mentorships) for b in wait.bins] == [
        (0, 7, 2),
        (8, 14, 1),
        (15, 30, 1),
        (31, 60, 1),
        (61, None, 1),
    ]
    assert wait.median_days == 14.0  # (8 + 20) / 2
    assert wait.not_met_yet == 1


def test_the_funnel_follows_proposals_from_suggestion_to_answer(programme, coordinator):
    for status, n in (
        (S.SUGGESTED, 3),
        (S.DISMISSED, 1),
        (S.REQUESTED, 2),
        (S.ACCEPTED, 4),
        (S.DECLINED, 1),
        (S.EXPIRED, 2),
        (S.WITHDRAWN, 1),  # requested, then withdrawn
    ):
        factories.ProposalFactory.create_batch(
            n,
            programme=programme,
            status=status,
            decline_reason="Busy" if status == S.DECLINED else "",
        )
    # A coordinator's drafts reach nobody; published ones are requests like any other.
    run = MatchingRun.objects.create(programme=programme, mode="optimal", created_by=coordinator)
    factories.ProposalFactory.create(programme=programme, matching_run=run, status=S.DRAFT)
    factories.ProposalFactory.create(programme=programme, matching_run=run, status=S.REQUESTED)
    factories.ProposalFactory.create(  # withdrawn at discard, never sent
        programme=programme, matching_run=run, status=S.WITHDRAWN, requested_at=None
    )
    factories.ProposalFactory.create(status=S.ACCEPTED)  # another programme

    funnel = programme_charts(actor=coordinator, slug=programme.slug, today=TODAY).funnel

    assert funnel == {
        "suggested": 15,  # 14 from match requests + 1 sent by the run
        "requested": 11,
        "accepted": 4,
        "declined": 1,
        "expired": 2,
        "withdrawn": 1,
        "waiting": 3,
    }
    sent = funnel["requested"]
    assert sent == sum(
        funnel[s] for s in ("accepted", "declined", "expired", "withdrawn", "waiting")
    )


def test_decline_reasons_are_the_most_given_first_and_the_rest_counted_apart(
    programme, coordinator, monkeypatch
):
    monkeypatch.setattr("mentorship.selectors.stats.DECLINE_REASONS_SHOWN", 2)
    for reason, n in (("Busy", 3), ("Not my field", 2), ("Travelling", 1), ("Abroad", 1)):
        factories.ProposalFactory.create_batch(
            n, programme=programme, status=S.DECLINED, decline_reason=reason
        )

    charts = programme_charts(actor=coordinator, slug=programme.slug, today=TODAY)

    assert charts.decline_reasons == [("Busy", 3), ("Not my field", 2)]
    assert charts.other_decline_reasons == 2
    # The API's stats keep their shape and agree.
    stats = programme_stats(actor=coordinator, slug=programme.slug)
    assert stats["decline_reasons"] == [
        {"key": "Busy", "count": 3},
        {"key": "Not my field", "count": 2},
    ]


def test_introductions_are_counted_by_network_group_and_connection_type(programme, coordinator):
    pair = factories.MentorshipFactory.create(programme=programme)
    for group, kind, n in (
        (NetworkGroup.SENIOR_LEADERSHIP, ConnectionType.STRATEGIC, 2),
        (NetworkGroup.SENIOR_LEADERSHIP, ConnectionType.PERSONAL, 1),
        (NetworkGroup.DELIVERY_TEAMS, ConnectionType.OPERATIONAL, 3),
    ):
        factories.IntroductionFactory.create_batch(
            n, mentorship=pair, network_group=group, connection_type=kind
        )
    factories.IntroductionFactory.create()  # another programme

    matrix = programme_charts(actor=coordinator, slug=programme.slug, today=TODAY).introductions

    assert list(matrix) == NetworkGroup.values
    assert all(list(by_type) == ConnectionType.values for by_type in matrix.values())
    assert matrix["senior_leadership"] == {"operational": 0, "personal": 1, "strategic": 2}
    assert matrix["delivery_teams"] == {"operational": 3, "personal": 0, "strategic": 0}
    assert sum(sum(t.values()) for t in matrix.values()) == 6
    by_group = programme_stats(actor=coordinator, slug=programme.slug)["introductions_by_group"]
    assert by_group == {g: sum(matrix[g].values()) for g in NetworkGroup.values}


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("outsider", NotFound),
        ("other_coordinator", NotFound),
        ("mentor", PermissionDenied),
        ("mentee", PermissionDenied),
    ],
)
def test_only_the_programmes_coordinators_read_its_charts(request, programme, who, error):
    with pytest.raises(error):
        programme_charts(actor=request.getfixturevalue(who), slug=programme.slug)


def test_members_are_listed_by_role_with_seats_and_whether_mentees_have_a_mentor(
    programme: Programme, other_programme: Programme, coordinator: User
) -> None:
    mentor = factories.member(programme, Role.MENTOR, capacity=3, last_name="Adams")
    matched = factories.member(programme, Role.MENTEE, last_name="Brown")
    waiting = factories.member(programme, Role.MENTEE, last_name="Clark")
    factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=matched)
    factories.MentorshipFactory.create(  # a seat taken in another programme counts too
        programme=other_programme, mentor=mentor
    )
    factories.MentorshipFactory.create(  # a finished pairing frees its seat
        programme=programme,
        mentor=mentor,
        status=MentorshipStatus.COMPLETED,
        ended_on=timezone.localdate(),
    )

    listing = programme_members(actor=coordinator, slug=programme.slug)
    rows: dict[int, Any] = {m.user_id: m for m in listing.members}  # annotated memberships

    assert [m.role for m in listing.members][:2] == [Role.COORDINATOR, Role.MENTOR]
    assert rows[mentor.pk].seats_taken == 2
    assert (rows[matched.pk].has_mentor, rows[waiting.pk].has_mentor) == (True, False)
    assert listing.counts[Role.MENTEE] == programme.memberships.filter(role=Role.MENTEE).count()
    only_mentees = programme_members(actor=coordinator, slug=programme.slug, role=Role.MENTEE)
    assert {m.role for m in only_mentees.members} == {Role.MENTEE}


def test_a_runs_unmatched_mentees_are_named_and_its_pairs_best_first(
    programme: Programme, coordinator: User, other_coordinator: User
) -> None:
    left_out = factories.member(programme, Role.MENTEE, first_name="Zoe", last_name="Ng")
    also = factories.member(programme, Role.MENTEE, first_name="Abe", last_name="Ode")
    run = MatchingRun.objects.create(
        programme=programme,
        mode="optimal",
        created_by=coordinator,
        summary={"unmatched": [f"u{left_out.pk}", f"u{also.pk}", "not-an-id"]},
    )
    low = factories.ProposalFactory.create(
        programme=programme, matching_run=run, status=S.DRAFT, score=0.4
    )
    high = factories.ProposalFactory.create(
        programme=programme, matching_run=run, status=S.DRAFT, score=0.9
    )

    assert unmatched_mentees(actor=coordinator, run=run) == [left_out, also]
    assert list(run_proposals(actor=coordinator, run=run)) == [high, low]
    with pytest.raises(NotFound):
        unmatched_mentees(actor=other_coordinator, run=run)
    assert list(run_proposals(actor=other_coordinator, run=run)) == []
