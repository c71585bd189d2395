"""`python manage.py run_engagement`: run every engagement timer once, for cron users.

Expires unanswered requests (with the cascade), reminds mentors of waiting requests, nudges pairs
whose sessions fall due or overdue, warns and pauses pairs that stopped meeting, reminds mentees
of introduction follow-ups, retries e-mails that could not be sent, and deletes old exports.
Every job is idempotent: running this twice, or beside Celery beat, sends nothing twice. Without
a broker, run it from cron every 15 minutes:

    */15 * * * *  cd /srv/mentorship && .venv/bin/python manage.py run_engagement
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mentorship.services.engagement import run_engagement


class Command(BaseCommand):
    help = "Run every engagement timer once (reminders, expiries, nudges, inactivity, follow-ups)."

    def handle(self, *args: Any, **options: Any) -> None:
        for job, outcome in run_engagement().items():
            if isinstance(outcome, dict):
                outcome = ", ".join(f"{n} {what}" for what, n in outcome.items())
            self.stdout.write(f"{job}: {outcome}")
