"""The bad-input battery: every endpoint of the API, and every form of the pages, gets oversized,
deeply nested, invalid UTF-8, NUL-containing, wrong-type and wrong-content-type bodies (and junk
query strings): never a 5xx, and every API refusal in the error shape."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from tests.api.conftest import assert_error
from tests.api.test_authorization_matrix import ROLES, ROWS, Row, World, build_world

BIG = b'{"text": "' + b"x" * 300_000 + b'"}'
BODIES: list[tuple[str, bytes, str]] = [
    ("oversized", BIG, "application/json"),
    ("oversized-array", b"[" + b"1," * 200_000 + b"1]", "application/json"),
    ("nested-arrays", b"[" * 5000 + b"]" * 5000, "application/json"),
    ("nested-objects", b'{"a":' * 2000 + b"1" + b"}" * 2000, "application/json"),
    ("nested-just-too-deep", b'{"a":' * 40 + b"1" + b"}" * 40, "application/json"),
    ("invalid-utf8", b'{"message": "\xff\xfe\xfa", "reason": "\xc3\x28"}', "application/json"),
    ("utf16", '{"message": "hé"}'.encode("utf-16"), "application/json"),
    (
        "nul-escaped",
        b'{"message": "a\\u0000b", "reason": "\\u0000", "name": "\\u0000"}',
        "application/json",
    ),
    ("nul-raw", b'{"message": "a\x00b"}', "application/json"),
    ("nul-key", b'{"\\u0000": 1, "goals": 5}', "application/json"),
    ("truncated", b'{"message": ', "application/json"),
    ("empty", b"", "application/json"),
    ("array", b"[]", "application/json"),
    ("string", b'"hello"', "application/json"),
    ("number", b"12345678901234567890123456789", "application/json"),
    ("null", b"null", "application/json"),
    (
        "wrong-types",
        b'{"date": 5, "duration_minutes": "x", "format": [], "topics": {"a": 1},'
        b' "notes": 3, "rating": true, "reason": ["x"], "message": {}, "password": 1,'
        b' "answers": "x", "consent": "yes", "mode": 3, "programme": [], "email": 5,'
        b' "username": null, "positions": {"x": 1}, "contact_member": "x", "cadence_days": 1e400,'
        b' "id": {"$gt": 1}}',
        "application/json",
    ),
    (
        "huge-numbers",
        b'{"duration_minutes": 1e308, "rating": -9223372036854775809,'
        b' "cadence_days": 99999999999999999999, "contact_member": 1.5}',
        "application/json",
    ),
    ("plain-text", b"message=hello", "text/plain"),
    ("form", b"message=hello&reason=%ff%00", "application/x-www-form-urlencoded"),
    ("multipart-junk", b"--x\r\nnot really\r\n", "multipart/form-data; boundary=x"),
    ("multipart-no-boundary", b"whatever", "multipart/form-data"),
    ("xml", b"<message>hi</message>", "application/xml"),
    ("json-wrong-charset", b'{"message": "hi"}', "application/json; charset=klingon"),
]
QUERIES = ["?status=%ff%00", "?page=%00", "?page_size=-1", "?programme=%ff", "?page=1e9"]


def caller(row: Row) -> str:
    """A role the endpoint serves (so validation runs, not only authorization)."""
    if row.anonymous < 400:
        return "anonymous"
    # Nobody of the world may create programmes (staff only): the mentee is refused early.
    return next((role for role in ROLES[1:] if row.own[role] < 400), "mentee")


def url(row: Row, world: World) -> str:
    path = row.path
    if row.obj:
        obj = world.objects[row.obj][0]
        programme = obj if row.obj == "programme" else getattr(obj, "programme", None)
        path = path.format(obj=obj.pk, slug=getattr(programme, "slug", ""))
    return f"/api/v1/{path}"


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def answers(client: Any, method: str, path: str) -> list[tuple[str, Any]]:
    results = []
    cases = [(label, body, content_type) for label, body, content_type in BODIES]
    if method == "GET":
        cases += [(f"query {q}", b"", "application/json") for q in QUERIES]
    for label, body, content_type in cases:
        target = path + label[6:] if label.startswith("query ") else path
        savepoint = transaction.savepoint()
        try:
            response = client.generic(method, target, body, content_type=content_type)
        finally:
            transaction.savepoint_rollback(savepoint)
        results.append((label, response))
    return results


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r.method} {r.path}")
def test_no_bad_body_gets_a_server_error_from_any_endpoint(
    world: World, db: None, row: Row
) -> None:
    role = caller(row)
    client = APIClient()
    if world.users[role] is not None:
        client.force_authenticate(world.users[role])
    failures = []
    for label, response in answers(client, row.method, url(row, world)):
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code} {response.content[:200]!r}")
        elif response.status_code >= 400:
            assert_error(response, response.status_code)
    assert not failures, "\n".join(failures)


def test_the_battery_reaches_validation_not_only_the_door(world: World, db: None) -> None:
    """The battery would notice: bad bodies get 400/415 (not 401/403/404) on a served route."""
    row = next(r for r in ROWS if (r.name, r.method) == ("api-mentorship-sessions", "POST"))
    client = APIClient()
    client.force_authenticate(world.users[caller(row)])
    statuses = {
        label: response.status_code for label, response in answers(client, "POST", url(row, world))
    }
    assert statuses["oversized"] == 400
    assert statuses["nested-arrays"] == 400
    assert statuses["invalid-utf8"] == 400
    assert statuses["nul-escaped"] == 400
    assert statuses["wrong-types"] == 400
    assert statuses["plain-text"] == 415


PAGE_FORMS = [
    "/signup/",
    "/login/",
    "/join/",
    "/password-reset/",
    "/my-data/erase/",
    "/logout/",
    "/admin/login/",
]


@pytest.mark.parametrize("path", PAGE_FORMS)
def test_no_bad_body_gets_a_server_error_from_the_pages(world: World, db: None, path: str) -> None:
    client = Client()
    client.force_login(world.users["mentee"])
    failures = []
    for label, body, content_type in BODIES:
        savepoint = transaction.savepoint()
        try:
            response = client.generic("POST", path, body, content_type=content_type)
        finally:
            transaction.savepoint_rollback(savepoint)
        if response.status_code >= 500:
            failures.append(f"{label}: {response.status_code}")
        client.force_login(world.users["mentee"])  # /logout/ signs out
    assert not failures, "\n".join(failures)
