"""The stored mentor index: built once, shared through memory-mapped files, updated mentor by
mentor, and masked by availability at query time (DESIGN.md, "The platform path of a match
request")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from mentorship import factories, matching_adapter, mentor_index
from mentorship.models import (
    EmptyReason,
    MentorIndexState,
    Personality,
    Profile,
    Programme,
    Role,
    User,
)
from mentorship.services import availability, privacy, profiles
from mentorship.services import proposals as services
from tests.mentorship.test_mentor_availability import requested

pytestmark = pytest.mark.django_db

AfterCommit = Callable[[], AbstractContextManager[Any]]


def a_mentor(programme: Programme, username: str, **fields: Any) -> User:
    profile = {
        "seniority": 5,
        "capacity": 2,
        "languages": ["en"],
        "skills": ["risk management", "portfolio governance"],
        "about": "Twenty years delivering energy programmes; built two PMOs.",
        "topics_offered": ["leadership", "pmo_governance"],
        **fields,
    }
    user = factories.member(programme, Role.MENTOR, username=username, **profile)
    factories.PositionFactory.create(
        profile=user.profile,
        title="Head of PMO",
        organisation="Gridline",
        industry="energy",
        start=dt.date(2012, 1, 1),
    )
    return user


@pytest.fixture
def asking(programme: Programme) -> User:
    return factories.member(
        programme,
        Role.MENTEE,
        username="tom",
        seniority=2,
        languages=["en"],
        topics_wanted=["leadership", "pmo_governance"],
        about="PMO analyst in energy, aiming to become Head of PMO.",
    )


def shortlist(programme: Programme, mentee: User, top: int = 10) -> list[str]:
    found = matching_adapter.shortlist(programme=programme, mentee=mentee, top=top)
    return [p.mentor for p in found.proposals]


def pid(user: User) -> str:
    return matching_adapter.person_id(user.pk)


def state(programme: Programme) -> MentorIndexState:
    return MentorIndexState.objects.get(programme=programme)


def mentor_accepts_someone(programme: Programme, mentor: User) -> None:
    """Another mentee's request to `mentor`, accepted: one of their places is taken."""
    proposal = requested(programme, mentor, factories.member(programme, Role.MENTEE))
    services.accept_proposal(actor=mentor, proposal=proposal)


def test_the_first_request_builds_the_index_once_and_saves_it(
    programme: Programme, asking: User
) -> None:
    ana = a_mentor(programme, "ana")
    assert set(shortlist(programme, asking)) == {pid(ana)}
    built = state(programme)
    assert (built.version, built.mentors) == (1, 1)
    assert built.built_through == built.changes
    assert mentor_index.version_dir(programme.pk, 1).is_dir()
    shortlist(programme, asking)
    assert state(programme).version == 1  # nothing changed: nothing rebuilt


def test_another_worker_memory_maps_the_same_files(programme: Programme, asking: User) -> None:
    a_mentor(programme, "ana")
    first = shortlist(programme, asking)
    mentor_index.forget_loaded()  # as a second worker process, with nothing loaded
    assert shortlist(programme, asking) == first
    loaded = mentor_index.current(programme)
    assert isinstance(loaded.index.matrix, np.memmap)
    assert loaded.index.matrix.filename is not None
    assert str(mentor_index.version_dir(programme.pk, 1)) in str(loaded.index.matrix.filename)


def test_an_accept_does_not_touch_the_index_but_the_full_mentor_is_masked(
    programme: Programme, asking: User
) -> None:
    full_soon = a_mentor(programme, "ana", capacity=1)
    other = a_mentor(programme, "ben")
    assert set(shortlist(programme, asking)) == {pid(full_soon), pid(other)}
    version = state(programme).version
    mentor_accepts_someone(programme, full_soon)

    assert shortlist(programme, asking) == [pid(other)]
    assert state(programme).version == version


def test_a_worker_reads_the_state_and_what_changed_since_it_looked_in_one_query(
    programme: Programme,
    asking: User,
    django_assert_num_queries: Callable[[int], AbstractContextManager[Any]],
) -> None:
    full_soon = a_mentor(programme, "ana", capacity=1)
    other = a_mentor(programme, "ben")
    shortlist(programme, asking)
    seen = mentor_index.current(programme).seen
    mentor_accepts_someone(programme, full_soon)
    assert mentor_index._loaded[programme.pk].seen == seen  # written, not yet looked at

    with django_assert_num_queries(1):
        loaded = mentor_index.current(programme)
    assert loaded.seen > seen
    assert not loaded.available[loaded.row(full_soon.pk)]
    assert loaded.available[loaded.row(other.pk)]
    with django_assert_num_queries(1):  # nothing new: the same one query, no rows to apply
        assert mentor_index.current(programme).seen == loaded.seen


