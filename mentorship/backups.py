"""Backups and restores of the database, and a digest to prove a restore is identical.

- SQLite (the embedded default): SQLite's online backup API, a consistent copy taken while the
  application keeps running (writers wait a moment, readers not at all).
- PostgreSQL: `pg_dump --format=custom` and `pg_restore`, run with the connection settings of
  DATABASE_URL (the password goes through PGPASSWORD, never the command line).

`digest()` counts the rows of every table and hashes their content in a fixed order, so two
databases of the same engine compare equal exactly when they hold the same data. The management
commands `backup`, `restore` and `dbdigest` use this module; README "Running in production".
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connections, transaction


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class Digest:
    engine: str
    tables: dict[str, tuple[int, str]]  # table -> (rows, sha256 of its rows)

    @property
    def rows(self) -> int:
        return sum(rows for rows, _ in self.tables.values())

    @property
    def sha256(self) -> str:
        total = hashlib.sha256()
        for table, (rows, digest) in sorted(self.tables.items()):
            total.update(f"{table}\t{rows}\t{digest}\n".encode())
        return total.hexdigest()

    def as_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "rows": self.rows,
            "sha256": self.sha256,
            "tables": {t: {"rows": r, "sha256": d} for t, (r, d) in sorted(self.tables.items())},
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Digest:
        tables = {t: (v["rows"], v["sha256"]) for t, v in data["tables"].items()}
        return cls(data["engine"], tables)


def _canonical(value: Any) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    return repr(value)


def _digest_tables(cursor: Any, tables: list[str], quote: Any) -> dict[str, tuple[int, str]]:
    result = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")
        width = len(cursor.description)
        order = ", ".join(str(i) for i in range(1, width + 1))
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")
        digest, rows = hashlib.sha256(), 0
        for row in cursor.fetchall():
            digest.update("\t".join(_canonical(value) for value in row).encode())
            digest.update(b"\n")
            rows += 1
        result[table] = (rows, digest.hexdigest())
    return result


def digest(alias: str = "default") -> Digest:
    """Row counts and content hashes of every table of the database `alias` (its committed
    state; for SQLite read from the file as SQLite stores it, as for a backup file)."""
    connection = connections[alias]
    if connection.vendor == "sqlite":
        return sqlite_file_digest(_sqlite_path(alias))
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return Digest(connection.vendor, _digest_tables(cursor, tables, connection.ops.quote_name))


def sqlite_file_digest(path: Path) -> Digest:
    """The digest of an SQLite file (a backup, before it is restored)."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        cursor = db.cursor()
        tables = [
            name
            for (name,) in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return Digest("sqlite", _digest_tables(cursor, tables, lambda n: f'"{n}"'))
    finally:
        db.close()


# SQLite -------------------------------------------------------------------------------------


def _sqlite_path(alias: str) -> Path:
    return Path(connections[alias].settings_dict["NAME"])


def _sqlite_backup(alias: str, destination: Path) -> None:
    connection = connections[alias]
    connection.ensure_connection()
    target = sqlite3.connect(destination)
    try:
        connection.connection.backup(target)
        (check,) = target.execute("PRAGMA integrity_check").fetchone()
        if check != "ok":
            raise BackupError(f"the backup failed SQLite's integrity check: {check}")
    finally:
        target.close()


def _sqlite_restore(alias: str, source: Path, *, replace: bool) -> None:
    connection = connections[alias]
    if not replace and connection.introspection.table_names():
        raise BackupError("the database is not empty: pass --force to replace everything in it")
    connection.close()
    backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    target = sqlite3.connect(_sqlite_path(alias))
    try:
        backup.backup(target)
    finally:
        target.close()
        backup.close()


# PostgreSQL --------------------------------------------------------------------------------


def _pg_command(alias: str, tool: str) -> tuple[list[str], dict[str, str]]:
    executable = shutil.which(tool)
    if executable is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    settings = connections[alias].settings_dict
    env = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
    arguments = [
        executable,
        f"--host={settings.get('HOST') or 'localhost'}",
        f"--port={settings.get('PORT') or 5432}",
        f"--username={settings.get('USER') or ''}",
        "--no-owner",
        "--no-privileges",
    ]
    return arguments, env


def _run(arguments: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(arguments, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _pg_backup(alias: str, destination: Path) -> Digest:
    """pg_dump and the digest see the same snapshot, so the digest is exactly the dump's even
    while the application keeps writing."""
    arguments, env = _pg_command(alias, "pg_dump")
    connection = connections[alias]
    name = connection.settings_dict["NAME"]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        _run(
            [
                *arguments,
                "--format=custom",
                f"--snapshot={snapshot}",
                f"--file={destination}",
                f"--dbname={name}",
            ],
            env,
        )
        return digest(alias)


def _pg_restore(alias: str, source: Path, *, replace: bool) -> None:
    connection = connections[alias]
    if not replace and connection.introspection.table_names():
        raise BackupError("the database is not empty: pass --force to replace everything in it")
    connection.close()
    arguments, env = _pg_command(alias, "pg_restore")
    name = connection.settings_dict["NAME"]
    clean = ["--clean", "--if-exists"] if replace else []
    _run(
        [
            *arguments,
            *clean,
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={name}",
            str(source),
        ],
        env,
    )


# The interface -----------------------------------------------------------------------------


def backup(destination: Path, *, alias: str = "default") -> Digest:
    """Write a backup of the database to `destination` and, beside it, `<destination>.json`:
    the digest of what was backed up (read from the backup file for SQLite, from the dump's own
    snapshot for PostgreSQL). Returns that digest."""
    destination = Path(destination)
    if destination.exists():
        raise BackupError(f"{destination} exists: choose a new file name")
    destination.parent.mkdir(parents=True, exist_ok=True)
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        _sqlite_backup(alias, destination)
        result = sqlite_file_digest(destination)
    elif vendor == "postgresql":
        result = _pg_backup(alias, destination)
    else:
        raise BackupError(f"no backup for the {vendor} engine")
    destination.chmod(0o600)
    digest_file(destination).write_text(json.dumps(result.as_json(), indent=2) + "\n")
    return result


def restore(source: Path, *, alias: str = "default", replace: bool = False) -> Digest:
    """Restore `source` into the database (empty, unless `replace`), then check it against the
    digest written with the backup; BackupError when they differ. Returns the new digest."""
    source = Path(source)
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        _sqlite_restore(alias, source, replace=replace)
    elif vendor == "postgresql":
        _pg_restore(alias, source, replace=replace)
    else:
        raise BackupError(f"no restore for the {vendor} engine")
    restored = digest(alias)
    expected_file = digest_file(source)
    if expected_file.exists():
        expected = Digest.from_json(json.loads(expected_file.read_text()))
        if expected.sha256 != restored.sha256:
            differ = sorted(
                table
                for table in set(expected.tables) | set(restored.tables)
                if expected.tables.get(table) != restored.tables.get(table)
            )
            raise BackupError(f"the restored database differs from the backup in: {differ}")
    return restored


def digest_file(backup_path: Path) -> Path:
    return Path(f"{backup_path}.json")
