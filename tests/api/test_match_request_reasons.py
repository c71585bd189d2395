"""A match request that finds nobody still answers 201: an empty shortlist and the reason, as a
code for programs and in plain words for people (issue 8, "Bad input")."""

from __future__ import annotations

from typing import Any

import pytest

from mentorship import factories
from mentorship.models import EmptyReason, Programme, Role, User

pytestmark = pytest.mark.django_db


def ask(api: Any, mentee: User, programme: Programme) -> Any:
    response = api(mentee).post("match-requests/", {"programme": programme.slug})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_programme_without_mentors(api: Any, programme: Programme, mentee: User) -> None:
    body = ask(api, mentee, programme)
    assert body["proposals"] == []
    assert body["empty_reason"] == EmptyReason.NO_MENTORS
    assert body["empty_reason_detail"] == EmptyReason.NO_MENTORS.label


def test_every_mentor_full(api: Any, programme: Programme, mentee: User) -> None:
    for name in ("ana", "ben"):
        full = factories.member(programme, Role.MENTOR, username=name, capacity=1)
        factories.MentorshipFactory.create(programme=programme, mentor=full)
    body = ask(api, mentee, programme)
    assert (body["proposals"], body["empty_reason"]) == ([], EmptyReason.NONE_AVAILABLE)


def test_a_shortlist_has_no_reason(
    api: Any, programme: Programme, mentor: User, mentee: User
) -> None:
    body = ask(api, mentee, programme)
    assert [p["mentor"]["id"] for p in body["proposals"]] == [mentor.pk]
    assert (body["empty_reason"], body["empty_reason_detail"]) == ("", "")
