"""Programmes, join codes, sign-up, roles and exclusions."""

from __future__ import annotations

from typing import Any

import pytest

from mentorship.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mentorship.models import AuditEvent, Exclusion, Membership, Profile, Programme, Role, User
from mentorship.services import programmes as services
from mentorship.services.programmes import JOIN_CODE_ALPHABET, new_join_code

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-9"


def signing_up(programme: Programme, **overrides: Any) -> dict[str, Any]:
    return {
        "username": "nina",
        "email": "nina@example.org",
        "password": PASSWORD,
        "join_code": programme.join_code,
        "role": Role.MENTEE,
        **overrides,
    }


# Join codes -------------------------------------------------------------------------------


def test_join_codes_are_easy_to_read_aloud_and_differ():
    codes = {new_join_code() for _ in range(200)}

    assert len(codes) == 200
    for code in codes:
        left, right = code.split("-")
        assert len(left) == len(right) == 4
        assert set(left + right) <= set(JOIN_CODE_ALPHABET)
        assert not set(code) & set("01OI")


def test_regenerating_the_join_code_retires_the_old_one(programme, coordinator, audit_of):
    old = programme.join_code

    services.regenerate_join_code(actor=coordinator, programme=programme)

    programme.refresh_from_db()
    assert programme.join_code != old
    [event] = audit_of(programme)
    assert (event.actor, event.action) == (coordinator, "regenerate_join_code")
    with pytest.raises(ValidationFailed):
        services.sign_up(**signing_up(programme, join_code=old))
    services.sign_up(**signing_up(programme))


@pytest.mark.parametrize(
    ("who", "error"),
    [("mentor", PermissionDenied), ("mentee", PermissionDenied), ("outsider", NotFound)],
)
def test_only_coordinators_regenerate_the_join_code(request, programme, who, error):
    actor = request.getfixturevalue(who)
    old = programme.join_code

    with pytest.raises(error):
        services.regenerate_join_code(actor=actor, programme=programme)

    programme.refresh_from_db()
    assert programme.join_code == old
    assert not AuditEvent.objects.filter(action="regenerate_join_code").exists()


# Sign-up ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.MENTEE, Role.MENTOR])
def test_sign_up_creates_the_account_profile_and_membership(programme, audit_of, role):
    user = services.sign_up(
        **signing_up(
            programme,
            username=" nina ",
            email=" Nina@Example.org ",
            join_code=f"  {programme.join_code.lower()} ",
            role=role,
            first_name="Nina",
        )
    )

    user.refresh_from_db()
    # Django normalises the domain of the address, not the local part.
    assert (user.username, user.email, user.first_name) == ("nina", "Nina@example.org", "Nina")
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert Profile.objects.filter(user=user).exists()
    membership = Membership.objects.get(user=user)
    assert (membership.programme, membership.role) == (programme, role)
    [event] = audit_of(membership)
    assert (event.actor, event.action, event.to_state, event.programme_id) == (
        user,
        "join",
        role,
        programme.pk,
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"join_code": "NOPE-NOPE"}, "join_code"),
        ({"join_code": ""}, "join_code"),
        ({"role": Role.COORDINATOR}, "role"),  # coordinators are appointed, not self-made
        ({"role": "admin"}, "role"),
        ({"email": ""}, "email"),
        ({"email": "not-an-address"}, "email"),
        ({"email": "TOM@example.org"}, "email"),  # the mentee persona's, in capitals
        ({"username": "tom"}, "username"),
        ({"username": "TOM"}, "username"),
        ({"username": "has space"}, "username"),
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),  # too common
        ({"password": "8675309123"}, "password"),  # entirely numeric
        ({"password": "nina@example.org"}, "password"),  # too like the e-mail
    ],
)
def test_sign_up_refuses_bad_input_and_creates_nothing(programme, mentee, overrides, field):
    users_before = User.objects.count()

    with pytest.raises(ValidationFailed) as error:
        services.sign_up(**signing_up(programme, **overrides))

    assert field in error.value.fields
    assert User.objects.count() == users_before
    assert not Membership.objects.filter(user__username__iexact="nina").exists()
    assert not AuditEvent.objects.exists()


