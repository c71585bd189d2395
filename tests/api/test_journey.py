"""The whole journey through the HTTP API alone, with tokens, as another program would."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from mentorship import factories
from mentorship.models import Role


def client_with(token: str | None = None) -> APIClient:
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json() if response.content else None


@pytest.mark.django_db
def test_signup_match_request_accept_sessions_introduction_and_cadence(
    django_capture_on_commit_callbacks: Any,
) -> None:
    factories.UserFactory.create(username="platform", is_staff=True)
    anonymous = client_with()

    # Staff create the programme and become its coordinator.
    staff_token = ok(
        anonymous.post(
            "/api/v1/auth/token/",
            {"username": "platform", "password": factories.DEFAULT_PASSWORD},
            format="json",
        )
    )["token"]
    coordinator = client_with(staff_token)
    programme = ok(
        coordinator.post(
            "/api/v1/programmes/", {"name": "PMO Network", "slug": "pmo"}, format="json"
        ),
        201,
    )
    assert programme["roles"] == [Role.COORDINATOR]
    join_code = programme["join_code"]

    # A mentor and a mentee sign up with the join code.
    def sign_up(username: str, role: str) -> APIClient:
        body = ok(
            anonymous.post(
                "/api/v1/auth/signup/",
                {
                    "username": username,
                    "email": f"{username}@example.org",
                    "password": "pmo-network-2026!",
                    "join_code": join_code,
                    "role": role,
                },
                format="json",
            ),
            201,
        )
        assert body["programme"] == "pmo"
        return client_with(body["token"])

    mentor = sign_up("grace", Role.MENTOR)
    mentee = sign_up("ada", Role.MENTEE)

    # Profiles, in the engine's field names.
    ok(
        mentor.patch(
            "/api/v1/me/profile/",
            {
                "first_name": "Grace",
                "last_name": "Hopper",
                "headline": "Head of PMO at Helix Pharma",
                "about": "Built a healthcare PMO; I help people grow into PMO governance.",
                "positions": [
                    {
                        "title": "Head of PMO",
                        "organisation": "Helix Pharma",
                        "industry": "healthcare",
                        "start": "2017-03",
                        "end": None,
                    },
                    {
                        "title": "Programme Manager",
                        "organisation": "St Anne's Trust",
                        "industry": "healthcare",
                        "start": "2011-01",
                        "end": "2017-02",
                    },
                ],
                "skills": ["portfolio governance", "risk management"],
                "certifications": ["PMP", "MSP"],
                "seniority": 5,
                "topics": ["pmo_governance", "leadership", "stakeholder_management"],
                "languages": ["en"],
                "timezone": "Europe/London",
                "formats": ["video"],
                "capacity": 2,
            },
            format="json",
        )
    )
    profile = ok(
        mentee.patch(
            "/api/v1/me/profile/",
            {
                "first_name": "Ada",
                "about": "Project manager in healthcare; I want to grow into PMO governance.",
                "positions": [
                    {
                        "title": "Project Manager",
                        "organisation": "NHS Lothian",
                        "industry": "healthcare",
                        "start": "2021-06",
                    }
                ],
                "seniority": 2,
                "topics": ["pmo_governance", "leadership"],
                "languages": ["en"],
                "timezone": "Europe/London",
                "formats": ["video", "phone"],
            },
            format="json",
        )
    )
    assert profile["topics_wanted"] == ["pmo_governance", "leadership"]
    ok(
        mentee.put(
            "/api/v1/me/personality/",
            {"answers": [5, 2, 6, 3, 6, 3, 5, 2, 5, 2], "consent": True},
            format="json",
        )
    )

    # A match request answers with ranked proposals and their reasons.
    match = ok(mentee.post("/api/v1/match-requests/", {"programme": "pmo"}, format="json"), 201)
    assert match["proposals"], "the mentor should be proposed"
    top = match["proposals"][0]
    assert top["mentor"]["username"] == "grace"
    assert 2 <= len(top["reasons"]) <= 4
    assert set(top["components"]) >= {"topic_fit", "career_relevance", "personality", "logistics"}

    # Request, and the mentor accepts.
    with django_capture_on_commit_callbacks(execute=True):
        requested = ok(
            mentee.post(
                f"/api/v1/proposals/{top['id']}/request/",
                {"message": "Would you mentor me?"},
                format="json",
            )
        )
    assert requested["status"] == "requested"
    assert any("would like you as their mentor" in m.subject for m in mail.outbox)
    inbox = ok(mentor.get("/api/v1/proposals/?status=requested"))
    assert [p["id"] for p in inbox["results"]] == [top["id"]]
    assert "personality" not in inbox["results"][0]["mentee"]
    mentorship = ok(
        mentor.post(
            f"/api/v1/proposals/{top['id']}/accept/",
            {"cadence_days": 14, "goals": "PMO governance"},
            format="json",
        )
    )
    assert (mentorship["status"], mentorship["cadence_days"]) == ("active", 14)
    assert mentorship["cadence"]["status"] == "never_met"
    again = mentor.post(f"/api/v1/proposals/{top['id']}/accept/", format="json")
    assert again.status_code == 409

    # Sessions: each side's notes stay private.
    mid = mentorship["id"]
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    session = ok(
        mentee.post(
            f"/api/v1/mentorships/{mid}/sessions/",
            {
                "date": today,
                "duration_minutes": 45,
                "format": "video",
                "topics": ["pmo_governance"],
                "notes": "Mapped my stakeholders.",
                "rating": 5,
            },
            format="json",
        ),
        201,
    )
    assert session["notes"] == "Mapped my stakeholders."
    seen_by_mentor = ok(mentor.get(f"/api/v1/sessions/{session['id']}/"))
    assert seen_by_mentor["notes"] == ""
    assert seen_by_mentor["rating"] is None

    # An introduction with a follow-up; the mentee confirms it and reports the outcome.
    intro = ok(
        mentor.post(
            f"/api/v1/mentorships/{mid}/introductions/",
            {
                "contact_name": "Linus Chen",
                "contact_organisation": "Gridline Power",
                "contact_role": "Portfolio Director",
                "network_group": "senior_leadership",
                "connection_type": "strategic",
                "purpose": "See how an energy PMO runs its portfolio board.",
                "follow_up_on": today,
            },
            format="json",
        ),
        201,
    )
    updated = ok(
        mentee.patch(
            f"/api/v1/introductions/{intro['id']}/",
            {"confirmed": True, "outcome": "met"},
            format="json",
        )
    )
    assert (updated["confirmed"], updated["outcome"]) == (True, "met")

    # The coordinator sees the pair on track in the cadence and in the stats.
    cadence = ok(coordinator.get("/api/v1/programmes/pmo/cadence/"))
    assert cadence["summary"]["active"] == 1
    row = cadence["mentorships"][0]
    assert (row["mentorship"], row["sessions"], row["status"]) == (mid, 1, "on_track")
    stats = ok(coordinator.get("/api/v1/programmes/pmo/stats/"))
    assert stats["funnel"] == {"mentees": 1, "asked": 1, "requested": 1, "matched": 1}
    assert stats["introductions_by_group"]["senior_leadership"] == 1
    export = coordinator.get("/api/v1/programmes/pmo/cadence/export/")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    assert "on_track" in b"".join(export.streaming_content).decode()  # type: ignore[attr-defined]

    # Logging out invalidates the token.
    ok(mentee.post("/api/v1/auth/logout/", format="json"), 204)
    assert mentee.get("/api/v1/me/profile/").status_code == 401
