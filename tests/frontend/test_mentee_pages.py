"""The mentee's pages and everyone's own profile: the wizard, the questionnaire, "find a mentor"
and "my requests", through the Django test client (plain POSTs and htmx alike)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from mentorship import factories
from mentorship.models import (
    AuditEvent,
    MatchRequest,
    Personality,
    Position,
    Profile,
    Programme,
    Proposal,
    ProposalStatus,
    Role,
    User,
)
from mentorship.services.proposals import MAX_PENDING_REQUESTS

S = ProposalStatus
HTMX = {"HX-Request": "true"}
ANSWERS = [2, 5, 7, 2, 6, 6, 4, 1, 6, 2]


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture
def signed_in(client: Client, mentee: User) -> Client:
    client.force_login(mentee)
    return client


def text(response: Any) -> str:
    return response.content.decode()


def field_html(page: str, name: str) -> str:
    """The <input>/<textarea>/<select> tag of a field, to check its value and aria-invalid."""
    match = re.search(rf'<(input|textarea|select)[^>]*name="{name}"[^>]*>', page)
    assert match, f"no field {name}"
    return match.group(0)


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def shortlist_of(programme: Programme, mentee: User, mentors: list[User]) -> list[Proposal]:
    """A match request with one suggestion per mentor, ranked in the order given."""
    request = MatchRequest.objects.create(programme=programme, mentee=mentee)
    return [
        factories.ProposalFactory.create(
            programme=programme,
            mentee=mentee,
            mentor=mentor,
            match_request=request,
            rank=rank,
            score=round(0.9 - rank / 20, 3),
            components={"topic_fit": 0.75, "career_relevance": 0.5, "logistics": 0.25},
            reasons=[f"Reason {rank} for {mentor.username}"],
        )
        for rank, mentor in enumerate(mentors, start=1)
    ]


def mentors_of(programme: Programme, *names: str) -> list[User]:
    return [
        factories.member(
            programme, Role.MENTOR, username=name, first_name=name.title(), last_name="Mentor"
        )
        for name in names
    ]


# The profile wizard -----------------------------------------------------------------------


ABOUT = {
    "first_name": "Tom",
    "last_name": "Reyes",
    "headline": "PMO analyst moving into programme management",
    "about": "Five years in construction PMOs; I want to lead a portfolio office.",
    "seniority": "2",
}


def test_the_about_step_saves_the_profile_and_moves_on_to_the_career_history(
    signed_in: Client, mentee: User
) -> None:
    response = signed_in.post("/profile/", ABOUT)

    assert response.status_code == 302
    assert response["Location"] == "/profile/positions/"
    mentee.refresh_from_db()
    profile = Profile.objects.get(user=mentee)
    assert (mentee.first_name, mentee.last_name) == ("Tom", "Reyes")
    assert profile.headline == ABOUT["headline"]
    assert profile.about == ABOUT["about"]
    event = AuditEvent.objects.filter(object_type="profile", object_id=profile.pk).last()
    assert event is not None
    assert (event.actor, event.action) == (mentee, "update")


def test_a_step_with_an_error_shows_it_next_to_the_field_and_keeps_what_was_typed(
    signed_in: Client, mentee: User
) -> None:
    response = signed_in.post("/profile/", {**ABOUT, "first_name": ""})

    assert response.status_code == 400
    page = text(response)
    assert 'aria-invalid="true"' in field_html(page, "first_name")
    assert "This field is required." in page
    assert ABOUT["headline"] in field_html(page, "headline")
    assert ABOUT["about"] in page
    assert Profile.objects.get(user=mentee).headline == ""


def test_a_services_refusal_lands_next_to_its_field(signed_in: Client, mentee: User) -> None:
    too_long = "x" * 81

    response = signed_in.post("/profile/skills/", {"skills": f"Jira\n{too_long}"})

    assert response.status_code == 400
    page = text(response)
    assert 'aria-invalid="true"' in field_html(page, "skills")
    assert "Entries are at most 80 characters." in page
    assert too_long in page
    assert Profile.objects.get(user=mentee).skills == []


def test_the_skills_step_takes_one_entry_per_line(signed_in: Client, mentee: User) -> None:
    response = signed_in.post(
        "/profile/skills/",
        {"skills": " risk management\nJira, Power BI\n\njira\n", "certifications": "PMP"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/profile/preferences/"
    profile = Profile.objects.get(user=mentee)
    assert profile.skills == ["risk management", "Jira", "Power BI"]
    assert profile.certifications == ["PMP"]
    page = text(signed_in.get("/profile/skills/"))
    assert "risk management\nJira\nPower BI" in page


def test_the_preferences_step_saves_topics_languages_time_zone_and_formats(
    signed_in: Client, mentee: User, programme: Programme
) -> None:
    programme.extra_topics = ["bid_management"]
    programme.save()
    page = text(signed_in.get("/profile/preferences/"))
    assert "Bid management" in page  # the programme's own topic is offered
    assert "French (fr)" in page
    assert "Europe/Paris" in page

    response = signed_in.post(
        "/profile/preferences/",
        {
            "topics_wanted": ["pmo_governance", "bid_management"],
            "languages": ["en", "fr"],
            "timezone": "Europe/Paris",
            "formats": ["video", "phone"],
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/profile/questionnaire/"
    profile = Profile.objects.get(user=mentee)
    assert profile.topics_wanted == ["pmo_governance", "bid_management"]
    assert (profile.languages, profile.timezone) == (["en", "fr"], "Europe/Paris")
    assert profile.formats == ["video", "phone"]


def test_preferences_need_a_language_and_a_real_time_zone(signed_in: Client) -> None:
    response = signed_in.post(
        "/profile/preferences/",
        {"topics_wanted": ["leadership"], "timezone": "Mars/Olympus", "formats": ["video"]},
    )

    assert response.status_code == 400
    page = text(response)
    assert "Choose at least one language." in page
    assert "Select a valid choice. Mars/Olympus is not one of the available choices." in page
    assert re.search(r'value="leadership"[^>]*checked', page)  # the ticked topic stays ticked


def test_a_mentors_preferences_leave_the_topics_they_offer_to_their_own_page(
    client: Client, mentor: User
) -> None:
    client.force_login(mentor)
    page = text(client.get("/profile/preferences/"))
    assert 'name="topics_wanted"' not in page
    assert "What I offer" in page

    response = client.post(
        "/profile/preferences/", {"languages": ["en"], "timezone": "UTC", "formats": []}
    )

    assert response.status_code == 302
    assert Profile.objects.get(user=mentor).topics_offered == ["leadership", "pmo_governance"]


def test_the_wizard_shows_the_step_and_what_is_filled_in(signed_in: Client, mentee: User) -> None:
    factories.PositionFactory.create(profile=mentee.profile)

    page = text(signed_in.get("/profile/skills/"))

    assert "Step 3 of 5: Skills and certifications" in page
    assert 'aria-current="step"><span class="wizard-steps__number" aria-hidden="true">3' in page
    assert page.count("(filled in)") == 2  # career history; the persona has topics and English
    assert 'href="/profile/preferences/"' in page


# Career history ---------------------------------------------------------------------------

POSITION = {
    "title": "Project Manager",
    "organisation": "Gridline Power",
    "industry": "energy",
    "start": "2019-04",
    "end": "",
    "summary": "Delivered the grid upgrade.",
}


def test_adding_a_position_keeps_the_rest_of_the_history(signed_in: Client, mentee: User) -> None:
    earlier = factories.PositionFactory.create(
        profile=mentee.profile, title="PMO Analyst", start=dt.date(2016, 9, 1)
    )

    response = signed_in.post("/profile/positions/", POSITION)

    assert response.status_code == 302
    titles = list(Position.objects.filter(profile__user=mentee).values_list("title", "pk"))
    assert titles[0][0] == "Project Manager"
    assert titles[1] == ("PMO Analyst", earlier.pk)  # untouched, same row
    page = text(signed_in.get("/profile/positions/"))
    assert "Project Manager, Gridline Power" in page
    assert "Apr 2019 to now" in page


def test_adding_the_same_position_twice_keeps_one(signed_in: Client, mentee: User) -> None:
    assert signed_in.post("/profile/positions/", POSITION).status_code == 302

    response = signed_in.post("/profile/positions/", POSITION)

    assert response.status_code == 400
    assert "This position is already in your career history." in text(response)
    assert Position.objects.filter(profile__user=mentee).count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start": "April 2019"}, "start", "Use YYYY-MM, such as 2019-04."),
        ({"start": "2019-13"}, "start", "Use YYYY-MM, such as 2019-04."),
        ({"start": ""}, "start", "This field is required."),
        ({"end": "2018-01"}, "end", "The end comes before the start."),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_a_bad_position_is_refused_next_to_its_field_keeping_the_input(
    signed_in: Client, mentee: User, changes: dict[str, str], field: str, message: str
) -> None:
    response = signed_in.post("/profile/positions/", {**POSITION, **changes})

    assert response.status_code == 400
    page = text(response)
    assert message in page
    assert 'aria-invalid="true"' in field_html(page, field)
    assert "Delivered the grid upgrade." in page
    assert not Position.objects.filter(profile__user=mentee).exists()


def test_editing_a_position_changes_it_in_place(signed_in: Client, mentee: User) -> None:
    position = factories.PositionFactory.create(profile=mentee.profile, title="PM")
    other = factories.PositionFactory.create(
        profile=mentee.profile, title="Analyst", start=dt.date(2015, 1, 1)
    )
    page = text(signed_in.get(f"/profile/positions/{position.pk}/"))
    assert 'value="PM"' in page
    assert 'value="2019-04"' in page

    response = signed_in.post(f"/profile/positions/{position.pk}/", {**POSITION, "end": "2023-06"})

    assert response.status_code == 302
    position.refresh_from_db()
    assert (position.title, position.end) == ("Project Manager", dt.date(2023, 6, 1))
    assert Position.objects.get(pk=other.pk).title == "Analyst"
    # Sending the same change again (a double submit) changes nothing more.
    again = signed_in.post(f"/profile/positions/{position.pk}/", {**POSITION, "end": "2023-06"})
    assert again.status_code == 302
    assert Position.objects.filter(profile__user=mentee).count() == 2


def test_removing_a_position_and_pressing_remove_again_is_harmless(
    signed_in: Client, mentee: User
) -> None:
    gone = factories.PositionFactory.create(profile=mentee.profile, title="Gone")
    kept = factories.PositionFactory.create(profile=mentee.profile, title="Kept")

    response = signed_in.post("/profile/positions/remove/", {"position": gone.pk}, follow=True)

    assert "Position removed." in messages_of(response)
    assert list(Position.objects.filter(profile__user=mentee)) == [kept]
    again = signed_in.post("/profile/positions/remove/", {"position": gone.pk}, follow=True)
    assert again.status_code == 200
    assert "That position is not in your career history any more." in messages_of(again)
    assert list(Position.objects.filter(profile__user=mentee)) == [kept]


def test_someone_elses_position_cannot_be_opened_or_removed(
    signed_in: Client, peer_mentee: User
) -> None:
    theirs = factories.PositionFactory.create(profile=peer_mentee.profile)

    assert signed_in.get(f"/profile/positions/{theirs.pk}/").status_code == 404
    assert signed_in.post(f"/profile/positions/{theirs.pk}/", POSITION).status_code == 404
    assert signed_in.get("/profile/positions/99999999/").status_code == 404
    response = signed_in.post("/profile/positions/remove/", {"position": theirs.pk}, follow=True)
    assert "That position is not in your career history any more." in messages_of(response)
    assert Position.objects.filter(pk=theirs.pk).exists()


def test_the_profile_pages_need_a_signed_in_person(client: Client, db: None) -> None:
    for path in ("/profile/", "/profile/positions/", "/profile/questionnaire/", "/requests/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


# Questionnaire ----------------------------------------------------------------------------


def answers(values: list[int], **extra: str) -> dict[str, Any]:
    return {**{f"item_{n}": str(v) for n, v in enumerate(values, start=1)}, **extra}


def test_the_questionnaire_is_ten_radio_groups_on_a_seven_point_scale(signed_in: Client) -> None:
    page = text(signed_in.get("/profile/questionnaire/"))

    assert page.count("<fieldset") == 11  # ten statements and the consent
    assert "<legend>1. Extraverted, enthusiastic.</legend>" in page
    assert page.count('type="radio"') == 70
    assert "used only to match me with mentors" in page


def test_without_consent_nothing_is_stored_and_the_answers_stay_ticked(
    signed_in: Client, mentee: User
) -> None:
    response = signed_in.post("/profile/questionnaire/", answers(ANSWERS))

    assert response.status_code == 400
    page = text(response)
    assert "Tick the consent box to store your answers." in page
    assert re.search(r'name="item_3" value="7"[^>]*checked', page)
    assert not Personality.objects.exists()


def test_a_mentor_goes_on_to_what_they_offer_after_the_questionnaire(
    client: Client, mentor: User
) -> None:
    client.force_login(mentor)

    response = client.post("/profile/questionnaire/", answers(ANSWERS, consent="on"))

    assert response.status_code == 302
    assert response["Location"] == "/mentor/profile/"
    assert Personality.objects.filter(profile__user=mentor).exists()


def test_a_missing_answer_is_shown_on_its_statement(signed_in: Client) -> None:
    response = signed_in.post("/profile/questionnaire/", answers(ANSWERS[:9], consent="on"))

    assert response.status_code == 400
    assert "Choose how much you agree with this statement." in text(response)
    assert not Personality.objects.exists()


def test_answers_with_consent_are_stored_and_can_be_withdrawn(
    signed_in: Client, mentee: User
) -> None:
    response = signed_in.post("/profile/questionnaire/", answers(ANSWERS, consent="on"))

    assert response.status_code == 302
    assert response["Location"] == "/find-a-mentor/"
    personality = Personality.objects.get(profile__user=mentee)
    assert personality.answers == ANSWERS
    page = text(signed_in.get("/profile/questionnaire/"))
    assert "Withdraw my answers" in page
    assert re.search(r'name="item_1" value="2"[^>]*checked', page)

    withdrawn = signed_in.post("/profile/questionnaire/withdraw/", follow=True)

    assert not Personality.objects.filter(profile__user=mentee).exists()
    assert any("Your answers are erased" in m for m in messages_of(withdrawn))
    assert (
        AuditEvent.objects.filter(action="personality_consent", to_state="withdrawn").count() == 1
    )
    again = signed_in.post("/profile/questionnaire/withdraw/", follow=True)
    assert again.status_code == 200
    assert "Withdraw my answers" not in text(again)


# Find a mentor ----------------------------------------------------------------------------


def test_the_shortlist_is_the_latest_match_requests_only_best_first_each_mentor_once(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    ana, ben, cy = mentors_of(programme, "ana", "ben", "cy")
    shortlist_of(programme, mentee, [ana, ben])
    shortlist_of(programme, mentee, [ben, cy])  # the latest

    page = text(signed_in.get("/find-a-mentor/"))

    assert "Ana Mentor" not in page
    assert page.count("Ben Mentor</h2>") == 1
    assert page.index("Ben Mentor") < page.index("Cy Mentor")
    assert "Reason 1 for ben" in page
    assert "Reason 2 for cy" in page
    assert "Reason 1 for ana" not in page


def test_each_suggestion_shows_the_mentor_the_score_and_the_factors_in_plain_words(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    [ana] = mentors_of(programme, "ana")
    ana.profile.headline = "Head of PMO, energy"
    ana.profile.seniority = 5
    ana.profile.languages = ["en", "fr"]
    ana.profile.save()
    factories.PositionFactory.create(
        profile=ana.profile, title="Head of PMO", organisation="Voltway", industry="energy"
    )
    shortlist_of(programme, mentee, [ana])

    page = text(signed_in.get("/find-a-mentor/"))

    assert "Head of PMO, energy" in page
    assert "Head of PMO, Voltway · Energy" in page
    assert "<dd>Head</dd>" in page
    assert "English, French · Europe/London" in page
    assert re.search(r'<meter id="score-\d+" min="0" max="100" value="85">', page)
    assert "85<span" in page
    assert ">Topics</span>" in page
    assert ">Career relevance</span>" in page
    assert ">Time zone, language and format</span>" in page
    assert ">topic_fit<" not in page


def test_a_mentee_sees_how_many_more_mentors_they_may_ask(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    [ana, ben] = mentors_of(programme, "ana", "ben")
    [_first, second] = shortlist_of(programme, mentee, [ana, ben])
    second.status, second.requested_at = S.REQUESTED, second.created_at
    second.save()

    page = text(signed_in.get("/find-a-mentor/"))

    assert f"You can ask {MAX_PENDING_REQUESTS - 1} more mentors now." in page
    assert "Requested</span> on" in page  # what was done about the second one


def test_asking_for_matches_makes_a_shortlist_with_the_engine(
    signed_in: Client, programme: Programme, mentee: User, mentor: User
) -> None:
    response = signed_in.post("/find-a-mentor/ask/", {"programme": programme.slug}, follow=True)

    assert MatchRequest.objects.filter(mentee=mentee).count() == 1
    assert "Your shortlist is ready: 1 mentor, best first." in messages_of(response)
    page = text(response)
    assert f"{mentor.display_name}</h2>" in page
    assert "Refresh my shortlist" in page


def test_someone_with_a_mentor_is_told_so_instead_of_a_new_shortlist(
    signed_in: Client, programme: Programme, mentee: User, mentor: User
) -> None:
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=mentor, mentee=mentee
    )

    response = signed_in.post("/find-a-mentor/ask/", {"programme": programme.slug}, follow=True)

    assert "You already have a mentor in this programme." in messages_of(response)
    assert not MatchRequest.objects.exists()
    page = text(response)
    assert "You have a mentor" in page
    assert f'href="/mentorships/{mentorship.pk}/"' in page
    assert "Ask for matches" not in page


def test_empty_states_say_what_to_do(signed_in: Client, programme: Programme, mentee: User) -> None:
    page = text(signed_in.get("/find-a-mentor/"))
    assert "Complete your profile first" in page
    assert "No shortlist yet. Ask for matches" in page

    MatchRequest.objects.create(programme=programme, mentee=mentee)
    page = text(signed_in.get("/find-a-mentor/"))
    assert "No mentor available for you yet" in page


def test_an_empty_shortlist_says_why_in_plain_words(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    response = signed_in.post("/find-a-mentor/ask/", {"programme": programme.slug}, follow=True)

    assert MatchRequest.objects.get(mentee=mentee).empty_reason == "no_mentors"
    assert "This programme has no mentors yet." in messages_of(response)
    assert '<p class="empty-reason">This programme has no mentors yet.</p>' in text(response)


def test_a_mentee_of_two_programmes_chooses_the_programme(
    signed_in: Client, mentee: User, programme: Programme, other_programme: Programme
) -> None:
    factories.MembershipFactory.create(user=mentee, programme=other_programme, role=Role.MENTEE)
    [ana] = mentors_of(other_programme, "ana")
    shortlist_of(other_programme, mentee, [ana])

    first = text(signed_in.get("/find-a-mentor/"))  # Alumni Scheme comes first by name
    chosen = text(signed_in.get("/find-a-mentor/?programme=pmo-network"))

    assert 'aria-label="Your programmes"' in first
    assert "Ana Mentor" in first
    assert "Ana Mentor" not in chosen
    assert "In PMO Network." in chosen


def test_someone_who_is_not_a_mentee_is_told_how_to_become_one(
    client: Client, mentor: User
) -> None:
    client.force_login(mentor)
    page = text(client.get("/find-a-mentor/"))
    assert "You are not a mentee in any programme yet." in page


def test_a_programme_that_is_not_yours_is_not_found(
    signed_in: Client, other_programme: Programme
) -> None:
    assert signed_in.get("/find-a-mentor/?programme=alumni").status_code == 404
    assert signed_in.post("/find-a-mentor/ask/", {"programme": "alumni"}).status_code == 404
    assert not MatchRequest.objects.exists()


# Request, dismiss --------------------------------------------------------------------------


def test_requesting_a_mentor_sends_the_message(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    [ana] = mentors_of(programme, "ana")
    [proposal] = shortlist_of(programme, mentee, [ana])

    response = signed_in.post(
        f"/find-a-mentor/{proposal.pk}/request/",
        {f"proposal-{proposal.pk}-message": "Could we work on PMO governance?"},
        follow=True,
    )

    proposal.refresh_from_db()
    assert (proposal.status, proposal.message) == (S.REQUESTED, "Could we work on PMO governance?")
    assert "Your request is on its way to Ana Mentor." in messages_of(response)
    assert AuditEvent.objects.filter(object_id=proposal.pk, action="request").count() == 1


def test_htmx_swaps_the_card_and_the_count_in_place(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    [ana] = mentors_of(programme, "ana")
    [proposal] = shortlist_of(programme, mentee, [ana])

    response = signed_in.post(
        f"/find-a-mentor/{proposal.pk}/request/",
        {f"proposal-{proposal.pk}-message": "Hello"},
        headers=HTMX,
    )

    assert response.status_code == 200
    page = text(response)
    assert page.lstrip().startswith(
        f'<article class="card suggestion suggestion--requested" id="suggestion-{proposal.pk}"'
    )
    assert "<html" not in page
    assert 'id="requests-left" class="requests-left" hx-swap-oob="true"' in page
    assert f"You can ask {MAX_PENDING_REQUESTS - 1} more mentors now." in page
    assert "Your request is on its way to Ana Mentor." in page


def test_a_request_without_a_message_is_a_field_error_on_its_card(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    [ana, ben] = mentors_of(programme, "ana", "ben")
    [proposal, _] = shortlist_of(programme, mentee, [ana, ben])

    response = signed_in.post(f"/find-a-mentor/{proposal.pk}/request/", {})

    assert response.status_code == 400
    page = text(response)
    assert "Write a few words to the mentor." in page
    assert 'aria-invalid="true"' in field_html(page, f"proposal-{proposal.pk}-message")
    assert "Ben Mentor" in page  # the whole shortlist, with JavaScript off
    proposal.refresh_from_db()
    assert proposal.status == S.SUGGESTED

    partial = signed_in.post(f"/find-a-mentor/{proposal.pk}/request/", {}, headers=HTMX)
    assert partial.status_code == 400
    assert "Write a few words to the mentor." in text(partial)
    assert "Ben Mentor" not in text(partial)


def test_the_open_request_limit_is_explained_and_keeps_the_message(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    names = [f"m{i}" for i in range(MAX_PENDING_REQUESTS + 1)]
    *asked, last = shortlist_of(programme, mentee, mentors_of(programme, *names))
    for proposal in asked:
        proposal.status, proposal.requested_at = S.REQUESTED, proposal.created_at
        proposal.save()
    assert "You are waiting on as many mentors as you can ask at once" in text(
        signed_in.get("/find-a-mentor/")
    )

    response = signed_in.post(
        f"/find-a-mentor/{last.pk}/request/", {f"proposal-{last.pk}-message": "Please?"}
    )

    assert response.status_code == 400
    page = text(response)
    assert f"You are already waiting on {MAX_PENDING_REQUESTS} mentors" in page
    assert "Please?</textarea>" in page
    last.refresh_from_db()
    assert last.status == S.SUGGESTED


def test_sending_a_request_twice_sends_it_once(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    [ana] = mentors_of(programme, "ana")
    [proposal] = shortlist_of(programme, mentee, [ana])
    data = {f"proposal-{proposal.pk}-message": "Hello"}

    assert signed_in.post(f"/find-a-mentor/{proposal.pk}/request/", data).status_code == 302
    again = signed_in.post(f"/find-a-mentor/{proposal.pk}/request/", data)

    assert again.status_code == 400
    assert "Cannot request a proposal that is requested." in text(again)
    assert AuditEvent.objects.filter(object_id=proposal.pk, action="request").count() == 1


def test_not_interested_dismisses_the_mentor_and_twice_is_harmless(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    [ana] = mentors_of(programme, "ana")
    [proposal] = shortlist_of(programme, mentee, [ana])

    response = signed_in.post(f"/find-a-mentor/{proposal.pk}/dismiss/", follow=True)

    proposal.refresh_from_db()
    assert proposal.status == S.DISMISSED
    assert "Ana Mentor will not be suggested to you again." in messages_of(response)
    assert "You passed on Ana Mentor" in text(response)
    again = signed_in.post(f"/find-a-mentor/{proposal.pk}/dismiss/", headers=HTMX)
    assert again.status_code == 200
    assert "Cannot dismiss a proposal that is dismissed." in text(again)
    assert AuditEvent.objects.filter(object_id=proposal.pk, action="dismiss").count() == 1


@pytest.mark.parametrize("who", ["peer_mentee", "outsider", "mentor", "coordinator"])
@pytest.mark.parametrize("action", ["request", "dismiss"])
def test_someone_elses_suggestion_is_not_found(
    client: Client,
    programme: Programme,
    mentee: User,
    mentor: User,
    request: pytest.FixtureRequest,
    who: str,
    action: str,
) -> None:
    [proposal] = shortlist_of(programme, mentee, [mentor])
    client.force_login(request.getfixturevalue(who))

    response = client.post(
        f"/find-a-mentor/{proposal.pk}/{action}/", {f"proposal-{proposal.pk}-message": "Hi"}
    )

    assert response.status_code == 404
    assert "We could not find that page" in text(response)
    proposal.refresh_from_db()
    assert proposal.status == S.SUGGESTED


def test_a_nonsense_proposal_id_is_not_found(signed_in: Client) -> None:
    assert signed_in.post("/find-a-mentor/99999999/dismiss/").status_code == 404
    assert signed_in.post("/requests/99999999/withdraw/").status_code == 404


# My requests ------------------------------------------------------------------------------


def test_my_requests_lists_what_was_sent_with_status_deadline_and_decline_reason(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    ana, ben, cy, dee = mentors_of(programme, "ana", "ben", "cy", "dee")
    waiting, declined, accepted, _suggested = shortlist_of(programme, mentee, [ana, ben, cy, dee])
    now = waiting.created_at
    for proposal, status in (
        (waiting, S.REQUESTED),
        (declined, S.DECLINED),
        (accepted, S.ACCEPTED),
    ):
        proposal.status, proposal.requested_at = status, now
        proposal.expires_at = now + dt.timedelta(days=7)
    declined.decline_reason = "At capacity this quarter"
    for proposal in (waiting, declined, accepted):
        proposal.save()
    mentorship = factories.MentorshipFactory.create(
        programme=programme, mentor=cy, mentee=mentee, proposal=accepted
    )

    page = text(signed_in.get("/requests/"))

    assert "Dee Mentor" not in page  # a suggestion never sent is not a request
    assert "At capacity this quarter" in page
    assert "Answer due by" in page
    for label in ("Requested", "Declined", "Accepted"):
        assert f">{label}</span>" in page
    assert f'href="/mentorships/{mentorship.pk}/"' in page
    assert page.count("Withdraw<span") == 1


def test_withdrawing_a_pending_request_and_pressing_again_is_harmless(
    signed_in: Client, programme: Programme, mentee: User
) -> None:
    [ana] = mentors_of(programme, "ana")
    [proposal] = shortlist_of(programme, mentee, [ana])
    proposal.status, proposal.requested_at = S.REQUESTED, proposal.created_at
    proposal.save()

    response = signed_in.post(f"/requests/{proposal.pk}/withdraw/", follow=True)

    proposal.refresh_from_db()
    assert proposal.status == S.WITHDRAWN
    assert "Your request to Ana Mentor is withdrawn." in messages_of(response)
    again = signed_in.post(f"/requests/{proposal.pk}/withdraw/", follow=True)
    assert "Cannot withdraw a proposal that is withdrawn." in messages_of(again)


def test_someone_elses_request_cannot_be_withdrawn(
    client: Client, programme: Programme, mentee: User, mentor: User, peer_mentee: User
) -> None:
    [proposal] = shortlist_of(programme, mentee, [mentor])
    proposal.status, proposal.requested_at = S.REQUESTED, proposal.created_at
    proposal.save()
    client.force_login(peer_mentee)

    assert client.post(f"/requests/{proposal.pk}/withdraw/").status_code == 404
    assert mentor.display_name not in text(client.get("/requests/"))
    proposal.refresh_from_db()
    assert proposal.status == S.REQUESTED


def test_the_mentee_pages_are_never_cached(signed_in: Client) -> None:
    for path in ("/profile/", "/profile/questionnaire/", "/find-a-mentor/", "/requests/"):
        assert "no-store" in signed_in.get(path)["Cache-Control"]
