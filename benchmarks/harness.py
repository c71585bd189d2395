"""The platform benchmarks' harness: a fresh database, a bulk-loaded programme, gunicorn serving it,
and a small HTTP client that times each call.

Everything here talks to the platform the way a deployment does: environment variables for the
settings (README, "Running in production"), the models for the bulk load, HTTP for the rest.
It never calls `mentorship.matching_adapter`, so it measures whatever the services do today.

Django is configured only inside a *leg* process (`setup_django`), one per database, because
settings are read once per process.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import math
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PASSWORD = "bench-password-not-secret"
PG_HOST, PG_PORT, PG_USER = "127.0.0.1", 5432, "postgres"
SLUG = "bench"


# --- numbers -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (numpy's default), without importing numpy here."""
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else math.nan


# --- databases -----------------------------------------------------------------------------------


@dataclass
class Database:
    """One fresh database and the environment that points the platform at it."""

    kind: str  # "sqlite" or "postgres"
    var_dir: Path
    url: str
    pg_name: str | None = None

    def env(self) -> dict[str, str]:
        """The production settings of README "Running in production", on loopback without TLS."""
        return {
            "DJANGO_SETTINGS_MODULE": "mentorship.settings",
            "DATABASE_URL": self.url,
            "VAR_DIR": str(self.var_dir),
            "SECRET_KEY": secrets.token_urlsafe(50),
            "DEBUG": "0",
            # Plain HTTP on loopback: no redirect to HTTPS, no Secure-only cookies.
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CELERY_BROKER_URL": "",
            "CACHE_URL": "",
        }


