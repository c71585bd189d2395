"""The demo programme: realistic, complete, made by the real services, and loaded only once."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from mentorship.models import (
    AuditEvent,
    Introduction,
    Mentorship,
    MentorshipStatus,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.selectors.cadence import programme_cadence
from mentorship.taxonomy import NetworkGroup


@override_settings(DEBUG=True)  # local development: the published demo logins
def test_the_demo_is_realistic_complete_and_loaded_once(
    db: None, capsys: pytest.CaptureFixture[str]
) -> None:
    call_command("seed_demo")
    first = capsys.readouterr().out
    call_command("seed_demo")
    second = capsys.readouterr().out

    programme = Programme.objects.get(slug="pmo-network")
    assert "already loaded" in second
    assert Programme.objects.count() == 1
    assert programme.memberships.filter(role=Role.MENTOR).count() == 40
    assert programme.memberships.filter(role=Role.MENTEE).count() == 120

    logins = [line.split() for line in first.splitlines() if line.startswith("login: ")]
    assert logins == [line.split() for line in second.splitlines() if line.startswith("login: ")]
    by_name = {username: (role, password) for _, role, username, password in logins}
    for username, (role, password) in by_name.items():
        user = User.objects.get(username=username)
        assert user.check_password(password), username
        if role != "staff":
            assert programme.memberships.filter(user=user, role=role).exists(), username

    mentor = User.objects.get(username="mentor")
    mentee = User.objects.get(username="mentee")
    newcomer = User.objects.get(username="newcomer")
    assert Mentorship.objects.filter(mentor=mentor, status=MentorshipStatus.ACTIVE).exists()
    assert Mentorship.objects.filter(mentee=mentee, status=MentorshipStatus.ACTIVE).exists()
    assert not Mentorship.objects.filter(mentee=newcomer).exists()
    assert Proposal.objects.filter(mentee=newcomer, status=ProposalStatus.SUGGESTED).count() >= 3

    # Months of history in every state, made through the services (so audited).
    statuses = set(Proposal.objects.values_list("status", flat=True))
    assert statuses >= {"suggested", "requested", "accepted", "declined", "expired", "withdrawn"}
    assert set(Mentorship.objects.values_list("status", flat=True)) >= {"active", "completed"}
    assert set(Introduction.objects.values_list("network_group", flat=True)) == set(
        NetworkGroup.values
    )
    assert (
        AuditEvent.objects.filter(action="accept").count()
        == Proposal.objects.filter(status=ProposalStatus.ACCEPTED).count()
    )
    for proposal in Proposal.objects.filter(status=ProposalStatus.ACCEPTED)[:20]:
        assert 2 <= len(proposal.reasons) <= 4

    coordinator = User.objects.get(username="coordinator")
    _, _, summary = programme_cadence(actor=coordinator, slug=programme.slug)
    assert summary.active >= 30
    assert summary.on_track > 0
    assert summary.overdue > 0
    assert summary.never_met > 0