def test_a_closed_programme_refuses_sign_ups(programme):
    programme.is_open = False
    programme.save()

    with pytest.raises(ValidationFailed) as error:
        services.sign_up(**signing_up(programme))

    assert "join_code" in error.value.fields
    assert not User.objects.filter(username="nina").exists()


# Joining and leaving ----------------------------------------------------------------------


def test_an_existing_user_joins_another_programme_once(outsider, programme, audit_of):
    first = services.join_programme(user=outsider, join_code=programme.join_code, role=Role.MENTOR)
    again = services.join_programme(user=outsider, join_code=programme.join_code, role=Role.MENTOR)

    assert first == again
    assert Membership.objects.filter(user=outsider, programme=programme).count() == 1
    [event] = audit_of(first)
    assert (event.actor, event.action, event.to_state) == (outsider, "join", Role.MENTOR)


def test_a_member_takes_a_second_role_in_the_same_programme(mentee, programme):
    services.join_programme(user=mentee, join_code=programme.join_code, role=Role.MENTOR)

    assert set(Membership.objects.filter(user=mentee).values_list("role", flat=True)) == {
        Role.MENTEE,
        Role.MENTOR,
    }


@pytest.mark.parametrize(
    ("code", "role", "field"),
    [("WRONG-CODE", Role.MENTEE, "join_code"), (None, Role.COORDINATOR, "role")],
)
def test_join_programme_refuses_a_bad_code_or_a_coordinator_role(
    outsider, programme, code, role, field
):
    with pytest.raises(ValidationFailed) as error:
        services.join_programme(user=outsider, join_code=code or programme.join_code, role=role)

    assert field in error.value.fields
    assert not Membership.objects.filter(user=outsider, programme=programme).exists()


def test_join_programme_refuses_a_closed_programme(outsider, programme):
    programme.is_open = False
    programme.save()

    with pytest.raises(ValidationFailed):
        services.join_programme(user=outsider, join_code=programme.join_code, role=Role.MENTEE)

    assert not Membership.objects.filter(user=outsider, programme=programme).exists()


def test_a_coordinator_appoints_another_coordinator(programme, coordinator, mentor, audit_of):
    membership = services.add_coordinator(actor=coordinator, programme=programme, user=mentor)

    assert membership.role == Role.COORDINATOR
    [event] = audit_of(membership)
    assert (event.actor, event.action, event.to_state) == (coordinator, "join", Role.COORDINATOR)


@pytest.mark.parametrize(
    ("who", "error"),
    [("mentor", PermissionDenied), ("outsider", NotFound), ("other_coordinator", NotFound)],
)
def test_only_a_coordinator_appoints_coordinators(request, programme, mentee, who, error):
    actor = request.getfixturevalue(who)

    with pytest.raises(error):
        services.add_coordinator(actor=actor, programme=programme, user=actor)

    assert not Membership.objects.filter(user=actor, role=Role.COORDINATOR, programme=programme)


def test_a_member_gives_up_their_own_role(programme, mentee, audit_of):
    membership = Membership.objects.get(user=mentee, programme=programme)
    pk = membership.pk

    services.leave_role(actor=mentee, membership=membership)

    assert not Membership.objects.filter(pk=pk).exists()
    [event] = AuditEvent.objects.filter(object_type="membership", object_id=pk)
    assert (event.actor, event.action, event.from_state) == (mentee, "leave", Role.MENTEE)


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("coordinator", None),
        ("peer_mentee", PermissionDenied),
        ("mentor", PermissionDenied),
        ("outsider", NotFound),
        ("other_coordinator", NotFound),
    ],
)
def test_only_a_coordinator_removes_someone_elses_role(request, programme, mentee, who, error):
    actor = request.getfixturevalue(who)
    membership = Membership.objects.get(user=mentee, programme=programme)

    if error is None:
        services.leave_role(actor=actor, membership=membership)
    else:
        with pytest.raises(error):
            services.leave_role(actor=actor, membership=membership)

    assert Membership.objects.filter(user=mentee).exists() is (error is not None)


