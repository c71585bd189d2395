"""`seed_demo` on a server with DEBUG off: refused unless the operator says the server is public,
and then nobody keeps the published password or the published join code."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from mentorship import demo, factories
from mentorship.models import Programme, User


def test_the_demo_is_refused_with_debug_off(db: None) -> None:
    with pytest.raises(CommandError, match="--i-know-this-is-public"):
        call_command("seed_demo")
    with pytest.raises(CommandError, match="published password"):
        call_command("seed_demo", "--if-empty")
    assert not Programme.objects.exists()
    assert not User.objects.exists()


@pytest.mark.slow
def test_a_public_demo_has_random_passwords_printed_once_and_a_random_join_code(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("seed_demo", "--i-know-this-is-public")
    first = capsys.readouterr().out
    logins = [line.split() for line in first.splitlines() if line.startswith("login: ")]
    assert [username for _, _, username, _ in logins] == [d.username for d in demo.LOGINS]

    for _, _, username, password in logins:
        assert password != factories.DEFAULT_PASSWORD
        assert len(password) >= 16
        assert User.objects.get(username=username).check_password(password)
    assert len({password for *_, password in logins}) == len(logins)
    nobody_else = User.objects.exclude(username__in=[d.username for d in demo.LOGINS])
    assert nobody_else.count() > 150
    assert not any(user.has_usable_password() for user in nobody_else)
    assert not any(u.check_password(factories.DEFAULT_PASSWORD) for u in User.objects.all())
    programme = Programme.objects.get(slug=demo.SLUG)
    assert programme.join_code != demo.JOIN_CODE
    assert f"join code {programme.join_code}" in first

    call_command("seed_demo", "--i-know-this-is-public")
    second = capsys.readouterr().out
    assert "already loaded" in second
    assert "login:" not in second
    for _, _, _, password in logins:
        assert password not in second
