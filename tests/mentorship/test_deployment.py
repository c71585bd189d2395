"""Production settings come from the environment and pass Django's deployment checklist; every
response carries the security headers, personal data is never cached, cookies are locked down."""

from __future__ import annotations

import json
import logging
import os
import runpy
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings

from mentorship import factories
from mentorship.models import Programme, Role, User
from mentorship.observability import RequestIdFilter, logging_config

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "mentoring.example.org",
    "TRUSTED_PROXY_COUNT": "1",
}
CLEARED = ("DEBUG", "HTTPS", "SECURE_COOKIES", "DJANGO_SETTINGS_MODULE", "LOG_FORMAT", "ACCESS_LOG")


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED and k != "DATABASE_URL"}
    return {**env, **PRODUCTION_ENV, "VAR_DIR": str(tmp_path), **extra}


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_checklist_passes_with_production_settings(tmp_path: Path) -> None:
    result = manage(environment(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_the_checklist_would_catch_a_site_served_without_https(tmp_path: Path) -> None:
    result = manage(
        environment(tmp_path, HTTPS="0"), "check", "--deploy", "--fail-level", "WARNING"
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "security.W008" in result.stderr


def production_settings(tmp_path: Path, **extra: str) -> dict[str, Any]:
    """The settings module as it evaluates under a production environment."""
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(environment(tmp_path, **extra))
        values = runpy.run_path(str(ROOT / "mentorship" / "settings.py"))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {name: value for name, value in values.items() if name.isupper()}


def test_production_defaults_are_those_of_a_public_site_behind_https(tmp_path: Path) -> None:
    prod = production_settings(tmp_path)
    assert prod["DEBUG"] is False
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_HSTS_SECONDS"] >= 365 * 24 * 3600
    assert prod["SESSION_COOKIE_SECURE"]
    assert prod["CSRF_COOKIE_SECURE"]
    assert prod["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert prod["TRUSTED_PROXY_COUNT"] == 1
    assert prod["LOG_FORMAT"] == "json"
    assert prod["STORAGES"]["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_log_levels_are_read_in_any_case(tmp_path: Path) -> None:
    prod = production_settings(tmp_path, LOG_LEVEL="warning", CELERY_LOG_LEVEL="error")
    assert prod["LOGGING"]["root"]["level"] == "WARNING"
    assert "ERROR" in {logger.get("level") for logger in prod["LOGGING"]["loggers"].values()}


def test_every_hardening_setting_has_an_environment_variable(tmp_path: Path) -> None:
    prod = production_settings(
        tmp_path,
        SECURE_HSTS_SECONDS="60",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="0",
        SECURE_HSTS_PRELOAD="0",
        SECURE_SSL_REDIRECT="0",
        SECURE_PROXY_SSL_HEADER="X-Scheme",
        TRUSTED_PROXY_COUNT="2",
    )
    assert prod["SECURE_HSTS_SECONDS"] == 60
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is False
    assert prod["SECURE_HSTS_PRELOAD"] is False
    assert prod["SECURE_SSL_REDIRECT"] is False
    assert prod["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_SCHEME", "https")
    assert prod["TRUSTED_PROXY_COUNT"] == 2


def test_postgresql_connections_are_kept_a_minute_and_checked_before_reuse(
    tmp_path: Path,
) -> None:
    url = "postgres://app@db.example.org:5432/mentoring"
    database = production_settings(tmp_path, DATABASE_URL=url)["DATABASES"]["default"]
    assert database["CONN_MAX_AGE"] == 60
    assert database["CONN_HEALTH_CHECKS"] is True
    kept = production_settings(tmp_path, DATABASE_URL=url, CONN_MAX_AGE="300")
    assert kept["DATABASES"]["default"]["CONN_MAX_AGE"] == 300
    closed = production_settings(tmp_path, DATABASE_URL=url, CONN_MAX_AGE="0")
    assert closed["DATABASES"]["default"]["CONN_MAX_AGE"] == 0


def test_postgresql_prepares_the_statements_a_kept_connection_runs_again(tmp_path: Path) -> None:
    url = "postgres://app@db.example.org:5432/mentoring"
    options = production_settings(tmp_path, DATABASE_URL=url)["DATABASES"]["default"]["OPTIONS"]
    assert options["server_side_binding"] is True
    assert options["prepare_threshold"] == 2
    pooled = production_settings(tmp_path, DATABASE_URL=url, DATABASE_PREPARED_STATEMENTS="0")
    options = pooled["DATABASES"]["default"]["OPTIONS"]
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


@pytest.mark.django_db
def test_on_postgresql_a_statement_run_again_is_prepared_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: the postgres leg runs it")
    for _ in range(3):
        list(Programme.objects.filter(slug="prepared-statement-probe"))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%prepared-statement-probe%"],
        )
        assert cursor.fetchone() == (0,)  # the value is a parameter, not part of the statement
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ['%FROM "mentorship_programme" WHERE "mentorship_programme"."slug" = $1%'],
        )
        assert cursor.fetchone() == (1,)


def test_sqlite_opens_a_connection_per_request_whatever_the_environment(tmp_path: Path) -> None:
    database = production_settings(tmp_path, CONN_MAX_AGE="300")["DATABASES"]["default"]
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["CONN_MAX_AGE"] == 0


def test_production_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = environment(tmp_path)
    del env["SECRET_KEY"]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


# Headers and cookies, with the production values of the security settings -------------------


@pytest.fixture
def https_site(tmp_path: Path) -> Iterator[None]:
    prod = production_settings(tmp_path)
    names = [
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "CONTENT_SECURITY_POLICY",
    ]
    with override_settings(**{name: prod[name] for name in names}):
        yield


def directives(response: Any) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parsed = {}
    for part in policy.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_hardened(response: Any) -> None:
    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "camera=()" in response["Permissions-Policy"]
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "upgrade-insecure-requests" in policy
    assert response["X-Request-ID"]


def test_plain_http_is_redirected_to_https(https_site: None, db: None) -> None:
    response = Client().get("/signup/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/signup/"


def test_the_health_endpoint_answers_load_balancers_over_plain_http(
    https_site: None, db: None
) -> None:
    assert Client().get("/health/").status_code == 200


def test_pages_carry_the_security_headers_and_personal_pages_are_not_stored(
    https_site: None, mentee: User
) -> None:
    client = Client()
    anonymous = client.get("/", secure=True)
    assert anonymous.status_code == 200
    assert_hardened(anonymous)
    client.force_login(mentee)
    home = client.get("/", secure=True)
    assert_hardened(home)
    assert "no-store" in home["Cache-Control"]


@pytest.mark.parametrize("path", ["me/profile/", "me/personality/", "mentorships/", "proposals/"])
def test_api_answers_about_a_person_are_never_stored(
    https_site: None, mentee: User, path: str
) -> None:
    factories.PersonalityFactory.create(profile=mentee.profile)
    client = Client()
    client.force_login(mentee)
    response = client.get(f"/api/v1/{path}", secure=True)
    assert response.status_code == 200
    assert_hardened(response)
    assert "no-store" in response["Cache-Control"]


def test_the_csv_export_is_never_stored(
    https_site: None, programme: Programme, coordinator: User
) -> None:
    client = Client()
    client.force_login(coordinator)
    response = client.get(f"/api/v1/programmes/{programme.slug}/cadence/export/", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]


def test_a_token_is_handed_out_with_no_store(https_site: None, db: None) -> None:
    factories.UserFactory.create(username="tom")
    response = Client().post(
        "/api/v1/auth/token/",
        {"username": "tom", "password": factories.DEFAULT_PASSWORD},
        content_type="application/json",
        secure=True,
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_session_and_csrf_cookies_are_secure_http_only_and_same_site(
    https_site: None, programme: Programme
) -> None:
    factories.member(programme, Role.MENTEE, username="tom")
    client = Client()
    login = client.get("/login/", secure=True)
    csrf = login.cookies["csrftoken"]
    assert csrf["secure"]
    assert csrf["samesite"] == "Lax"
    response = client.post(
        "/login/",
        {"username": "tom", "password": factories.DEFAULT_PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"]
    assert session["httponly"]
    assert session["samesite"] == "Lax"


# Logs -------------------------------------------------------------------------------------


class Collect(logging.Handler):
    def __init__(self, formatter: logging.Formatter) -> None:
        super().__init__()
        self.lines: list[str] = []
        self.setFormatter(formatter)
        self.addFilter(RequestIdFilter())

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def test_logs_are_json_lines_carrying_the_request_id(db: None) -> None:
    config: Any = logging_config(level="INFO", log_format="json", access_log=True)
    formatter_config = dict(config["formatters"]["json"])
    factory = formatter_config.pop("()")
    from django.utils.module_loading import import_string

    handler = Collect(import_string(factory)(**formatter_config))
    access = logging.getLogger("mentorship.access")
    level = access.level
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    try:
        response = Client().get("/health/", HTTP_X_REQUEST_ID="lb-probe-0001")
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    assert response["X-Request-ID"] == "lb-probe-0001"
    line = json.loads(handler.lines[-1])
    assert line["request_id"] == "lb-probe-0001"
    assert line["logger"] == "mentorship.access"
    assert (line["method"], line["path"], line["status"]) == ("GET", "/health/", 200)
    assert line["level"] == "INFO"


def test_a_request_id_that_is_not_an_id_is_replaced(db: None) -> None:
    response = Client().get("/health/", HTTP_X_REQUEST_ID="<script>\nfake log line")
    assert response["X-Request-ID"] != "<script>\nfake log line"
    assert len(response["X-Request-ID"]) == 32


def test_the_gunicorn_configuration_reads_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_BIND", "0.0.0.0:9000")
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.5")
    monkeypatch.setenv("LOG_FORMAT", "json")
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["workers"] == 3
    assert config["bind"] == "0.0.0.0:9000"
    assert config["forwarded_allow_ips"] == "10.0.0.5"
    assert config["wsgi_app"] == "mentorship.wsgi:application"
    assert config["logconfig_dict"]["formatters"]["json"]["()"].startswith("pythonjsonlogger")
    result = subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env={**os.environ, "DEBUG": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    printed = {
        name.strip(): value.strip()
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    }
    assert printed["workers"] == "3"
    assert printed["control_socket_disable"] == "True"


WARM_UP_PROBE = """
import sys
import django
django.setup()
from django.urls import URLResolver, get_resolver


def uncompiled(patterns):
    count = 0
    for pattern in patterns:
        count += "regex" not in pattern.pattern.__dict__
        if isinstance(pattern, URLResolver):
            count += uncompiled(pattern.url_patterns)
    return count


from mentorship.warmup import MODULES, warm_up

patterns = get_resolver().url_patterns
print(uncompiled(patterns), get_resolver()._populated, sum(m in sys.modules for m in MODULES))
warm_up()
print(uncompiled(patterns), get_resolver()._populated, sum(m in sys.modules for m in MODULES))
"""


def test_the_warm_up_before_forking_compiles_every_url_and_imports_the_engine(
    tmp_path: Path,
) -> None:
    """What gunicorn's master runs before forking (gunicorn.conf.py): a worker's first answer
    that names a URL no longer compiles the URL table (about 50 ms)."""
    result = subprocess.run(
        [sys.executable, "-c", WARM_UP_PROBE],
        cwd=ROOT,
        env={**environment(tmp_path), "DJANGO_SETTINGS_MODULE": "mentorship.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    before, after = (line.split() for line in result.stdout.splitlines()[-2:])
    assert int(before[0]) > 100
    assert before[1:] != ["True", "4"]
    assert after == ["0", "True", "4"]
