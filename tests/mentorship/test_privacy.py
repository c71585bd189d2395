"""A person's data: all of it in one export, and an erasure that leaves none of it in the
database (checked on a full text dump), ends their access and keeps the other side's records."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.sessions.models import Session as BrowserSession
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from mentorship import factories, privacy
from mentorship.errors import AuthenticationFailed, Conflict, NotFound, PermissionDenied
from mentorship.models import (
    AuditEvent,
    IdempotencyKey,
    LoginAttempts,
    Membership,
    Mentorship,
    MentorshipStatus,
    Profile,
    Proposal,
    ProposalStatus,
    Role,
    Session,
    User,
)
from mentorship.services import privacy as services
from tests.api.conftest import assert_error
from tests.mentorship import privacy_world

PASSWORD = "a-long-passphrase-2026"


@pytest.fixture
def world(db: None) -> privacy_world.World:
    return privacy_world.build()


def exported(user: User) -> dict[str, Any]:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/me/export/")
    assert response.status_code == 200
    return response.json()


# Export ------------------------------------------------------------------------------------


def test_the_export_has_every_registered_category(world) -> None:
    data = exported(world.person)
    expected = {c.name for c in privacy.categories() if c.export is not None}
    assert expected <= set(data)
    assert data["format"] == privacy.EXPORT_FORMAT
    assert {"account", "profile", "questionnaire", "memberships", "match_requests"} <= set(data)
    assert {"proposals", "mentorships", "sessions", "introductions", "audit_events"} <= set(data)


def test_the_export_holds_the_persons_own_data(world) -> None:
    data = exported(world.person)
    text = json.dumps(data)
    for secret in world.secrets:
        if secret != "zq-retry-1":  # a technical key, not exported
            assert secret in text, secret
    assert data["account"]["email"] == "zeph.quill@example.org"
    assert data["profile"]["positions"][0]["title"] == "TITLE-zq-Quillmaster"
    assert data["questionnaire"]["answers"] == [5, 3, 6, 2, 7, 1, 4, 4, 6, 2]
    assert [m["role"] for m in data["memberships"]] == [Role.MENTEE]
    [session] = data["sessions"]
    assert (session["my_notes"], session["my_rating"]) == ("NOTE-zq-private-2", 5)
    actions = {e["action"] for e in data["audit_events"]}
    assert {"join", "update", "personality_consent", "request", "decline", "log"} <= actions


def test_the_export_says_nothing_about_others_they_do_not_see(world) -> None:
    text = json.dumps(exported(world.person))
    assert world.mentor_note not in text  # the mentor's private notes on their session
    assert "4" not in [str(s["my_rating"]) for s in exported(world.person)["sessions"]]
    assert world.mentor.email not in text
    assert world.other_mentor.email not in text
    assert "reports to Omar" not in text  # a coordinator's exclusion note
    assert "carol" not in text  # the coordinator who acted is "other", never named
    by = {e["by"] for e in exported(world.person)["audit_events"]}
    assert by <= {"you", "other", "system"}


def test_a_mentor_exports_only_requests_sent_to_them(world) -> None:
    suggested_only = factories.ProposalFactory.create(
        programme=world.programme, mentor=world.mentor, status=ProposalStatus.SUGGESTED
    )
    data = exported(world.mentor)
    ids = {p["id"] for p in data["proposals"]}
    assert suggested_only.pk not in ids
    [session] = data["sessions"]
    assert session["my_notes"] == world.mentor_note


def test_every_export_is_audited(world) -> None:
    exported(world.person)
    event = AuditEvent.objects.filter(action="export").get()
    assert (event.actor, event.object_type, event.object_id) == (
        world.person,
        "user",
        world.person.pk,
    )


def test_the_export_is_plain_json_and_never_cached(world) -> None:
    client = Client()
    client.force_login(world.person)
    response = client.get("/api/v1/me/export/")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]


# Erasure -----------------------------------------------------------------------------------


def erase_over_http(world) -> tuple[Any, Client]:
    browser = Client()
    browser.force_login(world.person)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.token}")
    response = api.post("/api/v1/me/erase/", {"password": PASSWORD}, format="json")
    return response, browser


def database_text() -> str:
    """Every row of every table, as text: SQLite's `.dump`, or `pg_dump` on PostgreSQL."""
    if connection.vendor == "sqlite":
        return "\n".join(connection.connection.iterdump())
    settings = connection.settings_dict
    pg_dump = shutil.which("pg_dump")
    assert pg_dump, "pg_dump is needed for the PostgreSQL dump check"
    result = subprocess.run(
        [
            pg_dump,
            "--data-only",
            "--no-owner",
            f"--host={settings['HOST'] or '127.0.0.1'}",
            f"--port={settings['PORT'] or 5432}",
            f"--username={settings['USER']}",
            settings["NAME"],
        ],
        capture_output=True,
        text=True,
        check=True,
        env={"PGPASSWORD": settings.get("PASSWORD") or ""},
    )
    return result.stdout


