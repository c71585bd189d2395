"""`python manage.py rebuild_mentor_indexes`: refit every programme's stored mentor index.

Also resyncs every mentor's availability row. Celery beat runs it daily; without a broker, run
it from cron once a day (mentor edits are applied as they happen in between):

    45 2 * * *  cd /srv/mentorship && .venv/bin/python manage.py rebuild_mentor_indexes
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from mentorship import mentor_index
from mentorship.models import MentorIndexState


class Command(BaseCommand):
    help = "Refit every programme's mentor index and resync mentors' availability."

    def handle(self, *args: Any, **options: Any) -> None:
        for programme_id, version in mentor_index.rebuild_all().items():
            mentors = (
                MentorIndexState.objects.filter(programme_id=programme_id)
                .values_list("mentors", flat=True)
                .first()
            )
            self.stdout.write(f"programme {programme_id}: version {version}, {mentors} mentors")
