"""On SQLite too, the database itself refuses to rewrite audit and RAG history.

PostgreSQL has had triggers since core migration 0002 (and strategy 0003, panels 0002).
SQLite, the embedded default, relied on the application check (``AppendOnlyModel``), so
anyone with the database file could change an audit row with one ``UPDATE`` (issue 18).
Here the same tables get SQLite triggers that ``RAISE(ABORT)`` on ``UPDATE`` and (where
PostgreSQL refuses it) ``DELETE``.

They are (re)created after every ``migrate`` rather than in a migration, because
Django rebuilds a SQLite table to alter it, which drops its triggers; ``IF NOT EXISTS``
makes this idempotent.

One exception on each side, as on PostgreSQL (whose ``TRUNCATE`` fires no row
triggers): Django's own ``flush`` (the test suite's reset between live-server tests)
may empty the tables. The DELETE triggers ask the connection-local SQL function
``saferboard_history_locked()``, which Saferboard registers on each connection and which
answers 0 only while ``flush`` runs. From any other client (the ``sqlite3`` shell, a
script) the function does not exist, so the trigger fails and the DELETE with it.
UPDATE triggers have no exception at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

# table → refuse DELETE too (the panels' status history is deleted with its case by
# retention, as on PostgreSQL, so only UPDATE is refused there).
TABLES: dict[str, bool] = {
    "core_auditevent": True,
    "core_ragentry": True,
    "strategy_updateevent": True,
    "strategy_reminder": True,
    "panels_casestatuschange": False,
}
LOCK_FUNCTION = "saferboard_history_locked"
_UNLOCKED = "_saferboard_history_unlocked"


def trigger_sql(table: str, refuse_delete: bool) -> list[str]:
    message = f"table {table} is append-only"
    statements = [
        f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_update BEFORE UPDATE ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{message}'); END;"
    ]
    if refuse_delete:
        statements.append(
            f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_delete BEFORE DELETE ON {table} "
            f"WHEN {LOCK_FUNCTION}() BEGIN SELECT RAISE(ABORT, '{message}'); END;"
        )
    return statements


def install_triggers(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers on every append-only table that exists (SQLite only)."""
    if connection.vendor != "sqlite":
        return
    existing = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table, refuse_delete in TABLES.items():
            if table in existing:
                for statement in trigger_sql(table, refuse_delete):
                    cursor.execute(statement)


def on_connection_created(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Register the lock function on a new SQLite connection, and let ``flush`` through."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        LOCK_FUNCTION, 0, lambda: 0 if getattr(connection, _UNLOCKED, False) else 1
    )
    ops = connection.ops
    if getattr(ops, "_saferboard_flush_wrapped", False):
        return
    original = ops.execute_sql_flush

    def execute_sql_flush(sql_list: Iterable[str]) -> None:
        setattr(connection, _UNLOCKED, True)
        try:
            original(sql_list)
        finally:
            setattr(connection, _UNLOCKED, False)

    ops.execute_sql_flush = execute_sql_flush  # type: ignore[method-assign]  # per connection
    ops._saferboard_flush_wrapped = True  # type: ignore[attr-defined]


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    install_triggers(connections[using])