@pytest.mark.django_db(transaction=True)
def test_after_erasure_a_full_dump_of_the_database_holds_none_of_the_person() -> None:
    world = privacy_world.build()
    before = database_text()
    assert all(secret in before for secret in world.secrets)  # the check can fail

    response, _browser = erase_over_http(world)

    assert response.status_code == 204, response.content
    dump = database_text()
    left = [secret for secret in (*world.secrets, "zeph") if secret.lower() in dump.lower()]
    assert not left, f"still in the database after erasure: {left}"
    assert "Former participant" in dump


def test_after_erasure_the_old_token_and_session_are_dead(world) -> None:
    response, browser = erase_over_http(world)
    assert response.status_code == 204
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {world.token}")
    assert_error(api.get("/api/v1/me/profile/"), 401)
    assert browser.get("/api/v1/me/profile/").status_code == 401  # the session is gone too
    assert "Hello" not in browser.get("/").content.decode()
    assert not BrowserSession.objects.exists()
    person = User.objects.get(pk=world.person.pk)
    assert not person.has_usable_password()
    assert not person.is_active
    assert person.erased_at is not None
    sign_in = APIClient().post(
        "/api/v1/auth/token/", {"username": "zeph", "password": PASSWORD}, format="json"
    )
    assert_error(sign_in, 400, "invalid_credentials")


def test_the_counterparts_records_stay_consistent(world) -> None:
    assert erase_over_http(world)[0].status_code == 204
    mentorship = Mentorship.objects.get(pk=world.mentorship.pk)
    assert mentorship.status == MentorshipStatus.ENDED  # Maria's place is freed
    assert mentorship.mentee.display_name == "Former participant"
    assert "left the platform" in mentorship.end_reason
    session = Session.objects.get(mentorship=mentorship)
    assert session.mentee_notes == ""
    assert session.mentee_rating is None
    assert session.mentor_rating == 4
    assert session.mentor_notes == (
        "Former participant is worried about the board; Former participant will practise."
    )
    waiting = Proposal.objects.get(pk=world.waiting.pk)
    assert waiting.status == ProposalStatus.WITHDRAWN  # Theo is not left waiting
    declined = Proposal.objects.get(mentee=world.person, status=ProposalStatus.DECLINED)
    assert declined.decline_reason == "Sorry Former participant, I am full."
    assert not Profile.objects.filter(user=world.person).exists()
    assert not Membership.objects.filter(user=world.person).exists()
    # What the mentor sees of the mentorship over the API.
    client = APIClient()
    client.force_authenticate(world.mentor)
    body = client.get(f"/api/v1/mentorships/{world.mentorship.pk}/").json()
    assert body["mentee"]["name"] == "Former participant"
    assert body["status"] == "ended"


def test_the_erasure_is_audited_without_naming_anyone(world) -> None:
    assert erase_over_http(world)[0].status_code == 204
    event = AuditEvent.objects.get(action="erase")
    assert (event.actor_id, event.object_type, event.object_id) == (
        world.person.pk,
        "user",
        world.person.pk,
    )
    assert event.data == {"by": "self"}


def test_erasure_clears_the_admin_log_the_sign_in_counters_and_the_keys(world) -> None:
    assert LoginAttempts.objects.exists()
    assert IdempotencyKey.objects.exists()
    assert erase_over_http(world)[0].status_code == 204
    entry = LogEntry.objects.get()
    assert "Zephyrine" not in entry.object_repr + entry.change_message
    assert "zeph.quill" not in entry.change_message
    assert not IdempotencyKey.objects.filter(user=world.person).exists()
    assert not LoginAttempts.objects.filter(key__startswith="sign-in:account").exists()


def test_a_wrong_password_erases_nothing(world) -> None:
    api = APIClient()
    api.force_authenticate(world.person)
    body = assert_error(
        api.post("/api/v1/me/erase/", {"password": "not it"}, format="json"),
        400,
        "invalid_credentials",
    )
    assert "password" in body["fields"]
    assert User.objects.get(pk=world.person.pk).erased_at is None
    assert Profile.objects.filter(user=world.person).exists()


def test_the_last_coordinator_cannot_leave_a_programme_without_one(world) -> None:
    with pytest.raises(Conflict, match="no coordinator left"):
        services.erase_myself(
            actor=world.coordinator, password=factories.DEFAULT_PASSWORD, address="x"
        )
    api = APIClient()
    api.force_authenticate(world.coordinator)
    response = api.post(
        "/api/v1/me/erase/", {"password": factories.DEFAULT_PASSWORD}, format="json"
    )
    assert_error(response, 409, "conflict")


