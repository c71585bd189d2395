"""`GET /health/`: 200 when the database (and the cache and broker, when configured) answer, 503
when one does not, and never a secret in the body."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client, override_settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("path", ["/health/", "/api/v1/health/"])
def test_a_healthy_instance_answers_200_to_anyone(db: None, path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {
                "status": "ok",
                "milliseconds": response.json()["checks"]["database"]["milliseconds"],
            }
        },
    }
    assert "no-store" in response["Cache-Control"]


def test_the_alias_is_in_the_api_schema(client: Client, db: None) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/health/"]["get"]
    assert {"200", "503"} <= set(operation["responses"])
    assert operation.get("security", [{}]) == [{}]  # no credentials needed


def test_an_unreachable_database_answers_503_without_saying_where_it_is(tmp_path: Path) -> None:
    """A real connection refused: PostgreSQL on a port nothing listens on."""
    unreachable = "postgres://health:s3cret-pw@127.0.0.1:9/mentorship"
    script = (
        "import django, json; django.setup()\n"
        "from django.test import Client\n"
        "r = Client().get('/health/')\n"
        "print(json.dumps({'status': r.status_code, 'body': r.content.decode()}))\n"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "mentorship.settings",
        "DATABASE_URL": unreachable,
        "SECRET_KEY": "health-test-only",
        "ALLOWED_HOSTS": "testserver",
        "HTTPS": "0",
        "LOG_LEVEL": "CRITICAL",
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["status"] == 503
    body = json.loads(answer["body"])
    assert body["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "unavailable"
    for secret in ("s3cret-pw", "127.0.0.1", "postgres", "health:", "Error"):
        assert secret not in answer["body"]


REDIS_NOWHERE = "redis://127.0.0.1:9/1"


def test_a_configured_cache_that_does_not_answer_is_a_503(db: None) -> None:
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_NOWHERE,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHE_URL=REDIS_NOWHERE, CACHES=caches):
        response = Client().get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["cache"]["status"] == "unavailable"
    assert body["checks"]["database"]["status"] == "ok"
    assert "6379" not in response.content.decode()
    assert "127.0.0.1" not in response.content.decode()


def test_a_configured_broker_that_does_not_answer_is_a_503(db: None, monkeypatch) -> None:
    from mentorship.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "redis://127.0.0.1:9/0")
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        response = Client().get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"] == "unavailable"


def test_a_configured_broker_that_answers_is_checked_too(db: None, monkeypatch) -> None:
    from mentorship.celery import app

    monkeypatch.setattr(app.conf, "broker_url", "memory://localhost/")
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"]["status"] == "ok"
