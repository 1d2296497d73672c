"""On PostgreSQL, the database itself refuses UPDATE and DELETE on audit and RAG history.

The application already refuses them (AppendOnlyModel); the trigger also stops a raw
SQL statement or a bulk operation from rewriting history. SQLite relies on the
application check (and is the single-user embedded set-up).
"""

from django.db import migrations

TABLES = ["core_auditevent", "core_ragentry"]

FUNCTION = """
CREATE OR REPLACE FUNCTION saferboard_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'table ' || TG_TABLE_NAME || ' is append-only';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION saferboard_refuse_change();"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS saferboard_refuse_change();")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
