"""The Celery application: notifications' e-mails, the engagement timers, exports and matching
runs run here in production.

With no CELERY_BROKER_URL the tasks run in-process (CELERY_TASK_ALWAYS_EAGER), the embedded
default; the timers then need `python manage.py run_engagement` from cron.

CELERY_BEAT_EVERY_SECONDS (for CI and demos) runs every periodic job at that interval instead of
its schedule below.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

#: task → when it runs. Deadlines and reminders are checked every 15 minutes; the day-based
#: timers (cadence, inactivity, follow-ups) hourly, so a worker that was down catches up soon.
SCHEDULE: dict[str, crontab] = {
    "mentorship.tasks.expire_overdue_proposals": crontab(minute="*/15"),
    "mentorship.tasks.remind_unanswered_requests": crontab(minute="*/15"),
    "mentorship.tasks.nudge_cadence": crontab(minute=5),
    "mentorship.tasks.watch_inactivity": crontab(minute=10),
    "mentorship.tasks.remind_follow_ups": crontab(minute=15),
    # Weekly per plan (the job sends one digest per ISO week); checked daily in the morning.
    "mentorship.tasks.send_touchpoint_digests": crontab(minute=0, hour=7),
    "mentorship.tasks.retry_pending_emails": crontab(minute="*/10"),
    "mentorship.tasks.build_stale_exports": crontab(minute="*/10"),
    "mentorship.tasks.fail_stalled_matching_runs": crontab(minute="*/5"),
    "mentorship.tasks.purge_old_exports": crontab(minute=30, hour=3),
    # A full refit keeps the vocabularies and career durations (as of today) fresh and resyncs
    # every mentor's availability row; mentor edits are applied as they happen in between.
    "mentorship.tasks.rebuild_mentor_indexes": crontab(minute=45, hour=2),
}


def beat_schedule(every_seconds: str | None) -> dict[str, dict[str, Any]]:
    return {
        task.rsplit(".", 1)[1].replace("_", "-"): {
            "task": task,
            "schedule": dt.timedelta(seconds=float(every_seconds)) if every_seconds else when,
        }
        for task, when in SCHEDULE.items()
    }


app.conf.beat_schedule = beat_schedule(os.environ.get("CELERY_BEAT_EVERY_SECONDS"))
