"""Protected fields sent in writes are ignored or refused, and stay unchanged in the database."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from mentorship import factories
from mentorship.models import (
    Membership,
    Mentorship,
    MentorshipStatus,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    Session,
    User,
)
from tests.api.conftest import assert_error


def test_profile_writes_cannot_touch_identity_roles_or_personality(api, mentee, mentor) -> None:
    response = api(mentee).patch(
        "me/profile/",
        {
            "id": mentor.pk,
            "username": "root",
            "roles": ["coordinator"],
            "is_staff": True,
            "personality": {"openness": 7},
            "updated_at": "2000-01-01T00:00:00Z",
            "headline": "Project manager",
        },
    )
    assert response.status_code == 200
    mentee.refresh_from_db()
    assert (mentee.username, mentee.is_staff) == ("tom", False)
    assert mentee.profile.headline == "Project manager"
    assert not Membership.objects.filter(user=mentee, role=Role.COORDINATOR).exists()
    assert not hasattr(mentee.profile, "personality")


def test_capacity_above_the_programme_maximum_is_refused(api, mentor, programme) -> None:
    body = assert_error(
        api(mentor).patch("me/profile/", {"capacity": programme.max_mentor_capacity + 1}), 400
    )
    assert "capacity" in body["fields"]
    mentor.profile.refresh_from_db()
    assert mentor.profile.capacity == 2


def test_a_mentee_cannot_give_themself_a_capacity(api, mentee) -> None:
    assert_error(api(mentee).patch("me/profile/", {"capacity": 3, "accepting_mentees": True}), 400)
    mentee.profile.refresh_from_db()
    assert mentee.profile.capacity == 2


def test_signup_cannot_choose_coordinator_or_staff(api, programme) -> None:
    base = {
        "username": "eve",
        "email": "eve@example.org",
        "password": "a-long-passphrase-2026",
        "join_code": programme.join_code,
    }
    assert_error(api().post("auth/signup/", {**base, "role": "coordinator"}), 400, "invalid")
    assert (
        api()
        .post("auth/signup/", {**base, "role": "mentee", "is_staff": True, "is_superuser": True})
        .status_code
        == 201
    )
    eve = User.objects.get(username="eve")
    assert (eve.is_staff, eve.is_superuser) == (False, False)
    assert list(eve.memberships.values_list("role", flat=True)) == [Role.MENTEE]


def test_programme_writes_cannot_set_the_join_code_or_slug(
    api, programme, coordinator, staff
) -> None:
    code = programme.join_code
    response = api(coordinator).patch(
        f"programmes/{programme.slug}/",
        {"join_code": "MINE-MINE", "slug": "stolen", "description": "x"},
    )
    assert response.status_code == 200
    programme.refresh_from_db()
    assert (programme.join_code, programme.slug, programme.description) == (
        code,
        "pmo-network",
        "x",
    )
    assert_error(
        api(coordinator).patch(f"programmes/{programme.slug}/", {"max_mentor_capacity": 99}), 400
    )
    created = api(staff).post(
        "programmes/", {"name": "New", "slug": "new", "join_code": "MINE-MINE"}
    )
    assert created.status_code == 201
    assert Programme.objects.get(slug="new").join_code != "MINE-MINE"


def test_a_match_request_is_always_for_the_caller(
    api, programme, mentee, peer_mentee, mentor
) -> None:
    response = api(mentee).post(
        "match-requests/", {"programme": programme.slug, "mentee": peer_mentee.pk}
    )
    assert response.status_code == 201
    assert not peer_mentee.match_requests.exists()
    assert mentee.match_requests.count() == 1


def test_proposal_actions_take_only_their_own_fields(
    api, programme, mentee, mentor, peer_mentee
) -> None:
    proposal = factories.ProposalFactory.create(
        programme=programme, mentee=mentee, mentor=mentor, score=0.4
    )
    response = api(mentee).post(
        f"proposals/{proposal.pk}/request/",
        {"message": "Hi", "status": "accepted", "score": 1.0, "mentor": peer_mentee.pk, "rank": 9},
    )
    assert response.status_code == 200
    proposal.refresh_from_db()
    assert (proposal.status, proposal.score, proposal.mentor, proposal.rank) == (
        ProposalStatus.REQUESTED,
        0.4,
        mentor,
        1,
    )
    accepted = api(mentor).post(
        f"proposals/{proposal.pk}/accept/",
        {"status": "paused", "mentee": peer_mentee.pk, "started_on": "2001-01-01"},
    )
    assert accepted.status_code == 200
    mentorship = Mentorship.objects.get(proposal=proposal)
    assert (mentorship.status, mentorship.mentee, mentorship.started_on) == (
        MentorshipStatus.ACTIVE,
        mentee,
        timezone.localdate(),
    )


def test_mentorship_writes_cannot_change_status_pair_or_dates(
    api, programme, mentor, mentee, peer_mentee, other_programme
) -> None:
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee
    )
    started = mentorship.started_on
    response = api(mentee).patch(
        f"mentorships/{mentorship.pk}/",
        {
            "goals": "PMO",
            "status": "completed",
            "mentor": peer_mentee.pk,
            "programme": other_programme.slug,
            "started_on": "2000-01-01",
            "ended_on": "2000-02-01",
        },
    )
    assert response.status_code == 200
    mentorship.refresh_from_db()
    assert (
        mentorship.goals,
        mentorship.status,
        mentorship.mentor,
        mentorship.programme,
        mentorship.started_on,
        mentorship.ended_on,
    ) == ("PMO", MentorshipStatus.ACTIVE, mentor, programme, started, None)


def test_a_session_lands_on_the_url_mentorship_and_the_callers_side(
    api, programme, mentor, mentee
) -> None:
    mine = factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)
    elsewhere = factories.MentorshipFactory.create(programme=programme)
    response = api(mentor).post(
        f"mentorships/{mine.pk}/sessions/",
        {
            "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            "duration_minutes": 30,
            "format": "video",
            "notes": "mine",
            "rating": 4,
            "mentorship": elsewhere.pk,
            "logged_by": mentee.pk,
            "mentee_notes": "forged",
            "mentee_rating": 1,
        },
    )
    assert response.status_code == 201
    session = Session.objects.get()
    assert (session.mentorship, session.logged_by) == (mine, mentor)
    assert (session.mentor_notes, session.mentor_rating) == ("mine", 4)
    assert (session.mentee_notes, session.mentee_rating) == ("", None)


def test_a_mentee_cannot_rewrite_an_introduction(api, programme, mentor, mentee) -> None:
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee
    )
    intro = factories.IntroductionFactory.create(mentorship=mentorship, contact_name="Kim Lee")
    assert_error(
        api(mentee).patch(f"introductions/{intro.pk}/", {"contact_name": "Someone else"}), 400
    )
    ok = api(mentee).patch(
        f"introductions/{intro.pk}/", {"confirmed": True, "introducer": mentee.pk, "mentorship": 0}
    )
    assert ok.status_code == 200
    intro.refresh_from_db()
    assert (intro.contact_name, intro.introducer, intro.mentorship) == (
        "Kim Lee",
        mentor,
        mentorship,
    )
    assert intro.confirmed_at is not None


def test_personality_scores_are_computed_never_taken(api, mentee) -> None:
    response = api(mentee).put(
        "me/personality/",
        {
            "answers": [4] * 10,
            "consent": True,
            "big_five": {"openness": 7.0},
            "consented_at": "2000-01-01T00:00:00Z",
        },
    )
    assert response.status_code == 200
    personality = mentee.profile.personality
    assert personality.openness == 4.0
    assert personality.consented_at.year == timezone.now().year


def test_answers_without_consent_are_not_stored(api, mentee) -> None:
    assert_error(api(mentee).put("me/personality/", {"answers": [4] * 10, "consent": False}), 400)
    mentee.profile.refresh_from_db()
    assert not hasattr(mentee.profile, "personality")
    assert Proposal.objects.count() == 0
