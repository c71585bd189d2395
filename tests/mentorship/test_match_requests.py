"""Match requests against the real matching engine: who is suggested, in what order, and what
is written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from django.db import connection

from mentorship import factories
from mentorship.errors import InvalidTransition, NotFound, PermissionDenied
from mentorship.models import (
    AuditEvent,
    Exclusion,
    MatchRequest,
    Mentorship,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services import _match_request_writes as writes
from mentorship.services import proposals as services

pytestmark = pytest.mark.django_db

S = ProposalStatus
COMPONENTS = {
    "topic_fit",
    "career_relevance",
    "career_variety",
    "seniority",
    "personality",
    "logistics",
    "responsiveness",
    "network_fit",
}


def pmo_mentor(
    programme: Programme,
    username: str,
    *,
    industry: str = "energy",
    topics: Sequence[str] = ("leadership", "pmo_governance", "stakeholder_management"),
    titles: Sequence[str] = ("Programme Manager", "Head of PMO"),
    **profile: Any,
) -> User:
    """A mentor with a realistic career in `industry`, ending in the last of `titles`."""
    fields: dict[str, Any] = {
        "seniority": 5,
        "capacity": 2,
        "skills": ["risk management", "portfolio governance", "stakeholder engagement"],
        "about": f"Twenty years delivering {industry} programmes; built two PMOs.",
        "topics_offered": list(topics),
        **profile,
    }
    user = factories.member(programme, Role.MENTOR, username=username, **fields)
    start = dt.date(2008, 1, 1)
    for i, title in enumerate(titles):
        factories.PositionFactory.create(
            profile=user.profile,
            title=title,
            organisation=f"{industry.title()} Co {i}",
            industry=industry,
            start=start.replace(year=start.year + 6 * i),
            end=None if i == len(titles) - 1 else start.replace(year=start.year + 6 * i + 6),
        )
    factories.PersonalityFactory.create(
        profile=user.profile, answers=[5, 3, 6, 2, 6, 3, 5, 2, 6, 2]
    )
    return user


@pytest.fixture
def aspiring(mentee: User) -> User:
    """The mentee persona with a career: a PMO analyst in energy aiming to lead a PMO."""
    profile = mentee.profile
    profile.about = "PMO analyst in energy, aiming to become Head of PMO."
    profile.skills = ["status reporting", "risk management"]
    profile.save()
    factories.PositionFactory.create(
        profile=profile,
        title="PMO Analyst",
        organisation="Gridline Power",
        industry="energy",
        start=dt.date(2021, 3, 1),
    )
    factories.PersonalityFactory.create(profile=profile, answers=[4, 3, 6, 3, 6, 4, 5, 2, 5, 3])
    return mentee


def suggested_to(request: MatchRequest) -> list[str]:
    return [
        p.mentor.username
        for p in Proposal.objects.filter(match_request=request).select_related("mentor")
    ]


def test_a_match_request_suggests_only_eligible_mentors_best_first(
    programme, other_programme, coordinator, aspiring, audit_of
):
    mentee = aspiring
    pmo_mentor(programme, "ana")  # same industry, the topics asked for
    pmo_mentor(
        programme,
        "ben",
        industry="retail",
        topics=["agile_delivery", "technical_skills"],
        titles=["Scrum Master"],
        seniority=3,
    )
    cleo = pmo_mentor(programme, "cleo", capacity=1)
    factories.MentorshipFactory.create(programme=programme, mentor=cleo)  # full
    pmo_mentor(programme, "dan", accepting_mentees=False)
    pmo_mentor(programme, "eve", languages=["de"])  # no shared language
    fay = pmo_mentor(programme, "fay")
    Exclusion.objects.create(programme=programme, mentee=mentee, mentor=fay, reason="conflict")
    gus = pmo_mentor(programme, "gus")
    factories.ProposalFactory.create(
        programme=programme, mentee=mentee, mentor=gus, status=S.DECLINED, decline_reason="Busy."
    )
    hal = pmo_mentor(programme, "hal")
    factories.ProposalFactory.create(
        programme=programme, mentee=mentee, mentor=hal, status=S.REQUESTED
    )
    ida = pmo_mentor(programme, "ida")
    factories.ProposalFactory.create(
        programme=programme, mentee=mentee, mentor=ida, status=S.DISMISSED
    )
    pmo_mentor(other_programme, "oli")  # another programme's mentor
    factories.MembershipFactory.create(
        user=mentee, programme=programme, role=Role.MENTOR
    )  # never self

    request = services.create_match_request(actor=mentee, programme=programme)

    assert suggested_to(request) == ["ana", "ben"]
    proposals = list(Proposal.objects.filter(match_request=request))
    assert [p.rank for p in proposals] == [1, 2]
    assert proposals[0].score > proposals[1].score
    for p in proposals:
        assert (p.programme, p.mentee, p.status, p.requested_at) == (
            programme,
            mentee,
            S.SUGGESTED,
            None,
        )
        assert 0 <= p.score <= 1
        assert set(p.components) == COMPONENTS
        assert all(0 <= v <= 1 for v in p.components.values())
        assert p.reasons
        assert all(isinstance(r, str) and r for r in p.reasons)
        [event] = audit_of(p)
        assert (event.actor, event.action, event.to_state) == (mentee, "suggest", S.SUGGESTED)
    [event] = audit_of(request)
    assert (event.actor, event.action, event.data) == (mentee, "create", {"count": 2})


def test_the_programme_caps_the_number_of_suggestions(programme, aspiring):
    programme.proposals_per_request = 3
    programme.save()
    for name in ("ana", "ben", "cleo", "dan", "eve"):
        pmo_mentor(programme, name)

    request = services.create_match_request(actor=aspiring, programme=programme)

    assert Proposal.objects.filter(match_request=request).count() == 3


@pytest.mark.parametrize("component", ["topic_fit", "career_relevance"])
def test_the_programmes_weights_decide_the_order(programme, aspiring, component):
    # One mentor offers exactly the topics asked for but comes from elsewhere; the other has
    # the career the mentee wants but offers other topics.
    pmo_mentor(
        programme,
        "topical",
        industry="retail",
        titles=["Store Operations Manager"],
        topics=["leadership", "pmo_governance"],
    )
    pmo_mentor(programme, "career", topics=["confidence", "work_life_balance"])
    programme.matching_weights = dict.fromkeys(COMPONENTS, 0.0) | {component: 1.0}
    programme.save()

    request = services.create_match_request(actor=aspiring, programme=programme)

    proposals = list(Proposal.objects.filter(match_request=request).select_related("mentor"))
    # With one weight, the score is that component.
    for p in proposals:
        assert p.score == pytest.approx(p.components[component], abs=1e-6)
    best = {"topic_fit": "topical", "career_relevance": "career"}[component]
    assert proposals[0].mentor.username == best
    assert proposals[0].components[component] > proposals[1].components[component]


def test_no_eligible_mentor_means_an_empty_shortlist(programme, aspiring, audit_of):
    pmo_mentor(programme, "eve", languages=["de"])

    request = services.create_match_request(actor=aspiring, programme=programme)

    assert not Proposal.objects.filter(match_request=request).exists()
    assert audit_of(request)[0].data == {"count": 0}


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("mentor", PermissionDenied),
        ("coordinator", PermissionDenied),
        ("outsider", NotFound),
        ("other_coordinator", NotFound),
    ],
)
def test_only_the_programmes_mentees_ask_for_matches(request, programme, who, error):
    actor = request.getfixturevalue(who)
    pmo_mentor(programme, "ana")

    with pytest.raises(error):
        services.create_match_request(actor=actor, programme=programme)

    assert not MatchRequest.objects.exists()
    assert not AuditEvent.objects.exists()


def test_a_mentee_with_a_mentor_cannot_ask_for_more(programme, aspiring):
    pmo_mentor(programme, "ana")
    factories.MentorshipFactory.create(programme=programme, mentee=aspiring)

    with pytest.raises(InvalidTransition):
        services.create_match_request(actor=aspiring, programme=programme)

    assert not MatchRequest.objects.exists()


def test_from_match_request_to_mentorship(programme, aspiring):
    ana = pmo_mentor(programme, "ana")
    pmo_mentor(programme, "ben", industry="retail", seniority=3)
    request = services.create_match_request(actor=aspiring, programme=programme)
    first, second = Proposal.objects.filter(match_request=request)
    assert first.mentor == ana

    services.request_proposal(actor=aspiring, proposal=first, message="Could we talk PMOs?")
    mentorship = services.accept_proposal(actor=ana, proposal=first)

    assert (mentorship.mentor, mentorship.mentee) == (ana, aspiring)
    second.refresh_from_db()
    assert second.status == S.WITHDRAWN
    with pytest.raises(InvalidTransition):
        services.create_match_request(actor=aspiring, programme=programme)
    assert Mentorship.objects.count() == 1


def test_a_mentor_who_declined_is_not_suggested_again(programme, aspiring):
    ana = pmo_mentor(programme, "ana")
    pmo_mentor(programme, "ben")
    first_request = services.create_match_request(actor=aspiring, programme=programme)
    asked = Proposal.objects.get(match_request=first_request, mentor=ana)
    services.request_proposal(actor=aspiring, proposal=asked)
    services.decline_proposal(actor=ana, proposal=asked, reason="Fully booked.")

    second_request = services.create_match_request(actor=aspiring, programme=programme)

    assert suggested_to(second_request) == ["ben"]


def test_exclusions_are_read_in_chunks_of_mentees(programme, monkeypatch):
    """Every kind of exclusion reaches its own mentee, whichever chunk holds them."""
    from mentorship import matching_adapter

    monkeypatch.setattr(matching_adapter, "EXCLUSION_CHUNK", 2)
    ana, ben = pmo_mentor(programme, "ana"), pmo_mentor(programme, "ben")
    mentees = [factories.member(programme, Role.MENTEE, username=f"m{n}") for n in range(5)]
    Exclusion.objects.create(programme=programme, mentee=mentees[0], mentor=ana, reason="x")
    factories.ProposalFactory.create(
        programme=programme,
        mentee=mentees[2],
        mentor=ben,
        status=S.DECLINED,
        decline_reason="Busy.",
    )
    factories.ProposalFactory.create(
        programme=programme, mentee=mentees[2], mentor=ana, status=S.WITHDRAWN
    )  # withdrawn: may be suggested again
    factories.MentorshipFactory.create(programme=programme, mentee=mentees[4], mentor=ana)

    excluded = matching_adapter.pair_exclusions(programme, [m.pk for m in mentees])

    person = matching_adapter.person_id
    assert {m.username: excluded.get(m.pk, set()) for m in mentees} == {
        "m0": {person(ana.pk)},
        "m1": set(),
        "m2": {person(ben.pk)},
        "m3": set(),
        "m4": {person(ana.pk)},
    }


@pytest.mark.django_db(databases=[])
def test_the_platform_and_the_engine_share_one_vocabulary():
    """A format or topic the platform stores is one the engine knows (no second copy drifts)."""
    from matching import vocab
    from mentorship.taxonomy import TOPICS, MeetingFormat

    assert set(MeetingFormat.values) == set(vocab.FORMATS)
    assert TOPICS is vocab.TOPICS


def _written(request: MatchRequest) -> dict[str, Any]:
    """A match request's rows as stored, without their ids and times, events named by what they
    are about."""
    drop = {"id", "created_at", "match_request_id", "object_id"}
    proposals = list(Proposal.objects.filter(match_request=request).order_by("rank").values())
    about = {("matchrequest", request.pk): "request"}
    about |= {("proposal", p["id"]): f"proposal {p['rank']}" for p in proposals}
    events = AuditEvent.objects.filter(
        object_type__in=["matchrequest", "proposal"], object_id__in=[pk for _, pk in about]
    ).order_by("id")
    return {
        "request": MatchRequest.objects.filter(pk=request.pk).values("mentee", "empty_reason")[0],
        "proposals": [{k: v for k, v in p.items() if k not in drop} for p in proposals],
        "events": [
            {k: v for k, v in e.items() if k not in drop} | {"about": about[key]}
            for e in events.values()
            if (key := (e["object_type"], e["object_id"])) in about
        ],
    }


@pytest.mark.parametrize("mentors", [3, 0])
def test_the_one_statement_write_stores_what_the_orm_would(
    programme, aspiring, monkeypatch, mentors
):
    """On PostgreSQL a match request is written in one statement (services/_match_request_writes
    .py): the rows, their links and the objects returned are those of the ORM's transaction."""
    if connection.vendor != "postgresql":
        pytest.skip("the one-statement write is PostgreSQL's; SQLite writes with the ORM")
    for n in range(mentors):
        pmo_mentor(programme, f"mentor-{n}")
    written = {}
    for how in (writes.write_in_one_statement, writes.write_with_orm):
        monkeypatch.setattr(services, "write_match_request", how)
        request = services.create_match_request(actor=aspiring, programme=programme)
        assert request.pk
        assert all(p.pk and p.match_request_id == request.pk for p in request.shortlist)
        assert [p.rank for p in request.shortlist] == list(range(1, mentors + 1))
        written[how.__name__] = _written(request)
        Proposal.objects.filter(match_request=request).delete()
    one, orm = written.values()
    assert len(one["proposals"]) == mentors
    assert len(one["events"]) == mentors + 1
    assert one == orm
