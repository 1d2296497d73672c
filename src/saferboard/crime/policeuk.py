"""Import police.uk street-level crime files into the columnar store.

One DuckDB pass parses every file, maps each row's crime type to its dated category and
its force to the police.uk identifier, flags any row that breaks a rule, and writes the
rows to staging Parquet partitioned by force and month. Checks then run on the staged
columns (cheap: a few columns of a columnar file), duplicates of a Crime ID within a
force and month are dropped (the first kept), and only a clean import is committed.
A rejected import names the file, row, column and value of its first problem; that
location is found by re-reading the offending file with Python's csv module, applying
the same checks as the SQL (each check is written once in each language, side by side).
"""
# ruff: noqa: S608 - SQL here is built only from quoted identifiers, quoted file paths
# and constants; values from the data are bound as parameters or read by DuckDB itself.

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
from django.db import transaction

from saferboard.core.models import User
from saferboard.crime.categories import CATEGORY_ERAS, FORCE_IDS, FORCES
from saferboard.crime.inputs import InputFile, Progress, hash_in_background, no_progress
from saferboard.crime.problems import ImportRejected, Problem
from saferboard.crime.provenance import ImportResult, record_import
from saferboard.crime.store import CrimeStore, StagedPartition, sql_string

FORMAT = "police-uk"
HEADER = [
    "Crime ID",
    "Month",
    "Reported by",
    "Falls within",
    "Longitude",
    "Latitude",
    "Location",
    "LSOA code",
    "LSOA name",
    "Crime type",
    "Last outcome category",
    "Context",
]
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_LSOA = re.compile(r"[EW]01\d{6}")
_ERAS_BY_NAME: dict[str, list] = {}
for _era in CATEGORY_ERAS:
    _ERAS_BY_NAME.setdefault(_era.name, []).append(_era)


def _number_outside(text: str, limit: float) -> bool:
    try:
        value = float(text)
    except ValueError:
        return True
    return not math.isfinite(value) or abs(value) > limit


def _category_problem(name: str, month: str) -> str | None:
    eras = _ERAS_BY_NAME.get(name)
    if not eras:
        return "is not a police.uk crime type"
    if not any(e.first <= month <= e.last for e in eras):
        spans = "; ".join(f"{e.first} to {e.last.replace('9999-12', 'now')}" for e in eras)
        return f"was not published in {month} (it was used {spans})"
    return None


@dataclass(frozen=True)
class Check:
    """One rule for a row, as SQL over the raw columns and as Python over a record.

    ``py`` returns the message when the record breaks the rule; ``sql`` is true when
    the row breaks it (blank fields arrive in SQL as NULL, in Python as '').
    """

    column: str
    sql: str
    py: Callable[[dict[str, str]], str | None]


CHECKS: tuple[Check, ...] = (
    Check(
        "Month",
        "NOT coalesce(regexp_full_match(r.\"Month\", '\\d{4}-(0[1-9]|1[0-2])'), false)",
        lambda r: None if _MONTH.fullmatch(r["Month"]) else "must be a month written YYYY-MM",
    ),
    Check(
        "Reported by",
        "fo.slug IS NULL AND f.name_force IS NULL",
        lambda r: None
        if r["Reported by"] in FORCES or r["_name_force"]
        else "is not a police.uk force",
    ),
    Check(
        "Crime type",
        "c.key IS NULL",
        lambda r: _category_problem(r["Crime type"], r["Month"]),
    ),
    Check(
        "Longitude",
        'r."Longitude" IS NOT NULL AND NOT coalesce(abs(TRY_CAST(r."Longitude" AS DOUBLE))'
        " <= 180, false)",
        lambda r: "must be a number from -180 to 180"
        if r["Longitude"] and _number_outside(r["Longitude"], 180)
        else None,
    ),
    Check(
        "Latitude",
        'r."Latitude" IS NOT NULL AND NOT coalesce(abs(TRY_CAST(r."Latitude" AS DOUBLE))'
        " <= 90, false)",
        lambda r: "must be a number from -90 to 90"
        if r["Latitude"] and _number_outside(r["Latitude"], 90)
        else None,
    ),
    Check(
        "LSOA code",
        'r."LSOA code" IS NOT NULL AND NOT regexp_full_match(r."LSOA code", \'[EW]01\\d{6}\')',
        lambda r: "must be an LSOA code such as E01000001, or blank"
        if r["LSOA code"] and not _LSOA.fullmatch(r["LSOA code"])
        else None,
    ),
)


