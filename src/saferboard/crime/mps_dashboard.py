"""Import the Met's Monthly Crime Dashboard extract (London Datastore) into the store.

The extract is long: one row per month, area, crime type, crime subtype and measure
(``Offences`` or ``Positive Outcomes``) with its ``count``; rows with a count of 0 are
not published. Areas are boroughs (``area_type`` ``Borough``, with the borough's E09
code, or the Met's non-borough units such as "Other / NK" with no code) and Safer
Neighbourhood Teams. It carries what the recorded-crime files do not: knife crime,
domestic abuse and hate crime flags (and gun crime).

Subtypes overlap: a hate crime can be racist *and* faith-based, a knife crime with
injury is also a knife crime. So nothing here is ever summed across subtypes: every
(crime type, subtype, measure) is its own category, and measures name the published
total rows (see :mod:`.measures`).

Stored beside recorded crime but apart from it (see :mod:`.categories`): one dataset
per crime type, partitions ``mps-dashboard/<crime-type>/<YYYY-MM>.parquet``, borough
level only (the team rows are checked but not stored; the dashboards are per borough).
Re-importing a month of a crime type replaces just that partition, so a later
knife-crime-only file replaces knife crime and leaves domestic abuse and hate crime as
they were, and re-importing recorded crime never touches any of it.
"""
# ruff: noqa: S608 - SQL here is built only from quoted identifiers, quoted file paths
# and constants; values from the data are bound as parameters or read by DuckDB itself.

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import duckdb

from saferboard.core.models import User
from saferboard.crime.categories import DASHBOARD_FOLDER, LONDON_BOROUGHS
from saferboard.crime.inputs import InputFile, Progress, hash_in_background, no_progress
from saferboard.crime.mps import london_connection, normalise
from saferboard.crime.problems import ImportRejected, Problem
from saferboard.crime.provenance import ImportRecord, ImportResult
from saferboard.crime.store import CrimeStore, one_row, sql_string
from saferboard.crime.store import sql_identifier as ident
from saferboard.crime.store_import import Report, StagedImport, commit_staged
from saferboard.crime.tables import load_text_table, stage_partitions

FORMAT = "mps-crime-dashboard"
REQUIRED = (
    "month_year",
    "area_type",
    "borough_snt",
    "area_name",
    "area_code",
    "crime_type",
    "crime_subtype",
    "measure",
    "count",
)
OPTIONAL = ("financial_year", "fy_fyindex", "refresh_date", "sheet")
# What tells this format apart from the others (recorded crime has YYYYMM columns).
SIGNATURE = {"month_year", "area_type", "crime_type", "crime_subtype", "measure", "count"}
AREA_TYPES = ("Borough", "Safer Neighbourhood Teams")
MEASURES = ("Offences", "Positive Outcomes")
# A month: 2024-05, 2024-05-01, 2024-05-01 00:00:00 (Parquet timestamps as text), or
# 01/05/2024 (a spreadsheet's day-first date).
ISO_MONTH = r"\d{4}-(0[1-9]|1[0-2])(-01([ T]00:00(:00(\.0+)?)?)?)?"
DMY_MONTH = r"01/(0[1-9]|1[0-2])/\d{4}"


def is_dashboard_header(columns: Sequence[str]) -> bool:
    """Whether a header (or Parquet schema) is the crime dashboard's long layout."""
    return {normalise(c) for c in columns} >= SIGNATURE


def _layout(file: InputFile, columns: list[str]) -> tuple[dict[str, str], list[str]]:
    """(role → column as named in the file, columns to keep), or a located refusal."""
    roles: dict[str, str] = {}
    for column in columns:
        name = normalise(column)
        if name in REQUIRED or name in OPTIONAL:
            roles.setdefault(name, column)
        elif name.startswith("unnamed") or name in {"", "__index_level_0__"}:
            continue  # a spreadsheet or pandas index column: no data
        else:
            raise ImportRejected(
                Problem(
                    file.name,
                    "is not an MPS crime dashboard file: unexpected column (expected "
                    + ", ".join(REQUIRED)
                    + ")",
                    row=1,
                    column=column,
                    value=column,
                )
            )
    for required in REQUIRED:
        if required not in roles:
            raise ImportRejected(
                Problem(file.name, f"has no {required} column (an MPS crime dashboard file)", row=1)
            )
    keep = [roles[r] for r in REQUIRED] + [roles[r] for r in OPTIONAL if r in roles]
    return roles, keep


