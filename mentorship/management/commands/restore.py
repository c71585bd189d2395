"""`python manage.py restore FILE`: restore a backup made by `backup`, and prove it identical."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mentorship import backups


class Command(BaseCommand):
    help = (
        "Restore FILE (made by `manage.py backup`) into the configured database, which must be "
        "empty unless --force, then check row counts and checksum against FILE.json. Stop the "
        "application (web and Celery workers) first."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", type=Path, help="The backup to restore.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace whatever the database holds now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            digest = backups.restore(options["file"], replace=options["force"])
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        checked = backups.digest_file(options["file"]).exists()
        self.stdout.write(
            f"Restored {digest.rows} rows in {len(digest.tables)} tables; checksum "
            f"{digest.sha256}" + (" (identical to the backup's)." if checked else ".")
        )
