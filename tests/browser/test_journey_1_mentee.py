"""The mentee's journey in a real browser: sign up with the programme's code, fill the profile
wizard and the questionnaire, ask for matches, read why each mentor fits and ask one; and the
demo's `newcomer` choosing from their fresh shortlist."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import check_page, screenshot, sign_in

pytestmark = pytest.mark.browser

JOIN_CODE = "PMO-2026"
# Answers to the ten statements, 1 (disagree strongly) to 7 (agree strongly).
ANSWERS = [5, 2, 6, 3, 6, 4, 6, 2, 5, 2]
SCALE = {
    1: "Disagree strongly",
    2: "Disagree moderately",
    3: "Disagree a little",
    4: "Neither agree nor disagree",
    5: "Agree a little",
    6: "Agree moderately",
    7: "Agree strongly",
}


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_text("Saved.")).to_be_visible()


def add_position(page: Page, title: str, organisation: str, industry: str, start: str) -> None:
    page.get_by_label("Title").fill(title)
    page.get_by_label("Organisation").fill(organisation)
    page.get_by_label("Industry").fill(industry)
    page.get_by_label("Start").fill(start)
    page.get_by_role("button", name="Add this position").click()
    expect(page.get_by_text("Position added to your career history.")).to_be_visible()


def test_a_mentee_signs_up_fills_the_wizard_and_the_questionnaire_and_asks_a_mentor(
    page: Page,
) -> None:
    page.goto("/signup/")
    page.get_by_label("Join code").fill(JOIN_CODE)
    page.get_by_label("Mentee: I am looking for a mentor").check()
    page.get_by_label("First name").fill("Lena")
    page.get_by_label("Last name").fill("Okoro")
    page.get_by_label("Username").fill("lena-okoro")
    page.get_by_label("Email").fill("lena.okoro@example.org")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create my account").click()
    page.get_by_role("region", name="Your next steps").get_by_role(
        "link", name="Complete your profile"
    ).click()

    # 1. About you
    expect(page.get_by_text("Step 1 of 5: About you")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Lena")
    page.get_by_label("Headline").fill("Project coordinator aiming to run a PMO")
    page.get_by_role("textbox", name="About").fill(
        "Three years coordinating construction projects. I want to move into PMO governance "
        "and lead a portfolio office in healthcare."
    )
    page.get_by_label("Seniority").select_option(label="Entry")
    check_page(page)
    screenshot(page, "mentee-profile-about")
    save_and_continue(page)

    # 2. Career history: add, edit, remove
    expect(page.get_by_text("Step 2 of 5: Career history")).to_be_visible()
    add_position(page, "Project Coordinator", "Northbuild", "construction", "2022-09")
    add_position(page, "Site Administrator", "Arcstone Civil", "construction", "2019-03")
    page.get_by_label("Title").fill("Site Administrator")
    page.get_by_label("Organisation").fill("Arcstone Civil")
    page.get_by_label("Industry").fill("construction")
    page.get_by_label("Start").fill("2019-03")
    page.get_by_role("button", name="Add this position").click()  # the same one again
    expect(page.get_by_text("This position is already in your career history.")).to_be_visible()
    page.get_by_role("link", name="Edit Site Administrator").click()
    page.get_by_label("Title").fill("Project Support Officer")
    page.get_by_label("End").fill("2022-08")
    page.get_by_role("button", name="Save this position").click()
    expect(page.get_by_text("Position saved.")).to_be_visible()
    history = page.get_by_role("list").filter(has_text="Northbuild")
    expect(
        history.get_by_role("heading", name="Project Support Officer, Arcstone Civil")
    ).to_be_visible()
    expect(history.get_by_text("Mar 2019 to Aug 2022")).to_be_visible()
    add_position(page, "Intern", "Kier & Lane", "construction", "2018-06")
    page.get_by_role("button", name="Remove Intern").click()
    expect(page.get_by_text("Position removed.")).to_be_visible()
    expect(page.get_by_role("heading", name="Intern, Kier & Lane")).to_have_count(0)
    check_page(page)
    screenshot(page, "mentee-profile-positions")
    page.get_by_role("link", name="Continue").click()

    # 3. Skills and certifications
    expect(page.get_by_text("Step 3 of 5: Skills and certifications")).to_be_visible()
    page.get_by_role("textbox", name="Skills").fill(
        "scheduling\nstakeholder engagement\nrisk management"
    )
    page.get_by_role("textbox", name="Certifications").fill("PRINCE2 Foundation")
    check_page(page)
    screenshot(page, "mentee-profile-skills")
    save_and_continue(page)

    # 4. Preferences
    expect(page.get_by_text("Step 4 of 5: Preferences")).to_be_visible()
    topics = page.get_by_role("group", name="Topics you want help with")
    for topic in ("PMO governance", "Career progression", "Stakeholder management"):
        topics.get_by_label(topic).check()
    languages = page.get_by_role("group", name="Languages you can be mentored in")
    languages.get_by_label("English (en)").check()
    languages.get_by_text("More languages").click()
    languages.get_by_label("Welsh (cy)").check()
    page.get_by_label("Time zone").select_option("Europe/London")
    formats = page.get_by_role("group", name="How you like to meet")
    formats.get_by_label("Video call").check()
    formats.get_by_label("In person").check()
    check_page(page)
    screenshot(page, "mentee-profile-preferences")
    save_and_continue(page)

    # 5. The questionnaire: consent is required, then the answers are stored
    expect(page.get_by_role("heading", name="Personality questionnaire")).to_be_visible()
    for number, answer in enumerate(ANSWERS, start=1):
        statement = page.get_by_role("group", name=re.compile(rf"^{number}\. "))
        statement.get_by_label(SCALE[answer], exact=True).check()
    check_page(page)
    screenshot(page, "mentee-questionnaire")
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Tick the consent box to store your answers.")).to_be_visible()
    statement = page.get_by_role("group", name=re.compile(r"^3\. "))
    expect(statement.get_by_label(SCALE[ANSWERS[2]], exact=True)).to_be_checked()
    page.get_by_label(re.compile("used only to match me with mentors")).check()
    page.get_by_role("button", name="Save my answers").click()

    # Find a mentor: ask, read the reasons, send a request with a message
    expect(
        page.get_by_text("Thank you: your answers are saved, with your consent.")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Find a mentor", level=1)).to_be_visible()
    page.get_by_role("button", name="Ask for matches").click()
    expect(
        page.get_by_text(re.compile(r"Your shortlist is ready: \d+ mentors?, best first\."))
    ).to_be_visible()
    shortlist = page.get_by_role("list", name="Your shortlist, best first")
    first = shortlist.get_by_role("article").first
    expect(first.get_by_role("heading", level=2)).to_contain_text("1.")
    expect(first.get_by_role("heading", name=re.compile("^Why "))).to_be_visible()
    expect(first.locator(".reasons li").first).not_to_be_empty()
    expect(first.get_by_label("Match score")).to_be_visible()
    expect(first.get_by_text("Career relevance")).to_be_visible()
    expect(page.get_by_text("You can ask 3 more mentors now.")).to_be_visible()
    check_page(page)
    screenshot(page, "mentee-shortlist")

    name = first.get_by_role("heading", level=2).inner_text().split(". ", 1)[1]
    first.get_by_text(f"Request {name} as your mentor").click()
    first.get_by_role("button", name="Send request").click()  # no message yet
    expect(first.get_by_text("Write a few words to the mentor.")).to_be_visible()
    first.get_by_label("Your message").fill(
        "I am moving from site coordination into PMO work; could we talk about governance?"
    )
    first.get_by_role("button", name="Send request").click()
    card = page.locator(".suggestion").first  # swapped in place by htmx
    expect(card.get_by_text(f"Your request is on its way to {name}.")).to_be_visible()
    expect(card.get_by_text("Requested", exact=True)).to_be_visible()
    expect(page.get_by_text("You can ask 2 more mentors now.")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="My requests").click()
    request = page.get_by_role("article", name=name)
    expect(request.get_by_text("Requested", exact=True)).to_be_visible()
    expect(request.get_by_text("Answer due by")).to_be_visible()
    expect(request.get_by_text("could we talk about governance?")).to_be_visible()
    check_page(page)
    screenshot(page, "mentee-requests")


def test_the_newcomer_reads_their_fresh_shortlist_and_passes_on_one_mentor(page: Page) -> None:
    sign_in(page, "newcomer")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Find a mentor").click()
    shortlist = page.get_by_role("list", name="Your shortlist, best first")
    cards = shortlist.get_by_role("article")
    expect(cards).to_have_count(5)
    names = [h.inner_text() for h in shortlist.get_by_role("heading", level=2).all()]
    assert [n.split(".")[0] for n in names] == ["1", "2", "3", "4", "5"]  # best first
    assert len({n.split(". ", 1)[1] for n in names}) == 5  # each mentor once
    scores = [
        int(m.get_attribute("value") or 0) for m in shortlist.locator("meter[id^=score-]").all()
    ]
    assert scores == sorted(scores, reverse=True)
    for card in cards.all():
        expect(card.locator(".reasons li")).not_to_have_count(0)

    last = cards.last
    mentor = names[-1].split(". ", 1)[1]
    last.get_by_role("button", name=f"Not interested in {mentor}").click()
    expect(last.get_by_text(f"{mentor} will not be suggested to you again.")).to_be_visible()
    expect(last.get_by_text("Not interested", exact=True)).to_be_visible()
    page.reload()
    expect(page.get_by_text(f"You passed on {mentor}")).to_be_visible()
    check_page(page)
