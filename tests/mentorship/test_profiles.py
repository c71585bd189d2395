"""Profiles, career history and the personality questionnaire (kept only with consent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from mentorship import factories
from mentorship.errors import ValidationFailed
from mentorship.models import AuditEvent, Personality, Position, Profile, Role, User
from mentorship.services import profiles as services
from mentorship.services.profiles import MAX_POSITIONS

pytestmark = pytest.mark.django_db

ANSWERS = [2, 5, 7, 2, 6, 6, 4, 1, 6, 2]


def profile_row(user: User) -> dict[str, Any]:
    return dict(Profile.objects.filter(user=user).values().get())


# update_profile ---------------------------------------------------------------------------


def test_update_profile_changes_the_members_own_profile_and_name(mentee, audit_of):
    profile = services.update_profile(
        actor=mentee,
        headline="PMO analyst aiming for programme management",
        skills=[" risk management ", "Jira"],
        topics_wanted=["leadership", "networking"],
        languages=["en", "fr"],
        timezone="Europe/Paris",
        formats=["video", "in_person"],
        seniority=3,
        first_name=" Tom ",
    )

    profile.refresh_from_db()
    assert profile.headline == "PMO analyst aiming for programme management"
    assert profile.skills == ["risk management", "Jira"]
    assert profile.topics_wanted == ["leadership", "networking"]
    assert (profile.timezone, profile.seniority) == ("Europe/Paris", 3)
    mentee.refresh_from_db()
    assert mentee.first_name == "Tom"
    [event] = audit_of(profile)
    assert (event.actor, event.action) == (mentee, "update")
    assert event.data["changed"] == sorted(
        [
            "headline",
            "skills",
            "topics_wanted",
            "languages",
            "timezone",
            "formats",
            "seniority",
            "first_name",
        ]
    )


@pytest.mark.parametrize(
    "field",
    ["user", "user_id", "id", "updated_at", "personality", "email", "username", "is_staff", "nope"],
)
def test_update_profile_refuses_unknown_or_protected_fields(mentee, audit_of, field):
    before = profile_row(mentee)

    changes: dict[str, Any] = {field: True}
    with pytest.raises(ValidationFailed) as error:
        services.update_profile(actor=mentee, headline="Changed", **changes)

    assert set(error.value.fields) == {field}
    assert profile_row(mentee) == before
    mentee.refresh_from_db()
    assert not mentee.is_staff
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"topics_wanted": ["leadership", "astrology"]}, "topics_wanted"),
        ({"topics_offered": ["bid_management"]}, "topics_offered"),  # another programme's extra
        ({"topics_offered": "leadership"}, "topics_offered"),
        ({"languages": ["English"]}, "languages"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"formats": ["fax"]}, "formats"),
        ({"seniority": 7}, "seniority"),
        ({"skills": ["Jira", "jira"]}, "skills"),
    ],
)
def test_update_profile_refuses_invalid_values(mentee, other_programme, audit_of, changes, field):
    other_programme.extra_topics = ["bid_management"]
    other_programme.save()
    before = profile_row(mentee)

    with pytest.raises(ValidationFailed) as error:
        services.update_profile(actor=mentee, **changes)

    assert field in error.value.fields
    assert profile_row(mentee) == before
    assert not AuditEvent.objects.exists()


def test_topics_added_by_the_members_programme_are_allowed(programme, mentor):
    programme.extra_topics = ["bid_management"]
    programme.save()

    profile = services.update_profile(actor=mentor, topics_offered=["bid_management", "leadership"])

    assert profile.topics_offered == ["bid_management", "leadership"]


@pytest.mark.parametrize(
    ("maxima", "capacity", "ok"),
    [
        # (max_mentor_capacity of each programme the user mentors in) -> capacity asked
        ([5], 5, True),
        ([5], 6, False),
        ([3], 4, False),
        ([8, 3], 3, True),  # the strictest programme decides
        ([8, 3], 4, False),
        ([], 1, False),  # not a mentor anywhere: no capacity to set
    ],
)
def test_capacity_above_the_programme_maximum_is_refused(maxima, capacity, ok):
    user = factories.UserFactory.create()
    factories.ProfileFactory.create(user=user, capacity=1)
    for maximum in maxima:
        p = factories.ProgrammeFactory.create(max_mentor_capacity=maximum)
        factories.MembershipFactory.create(user=user, programme=p, role=Role.MENTOR)
    # A laxer programme where the user is only a mentee does not count.
    lax = factories.ProgrammeFactory.create(max_mentor_capacity=20)
    factories.MembershipFactory.create(user=user, programme=lax, role=Role.MENTEE)

    if ok:
        services.update_profile(actor=user, capacity=capacity)
    else:
        with pytest.raises(ValidationFailed) as error:
            services.update_profile(actor=user, capacity=capacity)
        assert "capacity" in error.value.fields

    assert Profile.objects.get(user=user).capacity == (capacity if ok else 1)


def test_update_profile_creates_a_missing_profile(staff):
    services.update_profile(actor=staff, headline="Platform admin")

    assert Profile.objects.get(user=staff).headline == "Platform admin"


# set_positions ----------------------------------------------------------------------------


CAREER: list[dict[str, Any]] = [
    {
        "title": "PMO Analyst",
        "organisation": "Harbour Bank",
        "industry": "Financial Services",
        "start": "2016-09",
        "end": "2019-03-15",
        "summary": " Ran the portfolio reporting. ",
    },
    {
        "title": "Project Manager",
        "organisation": "Gridline Power",
        "industry": "energy",
        "start": dt.date(2019, 4, 20),
        "end": None,
    },
]


def test_set_positions_replaces_the_career_history_newest_first(mentee, audit_of):
    factories.PositionFactory.create(profile=mentee.profile, title="Old entry")

    positions = services.set_positions(actor=mentee, positions=CAREER)

    assert [p.title for p in positions] == ["Project Manager", "PMO Analyst"]
    newest, oldest = positions
    assert (oldest.start, oldest.end) == (dt.date(2016, 9, 1), dt.date(2019, 3, 1))
    assert (newest.start, newest.end) == (dt.date(2019, 4, 1), None)
    assert oldest.industry == "financial services"
    assert oldest.summary == "Ran the portfolio reporting."
    assert list(Position.objects.values_list("title", flat=True)) == [
        "Project Manager",
        "PMO Analyst",
    ]
    [event] = audit_of(mentee.profile)
    assert (event.actor, event.action, event.data) == (mentee, "set_positions", {"count": 2})


def test_an_empty_list_clears_the_career_history(mentee):
    factories.PositionFactory.create(profile=mentee.profile)

    assert services.set_positions(actor=mentee, positions=[]) == []

    assert not Position.objects.exists()


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"title": "PM", "start": None}, "start"),
        ({"title": "PM", "start": "April 2019"}, "YYYY-MM"),
        ({"title": "PM", "start": "2019-13"}, "YYYY-MM"),
        ({"title": "PM", "start": "2020-01", "end": "2019-01"}, "position_end_after_start"),
        ({"title": "", "start": "2020-01"}, "title"),
        ({"title": "PM", "start": "2020-01", "salary": 90000}, "salary"),
    ],
)
def test_set_positions_refuses_a_bad_entry_and_keeps_the_old_history(
    mentee, audit_of, bad, message
):
    factories.PositionFactory.create(profile=mentee.profile, title="Kept")

    with pytest.raises(ValidationFailed) as error:
        services.set_positions(actor=mentee, positions=[CAREER[0], bad])

    assert list(error.value.fields) == ["positions[1]"]
    assert message in " ".join(error.value.fields["positions[1]"])
    assert list(Position.objects.values_list("title", flat=True)) == ["Kept"]
    assert audit_of(mentee.profile) == []


def test_set_positions_keeps_a_position_whose_id_it_is_given(mentee, peer_mentee, audit_of):
    kept = factories.PositionFactory.create(profile=mentee.profile, title="PM")
    dropped = factories.PositionFactory.create(profile=mentee.profile, title="Dropped")
    theirs = factories.PositionFactory.create(profile=peer_mentee.profile, title="Theirs")

    positions = services.set_positions(
        actor=mentee,
        positions=[
            {**CAREER[1], "id": kept.pk, "title": "Senior PM"},
            {**CAREER[0], "id": theirs.pk},  # someone else's id: a new position of mine
        ],
    )

    by_title = {p.title: p for p in positions}
    assert by_title["Senior PM"].pk == kept.pk
    assert by_title["PMO Analyst"].pk not in (kept.pk, theirs.pk)
    assert not Position.objects.filter(pk=dropped.pk).exists()
    theirs.refresh_from_db()
    assert (theirs.title, theirs.profile_id) == ("Theirs", peer_mentee.profile.pk)
    assert audit_of(mentee.profile)[-1].data == {"count": 2}


def test_set_positions_uses_a_kept_id_once(mentee):
    kept = factories.PositionFactory.create(profile=mentee.profile, title="PM")

    positions = services.set_positions(
        actor=mentee,
        positions=[{**CAREER[1], "id": kept.pk}, {**CAREER[0], "id": kept.pk}],
    )

    assert len(positions) == 2
    assert [p.pk for p in positions].count(kept.pk) == 1


def test_set_positions_refuses_more_than_the_maximum(mentee):
    entry = {"title": "PM", "start": "2020-01"}

    with pytest.raises(ValidationFailed):
        services.set_positions(actor=mentee, positions=[entry] * (MAX_POSITIONS + 1))

    assert not Position.objects.exists()
    assert len(services.set_positions(actor=mentee, positions=[entry] * MAX_POSITIONS)) == (
        MAX_POSITIONS
    )


# Personality and consent ------------------------------------------------------------------


def test_saving_the_questionnaire_with_consent_stores_answers_and_big_five(mentee, audit_of):
    personality = services.save_personality(actor=mentee, answers=ANSWERS, consent=True)

    personality.refresh_from_db()
    assert personality.answers == ANSWERS
    assert personality.big_five() == {
        "openness": 6.0,
        "conscientiousness": 7.0,
        "extraversion": 2.0,
        "agreeableness": 3.5,
        "emotional_stability": 6.0,
    }
    assert personality.consented_at is not None
    [event] = audit_of(mentee.profile)
    assert (event.actor, event.action, event.to_state) == (mentee, "personality_consent", "given")
    # The audit trail records consent, never the answers.
    assert event.data == {"updated": False}


def test_answering_again_replaces_the_answers(mentee, audit_of):
    services.save_personality(actor=mentee, answers=ANSWERS, consent=True)

    services.save_personality(actor=mentee, answers=[4] * 10, consent=True)

    personality = Personality.objects.get(profile__user=mentee)
    assert personality.answers == [4] * 10
    assert personality.openness == 4.0
    assert [e.data for e in audit_of(mentee.profile)] == [{"updated": False}, {"updated": True}]


@pytest.mark.parametrize("consent", [False, None, "yes", 1])
def test_without_explicit_consent_nothing_is_stored(mentee, consent):
    with pytest.raises(ValidationFailed) as error:
        services.save_personality(actor=mentee, answers=ANSWERS, consent=consent)

    assert "consent" in error.value.fields
    assert not Personality.objects.exists()
    assert not AuditEvent.objects.exists()


def test_refusing_consent_keeps_earlier_answers_untouched(mentee):
    services.save_personality(actor=mentee, answers=ANSWERS, consent=True)

    with pytest.raises(ValidationFailed):
        services.save_personality(actor=mentee, answers=[4] * 10, consent=False)

    assert Personality.objects.get(profile__user=mentee).answers == ANSWERS


@pytest.mark.parametrize(
    "answers",
    [
        [4] * 9,
        [4] * 11,
        [4] * 9 + [8],
        [4] * 9 + [0],
        [4] * 9 + [4.5],
        [4] * 9 + ["4"],
        [4] * 9 + [True],
        [4] * 9 + [None],
        None,
        "4444444444",
    ],
)
def test_the_questionnaire_needs_ten_whole_answers_from_one_to_seven(mentee, answers):
    with pytest.raises(ValidationFailed) as error:
        services.save_personality(actor=mentee, answers=answers, consent=True)

    assert "answers" in error.value.fields
    assert not Personality.objects.exists()


def test_withdrawing_consent_erases_the_answers(mentee, peer_mentee, audit_of):
    services.save_personality(actor=mentee, answers=ANSWERS, consent=True)
    services.save_personality(actor=peer_mentee, answers=ANSWERS, consent=True)

    services.withdraw_personality(actor=mentee)

    assert not Personality.objects.filter(profile__user=mentee).exists()
    assert Personality.objects.filter(profile__user=peer_mentee).exists()
    assert [e.to_state for e in audit_of(mentee.profile)] == ["given", "withdrawn"]


def test_withdrawing_without_answers_records_nothing(mentee, staff, audit_of):
    services.withdraw_personality(actor=mentee)
    services.withdraw_personality(actor=staff)  # no profile at all

    assert audit_of(mentee.profile) == []
    assert not Profile.objects.filter(user=staff).exists()
