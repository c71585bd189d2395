"""The network plan's writes: add, edit, archive, restore, touchpoints, sharing, and the
introduction that becomes a contact. Each asserts the resulting state and its audit row."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from mentorship import factories
from mentorship.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from mentorship.models import (
    KEY_CONTACTS_MAX,
    WHY_MAX_LENGTH,
    AuditEvent,
    Contact,
    ContactTier,
    Introduction,
    IntroductionOutcome,
    NetworkPlan,
    Role,
    Touchpoint,
)
from mentorship.services import mentorships, network

TODAY = timezone.localdate()
CONTACT = {
    "name": "Ada Obi",
    "organisation": "Gridline Power",
    "role": "Head of PMO",
    "network_group": "senior_leadership",
    "connection_type": "strategic",
    "tier": "regular",
    "why": "Runs the portfolio board I want to sit on.",
}


def add(owner, **changes):
    return network.add_contact(actor=owner, **{**CONTACT, **changes})


@pytest.fixture
def pair(programme, mentor, mentee):
    return factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)


# Adding -----------------------------------------------------------------------------------


def test_a_mentee_adds_a_contact_to_their_plan_and_it_is_recorded(programme, mentee, audit_of):
    contact = add(mentee, name="  Ada Obi  ")

    assert contact.name == "Ada Obi"
    assert contact.plan.owner == mentee
    assert contact.plan.programme == programme
    assert contact.added_on == TODAY
    assert contact.archived_at is None
    [event] = audit_of(contact)
    assert (event.actor, event.action, event.to_state, event.programme_id) == (
        mentee,
        "add",
        "active",
        programme.pk,
    )
    # The audit row never copies the contact's name or why.
    assert event.data == {"network_group": "senior_leadership", "tier": "regular"}


def test_the_plan_is_made_once_with_the_first_contact(programme, mentee):
    add(mentee)
    add(mentee, name="Ben")

    assert NetworkPlan.objects.filter(owner=mentee).count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"network_group": "golf_club"}, "network_group"),
        ({"connection_type": "romantic"}, "connection_type"),
        ({"tier": "vip"}, "tier"),
        ({"name": "   "}, "name"),
        ({"why": "x" * (WHY_MAX_LENGTH + 1)}, "why"),
        ({"tier": "key", "why": ""}, "why"),
        ({"plan": 3}, "plan"),
        ({"archived_at": TODAY}, "archived_at"),
    ],
)
def test_add_contact_refuses_bad_input_and_writes_nothing(mentee, changes, field):
    with pytest.raises(ValidationFailed) as error:
        add(mentee, **changes)

    assert field in error.value.fields
    assert not Contact.objects.exists()
    assert not AuditEvent.objects.filter(object_type="contact").exists()


def test_key_contacts_need_a_reason(mentee):
    with pytest.raises(ValidationFailed) as error:
        add(mentee, tier=ContactTier.KEY, why="  ")

    assert "Say why this key contact matters" in error.value.fields["why"][0]


def test_a_plan_holds_at_most_seven_key_contacts(mentee):
    for n in range(KEY_CONTACTS_MAX):
        add(mentee, name=f"Key {n}", tier=ContactTier.KEY)

    with pytest.raises(ValidationFailed) as error:
        add(mentee, name="One too many", tier=ContactTier.KEY)

    assert "already have 7 key contacts" in error.value.fields["tier"][0]
    assert Contact.objects.filter(tier=ContactTier.KEY).count() == KEY_CONTACTS_MAX
    # Other tiers are not capped.
    add(mentee, name="Regular", tier=ContactTier.REGULAR)


def test_an_archived_key_contact_frees_its_place(mentee):
    keys = [add(mentee, name=f"Key {n}", tier=ContactTier.KEY) for n in range(KEY_CONTACTS_MAX)]
    network.archive_contact(actor=mentee, contact=keys[0])

    add(mentee, name="New key", tier=ContactTier.KEY)

    with pytest.raises(ValidationFailed):
        network.restore_contact(actor=mentee, contact=keys[0])


@pytest.mark.parametrize("who", ["mentor", "coordinator", "other_coordinator"])
def test_only_mentees_keep_a_plan(request, who):
    actor = request.getfixturevalue(who)

    with pytest.raises(PermissionDenied):
        add(actor)

    assert not NetworkPlan.objects.exists()


def test_a_mentee_of_two_programmes_says_which_plan(programme, other_programme, mentee):
    factories.MembershipFactory.create(user=mentee, programme=other_programme, role=Role.MENTEE)

    with pytest.raises(ValidationFailed) as error:
        add(mentee)
    assert "programme" in error.value.fields

    contact = add(mentee, programme=other_programme.slug)
    assert contact.plan.programme == other_programme
    with pytest.raises(ValidationFailed):
        add(mentee, programme="no-such-programme")


# Editing, archiving ---------------------------------------------------------------------------


def test_the_owner_edits_a_contact_and_the_change_is_recorded(mentee, audit_of):
    contact = add(mentee)

    network.update_contact(
        actor=mentee, contact=contact, tier=ContactTier.KEY, role="COO", name="Ada Obi"
    )

    contact.refresh_from_db()
    assert (contact.tier, contact.role) == (ContactTier.KEY, "COO")
    event = audit_of(contact)[-1]
    assert (event.action, event.from_state, event.to_state, event.data["changed"]) == (
        "update",
        "regular",
        "key",
        ["role", "tier"],
    )


def test_an_edit_that_changes_nothing_records_nothing(mentee, audit_of):
    contact = add(mentee)

    network.update_contact(actor=mentee, contact=contact, name="Ada Obi")

    assert [e.action for e in audit_of(contact)] == ["add"]


def test_making_a_contact_key_without_a_reason_is_refused(mentee):
    contact = add(mentee, why="")

    with pytest.raises(ValidationFailed):
        network.update_contact(actor=mentee, contact=contact, tier=ContactTier.KEY)

    contact.refresh_from_db()
    assert contact.tier == ContactTier.REGULAR


@pytest.mark.parametrize("who", ["peer_mentee", "mentor", "coordinator", "outsider"])
def test_nobody_but_the_owner_writes_to_a_contact(request, mentee, who):
    contact = add(mentee)
    actor = request.getfixturevalue(who)
    before = AuditEvent.objects.count()

    for write in (
        lambda: network.update_contact(actor=actor, contact=contact, name="Hacked"),
        lambda: network.archive_contact(actor=actor, contact=contact),
        lambda: network.log_touchpoint(actor=actor, contact=contact, date=TODAY, vehicle="call"),
    ):
        with pytest.raises(NotFound):
            write()

    contact.refresh_from_db()
    assert (contact.name, contact.archived_at) == ("Ada Obi", None)
    assert not Touchpoint.objects.exists()
    assert AuditEvent.objects.count() == before


def test_archiving_keeps_the_touchpoints_and_twice_is_harmless(mentee, audit_of):
    contact = add(mentee)
    network.log_touchpoint(actor=mentee, contact=contact, date=TODAY, vehicle="call")

    network.archive_contact(actor=mentee, contact=contact)
    network.archive_contact(actor=mentee, contact=contact)

    contact.refresh_from_db()
    assert contact.archived_at is not None
    assert contact.touchpoints.count() == 1
    assert [e.action for e in audit_of(contact)] == ["add", "archive"]
    assert audit_of(contact)[-1].to_state == "archived"


def test_an_archived_contact_is_restored_before_it_changes(mentee, audit_of):
    contact = add(mentee)
    network.archive_contact(actor=mentee, contact=contact)

    with pytest.raises(InvalidTransition):
        network.update_contact(actor=mentee, contact=contact, name="New")
    with pytest.raises(InvalidTransition):
        network.log_touchpoint(actor=mentee, contact=contact, date=TODAY, vehicle="call")

    network.restore_contact(actor=mentee, contact=contact)
    contact.refresh_from_db()
    assert contact.archived_at is None
    assert audit_of(contact)[-1].action == "restore"


# Touchpoints ------------------------------------------------------------------------------


def test_the_owner_logs_a_touchpoint_and_it_is_recorded(programme, mentee, audit_of):
    contact = add(mentee)

    touchpoint = network.log_touchpoint(
        actor=mentee, contact=contact, date=TODAY, vehicle="meeting", note=" Coffee "
    )

    assert (touchpoint.contact, touchpoint.date, touchpoint.note) == (contact, TODAY, "Coffee")
    [event] = audit_of(touchpoint)
    assert (event.actor, event.action, event.programme_id) == (mentee, "log", programme.pk)
    assert event.data == {"contact": contact.pk, "vehicle": "meeting"}


def test_a_double_submitted_touchpoint_is_kept_once(mentee, audit_of):
    contact = add(mentee)

    first = network.log_touchpoint(actor=mentee, contact=contact, date=TODAY, vehicle="call")
    second = network.log_touchpoint(actor=mentee, contact=contact, date=TODAY, vehicle="call")

    assert first == second
    assert contact.touchpoints.count() == 1
    assert len(audit_of(first)) == 1


@pytest.mark.parametrize(
    ("date", "vehicle", "field"),
    [
        (TODAY + dt.timedelta(days=2), "call", "date"),
        (TODAY + dt.timedelta(days=400), "call", "date"),
        (TODAY, "carrier_pigeon", "vehicle"),
    ],
)
def test_touchpoints_in_the_future_or_by_unknown_means_are_refused(mentee, date, vehicle, field):
    contact = add(mentee)

    with pytest.raises(ValidationFailed) as error:
        network.log_touchpoint(actor=mentee, contact=contact, date=date, vehicle=vehicle)

    assert field in error.value.fields
    assert not Touchpoint.objects.exists()


def test_a_touchpoint_tomorrow_is_allowed_for_time_zones_ahead(mentee):
    contact = add(mentee)

    network.log_touchpoint(
        actor=mentee, contact=contact, date=TODAY + dt.timedelta(days=1), vehicle="message"
    )

    assert contact.touchpoints.count() == 1


# Sharing ------------------------------------------------------------------------------------


def test_the_plan_is_private_until_its_owner_shares_it(programme, mentee, audit_of):
    plan = network.share_plan(actor=mentee, shared=True)

    assert plan.shared_with_mentor
    assert plan.shared_at is not None
    [event] = audit_of(plan)
    assert (event.action, event.from_state, event.to_state) == ("share", "private", "shared")

    network.share_plan(actor=mentee, shared=True)  # again: nothing changes
    plan = network.share_plan(actor=mentee, shared=False)

    assert not plan.shared_with_mentor
    assert plan.shared_at is None
    assert [e.action for e in audit_of(plan)] == ["share", "unshare"]


def test_a_new_plan_is_not_shared(mentee):
    contact = add(mentee)

    assert contact.plan.shared_with_mentor is False


@pytest.mark.parametrize("who", ["mentor", "coordinator"])
def test_only_mentees_share_a_plan(request, who):
    with pytest.raises(PermissionDenied):
        network.share_plan(actor=request.getfixturevalue(who), shared=True)


# Introductions close the loop -----------------------------------------------------------------


def introduce(pair, **changes):
    fields = {
        "contact_name": "Kim Lee",
        "contact_organisation": "Gridline Power",
        "contact_role": "COO",
        "network_group": "senior_leadership",
        "connection_type": "strategic",
        "purpose": "How an energy PMO runs its portfolio board.",
        "follow_up_on": TODAY + dt.timedelta(days=14),
        **changes,
    }
    return mentorships.record_introduction(actor=pair.mentor, mentorship=pair, **fields)


def test_an_introduction_becomes_a_contact_of_the_mentees_plan(pair, audit_of):
    introduction = introduce(pair)

    contact = Contact.objects.get(introduction=introduction)
    assert contact.plan.owner == pair.mentee
    assert contact.plan.programme == pair.programme
    assert (contact.name, contact.organisation, contact.role) == (
        "Kim Lee",
        "Gridline Power",
        "COO",
    )
    assert (contact.network_group, contact.connection_type) == ("senior_leadership", "strategic")
    assert contact.why == "How an energy PMO runs its portfolio board."
    assert contact.tier == ContactTier.REGULAR
    assert contact.first_due_on == TODAY + dt.timedelta(days=14)
    [event] = audit_of(contact)
    assert (event.actor, event.action, event.data["introduction"]) == (
        pair.mentor,
        "add",
        introduction.pk,
    )


def test_an_introduction_to_a_member_names_the_contact_after_them(programme, pair, mentor):
    colleague = factories.member(programme, Role.MENTOR, first_name="Rui", last_name="Costa")

    introduction = introduce(pair, contact_name="", contact_member=colleague)

    assert introduction.contact.name == "Rui Costa"


def test_a_long_purpose_is_shortened_to_fit_the_why(pair):
    introduction = introduce(pair, purpose="p" * 1500)

    assert len(introduction.contact.why) == WHY_MAX_LENGTH
    assert introduction.contact.why.endswith("…")


def test_a_refused_introduction_adds_no_contact(pair, peer_mentee):
    with pytest.raises(ValidationFailed):
        introduce(pair, network_group="golf")

    assert not Contact.objects.exists()
    assert not NetworkPlan.objects.exists()


def test_the_mentees_first_touchpoint_confirms_the_introduction(pair, audit_of):
    introduction = introduce(pair)
    contact = introduction.contact

    network.log_touchpoint(actor=pair.mentee, contact=contact, date=TODAY, vehicle="meeting")

    introduction.refresh_from_db()
    assert introduction.confirmed_at is not None
    event = audit_of(introduction)[-1]
    assert (event.actor, event.action, event.data) == (
        pair.mentee,
        "confirm",
        {"via": "touchpoint"},
    )

    confirmed_at = introduction.confirmed_at
    network.log_touchpoint(actor=pair.mentee, contact=contact, date=TODAY, vehicle="call")
    introduction.refresh_from_db()
    assert introduction.confirmed_at == confirmed_at
    assert [e.action for e in audit_of(introduction)].count("confirm") == 1


def test_the_outcome_is_recorded_once_on_the_introduction(pair):
    introduction = introduce(pair)

    mentorships.update_introduction(
        actor=pair.mentee, introduction=introduction, outcome=IntroductionOutcome.OPPORTUNITY
    )

    contact = Contact.objects.select_related("introduction").get(pk=introduction.contact.pk)
    assert contact.introduction is not None
    assert contact.introduction.outcome == IntroductionOutcome.OPPORTUNITY
    assert not hasattr(Contact, "outcome")


def test_a_new_follow_up_date_moves_the_first_touchpoint_until_the_mentee_is_in_touch(pair):
    introduction = introduce(pair)
    later = TODAY + dt.timedelta(days=30)

    mentorships.update_introduction(
        actor=pair.mentor, introduction=introduction, follow_up_on=later
    )
    assert Contact.objects.get(introduction=introduction).first_due_on == later

    network.log_touchpoint(
        actor=pair.mentee, contact=introduction.contact, date=TODAY, vehicle="call"
    )
    mentorships.update_introduction(
        actor=pair.mentor, introduction=introduction, follow_up_on=TODAY + dt.timedelta(days=60)
    )
    assert Contact.objects.get(introduction=introduction).first_due_on == later


def test_the_introduced_contact_is_the_mentees_to_change(pair):
    introduction = introduce(pair)

    network.update_contact(
        actor=pair.mentee, contact=introduction.contact, tier=ContactTier.KEY, why="Future boss"
    )
    with pytest.raises(NotFound):
        network.update_contact(actor=pair.mentor, contact=introduction.contact, tier="light")

    assert Contact.objects.get(pk=introduction.contact.pk).tier == ContactTier.KEY
    assert Introduction.objects.get(pk=introduction.pk).network_group == "senior_leadership"