def _pg(*args: str) -> None:
    subprocess.run(
        [args[0], "-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER, *args[1:]],
        check=True,
        capture_output=True,
        text=True,
    )


@contextmanager
def fresh_database(kind: str) -> Iterator[Database]:
    """A new SQLite file under a temporary VAR_DIR, or a new PostgreSQL database (dropped after)."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"bench-{kind}-"))
    pg_name = None
    try:
        if kind == "sqlite":
            url = f"sqlite:///{var_dir / 'db.sqlite3'}"
        elif kind == "postgres":
            if shutil.which("createdb") is None:
                raise SystemExit("createdb not found: install postgresql-client")
            pg_name = f"bench_platform_{os.getpid()}_{secrets.token_hex(3)}"
            _pg("createdb", pg_name)
            url = f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{pg_name}"
        else:
            raise ValueError(f"unknown database {kind!r}")
        yield Database(kind=kind, var_dir=var_dir, url=url, pg_name=pg_name)
    finally:
        if pg_name is not None:
            subprocess.run(
                ["dropdb", "-h", PG_HOST, "-p", str(PG_PORT), "-U", PG_USER, "--force", pg_name],
                capture_output=True,
            )
        shutil.rmtree(var_dir, ignore_errors=True)


def setup_django(env: dict[str, str]) -> None:
    """Configure Django in this process for one database and create its tables."""
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


# --- the bulk load -------------------------------------------------------------------------------


@dataclass
class Loaded:
    """What the load created: user ids in the synthetic cohort's order and everyone's token."""

    slug: str
    coordinator: int
    mentors: list[int]
    mentees: list[int]
    tokens: dict[int, str]
    pairs: list[int] = field(default_factory=list)  # mentorship ids when pairs were asked for
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)


def _answers(traits: dict[str, float]) -> list[int]:
    """Ten TIPI answers whose scoring gives exactly these traits (each a multiple of 0.5)."""
    # trait -> (item scored as is, item scored reversed), questionnaire positions from 0
    items = {
        "extraversion": (0, 5),
        "agreeableness": (6, 1),
        "conscientiousness": (2, 7),
        "emotional_stability": (8, 3),
        "openness": (4, 9),
    }
    answers = [4] * 10
    for trait, (plain, reverse) in items.items():
        value = traits[trait]
        answers[plain] = math.ceil(value)
        answers[reverse] = 8 - round(2 * value - math.ceil(value))
    return answers


def _month(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(f"{text}-01")


def load_programme(
    *, n_mentors: int, n_mentees: int, pairs: int = 0, random_state: int = 0
) -> Loaded:
    """A programme of `n_mentors` mentors and `n_mentees` mentees with realistic profiles
    (matching/synthetic.py), a coordinator, and an API token per person, all by bulk inserts
    with one precomputed password hash. `pairs` mentees get an active mentorship with two
    logged sessions (for list endpoints with real rows)."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from matching.synthetic import synthetic_cohort
    from mentorship.models import (
        Membership,
        Mentorship,
        Personality,
        Position,
        Profile,
        Programme,
        Role,
        Session,
        User,
    )

    start = time.perf_counter()
    as_of = timezone.localdate().isoformat()
    cohort = synthetic_cohort(
        n_mentors=n_mentors, n_mentees=n_mentees, random_state=random_state, as_of=as_of
    )
    password = make_password(PASSWORD)
    now = timezone.now()
    batch = 2000
    rows: dict[str, int] = {}
    with transaction.atomic():
        programme = Programme.objects.create(
            name="Benchmark programme", slug=SLUG, join_code=secrets.token_hex(8)
        )
        mentor_lines = cast(list[dict[str, Any]], cohort.mentors)
        mentee_lines = cast(list[dict[str, Any]], cohort.mentees)
        people: list[tuple[str, int, dict[str, Any] | None]] = [("coordinator", 0, None)]
        people += [("mentor", j, line) for j, line in enumerate(mentor_lines)]
        people += [("mentee", i, line) for i, line in enumerate(mentee_lines)]
        User.objects.bulk_create(
            [
                User(
                    username=f"{role}{n}" if line else role,
                    email=f"{role}{n}@bench.example" if line else f"{role}@bench.example",
                    first_name=role.capitalize(),
                    last_name=str(n),
                    password=password,
                )
                for role, n, line in people
            ],
            batch_size=batch,
        )
        ids = dict(User.objects.values_list("username", "id"))
        coordinator = ids["coordinator"]
        mentors = [ids[f"mentor{j}"] for j in range(n_mentors)]
        mentees = [ids[f"mentee{i}"] for i in range(n_mentees)]
        Membership.objects.bulk_create(
            [Membership(user_id=coordinator, programme=programme, role=Role.COORDINATOR)]
            + [Membership(user_id=u, programme=programme, role=Role.MENTOR) for u in mentors]
            + [Membership(user_id=u, programme=programme, role=Role.MENTEE) for u in mentees],
            batch_size=batch,
        )
        lines = [(u, line, True) for u, line in zip(mentors, mentor_lines, strict=True)]
        lines += [(u, line, False) for u, line in zip(mentees, mentee_lines, strict=True)]
        Profile.objects.bulk_create(
            [Profile(user_id=coordinator)]
            + [
                Profile(
                    user_id=u,
                    about=line["about"],
                    skills=line["skills"],
                    certifications=line["certifications"],
                    seniority=line["seniority"],
                    topics_offered=line["topics"] if is_mentor else [],
                    topics_wanted=[] if is_mentor else line["topics"],
                    languages=line["languages"],
                    timezone=line["timezone"],
                    formats=line["formats"],
                    capacity=line.get("capacity", 1) if is_mentor else 1,
                    accepting_mentees=True,
                )
                for u, line, is_mentor in lines
            ],
            batch_size=batch,
        )
        profile_ids = dict(Profile.objects.values_list("user_id", "id"))
        Position.objects.bulk_create(
            [
                Position(
                    profile_id=profile_ids[u],
                    title=p["title"],
                    organisation=p["organisation"],
                    industry=p["industry"],
                    start=dt.date.fromisoformat(f"{p['start']}-01"),
                    end=_month(p["end"]),
                    summary=p["summary"],
                )
                for u, line, _ in lines
                for p in line["positions"]
            ],
            batch_size=batch,
        )
        Personality.objects.bulk_create(
            [
                Personality(
                    profile_id=profile_ids[u],
                    answers=_answers(line["personality"]),
                    consented_at=now,
                    **line["personality"],
                )
                for u, line, _ in lines
            ],
            batch_size=batch,
        )
        everyone = [coordinator, *mentors, *mentees]
        Token.objects.bulk_create(
            [Token(key=Token.generate_key(), user_id=u) for u in everyone], batch_size=batch
        )
        tokens = dict(Token.objects.values_list("user_id", "key"))
        pair_ids: list[int] = []
        if pairs:
            today = timezone.localdate()
            Mentorship.objects.bulk_create(
                [
                    Mentorship(
                        programme=programme,
                        mentor_id=mentors[k % n_mentors],
                        mentee_id=mentees[k],
                        cadence_days=14,
                        started_on=today - dt.timedelta(days=10 + k % 120),
                    )
                    for k in range(min(pairs, n_mentees))
                ],
                batch_size=batch,
            )
            pair_ids = list(
                Mentorship.objects.filter(programme=programme).values_list("id", flat=True)
            )
            Session.objects.bulk_create(
                [
                    Session(
                        mentorship_id=m,
                        date=today - dt.timedelta(days=3 + 7 * s + m % 20),
                        duration_minutes=45,
                        format="video",
                        topics=["leadership"],
                        logged_by_id=coordinator,
                    )
                    for m in pair_ids
                    for s in range(2)
                ],
                batch_size=batch,
            )
        for model in (User, Membership, Profile, Position, Personality, Token, Mentorship, Session):
            rows[model.__name__] = model.objects.count()
    # The planner statistics a live database keeps (autovacuum on PostgreSQL), which a bulk load
    # has not yet given it.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Loaded(
        slug=SLUG,
        coordinator=coordinator,
        mentors=mentors,
        mentees=mentees,
        tokens=tokens,
        pairs=pair_ids,
        seconds=time.perf_counter() - start,
        rows=rows,
    )