def _problem_sql() -> str:
    cases = " ".join(f"WHEN {c.sql} THEN {sql_string(c.column)}" for c in CHECKS)
    return f"CASE {cases} ELSE NULL END"


def locate_problem(file: InputFile, name_force: str | None = None) -> Problem | None:
    """The first problem in ``file`` (structure, encoding or a rule), or ``None``."""
    from saferboard.crime.inputs import open_text

    name = file.street_name()
    row_number = 1
    with open_text(file.path) as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if header is None:
                return Problem(file.name, "is empty", row=1)
            header[0] = header[0].lstrip("\ufeff")
            if header != HEADER:
                return _header_problem(file, header)
            for row_number, record in enumerate(reader, start=2):
                if len(record) != len(HEADER):
                    return Problem(
                        file.name,
                        f"has {len(record)} fields where the header has {len(HEADER)}",
                        row=row_number,
                        value=",".join(record),
                    )
                values = dict(zip(HEADER, record, strict=True))
                for column, value in values.items():
                    if any("\udc80" <= ch <= "\udcff" for ch in value):
                        return Problem(
                            file.name,
                            "is not valid UTF-8 text",
                            row=row_number,
                            column=column,
                            value=value.encode("utf-8", "surrogateescape").decode(
                                "utf-8", "replace"
                            ),
                        )
                values["_name_force"] = name_force or ""
                for check in CHECKS:
                    message = check.py(values)
                    if message:
                        return Problem(
                            file.name, message, row=row_number, column=check.column,
                            value=values[check.column],
                        )  # fmt: skip
                if name and values["Month"] != name["month"]:
                    return Problem(
                        file.name,
                        f"does not match the month in the file name ({name['month']})",
                        row=row_number,
                        column="Month",
                        value=values["Month"],
                    )
        except csv.Error as error:
            # The record that could not be read starts on the row after the last good one.
            return Problem(
                file.name,
                f"is not well-formed CSV from this row on (an unclosed quote?): {error}",
                row=row_number + 1,
            )
    return None


def _header_problem(file: InputFile, header: list[str]) -> Problem:
    for index, expected in enumerate(HEADER):
        got = header[index] if index < len(header) else None
        if got != expected:
            return Problem(
                file.name,
                f"is not a police.uk street file: column {index + 1} of the header should be "
                f"{expected!r}",
                row=1,
                column=expected,
                value=got if got is not None else "(missing)",
            )
    return Problem(
        file.name,
        f"is not a police.uk street file: the header has {len(header)} columns, not 12",
        row=1,
        value=",".join(header[len(HEADER) :]),
    )


def check_header(file: InputFile) -> None:
    from saferboard.crime.inputs import read_header

    header = read_header(file)
    if header != HEADER:
        raise ImportRejected(_header_problem(file, header))


