"""A match request over the API runs the same few queries whatever the programme's size: the
index and its mask come from the stored index, the shortlist's mentors in one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentorship import factories
from mentorship.models import Programme, Role
from tests.api.conftest import Api
from tests.mentorship.test_mentor_index import a_mentor

pytestmark = pytest.mark.django_db

#: What the request reads and writes: the programme with the caller's memberships (one query:
#: they also tell the privacy audit that a mentee coordinates nothing); the exclusions, which
#: also tell whether the mentee has a mentor; the mentee's profile with their personality and
#: career (one query); the index version; the writes; the shortlist's mentors with their profiles
#: and careers (one query; the proposals are not read back). The writes are one statement on
#: PostgreSQL (the request, its proposals and audit rows), a transaction of five on SQLite
#: (begin, the request, the proposals and the audit rows in bulk, commit).
QUERIES = {"postgresql": 6, "sqlite": 10}


def ask(programme: Programme, mentors: int) -> tuple[int, int]:
    for n in range(mentors):
        a_mentor(programme, f"{programme.slug}-mentor-{n}")
    warm_up, mentee = (
        factories.member(programme, Role.MENTEE, languages=["en"], topics_wanted=["leadership"])
        for _ in range(2)
    )
    Api(warm_up).post("match-requests/", {"programme": programme.slug})  # builds the index
    with CaptureQueriesContext(connection) as queries:
        response = Api(mentee).post("match-requests/", {"programme": programme.slug})
    assert response.status_code == 201, response.content
    return len(queries), len(response.json()["proposals"])


def test_a_match_request_runs_the_same_queries_for_5_or_40_mentors(
    programme: Programme, other_programme: Programme
) -> None:
    small, shown_small = ask(programme, 5)
    large, shown_large = ask(other_programme, 40)

    assert (shown_small, shown_large) == (5, other_programme.proposals_per_request)
    assert small == large
    assert large == QUERIES[connection.vendor], large


def test_the_answer_is_what_reading_the_request_back_gives(programme: Programme) -> None:
    for n in range(6):
        mentor = a_mentor(programme, f"{programme.slug}-mentor-{n}")
        factories.PositionFactory(profile=mentor.profile, title=f"Lead {n}")
    mentee = factories.member(
        programme, Role.MENTEE, languages=["en"], topics_wanted=["leadership"]
    )

    made = Api(mentee).post("match-requests/", {"programme": programme.slug})
    read = Api(mentee).get(f"match-requests/{made.json()['id']}/")

    assert made.status_code == 201
    assert read.status_code == 200
    assert made.json() == read.json()
    assert all(p["mentor"]["positions"] for p in made.json()["proposals"])
