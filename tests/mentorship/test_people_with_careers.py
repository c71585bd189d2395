"""`people_with_careers` reads people, profiles and careers in one query and gives what
`select_related("profile")` with a prefetch of `profile__positions` gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Prefetch

from api.serializers.common import MenteeSummarySerializer, MentorSummarySerializer, shared
from mentorship import factories
from mentorship.models import Position, Profile, User
from mentorship.selectors.people import people_with_careers, person_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> list[User]:
    """A mentor with three roles (two starting the same month), a person whose profile has no
    career, and one with no profile at all."""
    career = factories.ProfileFactory.create(
        headline="Site lead",
        topics_offered=["leadership"],
        topics_wanted=["negotiation"],
        languages=["en", "fr"],
        formats=["video", "in_person"],
    )
    for title, start, end in [
        ("Engineer", dt.date(2012, 1, 1), dt.date(2016, 5, 1)),
        ("Site lead", dt.date(2016, 6, 1), None),
        ("Adviser", dt.date(2016, 6, 1), dt.date(2020, 1, 1)),
    ]:
        factories.PositionFactory.create(profile=career, title=title, start=start, end=end)
    no_career = factories.ProfileFactory.create(headline="New here")
    return [career.user, no_career.user, factories.UserFactory.create()]


def by_the_orm(ids: list[int]) -> dict[int, User]:
    users = User.objects.select_related("profile").prefetch_related(
        Prefetch("profile__positions", queryset=Position.objects.all())
    )
    return {user.pk: user for user in users.filter(pk__in=ids)}


@pytest.mark.parametrize("summary", [MentorSummarySerializer, MenteeSummarySerializer])
def test_people_read_in_one_query_summarise_as_the_orm_reads_them(
    people: list[User], summary: type[MentorSummarySerializer], django_assert_num_queries
) -> None:
    ids = [user.pk for user in people] + [10**9]  # nobody has that id
    expected = {pk: shared(summary).to_representation(u) for pk, u in by_the_orm(ids).items()}

    with django_assert_num_queries(1):
        found = people_with_careers(ids)
        shown = {pk: shared(summary).to_representation(user) for pk, user in found.items()}

    assert shown == expected
    assert [p["title"] for p in shown[people[0].pk]["positions"]] == [
        "Adviser",  # same start as "Site lead", created later: newest first, as Meta.ordering
        "Site lead",
        "Engineer",
    ]
    assert shown[people[1].pk]["positions"] == []
    assert shown[people[2].pk]["headline"] == ""  # no profile


def test_the_page_summary_reads_the_same(people: list[User], django_assert_num_queries) -> None:
    ids = [user.pk for user in people]
    expected = [person_summary(u, topics="offered") for u in by_the_orm(ids).values()]

    found = people_with_careers(ids)
    with django_assert_num_queries(0):
        shown = [person_summary(found[pk], topics="offered") for pk in ids]

    assert [(s.name, s.headline, s.position, s.topics) for s in shown] == [
        (s.name, s.headline, s.position, s.topics) for s in expected
    ]


def test_fields_a_summary_does_not_show_are_read_when_asked_for(
    people: list[User], django_assert_num_queries
) -> None:
    user = people_with_careers([people[0].pk])[people[0].pk]
    capacity = Profile.objects.get(user=people[0]).capacity

    with django_assert_num_queries(2):  # deferred: loaded, never a wrong default
        assert user.email == people[0].email
        assert user.profile.capacity == capacity
    # the positions are the profile's own: a filter on them queries that profile's only
    assert list(user.profile.positions.filter(title="Engineer")) == list(
        Position.objects.filter(profile__user=people[0], title="Engineer")
    )
