"""The selectors behind the mentor's and the pair's pages: seats, the inbox, person summaries,
one's mentorships and the mentorship page, each scoped to the person looking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mentorship import factories
from mentorship.errors import NotFound, PermissionDenied
from mentorship.models import (
    MatchingRun,
    Mentorship,
    MentorshipStatus,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.selectors import mentoring, pairs, people
from mentorship.services.proposals import accept_proposal, decline_proposal

pytestmark = pytest.mark.django_db

S = ProposalStatus


def sent(
    programme: Programme, mentor: User, mentee: User | None = None, **extra: object
) -> Proposal:
    return factories.ProposalFactory.create(
        programme=programme,
        mentor=mentor,
        mentee=mentee or factories.member(programme, Role.MENTEE),
        status=S.REQUESTED,
        **extra,
    )


# Seats and the inbox -----------------------------------------------------------------------


def test_seats_count_active_and_paused_mentorships_against_the_capacity(
    programme: Programme, mentor: User
) -> None:
    factories.MentorshipFactory.create(programme=programme, mentor=mentor)
    factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, status=MentorshipStatus.PAUSED
    )
    factories.MentorshipFactory.create(
        programme=programme,
        mentor=mentor,
        status=MentorshipStatus.COMPLETED,
        ended_on=timezone.localdate(),
    )
    seats = mentoring.seats_of(mentor)
    assert (seats.taken, seats.capacity, seats.free, seats.full) == (2, 2, 0, True)
    assert seats.accepting is True
    assert seats.limit == programme.max_mentor_capacity


def test_only_mentors_have_the_mentor_pages(mentor: User, mentee: User) -> None:
    mentoring.require_mentor(mentor)
    with pytest.raises(PermissionDenied):
        mentoring.require_mentor(mentee)


def test_the_inbox_holds_the_requests_sent_to_the_mentor_nearest_deadline_first(
    programme: Programme, mentor: User, coordinator: User
) -> None:
    later = sent(programme, mentor)
    sooner = sent(programme, mentor)
    sooner.expires_at = timezone.now() + dt.timedelta(days=1)
    sooner.save()
    other_mentor = factories.member(programme, Role.MENTOR)
    sent(programme, other_mentor)  # someone else's
    factories.ProposalFactory.create(programme=programme, mentor=mentor)  # only suggested
    run = MatchingRun.objects.create(programme=programme, mode="optimal", created_by=coordinator)
    factories.ProposalFactory.create(  # a coordinator's draft: not sent yet
        programme=programme, mentor=mentor, matching_run=run, status=S.DRAFT
    )
    assert [i.proposal for i in mentoring.inbox_of(mentor)] == [sooner, later]
    assert mentoring.inbox_of(other_mentor)[0].proposal.mentor == other_mentor


def test_an_inbox_item_carries_the_mentees_summary_never_their_questionnaire(
    programme: Programme, mentor: User, mentee: User
) -> None:
    factories.PersonalityFactory.create(profile=mentee.profile)
    item = mentoring.inbox_item(mentor, sent(programme, mentor, mentee).pk)
    summary = item.mentee
    assert summary.name == mentee.display_name
    assert summary.topics == ["Leadership", "PMO governance"]
    assert not hasattr(summary, "personality")
    assert item.score_percent == 80
    assert item.from_cohort_run is False


def test_answered_requests_are_newest_first_and_point_to_the_mentorship(
    programme: Programme, mentor: User
) -> None:
    declined = sent(programme, mentor)
    decline_proposal(actor=mentor, proposal=declined, reason="Full this quarter")
    accepted = sent(programme, mentor)
    mentorship = accept_proposal(actor=mentor, proposal=accepted)
    answered = mentoring.answered_of(mentor)
    assert [i.proposal.pk for i in answered] == [accepted.pk, declined.pk]
    assert answered[0].mentorship_id == mentorship.pk
    assert answered[1].mentorship_id is None
    assert mentoring.inbox_of(mentor) == []


def test_a_request_to_another_mentor_is_not_found(
    programme: Programme, mentor: User, mentee: User
) -> None:
    proposal = sent(programme, factories.member(programme, Role.MENTOR))
    with pytest.raises(NotFound):
        mentoring.inbox_item(mentor, proposal.pk)
    with pytest.raises(NotFound):
        mentoring.inbox_item(proposal.mentee, proposal.pk)  # the mentee does not answer it


# People ------------------------------------------------------------------------------------


def test_a_summary_names_the_current_role_and_the_topics_in_words(mentee: User) -> None:
    profile = mentee.profile
    today = timezone.localdate()
    factories.PositionFactory.create(
        profile=profile, title="Analyst", start=today.replace(year=today.year - 6), end=None
    )
    factories.PositionFactory.create(
        profile=profile, title="PMO Officer", start=today.replace(year=today.year - 2), end=None
    )
    factories.PositionFactory.create(
        profile=profile,
        title="Intern",
        start=today.replace(year=today.year - 8),
        end=today.replace(year=today.year - 7),
    )
    profile.languages = ["en", "fr"]
    profile.formats = ["video", "in_person"]
    profile.save()
    summary = people.person_summary(User.objects.get(pk=mentee.pk), topics="wanted")
    assert summary.position is not None
    assert summary.position.title == "PMO Officer"
    assert summary.languages == ["English", "French"]
    assert summary.formats == ["Video call", "In person"]
    assert summary.seniority == "Practitioner"
    offered = people.person_summary(mentee, topics="offered")
    assert offered.topics == []


def test_topic_choices_add_the_programmes_own_topics_after_the_taxonomy(
    programme: Programme, mentor: User
) -> None:
    programme.extra_topics = ["bid_management"]
    programme.save()
    choices = people.topic_choices(mentor)
    assert choices[0] == ("career_progression", "Career progression")
    assert choices[-1] == ("bid_management", "Bid management")
    assert ("pmo_governance", "PMO governance") in choices


# The pair ----------------------------------------------------------------------------------


@pytest.fixture
def pairing(programme: Programme, mentor: User, mentee: User) -> Mentorship:
    return factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)


def test_my_mentorships_are_my_own_sides_open_ones_first(
    programme: Programme, mentor: User, coordinator: User, pairing: Mentorship
) -> None:
    closed = factories.MentorshipFactory.create(
        programme=programme,
        mentor=mentor,
        status=MentorshipStatus.COMPLETED,
        ended_on=timezone.localdate(),
    )
    mine = pairs.my_mentorships(mentor, today=timezone.localdate())
    assert [r.mentorship for r in mine.as_mentor] == [pairing, closed]
    assert mine.as_mentee == []
    assert mine.as_mentor[0].other == pairing.mentee
    assert [r.is_open for r in mine.as_mentor] == [True, False]
    coordinated = pairs.my_mentorships(coordinator, today=timezone.localdate())
    assert (coordinated.as_mentor, coordinated.as_mentee) == ([], [])


def test_each_side_sees_its_own_notes_and_a_coordinator_none(
    mentor: User, mentee: User, coordinator: User, pairing: Mentorship
) -> None:
    factories.SessionFactory.create(
        mentorship=pairing, mentor_notes="M", mentee_notes="E", mentor_rating=2, mentee_rating=5
    )
    today = timezone.localdate()
    as_mentor = pairs.pair_page(mentor, pairing.pk, today=today)
    as_mentee = pairs.pair_page(mentee, pairing.pk, today=today)
    as_coordinator = pairs.pair_page(coordinator, pairing.pk, today=today)
    assert (as_mentor.sessions[0].notes, as_mentor.sessions[0].rating) == ("M", 2)
    assert (as_mentee.sessions[0].notes, as_mentee.sessions[0].rating) == ("E", 5)
    assert (as_coordinator.sessions[0].notes, as_coordinator.sessions[0].rating) == (None, None)
    assert (as_mentor.side, as_mentee.side, as_coordinator.side) == (
        "mentor",
        "mentee",
        "coordinator",
    )
    assert as_mentor.other.name == mentee.display_name
    assert as_coordinator.can_introduce
    assert not as_coordinator.can_log_sessions
    assert not as_coordinator.can_edit_goals
    assert as_mentee.can_answer_introductions
    assert not as_mentee.can_introduce
    assert as_mentee.cadence.status == "on_track"


@pytest.mark.parametrize("who", ["outsider", "peer_mentee", "other_coordinator", "staff"])
def test_the_pair_page_is_not_found_outside_the_pair_and_its_coordinators(
    who: str, pairing: Mentorship, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        pairs.pair_page(user, pairing.pk, today=timezone.localdate())
    with pytest.raises(NotFound):
        pairs.pair_mentorship(user, pairing.pk)


@pytest.mark.parametrize(
    ("status", "actions"),
    [
        (MentorshipStatus.ACTIVE, ("pause", "complete", "end")),
        (MentorshipStatus.PAUSED, ("resume", "complete", "end")),
        (MentorshipStatus.COMPLETED, ()),
        (MentorshipStatus.ENDED, ()),
    ],
)
def test_the_lifecycle_buttons_follow_the_status(
    status: str, actions: tuple[str, ...], pairing: Mentorship
) -> None:
    pairing.status = status
    assert pairs.lifecycle_actions(pairing) == actions


def test_introduction_contacts_are_the_programmes_mentors_and_coordinators_but_not_the_pair(
    programme: Programme,
    mentor: User,
    coordinator: User,
    peer_mentee: User,
    outsider: User,
    pairing: Mentorship,
) -> None:
    colleague = factories.member(programme, Role.MENTOR)
    factories.MembershipFactory.create(user=colleague, programme=programme, role=Role.COORDINATOR)
    ids = [user_id for user_id, _ in pairs.introduction_contacts(pairing)]
    assert sorted(ids) == sorted([coordinator.pk, colleague.pk])  # each person once