def test_a_mentor_paused_from_requests_is_not_offered(programme: Programme, asking: User) -> None:
    ana = a_mentor(programme, "ana")
    ben = a_mentor(programme, "ben")
    assert set(shortlist(programme, asking)) == {pid(ana), pid(ben)}
    membership = ana.memberships.get(programme=programme, role=Role.MENTOR)
    membership.requests_paused_at = timezone.now()
    membership.save()
    # The pause service's own write path (pause_if_lapsing) calls the same hook:
    from mentorship.services.mentor_availability import mentor_changed

    mentor_changed(user_id=ana.pk, programme_ids=[programme.pk])
    assert shortlist(programme, asking) == [pid(ben)]
    availability.confirm_availability(actor=ana, programme=programme)
    assert set(shortlist(programme, asking)) == {pid(ana), pid(ben)}


def test_a_profile_edit_updates_that_mentor_and_the_next_shortlist_shows_it(
    programme: Programme, asking: User, after_commit: AfterCommit
) -> None:
    ana = a_mentor(programme, "ana")
    ben = a_mentor(programme, "ben", languages=["de"])
    assert shortlist(programme, asking) == [pid(ana)]
    before = state(programme)

    with after_commit():  # the queued task runs after the commit, in-process (no broker)
        profiles.update_profile(actor=ben, languages=["en", "de"])

    after = state(programme)
    assert after.version == before.version + 1
    assert after.full_build_at == before.full_build_at  # one mentor updated, no refit
    assert set(shortlist(programme, asking)) == {pid(ana), pid(ben)}


def test_a_request_catches_up_when_the_task_has_not_run_yet(
    programme: Programme, asking: User
) -> None:
    ana = a_mentor(programme, "ana")
    ben = a_mentor(programme, "ben", languages=["de"])
    assert shortlist(programme, asking) == [pid(ana)]
    profiles.update_profile(actor=ben, languages=["en"])  # its task never ran (no commit)
    assert set(shortlist(programme, asking)) == {pid(ana), pid(ben)}


def test_a_new_mentor_joins_and_a_leaving_one_goes_without_a_refit(
    programme: Programme, asking: User, coordinator: User
) -> None:
    ana = a_mentor(programme, "ana")
    assert shortlist(programme, asking) == [pid(ana)]
    full_build = state(programme).full_build_at
    ben = a_mentor(programme, "ben")
    assert set(shortlist(programme, asking)) == {pid(ana), pid(ben)}
    from mentorship.services.programmes import leave_role

    leave_role(actor=ana, membership=ana.memberships.get(programme=programme, role=Role.MENTOR))
    assert shortlist(programme, asking) == [pid(ben)]
    assert pid(ana) not in mentor_index.current(programme).index.ids
    assert state(programme).full_build_at == full_build


def test_vocabulary_drift_refits_everyone(
    programme: Programme, asking: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = a_mentor(programme, "ana")
    shortlist(programme, asking)
    before = state(programme)
    index_class = type(mentor_index.current(programme).index)
    monkeypatch.setattr(index_class, "with_mentor", lambda self, line: None)
    profiles.update_profile(actor=ana, skills=["quantum annealing", "stage-gate design"])
    assert shortlist(programme, asking) == [pid(ana)]
    after = state(programme)
    assert after.version == before.version + 1
    assert before.full_build_at is not None
    assert after.full_build_at is not None
    assert after.full_build_at > before.full_build_at


def test_only_the_two_latest_versions_are_kept(programme: Programme, asking: User) -> None:
    ana = a_mentor(programme, "ana")
    shortlist(programme, asking)
    for about in ("First edit.", "Second edit.", "Third edit."):
        profiles.update_profile(actor=ana, about=about)
        shortlist(programme, asking)
    version = state(programme).version
    kept = sorted(int(p.name) for p in mentor_index.index_root(programme.pk).iterdir())
    assert kept == [version - 1, version]


def test_an_erased_mentor_leaves_the_index_and_its_older_files_at_once(
    programme: Programme, asking: User, after_commit: AfterCommit
) -> None:
    ana = a_mentor(programme, "ana")
    ben = a_mentor(programme, "ben")
    shortlist(programme, asking)
    profiles.update_profile(actor=ben, about="A second version of the files.")
    shortlist(programme, asking)
    admin = factories.UserFactory.create(is_staff=True, is_superuser=True)

    with after_commit():
        privacy.erase_by_administrator(actor=admin, person=ana)

    version = state(programme).version
    assert [p.name for p in mentor_index.index_root(programme.pk).iterdir()] == [str(version)]
    assert pid(ana) not in mentor_index.current(programme).index.ids
    assert shortlist(programme, asking) == [pid(ben)]


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("nobody", EmptyReason.NO_MENTORS),
        ("all_full", EmptyReason.NONE_AVAILABLE),
        ("no_language", EmptyReason.NONE_ELIGIBLE),
    ],
)
def test_an_empty_shortlist_says_why(
    programme: Programme, asking: User, setup: str, reason: str
) -> None:
    if setup == "all_full":
        a_mentor(programme, "ana", accepting_mentees=False)
        a_mentor(programme, "ben", capacity=0)
    elif setup == "no_language":
        a_mentor(programme, "ana", languages=["de"])
    request = services.create_match_request(actor=asking, programme=programme)
    assert (request.proposals.count(), request.empty_reason) == (0, reason)
    assert request.get_empty_reason_display()


