"""`python manage.py dbdigest`: row counts and a checksum of every table, as JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand

from mentorship import backups


class Command(BaseCommand):
    help = "Print the row count and content checksum of every table, and of the whole database."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(backups.digest().as_json(), indent=2))
