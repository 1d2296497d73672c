"""Import Metropolitan Police recorded crime (London Datastore) into the columnar store.

The published layout is wide: a few columns that say what and where (major and minor
category; borough, ward or LSOA) and one column per month (``YYYYMM``) holding counts.
Three geographies are published and kept apart as datasets (``borough``, ``ward``,
``lsoa``), because summing them would count every crime twice. Files come as CSV or
Parquet. Each file is loaded into DuckDB with a row number, every count cell is checked
in SQL after unpivoting to one row per area, category and month, and the result is
written one partition per dataset and month (zero counts are not stored: a month's
partition existing is what says the month was published).
"""
# ruff: noqa: S608 - SQL here is built only from quoted identifiers, quoted file paths
# and constants; values from the data are bound as parameters or read by DuckDB itself.

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import duckdb

from saferboard.core.models import User
from saferboard.crime.categories import LONDON_BOROUGHS, MPS_NON_BOROUGHS
from saferboard.crime.inputs import InputFile, Progress, hash_in_background, no_progress
from saferboard.crime.problems import ImportRejected, Problem
from saferboard.crime.provenance import ImportRecord, ImportResult
from saferboard.crime.store import CrimeStore, one_row, sql_string
from saferboard.crime.store import sql_identifier as ident
from saferboard.crime.store_import import Report, StagedImport, commit_staged
from saferboard.crime.tables import load_text_table, parquet_columns, stage_partitions

__all__ = ["FORMAT", "import_mps", "is_mps_header", "parquet_columns"]

FORMAT = "mps-recorded-crime"
MONTH_COLUMN = re.compile(r"(\d{4})(0[1-9]|1[0-2])")

# Published column names (lower-cased, spaces as underscores) → our role for them.
ROLES = {
    "majortext": "major",
    "major_category": "major",
    "major_class_description": "major",
    "minortext": "minor",
    "minor_category": "minor",
    "minor_class_description": "minor",
    "boroughname": "borough",
    "lookup_boroughname": "borough",
    "borough": "borough",
    "wardcode": "ward_code",
    "wardname": "ward_name",
    "lsoa_code": "lsoa_code",
    "lsoa_name": "lsoa_name",
}
DATASET_KEYS = {"borough": ("borough",), "ward": ("ward_code",), "lsoa": ("lsoa_code",)}
CODE_PATTERNS = {
    "ward_code": re.compile(r"[EW]05\d{6}"),
    "lsoa_code": re.compile(r"[EW]01\d{6}"),
}


def normalise(column: str) -> str:
    return re.sub(r"\s+", "_", column.strip().lstrip("\ufeff").lower())


def is_mps_header(columns: Sequence[str]) -> bool:
    names = [normalise(c) for c in columns]
    roles = {ROLES.get(n) for n in names}
    return {"major", "minor"} <= roles and any(MONTH_COLUMN.fullmatch(n) for n in names)


def _layout(file: InputFile, columns: list[str]) -> tuple[str, dict[str, str], list[str]]:
    """(dataset, role → column, month columns) for a file, or a located refusal."""
    roles: dict[str, str] = {}
    months: list[str] = []
    for column in columns:
        name = normalise(column)
        if MONTH_COLUMN.fullmatch(name):
            months.append(column)
        elif name in ROLES and ROLES[name] not in roles:
            roles[ROLES[name]] = column
        elif name.startswith("unnamed") or name in {"", "__index_level_0__"}:
            continue  # a spreadsheet or pandas index column: no data
        else:
            raise ImportRejected(
                Problem(
                    file.name,
                    "is not an MPS recorded-crime file: unexpected column (expected category, "
                    "area and YYYYMM month columns)",
                    row=1,
                    column=column,
                    value=column,
                )
            )
    for required in ("major", "minor"):
        if required not in roles:
            raise ImportRejected(Problem(file.name, f"has no {required} category column", row=1))
    if not months:
        raise ImportRejected(Problem(file.name, "has no month (YYYYMM) columns", row=1))
    dataset = "lsoa" if "lsoa_code" in roles else "ward" if "ward_code" in roles else "borough"
    if dataset == "borough" and "borough" not in roles:
        raise ImportRejected(Problem(file.name, "has no borough, ward or LSOA column", row=1))
    return dataset, roles, months


