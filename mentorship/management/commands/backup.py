"""`python manage.py backup FILE`: a consistent backup of the database, taken while it runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mentorship import backups


class Command(BaseCommand):
    help = (
        "Back up the database to FILE (SQLite: the online backup API; PostgreSQL: pg_dump "
        "--format=custom) and write FILE.json, the row counts and checksum `restore` verifies."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="Where to write the backup (a new file).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            digest = backups.backup(options["file"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {digest.rows} rows in {len(digest.tables)} tables ({digest.engine}) "
            f"to {options['file']}; checksum {digest.sha256}."
        )