def test_a_mentee_without_a_profile_gets_a_reason(programme: Programme) -> None:
    a_mentor(programme, "ana")
    lost = factories.UserFactory.create()
    factories.MembershipFactory.create(user=lost, programme=programme, role=Role.MENTEE)
    request = services.create_match_request(actor=lost, programme=programme)
    assert request.empty_reason == EmptyReason.NO_PROFILE


def test_a_match_request_runs_the_same_queries_for_5_or_60_mentors(
    programme: Programme,
    other_programme: Programme,
    django_assert_max_num_queries: Callable[[int], AbstractContextManager[Any]],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for place, mentors in ((programme, 5), (other_programme, 60)):
        for i in range(mentors):
            a_mentor(place, f"m{place.pk}-{i}")
        mentee = factories.member(
            place, Role.MENTEE, languages=["en"], topics_wanted=["leadership"]
        )
        warm_up = factories.member(place, Role.MENTEE, languages=["en"])
        services.create_match_request(actor=warm_up, programme=place)  # builds the index
        with CaptureQueriesContext(connection) as queries:
            request = services.create_match_request(actor=mentee, programme=place)
        assert request.proposals.count() == min(mentors, place.proposals_per_request)
        counts.append(len(queries))
    assert counts[0] == counts[1]
    another = factories.member(other_programme, Role.MENTEE, languages=["en"])
    with django_assert_max_num_queries(counts[0]):
        services.create_match_request(actor=another, programme=other_programme)


def test_the_daily_rebuild_resyncs_and_refits(programme: Programme, asking: User) -> None:
    ana = a_mentor(programme, "ana")
    shortlist(programme, asking)
    ana.profile.accepting_mentees = False
    ana.profile.save()  # behind the services' back: still offered until the resync
    assert shortlist(programme, asking) == [pid(ana)]
    versions = mentor_index.rebuild_all()
    assert versions[programme.pk] == 2
    assert shortlist(programme, asking) == []


def only(component: str) -> dict[str, float]:
    """Weights that rank by `component` alone (every other engine component at 0)."""
    return dict.fromkeys(matching_adapter.COMPONENTS, 0.0) | {component: 1.0}


def test_network_reach_ranks_the_mentor_who_introduces_senior_leaders_first(
    programme: Programme, asking: User
) -> None:
    plain = a_mentor(programme, "ana")
    connector = a_mentor(programme, "ben", capacity=5)
    for _ in range(3):
        pair = factories.MentorshipFactory.create(programme=programme, mentor=connector)
        factories.IntroductionFactory.create(mentorship=pair, network_group="senior_leadership")
    programme.matching_weights = only("network_fit")
    programme.save()

    found = matching_adapter.shortlist(programme=programme, mentee=asking, top=5).proposals

    assert [p.mentor for p in found] == [pid(connector), pid(plain)]
    assert found[0].components["network_fit"] > found[1].components["network_fit"]


def test_signals_are_read_once_per_period_not_per_request(
    programme: Programme, asking: User
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a_mentor(programme, "ana")
    programme.matching_weights = only("responsiveness")
    programme.save()
    shortlist(programme, asking)  # builds the index and reads the signals
    with CaptureQueriesContext(connection) as warm:
        shortlist(programme, asking)
    programme.matching_weights = {}
    programme.save()
    with CaptureQueriesContext(connection) as unweighted:
        shortlist(programme, asking)
    assert len(warm) == len(unweighted)


def test_the_indexed_lines_are_the_profile_lines(programme: Programme, mentor: User) -> None:
    ana = a_mentor(programme, "ana", headline="Head of PMO", certifications=["PMP"])
    factories.PositionFactory.create(
        profile=ana.profile,
        title="PMO Analyst",
        industry="rail",
        start=dt.date(2005, 3, 1),
        end=dt.date(2011, 12, 1),
    )
    factories.PersonalityFactory.create(profile=ana.profile, answers=[5, 3, 6, 2, 6, 3, 5, 2, 6, 2])
    tom = factories.member(
        programme, Role.MENTEE, username="not-a-mentor", topics_wanted=["leadership"]
    )
    factories.PositionFactory.create(
        profile=tom.profile, title="Analyst", start=dt.date(2020, 1, 1)
    )
    factories.PositionFactory.create(
        profile=tom.profile, title="Intern", start=dt.date(2018, 6, 1), end=dt.date(2019, 12, 1)
    )
    factories.PersonalityFactory.create(profile=tom.profile, answers=[4] * 10)

    def position(title: str, organisation: str, industry: str, start: str, end: str | None):
        keys = ("title", "organisation", "industry", "start", "end", "summary")
        return dict(zip(keys, (title, organisation, industry, start, end, ""), strict=True))

    ana_line = {
        "id": pid(ana),
        "positions": [  # newest first
            position("Head of PMO", "Gridline", "energy", "2012-01", None),
            position("PMO Analyst", "Acme", "rail", "2005-03", "2011-12"),
        ],
        "skills": ["risk management", "portfolio governance"],
        "certifications": ["PMP"],
        "seniority": 5,
        "topics": ["leadership", "pmo_governance"],
        "about": "Head of PMO Twenty years delivering energy programmes; built two PMOs.",
        "personality": Personality.objects.get(profile=ana.profile).big_five(),
        "languages": ["en"],
        "timezone": "Europe/London",
        "formats": ["video"],
        "capacity": 1,  # seats are the availability mask's
        "exclude": [],
    }
    mentors = matching_adapter.mentor_lines(programme)
    assert [line["id"] for line in mentors] == [pid(mentor), pid(ana)]  # by user id
    assert mentors[1] == ana_line
    assert matching_adapter.mentor_lines(programme, user_ids=[ana.pk]) == [ana_line]

    excluded = {tom.pk: [pid(ana), pid(mentor), pid(ana)]}
    tom_line = {
        **ana_line,
        "id": pid(tom),
        "positions": [
            position("Analyst", "Acme", "construction", "2020-01", None),
            position("Intern", "Acme", "construction", "2018-06", "2019-12"),
        ],
        "skills": [],
        "certifications": [],
        "seniority": 2,
        "topics": ["leadership"],  # what a mentee wants
        "about": "",
        "personality": Personality.objects.get(profile=tom.profile).big_five(),
        "exclude": sorted({pid(ana), pid(mentor)}),
    }
    mentees = matching_adapter.profile_lines(programme, Role.MENTEE, exclude=excluded)
    assert mentees[-1] == tom_line
    # One mentee's line, as a match request reads it (one query): the same, by user id.
    assert matching_adapter.mentee_line(tom.pk, exclude=excluded[tom.pk]) == tom_line
    Personality.objects.filter(profile=tom.profile).delete()
    assert matching_adapter.mentee_line(tom.pk, exclude=())["personality"] is None  # type: ignore[index]
    Profile.objects.filter(user=tom).delete()
    assert matching_adapter.mentee_line(tom.pk, exclude=()) is None


def test_a_cohort_run_takes_the_mentors_from_the_stored_index_with_their_free_places(
    programme: Programme, asking: User
) -> None:
    ben = a_mentor(programme, "ben", capacity=2)
    ana = a_mentor(programme, "ana", accepting_mentees=False)
    cy = a_mentor(programme, "cy", capacity=1)
    factories.MentorshipFactory.create(programme=programme, mentor=cy)
    shortlist(programme, asking)  # the index is built
    profiles.update_profile(actor=ben, about="Now coaching portfolio offices.")  # task not run

    lines = matching_adapter.mentor_lines_with_seats(programme)

    assert [line["id"] for line in lines] == [pid(ben), pid(ana), pid(cy)]  # by user id
    assert [line["capacity"] for line in lines] == [2, 0, 0]  # not accepting; full
    assert "Now coaching portfolio offices." in str(lines[0]["about"])  # caught up first
    from_database = {line["id"]: line for line in matching_adapter.mentor_lines(programme)}
    for line in lines:  # the same profiles as the database's, normalised
        expected = {**from_database[line["id"]], "capacity": line["capacity"]}
        assert {key: line[key] for key in expected} == expected


@pytest.mark.django_db(transaction=True)
def test_workers_that_all_find_no_index_build_it_once() -> None:
    from tests.mentorship.test_concurrency import race

    programme = factories.ProgrammeFactory.create(slug="race-index")
    for i in range(3):  # behind the services' back: no index, no availability rows yet
        user = factories.UserFactory.create(username=f"racer{i}")
        factories.ProfileFactory.create(user=user, languages=["en"])
        factories.MembershipFactory.create(user=user, programme=programme, role=Role.MENTOR)
    assert not MentorIndexState.objects.filter(programme=programme).exists()

    def request() -> str:
        return str(mentor_index.current(programme).version)

    outcomes = race([request] * 4)

    assert outcomes == {"1": 4}
    built = state(programme)
    assert (built.version, built.mentors) == (1, 3)
    assert [p.name for p in mentor_index.index_root(programme.pk).iterdir()] == ["1"]
