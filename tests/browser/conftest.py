"""Browser tests: Debian's Chromium, driven by Playwright, against the platform as people get it.

A session-scoped server runs the real application (gunicorn, DEBUG off, static files collected
and served by WhiteNoise) on a fresh SQLite database holding the seeded demo, in its own VAR_DIR.
Tests talk to it only over HTTP, as people do; they share its state, so the journeys of a module
run in file order, each test picking up where the previous one left the demo.

Helpers every journey uses: `sign_in`, `check_page` (axe-core: no serious or critical violation,
and no horizontal scrolling at 390 px) and `screenshot` (saved under docs/screenshots/, the folder
the README shows).

The seeded demo is cached under var/ (keyed by the migrations and the demo code), so a second run
does not seed again. Chromium is required: with /usr/bin/chromium missing, every test here fails
with a message saying how to install it (`make chromium`); it never skips.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "mentoring-demo-2026"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "docs" / "screenshots"))
NARROW = 390  # px: a phone; no page may scroll sideways at this width
SERIOUS = {"serious", "critical"}


@dataclass(frozen=True)
class Server:
    url: str
    var_dir: Path
    env: dict[str, str]

    def manage(self, *args: str) -> str:
        """Run a management command against the server's database; returns its output."""
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _demo_key() -> str:
    """Changes whenever the schema or the demo's code changes."""
    digest = hashlib.sha256()
    sources = [
        *sorted((ROOT / "mentorship" / "migrations").glob("*.py")),
        ROOT / "mentorship" / "demo.py",
        ROOT / "mentorship" / "demo_network.py",
        ROOT / "mentorship" / "factories.py",
    ]
    for path in sources:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _seeded_database(env: dict[str, str]) -> Path:
    cache = ROOT / "var" / f"browser-demo-{_demo_key()}.sqlite3"
    if not cache.exists():
        build = Path(env["VAR_DIR"]) / "seed"
        build.mkdir(parents=True, exist_ok=True)
        seed_env = {**env, "VAR_DIR": str(build), "DEBUG": "1"}
        for command in (["migrate", "--noinput", "-v0"], ["seed_demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=seed_env, check=True
            )
        cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(build / "db.sqlite3", cache)
    return cache


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    var_dir = tmp_path_factory.mktemp("browser-var")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CACHE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        VAR_DIR=str(var_dir),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="0",
        STATIC_ROOT=str(var_dir / "static"),
        LOG_LEVEL="WARNING",
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
    )
    shutil.copyfile(_seeded_database(env), var_dir / "db.sqlite3")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    port = _free_port()
    log = (var_dir / "server.log").open("w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "mentorship.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            with urllib.request.urlopen(url + "/", timeout=5):
                break
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped; see {var_dir / 'server.log'}") from None
            time.sleep(0.25)
    try:
        yield Server(url=url, var_dir=var_dir, env=env)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's Chromium "
            "(`make chromium`, or apt-get install -y chromium).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context(browser: Browser, server: Server) -> Iterator[BrowserContext]:
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    """A fresh browser tab with nobody signed in."""
    return context.new_page()


def sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def visit(page: Page, path: str) -> int:
    """Open `path` and return the HTTP status it answered with."""
    response = page.goto(path)
    assert response is not None, f"no response for {path}"
    return response.status


def sign_out(page: Page) -> None:
    page.goto("/")
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Sign out").click()


_axe = Axe()


def check_page(page: Page) -> None:
    """The page as everyone must be able to use it: no serious or critical axe-core violation,
    and nothing wider than a 390 px phone screen (the viewport is restored afterwards)."""
    results = _axe.run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    assert not serious, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in serious
    )
    size = page.viewport_size or {"width": 1280, "height": 900}
    page.set_viewport_size({"width": NARROW, "height": 844})
    try:
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px at {NARROW}px"
    finally:
        page.set_viewport_size(size)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under docs/screenshots/NAME.png (the README shows some)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
