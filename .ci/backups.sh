#!/usr/bin/env bash
# The backup/restore leg: on the seeded demo, for SQLite (online backup API) and PostgreSQL
# (pg_dump/pg_restore): back up, restore into a fresh database, and compare row counts and the
# checksum of every table (`manage.py dbdigest`). Exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-$PWD/.venv/bin/python}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ci-backups.XXXXXX")
PG_SOURCE="backups_src_$$"
PG_TARGET="backups_dst_$$"
PG=postgres://postgres@127.0.0.1:5432
cleanup() {
  dropdb -h 127.0.0.1 -U postgres --if-exists "$PG_SOURCE" >/dev/null 2>&1 || true
  dropdb -h 127.0.0.1 -U postgres --if-exists "$PG_TARGET" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT
unset DATABASE_URL CACHE_URL CELERY_BROKER_URL
# The demo is seeded as in local development (published logins); the backups do not care.
export DEBUG=1 LOG_LEVEL=WARNING SECRET_KEY=ci-backups-not-a-secret

same() {  # same LABEL SOURCE_ENV TARGET_ENV: the two databases' digests are identical
  local label=$1
  env $2 "$PY" manage.py dbdigest >"$WORK/$label-source.json"
  env $3 "$PY" manage.py dbdigest >"$WORK/$label-target.json"
  if ! diff -q "$WORK/$label-source.json" "$WORK/$label-target.json" >/dev/null; then
    diff "$WORK/$label-source.json" "$WORK/$label-target.json" | head -40
    echo "backups: $label restore differs from its source"
    return 1
  fi
  "$PY" - "$WORK/$label-source.json" <<'PYTHON'
import json, sys
d = json.load(open(sys.argv[1]))
print(f"backups: {d['engine']}: {d['rows']} rows in {len(d['tables'])} tables restored identical, sha256 {d['sha256'][:16]}…")
PYTHON
}

echo "==> SQLite: seed, back up with the online backup API, restore into a fresh file"
SOURCE="VAR_DIR=$WORK/sqlite-source"
TARGET="VAR_DIR=$WORK/sqlite-target"
env $SOURCE "$PY" manage.py migrate --noinput -v0
env $SOURCE "$PY" manage.py seed_demo | grep -v '^login:'
env $SOURCE "$PY" manage.py backup "$WORK/sqlite.backup"
env $TARGET "$PY" manage.py restore "$WORK/sqlite.backup"
same sqlite "$SOURCE" "$TARGET"

echo "==> A restore that does not match the digest of its backup is refused"
env $SOURCE "$PY" manage.py shell -c \
  "from mentorship.models import Programme; Programme.objects.update(description='changed')"
env $SOURCE "$PY" manage.py backup "$WORK/sqlite-2.backup"
cp "$WORK/sqlite.backup.json" "$WORK/sqlite-2.backup.json"  # the older backup's digest
if env "VAR_DIR=$WORK/sqlite-mismatch" "$PY" manage.py restore "$WORK/sqlite-2.backup" \
    2>"$WORK/mismatch.log"; then
  echo "backups: a restore that differs from its digest was accepted"
  exit 1
fi
grep -q "differs from the backup" "$WORK/mismatch.log"
echo "backups: refused, as it should be"

echo "==> PostgreSQL: seed, pg_dump, pg_restore into a fresh database"
createdb -h 127.0.0.1 -U postgres "$PG_SOURCE"
createdb -h 127.0.0.1 -U postgres "$PG_TARGET"
SOURCE="DATABASE_URL=$PG/$PG_SOURCE VAR_DIR=$WORK/pg"
TARGET="DATABASE_URL=$PG/$PG_TARGET VAR_DIR=$WORK/pg"
env $SOURCE "$PY" manage.py migrate --noinput -v0
env $SOURCE "$PY" manage.py seed_demo | grep -v '^login:'
env $SOURCE "$PY" manage.py backup "$WORK/postgres.dump"
env $TARGET "$PY" manage.py restore "$WORK/postgres.dump"
same postgres "$SOURCE" "$TARGET"

