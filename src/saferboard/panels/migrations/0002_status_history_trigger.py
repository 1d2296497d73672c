"""On PostgreSQL, the database refuses UPDATE on a case's status history.

DELETE stays possible: retention deletes a case with its history. Reuses core's
``saferboard_refuse_change()`` function (core migration 0002). SQLite relies on the
application check (AppendOnlyModel).
"""

from django.db import migrations

TABLE = "panels_casestatuschange"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION saferboard_refuse_change();"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE};")


class Migration(migrations.Migration):
    dependencies = [("panels", "0001_initial"), ("core", "0002_append_only_triggers")]
    operations = [migrations.RunPython(forwards, backwards)]
