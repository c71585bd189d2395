"""What a mentee reads when finding a mentor, and the requests they sent: scoped to them, the
latest shortlist only, each mentor summarised, components in plain labels."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorship import factories
from mentorship.errors import NotFound, PermissionDenied
from mentorship.matching_adapter import COMPONENTS, component_label
from mentorship.models import MatchRequest, Programme, Proposal, ProposalStatus, Role, User
from mentorship.selectors import proposals as pr
from mentorship.selectors import shortlists as sl
from mentorship.services.proposals import MAX_PENDING_REQUESTS

pytestmark = pytest.mark.django_db

S = ProposalStatus


def suggest(programme: Programme, mentee: User, mentors: list[User]) -> list[Proposal]:
    request = MatchRequest.objects.create(programme=programme, mentee=mentee)
    return [
        factories.ProposalFactory.create(
            programme=programme, mentee=mentee, mentor=m, match_request=request, rank=rank
        )
        for rank, m in enumerate(mentors, start=1)
    ]


def test_every_engine_component_has_a_plain_label():
    labels = [component_label(c) for c in COMPONENTS]

    assert labels == [
        "Topics",
        "Career relevance",
        "Career variety",
        "Seniority gap",
        "Personality",
        "Time zone, language and format",
        "Responsiveness",
        "Network reach",
    ]
    assert component_label("some_new_signal") == "Some new signal"


def test_components_follow_the_engines_order_and_stay_between_0_and_1():
    components = sl.components_of({"logistics": 1.2, "topic_fit": 0.5, "zeta_extra": -0.1})

    assert [(c.name, c.value, c.percent) for c in components] == [
        ("topic_fit", 0.5, 50),
        ("logistics", 1.0, 100),
        ("zeta_extra", 0.0, 0),
    ]


def test_components_the_programme_leaves_out_are_not_shown():
    values = {"topic_fit": 0.5, "responsiveness": 0.5, "network_fit": 0.9}
    weights = {"topic_fit": 0.2, "responsiveness": 0.0, "network_fit": 0.3}

    assert [c.name for c in sl.components_of(values, weights)] == ["topic_fit", "network_fit"]
    assert [c.name for c in sl.components_of(values)] == list(values)


def test_a_mentors_summary_names_the_current_role_and_practicalities(programme):
    mentor = factories.member(
        programme,
        Role.MENTOR,
        username="ines",
        first_name="Ines",
        last_name="Sousa",
        headline="Head of PMO",
        seniority=5,
        languages=["pt", "en", "tl"],
        timezone="Europe/Lisbon",
        formats=["video", "in_person"],
    )
    for title, start, end in (
        ("PMO Lead", dt.date(2015, 1, 1), dt.date(2020, 1, 1)),
        ("Head of PMO", dt.date(2020, 2, 1), None),
        ("Advisor", dt.date(2012, 1, 1), None),  # an older side role still open
    ):
        factories.PositionFactory.create(
            profile=mentor.profile,
            title=title,
            organisation="Voltway",
            industry="energy",
            start=start,
            end=end,
        )

    summary = sl.person_summary(mentor)

    assert summary == sl.PersonSummary(
        name="Ines Sousa",
        headline="Head of PMO",
        position="Head of PMO, Voltway",
        industry="Energy",
        seniority="Head",
        languages=["Portuguese", "English", "tl"],
        timezone="Europe/Lisbon",
        formats=["Video call", "In person"],
    )


def test_find_mentor_reads_the_latest_shortlist_only(programme, mentee):
    ana, ben, cy = (factories.member(programme, Role.MENTOR) for _ in range(3))
    suggest(programme, mentee, [ana, ben])
    latest = suggest(programme, mentee, [cy, ana])
    latest[1].status, latest[1].requested_at = S.REQUESTED, latest[1].created_at
    latest[1].save()

    page = sl.find_mentor(mentee, programme)

    assert [s.proposal.pk for s in page.suggestions] == [p.pk for p in latest]
    assert [s.proposal.mentor for s in page.suggestions] == [cy, ana]
    assert page.requests_left == MAX_PENDING_REQUESTS - 1
    assert page.mentorship is None


def test_find_mentor_is_for_the_programmes_mentees(programme, mentor, outsider):
    with pytest.raises(PermissionDenied):
        sl.find_mentor(mentor, programme)
    with pytest.raises(NotFound):
        sl.find_mentor(outsider, programme)
    with pytest.raises(NotFound):
        sl.mentee_programme(mentor, programme.slug)


def test_only_the_mentee_reaches_a_proposal_through_the_mentee_getter(
    programme, mentee, mentor, peer_mentee, coordinator
):
    [proposal] = suggest(programme, mentee, [mentor])

    assert sl.mentee_proposal(mentee, proposal.pk) == proposal
    for someone in (mentor, peer_mentee, coordinator):
        with pytest.raises(NotFound):
            sl.mentee_proposal(someone, proposal.pk)


def test_sent_requests_are_the_mentees_own_sent_ones_newest_first(
    programme, mentee, peer_mentee, mentor
):
    other = factories.member(programme, Role.MENTOR)
    first, second, never_sent = suggest(
        programme, mentee, [mentor, other, factories.member(programme, Role.MENTOR)]
    )
    now = first.created_at
    for proposal, when in ((first, now - dt.timedelta(days=2)), (second, now)):
        proposal.status, proposal.requested_at = S.REQUESTED, when
        proposal.save()
    [theirs] = suggest(programme, peer_mentee, [mentor])
    theirs.status, theirs.requested_at = S.REQUESTED, now
    theirs.save()

    assert list(pr.sent_requests(mentee)) == [second, first]
    assert list(pr.sent_requests(mentor)) == []  # requests *to* a mentor are their inbox
    assert never_sent not in pr.sent_requests(mentee)
