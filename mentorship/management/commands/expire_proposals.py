"""`python manage.py expire_proposals`: expire requests unanswered past their deadline.

Celery beat runs the same sweep every 15 minutes in production; without a broker, cron runs
`manage.py run_engagement`, which includes it with every other engagement timer.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mentorship.services.proposals import expire_overdue_proposals


class Command(BaseCommand):
    help = "Expire requests past their response deadline and ask each mentee's next choice."

    def handle(self, *args: Any, **options: Any) -> None:
        count = expire_overdue_proposals()
        self.stdout.write(f"Expired {count} request{'s' if count != 1 else ''}.")
