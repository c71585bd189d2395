"""A database trigger makes audit events append-only: their content columns cannot be updated.

The actor column stays updatable so deleting a user can set it to NULL. Deletion of rows is left
to the database owner (test flushes use it); no application code path deletes audit events.
"""

from django.db import migrations

CONTENT_COLUMNS = (
    "created_at, programme_id, object_type, object_id, action, from_state, to_state, data"
)

SQLITE_UP = f"""
CREATE TRIGGER mentorship_auditevent_append_only
BEFORE UPDATE OF {CONTENT_COLUMNS} ON mentorship_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
POSTGRES_UP = [
    """
    CREATE FUNCTION mentorship_auditevent_refuse_update() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$;
    """,
    f"""
    CREATE TRIGGER mentorship_auditevent_append_only
    BEFORE UPDATE OF {CONTENT_COLUMNS} ON mentorship_auditevent
    FOR EACH ROW EXECUTE FUNCTION mentorship_auditevent_refuse_update();
    """,
]
DOWN = {
    "sqlite": ["DROP TRIGGER IF EXISTS mentorship_auditevent_append_only"],
    "postgresql": [
        "DROP TRIGGER IF EXISTS mentorship_auditevent_append_only ON mentorship_auditevent",
        "DROP FUNCTION IF EXISTS mentorship_auditevent_refuse_update()",
    ],
}


def _run(schema_editor, statements: list[str]) -> None:
    for statement in statements:
        schema_editor.execute(statement)


def forwards(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, [SQLITE_UP])
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_UP)


def backwards(apps, schema_editor) -> None:
    _run(schema_editor, DOWN.get(schema_editor.connection.vendor, []))


class Migration(migrations.Migration):
    dependencies = [("mentorship", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
