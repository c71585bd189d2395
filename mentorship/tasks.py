"""Background work. With a broker (CELERY_BROKER_URL) Celery workers run these; without one they
run in-process, right after the commit that queued them (CELERY_TASK_ALWAYS_EAGER).

Every task is idempotent and safe to run twice or in two workers at once (the services they call
lock and re-check what they act on), is queued only after the commit that made its work, and is a
no-op when its object has gone. The periodic ones run on Celery beat's schedule
(mentorship/celery.py); `python manage.py run_engagement` runs them all once, for cron.
"""

from __future__ import annotations

from typing import Any

from celery import shared_task

from mentorship import mentor_index, notifications
from mentorship.services import engagement, exports, matching_runs, proposals


@shared_task(ignore_result=True)
def deliver_notifications(notification_ids: list[int]) -> dict[int, str]:
    """E-mail the notifications made by one event (each at most once)."""
    return {pk: notifications.deliver(pk) for pk in notification_ids}


@shared_task(ignore_result=True)
def build_export(export_id: int) -> str:
    return exports.build_export(export_id=export_id)


@shared_task(ignore_result=True)
def refresh_mentor_index(programme_id: int) -> int:
    """Bring one programme's stored mentor index up to date with its changed mentors (queued
    after the commit that changed them; a no-op when another worker already did)."""
    return mentor_index.catch_up(programme_id)


@shared_task(ignore_result=True)
def compute_matching_run(run_id: int) -> str:
    """A coordinator's whole-cohort run: the assignment, then its draft (or the failure)."""
    return matching_runs.compute_matching_run(run_id=run_id)


# Periodic jobs (beat) ---------------------------------------------------------------------


@shared_task(ignore_result=True)
def rebuild_mentor_indexes() -> dict[int, int]:
    """Refit every programme's mentor index and resync availability (daily)."""
    return mentor_index.rebuild_all()


@shared_task(ignore_result=True)
def expire_overdue_proposals() -> int:
    return proposals.expire_overdue_proposals()


@shared_task(ignore_result=True)
def remind_unanswered_requests() -> int:
    return engagement.remind_unanswered_requests()


@shared_task(ignore_result=True)
def nudge_cadence() -> int:
    return engagement.nudge_cadence()


@shared_task(ignore_result=True)
def watch_inactivity() -> dict[str, int]:
    return engagement.watch_inactivity()


@shared_task(ignore_result=True)
def remind_follow_ups() -> int:
    return engagement.remind_follow_ups()


@shared_task(ignore_result=True)
def send_touchpoint_digests() -> int:
    return engagement.send_touchpoint_digests()


@shared_task(ignore_result=True)
def retry_pending_emails() -> int:
    return notifications.retry_pending_emails()


@shared_task(ignore_result=True)
def build_stale_exports() -> int:
    return exports.build_stale_exports()


@shared_task(ignore_result=True)
def purge_old_exports() -> int:
    return engagement.purge_old_exports()


@shared_task(ignore_result=True)
def fail_stalled_matching_runs() -> int:
    return matching_runs.fail_stalled_matching_runs()


@shared_task(ignore_result=True)
def run_engagement() -> dict[str, Any]:
    """Every periodic job once (what `manage.py run_engagement` does)."""
    return engagement.run_engagement()
