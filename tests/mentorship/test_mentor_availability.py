"""Each mentor's availability row follows every write that can change it, in that write's
transaction, and only matching-profile changes mark the mentor for the stored index."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from mentorship import factories
from mentorship.models import (
    MentorAvailability,
    MentorIndexState,
    Mentorship,
    MentorshipStatus,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services import availability, mentorships, privacy, profiles, programmes
from mentorship.services import proposals as proposal_services
from mentorship.services.mentor_availability import resync_availability

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db: None) -> User:
    return factories.UserFactory.create(username="ada", is_staff=True, is_superuser=True)


def row(programme: Programme, mentor: User) -> MentorAvailability:
    return MentorAvailability.objects.get(programme=programme, mentor=mentor)


def state(programme: Programme) -> MentorIndexState:
    return MentorIndexState.objects.get(programme=programme)


def requested(programme: Programme, mentor: User, mentee: User) -> Proposal:
    """A request waiting for the mentor's answer (the factory dates it now, due in 7 days)."""
    return factories.ProposalFactory.create(
        programme=programme, mentor=mentor, mentee=mentee, status=ProposalStatus.REQUESTED
    )


def test_a_new_mentor_is_available_and_due_in_the_index(programme: Programme, mentor: User) -> None:
    found = row(programme, mentor)
    assert found.available
    assert found.profile_version == found.version
    assert state(programme).profile_changed == found.version


def test_mentees_and_coordinators_have_no_row(
    programme: Programme, mentee: User, coordinator: User
) -> None:
    assert not MentorAvailability.objects.filter(mentor__in=[mentee, coordinator]).exists()


def test_the_accept_that_fills_the_last_seat_makes_the_mentor_unavailable(
    programme: Programme, mentee: User
) -> None:
    mentor = factories.member(programme, Role.MENTOR, capacity=1)
    before = row(programme, mentor)
    proposal = requested(programme, mentor, mentee)
    proposal_services.accept_proposal(actor=mentor, proposal=proposal)
    after = row(programme, mentor)
    assert not after.available
    assert after.version > before.version
    # Availability is no matching-profile change: the index is not touched.
    assert after.profile_version == before.profile_version
    assert state(programme).profile_changed == before.profile_version


def test_an_accept_that_leaves_a_free_seat_writes_nothing(
    programme: Programme, mentee: User
) -> None:
    mentor = factories.member(programme, Role.MENTOR, capacity=2)
    changes = state(programme).changes
    proposal = requested(programme, mentor, mentee)
    proposal_services.accept_proposal(actor=mentor, proposal=proposal)
    assert row(programme, mentor).available
    assert state(programme).changes == changes


def test_ending_a_mentorship_frees_the_seat(programme: Programme, mentee: User) -> None:
    mentor = factories.member(programme, Role.MENTOR, capacity=1)
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee
    )
    assert not row(programme, mentor).available
    mentorships.end_mentorship(actor=mentor, mentorship=mentorship, reason="Goals met early")
    assert row(programme, mentor).available


def test_a_paused_mentorship_keeps_the_seat(programme: Programme, mentee: User) -> None:
    mentor = factories.member(programme, Role.MENTOR, capacity=1)
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee
    )
    mentorships.pause_mentorship(actor=mentor, mentorship=mentorship)
    assert Mentorship.objects.get(pk=mentorship.pk).status == MentorshipStatus.PAUSED
    assert not row(programme, mentor).available


def test_capacity_and_accepting_edits_change_availability_only(
    programme: Programme, mentor: User
) -> None:
    profile_version = row(programme, mentor).profile_version
    profiles.update_profile(actor=mentor, accepting_mentees=False)
    assert not row(programme, mentor).available
    profiles.update_profile(actor=mentor, accepting_mentees=True, capacity=0)
    assert not row(programme, mentor).available
    profiles.update_profile(actor=mentor, capacity=3)
    assert row(programme, mentor).available
    assert row(programme, mentor).profile_version == profile_version


@pytest.mark.parametrize(
    "edit",
    [
        {"topics_offered": ["networking"]},
        {"skills": ["earned value"]},
        {"about": "Built three PMOs in rail."},
        {"languages": ["en", "fr"]},
        {"seniority": 6},
    ],
)
def test_a_matching_profile_edit_marks_the_mentor_for_the_index(
    programme: Programme, mentor: User, edit: dict[str, Any]
) -> None:
    before = row(programme, mentor).profile_version
    profiles.update_profile(actor=mentor, **edit)
    after = row(programme, mentor)
    assert after.profile_version > before
    assert state(programme).profile_changed == after.profile_version


