"""The network plan, written: contacts, touchpoints, sharing, and introductions becoming contacts.

Only the plan's owner writes to it. Audit rows say what happened to which contact and never copy
a contact's name or notes (the plan is personal data; the audit trail cannot be edited).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mentorship.errors import InvalidTransition, NotFound, ValidationFailed
from mentorship.models import (
    KEY_CONTACTS_MAX,
    WHY_MAX_LENGTH,
    Contact,
    ContactTier,
    Introduction,
    NetworkPlan,
    Programme,
    Touchpoint,
    User,
)
from mentorship.selectors.network import plan_programme
from mentorship.services._common import as_validation_failed, clean_text, record

CONTACT_FIELDS = ("name", "organisation", "role", "network_group", "connection_type", "tier", "why")
TOUCHPOINT_FIELDS = ("date", "vehicle", "note")
# Touchpoints are logged after the fact; a day of slack for time zones ahead of the server's.
FUTURE_SLACK = dt.timedelta(days=1)


def _validated_save(obj: Contact | Touchpoint | NetworkPlan) -> None:
    """`full_clean()` then `save()`, without Django's re-check of each CheckConstraint (one
    query apiece, six for a contact): the database enforces every constraint, and the rules they
    express are checked first with clearer messages (`_check_contact`, the field choices). The
    demo's network history took twice as long with them."""
    try:
        obj.full_clean(validate_constraints=False)
    except ValidationError as error:
        raise as_validation_failed(error) from error
    obj.save()


