"""Sign-in attempts are limited per account and per client address, with a shared counter."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import override_settings

from mentorship import factories
from mentorship.errors import AuthenticationFailed, RateLimited
from mentorship.models import LoginAttempts
from mentorship.services.auth import sign_in
from tests.api.conftest import assert_error
from tests.mentorship.test_concurrency import race


def attempt(api, username: str, password: str, address: str = "10.0.0.1"):
    return api().post(
        "auth/token/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ADDRESS=100)
def test_an_account_is_locked_after_too_many_attempts_even_with_the_right_password(api, db) -> None:
    user = factories.UserFactory.create(username="tom")
    for _ in range(3):
        assert_error(attempt(api, "tom", "wrong"), 400, "invalid_credentials")
    response = attempt(api, "tom", factories.DEFAULT_PASSWORD)
    body = assert_error(response, 429, "rate_limited")
    assert int(response["Retry-After"]) > 0
    assert "Too many sign-in attempts" in body["detail"]
    assert user.check_password(factories.DEFAULT_PASSWORD)


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ADDRESS=100)
def test_unknown_and_existing_accounts_answer_alike(api, db) -> None:
    factories.UserFactory.create(username="tom")
    answers: list[list[tuple[int, dict[str, str]]]] = []
    for name in ("tom", "nobody"):
        responses = [
            attempt(api, name, "wrong", address=f"10.0.0.{len(answers) + 2}") for _ in range(4)
        ]
        answers.append([(r.status_code, r.json()) for r in responses])
    assert answers[0] == answers[1]


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=3, LOGIN_LIMIT_PER_ADDRESS=100)
def test_a_successful_sign_in_clears_the_account_counter(api, db) -> None:
    factories.UserFactory.create(username="tom")
    for _ in range(2):
        attempt(api, "tom", "wrong")
    assert attempt(api, "tom", factories.DEFAULT_PASSWORD).status_code == 200
    for _ in range(2):
        assert attempt(api, "tom", "wrong").status_code == 400
    assert attempt(api, "tom", factories.DEFAULT_PASSWORD).status_code == 200


@override_settings(LOGIN_LIMIT_PER_ACCOUNT=100, LOGIN_LIMIT_PER_ADDRESS=5)
def test_one_address_cannot_spray_many_accounts(api, db) -> None:
    for i in range(5):
        assert attempt(api, f"user{i}", "guess").status_code == 400
    assert_error(attempt(api, "someone-else", "guess"), 429, "rate_limited")
    assert attempt(api, "someone-else", "guess", address="10.9.9.9").status_code == 400


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
    assert LoginAttempts.objects.get(key="account:target").attempts == 16
