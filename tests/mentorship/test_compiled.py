"""CompiledValues runs a values() query from SQL compiled once and gives what the ORM gives."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Model

from mentorship import factories
from mentorship.compiled import CompiledValues
from mentorship.models import Membership, Position, Profile, Programme, Role, User
from mentorship.selectors.programmes import memberships_with_programmes

pytestmark = pytest.mark.django_db


def careers(ids: list[int]) -> Any:  # values() rows
    return (
        Profile.objects.filter(user_id__in=ids)
        .order_by("user_id", "-positions__start")
        .values("user_id", "headline", "languages", "topics_wanted", "positions__start")
    )


@pytest.fixture
def people() -> list[User]:
    found = []
    for n in range(4):
        profile = factories.ProfileFactory.create(
            headline=f"Person {n}", languages=["en", "fr"][: n % 2 + 1], topics_wanted=["x"] * n
        )
        for year in range(n):
            factories.PositionFactory.create(profile=profile, start=dt.date(2010 + year, 1, 1))
        found.append(profile.user)
    return found


@pytest.mark.parametrize("pick", [[0], [1, 3], [3, 2, 1, 0], [2, 2, 1], []])
def test_rows_are_what_the_orm_gives(people: list[User], pick: list[int]) -> None:
    compiled = CompiledValues(careers)
    ids = [people[i].pk for i in pick] + [10**9]  # and someone who is not there

    for _ in range(2):  # compiled, then reused
        assert compiled.rows(ids) == list(careers(ids))
    assert compiled.rows([]) == []


def test_one_query_per_call_once_compiled(people: list[User], django_assert_num_queries) -> None:
    compiled = CompiledValues(careers)
    compiled.rows([people[0].pk, people[1].pk])

    with django_assert_num_queries(1):
        rows = compiled.rows([people[3].pk, people[2].pk])

    assert {row["user_id"] for row in rows} == {people[3].pk, people[2].pk}
    assert isinstance(rows[0]["positions__start"], dt.date)  # converted as values() does
    assert rows[0]["languages"] in (["en"], ["en", "fr"])


def test_a_query_that_repeats_its_ids_is_refused(people: list[User]) -> None:
    def twice(ids: list[int]) -> Any:
        return Position.objects.filter(profile__user_id__in=ids, profile_id__in=ids).values("id")

    with pytest.raises(ValueError, match="once"):
        CompiledValues(twice).rows([people[1].pk])


def test_memberships_with_programmes_are_the_orms(
    programme: Programme, other_programme: Programme, django_assert_num_queries
) -> None:
    person = factories.member(programme, Role.MENTOR)
    factories.MembershipFactory.create(user=person, programme=other_programme, role=Role.MENTEE)
    factories.MembershipFactory.create(user=person, programme=programme, role=Role.COORDINATOR)

    def fields(obj: Model) -> dict[str, Any]:
        return {f.attname: getattr(obj, f.attname) for f in type(obj)._meta.concrete_fields}

    expected = Membership.objects.filter(user=person).select_related("programme").order_by("id")
    with django_assert_num_queries(1):
        found = memberships_with_programmes(person.pk)
        shown = [(fields(m), fields(m.programme)) for m in found]

    assert shown == [(fields(m), fields(m.programme)) for m in expected]
    assert len(shown) == 3
