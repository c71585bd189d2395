"""The admin: every page renders for staff; coordinators see only their programmes; state
changes go through the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.test import Client

from mentorship import factories
from mentorship.models import (
    AuditEvent,
    Membership,
    MentorAvailability,
    MentorIndexState,
    Mentorship,
    MentorshipStatus,
    Programme,
    Role,
    User,
)


@pytest.fixture
def superuser(db: None) -> User:
    return factories.UserFactory.create(username="root", is_staff=True, is_superuser=True)


def changelist(model: type[Model]) -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


MODELS = [m for m in admin.site._registry if m._meta.app_label == "mentorship"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.model_name)
def test_every_admin_page_renders_for_a_superuser(
    model: type[Model], superuser: User, programme: Programme, mentor: User, mentee: User
) -> None:
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee
    )
    factories.SessionFactory.create(mentorship=mentorship)
    factories.IntroductionFactory.create(mentorship=mentorship)
    factories.ProposalFactory.create(programme=programme, mentor=mentor)
    client = Client()
    client.force_login(superuser)
    listing = client.get(changelist(model))
    assert listing.status_code == 200
    obj = model._default_manager.first()
    if obj is not None:
        assert client.get(f"{changelist(model)}{obj.pk}/change/").status_code == 200


def test_a_coordinator_sees_only_their_programmes_in_the_admin(
    programme: Programme, other_programme: Programme, coordinator: User
) -> None:
    coordinator.is_staff = True
    coordinator.save()
    mine = factories.MentorshipFactory.create(programme=programme)
    theirs = factories.MentorshipFactory.create(programme=other_programme)
    client = Client()
    client.force_login(coordinator)
    page = client.get(changelist(Mentorship)).content.decode()
    assert str(mine.mentee) in page
    assert str(theirs.mentee) not in page
    assert client.get(f"{changelist(Mentorship)}{theirs.pk}/change/").status_code == 302
    programmes = client.get(changelist(Programme)).content.decode()
    assert "PMO Network" in programmes
    assert "Alumni Scheme" not in programmes


def test_staff_who_coordinate_nothing_cannot_open_the_domain_pages(db: None) -> None:
    staff = factories.UserFactory.create(username="helpdesk", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(changelist(Mentorship)).status_code == 403


def test_pausing_from_the_admin_goes_through_the_service(
    programme: Programme, coordinator: User
) -> None:
    coordinator.is_staff = True
    coordinator.save()
    mentorship = factories.MentorshipFactory.create(programme=programme)
    client = Client()
    client.force_login(coordinator)
    response = client.post(
        changelist(Mentorship),
        {"action": "pause", "_selected_action": [mentorship.pk]},
    )
    assert response.status_code == 302
    mentorship.refresh_from_db()
    assert mentorship.status == MentorshipStatus.PAUSED
    event = AuditEvent.objects.get(
        object_type="mentorship", object_id=mentorship.pk, action="pause"
    )
    assert (event.actor, event.from_state, event.to_state) == (coordinator, "active", "paused")


def test_the_audit_log_cannot_be_edited_or_deleted_in_the_admin(superuser: User) -> None:
    programme = factories.ProgrammeFactory.create()
    event = AuditEvent.objects.create(object_type="programme", object_id=programme.pk, action="x")
    client = Client()
    client.force_login(superuser)
    assert (
        client.post(f"{changelist(AuditEvent)}{event.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_a_mentor_membership_added_or_removed_in_the_admin_reaches_the_mentor_index(
    superuser: User, programme: Programme
) -> None:
    person = factories.UserFactory.create(username="late-mentor")
    factories.ProfileFactory.create(user=person, capacity=2, accepting_mentees=True)
    client = Client()
    client.force_login(superuser)

    added = client.post(
        f"{changelist(Membership)}add/",
        {"user": person.pk, "programme": programme.pk, "role": Role.MENTOR},
    )

    assert added.status_code == 302, added.content.decode()[:2000]
    row = MentorAvailability.objects.get(programme=programme, mentor=person)
    state = MentorIndexState.objects.get(programme=programme)
    assert row.available
    assert state.profile_changed == row.profile_version  # the index takes them in
    membership = Membership.objects.get(user=person, programme=programme, role=Role.MENTOR)

    removed = client.post(f"{changelist(Membership)}{membership.pk}/delete/", {"post": "yes"})

    assert removed.status_code == 302
    assert not MentorAvailability.objects.get(programme=programme, mentor=person).available


def test_memberships_removed_in_bulk_reach_the_index_too(
    superuser: User, programme: Programme, mentor: User
) -> None:
    client = Client()
    client.force_login(superuser)
    membership = Membership.objects.get(user=mentor, programme=programme, role=Role.MENTOR)
    assert MentorAvailability.objects.get(programme=programme, mentor=mentor).available

    response = client.post(
        changelist(Membership),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert not MentorAvailability.objects.get(programme=programme, mentor=mentor).available


def _form_data(page: Any) -> dict[str, Any]:
    """What a browser would post back from an admin change page, unchanged."""
    data: dict[str, Any] = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += list(formset.forms)
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    for form in forms:
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None or field.disabled:
                continue
            if isinstance(value, (list, tuple)):
                value = [getattr(v, "pk", v) for v in value]
            elif hasattr(value, "pk"):
                value = value.pk
            elif isinstance(value, dt.datetime):
                data[form.add_prefix(f"{name}_0")] = value.date().isoformat()
                data[form.add_prefix(f"{name}_1")] = value.time().isoformat(timespec="seconds")
                continue
            data[form.add_prefix(name)] = value
    return data


def test_a_membership_removed_on_the_person_page_reaches_the_index(
    superuser: User, programme: Programme, mentor: User
) -> None:
    client = Client()
    client.force_login(superuser)
    page = client.get(f"{changelist(User)}{mentor.pk}/change/")
    data = _form_data(page)
    data["memberships-0-DELETE"] = "on"

    response = client.post(f"{changelist(User)}{mentor.pk}/change/", data)

    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert not Membership.objects.filter(user=mentor, role=Role.MENTOR).exists()
    assert not MentorAvailability.objects.get(programme=programme, mentor=mentor).available
