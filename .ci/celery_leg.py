"""CI leg `celery`: the engagement timers and background work through a real Celery worker and
beat, against the local Redis broker and a throw-away PostgreSQL database.

1. Creates and migrates the database, then writes a scenario with one event due for every timer
   (a request 24 hours before its deadline, two requests past theirs to one mentor, a pair whose
   session is overdue, an introduction whose follow-up date is today, a pair idle for 95 days).
2. Starts `celery worker` (a private queue, so other workers on the broker never take these
   tasks) and `celery beat` running every periodic job every 2 seconds.
3. Waits until the database shows every expected outcome, made by the worker (this process
   runs no job itself), with each e-mail written by the worker's file backend.
4. Lets beat run the jobs again for a while and checks nothing happened twice.
5. Queues a coordinator's CSV export through the broker and waits for the worker to build it.
6. Runs the extra checks in CHECKS: a coordinator's cohort matching run, started here and
   computed and drafted by the worker.

Exits non-zero with a message (and the worker's log) on any failure.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)  # the venv's (.ci/run runs this with .venv/bin/python)
CELERY = PYTHON.parent / "celery"
WAIT_SECONDS = 240
QUIET_SECONDS = 12  # beat keeps running the jobs this long; nothing may change meanwhile

WORK = Path(tempfile.mkdtemp(prefix="ci-celery-"))
DB_NAME = f"mentorship_ci_celery_{os.getpid()}"
ENV = {
    **os.environ,
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB_NAME}",
    "CELERY_BROKER_URL": os.environ.get("CI_CELERY_BROKER", "redis://127.0.0.1:6379/0"),
    "CELERY_QUEUE": f"ci-engagement-{os.getpid()}",
    "CELERY_BEAT_EVERY_SECONDS": "2",
    "SECRET_KEY": "ci-celery-leg-not-a-secret",
    "DEBUG": "0",
    "VAR_DIR": str(WORK / "var"),
    "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
    "EMAIL_FILE_PATH": str(WORK / "mail"),
    "DJANGO_SETTINGS_MODULE": "mentorship.settings",
    "CACHE_URL": "",
}
ENV.pop("CI_REPORTS", None)


def fail(message: str) -> None:
    for name in ("worker", "beat"):
        log = WORK / f"{name}.log"
        if log.exists():
            print(
                f"--- {name} log (last 40 lines)\n" + "\n".join(log.read_text().splitlines()[-40:])
            )
    sys.exit(f"celery leg failed: {message}")


def run(*args: str) -> None:
    subprocess.run(args, cwd=ROOT, env=ENV, check=True)


# The scenario -------------------------------------------------------------------------------


def build_scenario() -> dict[str, Any]:
    """One event due for every timer now (written with the factories, no job run)."""
    from django.utils import timezone

    from mentorship import factories
    from mentorship.models import ProposalStatus, Role

    now = timezone.now()
    today = timezone.localdate()
    programme = factories.ProgrammeFactory.create(slug="ci-celery", name="CI Celery")
    coordinator = factories.member(programme, Role.COORDINATOR, username="ci-coordinator")
    lapsing = factories.member(programme, Role.MENTOR, username="ci-lapsing")
    factories.ProposalFactory.create(  # 23 hours before its deadline: the 24-hour reminder
        programme=programme,
        status=ProposalStatus.REQUESTED,
        requested_at=now - dt.timedelta(days=6),
        expires_at=now + dt.timedelta(hours=23),
    )
    for hours in (2, 1):  # two requests to one mentor past their deadlines: expired, paused
        factories.ProposalFactory.create(
            programme=programme,
            mentor=lapsing,
            status=ProposalStatus.REQUESTED,
            requested_at=now - dt.timedelta(days=8),
            expires_at=now - dt.timedelta(hours=hours),
        )
    meeting = factories.MentorshipFactory.create(
        programme=programme, started_on=today - dt.timedelta(days=20), cadence_days=14
    )
    factories.SessionFactory.create(mentorship=meeting, date=today - dt.timedelta(days=20))
    factories.IntroductionFactory.create(mentorship=meeting, follow_up_on=today)
    idle = factories.MentorshipFactory.create(
        programme=programme, started_on=today - dt.timedelta(days=95), cadence_days=14
    )
    return {"programme": programme, "coordinator": coordinator, "idle": idle, "lapsing": lapsing}


EXPECTED = Counter(
    {
        "request_reminder": 1,
        "request_expired": 2,
        "request_lapsed": 2,
        "mentor_paused": 1,
        "mentor_paused_alert": 1,
        "cadence_overdue": 2,
        "follow_up_due": 1,
        "inactivity_paused": 2,
        "pair_inactive": 1,
    }
)


def told() -> Counter[str]:
    from mentorship.models import Notification

    return Counter(Notification.objects.values_list("kind", flat=True))


def emails_written() -> int:
    folder = Path(ENV["EMAIL_FILE_PATH"])
    if not folder.exists():
        return 0
    return sum(
        sum(1 for line in path.read_text().splitlines() if line.startswith("Subject: "))
        for path in folder.iterdir()
    )


def state(scenario: dict[str, Any]) -> dict[str, Any]:
    from mentorship.models import AuditEvent, EmailState, Membership, Mentorship, Notification

    return {
        "told": told(),
        "emailed": Notification.objects.filter(email_state=EmailState.SENT).count(),
        "emails written": emails_written(),
        "transitions": Counter(
            AuditEvent.objects.filter(action__in=("expire", "pause", "pause_requests")).values_list(
                "action", flat=True
            )
        ),
        "idle pair": Mentorship.objects.get(pk=scenario["idle"].pk).status,
        "mentor paused": Membership.objects.filter(
            user=scenario["lapsing"], requests_paused_at__isnull=False
        ).exists(),
    }


def wait_for(what: str, done: Callable[[], bool], seen: Callable[[], object] | None = None) -> None:
    """Polls `done` every second; on time-out fails with what `seen` reports at that moment."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        if done():
            print(f"ok: {what}")
            return
        time.sleep(1)
    last = f"\n  last seen: {seen()}" if seen is not None else ""
    fail(f"timed out after {WAIT_SECONDS} s waiting for {what}{last}")