# --- gunicorn ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Gunicorn:
    """gunicorn with the project's gunicorn.conf.py, on a loopback port, with an access log that
    names the worker (pid) and the query string of every request, so a benchmark can tell which
    worker answered a given call."""

    def __init__(
        self, env: dict[str, str], *, log_dir: Path, workers: int = 2, access_log: bool = True
    ) -> None:
        self.port = free_port()
        self.env = {
            **os.environ,
            **env,
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
        }
        self.access_log = log_dir / "gunicorn-access.log"
        self.error_log = log_dir / "gunicorn-error.log"
        self.command = [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py"]
        if access_log:
            # With JSON logs (the production default) gunicorn.conf.py sends access lines to
            # stderr as JSON; with text logs they go to this file. worker_of reads both.
            self.env["GUNICORN_ACCESS_LOG"] = str(self.access_log)
            self.command += ["--access-logformat", "%(p)s %(s)s %(M)s %(m)s %(U)s %(q)s"]
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Gunicorn:
        errors = self.error_log.open("ab")
        self.process = subprocess.Popen(
            self.command,
            cwd=REPO,
            env=self.env,
            stdout=errors,
            stderr=errors,
            start_new_session=True,
        )
        client = Client(self.port)
        deadline = time.monotonic() + 60
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.error_log}")
            try:
                if client.call("GET", "/api/v1/health/").status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not answer within 60 s; see {self.error_log}")
            time.sleep(0.2)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def worker_of(self, tag: str, *, timeout: float = 2.0) -> int | None:
        """The pid of the worker that answered the request whose query string was `tag`."""
        deadline = time.monotonic() + timeout
        pattern = re.compile(rf"<(\d+)> \d+ \S+ \S+ \S+ {re.escape(tag)}(?![\w-])")
        while time.monotonic() < deadline:
            for log in (self.access_log, self.error_log):
                found = pattern.search(log.read_text()) if log.exists() else None
                if found:
                    return int(found.group(1))
            time.sleep(0.02)
        return None


# --- HTTP ----------------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    body: Any
    seconds: float

    @property
    def ms(self) -> float:
        return self.seconds * 1e3


class Client:
    """One HTTP/1.1 client on loopback (gunicorn's sync workers close the connection after each
    answer; http.client reconnects by itself). Times each call from sending to the last byte."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

    def call(self, method: str, path: str, *, token: str | None = None, body: Any = None) -> Reply:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        start = time.perf_counter()
        try:
            self.connection.request(method, path, body=data, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            raise
        seconds = time.perf_counter() - start
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw.decode(errors="replace")[:500]
        return Reply(response.status, parsed, seconds)


def expect(reply: Reply, *statuses: int, what: str) -> Reply:
    if reply.status not in statuses:
        raise RuntimeError(f"{what}: HTTP {reply.status}: {str(reply.body)[:600]}")
    return reply
