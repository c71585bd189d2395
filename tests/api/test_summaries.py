"""The people summaries, a shortlist's suggestions and mentorships with their cadence build
their answers by hand (lists show dozens of them; every match request answers with
suggestions): each gives exactly what DRF's walk over its declared fields would."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework import serializers

from api.serializers.common import (
    MenteeSummarySerializer,
    MentorSummarySerializer,
    PersonSerializer,
)
from api.serializers.matching import DraftProposalSerializer, SuggestionSerializer
from api.serializers.mentorships import CadenceSerializer, MentorshipSerializer
from api.views.base import mentorship_with_cadence
from mentorship import factories
from mentorship.models import MentorshipStatus, Programme, ProposalStatus, Role, User
from mentorship.selectors.cadence import cadence_from_annotations

SUMMARIES = [PersonSerializer, MentorSummarySerializer, MenteeSummarySerializer]


@pytest.fixture
def with_career(programme: Programme) -> User:
    person = factories.member(
        programme,
        Role.MENTOR,
        username="ada",
        first_name="Ada",
        headline="Portfolio lead",
        topics_offered=["leadership"],
        topics_wanted=["finance"],
        languages=["en", "fr"],
        formats=["video"],
    )
    factories.PositionFactory.create(profile=person.profile, title="PMO Lead")
    factories.PositionFactory.create(profile=person.profile, title="Analyst")
    return person


@pytest.mark.parametrize("summary", SUMMARIES, ids=lambda s: s.__name__)
def test_a_summary_is_what_its_declared_fields_give(
    summary: type[serializers.Serializer], with_career: User
) -> None:
    serializer = summary()
    by_hand = serializer.to_representation(with_career)
    assert by_hand == serializers.Serializer.to_representation(serializer, with_career)
    assert list(by_hand) == list(serializer.fields)
    if summary is not PersonSerializer:
        assert sorted(p["title"] for p in by_hand["positions"]) == ["Analyst", "PMO Lead"]


@pytest.mark.parametrize("summary", SUMMARIES, ids=lambda s: s.__name__)
def test_a_summary_of_someone_without_a_profile(
    summary: type[serializers.Serializer], db: None
) -> None:
    person = factories.UserFactory.create(username="noprofile")
    serializer = summary()
    by_hand = serializer.to_representation(person)
    assert by_hand == serializers.Serializer.to_representation(serializer, person)


@pytest.mark.parametrize(
    "pair", [SuggestionSerializer, DraftProposalSerializer], ids=lambda s: s.__name__
)
def test_a_suggestion_or_a_drafted_pair_is_what_its_declared_fields_give(
    pair: type[serializers.ModelSerializer], with_career: User, mentee: User
) -> None:
    proposal = factories.ProposalFactory.create(
        programme=with_career.memberships.get().programme,
        mentor=with_career,
        mentee=mentee,
        status=ProposalStatus.SUGGESTED,
        rank=2,
        score=0.75,
        components={"topic_fit": 1, "seniority": 0.5},
        reasons=["Shares your topics: leadership."],
    )
    serializer = pair()
    by_hand = serializer.to_representation(proposal)
    assert by_hand == serializers.ModelSerializer.to_representation(serializer, proposal)
    assert list(by_hand) == list(serializer.fields)
    assert by_hand["components"] == {"topic_fit": 1.0, "seniority": 0.5}


@pytest.mark.parametrize("ended", [False, True], ids=["active, met", "ended, never met"])
def test_a_mentorship_is_what_its_declared_fields_give(
    programme: Programme, mentor: User, mentee: User, coordinator: User, ended: bool
) -> None:
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee, goals="Run a PMO"
    )
    if ended:
        mentorship.status = MentorshipStatus.ENDED
        mentorship.ended_on = timezone.localdate()
        mentorship.end_reason = "Moved abroad"
        mentorship.save()
    else:
        factories.SessionFactory.create(mentorship=mentorship)
    loaded = mentorship_with_cadence(coordinator, mentorship.pk)
    serializer = MentorshipSerializer()
    by_hand = serializer.to_representation(loaded)
    assert by_hand == serializers.ModelSerializer.to_representation(serializer, loaded)
    assert list(by_hand) == list(serializer.fields)
    cadence = CadenceSerializer()
    assert by_hand["cadence"] == serializers.Serializer.to_representation(
        cadence, cadence_from_annotations(loaded, today=timezone.localdate())
    )
    assert by_hand["cadence"]["sessions_held"] == (0 if ended else 1)