def _load(con: duckdb.DuckDBPyConnection, file: InputFile) -> tuple[str, dict[str, str], list[str]]:
    """Load one file into the table ``wide`` (every cell as text, plus ``_row``)."""

    def choose(
        file: InputFile, columns: list[str]
    ) -> tuple[tuple[str, dict[str, str], list[str]], list[str]]:
        dataset, roles, months = _layout(file, columns)
        return (dataset, roles, months), [*roles.values(), *months]

    return load_text_table(con, file, "wide", choose)


def _check(con: duckdb.DuckDBPyConnection, file: InputFile, roles: dict[str, str]) -> None:
    """Refuse the file at its first bad cell (rows in file order, then columns)."""
    boroughs = ", ".join(sql_string(b) for b in [*LONDON_BOROUGHS, *MPS_NON_BOROUGHS])
    borough_rule = (
        # coalesce: a blank cell is NULL, and NULL IN (...) is NULL, not false.
        f"NOT (coalesce({ident(roles['borough'])} IN ({boroughs}), false) OR "
        f"coalesce(regexp_full_match({ident(roles['borough'])}, 'E09\\d{{6}}'), false))"
    )
    checks = [
        (roles["major"], f"{ident(roles['major'])} IS NULL", "must not be blank"),
        (roles["minor"], f"{ident(roles['minor'])} IS NULL", "must not be blank"),
    ]
    if "borough" in roles:
        checks.append(
            (roles["borough"], borough_rule, "is not a London borough (name or E09 code)")
        )
    for role, pattern in (("ward_code", "[EW]05\\d{6}"), ("lsoa_code", "[EW]01\\d{6}")):
        if role in roles:
            col = ident(roles[role])
            checks.append(
                (
                    roles[role],
                    f"NOT coalesce(regexp_full_match({col}, '{pattern}'), false)",
                    f"must be an ONS {role.split('_')[0].upper()} code",
                )
            )
    union = " UNION ALL ".join(
        f"SELECT _row, {i} AS ord, {sql_string(col)} AS col, {ident(col)}::VARCHAR AS value, "
        f"{sql_string(msg)} AS msg FROM wide WHERE {rule}"  # nosec B608  # identifiers validated, paths quoted, values bound
        for i, (col, rule, msg) in enumerate(checks)
    )
    bad = con.execute(f"SELECT * FROM ({union}) ORDER BY _row, ord LIMIT 1").fetchone()  # nosec B608  # identifiers validated, paths quoted, values bound
    if bad:
        raise ImportRejected(
            Problem(file.name, bad[4], row=int(bad[0]), column=bad[2], value=bad[3] or "")
        )
    bad = con.execute(
        """SELECT _row, ym, raw FROM long
           WHERE raw IS NULL OR NOT regexp_full_match(raw, '[0-9]{1,12}')
           ORDER BY _row, ym LIMIT 1"""
    ).fetchone()
    if bad:
        raise ImportRejected(
            Problem(
                file.name,
                "must be a whole number of crimes (0 or more)",
                row=int(bad[0]),
                column=bad[1],
                value=bad[2] if bad[2] is not None else "(blank)",
            )
        )


