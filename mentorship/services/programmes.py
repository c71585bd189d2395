"""Programmes, sign-up and membership."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mentorship.access import require_role
from mentorship.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from mentorship.models import Exclusion, Membership, Profile, Programme, Role, User
from mentorship.services._common import as_validation_failed, clean_text, record, validated_save
from mentorship.services.mentor_availability import mentor_changed

JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in workshops
# The settings a coordinator edits, in the order clients show them.
SETTINGS = (
    "description",
    "is_open",
    "default_cadence_days",
    "response_deadline_days",
    "max_mentor_capacity",
    "proposals_per_request",
    "matching_weights",
    "extra_topics",
    # Engagement timers (issue 9); 0 turns a timer off.
    "first_reminder_hours",
    "second_reminder_hours",
    "expiries_before_pause",
    "cadence_nudges",
    "inactivity_warning_days",
    "inactivity_pause_days",
    "follow_up_reminders",
    # The network plan: touchpoint cadence by tier and the ways to offer value.
    "key_contact_cadence_days",
    "regular_contact_cadence_days",
    "light_contact_cadence_days",
    "network_value_ideas",
)
SETTINGS_FIELDS = frozenset({"name", *SETTINGS})
SELF_SERVICE_ROLES = (Role.MENTEE, Role.MENTOR)


def new_join_code() -> str:
    half = lambda: "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(4))  # noqa: E731
    return f"{half()}-{half()}"


def _check_settings(programme: Programme) -> None:
    from mentorship.matching_adapter import validate_weights

    try:
        programme.matching_weights = validate_weights(programme.matching_weights)
    except ValueError as error:
        raise ValidationFailed(str(error), fields={"matching_weights": [str(error)]}) from error


@transaction.atomic
def create_programme(*, actor: User, name: str, slug: str, **settings: Any) -> Programme:
    """Staff create programmes; the creator becomes the first coordinator."""
    if not actor.is_staff:
        raise PermissionDenied("Only staff may create programmes.")
    unknown = set(settings) - SETTINGS_FIELDS
    if unknown:
        raise ValidationFailed(
            f"Unknown setting: {', '.join(sorted(unknown))}.",
            fields={field: ["Unknown setting."] for field in sorted(unknown)},
        )
    if Programme.objects.filter(slug=clean_text(slug)).exists():
        message = f"The slug {clean_text(slug)!r} is taken; choose another."
        raise Conflict(message, fields={"slug": [message]})
    programme = Programme(name=clean_text(name), slug=clean_text(slug), join_code=new_join_code())
    for field, value in settings.items():
        setattr(programme, field, value)
    _check_settings(programme)
    validated_save(programme)
    Membership.objects.create(user=actor, programme=programme, role=Role.COORDINATOR)
    record(actor=actor, obj=programme, action="create", to_state="open", programme_id=programme.pk)
    return programme


@transaction.atomic
def update_programme(*, actor: User, programme: Programme, **changes: Any) -> Programme:
    require_role(actor, programme, Role.COORDINATOR)
    unknown = set(changes) - SETTINGS_FIELDS
    if unknown:
        raise ValidationFailed(
            f"Unknown setting: {', '.join(sorted(unknown))}.",
            fields={field: ["Unknown setting."] for field in sorted(unknown)},
        )
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    before = {field: getattr(programme, field) for field in changes}
    for field, value in changes.items():
        setattr(programme, field, value)
    _check_settings(programme)
    validated_save(programme)
    changed = {f: getattr(programme, f) for f in changes if getattr(programme, f) != before[f]}
    if changed:
        record(actor=actor, obj=programme, action="update_settings", changed=sorted(changed))
    return programme


@transaction.atomic
def regenerate_join_code(*, actor: User, programme: Programme) -> Programme:
    """A leaked code stops working at once; members already in stay in."""
    require_role(actor, programme, Role.COORDINATOR)
    programme.join_code = new_join_code()
    programme.save(update_fields=["join_code"])
    record(actor=actor, obj=programme, action="regenerate_join_code")
    return programme


def _programme_for_code(join_code: str) -> Programme:
    code = clean_text(join_code).upper()
    programme = Programme.objects.filter(join_code=code).first()
    if programme is None or not programme.is_open:
        raise ValidationFailed(
            "That join code does not match an open programme.",
            fields={"join_code": ["That join code does not match an open programme."]},
        )
    return programme


def _check_role(role: str) -> None:
    if role not in SELF_SERVICE_ROLES:
        message = "Choose mentee or mentor."
        raise ValidationFailed(message, fields={"role": [message]})


@transaction.atomic
def sign_up(
    *,
    username: str,
    email: str,
    password: str,
    join_code: str,
    role: str,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """Create an account, its profile and its first membership from a programme's join code."""
    _check_role(role)
    programme = _programme_for_code(join_code)
    email = clean_text(email)
    if not email:
        raise ValidationFailed(
            "Give an e-mail address.", fields={"email": ["This field is required."]}
        )
    if User.objects.filter(email__iexact=email).exists():
        message = "An account with this e-mail address already exists."
        raise ValidationFailed(message, fields={"email": [message]})
    username = clean_text(username)
    # Like e-mail (and Django's UserCreationForm), "Tom" and "tom" are the same person.
    if username and User.objects.filter(username__iexact=username).exists():
        message = "A user with that username already exists."
        raise ValidationFailed(message, fields={"username": [message]})
    user = User(
        username=username,
        email=email,
        first_name=clean_text(first_name),
        last_name=clean_text(last_name),
    )
    try:
        validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationFailed(error.messages[0], fields={"password": error.messages}) from error
    user.set_password(password)
    try:
        user.full_clean()
    except ValidationError as error:
        raise as_validation_failed(error) from error
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # a concurrent sign-up took the name or address first
        taken = "email" if User.objects.filter(email__iexact=email).exists() else "username"
        what = "e-mail address" if taken == "email" else "username"
        field, message = taken, f"An account with this {what} already exists."
        raise ValidationFailed(message, fields={field: [message]}) from error
    Profile.objects.create(user=user)
    membership = Membership.objects.create(user=user, programme=programme, role=role)
    if role == Role.MENTOR:
        mentor_changed(user_id=user.pk, programme_ids=[programme.pk], profile=True)
    record(actor=user, obj=membership, action="join", to_state=role, programme_id=programme.pk)
    return user