def _refuse_unknown(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationFailed(
            f"Cannot set {', '.join(sorted(unknown))}.",
            fields={f: ["Unknown field."] for f in sorted(unknown)},
        )


def _plan(owner: User, programme: Programme) -> NetworkPlan:
    """The owner's plan in the programme, created on first use, locked for this transaction
    (so two concurrent writes cannot both take the last key place)."""
    plan, _ = NetworkPlan.objects.get_or_create(owner=owner, programme=programme)
    return (
        NetworkPlan.objects.select_for_update(of=("self",))
        .select_related("programme")
        .get(pk=plan.pk)
    )


def _locked_contact(actor: User, contact: Contact) -> Contact:
    """The contact, locked with its plan; NotFound unless the actor owns it."""
    locked = (
        Contact.objects.select_for_update(of=("self",))
        .select_related("plan__programme")
        .filter(pk=contact.pk, plan__owner=actor)
        .first()
    )
    if locked is None:
        raise NotFound("No such contact.")
    NetworkPlan.objects.select_for_update().get(pk=locked.plan_id)
    return locked


def _check_contact(contact: Contact) -> None:
    """The plan's rules for one contact: a reason for every key contact (motivation), no more
    than KEY_CONTACTS_MAX key contacts (time), and a bounded reason."""
    errors: dict[str, list[str]] = {}
    if len(contact.why) > WHY_MAX_LENGTH:
        errors["why"] = [f"Keep it to {WHY_MAX_LENGTH} characters ({len(contact.why)} now)."]
    elif contact.tier == ContactTier.KEY and not contact.why:
        errors["why"] = [
            "Say why this key contact matters: it is what keeps you in touch when you are busy."
        ]
    if contact.tier == ContactTier.KEY and contact.archived_at is None:
        others = (
            Contact.objects.filter(plan_id=contact.plan_id, tier=ContactTier.KEY)
            .active()
            .exclude(pk=contact.pk)
            .count()
        )
        if others >= KEY_CONTACTS_MAX:
            errors["tier"] = [
                f"You already have {KEY_CONTACTS_MAX} key contacts, the most a plan holds: "
                "make one of them regular first, or choose another tier."
            ]
    if errors:
        raise ValidationFailed(next(iter(errors.values()))[0], fields=errors)


def _apply(contact: Contact, fields: dict[str, Any]) -> list[str]:
    """Set the given fields (texts trimmed); the names of those that changed."""
    changed = []
    for name, value in fields.items():
        value = clean_text(value) if isinstance(value, str) or value is None else value
        if getattr(contact, name) != value:
            setattr(contact, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def add_contact(*, actor: User, programme: Programme | str | None = None, **fields: Any) -> Contact:
    """The mentee adds someone to their plan (in their only mentee programme unless one is
    named): name, organisation, role, network group, connection type, tier and why."""
    _refuse_unknown(fields, CONTACT_FIELDS)
    plan = _plan(actor, plan_programme(actor, programme))
    contact = Contact(plan=plan, added_on=timezone.localdate())
    _apply(contact, fields)
    _check_contact(contact)
    _validated_save(contact)
    record(
        actor=actor,
        obj=contact,
        action="add",
        to_state="active",
        programme_id=plan.programme_id,
        network_group=contact.network_group,
        tier=contact.tier,
    )
    return contact


@transaction.atomic
def update_contact(*, actor: User, contact: Contact, **fields: Any) -> Contact:
    """The owner edits a contact: its details, tier or why (an archived one is restored
    first)."""
    _refuse_unknown(fields, CONTACT_FIELDS)
    contact = _locked_contact(actor, contact)
    if contact.archived_at is not None:
        raise InvalidTransition("This contact is archived: restore it before changing it.")
    before = contact.tier
    changed = _apply(contact, fields)
    _check_contact(contact)
    _validated_save(contact)
    if changed:
        record(
            actor=actor,
            obj=contact,
            action="update",
            from_state=before if "tier" in changed else "",
            to_state=contact.tier if "tier" in changed else "",
            programme_id=contact.plan.programme_id,
            changed=sorted(changed),
        )
    return contact


@transaction.atomic
def archive_contact(*, actor: User, contact: Contact) -> Contact:
    """Take a contact off the active list; its touchpoints are kept. Archiving twice is
    harmless."""
    contact = _locked_contact(actor, contact)
    if contact.archived_at is not None:
        return contact
    contact.archived_at = timezone.now()
    _validated_save(contact)
    record(
        actor=actor,
        obj=contact,
        action="archive",
        from_state="active",
        to_state="archived",
        programme_id=contact.plan.programme_id,
    )
    return contact


@transaction.atomic
def restore_contact(*, actor: User, contact: Contact) -> Contact:
    """Put an archived contact back on the active list (within the key-contact limit)."""
    contact = _locked_contact(actor, contact)
    if contact.archived_at is None:
        return contact
    contact.archived_at = None
    _check_contact(contact)
    _validated_save(contact)
    record(
        actor=actor,
        obj=contact,
        action="restore",
        from_state="archived",
        to_state="active",
        programme_id=contact.plan.programme_id,
    )
    return contact


@transaction.atomic
def log_touchpoint(
    *, actor: User, contact: Contact, date: dt.date, vehicle: str, note: str = ""
) -> Touchpoint:
    """The owner was in touch with a contact. The first touchpoint with a contact that came
    from an introduction confirms the introduction. Logging the same touchpoint twice (a double
    submit) keeps one."""
    contact = _locked_contact(actor, contact)
    if contact.archived_at is not None:
        raise InvalidTransition("This contact is archived: restore it to log a touchpoint.")
    if isinstance(date, dt.date) and date > timezone.localdate() + FUTURE_SLACK:
        message = "Log touchpoints that have happened; the date is in the future."
        raise ValidationFailed(message, fields={"date": [message]})
    note = clean_text(note)
    same = Touchpoint.objects.filter(contact=contact, date=date, vehicle=vehicle, note=note).first()
    if same is not None:
        return same
    touchpoint = Touchpoint(contact=contact, date=date, vehicle=vehicle, note=note)
    _validated_save(touchpoint)
    record(
        actor=actor,
        obj=touchpoint,
        action="log",
        to_state="logged",
        programme_id=contact.plan.programme_id,
        contact=contact.pk,
        vehicle=vehicle,
    )
    if contact.introduction_id:
        _confirm_introduction(actor, contact.introduction_id)
    return touchpoint


def _confirm_introduction(actor: User, introduction_id: int) -> None:
    introduction = (
        Introduction.objects.select_for_update(of=("self",))
        .select_related("mentorship")
        .get(pk=introduction_id)
    )
    if introduction.confirmed_at is not None:
        return
    introduction.confirmed_at = timezone.now()
    introduction.save(update_fields=["confirmed_at", "updated_at"])
    record(
        actor=actor,
        obj=introduction,
        action="confirm",
        from_state=introduction.outcome,
        to_state=introduction.outcome,
        programme_id=introduction.mentorship.programme_id,
        via="touchpoint",
    )


@transaction.atomic
def share_plan(
    *, actor: User, shared: bool, programme: Programme | str | None = None
) -> NetworkPlan:
    """The owner lets their mentor see the plan, or stops; off by default. Setting the state
    it already has changes nothing."""
    plan = _plan(actor, plan_programme(actor, programme))
    if plan.shared_with_mentor == shared:
        return plan
    plan.shared_with_mentor = shared
    plan.shared_at = timezone.now() if shared else None
    _validated_save(plan)
    record(
        actor=actor,
        obj=plan,
        action="share" if shared else "unshare",
        from_state="private" if shared else "shared",
        to_state="shared" if shared else "private",
        programme_id=plan.programme_id,
    )
    return plan


# Introductions close the loop ----------------------------------------------------------------


def contact_from_introduction(*, actor: User, introduction: Introduction) -> Contact:
    """Called by `record_introduction` in its transaction: the contact joins the mentee's plan
    (group, connection type and purpose carried over, tier regular) with its first touchpoint
    due on the follow-up date."""
    mentorship = introduction.mentorship
    plan = _plan(mentorship.mentee, mentorship.programme)
    purpose = introduction.purpose
    if len(purpose) > WHY_MAX_LENGTH:
        purpose = purpose[: WHY_MAX_LENGTH - 1].rstrip() + "…"
    contact = Contact(
        plan=plan,
        name=introduction.contact_display[: Contact._meta.get_field("name").max_length],
        organisation=introduction.contact_organisation,
        role=introduction.contact_role,
        network_group=introduction.network_group,
        connection_type=introduction.connection_type,
        tier=ContactTier.REGULAR,
        why=purpose,
        introduction=introduction,
        added_on=timezone.localdate(),
        first_due_on=introduction.follow_up_on,
    )
    _validated_save(contact)
    record(
        actor=actor,
        obj=contact,
        action="add",
        to_state="active",
        programme_id=plan.programme_id,
        network_group=contact.network_group,
        tier=contact.tier,
        introduction=introduction.pk,
    )
    return contact


def follow_up_moved(*, introduction: Introduction) -> None:
    """Called by `update_introduction`: a new follow-up date moves the first touchpoint of its
    contact, until the mentee has been in touch."""
    Contact.objects.filter(introduction=introduction, touchpoints__isnull=True).update(
        first_due_on=introduction.follow_up_on, updated_at=timezone.now()
    )