def london_connection(tables: str) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for an MPS import: the table ``london`` (each London borough's
    name and code) filled, and the temporary ``tables`` (SQL) created."""
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE london (name VARCHAR, code VARCHAR); " + tables)
    con.executemany("INSERT INTO london VALUES (?, ?)", list(LONDON_BOROUGHS.items()))
    return con


def import_mps(
    files: Sequence[InputFile],
    *,
    user: User | None = None,
    progress: Progress = no_progress,
    store: CrimeStore | None = None,
    label: str = "",
    report: Report | None = None,
) -> ImportResult:
    """Import MPS recorded-crime files all-or-nothing; replace the months they hold."""
    store = store or CrimeStore()
    hashes = hash_in_background(files)
    total = len(files) + 2

    def stage(staging: Path) -> StagedImport:
        con = london_connection(
            "CREATE TEMP TABLE out_rows (period VARCHAR, dataset VARCHAR, lad VARCHAR, "
            "borough VARCHAR, area_code VARCHAR, area_name VARCHAR, major VARCHAR, "
            "minor VARCHAR, n BIGINT, source_file VARCHAR)"
        )
        rows_by_file: dict[str, int] = {}
        datasets: set[str] = set()
        months_by_dataset: dict[str, set[str]] = {}
        for done, file in enumerate(files):
            progress(f"Reading {file.path.name}", done, total)
            dataset, roles, months = _load(con, file)
            datasets.add(dataset)
            months_by_dataset.setdefault(dataset, set()).update(
                f"{m.strip()[:4]}-{m.strip()[4:6]}" for m in months
            )
            month_cols = ", ".join(ident(m) for m in months)
            con.execute(
                "CREATE OR REPLACE TEMP TABLE long AS SELECT * FROM wide "
                f"UNPIVOT INCLUDE NULLS (raw FOR ym IN ({month_cols}))"  # nosec B608  # identifiers validated, paths quoted, values bound
            )
            _check(con, file, roles)
            _reject_duplicates(con, file, dataset, roles)
            area_code, area_name, lad = _area_sql(dataset, roles)
            borough = ident(roles["borough"]) if "borough" in roles else "NULL"
            con.execute(
                f"""
                INSERT INTO out_rows
                SELECT substr(ym, 1, 4) || '-' || substr(ym, 5, 2), {sql_string(dataset)},
                       {lad}, {borough}, {area_code}, {area_name},
                       {ident(roles["major"])}, {ident(roles["minor"])}, raw::BIGINT,
                       {sql_string(file.name)}
                FROM long LEFT JOIN london ON london.name = {borough}
                WHERE raw::BIGINT > 0
                """  # nosec B608  # identifiers validated, paths quoted, values bound
            )
            rows_by_file[file.name] = int(one_row(con.execute("SELECT count(*) FROM wide"))[0])
        progress("Writing partitions", len(files), total)
        # Every month column becomes a partition, even one with no crimes at all.
        staged = stage_partitions(
            con,
            "out_rows",
            staging,
            "mps",
            [(d, p) for d, periods in months_by_dataset.items() for p in periods],
            order="lad, area_code",
        )
        con.close()
        months = sorted({p for ps in months_by_dataset.values() for p in ps})
        progress("Saving", len(files) + 1, total)
        return StagedImport(
            staged,
            ImportRecord(
                source_kind="mps",
                format=FORMAT,
                label=label
                or f"MPS recorded crime ({', '.join(sorted(datasets))}) "
                f"{months[0]} to {months[-1]}",
                files=files,
                hashes=hashes.result(),
                rows_by_file=rows_by_file,
                months=months,
                user=user,
                detail={
                    "datasets": sorted(datasets),
                    "partitions": [p.relpath for p in staged],
                    "cells_stored": sum(p.rows for p in staged),
                },
            ),
            rows=sum(rows_by_file.values()),
            months=months,
        )

    result = commit_staged(store, stage, report)
    progress("Done", total, total)
    return result


def _area_sql(dataset: str, roles: dict[str, str]) -> tuple[str, str, str]:
    """SQL for (area code, area name, local authority code) of a row."""
    borough = ident(roles["borough"]) if "borough" in roles else None
    lad_from_borough = (
        f"CASE WHEN regexp_full_match({borough}, 'E09\\d{{6}}') THEN {borough} ELSE london.code END"
        if borough
        else "NULL"
    )
    if dataset == "lsoa":
        name = ident(roles["lsoa_name"]) if "lsoa_name" in roles else "NULL"
        return ident(roles["lsoa_code"]), name, lad_from_borough
    if dataset == "ward":
        name = ident(roles["ward_name"]) if "ward_name" in roles else "NULL"
        return ident(roles["ward_code"]), name, lad_from_borough
    return lad_from_borough, borough or "NULL", lad_from_borough


def _reject_duplicates(
    con: duckdb.DuckDBPyConnection, file: InputFile, dataset: str, roles: dict[str, str]
) -> None:
    keys = [roles["major"], roles["minor"], *(roles[k] for k in DATASET_KEYS[dataset])]
    cols = ", ".join(ident(k) for k in keys)
    dup = con.execute(
        f"""SELECT list(_row ORDER BY _row) FROM wide GROUP BY {cols}
            HAVING count(*) > 1 ORDER BY min(_row) LIMIT 1"""  # nosec B608  # identifiers validated, paths quoted, values bound
    ).fetchone()
    if dup:
        rows = dup[0]
        raise ImportRejected(
            Problem(
                file.name,
                f"repeats the category and area of row {rows[0]}",
                row=int(rows[1]),
                column=roles["minor"],
            )
        )
