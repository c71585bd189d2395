"""The Celery application: matching runs, nudges, expiry sweeps and exports run here in production.

With no CELERY_BROKER_URL the tasks run in-process (CELERY_TASK_ALWAYS_EAGER), the embedded default.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")

app = Celery("mentorship")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.beat_schedule = {
    "expire-unanswered-requests": {
        "task": "mentorship.tasks.expire_overdue_proposals",
        "schedule": crontab(minute="*/15"),
    },
}