def test_the_last_coordinator_cannot_leave(programme, coordinator, mentor):
    own = Membership.objects.get(user=coordinator, programme=programme)
    with pytest.raises(Conflict):
        services.leave_role(actor=coordinator, membership=own)
    assert Membership.objects.filter(pk=own.pk).exists()

    services.add_coordinator(actor=coordinator, programme=programme, user=mentor)
    services.leave_role(actor=coordinator, membership=own)

    assert list(
        Membership.objects.filter(programme=programme, role=Role.COORDINATOR).values_list(
            "user", flat=True
        )
    ) == [mentor.pk]


# Exclusions -------------------------------------------------------------------------------


def test_a_coordinator_keeps_a_pair_apart(programme, coordinator, mentee, mentor, audit_of):
    exclusion = services.add_exclusion(
        actor=coordinator,
        programme=programme,
        mentee=mentee,
        mentor=mentor,
        reason=Exclusion.Reason.REPORTING_LINE,
        note=" Maria manages Tom. ",
    )

    exclusion.refresh_from_db()
    assert (exclusion.note, exclusion.created_by) == ("Maria manages Tom.", coordinator)
    [event] = audit_of(exclusion)
    assert (event.actor, event.action, event.programme_id) == (coordinator, "create", programme.pk)

    with pytest.raises(Conflict):
        services.add_exclusion(
            actor=coordinator, programme=programme, mentee=mentee, mentor=mentor, reason="other"
        )
    assert Exclusion.objects.count() == 1


def test_exclusions_refuse_non_members_bad_reasons_and_non_coordinators(
    programme, coordinator, mentee, peer_mentee, mentor, outsider
):
    cases: list[tuple[User, User, User, str, type[Exception]]] = [
        (coordinator, outsider, mentor, "conflict", NotFound),  # not a mentee here
        (coordinator, mentee, peer_mentee, "conflict", NotFound),  # not a mentor here
        (coordinator, mentee, mentor, "dislike", ValidationFailed),
        (mentor, mentee, mentor, "conflict", PermissionDenied),
        (outsider, mentee, mentor, "conflict", NotFound),
    ]
    for actor, who, whom, reason, error in cases:
        with pytest.raises(error):
            services.add_exclusion(
                actor=actor, programme=programme, mentee=who, mentor=whom, reason=reason
            )

        assert not Exclusion.objects.exists()


# Creating and configuring programmes (weights are checked by the matching engine) ---------


def test_staff_create_a_programme_and_become_its_coordinator(staff, audit_of):
    programme = services.create_programme(
        actor=staff,
        name=" Women in PMO ",
        slug="women-in-pmo",
        max_mentor_capacity=3,
        matching_weights={"personality": 0.3},
    )

    programme.refresh_from_db()
    assert (programme.name, programme.slug, programme.max_mentor_capacity) == (
        "Women in PMO",
        "women-in-pmo",
        3,
    )
    # Only the weights the programme set are stored; the engine's defaults fill the rest.
    assert programme.matching_weights == {"personality": 0.3}
    assert programme.is_open
    assert len(programme.join_code) == 9
    assert Membership.objects.filter(
        user=staff, programme=programme, role=Role.COORDINATOR
    ).exists()
    [event] = audit_of(programme)
    assert (event.actor, event.action, event.programme_id) == (staff, "create", programme.pk)


@pytest.mark.parametrize("who", ["coordinator", "mentor", "outsider"])
def test_only_staff_create_programmes(request, who):
    actor = request.getfixturevalue(who)
    count = Programme.objects.count()

    with pytest.raises(PermissionDenied):
        services.create_programme(actor=actor, name="Shadow", slug="shadow")

    assert Programme.objects.count() == count