def _period_sql(column: str) -> str:
    """SQL for the ``YYYY-MM`` of a month cell (NULL when it is not a month)."""
    return (
        f"CASE WHEN regexp_full_match(trim({column}), '{ISO_MONTH}') "
        f"THEN substr(trim({column}), 1, 7) "
        f"WHEN regexp_full_match(trim({column}), '{DMY_MONTH}') "
        f"THEN substr(trim({column}), 7, 4) || '-' || substr(trim({column}), 4, 2) END"
    )


# Each crime type is a dataset, stored in a folder named after it: a longer name could
# not be a folder name (the published ones are under 40 characters).
MAX_CRIME_TYPE = 100


def _slug_sql(column: str) -> str:
    """SQL for the dataset name of a crime type: 'Knife Crime' → 'knife-crime'."""
    return f"trim(regexp_replace(lower(trim({column})), '[^a-z0-9]+', '-', 'g'), '-')"


def _check(con: duckdb.DuckDBPyConnection, file: InputFile, roles: dict[str, str]) -> None:
    """Refuse the file at its first bad cell (rows in file order, then columns)."""
    col = {role: ident(name) for role, name in roles.items()}
    london = ", ".join(sql_string(code) for code in LONDON_BOROUGHS.values())
    area_types = ", ".join(sql_string(a) for a in AREA_TYPES)
    measures = ", ".join(sql_string(m.lower()) for m in MEASURES)
    checks = [
        (
            "month_year",
            f"({_period_sql(col['month_year'])}) IS NULL",
            "must be a month (YYYY-MM, YYYY-MM-01 or 01/MM/YYYY)",
        ),
        (
            "area_type",
            f"coalesce(trim({col['area_type']}), '') NOT IN ({area_types})",
            "must be Borough or Safer Neighbourhood Teams",
        ),
        ("borough_snt", f"{col['borough_snt']} IS NULL", "must not be blank"),
        (
            "area_code",
            f"trim({col['area_type']}) = 'Borough' AND "
            f"coalesce(regexp_full_match(trim({col['area_code']}), 'E09\\d{{6}}'), false) "
            f"AND trim({col['area_code']}) NOT IN ({london})",
            "is not the code of a London borough",
        ),
        (
            "crime_type",
            f"coalesce({_slug_sql(col['crime_type'])}, '') = '' "
            f"OR contains({col['crime_type']}, '|') "
            f"OR length(trim({col['crime_type']})) > {MAX_CRIME_TYPE}",
            f"must name a crime type in at most {MAX_CRIME_TYPE} characters (with no '|')",
        ),
        (
            "crime_subtype",
            f"coalesce(contains({col['crime_subtype']}, '|'), true)",
            "must not be blank (or hold a '|')",
        ),
        (
            "measure",
            f"coalesce(lower(trim({col['measure']})), '') NOT IN ({measures})",
            "must be Offences or Positive Outcomes",
        ),
        (
            "count",
            f"NOT coalesce(regexp_full_match({col['count']}, '[0-9]{{1,12}}'), false)",
            "must be a whole number (0 or more)",
        ),
    ]
    order = {role: i for i, role in enumerate(roles)}  # header order
    union = " UNION ALL ".join(
        f"SELECT _row, {order[role]} AS ord, {sql_string(roles[role])} AS col, "
        f"{col[role]}::VARCHAR AS value, {sql_string(msg)} AS msg FROM dash WHERE {rule}"  # nosec B608  # identifiers validated, paths quoted, values bound
        for role, rule, msg in checks
    )
    bad = con.execute(f"SELECT * FROM ({union}) ORDER BY _row, ord LIMIT 1").fetchone()  # nosec B608  # identifiers validated, paths quoted, values bound
    if bad:
        raise ImportRejected(
            Problem(
                file.name,
                bad[4],
                row=int(bad[0]),
                column=bad[2],
                value=bad[3] if bad[3] is not None else "(blank)",
            )
        )


_EDITION_SQL = (
    "coalesce(TRY_CAST(refresh_date AS TIMESTAMP), try_strptime(refresh_date, '%d/%m/%Y'))"
)