def test_a_coordinator_erases_a_member_of_their_programme(world) -> None:
    client = APIClient()
    client.force_authenticate(world.coordinator)
    path = f"/api/v1/programmes/{world.programme.slug}/members/{world.person.pk}/erase/"
    response = client.post(path, {"password": factories.DEFAULT_PASSWORD}, format="json")
    assert response.status_code == 204, response.content
    person = User.objects.get(pk=world.person.pk)
    assert person.display_name == "Former participant"
    event = AuditEvent.objects.get(action="erase")
    assert (event.actor, event.data) == (world.coordinator, {"by": "coordinator"})
    assert_error(client.post(path, {"password": factories.DEFAULT_PASSWORD}, format="json"), 404)


def test_a_coordinator_cannot_erase_someone_who_is_also_elsewhere(world, other_programme) -> None:
    Membership.objects.create(user=world.person, programme=other_programme, role=Role.MENTEE)
    with pytest.raises(PermissionDenied, match="do not coordinate"):
        services.erase_member(
            actor=world.coordinator,
            programme=world.programme,
            person_id=world.person.pk,
            password=factories.DEFAULT_PASSWORD,
            address="x",
        )
    assert User.objects.get(pk=world.person.pk).erased_at is None


def test_nobody_else_erases_a_member(world, outsider, other_coordinator) -> None:
    staff_member = factories.member(world.programme, Role.MENTOR, username="sam", is_staff=True)
    cases = [
        (world.mentor, world.person.pk, PermissionDenied),
        (other_coordinator, world.person.pk, NotFound),
        (world.coordinator, staff_member.pk, PermissionDenied),
        (world.coordinator, outsider.pk, NotFound),
        (world.coordinator, world.coordinator.pk, Conflict),
    ]
    for actor, person_id, refusal in cases:
        with pytest.raises(refusal):
            services.erase_member(
                actor=actor,
                programme=world.programme,
                person_id=person_id,
                password=factories.DEFAULT_PASSWORD,
                address="x",
            )
    with pytest.raises(AuthenticationFailed):
        services.erase_member(
            actor=world.coordinator,
            programme=world.programme,
            person_id=world.person.pk,
            password="wrong",
            address="x",
        )
    assert not AuditEvent.objects.filter(action="erase").exists()


def test_an_administrator_erases_from_the_admin(world) -> None:
    root = User.objects.get(username="root")
    client = Client()
    client.force_login(root)
    changelist = "/admin/mentorship/user/"
    confirm = client.post(
        changelist, {"action": "erase_personal_data", "_selected_action": [world.person.pk]}
    )
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    assert User.objects.get(pk=world.person.pk).erased_at is None
    done = client.post(
        changelist,
        {"action": "erase_personal_data", "_selected_action": [world.person.pk], "confirm": "yes"},
    )
    assert done.status_code == 302
    assert User.objects.get(pk=world.person.pk).erased_at is not None
    assert AuditEvent.objects.get(action="erase").data == {"by": "admin"}
    # Deleting would cascade into the other side's records: the admin offers erasure instead.
    assert client.get(f"{changelist}{world.person.pk}/delete/").status_code == 403
    assert "Zephyrine" not in "".join(LogEntry.objects.values_list("object_repr", flat=True))


def test_the_export_after_erasure_is_empty_of_the_person(world) -> None:
    services.erase_by_administrator(actor=User.objects.get(username="root"), person=world.person)
    person = User.objects.get(pk=world.person.pk)
    text = json.dumps(services.export_data(actor=person), cls=DjangoJSONEncoder)
    assert not any(secret in text for secret in world.secrets)


def test_matching_without_consent_is_matching_without_the_answers(programme, mentor, mentee):
    """Withdrawing consent erases the answers, so a ranking afterwards is the ranking of a mentee
    who never answered: the engine gets no personality at all."""
    from mentorship import matching_adapter
    from mentorship.services.profiles import save_personality, withdraw_personality

    other = factories.member(programme, Role.MENTOR, username="omar", capacity=2, seniority=4)
    for person in (mentor, other, mentee):
        person.profile.languages = ["en"]
        person.profile.save()
    factories.PersonalityFactory.create(profile=mentor.profile, answers=[7, 1] * 5)
    factories.PersonalityFactory.create(profile=other.profile, answers=[1, 7] * 5)
    never_answered = matching_adapter.rank_mentors(programme=programme, mentee=mentee, top=5)
    save_personality(actor=mentee, answers=[7, 1] * 5, consent=True)
    with_consent = matching_adapter.rank_mentors(programme=programme, mentee=mentee, top=5)
    withdraw_personality(actor=mentee)
    withdrawn = matching_adapter.rank_mentors(programme=programme, mentee=mentee, top=5)

    def summary(ranking: Any) -> list[tuple[str, float, dict[str, float]]]:
        return [(p.mentor, p.score, dict(p.components)) for p in ranking]

    assert summary(withdrawn) == summary(never_answered)
    assert summary(with_consent) != summary(never_answered)  # the answers did matter