BAD_SETTINGS = [
    ({"matching_weights": {"charisma": 0.5}}, "matching_weights"),
    ({"matching_weights": {"topic_fit": -0.1}}, "matching_weights"),
    ({"matching_weights": {"topic_fit": "high"}}, "matching_weights"),
    ({"matching_weights": {"topic_fit": float("nan")}}, "matching_weights"),
    (
        {
            "matching_weights": dict.fromkeys(
                [
                    "topic_fit",
                    "career_relevance",
                    "career_variety",
                    "seniority",
                    "personality",
                    "logistics",
                ],
                0,
            )
        },
        "matching_weights",
    ),
    ({"matching_weights": [0.5]}, "matching_weights"),
    ({"max_mentor_capacity": 21}, None),
    ({"default_cadence_days": 0}, None),
    ({"extra_topics": ["Bid Management"]}, "extra_topics"),
    ({"join_code": "MINE-MINE"}, "join_code"),  # not a setting: regenerate_join_code
    ({"created_at": None}, "created_at"),
]


@pytest.mark.parametrize(("settings", "field"), BAD_SETTINGS)
def test_create_programme_refuses_bad_settings(staff, settings, field):
    with pytest.raises(ValidationFailed) as error:
        services.create_programme(actor=staff, name="New", slug="new", **settings)

    if field is not None:
        assert field in error.value.fields

    assert not Programme.objects.filter(slug="new").exists()
    assert not AuditEvent.objects.exists()


def test_create_programme_refuses_a_slug_in_use(staff, programme):
    with pytest.raises(Conflict) as error:
        services.create_programme(actor=staff, name="Copy", slug=programme.slug)

    assert "slug" in error.value.fields
    assert Programme.objects.filter(slug=programme.slug).count() == 1


def test_a_coordinator_updates_the_settings_and_the_change_is_recorded(
    programme, coordinator, audit_of
):
    services.update_programme(
        actor=coordinator,
        programme=programme,
        response_deadline_days=10,
        matching_weights={"topic_fit": 0.5, "seniority": 0.2},
        is_open=True,  # unchanged: not listed as a change
    )

    programme.refresh_from_db()
    assert programme.response_deadline_days == 10
    assert programme.matching_weights == {"topic_fit": 0.5, "seniority": 0.2}
    [event] = audit_of(programme)
    assert (event.actor, event.action, event.data) == (
        coordinator,
        "update_settings",
        {"changed": ["matching_weights", "response_deadline_days"]},
    )


def test_an_update_that_changes_nothing_records_nothing(programme, coordinator, audit_of):
    services.update_programme(actor=coordinator, programme=programme, is_open=True)

    assert audit_of(programme) == []


@pytest.mark.parametrize(("settings", "field"), [*BAD_SETTINGS, ({"slug": "renamed"}, "slug")])
def test_update_programme_refuses_bad_settings(programme, coordinator, audit_of, settings, field):
    before = Programme.objects.filter(pk=programme.pk).values().get()

    with pytest.raises(ValidationFailed) as error:
        services.update_programme(actor=coordinator, programme=programme, **settings)

    if field is not None:
        assert field in error.value.fields
    assert Programme.objects.filter(pk=programme.pk).values().get() == before
    assert audit_of(programme) == []


@pytest.mark.parametrize(
    ("who", "error"),
    [
        ("mentor", PermissionDenied),
        ("mentee", PermissionDenied),
        ("outsider", NotFound),
        ("other_coordinator", NotFound),
        ("staff", NotFound),
    ],
)
def test_only_the_programmes_coordinators_change_its_settings(request, programme, who, error):
    actor = request.getfixturevalue(who)

    with pytest.raises(error):
        services.update_programme(actor=actor, programme=programme, is_open=False)

    programme.refresh_from_db()
    assert programme.is_open