def _supersede_editions(
    con: duckdb.DuckDBPyConnection, files: Sequence[InputFile]
) -> list[dict[str, object]]:
    """Two editions of the extract in one import: for each crime type and month both
    hold, the rows of the file with the later refresh date are kept and the earlier
    edition's are dropped (the later file revises the figures). Files of the same
    edition, or without a refresh date, are left to the repeat check (which refuses)."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE editions AS
            SELECT file_index, max({_EDITION_SQL}) AS edition FROM rows_all
            GROUP BY file_index;
            CREATE OR REPLACE TEMP TABLE beaten AS
            SELECT DISTINCT mine.dataset, mine.period, mine.file_index,
                   arg_max(other.file_index, eo.edition) AS by_file,
                   max(eo.edition) AS by_edition, any_value(em.edition) AS edition
            FROM parts mine JOIN editions em USING (file_index)
            JOIN parts other ON other.dataset = mine.dataset AND other.period = mine.period
                 AND other.file_index <> mine.file_index
            JOIN editions eo ON eo.file_index = other.file_index
            WHERE eo.edition > em.edition
            GROUP BY mine.dataset, mine.period, mine.file_index"""  # nosec B608  # constants only
    )
    dropped = con.execute(
        """SELECT b.file_index, any_value(b.by_file), strftime(any_value(b.edition), '%Y-%m-%d'),
                  strftime(any_value(b.by_edition), '%Y-%m-%d'), count(DISTINCT b.period),
                  (SELECT count(*) FROM rows_all r JOIN beaten x
                     ON x.dataset = r.dataset AND x.period = r.period
                    AND x.file_index = r.file_index WHERE x.file_index = b.file_index)
           FROM beaten b GROUP BY b.file_index ORDER BY 1"""
    ).fetchall()
    if not dropped:
        return []
    con.execute(
        """DELETE FROM rows_all r WHERE EXISTS (
             SELECT 1 FROM beaten b WHERE b.dataset = r.dataset AND b.period = r.period
               AND b.file_index = r.file_index);
           DELETE FROM parts p WHERE EXISTS (
             SELECT 1 FROM beaten b WHERE b.dataset = p.dataset AND b.period = p.period
               AND b.file_index = p.file_index)"""
    )
    return [
        {
            "file": files[fi].name,
            "edition": edition,
            "by": files[by].name,
            "by_edition": by_edition,
            "months": int(months),
            "rows": int(rows),
        }
        for fi, by, edition, by_edition, months, rows in dropped
    ]


def _keep_newer_stored(con: duckdb.DuckDBPyConnection, store: CrimeStore) -> list[dict[str, str]]:
    """A crime type's month already imported from a later edition than this import's
    file is kept: an earlier edition imported afterwards never overwrites a revision."""
    from saferboard.measures.models import DataImport

    stored = store.partitions(f"{DASHBOARD_FOLDER}/")
    if not stored:
        return []
    ids = {meta.get("import_id") for meta in stored.values()}
    as_at = dict(
        DataImport.objects.filter(pk__in=[i for i in ids if i], format=FORMAT)
        .exclude(data_as_at=None)
        .values_list("pk", "data_as_at")
    )
    existing = []
    for rel, meta in stored.items():
        _, dataset, name = rel.split("/")
        day = as_at.get(int(meta.get("import_id") or 0))
        if day is not None:
            existing.append((dataset, name[:7], day))
    if not existing:
        return []
    con.execute(
        "CREATE OR REPLACE TEMP TABLE stored_editions "
        "(dataset VARCHAR, period VARCHAR, edition DATE)"
    )
    con.executemany("INSERT INTO stored_editions VALUES (?, ?, ?)", existing)
    kept = con.execute(
        """SELECT DISTINCT p.dataset, p.period FROM parts p
           JOIN editions e USING (file_index)
           JOIN stored_editions s ON s.dataset = p.dataset AND s.period = p.period
           WHERE s.edition > e.edition::DATE ORDER BY 1, 2"""
    ).fetchall()
    if not kept:
        return []
    con.execute(
        """DELETE FROM rows_all r WHERE EXISTS (
             SELECT 1 FROM parts p JOIN editions e USING (file_index)
             JOIN stored_editions s ON s.dataset = p.dataset AND s.period = p.period
             WHERE s.edition > e.edition::DATE AND p.dataset = r.dataset
               AND p.period = r.period AND p.file_index = r.file_index);
           DELETE FROM parts p WHERE EXISTS (
             SELECT 1 FROM editions e, stored_editions s
             WHERE e.file_index = p.file_index AND s.dataset = p.dataset
               AND s.period = p.period AND s.edition > e.edition::DATE)"""
    )
    return [{"dataset": d, "period": p} for d, p in kept]


