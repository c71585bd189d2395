"""The demo programme: realistic, complete, made by the real services, and loaded only once."""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from mentorship.models import (
    AuditEvent,
    Contact,
    ContactTier,
    Introduction,
    MatchingRun,
    MatchingRunStatus,
    MatchRequest,
    Mentorship,
    MentorshipStatus,
    NetworkPlan,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.selectors.cadence import programme_cadence
from mentorship.selectors.network import own_summary
from mentorship.selectors.proposals import unmatched_mentees
from mentorship.services.proposals import has_free_seat
from mentorship.taxonomy import NetworkGroup


@override_settings(DEBUG=True)  # local development: the published demo logins
def test_the_demo_is_realistic_complete_loaded_once_and_gives_each_login_something_to_do(
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

    # Network plans: several groups and tiers, overdue contacts, introductions that became
    # contacts and were followed up, some plans shared; the demo mentee's is private and has
    # no senior leadership yet (the README's journey fills that gap).
    plans = NetworkPlan.objects.filter(programme=programme)
    assert plans.count() >= 40
    assert plans.filter(shared_with_mentor=True).exists()
    contacts = Contact.objects.filter(plan__programme=programme)
    assert set(contacts.values_list("network_group", flat=True)) == set(NetworkGroup.values)
    assert set(contacts.values_list("tier", flat=True)) == set(ContactTier.values)
    assert contacts.filter(introduction__isnull=False).count() == Introduction.objects.count()
    assert Introduction.objects.filter(
        confirmed_at__isnull=False, contact__touchpoints__isnull=False
    ).exists()
    contact_statuses: Counter[str] = Counter(
        row.cadence.status
        for plan in plans.select_related("owner", "programme")
        for row in own_summary(plan.owner, programme).rows
    )
    assert contact_statuses["overdue"] > 0
    assert contact_statuses["on_track"] > 0
    assert contact_statuses["never_met"] > 0
    mine = own_summary(mentee, programme)
    assert not mine.plan.shared_with_mentor
    assert len({r.contact.network_group for r in mine.rows}) >= 3
    assert "senior_leadership" in [s.key for s in mine.thin if s.kind == "network_group"]
    assert mine.counts["overdue"] >= 1

    coordinator = User.objects.get(username="coordinator")
    _, _, summary = programme_cadence(actor=coordinator, slug=programme.slug)
    assert summary.active >= 30
    assert summary.on_track > 0
    assert summary.overdue > 0
    assert summary.never_met > 0

    # Seeding is slow, so the same demo is checked for what each login acts on in the pages.
    each_login_has_something_to_act_on(programme)


def each_login_has_something_to_act_on(programme: Programme) -> None:
    coordinator = User.objects.get(username="coordinator")
    mentor = User.objects.get(username="mentor")
    newcomer = User.objects.get(username="newcomer")

    # The coordinator: a draft cohort run to review, beside the published run of the history.
    runs = MatchingRun.objects.filter(programme=programme)
    assert runs.filter(status=MatchingRunStatus.PUBLISHED).count() == 1
    [draft] = runs.filter(status=MatchingRunStatus.DRAFT)
    assert draft.created_by == coordinator
    drafts = Proposal.objects.filter(matching_run=draft)
    assert drafts.count() == draft.summary["matched"] > 0
    assert set(drafts.values_list("status", flat=True)) == {ProposalStatus.DRAFT}
    unmatched = unmatched_mentees(actor=coordinator, run=draft)
    assert [person.pk for person in unmatched] != []
    assert {f"u{person.pk}" for person in unmatched} == set(draft.summary["unmatched"])

    # The mentor: requests waiting for an answer, and a free place to accept one of them.
    waiting = Proposal.objects.filter(mentor=mentor, status=ProposalStatus.REQUESTED)
    assert waiting.count() >= 2
    assert all(p.expires_at is not None and p.expires_at > timezone.now() for p in waiting)
    assert has_free_seat(mentor.pk)

    # The newcomer: the fresh shortlist of their only match request, nothing sent yet, and not
    # in the coordinator's draft (publishing it leaves them choosing).
    [match_request] = MatchRequest.objects.filter(mentee=newcomer)
    assert match_request.proposals.filter(status=ProposalStatus.SUGGESTED).count() >= 3
    assert not Proposal.objects.filter(mentee=newcomer).exclude(status=ProposalStatus.SUGGESTED)
    assert not drafts.filter(mentee=newcomer).exists()
