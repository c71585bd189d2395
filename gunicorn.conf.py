"""gunicorn settings for production: `gunicorn mentorship.wsgi` reads this file from the working
directory (or pass `-c gunicorn.conf.py`). Every value can be changed by an environment variable;
command-line flags win over both.

The application sits behind a reverse proxy (nginx, a load balancer) that terminates TLS and
buffers slow clients, so sync workers are enough: CPU-bound matching is better served by processes
than by threads. See README, "Running in production".
"""

from __future__ import annotations

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


wsgi_app = "mentorship.wsgi:application"
# The proxy forwards to this address; keep it on loopback or a private interface.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# WEB_CONCURRENCY is the name platforms (Heroku, Render, Dokku…) set.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
# The application and the matching engine (numpy, scikit-learn: seconds to import) load once in
# the master before it forks, so a new or recycled worker answers its first match request as
# fast as the others and the workers share those pages. GUNICORN_PRELOAD=0 turns it off.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1").strip().lower() not in {"0", "false", "no"}


def when_ready(server: object) -> None:
    """In the master, after the application loaded and before any worker is forked."""
    if preload_app:
        from mentorship.warmup import warm_up

        warm_up()  # the engine's imports, the URL patterns: see mentorship/warmup.py
        # What the master loaded lives as long as the workers: kept out of the collector's full
        # passes (a worker's request no longer pays for scanning every imported module's objects),
        # and the forked workers share those pages instead of copying them when the GC writes.
        gc.collect()
        gc.freeze()


# Long enough for an in-process cohort matching run when no Celery broker is configured.
timeout = _int("GUNICORN_TIMEOUT", 120)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# Recycle workers now and then, so a slow leak never takes a process down at peak time.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Small request heads: our API takes JSON bodies, never huge headers or URLs.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Heartbeat files on a memory file system, so a slow disk never makes workers look dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Which peers may say the client used HTTPS (X-Forwarded-Proto): the proxy, on loopback by
# default. Django decides the client address itself from TRUSTED_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
proc_name = "mentorship"
# No control socket: nothing to manage at run time that signals cannot do.
control_socket_disable = True

# Django writes one structured access line per request with its request id (ACCESS_LOG), so
# gunicorn's own access log is off unless asked for.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
_debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
if os.environ.get("LOG_FORMAT", "text" if _debug else "json") == "json":
    # gunicorn's own messages (worker starts, timeouts) as JSON lines like the application's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            },
            "gunicorn.access": {
                "handlers": ["console"],
                "level": "INFO" if accesslog else "WARNING",
                "propagate": False,
            },
        },
    }