@transaction.atomic
def join_programme(*, user: User, join_code: str, role: str) -> Membership:
    """An existing user joins another programme, or takes another role in one. Idempotent."""
    _check_role(role)
    programme = _programme_for_code(join_code)
    membership, created = Membership.objects.get_or_create(
        user=user, programme=programme, role=role
    )
    if created:
        Profile.objects.get_or_create(user=user)
        if role == Role.MENTOR:
            mentor_changed(user_id=user.pk, programme_ids=[programme.pk], profile=True)
        record(actor=user, obj=membership, action="join", to_state=role, programme_id=programme.pk)
    return membership


@transaction.atomic
def add_coordinator(*, actor: User, programme: Programme, user: User) -> Membership:
    require_role(actor, programme, Role.COORDINATOR)
    membership, created = Membership.objects.get_or_create(
        user=user, programme=programme, role=Role.COORDINATOR
    )
    if created:
        record(actor=actor, obj=membership, action="join", to_state=Role.COORDINATOR)
    return membership


@transaction.atomic
def leave_role(*, actor: User, membership: Membership) -> None:
    """A member gives up a role, or a coordinator removes one; a coordinator always remains."""
    programme = membership.programme
    if membership.user_id != actor.pk:
        require_role(actor, programme, Role.COORDINATOR)
    if membership.role == Role.COORDINATOR:
        coordinators = Membership.objects.select_for_update().filter(
            programme=programme, role=Role.COORDINATOR
        )
        if coordinators.count() <= 1:
            raise Conflict("A programme needs at least one coordinator.")
    record(actor=actor, obj=membership, action="leave", from_state=membership.role)
    membership.delete()
    if membership.role == Role.MENTOR:
        mentor_changed(user_id=membership.user_id, programme_ids=[programme.pk], profile=True)


@transaction.atomic
def add_exclusion(
    *, actor: User, programme: Programme, mentee: User, mentor: User, reason: str, note: str = ""
) -> Exclusion:
    """Coordinators keep pairs apart (a reporting line, a conflict of interest)."""
    require_role(actor, programme, Role.COORDINATOR)
    for person, role in ((mentee, Role.MENTEE), (mentor, Role.MENTOR)):
        if not Membership.objects.filter(user=person, programme=programme, role=role).exists():
            raise NotFound(f"{person} is not a {role} of {programme.name}.")
    if Exclusion.objects.filter(programme=programme, mentee=mentee, mentor=mentor).exists():
        raise Conflict("This pair is already excluded.")
    exclusion = Exclusion(
        programme=programme,
        mentee=mentee,
        mentor=mentor,
        reason=reason,
        note=clean_text(note),
        created_by=actor,
    )
    validated_save(exclusion)
    record(actor=actor, obj=exclusion, action="create")
    return exclusion