def import_police_uk(
    files: Sequence[InputFile],
    *,
    user: User | None = None,
    progress: Progress = no_progress,
    store: CrimeStore | None = None,
    label: str = "",
) -> ImportResult:
    """Import police.uk street files all-or-nothing; replace the months they hold."""
    store = store or CrimeStore()
    total_steps = 5
    progress("Checking file headers", 0, total_steps)
    for file in files:
        check_header(file)
        if file.is_parquet:
            raise ImportRejected(Problem(file.name, "police.uk files are CSV, not Parquet"))
    hashes = hash_in_background(files)
    with store.writing() as staging:
        con = duckdb.connect()
        # Keep every partition's file open to the end, so each is written whole.
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET partitioned_write_max_open_files = 100000")
        _reference_tables(con, files)
        progress("Reading and checking rows", 1, total_steps)
        out = staging / "rows"
        file_list = "[" + ", ".join(sql_string(f.path) for f in files) + "]"
        columns = "{" + ", ".join(f"{sql_string(h)}: 'VARCHAR'" for h in HEADER) + "}"
        try:
            con.execute(
                f"""
                COPY (
                  WITH parsed AS (
                    SELECT r."Crime ID" AS crime_id,
                           r."Month" AS period,
                           coalesce(fo.slug, f.name_force, 'unknown') AS force,
                           r."Reported by" AS reported_by,
                           r."Falls within" AS falls_within,
                           TRY_CAST(r."Longitude" AS DOUBLE) AS longitude,
                           TRY_CAST(r."Latitude" AS DOUBLE) AS latitude,
                           r."Location" AS location,
                           r."LSOA code" AS lsoa_code,
                           r."LSOA name" AS lsoa_name,
                           r."Crime type" AS crime_type,
                           c.key AS category,
                           r."Last outcome category" AS last_outcome,
                           r."Context" AS context,
                           f.name AS source_file,
                           {_problem_sql()} AS problem
                    FROM read_csv({file_list}, header = true, columns = {columns},
                                  auto_detect = false, delim = ',', quote = '"', escape = '"',
                                  strict_mode = true, null_padding = false,
                                  filename = true, encoding = 'utf-8') r
                    JOIN input_files f ON f.path = r.filename
                    LEFT JOIN forces fo ON fo.name = r."Reported by"
                    LEFT JOIN categories c ON c.name = r."Crime type"
                         AND r."Month" >= c.first AND r."Month" <= c.last)
                  -- A row that breaks a rule goes to a partition named 'invalid', so no
                  -- raw value ever becomes part of a path.
                  SELECT * REPLACE (CASE WHEN problem IS NULL THEN period ELSE 'invalid'
                                    END AS period)
                  FROM parsed
                ) TO {sql_string(out)} (FORMAT parquet, COMPRESSION snappy,
                     PARTITION_BY (force, period), WRITE_PARTITION_COLUMNS true,
                     FILENAME_PATTERN 'rows', OVERWRITE_OR_IGNORE true)
                """
            )
        except duckdb.Error as error:
            raise ImportRejected(_locate_any(files, error)) from error
        staged = f"read_parquet({sql_string(out / '*' / '*' / '*.parquet')})"
        progress("Validating", 2, total_steps)
        _reject_first_problem(con, staged, files)
        progress("Removing duplicate crime IDs", 3, total_steps)
        duplicates = _drop_duplicates(con, out)
        partitions = _staged_partitions(con, out)
        rows_by_file = dict(
            con.execute(
                f"SELECT source_file, count(*)::BIGINT FROM {staged} GROUP BY ALL"
            ).fetchall()
        )
        summary = con.execute(
            f"""SELECT count(*) FILTER (WHERE lsoa_code IS NULL),
                       count(*) FILTER (WHERE crime_id IS NULL),
                       list(DISTINCT force ORDER BY force)
                FROM {staged}"""
        ).fetchone()
        con.close()
        unlocated, blank_ids, forces = summary if summary else (0, 0, [])
        months = sorted({p.relpath.split("/")[-1][:7] for p in partitions})
        progress("Saving", 4, total_steps)
        with transaction.atomic():
            data_import = record_import(
                source_kind="police-uk",
                format=FORMAT,
                label=label or _label(forces, months),
                files=files,
                hashes=hashes.result(),
                rows_by_file=rows_by_file,
                months=months,
                user=user,
                detail={
                    "forces": forces,
                    "rows_stored": sum(p.rows for p in partitions),
                    "duplicate_crime_ids_dropped": duplicates,
                    "unlocated_rows": unlocated,
                    "rows_without_crime_id": blank_ids,
                    "partitions": [p.relpath for p in partitions],
                },
            )
            replaced = store.commit(partitions, import_id=data_import.pk)
            data_import.detail["replaced"] = replaced
            data_import.save(update_fields=["detail"])
    progress("Done", total_steps, total_steps)
    notes = []
    if duplicates:
        notes.append(f"{duplicates:,} duplicate crime ID row(s) counted once")
    if unlocated:
        notes.append(f"{unlocated:,} row(s) with no location (counted for the force only)")
    return ImportResult(data_import, sum(p.rows for p in partitions), months, replaced, notes=notes)


def _label(forces: list[str], months: list[str]) -> str:
    span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
    return f"police.uk {', '.join(forces)} {span}"


def _reference_tables(con: duckdb.DuckDBPyConnection, files: Sequence[InputFile]) -> None:
    con.execute(
        "CREATE TEMP TABLE categories (name VARCHAR, key VARCHAR, first VARCHAR, last VARCHAR)"
    )
    con.executemany(
        "INSERT INTO categories VALUES (?, ?, ?, ?)",
        [(e.name, e.key, e.first, e.last) for e in CATEGORY_ERAS],
    )
    con.execute("CREATE TEMP TABLE forces (name VARCHAR, slug VARCHAR)")
    con.executemany("INSERT INTO forces VALUES (?, ?)", list(FORCES.items()))
    con.execute(
        "CREATE TEMP TABLE input_files (path VARCHAR, name VARCHAR, name_month VARCHAR, "
        "name_force VARCHAR)"
    )
    rows = []
    for f in files:
        m = f.street_name()
        force = m["force"] if m and m["force"] in FORCE_IDS else None
        rows.append((str(f.path), f.name, m["month"] if m else None, force))
    con.executemany("INSERT INTO input_files VALUES (?, ?, ?, ?)", rows)