# Checks run after the timers (issue 8 appends its cohort matching run here) ------------------


def background_export(scenario: dict[str, Any]) -> None:
    """A coordinator's CSV export, queued on commit and built by the worker: the cadence of the
    one active pair (the idle pair is paused by now)."""
    from mentorship.models import Export, ExportStatus, Notification
    from mentorship.services.exports import request_export

    export = request_export(actor=scenario["coordinator"], programme=scenario["programme"])
    wait_for(
        "the worker built the export and notified the coordinator",
        lambda: (
            Export.objects.get(pk=export.pk).status == ExportStatus.READY
            and Notification.objects.filter(kind="export_ready", object_id=export.pk).exists()
        ),
    )
    export.refresh_from_db()
    if export.rows != 1 or not export.content.startswith("mentorship,mentor,mentee"):
        fail(f"the export holds {export.rows} rows: {export.content[:200]!r}")


def cohort_matching_run(scenario: dict[str, Any]) -> None:
    """A coordinator's whole-cohort run: started here (running, queued on commit), computed and
    drafted by the worker, its proposals written in bulk."""
    from mentorship import factories
    from mentorship.models import MatchingRun, MatchingRunStatus, Proposal, Role
    from mentorship.services.matching_runs import start_matching_run

    programme = scenario["programme"]
    newcomers = []
    for n in range(3):
        factories.member(
            programme,
            Role.MENTOR,
            username=f"ci-mentor-{n}",
            topics_offered=["leadership"],
            capacity=2,
        )
        newcomers.append(
            factories.member(
                programme, Role.MENTEE, username=f"ci-mentee-{n}", topics_wanted=["leadership"]
            )
        )
    run = start_matching_run(actor=scenario["coordinator"], programme=programme, mode="optimal")
    if run.status != MatchingRunStatus.RUNNING:
        fail(f"the run started {run.status}, not running")
    wait_for(
        "the worker computed the cohort run and wrote its draft",
        lambda: MatchingRun.objects.get(pk=run.pk).status != MatchingRunStatus.RUNNING,
    )
    run.refresh_from_db()
    if run.status != MatchingRunStatus.DRAFT:
        fail(f"the run is {run.status}: {run.failure_reason}")
    drafted = set(Proposal.objects.filter(matching_run=run).values_list("mentee_id", flat=True))
    if not {m.pk for m in newcomers} <= drafted or run.summary["matched"] != len(drafted):
        fail(f"the run drafted {sorted(drafted)}; summary {run.summary}")
    if run.progress != {"stage": "done", "percent": 100} or run.started_at is None:
        fail(f"the run's progress says {run.progress}, started at {run.started_at}")


#: Each check takes the scenario, waits for what it queued through the worker, and fails the
#: leg with a message.
CHECKS: list[Callable[[dict[str, Any]], None]] = [background_export, cohort_matching_run]


# The leg ------------------------------------------------------------------------------------


def start(name: str, *args: str) -> subprocess.Popen[bytes]:
    log = (WORK / f"{name}.log").open("w")
    return subprocess.Popen(
        [str(CELERY), "-A", "mentorship", *args],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> None:
    run("createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME)
    processes: list[subprocess.Popen[bytes]] = []
    try:
        run(str(PYTHON), "manage.py", "migrate", "--noinput", "-v0")
        os.environ.update(ENV)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings

        assert not settings.CELERY_TASK_ALWAYS_EAGER, "the leg needs a real broker"
        scenario = build_scenario()
        queue = ENV["CELERY_QUEUE"]
        processes.append(
            start(
                "worker", "worker", "-Q", queue, "-n", f"{queue}@%h", "--concurrency", "2",
                "--without-mingle", "--without-gossip", "-l", "info",
            )
        )  # fmt: skip
        processes.append(start("beat", "beat", "-s", str(WORK / "beat-schedule"), "-l", "info"))
        wait_for(
            "every timer's notifications, transitions and e-mails",
            lambda: (
                (s := state(scenario))["told"] == EXPECTED
                and s["emailed"] == s["emails written"] == sum(EXPECTED.values())
                and s["idle pair"] == "paused"
                and s["mentor paused"]
            ),
            seen=lambda: {**state(scenario), "expected told": EXPECTED},
        )
        settled = state(scenario)
        time.sleep(QUIET_SECONDS)  # beat runs every job several more times
        again = state(scenario)
        if again != settled:
            fail(f"the jobs acted twice:\n  before {settled}\n  after  {again}")
        if settled["transitions"] != Counter({"expire": 2, "pause": 1, "pause_requests": 1}):
            fail(f"unexpected transitions {settled['transitions']}")
        print(f"ok: beat ran every job again for {QUIET_SECONDS} s and nothing happened twice")
        for check in CHECKS:
            check(scenario)
        for name, process in zip(("worker", "beat"), processes, strict=True):
            if process.poll() is not None:
                fail(f"{name} stopped early (exit {process.returncode})")
    finally:
        for process in processes:
            stop(process)
        from django.db import connections

        connections.close_all()
        subprocess.run(
            ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME],
            check=False,
        )
    print("celery leg passed")


if __name__ == "__main__":
    main()