def _reject_repeats(con: duckdb.DuckDBPyConnection, files: Sequence[InputFile]) -> None:
    """Refuse a row that repeats the month, area, crime type, subtype and measure of an
    earlier one (in the same file or an earlier file of the import): counting both
    would double the figure. Names are compared without regard to case."""
    dup = con.execute(
        """SELECT list(file_index ORDER BY file_index, _row), list(_row ORDER BY file_index, _row),
                  any_value(subtype_column)
           FROM rows_all
           GROUP BY period, lower(trim(area_type)), lower(trim(borough_snt)),
                    lower(coalesce(trim(area_name), '')), coalesce(trim(area_code), ''),
                    lower(trim(crime_type)), lower(trim(crime_subtype)), lower(trim(measure))
           HAVING count(*) > 1
           ORDER BY min(file_index), min(_row) LIMIT 1"""
    ).fetchone()
    if dup:
        indexes, rows, column = dup
        first, second = files[indexes[0]], files[indexes[1]]
        where = f"row {rows[0]}" + ("" if first is second else f" of {first.name}")
        raise ImportRejected(
            Problem(
                second.name,
                f"repeats the month, area, crime type, subtype and measure of {where}",
                row=int(rows[1]),
                column=column,
            )
        )


def import_mps_dashboard(
    files: Sequence[InputFile],
    *,
    user: User | None = None,
    progress: Progress = no_progress,
    store: CrimeStore | None = None,
    label: str = "",
    report: Report | None = None,
) -> ImportResult:
    """Import MPS crime dashboard files all-or-nothing; replace the crime types' months
    they hold."""
    store = store or CrimeStore()
    hashes = hash_in_background(files)
    total = len(files) + 2

    def stage(staging: Path) -> StagedImport:
        con = london_connection(
            "CREATE TEMP TABLE rows_all (file_index INTEGER, _row BIGINT, period VARCHAR, "
            "dataset VARCHAR, area_type VARCHAR, borough_snt VARCHAR, area_name VARCHAR, "
            "area_code VARCHAR, crime_type VARCHAR, crime_subtype VARCHAR, measure VARCHAR, "
            "n BIGINT, refresh_date VARCHAR, subtype_column VARCHAR, source_file VARCHAR); "
            "CREATE TEMP TABLE parts (dataset VARCHAR, period VARCHAR, file_index INTEGER)"
        )
        rows_by_file: dict[str, int] = {}
        for index, file in enumerate(files):
            progress(f"Reading {file.path.name}", index, total)
            roles = load_text_table(con, file, "dash", _layout)
            _check(con, file, roles)
            col = {role: ident(name) for role, name in roles.items()}
            refresh = col.get("refresh_date", "NULL")
            con.execute(
                f"""
                INSERT INTO rows_all
                SELECT {index}, _row, {_period_sql(col["month_year"])},
                       {_slug_sql(col["crime_type"])}, trim({col["area_type"]}),
                       {col["borough_snt"]}, {col["area_name"]}, trim({col["area_code"]}),
                       {col["crime_type"]}, {col["crime_subtype"]}, trim({col["measure"]}),
                       {col["count"]}::BIGINT, {refresh}, {sql_string(roles["crime_subtype"])},
                       {sql_string(file.name)}
                FROM dash
                """  # nosec B608  # identifiers validated, paths quoted, values bound
            )
            # Every month of the file is a month of every crime type in it: a type with
            # no row in a month had none (the extract leaves out zero counts).
            con.execute(
                """INSERT INTO parts
                   SELECT t.dataset, m.period, ?
                   FROM (SELECT DISTINCT dataset FROM rows_all WHERE file_index = ?) t,
                        (SELECT DISTINCT period FROM rows_all WHERE file_index = ?) m""",
                [index, index, index],
            )
            rows_by_file[file.name] = int(one_row(con.execute("SELECT count(*) FROM dash"))[0])
            if not rows_by_file[file.name]:
                raise ImportRejected(Problem(file.name, "has a header but no data rows", row=2))
        superseded = _supersede_editions(con, files)
        _reject_repeats(con, files)
        kept_newer = _keep_newer_stored(con, store)
        progress("Writing partitions", len(files), total)
        con.execute(
            """
            CREATE TEMP TABLE out_rows AS
            SELECT r.period, r.dataset,
                   CASE WHEN r.area_code IN (SELECT code FROM london) THEN r.area_code
                        ELSE b.code END AS lad,
                   r.borough_snt AS borough, r.area_code, r.area_name, r.crime_type,
                   r.crime_subtype, r.measure, r.n, r.source_file
            FROM rows_all r
            LEFT JOIN london b ON lower(b.name) = lower(trim(r.borough_snt))
            WHERE r.area_type = 'Borough' AND r.n > 0
            """
        )
        parts = [
            (d, p) for d, p in con.execute("SELECT DISTINCT dataset, period FROM parts").fetchall()
        ]
        staged = stage_partitions(
            con, "out_rows", staging, DASHBOARD_FOLDER, parts, order="lad, area_code, crime_type"
        )
        months = sorted({p for _, p in parts})
        crime_types = [
            r[0]
            for r in con.execute(
                "SELECT any_value(crime_type ORDER BY file_index, _row) FROM rows_all "
                "GROUP BY dataset ORDER BY 1"
            ).fetchall()
        ]
        not_stored = int(
            one_row(con.execute("SELECT count(*) FROM rows_all WHERE area_type <> 'Borough'"))[0]
        )
        refreshed = [
            r[0]
            for r in con.execute(
                "SELECT DISTINCT refresh_date FROM rows_all WHERE refresh_date IS NOT NULL "
                "ORDER BY 1"
            ).fetchall()
        ]
        con.close()
        progress("Saving", len(files) + 1, total)
        return StagedImport(
            staged,
            ImportRecord(
                source_kind="mps",
                format=FORMAT,
                label=label
                or (
                    f"MPS crime dashboard ({', '.join(crime_types)}) {months[0]} to {months[-1]}"
                    if months
                    else "MPS crime dashboard (no rows)"
                ),
                files=files,
                hashes=hashes.result(),
                rows_by_file=rows_by_file,
                months=months,
                user=user,
                detail={
                    "crime_types": crime_types,
                    "datasets": sorted({d for d, _ in parts}),
                    "partitions": [p.relpath for p in staged],
                    "cells_stored": sum(p.rows for p in staged),
                    "team_rows_not_stored": not_stored,
                    "refresh_dates": refreshed,
                    "superseded": superseded,
                    "kept_newer_stored": kept_newer,
                },
                data_as_at=_latest_refresh(refreshed),
            ),
            rows=sum(rows_by_file.values()),
            months=months,
            notes=_notes(superseded, kept_newer, not_stored),
        )

    result = commit_staged(store, stage, report)
    progress("Done", total, total)
    return result


