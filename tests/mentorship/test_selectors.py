"""Selectors are scoped to the acting user: each persona sees exactly what it should, and what
it may not see does not exist for it (NotFound)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser

from mentorship import factories
from mentorship.access import roles_in
from mentorship.errors import NotFound, PermissionDenied
from mentorship.models import (
    MatchingRun,
    MatchRequest,
    Mentorship,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.selectors import mentorships as ms
from mentorship.selectors import programmes as ps
from mentorship.selectors import proposals as pr
from mentorship.services.matching_runs import discard_matching_run

pytestmark = pytest.mark.django_db

S = ProposalStatus
PERSONAS = [
    "coordinator",
    "mentor",
    "mentee",
    "peer_mentee",
    "outsider",
    "other_coordinator",
    "staff",
]


@dataclass
class World:
    """Proposals and mentorships of both programmes, named for what they are."""

    suggested: Proposal  # mentee → mentor, never sent
    requested: Proposal  # peer_mentee → mentor, sent
    withdrawn_unsent: Proposal  # mentee → mentor, a suggestion the mentee withdrew
    draft: Proposal  # a coordinator's draft for mentee → other mentor
    discarded: Proposal  # a draft of a discarded run, never sent
    elsewhere: Proposal  # in other_programme, outsider → a mentor there
    pair: Mentorship  # mentor and peer_mentee
    other_pair: Mentorship  # in other_programme
    run: MatchingRun
    old_run: MatchingRun


@pytest.fixture
def world(
    programme: Programme,
    other_programme: Programme,
    coordinator: User,
    mentor: User,
    mentee: User,
    peer_mentee: User,
    outsider: User,
    other_coordinator: User,
) -> World:
    second_mentor = factories.member(programme, Role.MENTOR)
    old_run = MatchingRun.objects.create(programme=programme, mode="greedy")
    discarded = factories.ProposalFactory.create(
        programme=programme,
        mentee=peer_mentee,
        mentor=second_mentor,
        matching_run=old_run,
        status=S.DRAFT,
    )
    discard_matching_run(actor=coordinator, run=old_run)
    run = MatchingRun.objects.create(programme=programme, mode="optimal")
    other_mentor = factories.member(other_programme, Role.MENTOR)
    withdrawn_unsent = factories.ProposalFactory.create(
        programme=programme, mentee=mentee, mentor=mentor
    )
    Proposal.objects.filter(pk=withdrawn_unsent.pk).update(status=S.WITHDRAWN)
    withdrawn_unsent.refresh_from_db()
    return World(
        suggested=factories.ProposalFactory.create(
            programme=programme, mentee=mentee, mentor=mentor
        ),
        requested=factories.ProposalFactory.create(
            programme=programme, mentee=peer_mentee, mentor=mentor, status=S.REQUESTED
        ),
        withdrawn_unsent=withdrawn_unsent,
        draft=factories.ProposalFactory.create(
            programme=programme,
            mentee=mentee,
            mentor=second_mentor,
            matching_run=run,
            status=S.DRAFT,
        ),
        discarded=Proposal.objects.get(pk=discarded.pk),
        elsewhere=factories.ProposalFactory.create(
            programme=other_programme, mentee=outsider, mentor=other_mentor
        ),
        pair=factories.MentorshipFactory.create(
            programme=programme, mentor=mentor, mentee=peer_mentee
        ),
        other_pair=factories.MentorshipFactory.create(
            programme=other_programme, mentor=other_mentor, mentee=outsider
        ),
        run=run,
        old_run=old_run,
    )


PROPOSALS_SEEN: dict[str, set[str]] = {
    # The mentor sees only what was sent to them; mentees never see a coordinator's drafts,
    # not even once their run is discarded.
    "coordinator": {"suggested", "requested", "withdrawn_unsent", "draft", "discarded"},
    "mentor": {"requested"},
    "mentee": {"suggested", "withdrawn_unsent"},
    "peer_mentee": {"requested"},
    "outsider": {"elsewhere"},
    "other_coordinator": {"elsewhere"},
    "staff": set(),
}
ALL_PROPOSALS = ("suggested", "requested", "withdrawn_unsent", "draft", "discarded", "elsewhere")


@pytest.mark.parametrize("who", PERSONAS)
def test_each_persona_sees_exactly_its_proposals(request, world, who):
    user = request.getfixturevalue(who)
    names = {getattr(world, name).pk: name for name in ALL_PROPOSALS}

    seen = {names[p.pk] for p in pr.proposals_for(user)}

    assert seen == PROPOSALS_SEEN[who]
    # Invariant: the single-object getter agrees with the list for every proposal.
    for name in ALL_PROPOSALS:
        proposal = getattr(world, name)
        if name in seen:
            assert pr.proposal_for(user, proposal.pk) == proposal
        else:
            with pytest.raises(NotFound):
                pr.proposal_for(user, proposal.pk)


def test_proposals_filter_by_status_and_programme(world, coordinator, programme, other_programme):
    assert list(pr.proposals_for(coordinator, status=S.REQUESTED)) == [world.requested]
    assert list(pr.proposals_for(coordinator, programme=other_programme)) == []
    assert set(pr.proposals_for(coordinator, programme=programme)) == {
        world.suggested,
        world.requested,
        world.withdrawn_unsent,
        world.draft,
        world.discarded,
    }


def test_anonymous_visitors_see_nothing(world):
    anonymous = AnonymousUser()

    assert not pr.proposals_for(anonymous).exists()
    assert not pr.match_requests_for(anonymous).exists()
    assert not ms.mentorships_for(anonymous).exists()
    assert not ps.programmes_for(anonymous).exists()
    assert not ps.coordinated_programmes(anonymous).exists()


MENTORSHIPS_SEEN: dict[str, set[str]] = {
    "coordinator": {"pair"},
    "mentor": {"pair"},
    "mentee": set(),
    "peer_mentee": {"pair"},
    "outsider": {"other_pair"},
    "other_coordinator": {"other_pair"},
    "staff": set(),
}


@pytest.mark.parametrize("who", PERSONAS)
def test_each_persona_sees_exactly_its_mentorships_sessions_and_introductions(request, world, who):
    user = request.getfixturevalue(who)
    names = {world.pair.pk: "pair", world.other_pair.pk: "other_pair"}
    sessions = {
        name: factories.SessionFactory.create(mentorship=getattr(world, name))
        for name in ("pair", "other_pair")
    }
    introductions = {
        name: factories.IntroductionFactory.create(mentorship=getattr(world, name))
        for name in ("pair", "other_pair")
    }

    seen = {names[m.pk] for m in ms.mentorships_for(user)}

    assert seen == MENTORSHIPS_SEEN[who]
    assert {names[s.mentorship_id] for s in ms.sessions_for(user)} == seen
    assert {names[i.mentorship_id] for i in ms.introductions_for(user)} == seen
    for name in names.values():
        getters = [
            (ms.mentorship_for, getattr(world, name)),
            (ms.session_for, sessions[name]),
            (ms.introduction_for, introductions[name]),
        ]
        for getter, obj in getters:
            if name in seen:
                assert getter(user, obj.pk) == obj
            else:
                with pytest.raises(NotFound):
                    getter(user, obj.pk)


def test_mentorships_filter_by_status(world, mentor):
    assert list(ms.mentorships_for(mentor, status="active")) == [world.pair]
    assert list(ms.mentorships_for(mentor, status="paused")) == []


def test_sessions_and_introductions_of_one_mentorship(world, coordinator, mentor, peer_mentee):
    factories.SessionFactory.create(mentorship=world.pair)
    other_pair = factories.MentorshipFactory.create(programme=world.pair.programme, mentor=mentor)
    factories.SessionFactory.create(mentorship=other_pair)
    factories.IntroductionFactory.create(mentorship=other_pair)

    assert ms.sessions_for(coordinator, world.pair).count() == 1
    assert ms.sessions_for(coordinator).count() == 2
    assert ms.introductions_for(mentor, world.pair).count() == 0
    assert ms.introductions_for(mentor).count() == 1
    assert ms.sessions_for(peer_mentee).count() == 1


@pytest.mark.parametrize(
    ("who", "notes", "rating"),
    [
        ("mentor", "Mentor's notes.", 5),
        ("peer_mentee", "Mentee's notes.", 3),
        ("coordinator", None, None),  # coordinators see the session, never the private notes
        ("outsider", None, None),
    ],
)
def test_private_notes_and_ratings_are_each_sides_own(request, world, who, notes, rating):
    session = factories.SessionFactory.create(
        mentorship=world.pair,
        mentor_notes="Mentor's notes.",
        mentee_notes="Mentee's notes.",
        mentor_rating=5,
        mentee_rating=3,
    )
    user = request.getfixturevalue(who)

    assert ms.private_notes(session, user) == notes
    assert ms.own_rating(session, user) == rating


# Match requests and matching runs ---------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("mentee", {"mentee"}),
        ("peer_mentee", {"peer_mentee"}),
        ("coordinator", {"mentee", "peer_mentee"}),
        ("mentor", set()),
        ("outsider", {"outsider"}),
        ("other_coordinator", {"outsider"}),
    ],
)
def test_match_requests_are_seen_by_their_mentee_and_the_coordinators(request, world, who, seen):
    user = request.getfixturevalue(who)
    owners = {r.pk: r.mentee.username for r in MatchRequest.objects.select_related("mentee")}
    by_name = {"mentee": "tom", "peer_mentee": "pia", "outsider": "oscar"}

    visible = {owners[r.pk] for r in pr.match_requests_for(user)}

    assert visible == {by_name[n] for n in seen}
    for pk, owner in owners.items():
        if owner in visible:
            assert pr.match_request_for(user, pk).pk == pk
        else:
            with pytest.raises(NotFound):
                pr.match_request_for(user, pk)


def test_only_the_programmes_coordinators_list_its_matching_runs(
    world, programme, coordinator, mentor, outsider, other_coordinator
):
    assert set(pr.matching_runs_for(coordinator, programme.slug)) == {world.run, world.old_run}
    assert pr.matching_run_for(coordinator, programme.slug, world.run.pk) == world.run
    with pytest.raises(PermissionDenied):
        pr.matching_runs_for(mentor, programme.slug)
    for stranger in (outsider, other_coordinator):
        with pytest.raises(NotFound):
            pr.matching_runs_for(stranger, programme.slug)
    # A run of another programme is not found through this programme's slug.
    elsewhere = MatchingRun.objects.create(
        programme=other_coordinator.memberships.get().programme, mode="greedy"
    )
    with pytest.raises(NotFound):
        pr.matching_run_for(coordinator, programme.slug, elsewhere.pk)


# Programmes -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "seen"),
    [
        ("coordinator", {"pmo-network"}),
        ("mentor", {"pmo-network"}),
        ("outsider", {"alumni"}),
        ("other_coordinator", {"alumni"}),
        ("staff", {"pmo-network", "alumni"}),
    ],
)
def test_programmes_are_seen_by_their_members_and_staff(
    request, programme, other_programme, who, seen
):
    user = request.getfixturevalue(who)

    assert {p.slug for p in ps.programmes_for(user)} == seen
    for slug in ("pmo-network", "alumni"):
        if slug in seen:
            assert ps.programme_for(user, slug).slug == slug
        else:
            with pytest.raises(NotFound):
                ps.programme_for(user, slug)


def test_a_member_with_several_roles_sees_the_programme_once(programme, mentee):
    factories.MembershipFactory.create(user=mentee, programme=programme, role=Role.MENTOR)

    assert list(ps.programmes_for(mentee)) == [programme]
    assert [m.role for m in ps.memberships_of(mentee)] == [Role.MENTEE, Role.MENTOR]


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("coordinator", None),
        ("mentor", PermissionDenied),
        ("mentee", PermissionDenied),
        ("outsider", NotFound),
        ("other_coordinator", NotFound),
    ],
)
def test_coordinator_only_reads_answer_404_to_outsiders_and_403_to_members(
    request, programme, coordinator, mentor, mentee, who, error
):
    user = request.getfixturevalue(who)
    reads = [
        lambda: ps.coordinated_programme(user, programme.slug),
        lambda: ps.members_of(actor=user, programme=programme),
        lambda: ps.exclusions_of(actor=user, programme=programme),
    ]
    for read in reads:
        if error is None:
            read()
        else:
            with pytest.raises(error):
                read()


def test_a_programme_read_for_its_caller_carries_their_roles_for_the_permission_check(
    programme, coordinator, mentor, django_assert_num_queries
):
    with django_assert_num_queries(1):
        found = ps.coordinated_programme(coordinator, programme.slug)

    assert found == programme
    assert roles_in(mentor, found) == {Role.MENTOR}  # another person's roles are read afresh
    with pytest.raises(PermissionDenied):
        ps.coordinated_programme(mentor, programme.slug)


def test_members_of_lists_the_programme_by_role(
    programme, coordinator, mentor, mentee, peer_mentee, outsider
):
    everyone = {m.user.username for m in ps.members_of(actor=coordinator, programme=programme)}
    mentees = {
        m.user.username
        for m in ps.members_of(actor=coordinator, programme=programme, role=Role.MENTEE)
    }

    assert everyone == {"carol", "maria", "tom", "pia"}
    assert mentees == {"tom", "pia"}


def test_own_profile_is_a_blank_unsaved_one_for_a_user_without_a_profile(staff, mentee):
    blank = ps.own_profile(staff)

    assert blank.pk is None
    assert blank.user == staff
    assert ps.own_profile(mentee) == mentee.profile


def test_the_world_is_what_the_tables_assume(world):
    # Guards the tables above: the never-sent rows really are never sent.
    for name in ("suggested", "withdrawn_unsent", "draft", "discarded"):
        assert getattr(world, name).requested_at is None
    assert (world.withdrawn_unsent.status, world.discarded.status) == (S.WITHDRAWN, S.WITHDRAWN)
    assert world.draft.status == S.DRAFT
