from __future__ import annotations

import pytest
from django.test import Client

from mentorship import factories
from mentorship.models import Membership, Programme, ProposalStatus, Role, User


@pytest.fixture
def client() -> Client:
    return Client()


def test_a_visitor_sees_what_the_platform_does_and_how_to_join(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mentorship that explains itself" in page
    assert "/signup/" in page
    assert "/login/" in page


def test_signing_up_with_a_join_code_creates_the_membership_and_signs_in(
    client: Client, programme: Programme
) -> None:
    response = client.post(
        "/signup/",
        {
            "join_code": programme.join_code.lower(),
            "role": Role.MENTEE,
            "first_name": "Nia",
            "last_name": "Okafor",
            "username": "nia",
            "email": "nia@example.org",
            "password": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="nia")
    assert Membership.objects.filter(user=user, programme=programme, role=Role.MENTEE).exists()
    assert "Hello, Nia" in client.get("/").content.decode()


def test_a_wrong_join_code_is_a_form_error_and_creates_nobody(client: Client, db: None) -> None:
    response = client.post(
        "/signup/",
        {
            "join_code": "NOPE-NOPE",
            "role": Role.MENTOR,
            "first_name": "A",
            "last_name": "B",
            "username": "ab",
            "email": "ab@example.org",
            "password": "a-long-enough-passphrase",
        },
    )
    assert response.status_code == 400
    assert "does not match an open programme" in response.content.decode()
    assert not User.objects.filter(username="ab").exists()


def test_a_mentee_sees_suggestions_with_their_reasons(
    client: Client, programme: Programme, mentee: User
) -> None:
    factories.ProposalFactory.create(
        programme=programme,
        mentee=mentee,
        reasons=["You both work in healthcare", "Available in your time zone"],
    )
    client.force_login(mentee)
    page = client.get("/").content.decode()
    assert "Suggested mentors" in page
    assert "You both work in healthcare" in page


def test_a_mentor_sees_requests_waiting_and_their_mentees(
    client: Client, programme: Programme, mentor: User, mentee: User, peer_mentee: User
) -> None:
    factories.ProposalFactory.create(
        programme=programme,
        mentor=mentor,
        mentee=peer_mentee,
        status=ProposalStatus.REQUESTED,
        message="Could you help me with PMO governance?",
    )
    factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)
    client.force_login(mentor)
    page = client.get("/").content.decode()
    assert "Could you help me with PMO governance?" in page
    assert mentee.display_name in page


def test_a_coordinator_sees_the_cadence_of_their_programme_only(
    client: Client, programme: Programme, coordinator: User, other_programme: Programme
) -> None:
    factories.MentorshipFactory.create(programme=programme)
    hidden = factories.MentorshipFactory.create(programme=other_programme)
    client.force_login(coordinator)
    page = client.get("/").content.decode()
    assert "PMO Network: session cadence" in page
    assert "never met" in page
    assert hidden.mentee.display_name not in page


def test_the_sign_in_page_counts_attempts_like_the_api(client: Client, db: None, settings) -> None:
    settings.LOGIN_LIMIT_PER_ACCOUNT = 2
    factories.UserFactory.create(username="kim")
    for _ in range(2):
        page = client.post("/login/", {"username": "kim", "password": "wrong"}).content.decode()
        assert "correct username and password" in page
    page = client.post(
        "/login/", {"username": "kim", "password": factories.DEFAULT_PASSWORD}
    ).content.decode()
    assert "Too many sign-in attempts" in page
    assert "_auth_user_id" not in client.session


def test_a_member_signs_in_and_lands_on_their_dashboard(client: Client, mentee: User) -> None:
    response = client.post("/login/", {"username": "tom", "password": factories.DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert "Hello," in client.get("/").content.decode()