def _locate_any(files: Sequence[InputFile], error: Exception) -> Problem:
    """After DuckDB refused the input, find the first problem file by file."""
    for file in files:
        m = file.street_name()
        problem = locate_problem(file, m["force"] if m and m["force"] in FORCE_IDS else None)
        if problem:
            return problem
    first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
    return Problem(files[0].name if len(files) == 1 else "input", f"cannot be read: {first_line}")


def _reject_first_problem(
    con: duckdb.DuckDBPyConnection, staged: str, files: Sequence[InputFile]
) -> None:
    """Raise for the first file (in the order given) with a bad row, or a month that
    does not match its file name."""
    bad = con.execute(
        f"""
        SELECT DISTINCT s.source_file FROM {staged} s JOIN input_files f ON f.name = s.source_file
        WHERE s.problem IS NOT NULL OR (f.name_month IS NOT NULL AND s.period <> f.name_month)
        """
    ).fetchall()
    if not bad:
        return
    bad_names = {row[0] for row in bad}
    for file in files:
        if file.name in bad_names:
            m = file.street_name()
            problem = locate_problem(file, m["force"] if m and m["force"] in FORCE_IDS else None)
            raise ImportRejected(problem or Problem(file.name, "has a row that breaks a rule"))


def _drop_duplicates(con: duckdb.DuckDBPyConnection, out: Path) -> int:
    """Keep the first row of each Crime ID within a force and month; return how many
    rows were dropped. Only the partitions that have duplicates are rewritten, in one
    query (finding them hashes the IDs: cheap)."""
    candidates = con.execute(
        f"""
        SELECT force, period
        FROM read_parquet({sql_string(out / "*" / "*" / "*.parquet")})
        WHERE crime_id IS NOT NULL
        GROUP BY force, period, hash(crime_id)
        HAVING count(*) > 1
        """
    ).fetchall()
    if not candidates:
        return 0
    folders = sorted({out / f"force={force}" / f"period={period}" for force, period in candidates})
    source = [p for folder in folders for p in sorted(folder.glob("*.parquet"))]
    files_sql = "[" + ", ".join(sql_string(p) for p in source) + "]"
    target = out.parent / "dedup"
    con.execute(
        f"""
        COPY (
          SELECT * EXCLUDE (filename, file_row_number)
          FROM read_parquet({files_sql}, filename = true, file_row_number = true)
          QUALIFY crime_id IS NULL OR row_number() OVER (
            PARTITION BY force, period, crime_id ORDER BY filename, file_row_number) = 1
        ) TO {sql_string(target)} (FORMAT parquet, COMPRESSION snappy,
             PARTITION_BY (force, period), WRITE_PARTITION_COLUMNS true,
             FILENAME_PATTERN 'rows')
        """
    )
    before = con.execute(f"SELECT count(*) FROM read_parquet({files_sql})").fetchone()
    after = con.execute(
        f"SELECT count(*) FROM read_parquet({sql_string(target / '*' / '*' / '*.parquet')})"
    ).fetchone()
    for path in source:
        path.unlink()
    for folder in folders:
        for part in (target / folder.parent.name / folder.name).glob("*.parquet"):
            part.rename(folder / part.name)
    return int(before[0]) - int(after[0])  # type: ignore[index]


def _staged_partitions(con: duckdb.DuckDBPyConnection, out: Path) -> list[StagedPartition]:
    """One file per (force, month), with its row count (one query for all of them)."""
    counts = {
        (force, period): int(n)
        for force, period, n in con.execute(
            f"""SELECT force, period, count(*)
                FROM read_parquet({sql_string(out / "*" / "*" / "*.parquet")}) GROUP BY ALL"""
        ).fetchall()
    }
    staged = []
    for folder in sorted(out.glob("force=*/period=*")):
        force = folder.parent.name.split("=", 1)[1]
        period = folder.name.split("=", 1)[1]
        parts = sorted(folder.glob("*.parquet"))
        target = folder / "partition.parquet"
        if len(parts) == 1:
            parts[0].rename(target)
        else:  # DuckDB wrote the partition in pieces: join them
            files_sql = "[" + ", ".join(sql_string(p) for p in parts) + "]"
            con.execute(
                f"COPY (SELECT * FROM read_parquet({files_sql})) TO {sql_string(target)} "
                "(FORMAT parquet, COMPRESSION snappy)"
            )
        staged.append(
            StagedPartition(target, f"police-uk/{force}/{period}.parquet", counts[(force, period)])
        )
    return staged
