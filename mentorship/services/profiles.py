"""Profiles, career history and the personality questionnaire."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from mentorship import tipi
from mentorship.errors import ValidationFailed
from mentorship.models import Membership, Personality, Position, Profile, Programme, Role, User
from mentorship.services._common import as_validation_failed, clean_text, record, validated_save
from mentorship.services.mentor_availability import mentor_changed, mentor_profile_changed
from mentorship.taxonomy import TOPICS

PROFILE_FIELDS = frozenset(
    {
        "headline",
        "about",
        "skills",
        "certifications",
        "seniority",
        "topics_wanted",
        "topics_offered",
        "languages",
        "timezone",
        "formats",
        "capacity",
        "accepting_mentees",
    }
)
USER_FIELDS = frozenset({"first_name", "last_name"})
POSITION_FIELDS = ("title", "organisation", "industry", "start", "end", "summary")
MAX_POSITIONS = 30
DEFAULT_MAX_CAPACITY = 5


def allowed_topics(user: User) -> frozenset[str]:
    """The shared taxonomy plus the topics added by the user's programmes."""
    extras = Programme.objects.filter(memberships__user=user).values_list("extra_topics", flat=True)
    return frozenset(TOPICS).union(*(set(e) for e in extras))


def max_capacity_for(user: User) -> int:
    """The strictest maximum among the programmes where the user mentors."""
    strictest = Programme.objects.filter(
        memberships__user=user, memberships__role=Role.MENTOR
    ).aggregate(m=Min("max_mentor_capacity"))["m"]
    return strictest if strictest is not None else DEFAULT_MAX_CAPACITY


def topics_field(roles: Collection[str]) -> str:
    """Which profile field the engine's one word `topics` means for a member with `roles`:
    what a mentee wants, or what a mentor-only member offers."""
    mentor_only = Role.MENTOR in roles and Role.MENTEE not in roles
    return "topics_offered" if mentor_only else "topics_wanted"


def roles_of(user: User) -> frozenset[str]:
    return frozenset(Membership.objects.filter(user=user).values_list("role", flat=True))


def profile_topics(profile: Profile, roles: Collection[str]) -> list[str]:
    return list(getattr(profile, topics_field(roles)))


def _resolve_topics(actor: User, changes: dict[str, Any]) -> None:
    """`topics` names the field of the member's role; someone both mentee and mentor must say
    which of the two they mean."""
    if "topics" not in changes:
        return
    roles = roles_of(actor)
    if Role.MENTEE in roles and Role.MENTOR in roles:
        message = "You are both mentee and mentor: send topics_wanted or topics_offered."
        raise ValidationFailed(message, fields={"topics": [message]})
    changes[topics_field(roles)] = changes.pop("topics")


def _clean_list(value: Any) -> Any:
    if isinstance(value, list):
        return [item.strip() if isinstance(item, str) else item for item in value]
    return value


@transaction.atomic
def update_profile(
    *, actor: User, positions: Sequence[Mapping[str, Any]] | None = None, **changes: Any
) -> Profile:
    """Change one's own profile (and, given `positions`, replace the career history) in one
    transaction. Unknown or protected fields are refused. `topics` means `topics_wanted` or
    `topics_offered` by the member's role (see `topics_field`)."""
    _resolve_topics(actor, changes)
    if positions is not None:
        set_positions(actor=actor, positions=positions)
    unknown = set(changes) - PROFILE_FIELDS - USER_FIELDS
    if unknown:
        raise ValidationFailed(
            f"Cannot change {', '.join(sorted(unknown))}.",
            fields={field: ["This field cannot be changed here."] for field in sorted(unknown)},
        )
    profile, _ = Profile.objects.select_for_update().get_or_create(user=actor)
    errors: dict[str, list[str]] = {}
    for field, value in changes.items():
        if field in USER_FIELDS:
            setattr(actor, field, clean_text(value))
        else:
            setattr(profile, field, _clean_list(value) if isinstance(value, list) else value)
    for field in ("topics_wanted", "topics_offered"):
        if field in changes and isinstance(profile_value := getattr(profile, field), list):
            unknown_topics = sorted(set(profile_value) - allowed_topics(actor))
            if unknown_topics:
                errors[field] = [f"Unknown topic: {', '.join(map(str, unknown_topics))}."]
    mentoring = {"capacity", "accepting_mentees"} & set(changes)
    if mentoring and not Membership.objects.filter(user=actor, role=Role.MENTOR).exists():
        for field in mentoring:
            errors[field] = ["Only mentors have a capacity; join a programme as a mentor first."]
    elif "capacity" in changes and isinstance(profile.capacity, int):
        limit = max_capacity_for(actor)
        if profile.capacity > limit:
            errors["capacity"] = [f"Your programme allows at most {limit} mentees per mentor."]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    validated_save(profile)
    if set(changes) & USER_FIELDS:
        validated_save(actor, exclude=["password"])
    mentor_profile_changed(user_id=actor.pk, changed=changes)
    record(actor=actor, obj=profile, action="update", changed=sorted(changes))
    return profile


FIRST_YEAR, LAST_YEAR = 1900, 2099  # careers, not history


def format_month(value: dt.date | None) -> str | None:
    """A position's month as YYYY-MM (zero-padded, unlike strftime for early years)."""
    return f"{value.year:04d}-{value.month:02d}" if value else None


