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
    assert "Find the mentor who has walked your path" in page
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


def test_a_mentor_sees_how_many_requests_wait_for_them(
    client: Client, programme: Programme, mentor: User, peer_mentee: User
) -> None:
    factories.ProposalFactory.create(
        programme=programme, mentor=mentor, mentee=peer_mentee, status=ProposalStatus.REQUESTED
    )
    client.force_login(mentor)
    page = client.get("/").content.decode()
    assert "1 mentee asked you to mentor them" in page


def test_a_coordinator_sees_the_cadence_of_their_programme_only(
    client: Client, programme: Programme, coordinator: User, other_programme: Programme
) -> None:
    factories.MentorshipFactory.create(programme=programme)
    factories.MentorshipFactory.create(programme=other_programme)
    client.force_login(coordinator)
    page = client.get("/").content.decode()
    assert "PMO Network" in page
    assert "Alumni Scheme" not in page
    assert "<b>1</b> never met" in page


def test_a_new_member_is_told_the_next_step(client: Client, mentee: User) -> None:
    client.force_login(mentee)
    page = client.get("/").content.decode()
    assert "Your next steps" in page
    assert "Complete your profile" in page
    assert "Find a mentor" in page


def test_a_signed_in_member_joins_another_programme_instead_of_signing_up_again(
    client: Client, mentee: User, other_programme: Programme
) -> None:
    client.force_login(mentee)
    assert client.get("/signup/")["Location"] == "/join/"
    response = client.post("/join/", {"join_code": other_programme.join_code, "role": "mentor"})
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=mentee, programme=other_programme, role=Role.MENTOR
    ).exists()
    assert User.objects.count() == 1


def test_unknown_pages_get_the_sites_own_404_also_in_debug(
    client: Client, db: None, settings
) -> None:
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "We could not find that page" in page
    assert "URLconf" not in page  # not Django's technical page listing every URL


def test_a_page_that_fails_gets_the_friendly_500_and_the_error_is_logged(
    client: Client, mentee: User, monkeypatch, caplog
) -> None:
    from frontend.views import account

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(account, "dashboard_for", broken)
    client.raise_request_exception = False
    client.force_login(mentee)
    response = client.get("/")
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
    assert "boom" not in response.content.decode()
    assert "boom" in caplog.text


def test_pages_of_a_signed_in_person_are_never_cached(client: Client, mentee: User) -> None:
    assert "no-store" not in client.get("/").get("Cache-Control", "")
    client.force_login(mentee)
    assert "no-store" in client.get("/")["Cache-Control"]


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
