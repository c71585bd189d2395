"""Sign-in limits that slow an attacker down but cannot be turned against the people they protect:
only failures count, addresses come from trusted proxies only, the per-account delay is bounded and
cleared by a password reset, and sign-up and password reset are limited the same way."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.core import mail
from django.test import Client, RequestFactory, override_settings

from mentorship import factories
from mentorship.errors import AuthenticationFailed, RateLimited
from mentorship.models import LoginAttempts, Programme
from mentorship.services.auth import (
    client_address,
    counter_key,
    password_was_reset,
    sign_in,
)
from tests.api.conftest import assert_error
from tests.mentorship.test_concurrency import race

START = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def attempt(api, username: str, password: str, address: str = "10.0.0.1", **headers):
    return api().post(
        "auth/token/", {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ADDRESS=100)
def test_after_the_free_failures_an_account_waits_even_with_the_right_password(
    api, db, clock
) -> None:
    user = factories.UserFactory.create(username="tom")
    for _ in range(3):
        assert_error(attempt(api, "tom", "wrong"), 400, "invalid_credentials")
    response = attempt(api, "tom", factories.DEFAULT_PASSWORD)
    body = assert_error(response, 429, "rate_limited")
    assert response["Retry-After"] == "1"
    assert body["detail"] == "Too many sign-in attempts. Try again in 1 second."
    clock.shift(1)
    assert attempt(api, "tom", factories.DEFAULT_PASSWORD).status_code == 200
    assert user.check_password(factories.DEFAULT_PASSWORD)


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ADDRESS=10_000)
def test_the_wait_doubles_with_each_failure_up_to_the_maximum(api, db, clock) -> None:
    factories.UserFactory.create(username="tom")
    for _ in range(2):
        assert attempt(api, "tom", "wrong").status_code == 400  # no wait yet
    waits = []
    for _ in range(16):
        response = attempt(api, "tom", "wrong")
        assert response.status_code == 400  # each one checked: it came after the wait
        blocked = attempt(api, "tom", "wrong")
        assert blocked.status_code == 429
        waits.append(int(blocked["Retry-After"]))
        clock.shift(waits[-1])
    assert waits[:6] == [1, 2, 4, 8, 16, 32]
    assert max(waits) == 900
    assert waits[-1] == 900


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ADDRESS=10_000)
def test_attempts_refused_during_the_wait_never_lengthen_it(api, db, clock) -> None:
    factories.UserFactory.create(username="tom")
    for _ in range(3):
        attempt(api, "tom", "wrong")
    for _ in range(50):
        assert attempt(api, "tom", "wrong").status_code == 429
    assert LoginAttempts.objects.get(key=counter_key("sign-in:account", "tom")).attempts == 3
    clock.shift(1)
    assert attempt(api, "tom", factories.DEFAULT_PASSWORD).status_code == 200


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=10, LOGIN_LIMIT_PER_ADDRESS=100)
def test_a_strangers_thousand_wrong_passwords_do_not_keep_the_owner_out(api, db, clock) -> None:
    """The stranger tries every second for 1,000 seconds, from addresses of their own; the owner
    signs in LOGIN_MAX_DELAY_SECONDS (15 minutes) after the stranger stops, at the latest."""
    factories.UserFactory.create(username="admin", is_staff=True, is_superuser=True)
    outcomes: Counter[str] = Counter()
    waits = []
    for i in range(1000):
        try:
            sign_in(username="admin", password=f"guess-{i}", address=f"198.51.100.{i % 250}")
        except AuthenticationFailed:
            outcomes["checked"] += 1
        except RateLimited as refused:
            outcomes["refused"] += 1
            waits.append(refused.retry_after)
        clock.shift(1)
    assert max(waits) <= 900
    assert outcomes["checked"] < 25  # the delays let only a few guesses be checked
    assert outcomes["refused"] > 975
    assert (
        attempt(api, "admin", factories.DEFAULT_PASSWORD, address="192.0.2.10").status_code == 429
    )
    clock.shift(900)
    response = attempt(api, "admin", factories.DEFAULT_PASSWORD, address="192.0.2.10")
    assert response.status_code == 200, response.content


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ADDRESS=10_000)
def test_a_password_reset_lets_the_owner_in_at_once_during_an_attack(api, db, clock) -> None:
    user = factories.UserFactory.create(username="tom")
    for _ in range(12):
        attempt(api, "tom", "wrong")
        clock.shift(2)
    assert attempt(api, "tom", factories.DEFAULT_PASSWORD).status_code == 429
    password_was_reset(user=user)
    assert attempt(api, "tom", factories.DEFAULT_PASSWORD).status_code == 200


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ADDRESS=10_000)
def test_the_reset_link_clears_the_delay_through_the_pages(api, db, clock) -> None:
    factories.UserFactory.create(username="tom", email="tom@example.org")
    for _ in range(5):
        attempt(api, "tom", "wrong")
    client = Client()
    assert client.post("/password-reset/", {"email": "tom@example.org"}).status_code == 302
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password-reset/" in line)
    page = client.get(link.replace("http://testserver", ""), follow=True)
    response = client.post(
        page.request["PATH_INFO"],
        {"new_password1": "a-fresh-passphrase-9", "new_password2": "a-fresh-passphrase-9"},
    )
    assert response.status_code == 302
    assert attempt(api, "tom", "a-fresh-passphrase-9").status_code == 200


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ADDRESS=100)
def test_unknown_and_existing_accounts_answer_alike(api, db, clock) -> None:
    factories.UserFactory.create(username="tom")
    answers: list[list[tuple[int, dict[str, str]]]] = []
    for name in ("tom", "nobody"):
        responses = [
            attempt(api, name, "wrong", address=f"10.0.0.{len(answers) + 2}") for _ in range(4)
        ]
        answers.append([(r.status_code, r.json()) for r in responses])
    assert answers[0] == answers[1]


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ADDRESS=100)
def test_a_successful_sign_in_clears_the_account_counter(api, db, clock) -> None:
    factories.UserFactory.create(username="tom")
    for _ in range(2):
        attempt(api, "tom", "wrong")
    assert attempt(api, "tom", factories.DEFAULT_PASSWORD).status_code == 200
    for _ in range(2):
        assert attempt(api, "tom", "wrong").status_code == 400
    assert attempt(api, "tom", factories.DEFAULT_PASSWORD).status_code == 200


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=100, LOGIN_LIMIT_PER_ADDRESS=5)
def test_one_address_cannot_spray_many_accounts(api, db, clock) -> None:
    for i in range(5):
        assert attempt(api, f"user{i}", "guess").status_code == 400
    assert_error(attempt(api, "someone-else", "guess"), 429, "rate_limited")
    assert attempt(api, "someone-else", "guess", address="10.9.9.9").status_code == 400


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=10, LOGIN_LIMIT_PER_ADDRESS=5)
def test_only_failures_count_so_a_crowd_behind_one_address_is_never_refused(api, db) -> None:
    for i in range(105):
        factories.UserFactory.create(username=f"colleague{i}")
    for i in range(105):
        response = attempt(api, f"colleague{i}", factories.DEFAULT_PASSWORD, address="10.0.0.99")
        assert response.status_code == 200, (i, response.content)


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=10, LOGIN_LIMIT_PER_ADDRESS=100, TRUSTED_PROXY_COUNT=1)
def test_105_users_signing_in_through_a_trusted_proxy_are_never_refused(api, db) -> None:
    for i in range(105):
        factories.UserFactory.create(username=f"member{i}")
    # A stranger behind the same proxy exhausts their own address first.
    for i in range(120):
        attempt(api, f"member{i % 105}x", "guess", HTTP_X_FORWARDED_FOR="203.0.113.66")
    for i in range(105):
        response = attempt(
            api,
            f"member{i}",
            factories.DEFAULT_PASSWORD,
            address="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.51.100.{i % 200}",
        )
        assert response.status_code == 200, (i, response.content)


def address_of(remote: str, forwarded: str | None = None) -> str:
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(request)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (0, "192.0.2.1", "203.0.113.9", "192.0.2.1"),  # no proxy: the header is the client's
        (1, "10.0.0.2", "203.0.113.9", "203.0.113.9"),
        (1, "10.0.0.2", "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # a forged entry on the left
        (2, "10.0.0.3", "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "10.0.0.3", "203.0.113.9", "10.0.0.3"),  # did not come through both proxies
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "203.0.113.9:51234", "203.0.113.9"),
        (1, "10.0.0.2", "2001:db8::7", "2001:db8::7"),
        (1, "10.0.0.2", None, "10.0.0.2"),
    ],
)
def test_the_client_address_comes_from_trusted_proxies_only(
    proxies: int, remote: str, forwarded: str | None, client: str
) -> None:
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert address_of(remote, forwarded) == client


@pytest.mark.django_db(transaction=True)
@override_settings(LOGIN_LIMIT_PER_ACCOUNT=5, LOGIN_LIMIT_PER_ADDRESS=1000)
def test_the_limit_holds_under_concurrent_attempts() -> None:
    factories.UserFactory.create(username="target")

    def guess() -> str:
        try:
            sign_in(username="target", password="wrong", address="10.1.1.1")
        except AuthenticationFailed:
            return "checked"
        except RateLimited:
            return "limited"
        return "signed in"

    outcomes = race([guess for _ in range(16)])

    assert outcomes == Counter({"checked": 5, "limited": 11})
    assert LoginAttempts.objects.get(key=counter_key("sign-in:account", "target")).attempts == 5


def test_the_counters_hold_no_username_or_address_in_clear(api, db) -> None:
    factories.UserFactory.create(username="tom")
    attempt(api, "tom", "wrong", address="203.0.113.77")
    keys = list(LoginAttempts.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert not any("tom" in key or "203.0.113.77" in key for key in keys)


@override_settings(LOGIN_WINDOW_SECONDS=600)
def test_failures_are_forgotten_after_a_quiet_window(api, db, clock) -> None:
    factories.UserFactory.create(username="tom")
    attempt(api, "tom", "wrong")
    key = counter_key("sign-in:account", "tom")
    assert LoginAttempts.objects.get(key=key).attempts == 1
    clock.shift(601)
    attempt(api, "tom", "wrong")
    assert LoginAttempts.objects.get(key=key).attempts == 1


# Sign-up and password reset ----------------------------------------------------------------


def signup_body(programme: Programme, username: str, email: str) -> dict[str, str]:
    return {
        "username": username,
        "email": email,
        "password": "a-long-passphrase-2026",
        "join_code": programme.join_code,
        "role": "mentee",
    }


@override_settings(LOGIN_LIMIT_PER_ADDRESS=3)
def test_probing_sign_up_for_taken_names_is_limited_per_address(
    api, programme: Programme, clock
) -> None:
    factories.UserFactory.create(username="tom", email="tom@example.org")
    for i in range(3):
        response = api().post(
            "auth/signup/",
            signup_body(programme, "tom", f"x{i}@example.org"),
            REMOTE_ADDR="1.2.3.4",
        )
        assert_error(response, 400, "invalid")
    probe = api().post(
        "auth/signup/", signup_body(programme, "tom", "y@example.org"), REMOTE_ADDR="1.2.3.4"
    )
    assert_error(probe, 429, "rate_limited")
    other = api().post(
        "auth/signup/", signup_body(programme, "nia", "nia@example.org"), REMOTE_ADDR="5.6.7.8"
    )
    assert other.status_code == 201


@override_settings(LOGIN_LIMIT_PER_ADDRESS=3)
def test_successful_sign_ups_do_not_count(api, programme: Programme) -> None:
    for i in range(6):
        body = signup_body(programme, f"new{i}", f"new{i}@example.org")
        assert api().post("auth/signup/", body, REMOTE_ADDR="1.2.3.4").status_code == 201


@override_settings(LOGIN_LIMIT_PER_ADDRESS=3)
def test_the_sign_up_page_has_the_same_limit(programme: Programme, clock) -> None:
    factories.UserFactory.create(username="tom", email="tom@example.org")
    client = Client(REMOTE_ADDR="1.2.3.4")
    form = {
        "join_code": programme.join_code,
        "role": "mentee",
        "first_name": "T",
        "last_name": "S",
        "username": "tom",
        "email": "t@example.org",
        "password": "a-long-passphrase-2026",
    }
    for _ in range(3):
        assert "already exists" in client.post("/signup/", form).content.decode()
    assert "Too many sign-up attempts" in client.post("/signup/", form).content.decode()


@override_settings(LOGIN_LIMIT_PER_ADDRESS=3, LOGIN_LIMIT_PER_ACCOUNT=100)
def test_password_reset_requests_are_limited_per_address(api, db, clock) -> None:
    for i in range(3):
        response = api().post(
            "auth/password-reset/", {"email": f"who{i}@example.org"}, REMOTE_ADDR="1.2.3.4"
        )
        assert response.status_code == 202
    response = api().post("auth/password-reset/", {"email": "x@example.org"}, REMOTE_ADDR="1.2.3.4")
    assert_error(response, 429, "rate_limited")
    page = Client(REMOTE_ADDR="1.2.3.4").post("/password-reset/", {"email": "x@example.org"})
    assert page.status_code == 429
    assert "Too many reset requests" in page.content.decode()


@override_settings(LOGIN_LIMIT_PER_ADDRESS=1000, LOGIN_LIMIT_PER_ACCOUNT=3)
def test_a_mailbox_gets_a_few_links_then_silence_and_the_answer_never_changes(
    api, db, clock
) -> None:
    factories.UserFactory.create(username="tom", email="tom@example.org")
    answers = {
        api().post("auth/password-reset/", {"email": "tom@example.org"}).json()["detail"]
        for _ in range(8)
    }
    assert len(answers) == 1
    assert len(mail.outbox) == 3
    assert "/password-reset/" in mail.outbox[0].body
    unknown = api().post("auth/password-reset/", {"email": "nobody@example.org"})
    assert unknown.status_code == 202
    assert unknown.json()["detail"] in answers


def test_the_reset_link_comes_from_the_api_too(api, db) -> None:
    factories.UserFactory.create(username="tom", email="tom@example.org", first_name="Tom")
    assert api().post("auth/password-reset/", {"email": "TOM@example.org"}).status_code == 202
    assert mail.outbox[-1].to == ["tom@example.org"]
    assert "Hello Tom" in mail.outbox[-1].body
