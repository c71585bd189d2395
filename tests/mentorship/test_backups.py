"""Backups restore to an identical database (row counts and checksum of every table), on SQLite
with the online backup API and on PostgreSQL with pg_dump/pg_restore. `.ci/backups.sh` does the
same on the seeded demo through the management commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from mentorship import backups, factories
from mentorship.models import Programme, Role

ROOT = Path(__file__).resolve().parents[2]


def some_data() -> None:
    programme = factories.ProgrammeFactory.create(name="PMO", slug="pmo")
    for _ in range(3):
        factories.MentorshipFactory.create(programme=programme)
    factories.member(programme, Role.COORDINATOR, about="Ünïcode, «quotes» and\nnew lines")


@pytest.mark.django_db(transaction=True)  # a digest reads committed data
def test_a_digest_changes_with_any_row() -> None:
    some_data()
    before = backups.digest()
    assert before.tables["mentorship_mentorship"][0] == 3
    Programme.objects.update(description="changed")
    after = backups.digest()
    assert after.sha256 != before.sha256
    assert [t for t in before.tables if before.tables[t] != after.tables[t]] == [
        "mentorship_programme"
    ]


@pytest.mark.django_db(transaction=True)
def test_an_sqlite_backup_restores_identically(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's online backup API (PostgreSQL: the next test)")
    some_data()
    source = backups.digest()
    backup = tmp_path / "db.backup"

    made = backups.backup(backup)

    assert made.sha256 == source.sha256
    assert json.loads(backups.digest_file(backup).read_text())["sha256"] == source.sha256
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    # Restore into a fresh database file, through the management command, in a new process.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "VAR_DIR": str(tmp_path / "restored"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "identical to the backup's" in result.stdout
    assert backups.sqlite_file_digest(tmp_path / "restored.sqlite3").sha256 == source.sha256


@pytest.mark.django_db(transaction=True)
def test_a_backup_never_overwrites_a_file_and_a_restore_never_a_database(tmp_path: Path) -> None:
    some_data()
    backup = tmp_path / "db.backup"
    backup.write_text("precious")
    with pytest.raises(CommandError, match="exists"):
        call_command("backup", str(backup))
    assert backup.read_text() == "precious"
    backup.unlink()
    call_command("backup", str(backup))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup))


@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_identically(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("pg_dump/pg_restore (SQLite: the test above)")
    some_data()
    backup = tmp_path / "db.dump"
    made = backups.backup(backup)
    assert made.sha256 == backups.digest().sha256
    settings = connection.settings_dict
    target = f"restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target}"')
    url = (
        f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@"
        f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{target}"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "VAR_DIR": str(tmp_path),
        "DATABASE_URL": url,
    }
    try:
        for command in (["restore", str(backup)], ["dbdigest"]):
            result = subprocess.run(
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, result.stderr
        restored = json.loads(result.stdout)
        assert restored["sha256"] == made.sha256
        assert restored["rows"] == made.rows
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target}"')
