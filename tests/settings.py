"""Fast settings for the test suite: the real settings plus a cheap hasher and in-memory mail."""

import os

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
# The test client speaks plain HTTP: production's HTTPS redirect and HSTS are tested on their own
# (tests/test_deployment.py). Readable logs, no access log.
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("LOG_FORMAT", "text")
os.environ.setdefault("ACCESS_LOG", "0")

from mentorship.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
MATCHING_RUNS_IN_THREAD = False  # tests see a run's result when the request returns
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# One SQLite test database per process, so concurrent test runs in one checkout never share one.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