def parse_month(value: Any, field: str) -> dt.date | None:
    """YYYY-MM (or a date) to the first of that month, between 1900 and 2099."""
    if value is None or value == "":
        return None
    month: dt.date | None = None
    if isinstance(value, dt.date):
        month = value.replace(day=1)
    elif isinstance(value, str):
        for pattern in ("%Y-%m", "%Y-%m-%d"):
            try:
                month = dt.datetime.strptime(value, pattern).date().replace(day=1)  # noqa: DTZ007
                break
            except ValueError:
                continue
    if month is None or not FIRST_YEAR <= month.year <= LAST_YEAR:
        message = f"Use YYYY-MM, such as 2019-04, between {FIRST_YEAR} and {LAST_YEAR}."
        raise ValidationFailed(f"{field}: {message}", fields={field: [message]})
    return month


@transaction.atomic
def set_positions(*, actor: User, positions: Sequence[Mapping[str, Any]]) -> list[Position]:
    """Replace one's whole career history (the order given does not matter: newest first).

    An entry may carry the `id` of one of the actor's current positions: that position is
    changed in place and keeps its id (so a page's links to it stay valid); any other id is
    ignored and the entry is a new position."""
    if len(positions) > MAX_POSITIONS:
        raise ValidationFailed(
            f"At most {MAX_POSITIONS} positions.", fields={"positions": ["Too many."]}
        )
    profile, _ = Profile.objects.select_for_update().get_or_create(user=actor)
    current = set(profile.positions.values_list("pk", flat=True))
    built: list[Position] = []
    errors: dict[str, list[str]] = {}
    for index, data in enumerate(positions):
        unknown = set(data) - set(POSITION_FIELDS) - {"id"}
        try:
            if unknown:
                raise ValidationFailed(f"Unknown field: {', '.join(sorted(unknown))}.")
            start = parse_month(data.get("start"), "start")
            if start is None:
                raise ValidationFailed("start is required.", fields={"start": ["Required."]})
            position = Position(
                pk=_own_position_id(data.get("id"), current),
                profile=profile,
                title=clean_text(data.get("title")),
                organisation=clean_text(data.get("organisation")),
                industry=clean_text(data.get("industry")).lower(),
                start=start,
                end=parse_month(data.get("end"), "end"),
                summary=clean_text(data.get("summary")),
            )
            position._state.adding = position.pk is None  # a kept id is not a duplicate
            try:
                position.full_clean(exclude=["profile"])
            except ValidationError as error:
                raise as_validation_failed(error) from error
        except ValidationFailed as error:
            errors[f"positions[{index}]"] = [
                f"{field}: {msg}" if field != "non_field_errors" else msg
                for field, msgs in (error.fields or {"": [error.detail]}).items()
                for msg in msgs
            ]
            continue
        built.append(position)
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)
    kept = [p for p in built if p.pk is not None]
    profile.positions.exclude(pk__in=[p.pk for p in kept]).delete()
    Position.objects.bulk_update(kept, fields=list(POSITION_FIELDS))
    Position.objects.bulk_create([p for p in built if p.pk is None])
    profile.save(update_fields=["updated_at"])
    mentor_changed(user_id=actor.pk, profile=True)
    record(actor=actor, obj=profile, action="set_positions", count=len(built))
    return list(profile.positions.all())


def _own_position_id(value: Any, current: set[int]) -> int | None:
    """The id of one of the actor's positions, each used once; None means a new position."""
    if isinstance(value, int) and not isinstance(value, bool) and value in current:
        current.discard(value)
        return value
    return None


@transaction.atomic
def save_personality(*, actor: User, answers: Sequence[int], consent: bool) -> Personality:
    """Store questionnaire answers. Without explicit consent nothing is stored."""
    if consent is not True:
        message = "Tick the consent box to store your answers."
        raise ValidationFailed(message, fields={"consent": [message]})
    answers = list(answers) if isinstance(answers, list | tuple) else answers
    try:
        scores = tipi.big_five(answers)
        valid = all(isinstance(a, int) and not isinstance(a, bool) for a in answers)
    except (TypeError, ValueError):
        valid = False
    if not valid:
        message = "Give exactly ten answers, each a whole number from 1 to 7."
        raise ValidationFailed(message, fields={"answers": [message]})
    profile, _ = Profile.objects.get_or_create(user=actor)
    personality = Personality.objects.select_for_update().filter(profile=profile).first()
    existed = personality is not None
    personality = personality or Personality(profile=profile)
    personality.answers = list(answers)
    personality.consented_at = timezone.now()
    for trait, value in scores.items():
        setattr(personality, trait, value)
    validated_save(personality)
    profile.save(update_fields=["updated_at"])
    mentor_changed(user_id=actor.pk, profile=True)
    # The audit row says that consent was given, never what was answered.
    record(
        actor=actor, obj=profile, action="personality_consent", to_state="given", updated=existed
    )
    return personality


@transaction.atomic
def withdraw_personality(*, actor: User) -> None:
    """Withdraw consent: the answers and scores are erased, not just hidden."""
    deleted, _ = Personality.objects.filter(profile__user=actor).delete()
    profile = Profile.objects.filter(user=actor).first()
    if profile is not None:
        profile.save(update_fields=["updated_at"])
        if deleted:
            mentor_changed(user_id=actor.pk, profile=True)
            record(actor=actor, obj=profile, action="personality_consent", to_state="withdrawn")
