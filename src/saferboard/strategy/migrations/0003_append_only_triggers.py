"""On PostgreSQL the database itself refuses UPDATE and DELETE on update events and
reminders, as it does for RAG history and the audit log (see core 0002)."""

from django.db import migrations

TABLES = ["strategy_updateevent", "strategy_reminder"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
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


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_append_only_triggers"),
        ("strategy", "0002_reporting_rounds"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
