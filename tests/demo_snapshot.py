"""The demo partnership, loaded once per test process and restored into each test.

Loading the demo runs every app's loader (real crime files, a synthetic youth justice
export, four reporting rounds): about 15 seconds. A dozen test modules start from it,
so loading it afresh for each test cost minutes per run on each database. Instead the
first test that asks for the demo loads it inside a transaction, copies every row it
wrote and the files it left in the data directory, and rolls the transaction back, so
tests that never asked for the demo still start from an empty database. Each test that
asks for it then gets those rows inserted into its own (rolled-back) transaction and a
copy of the files in its own data directory: the same state `load_demo()` leaves, in
well under a second.

Within one run of ``scripts/test.sh`` the stages (SQLite, PostgreSQL, browser, fuzz) and
the xdist workers of each would each load the demo again: ``SABO_DEMO_SNAPSHOT_CACHE``
names a directory (fresh for each run of the script) where the first process to load it
leaves the snapshot for its database engine, and the others read it from there
(``cached``).
"""

from __future__ import annotations

import datetime
import decimal
import fcntl
import os
import pickle
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import override_settings

Rows = list[tuple[Any, ...]]


@dataclass(frozen=True)
class TableRows:
    """The rows the demo added to one table, with the column names they fill."""

    table: str
    columns: tuple[str, ...]
    rows: Rows


@dataclass(frozen=True)
class DemoSnapshot:
    """What ``load_demo()`` wrote: rows per table, the data directory, the sign-ins."""

    tables: tuple[TableRows, ...]
    data_dir: Path
    sign_ins: list[tuple[str, str, str]]
    content_types: dict[int, tuple[str, str]]


def _table_names() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _sqlite_value(value: Any) -> Any:
    """A value read back from SQLite in the form SQLite stores it.

    Django's SQLite backend converts dates, times and datetimes to Python objects on the
    way out and writes them as text (``str(value)``) on the way in; the raw driver has no
    adapter for some of them.
    """
    if isinstance(value, datetime.date | datetime.time | decimal.Decimal):
        return str(value)
    return value


def _read(table: str) -> tuple[tuple[str, ...], Rows]:
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - a table name from introspection
        columns = tuple(column[0] for column in cursor.description)
        if connection.vendor == "sqlite":
            return columns, [tuple(map(_sqlite_value, row)) for row in cursor.fetchall()]
        return columns, [tuple(row) for row in cursor.fetchall()]


def _content_types() -> dict[int, tuple[str, str]]:
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return {ct.pk: (ct.app_label, ct.model) for ct in ContentType.objects.all()}


def _content_type_columns() -> dict[str, set[str]]:
    """Table → the columns that hold a content type's id (generic relations)."""
    from django.contrib.contenttypes.models import ContentType

    out: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is ContentType:
                out.setdefault(model._meta.db_table, set()).add(field.column)
    return out


def _remap_content_types(snapshot: DemoSnapshot) -> list[TableRows]:
    """The snapshot's rows with content type ids as this database numbers them.

    A transactional test flushes every table when it ends and Django then creates the
    content types again, under new ids; rows that point at a content type (evidence
    attached to an update, comments on an action) must follow.
    """
    now = {key: pk for pk, key in _content_types().items()}
    mapping = {old: now[key] for old, key in snapshot.content_types.items() if key in now}
    if all(old == new for old, new in mapping.items()):
        return list(snapshot.tables)
    columns = _content_type_columns()
    out = []
    for table in snapshot.tables:
        indexes = [i for i, c in enumerate(table.columns) if c in columns.get(table.table, ())]
        if not indexes:
            out.append(table)
            continue
        rows = []
        for row in table.rows:
            values = list(row)
            for i in indexes:
                values[i] = mapping.get(values[i], values[i])
            rows.append(tuple(values))
        out.append(TableRows(table.table, table.columns, rows))
    return out


def take(data_dir: Path) -> DemoSnapshot:
    """Load the demo into ``data_dir`` and the database, copy what it wrote, undo it.

    Rows that existed before (content types, permissions, migrations) are not copied:
    only what the demo added.
    """
    from saferboard.core.management.commands.demo import load_demo

    # Compared by repr: a row may hold values that cannot be hashed (bytes views, JSON).
    before = {table: {repr(row) for row in _read(table)[1]} for table in _table_names()}
    with (
        override_settings(DATA_DIR=data_dir, MEDIA_ROOT=data_dir / "files"),
        transaction.atomic(),
    ):
        sign_ins = load_demo()
        tables = []
        for table in _table_names():
            columns, rows = _read(table)
            added = [row for row in rows if repr(row) not in before.get(table, set())]
            if added:
                tables.append(TableRows(table, columns, added))
        transaction.set_rollback(True)
    return DemoSnapshot(tuple(tables), data_dir, sign_ins, _content_types())


def restore(snapshot: DemoSnapshot, data_dir: Path) -> list[tuple[str, str, str]]:
    """Put the demo's rows into the current transaction and its files into ``data_dir``.

    Works in a test's rolled-back transaction and in a transactional (live server) test
    alike: the rows go in inside one atomic block, and foreign keys are deferred to its
    end on both databases, so the tables can be filled in any order. PostgreSQL's
    sequences are then moved past the copied ids, as ``loaddata`` does.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _remap_content_types(snapshot):
            columns = ", ".join(connection.ops.quote_name(c) for c in table.columns)
            marks = ", ".join(["%s"] * len(table.columns))
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(table.table)} ({columns}) "  # noqa: S608
                f"VALUES ({marks})",
                table.rows,
            )
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    shutil.copytree(snapshot.data_dir, data_dir, dirs_exist_ok=True)
    return snapshot.sign_ins


def _picklable(value: Any) -> Any:
    # PostgreSQL's driver hands binary columns back as memoryview, which pickle refuses.
    return bytes(value) if isinstance(value, memoryview) else value


def cached(cache_dir: Path, data_dir: Path) -> DemoSnapshot:
    """The snapshot from ``cache_dir`` (one per database engine), taking it first if no
    process of this run has: the first process holds a lock while it loads the demo, so
    the others wait for its copy instead of loading the demo again beside it.

    The cache only holds within one run of the test script, against databases built by
    the same migrations: content type ids are mapped again on every restore and
    sequences moved past the copied ids, so what differs between test databases of one
    engine is handled there.
    """
    engine_dir = cache_dir / connection.vendor
    engine_dir.mkdir(parents=True, exist_ok=True)
    stored = engine_dir / "snapshot.pickle"
    with open(engine_dir / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stored.exists():
            tables, sign_ins, content_types = pickle.loads(stored.read_bytes())  # noqa: S301 - written by this run
            return DemoSnapshot(tables, engine_dir / "data", sign_ins, content_types)
        snapshot = take(data_dir)
        shutil.copytree(data_dir, engine_dir / "data", dirs_exist_ok=True)
        tables = tuple(
            TableRows(t.table, t.columns, [tuple(map(_picklable, row)) for row in t.rows])
            for t in snapshot.tables
        )
        partial = engine_dir / "snapshot.pickle.partial"
        partial.write_bytes(pickle.dumps((tables, snapshot.sign_ins, snapshot.content_types)))
        os.replace(partial, stored)
        return snapshot


def cache_dir() -> Path | None:
    """The run's snapshot cache directory, if the test script set one."""
    value = os.environ.get("SABO_DEMO_SNAPSHOT_CACHE")
    return Path(value) if value else None
