"""Everyone's pages: the pitch, signing up with a join code, joining another programme, signing in
and out, resetting a password, and the site's own error pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Server, check_page, screenshot, sign_in, sign_out, visit

pytestmark = pytest.mark.browser

JOIN_CODE = "PMO-2026"


def test_a_visitor_reads_the_pitch_and_finds_how_to_join(page: Page) -> None:
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("mentor")
    expect(page.get_by_role("link", name="Join with your programme's code")).to_be_visible()
    check_page(page)
    screenshot(page, "landing")


def test_a_new_mentee_signs_up_with_a_join_code_and_sees_their_next_steps(page: Page) -> None:
    page.goto("/signup/")
    check_page(page)
    page.get_by_label("Join code").fill(JOIN_CODE.lower())
    page.get_by_label("Mentee: I am looking for a mentor").check()
    page.get_by_label("First name").fill("Nia")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Username").fill("nia")
    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Hello, Nia")).to_be_visible()
    steps = page.get_by_role("region", name="Your next steps")
    expect(steps.get_by_role("link", name="Complete your profile")).to_be_visible()
    expect(steps.get_by_role("link", name="Answer the personality questionnaire")).to_be_visible()
    expect(steps.get_by_role("link", name="Find a mentor")).to_be_visible()
    check_page(page)
    screenshot(page, "home-new-mentee")


def test_a_wrong_join_code_is_shown_next_to_its_field_and_keeps_what_was_typed(page: Page) -> None:
    page.goto("/signup/")
    page.get_by_label("Join code").fill("NOPE-NOPE")
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Last name").fill("Byron")
    page.get_by_label("Username").fill("ada-b")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create my account").click()
    code = page.get_by_label("Join code")
    expect(code).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("That join code does not match an open programme.")).to_be_visible()
    expect(page.get_by_label("First name")).to_have_value("Ada")


def test_a_member_joins_another_role_with_the_same_account(page: Page) -> None:
    sign_in(page, "newcomer")
    page.goto("/signup/")  # signed in: joining, not a second account
    expect(page).to_have_url(re.compile(r"/join/$"))
    page.get_by_label("Join code").fill(JOIN_CODE)
    page.get_by_label("Mentor: I can mentor people").check()
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_text("You are a mentor of PMO Network Mentoring.")).to_be_visible()
    expect(page.get_by_role("link", name="Inbox")).to_be_visible()
    sign_out(page)
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()


def test_a_forgotten_password_is_reset_by_e_mail(page: Page, server: Server) -> None:
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    check_page(page)
    page.get_by_label("Email").fill("nia@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your e-mail")).to_be_visible()
    mail = "".join(p.read_text() for p in sorted((server.var_dir / "mail").glob("*.log")))
    link = re.findall(r"http://[^\s\"<>]+/password-reset/[^/\s\"<>]+/[^/\s\"<>]+/", mail)[-1]
    page.goto(link)
    page.get_by_label(re.compile(r"^New password:?$")).fill("another-long-passphrase")
    page.get_by_label("New password confirmation").fill("another-long-passphrase")
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", name="Your password is changed")).to_be_visible()
    sign_in(page, "nia", "another-long-passphrase")
    expect(page.get_by_role("heading", name="Hello, Nia")).to_be_visible()


def test_unknown_pages_and_foreign_ids_get_the_sites_own_404(page: Page) -> None:
    assert visit(page, "/no-such-page/") == 404
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
    check_page(page)
    screenshot(page, "error-404")
    sign_in(page, "newcomer")
    assert visit(page, "/mentorships/999999999/") == 404
    expect(page.get_by_role("heading", name="We could not find that page")).to_be_visible()
