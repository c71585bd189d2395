"""Prepare the API fuzzing leg: two users per role, their API tokens, schemathesis auth files.

Run by `.ci/fuzz_api.sh` against a freshly seeded demo database, in two steps:

  fuzz_setup.py users OUT.json
      (Django, no server) picks the fuzzing identities from the demo and writes them to OUT.json:
      the demo `mentee` and `newcomer`, the demo `mentor` and the busiest other mentor, the demo
      `coordinator` and a second coordinator of the same programme (created here, like the demo
      one), plus a throwaway `fuzz-logout` mentee whose token the logout operation may revoke.

  fuzz_setup.py tokens BASE_URL USERS.json AUTH_DIR
      (HTTP, live server) signs each identity in through `POST /api/v1/auth/token/` and writes
      two Web Fuzzing Commons auth documents for schemathesis:
        AUTH_DIR/users.json   the six identities as fixed `Authorization: Token …` headers
        AUTH_DIR/logout.json  `fuzz-logout`, signing in again whenever its token was revoked

Tokens are fetched once, before any fuzzing, so the login rate limit (per account and per
address) cannot block them; fuzzing the token endpoint afterwards may run into 429, which that
operation documents.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

PASSWORD = "mentoring-demo-2026"
SLUG = "pmo-network"
# Document order matters: schemathesis tries identities in this order per operation and moves on
# from one the operation refuses (401/403). A coordinator first means the ids schemathesis learns
# from list responses are real objects of the programme, which the other identities then probe.
ORDER = ("coordinator", "mentor", "mentee", "coordinator2", "mentor2", "mentee2")
LOGOUT_USER = "fuzz-logout"


def pick_users(out: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    import django

    django.setup()
    from django.db.models import Count, Q

    from mentorship import factories
    from mentorship.models import (
        Membership,
        MentorshipStatus,
        Programme,
        ProposalStatus,
        Role,
        User,
    )

    programme = Programme.objects.get(slug=SLUG)

    def member(username: str, role: str) -> User:
        user = User.objects.get(username=username)
        assert Membership.objects.filter(user=user, programme=programme, role=role).exists(), (
            f"demo user {username} is not a {role} of {SLUG}"
        )
        return user

    def new_member(username: str, role: str, **extra: Any) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            # The factories' password is the demo one.
            user = factories.UserFactory.create(
                username=username, email=f"{username}@demo.example.org", **extra
            )
            factories.ProfileFactory.create(user=user, capacity=0)
        Membership.objects.get_or_create(user=user, programme=programme, role=role)
        return user

    mentor2 = (
        User.objects.filter(memberships__programme=programme, memberships__role=Role.MENTOR)
        .exclude(username="mentor")
        .exclude(memberships__role__in=[Role.MENTEE, Role.COORDINATOR])
        .annotate(
            active=Count(
                "mentorships_as_mentor",
                filter=Q(mentorships_as_mentor__status=MentorshipStatus.ACTIVE),
                distinct=True,
            ),
            requested=Count(
                "proposals_as_mentor",
                filter=Q(proposals_as_mentor__status=ProposalStatus.REQUESTED),
                distinct=True,
            ),
        )
        .order_by("-active", "-requested", "username")
        .first()
    )
    assert mentor2 is not None, "the demo has no second mentor"
    # Like the demo coordinator (staff, so programme creation is open to both coordinators).
    coordinator2 = new_member(
        "coordinator2", Role.COORDINATOR, first_name="Cora", last_name="Second", is_staff=True
    )
    new_member("fuzz-logout", Role.MENTEE, first_name="Lou", last_name="Gout")
    users = {
        "coordinator": member("coordinator", Role.COORDINATOR).username,
        "coordinator2": coordinator2.username,
        "mentor": member("mentor", Role.MENTOR).username,
        "mentor2": mentor2.username,
        "mentee": member("mentee", Role.MENTEE).username,
        "mentee2": member("newcomer", Role.MENTEE).username,
        LOGOUT_USER: LOGOUT_USER,
    }
    out.write_text(json.dumps(users, indent=2))
    for name, username in users.items():
        print(f"fuzzing identity {name}: {username}")


def fetch_token(base: str, username: str) -> str:
    request = urllib.request.Request(
        base + "/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return str(json.load(response)["token"])
    except urllib.error.HTTPError as exc:
        sys.exit(f"sign-in as {username} failed: {exc.code} {exc.read()[:300]!r}")


def write_auth(base: str, users_file: Path, auth_dir: Path) -> None:
    users = json.loads(users_file.read_text())
    entries = []
    for name in ORDER:
        token = fetch_token(base, users[name])
        entries.append(
            {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Token {token}"}]}
        )
    auth_dir.mkdir(parents=True, exist_ok=True)
    (auth_dir / "users.json").write_text(json.dumps({"auth": entries}, indent=2))
    # Logging out deletes the caller's token, so that operation gets its own identity which signs in
    # again (schemathesis re-authenticates on 401) instead of revoking a token the rest relies on.
    logout = {
        "auth": [
            {
                "name": LOGOUT_USER,
                "loginEndpointAuth": {
                    "endpoint": "/api/v1/auth/token/",
                    "verb": "POST",
                    "contentType": "application/json",
                    "payloadUserPwd": {
                        "username": users[LOGOUT_USER],
                        "password": PASSWORD,
                        "usernameField": "username",
                        "passwordField": "password",
                    },
                    "token": {
                        "extractFrom": "body",
                        "extractSelector": "/token",
                        "sendIn": "header",
                        "sendName": "Authorization",
                        "sendTemplate": "Token {token}",
                    },
                },
            }
        ]
    }
    (auth_dir / "logout.json").write_text(json.dumps(logout, indent=2))
    print(f"API tokens for {', '.join(ORDER)}; auth documents in {auth_dir}")


def main() -> None:
    match sys.argv[1:]:
        case ["users", out]:
            pick_users(Path(out))
        case ["tokens", base, users_file, auth_dir]:
            write_auth(base.rstrip("/"), Path(users_file), Path(auth_dir))
        case _:
            sys.exit(__doc__)


if __name__ == "__main__":
    main()
