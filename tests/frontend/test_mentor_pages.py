"""The mentor's pages: what I offer, and the inbox where requests are accepted or declined."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mentorship import factories
from mentorship.models import (
    AuditEvent,
    MatchingRun,
    Mentorship,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def request_from_peer(programme: Programme, mentor: User, peer_mentee: User) -> Proposal:
    """The peer mentee asked the mentor, with a message."""
    profile = peer_mentee.profile
    profile.headline = "Project coordinator at Brightwater"
    profile.topics_wanted = ["risk_management"]
    profile.save()
    factories.PositionFactory.create(
        profile=profile, title="Project Coordinator", organisation="Brightwater", end=None
    )
    factories.PersonalityFactory.create(profile=profile)
    return factories.ProposalFactory.create(
        programme=programme,
        mentor=mentor,
        mentee=peer_mentee,
        status=ProposalStatus.REQUESTED,
        message="Your PMO years are exactly what I need.",
        score=0.83,
        reasons=["You both work in utilities"],
    )


def page(response: Any) -> str:
    return response.content.decode()


# What I offer ------------------------------------------------------------------------------


def test_a_mentor_sees_what_they_offer_and_their_free_places(
    client: Client, programme: Programme, mentor: User, mentee: User
) -> None:
    factories.MentorshipFactory.create(programme=programme, mentor=mentor, mentee=mentee)
    client.force_login(mentor)
    html = page(client.get("/mentor/profile/"))
    assert "1 of 2 places taken" in html
    assert 'value="leadership" class="choice-grid" id="id_topics_offered_1" checked' in html
    assert "PMO governance" in html  # labels, not slugs
    assert "/profile/" in html  # the rest of the profile is the shared wizard


def test_a_mentor_saves_topics_capacity_and_availability(
    client: Client, programme: Programme, mentor: User
) -> None:
    client.force_login(mentor)
    response = client.post(
        "/mentor/profile/", {"topics_offered": ["networking", "confidence"], "capacity": "4"}
    )
    assert response.status_code == 302
    mentor.profile.refresh_from_db()
    assert mentor.profile.topics_offered == ["networking", "confidence"]
    assert mentor.profile.capacity == 4
    assert mentor.profile.accepting_mentees is False  # the unticked switch
    assert AuditEvent.objects.filter(object_type="profile", actor=mentor, action="update").exists()


def test_a_capacity_above_the_programmes_maximum_is_refused_next_to_the_field(
    client: Client, programme: Programme, mentor: User
) -> None:
    client.force_login(mentor)
    response = client.post(
        "/mentor/profile/",
        {"topics_offered": ["networking"], "capacity": "9", "accepting_mentees": "on"},
    )
    assert response.status_code == 400
    html = page(response)
    assert "Your programme allows at most 5 mentees per mentor." in html
    assert 'value="9"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="networking" class="choice-grid" id="id_topics_offered_3" checked' in html
    mentor.profile.refresh_from_db()
    assert mentor.profile.capacity == 2


def test_the_mentor_pages_are_for_mentors(client: Client, mentee: User) -> None:
    client.force_login(mentee)
    assert client.get("/mentor/profile/").status_code == 403
    assert client.get("/inbox/").status_code == 403


# The inbox ---------------------------------------------------------------------------------


def test_the_inbox_shows_the_request_with_the_mentees_summary_and_why_they_matched(
    client: Client, mentor: User, request_from_peer: Proposal
) -> None:
    client.force_login(mentor)
    response = client.get("/inbox/")
    html = page(response)
    assert "no-store" in response["Cache-Control"]
    assert "Project coordinator at Brightwater" in html  # headline
    assert "Project Coordinator, Brightwater" in html  # current position
    assert "Risk management" in html  # topics wanted, as words
    assert "Your PMO years are exactly what I need." in html
    assert "83%" in html
    assert "You both work in utilities" in html
    assert request_from_peer.expires_at is not None
    assert f"{request_from_peer.expires_at:%Y}" in html  # the answer deadline
    assert "0 of 2 places taken" in html
    # The questionnaire is the mentee's own: neither answers nor traits reach the mentor.
    assert "openness" not in html.lower()
    assert "conscientious" not in html.lower()


def test_the_accept_form_proposes_the_programmes_cadence(
    client: Client, programme: Programme, mentor: User, request_from_peer: Proposal
) -> None:
    programme.default_cadence_days = 21
    programme.save()
    client.force_login(mentor)
    html = page(client.get("/inbox/"))
    assert 'value="21" min="1" max="365" required' in html


def test_accepting_with_a_cadence_starts_the_mentorship(
    client: Client, mentor: User, peer_mentee: User, request_from_peer: Proposal
) -> None:
    client.force_login(mentor)
    response = client.post(
        f"/inbox/{request_from_peer.pk}/accept/",
        {"cadence_days": "10", "goals": "Run a PMO by next summer"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/inbox/"
    mentorship = Mentorship.objects.get(mentor=mentor, mentee=peer_mentee)
    assert (mentorship.cadence_days, mentorship.goals) == (10, "Run a PMO by next summer")
    request_from_peer.refresh_from_db()
    assert request_from_peer.status == ProposalStatus.ACCEPTED
    html = page(client.get("/inbox/"))
    assert f"Accepted: you now mentor {peer_mentee.display_name}." in html
    assert f"/mentorships/{mentorship.pk}/" in html  # in the answered history


def test_declining_without_a_reason_is_an_error_next_to_the_field(
    client: Client, mentor: User, request_from_peer: Proposal
) -> None:
    client.force_login(mentor)
    response = client.post(f"/inbox/{request_from_peer.pk}/decline/", {"reason": "  "})
    assert response.status_code == 400
    html = page(response)
    pk = request_from_peer.pk
    assert f'id="decline-{pk}-reason_error"><li>This field is required.</li>' in html
    described_by = f"decline-{pk}-reason_helptext decline-{pk}-reason_error"
    assert f'aria-invalid="true" aria-describedby="{described_by}"' in html
    request_from_peer.refresh_from_db()
    assert request_from_peer.status == ProposalStatus.REQUESTED


def test_declining_with_a_reason_keeps_it_for_the_mentee(
    client: Client, mentor: User, request_from_peer: Proposal
) -> None:
    client.force_login(mentor)
    reason = "I mentor in construction only; try someone from utilities."
    response = client.post(f"/inbox/{request_from_peer.pk}/decline/", {"reason": reason})
    assert response.status_code == 302
    request_from_peer.refresh_from_db()
    assert (request_from_peer.status, request_from_peer.decline_reason) == ("declined", reason)
    html = page(client.get("/inbox/"))
    assert "No request is waiting for you." in html
    assert reason in html  # the answered history


def test_accepting_twice_is_harmless(
    client: Client, mentor: User, request_from_peer: Proposal
) -> None:
    client.force_login(mentor)
    url = f"/inbox/{request_from_peer.pk}/accept/"
    assert client.post(url, {"cadence_days": "14"}).status_code == 302
    again = client.post(url, {"cadence_days": "14"})
    assert again.status_code == 400
    assert "This request is already accepted." in page(again)
    assert Mentorship.objects.filter(mentor=mentor).count() == 1


def test_declining_twice_is_harmless(
    client: Client, mentor: User, request_from_peer: Proposal
) -> None:
    client.force_login(mentor)
    url = f"/inbox/{request_from_peer.pk}/decline/"
    assert client.post(url, {"reason": "Full this quarter"}).status_code == 302
    again = client.post(url, {"reason": "Another reason"})
    assert again.status_code == 400
    assert "This request is already declined." in page(again)
    request_from_peer.refresh_from_db()
    assert request_from_peer.decline_reason == "Full this quarter"


def test_at_capacity_the_accept_shows_the_services_message_and_keeps_the_goals(
    client: Client, programme: Programme, mentor: User, request_from_peer: Proposal
) -> None:
    for _ in range(2):  # the mentor's capacity is 2
        factories.MentorshipFactory.create(programme=programme, mentor=mentor)
    client.force_login(mentor)
    response = client.post(
        f"/inbox/{request_from_peer.pk}/accept/", {"cadence_days": "14", "goals": "My goals"}
    )
    assert response.status_code == 400
    html = page(response)
    assert "You are at capacity (2 of 2 mentees)" in html
    assert "My goals</textarea>" in html
    assert "2 of 2 places taken" in html
    request_from_peer.refresh_from_db()
    assert request_from_peer.status == ProposalStatus.REQUESTED


def test_htmx_answers_swap_the_card_and_the_free_places(
    client: Client, mentor: User, request_from_peer: Proposal
) -> None:
    client.force_login(mentor)
    pk = request_from_peer.pk
    refused = client.post(f"/inbox/{pk}/decline/", {"reason": ""}, headers=HTMX)
    assert refused.status_code == 400
    assert "<html" not in page(refused)
    assert f'id="request-{pk}"' in page(refused)
    response = client.post(f"/inbox/{pk}/accept/", {"cadence_days": "7"}, headers=HTMX)
    assert response.status_code == 200
    html = page(response)
    assert "<html" not in html
    assert f'id="request-{pk}"' in html
    assert "You accepted on" in html
    assert 'id="seats" class="seats" aria-labelledby="seats-title" hx-swap-oob="true"' in html
    assert "1 of 2 places taken" in html


def test_a_request_to_someone_else_is_not_found(
    client: Client, programme: Programme, request_from_peer: Proposal
) -> None:
    other_mentor = factories.member(programme, Role.MENTOR, username="otto")
    client.force_login(other_mentor)
    url = f"/inbox/{request_from_peer.pk}/accept/"
    assert client.post(url, {"cadence_days": "14"}).status_code == 404
    assert client.post("/inbox/999999/decline/", {"reason": "x"}).status_code == 404
    assert client.get(url).status_code == 405  # answers are POSTs only
    request_from_peer.refresh_from_db()
    assert request_from_peer.status == ProposalStatus.REQUESTED


def test_a_published_cohort_proposal_reaches_the_inbox(
    client: Client, programme: Programme, mentor: User, peer_mentee: User, coordinator: User
) -> None:
    run = MatchingRun.objects.create(
        programme=programme, mode="optimal", status="published", published_at=timezone.now()
    )
    factories.ProposalFactory.create(
        programme=programme,
        mentor=mentor,
        mentee=peer_mentee,
        matching_run=run,
        status=ProposalStatus.REQUESTED,
    )
    client.force_login(mentor)
    assert "Proposed to you by PMO Network's cohort matching" in page(client.get("/inbox/"))
