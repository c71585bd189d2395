"""The platform as deployed (gunicorn, DEBUG off): no page breaks its Content-Security-Policy,
static files are served compressed under hashed names, and a person downloads their data and
erases their account from "My data"."""

from __future__ import annotations

import re
import urllib.request

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.browser.conftest import Server, check_page, screenshot, sign_in, sign_out, visit

pytestmark = pytest.mark.browser

PUBLIC_PAGES = ["/", "/login/", "/signup/", "/password-reset/", "/no-such-page/"]
SIGNED_IN_PAGES = ["/", "/my-data/", "/join/"]
ADMIN_PAGES = [
    "/admin/",
    "/admin/mentorship/programme/",
    "/admin/mentorship/mentorship/",
    "/admin/mentorship/user/",
    "/admin/mentorship/user/add/",
    "/admin/mentorship/auditevent/",
]
DOCS = ["/api/v1/docs/", "/api/v1/redoc/"]


class Violations:
    """CSP violations on a page, from the console and from `securitypolicyviolation` events
    (recorded by an init script, which the page's own policy does not govern)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.console: list[str] = []
        page.on("console", self._console)
        page.add_init_script(
            "window.__csp = [];"
            "document.addEventListener('securitypolicyviolation', e =>"
            " window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"
        )

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{self.page.url}: {message.text}")

    def on(self, path: str, *, settle_ms: int = 500) -> list[str]:
        status = visit(self.page, path)
        assert status < 500, f"{path} answered {status}"
        self.page.wait_for_load_state("networkidle")
        self.page.wait_for_timeout(settle_ms)
        events = self.page.evaluate("window.__csp || []")
        found = [f"{path}: {event}" for event in events] + self.console
        self.console = []
        return found


@pytest.fixture
def violations(page: Page) -> Violations:
    return Violations(page)


def test_public_pages_keep_to_the_content_security_policy(page: Page, violations) -> None:
    found = [v for path in PUBLIC_PAGES for v in violations.on(path)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("username", ["mentee", "mentor", "coordinator", "newcomer"])
def test_signed_in_pages_keep_to_the_content_security_policy(
    page: Page, violations, username: str
) -> None:
    sign_in(page, username)
    found = [v for path in SIGNED_IN_PAGES for v in violations.on(path)]
    assert not found, "\n".join(found)


def test_the_admin_keeps_to_the_content_security_policy(page: Page, violations) -> None:
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("admin")
    page.get_by_label("Password").fill("mentoring-demo-2026")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
    found = [v for path in ADMIN_PAGES for v in violations.on(path)]
    for changelist in ("/admin/mentorship/mentorship/", "/admin/mentorship/profile/"):
        page.goto(changelist)
        change = page.locator("#result_list tbody tr a").first.get_attribute("href")
        assert change is not None
        found += violations.on(change)
    assert not found, "\n".join(found)


def test_the_api_docs_keep_to_their_content_security_policy(page: Page, violations) -> None:
    found = [v for path in DOCS for v in violations.on(path, settle_ms=2000)]
    assert not found, "\n".join(found)
    page.goto("/api/v1/docs/")
    expect(page.get_by_text("/api/v1/me/export/").first).to_be_visible()
    page.goto("/api/v1/redoc/")
    # ReDoc renders the whole schema before it shows anything: give it time on a busy machine.
    expect(page.get_by_role("heading", name=re.compile("Mentorship API"))).to_be_visible(
        timeout=90_000
    )


def test_static_files_are_served_compressed_under_hashed_names(page: Page, server: Server) -> None:
    page.goto("/")
    stylesheet = page.locator("link[rel=stylesheet][href*='frontend/site']").get_attribute("href")
    assert stylesheet is not None
    assert re.fullmatch(r"/static/frontend/site\.[0-9a-f]{12}\.css", stylesheet), stylesheet
    request = urllib.request.Request(server.url + stylesheet, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert "immutable" in response.headers["Cache-Control"]


def test_responses_carry_the_security_headers(page: Page) -> None:
    response = page.goto("/login/")
    assert response is not None
    headers = response.headers
    policy = headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])


def test_a_member_downloads_their_data_then_erases_their_account(page: Page) -> None:
    page.goto("/signup/")
    page.get_by_label("Join code").fill("PMO-2026")
    page.get_by_label("Mentee: I am looking for a mentor").check()
    page.get_by_label("First name").fill("Ilse")
    page.get_by_label("Last name").fill("Vantongeren")
    page.get_by_label("Username").fill("ilse-v")
    page.get_by_label("Email").fill("ilse.v@example.org")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Hello, Ilse")).to_be_visible()

    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="My data").click()
    expect(page.get_by_role("heading", name="My data", level=1)).to_be_visible()
    expect(page.get_by_role("cell", name="Profile and career history")).to_be_visible()
    check_page(page)
    screenshot(page, "my-data")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download my data (JSON)").click()
    assert download.value.suggested_filename.startswith("my-mentorship-data-")
    assert '"username": "ilse-v"' in download.value.path().read_text()

    page.get_by_label("Your password").fill("not my password")
    page.get_by_label("I understand that my account and my data are erased for good.").check()
    page.get_by_role("button", name="Erase my account").click()
    password = page.get_by_label("Your password")
    expect(password).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("That is not your password.")).to_be_visible()

    password.fill("a-long-enough-passphrase")
    page.get_by_label("I understand that my account and my data are erased for good.").check()
    page.get_by_role("button", name="Erase my account").click()
    expect(page.get_by_text("Your account and your data are erased. Goodbye.")).to_be_visible()
    expect(page.get_by_role("navigation").get_by_role("link", name="Sign in")).to_be_visible()

    page.goto("/login/")
    page.get_by_label("Username").fill("ilse-v")
    page.get_by_label("Password").fill("a-long-enough-passphrase")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Please enter a correct username and password")).to_be_visible()


def test_the_account_menu_leads_to_my_data_for_everyone(page: Page) -> None:
    sign_in(page, "coordinator")
    page.locator(".account-menu summary").click()
    expect(page.get_by_role("link", name="My data")).to_be_visible()
    sign_out(page)
