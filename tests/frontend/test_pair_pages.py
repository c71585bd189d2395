"""The pair's pages: the mentorships list and the mentorship page (goals, cadence, sessions with
private notes, introductions, lifecycle), as the mentor, the mentee and a coordinator see them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from mentorship import factories
from mentorship.models import (
    AuditEvent,
    Introduction,
    Mentorship,
    MentorshipStatus,
    Programme,
    Role,
    Session,
    User,
)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def pairing(programme: Programme, mentor: User, mentee: User) -> Mentorship:
    return factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee, goals="Lead a PMO", cadence_days=14
    )


def page(response: Any) -> str:
    return response.content.decode()


def session_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "date": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        "duration_minutes": "45",
        "format": "video",
        "topics": ["leadership"],
        "notes": "Talked through the first 90 days.",
        "rating": "4",
    }
    data.update(changes)
    return data


# The list ----------------------------------------------------------------------------------


def test_a_mentor_only_sees_my_mentees_with_cadence_open_ones_first(
    client: Client, programme: Programme, mentor: User, pairing: Mentorship
) -> None:
    ended = factories.MentorshipFactory.create(
        programme=programme,
        mentor=mentor,
        status=MentorshipStatus.ENDED,
        ended_on=timezone.localdate(),
        end_reason="Moved abroad",
    )
    factories.MentorshipFactory.create(programme=programme)  # someone else's
    client.force_login(mentor)
    html = page(client.get("/mentorships/"))
    assert "<h1>My mentees</h1>" in html
    assert "My mentors" not in html
    assert html.index(pairing.mentee.display_name) < html.index(ended.mentee.display_name)
    assert "never met" in html  # the open one's cadence badge
    due = pairing.started_on + dt.timedelta(days=14)
    assert due.strftime("%Y") in html
    assert "ended" in html
    assert len(re.findall(r'href="/mentorships/\d+/"', html)) == 2


def test_someone_both_mentee_and_mentor_sees_my_mentorships_with_both_sides(
    client: Client, programme: Programme, mentor: User, mentee: User, pairing: Mentorship
) -> None:
    factories.MembershipFactory.create(user=mentee, programme=programme, role=Role.MENTOR)
    client.force_login(mentee)
    html = page(client.get("/mentorships/"))
    assert "<h1>My mentorships</h1>" in html
    assert "My mentees" in html
    assert "My mentors" in html
    assert mentor.display_name in html


# The mentorship page -----------------------------------------------------------------------


def test_the_pair_sees_goals_cadence_and_the_other_persons_summary(
    client: Client, mentor: User, mentee: User, pairing: Mentorship
) -> None:
    mentor.profile.headline = "Head of PMO at Gridline"
    mentor.profile.save()
    client.force_login(mentee)
    response = client.get(f"/mentorships/{pairing.pk}/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = page(response)
    assert f"Mentored by {mentor.display_name}" in html
    assert "Head of PMO at Gridline" in html
    assert "Offers help with" in html
    assert "Lead a PMO</textarea>" in html  # the pair edits the goals
    assert "never met" in html
    assert "Next session due" in html


@pytest.mark.parametrize("who", ["outsider", "peer_mentee", "other_coordinator"])
def test_anyone_outside_the_pair_and_its_coordinators_gets_404(
    client: Client, pairing: Mentorship, who: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(who))
    assert client.get(f"/mentorships/{pairing.pk}/").status_code == 404
    assert client.post(f"/mentorships/{pairing.pk}/pause/").status_code == 404
    assert client.post(f"/mentorships/{pairing.pk}/sessions/", session_data()).status_code == 404
    pairing.refresh_from_db()
    assert pairing.status == MentorshipStatus.ACTIVE
    assert not Session.objects.exists()


def test_a_nonsense_mentorship_id_is_the_404_page(client: Client, mentor: User) -> None:
    client.force_login(mentor)
    response = client.get("/mentorships/2147483648999/")
    assert response.status_code == 404
    assert "We could not find that page" in page(response)


def test_notes_and_ratings_are_the_viewers_own_and_coordinators_see_none(
    client: Client, mentor: User, mentee: User, coordinator: User, pairing: Mentorship
) -> None:
    factories.SessionFactory.create(
        mentorship=pairing,
        mentor_notes="MENTOR-ONLY-NOTE",
        mentee_notes="MENTEE-ONLY-NOTE",
        mentor_rating=2,
        mentee_rating=5,
    )
    client.force_login(mentor)
    html = page(client.get(f"/mentorships/{pairing.pk}/"))
    assert "MENTOR-ONLY-NOTE" in html
    assert "<strong>2 of 5</strong>" in html
    assert "MENTEE-ONLY-NOTE" not in html
    assert "5 of 5" not in html
    client.force_login(mentee)
    html = page(client.get(f"/mentorships/{pairing.pk}/"))
    assert "MENTEE-ONLY-NOTE" in html
    assert "<strong>5 of 5</strong>" in html
    assert "MENTOR-ONLY-NOTE" not in html
    assert "2 of 5" not in html
    client.force_login(coordinator)
    response = client.get(f"/mentorships/{pairing.pk}/")
    assert response.status_code == 200
    html = page(response)
    assert "NOTE" not in html
    assert "of 5" not in html
    assert "Log a session" not in html  # coordinators read; the pair logs


def test_logging_a_session_keeps_the_notes_and_rating_on_the_loggers_side(
    client: Client, mentee: User, pairing: Mentorship
) -> None:
    client.force_login(mentee)
    response = client.post(f"/mentorships/{pairing.pk}/sessions/", session_data())
    assert response.status_code == 302
    assert response["Location"] == f"/mentorships/{pairing.pk}/#sessions"
    session = Session.objects.get(mentorship=pairing)
    assert session.mentee_notes == "Talked through the first 90 days."
    assert (session.mentee_rating, session.mentor_notes, session.mentor_rating) == (4, "", None)
    assert session.topics == ["leadership"]
    assert session.logged_by == mentee
    assert AuditEvent.objects.filter(object_type="session", object_id=session.pk).exists()
    html = page(client.get(f"/mentorships/{pairing.pk}/"))
    assert "logged." in html
    assert "on track" in html


def test_a_session_log_error_is_shown_next_to_the_field_and_keeps_what_was_typed(
    client: Client, mentor: User, pairing: Mentorship
) -> None:
    client.force_login(mentor)
    future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
    response = client.post(
        f"/mentorships/{pairing.pk}/sessions/",
        session_data(date=future, notes="Keep these words", duration_minutes="50"),
    )
    assert response.status_code == 400
    html = page(response)
    assert "the date is in the future" in html
    assert 'aria-invalid="true" aria-describedby="id_date_error"' in html
    assert f'value="{future}"' in html
    assert 'value="50"' in html
    assert "Keep these words</textarea>" in html
    assert not Session.objects.exists()


def test_htmx_logging_swaps_the_form_and_history_and_refreshes_the_cadence(
    client: Client, mentor: User, pairing: Mentorship
) -> None:
    client.force_login(mentor)
    url = f"/mentorships/{pairing.pk}/sessions/"
    refused = client.post(url, session_data(duration_minutes="0"), headers=HTMX)
    assert refused.status_code == 400
    assert "<html" not in page(refused)
    assert 'id="sessions"' in page(refused)
    response = client.post(url, session_data(), headers=HTMX)
    assert response.status_code == 200
    html = page(response)
    assert "<html" not in html
    assert 'id="sessions"' in html
    assert "Talked through the first 90 days." in html
    assert 'id="cadence"' in html
    assert 'hx-swap-oob="true"' in html
    assert "on track" in html
    assert 'name="notes" cols="40" rows="3" maxlength="10000" aria-describedby' in html
    assert "Talked through the first 90 days.</textarea>" not in html  # a fresh form


def test_the_pair_edits_goals_and_the_cadence_target(
    client: Client, mentor: User, pairing: Mentorship
) -> None:
    client.force_login(mentor)
    response = client.post(
        f"/mentorships/{pairing.pk}/goals/", {"goals": "Lead a PMO by June", "cadence_days": "21"}
    )
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert (pairing.goals, pairing.cadence_days) == ("Lead a PMO by June", 21)
    refused = client.post(f"/mentorships/{pairing.pk}/goals/", {"goals": "x", "cadence_days": "0"})
    assert refused.status_code == 400
    assert "greater than or equal to 1" in page(refused)


def test_an_introduction_recorded_by_the_mentor_is_confirmed_by_the_mentee_with_its_outcome(
    client: Client, mentor: User, mentee: User, pairing: Mentorship
) -> None:
    client.force_login(mentor)
    response = client.post(
        f"/mentorships/{pairing.pk}/introductions/",
        {
            "contact_member": "",
            "contact_name": "Kim Lee",
            "contact_organisation": "Gridline Power",
            "contact_role": "Head of PMO",
            "network_group": "senior_leadership",
            "connection_type": "strategic",
            "purpose": "How an energy PMO runs its portfolio board",
            "follow_up_on": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        },
    )
    assert response.status_code == 302
    introduction = Introduction.objects.get(mentorship=pairing)
    assert (introduction.introducer, introduction.contact_name) == (mentor, "Kim Lee")
    client.force_login(mentee)
    html = page(client.get(f"/mentorships/{pairing.pk}/"))
    assert "Kim Lee" in html
    assert "Senior leadership" in html
    assert "Not confirmed yet" in html
    assert "Record an introduction" not in html  # the mentor's (or a coordinator's) to do
    response = client.post(
        f"/introductions/{introduction.pk}/",
        {"confirmed": "on", "outcome": "met", "outcome_note": "Coffee next week"},
    )
    assert response.status_code == 302
    introduction.refresh_from_db()
    assert introduction.confirmed_at is not None
    assert (introduction.outcome, introduction.outcome_note) == ("met", "Coffee next week")
    client.force_login(mentor)
    html = page(client.get(f"/mentorships/{pairing.pk}/"))
    assert "They met" in html
    assert "Coffee next week" in html


def test_an_introduction_needs_a_contact_and_keeps_what_was_typed(
    client: Client, mentor: User, pairing: Mentorship
) -> None:
    client.force_login(mentor)
    response = client.post(
        f"/mentorships/{pairing.pk}/introductions/",
        {
            "network_group": "delivery_teams",
            "connection_type": "operational",
            "purpose": "Learn the delivery rhythm",
        },
    )
    assert response.status_code == 400
    html = page(response)
    assert 'id="id_contact_name_error"' in html
    assert "This field is required." in html
    assert "Learn the delivery rhythm</textarea>" in html
    assert not Introduction.objects.exists()


def test_an_introduction_to_a_programme_member_and_never_to_an_outsider(
    client: Client, programme: Programme, mentor: User, outsider: User, pairing: Mentorship
) -> None:
    colleague = factories.member(programme, Role.MENTOR, first_name="Priya", last_name="Nair")
    client.force_login(mentor)
    html = page(client.get(f"/mentorships/{pairing.pk}/"))
    assert f'<option value="{colleague.pk}">Priya Nair</option>' in html
    assert f'<option value="{outsider.pk}"' not in html
    data = {
        "network_group": "wider_business",
        "connection_type": "personal",
        "purpose": "A second view on the PMO role",
    }
    refused = client.post(
        f"/mentorships/{pairing.pk}/introductions/", {**data, "contact_member": outsider.pk}
    )
    assert refused.status_code == 400
    assert "Select a valid choice" in page(refused)
    response = client.post(
        f"/mentorships/{pairing.pk}/introductions/", {**data, "contact_member": colleague.pk}
    )
    assert response.status_code == 302
    assert Introduction.objects.get().contact_member == colleague


def test_the_mentee_cannot_record_an_introduction(
    client: Client, mentee: User, pairing: Mentorship
) -> None:
    client.force_login(mentee)
    response = client.post(
        f"/mentorships/{pairing.pk}/introductions/",
        {
            "contact_name": "Self Made",
            "network_group": "delivery_teams",
            "connection_type": "operational",
            "purpose": "x",
        },
    )
    assert response.status_code == 403
    assert not Introduction.objects.exists()


def test_pause_resume_and_end_with_a_reason(
    client: Client, mentor: User, mentee: User, pairing: Mentorship
) -> None:
    client.force_login(mentee)
    url = f"/mentorships/{pairing.pk}"
    assert client.post(f"{url}/pause/").status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == MentorshipStatus.PAUSED
    again = client.post(f"{url}/pause/", follow=True)
    assert "Cannot pause a mentorship that is paused." in page(again)
    client.force_login(mentor)
    assert client.post(f"{url}/resume/").status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == MentorshipStatus.ACTIVE
    confirm = client.get(f"{url}/end/")
    assert confirm.status_code == 200
    assert "Why the mentorship ends" in page(confirm)
    refused = client.post(f"{url}/end/", {"reason": ""})
    assert refused.status_code == 400
    assert 'id="id_reason_error"' in page(refused)
    pairing.refresh_from_db()
    assert pairing.status == MentorshipStatus.ACTIVE
    assert client.post(f"{url}/end/", {"reason": "Changed jobs"}).status_code == 302
    pairing.refresh_from_db()
    assert (pairing.status, pairing.end_reason) == (MentorshipStatus.ENDED, "Changed jobs")
    actions = list(
        AuditEvent.objects.filter(object_type="mentorship", object_id=pairing.pk)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["pause", "resume", "end"]
    html = page(client.get(f"{url}/"))
    assert "Changed jobs" in html
    assert "there is nothing more to change" in html
    assert "Log a session" in html  # a session held before the end can still be logged
    assert "Save goals and rhythm" not in html


def test_completing_asks_to_confirm_first(
    client: Client, mentor: User, pairing: Mentorship
) -> None:
    client.force_login(mentor)
    url = f"/mentorships/{pairing.pk}/complete/"
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Yes, complete the mentorship" in page(confirm)
    pairing.refresh_from_db()
    assert pairing.status == MentorshipStatus.ACTIVE  # a GET changes nothing
    assert client.post(url).status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == MentorshipStatus.COMPLETED
    twice = client.post(url, follow=True)
    assert "Cannot complete a mentorship that is completed." in page(twice)
    assert "it cannot be completed now" in page(client.get(url))


def test_a_coordinator_can_pause_and_introduce_but_not_log_sessions(
    client: Client, coordinator: User, pairing: Mentorship
) -> None:
    client.force_login(coordinator)
    html = page(client.get(f"/mentorships/{pairing.pk}/"))
    assert "Record an introduction" in html
    assert "Pause" in html
    assert "Save goals and rhythm" not in html
    assert "Log a session" not in html
    assert client.post(f"/mentorships/{pairing.pk}/pause/").status_code == 302
    pairing.refresh_from_db()
    assert pairing.status == MentorshipStatus.PAUSED
    refused = client.post(f"/mentorships/{pairing.pk}/sessions/", session_data())
    assert refused.status_code == 403
    assert not Session.objects.exists()


def test_goals_sent_after_the_mentorship_closed_show_why_next_to_the_form(
    client: Client, mentor: User, pairing: Mentorship
) -> None:
    client.force_login(mentor)
    assert client.post(f"/mentorships/{pairing.pk}/complete/").status_code == 302
    refused = client.post(
        f"/mentorships/{pairing.pk}/goals/", {"goals": "Typed in a stale tab", "cadence_days": "7"}
    )
    assert refused.status_code == 400
    html = page(refused)
    assert "Cannot change a mentorship that is completed." in html
    assert "Typed in a stale tab</textarea>" in html