def test_positions_and_questionnaire_mark_the_mentor_for_the_index(
    programme: Programme, mentor: User
) -> None:
    versions = [row(programme, mentor).profile_version]
    profiles.set_positions(
        actor=mentor, positions=[{"title": "Head of PMO", "start": "2015-01", "industry": "rail"}]
    )
    versions.append(row(programme, mentor).profile_version)
    profiles.save_personality(actor=mentor, answers=[4] * 10, consent=True)
    versions.append(row(programme, mentor).profile_version)
    profiles.withdraw_personality(actor=mentor)
    versions.append(row(programme, mentor).profile_version)
    assert versions == sorted(set(versions))


def test_a_mentee_edit_touches_no_mentor_row(programme: Programme, mentee: User) -> None:
    profiles.update_profile(actor=mentee, topics_wanted=["networking"])
    assert not MentorAvailability.objects.exists()


def test_a_mentor_paused_from_requests_is_unavailable_until_they_confirm(
    programme: Programme, mentor: User
) -> None:
    membership = mentor.memberships.get(programme=programme, role=Role.MENTOR)
    programme.expiries_before_pause = 1
    programme.save()
    expired = requested(programme, mentor, factories.member(programme, Role.MENTEE))
    expired.status = ProposalStatus.EXPIRED
    expired.responded_at = timezone.now()
    expired.save()
    assert availability.pause_if_lapsing(expired=expired, now=timezone.now())
    membership.refresh_from_db()
    assert membership.requests_paused_at is not None
    assert not row(programme, mentor).available
    availability.confirm_availability(actor=mentor, programme=programme)
    assert row(programme, mentor).available


def test_joining_and_leaving_as_mentor(programme: Programme, coordinator: User) -> None:
    user = programmes.sign_up(
        username="nina",
        email="nina@example.org",
        password="a long passphrase 42",
        join_code=programme.join_code,
        role=Role.MENTOR,
    )
    joined = row(programme, user)
    assert joined.available
    membership = user.memberships.get(programme=programme, role=Role.MENTOR)
    programmes.leave_role(actor=user, membership=membership)
    left = row(programme, user)
    assert not left.available
    assert left.profile_version > joined.profile_version  # the index must drop them


def test_an_erased_mentor_is_unavailable_and_leaves_the_index(
    programme: Programme, mentor: User, admin: User
) -> None:
    before = row(programme, mentor).profile_version
    privacy.erase_by_administrator(actor=admin, person=mentor)
    erased = row(programme, mentor)
    assert not erased.available
    assert erased.profile_version > before


def test_an_erased_mentee_frees_their_mentors_seat(programme: Programme, admin: User) -> None:
    mentor = factories.member(programme, Role.MENTOR, capacity=1)
    mentee = factories.member(programme, Role.MENTEE)
    factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)
    assert not row(programme, mentor).available
    privacy.erase_by_administrator(actor=admin, person=mentee)
    assert row(programme, mentor).available


def test_resync_corrects_writes_that_bypassed_the_services(
    programme: Programme, mentor: User
) -> None:
    mentor.profile.capacity = 0
    mentor.profile.save()  # behind the services' back
    assert row(programme, mentor).available
    stranger = factories.UserFactory.create()
    factories.ProfileFactory.create(user=stranger)
    factories.MembershipFactory.create(user=stranger, programme=programme, role=Role.MENTOR)
    assert resync_availability(programme_id=programme.pk) == 2
    assert not row(programme, mentor).available
    added = row(programme, stranger)
    assert added.available
    assert added.profile_version == added.version  # the index learns of them
    assert resync_availability(programme_id=programme.pk) == 0


def test_versions_only_grow_within_a_programme(programme: Programme, mentee: User) -> None:
    mentor = factories.member(programme, Role.MENTOR, capacity=1)
    seen = [row(programme, mentor).version]
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee
    )
    seen.append(row(programme, mentor).version)
    mentorships.complete_mentorship(actor=mentor, mentorship=mentorship)
    seen.append(row(programme, mentor).version)
    assert seen == sorted(set(seen))
    assert state(programme).changes == seen[-1]