def _notes(
    superseded: list[dict[str, object]], kept_newer: list[dict[str, str]], not_stored: int
) -> list[str]:
    """What the import result says besides its counts: superseded editions, later
    editions kept, team rows not stored."""
    notes: list[str] = []
    for item in superseded:
        notes.append(
            f"{item['file']} (refreshed {item['edition']}): {item['rows']:,} row(s) of "
            f"{item['months']} month(s) superseded by the later edition {item['by']} "
            f"(refreshed {item['by_edition']})"
        )
    if kept_newer:
        notes.append(
            f"{len(kept_newer)} crime type month(s) already imported from a later edition "
            "were kept (this file's figures for them are older): "
            + ", ".join(f"{k['dataset']} {k['period']}" for k in kept_newer[:6])
            + (" …" if len(kept_newer) > 6 else "")
        )
    if not_stored:
        notes.append(
            f"{not_stored:,} Safer Neighbourhood Team rows were checked but not stored "
            "(the dashboards are per borough)."
        )
    return notes


def _latest_refresh(refreshed: list[object]) -> date | None:
    """The latest refresh date the files state (a date, a timestamp or ISO text)."""
    dates = []
    for value in refreshed:
        if isinstance(value, datetime):
            dates.append(value.date())
        elif isinstance(value, date):
            dates.append(value)
        elif isinstance(value, str):
            with contextlib.suppress(ValueError):
                dates.append(date.fromisoformat(value.strip()[:10]))
    return max(dates) if dates else None
