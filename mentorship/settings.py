"""Settings for the mentorship platform, read from environment variables only.

Defaults give the embedded set-up (SQLite file, local-memory cache, console e-mail, background
work run in-process); production sets DATABASE_URL, CACHE_URL, CELERY_BROKER_URL and friends.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from mentorship.observability import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
# Stored mentor indexes (mentorship/mentor_index.py): memory-mapped by every worker, so every
# worker of a deployment must see the same directory.
MENTOR_INDEX_DIR = Path(os.environ.get("MENTOR_INDEX_DIR", VAR_DIR / "mentor-index"))


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _local_secret_key() -> str:
    """A per-checkout key for local development, kept out of the repository in var/."""
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG")
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 for local development).")
    SECRET_KEY = _local_secret_key()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "mentorship",
    "api",
    "frontend",
]

MIDDLEWARE = [
    # Production hardening: a request id on every log line, then HTTPS and security headers.
    "mentorship.middleware.RequestIdMiddleware",
    "api.middleware.ApiMiddleware",  # the API's JSON errors and no-store, whatever answered
    "django.middleware.security.SecurityMiddleware",
    "mentorship.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mentorship.middleware.AuditMiddleware",  # sensitive reads and refused requests
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # The pages' own: friendly error pages (also with DEBUG on) and no-store on personal pages.
    "frontend.middleware.PagesMiddleware",
]

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"
AUTH_USER_MODEL = "mentorship.User"
CSRF_FAILURE_VIEW = "frontend.views.errors.csrf_failure"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context.navigation",
            ],
        },
    },
]


def _database(url: str) -> dict[str, Any]:
    config: dict[str, Any] = dict(dj_database_url.parse(url))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Each request opens its own connection (its PRAGMAs and the WAL checkpoint when the
        # last one closes cost 1.5-2.5 ms a request; threads of the development server and of
        # in-process matching runs never share one).
        config["CONN_MAX_AGE"] = 0
        # Concurrent writers: WAL lets readers run beside the writer, BEGIN IMMEDIATE takes the
        # write lock up front (a deferred transaction upgrading to a writer fails at once with
        # "database is locked" instead of waiting), and the timeout makes writers queue.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 30),
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON"
            ),
        }
        # Tests run on a file too, so they exercise the configuration above (an in-memory
        # shared-cache database locks tables instead of waiting).
        config["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    else:
        # A PostgreSQL connection costs a server process and an authentication (milliseconds):
        # each worker keeps its own for CONN_MAX_AGE seconds, checked before reuse, so a restarted
        # database costs no request an error. 0 closes it after every request.
        config["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        # An unreachable database fails fast (the health check answers 503 within seconds).
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 5))
        if env_bool("DATABASE_PREPARED_STATEMENTS", True):
            # The server binds the parameters, and a kept connection prepares a statement the
            # second time it runs it: PostgreSQL plans a list page's query once per connection
            # instead of on every request. Off behind a pooler that cannot keep prepared
            # statements (PgBouncer in transaction mode before 1.21).
            options["server_side_binding"] = True
            options["prepare_threshold"] = 2
    return config


DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
if DATABASE_URL.startswith("sqlite"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": _database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env_str("CACHE_URL")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 3, "socket_timeout": 3},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves from here after collectstatic
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# The pages' front-end packages, pinned in package-lock.json and installed by `make install`
# (npm ci): served from node_modules as our own static files, never from a CDN.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
]

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))  # the file-based backend
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Mentorship <mentorship@localhost>")

# Celery: with no broker, tasks run in-process (the embedded default).
CELERY_TASK_ALWAYS_EAGER = not env_str("CELERY_BROKER_URL")
# Without a broker, a coordinator's cohort matching run computes on a thread of the web process
# that started it, after the 202 (a run of thousands of mentees takes seconds); off, it computes
# inside that request. A run whose process died is failed by the stalled-runs job.
MATCHING_RUNS_IN_THREAD = env_bool("MATCHING_RUNS_IN_THREAD", True)
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL") or "memory://localhost/"
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND") or None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TIMEZONE = TIME_ZONE
# The queue tasks go to and workers read (`celery worker -Q …`): lets several deployments, or a
# CI run, share one broker without taking each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")

REST_FRAMEWORK: dict[str, Any] = {
    # Token first, so an anonymous call answers 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Mentorship API",
    "DESCRIPTION": (
        "Every journey of the mentorship platform: sign-up with a join code, profiles and the "
        "personality questionnaire, match requests with explained proposals, requests and "
        "answers, mentorships, sessions, introductions, the mentee's network plan, and the "
        "coordinators' cadence, stats "
        "and cohort matching runs. Errors share one shape: "
        '`{"error": code, "detail": text, "fields": {...}}`.'
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PATH_CONVERTER_OVERRIDES": {
        "id": {"type": "integer", "minimum": 0, "maximum": 999_999_999_999_999_999}
    },
    "ENUM_NAME_OVERRIDES": {
        "ProposalStatusEnum": "mentorship.models.matching.ProposalStatus",
        "MentorshipStatusEnum": "mentorship.models.mentorships.MentorshipStatus",
        "MatchingRunStatusEnum": "mentorship.models.matching.MatchingRunStatus",
        "MatchingRunStageEnum": "mentorship.models.matching.MatchingRunStage",
        "CadenceStatusEnum": "mentorship.selectors.cadence.STATUSES",
        "MeetingFormatEnum": "mentorship.taxonomy.MeetingFormat",
        "NetworkGroupEnum": "mentorship.taxonomy.NetworkGroup",
        "ConnectionTypeEnum": "mentorship.taxonomy.ConnectionType",
        "HealthStatusEnum": "mentorship.health.STATUSES",
    },
}
# Request bodies are small JSON documents; anything bigger is refused before parsing.
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024


# Failed sign-ins (and sign-ups, reset requests) allowed before each further attempt waits 1, 2,
# 4… seconds up to LOGIN_MAX_DELAY_SECONDS; failures are forgotten after LOGIN_WINDOW_SECONDS
# without one. Counted in the database (shared by every process): mentorship/services/auth.py.
LOGIN_WINDOW_SECONDS = env_int("LOGIN_WINDOW_SECONDS", 15 * 60)
LOGIN_LIMIT_PER_ACCOUNT = env_int("LOGIN_LIMIT_PER_ACCOUNT", 10)
LOGIN_LIMIT_PER_ADDRESS = env_int("LOGIN_LIMIT_PER_ADDRESS", 100)
LOGIN_MAX_DELAY_SECONDS = env_int("LOGIN_MAX_DELAY_SECONDS", 15 * 60)

# Production: HTTPS, proxies, security headers, logs ---------------------------------------------
# With DEBUG off the defaults are those of a public deployment behind HTTPS; each can be turned
# off on its own. HTTPS=0 (or the older SECURE_COOKIES=0) serves plain HTTP, for test harnesses
# on loopback. `python manage.py check --deploy --fail-level WARNING` passes with the defaults.
HTTPS = env_bool("HTTPS", env_bool("SECURE_COOKIES", not DEBUG))
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", HTTPS)
# Load balancers probe the health endpoint over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 365 * 24 * 3600 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

# Reverse proxies: how many sit in front of the application (nginx alone: 1; a cloud load
# balancer then nginx: 2). The client address is then the one that many hops from the right of
# X-Forwarded-For, the entry the outermost trusted proxy wrote; with 0, REMOTE_ADDR. Sign-in
# limits count per client address, so behind a proxy this must be set, and never higher than the
# real number of proxies (a client could then choose its own address).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# The header the proxy sets to say the client used HTTPS (needed with SECURE_SSL_REDIRECT behind a
# proxy that terminates TLS); set to "" when no proxy sends it.
_PROXY_SSL_HEADER = env_str(
    "SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto" if TRUSTED_PROXY_COUNT else ""
)
if _PROXY_SSL_HEADER:
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _PROXY_SSL_HEADER.upper().replace("-", "_"), "https")

# Content-Security-Policy (django-csp 4): no inline scripts or styles anywhere on the pages or in
# the admin. The API docs widen it on their own views only (api/views/docs.py).
CONTENT_SECURITY_POLICY: dict[str, Any] = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # Pico draws its form icons as data: SVGs
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        **({"upgrade-insecure-requests": True} if HTTPS else {}),
        **({"report-uri": [env_str("CSP_REPORT_URI")]} if env_str("CSP_REPORT_URI") else {}),
    },
}

# Structured logs: JSON lines with a request id in production, readable text in development.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in {"json", "text"}:
    raise ImproperlyConfigured("LOG_FORMAT is json or text.")
LOGGING = logging_config(
    level=env_str("LOG_LEVEL", "INFO").upper(),
    log_format=LOG_FORMAT,
    access_log=env_bool("ACCESS_LOG", not DEBUG),
    celery_level=env_str("CELERY_LOG_LEVEL", "WARNING").upper(),
)
