"""Import police.uk street-level crime files into the columnar store.

One DuckDB pass reads every file into a narrow Arrow table (file, month, force code,
category code, LSOA code, a hash of the Crime ID, a flag for bad coordinates): the
crime type is mapped to its dated category and the force name to its police.uk id on
the way. The rules are then checked set-based, on the distinct values of each file;
only when one fails is the first bad file re-read with Python's csv module, applying
the same checks (each written once in each language), to name the file, row, column and
value. A clean import is written as one Parquet file per force and month, holding only
what the measures and hotspots use (month, force, LSOA code, category), with a Crime ID
repeated within a force and month counted once (the first row kept), and committed.
"""
# ruff: noqa: S608 - SQL here is built only from quoted identifiers, quoted file paths
# and constants; values from the data are bound as parameters or read by DuckDB itself.

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from saferboard.core.models import User
from saferboard.crime.categories import (
    CATEGORY_ERAS,
    FORCE_IDS,
    FORCES,
    FULL_MONTH_MIN_TYPES,
    PARTIAL_MIN_OTHER_MONTHS,
    PARTIAL_SHARE_OF_USUAL,
    CategoryEra,
)
from saferboard.crime.inputs import (
    InputFile,
    Progress,
    hash_and_check_utf8_in_background,
    no_progress,
)
from saferboard.crime.problems import ImportRejected, Problem
from saferboard.crime.provenance import ImportRecord, ImportResult
from saferboard.crime.store import CrimeStore, StagedPartition, sql_string
from saferboard.crime.store_import import Report, StagedImport, commit_staged

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
_ERAS_BY_NAME: dict[str, list[CategoryEra]] = {}
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
    """One rule for a row, in Python over a record (``py`` returns the message when the
    record breaks the rule; blank fields arrive as ''). The same rules run set-based in
    SQL during an import (see :func:`_checked_groups`); this form names the row."""

    column: str
    py: Callable[[dict[str, str]], str | None]


CHECKS: tuple[Check, ...] = (
    Check(
        "Month",
        lambda r: None if _MONTH.fullmatch(r["Month"]) else "must be a month written YYYY-MM",
    ),
    Check(
        "Reported by",
        lambda r: None
        if r["Reported by"] in FORCES or r["_name_force"]
        else "is not a police.uk force",
    ),
    Check("Crime type", lambda r: _category_problem(r["Crime type"], r["Month"])),
    Check(
        "Longitude",
        lambda r: "must be a number from -180 to 180"
        if r["Longitude"] and _number_outside(r["Longitude"], 180)
        else None,
    ),
    Check(
        "Latitude",
        lambda r: "must be a number from -90 to 90"
        if r["Latitude"] and _number_outside(r["Latitude"], 90)
        else None,
    ),
    Check(
        "LSOA code",
        lambda r: "must be an LSOA code such as E01000001, or blank"
        if r["LSOA code"] and not _LSOA.fullmatch(r["LSOA code"])
        else None,
    ),
)


# CRLF first: a line ending CRLF also ends with LF.
_LINE_BREAK_NAMES = {"\r\n": "CRLF", "\n": "LF", "\r": "CR"}


class _LineBreaks:
    """The lines of a text file, remembering how the last one given out ended: after the
    csv module reads a record, ``last`` is the line break that ended it ('' at the end
    of a file with no final line break)."""

    def __init__(self, handle: io.TextIOBase) -> None:
        self._handle = handle
        self.last = ""

    def __iter__(self) -> Iterator[str]:
        for line in self._handle:
            self.last = next((b for b in _LINE_BREAK_NAMES if line.endswith(b)), "")
            yield line


def locate_line_break_mix(file: InputFile) -> Problem | None:
    """The first row ending in a different line break from the header, or ``None``.

    DuckDB's reader refuses some files that mix line breaks (a row ending LF in a CRLF
    file, say, after editing by hand in one program a file saved by another) with no
    row in its message, while Python's csv module reads them; this names the row. A CR
    or LF inside a quoted cell is not a line break. It is asked only after DuckDB has
    refused a file and :func:`locate_problem` found nothing, as DuckDB reads other
    mixed files correctly.
    """
    from saferboard.crime.inputs import open_text

    with open_text(file.path) as handle:
        lines = _LineBreaks(handle)
        records = csv.reader(lines, strict=True)
        try:
            if next(records, None) is None:
                return None
            first = lines.last
            for row, _record in enumerate(records, start=2):
                if lines.last and lines.last != first:
                    return Problem(
                        file.name,
                        f"ends this row with a {_LINE_BREAK_NAMES[lines.last]} line break "
                        f"where the header ends with {_LINE_BREAK_NAMES[first]}: every line "
                        "of the file must end the same way (save it again as CSV)",
                        row=row,
                    )
        except csv.Error:
            return None  # locate_problem reports a file the csv module cannot read
    return None


def locate_problem(file: InputFile, name_force: str | None = None) -> Problem | None:
    """The first problem in ``file`` (structure, encoding or a rule), or ``None``."""
    from saferboard.crime.inputs import open_text

    name = file.street_name()
    row_number = 1
    with open_text(file.path) as handle:
        reader = csv.reader(handle, strict=True)
        try:
            header = next(reader, None)
            if not header:  # no line at all, or a blank first line
                return Problem(file.name, "is empty or its first line is blank", row=1)
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
    report: Report | None = None,
) -> ImportResult:
    """Import police.uk street files all-or-nothing; replace the months they hold.

    One DuckDB pass reads every file (in the order given, rows in file order) into a
    narrow Arrow table: file index, month, force code, category code, LSOA code, a
    64-bit hash of the Crime ID and a flag for bad coordinates. The rules are then
    checked set-based (on the distinct months, forces, categories and LSOA codes of
    each file); only when one fails is the first bad file re-read in Python to name
    the row, column and value. Clean rows are written one Parquet file per force and
    month (pyarrow, in parallel), dropping repeated Crime IDs on the way.
    """
    store = store or CrimeStore()
    total_steps = 5
    progress("Checking file headers", 0, total_steps)
    for file in files:
        if file.is_parquet:
            raise ImportRejected(Problem(file.name, "police.uk files are CSV, not Parquet"))
        check_header(file)
    checked = hash_and_check_utf8_in_background(files)

    def stage(staging: Path) -> StagedImport:
        con = duckdb.connect()
        # Rows arrive in file order and, within a file, in row order: "the first row of
        # a repeated Crime ID" and file slices by position both rely on it.
        con.execute("SET preserve_insertion_order = true")
        _reference_tables(con, files)
        progress("Reading rows", 1, total_steps)
        file_list = "[" + ", ".join(sql_string(f.path) for f in files) + "]"
        columns = "{" + ", ".join(f"{sql_string(h)}: 'VARCHAR'" for h in HEADER) + "}"
        try:
            rows = con.execute(
                f"""
                SELECT fi, period, force, {_CATEGORY_SQL} AS category, lsoa_code, cid,
                       bad_coordinates
                FROM (
                  SELECT r.file_index::INTEGER AS fi, r."Month" AS period,
                         {_FORCE_SQL} AS force, {_CRIME_TYPE_SQL} AS ct,
                         r."LSOA code" AS lsoa_code,
                         CASE WHEN r."Crime ID" IS NOT NULL THEN hash(r."Crime ID") END AS cid,
                         ({_COORDINATES_SQL}) AS bad_coordinates
                  FROM read_csv({file_list}, header = true, columns = {columns},
                                auto_detect = false, delim = ',', quote = '"', escape = '"',
                                strict_mode = true, null_padding = false,
                                encoding = 'utf-8') r)
                """  # nosec B608  # identifiers validated, paths quoted, values bound
            ).fetch_arrow_table()
        except duckdb.Error as error:
            raise ImportRejected(_locate_any(files, error)) from error
        progress("Checking rows", 2, total_steps)
        con.register("rows", rows)
        groups = _checked_groups(con, files)
        unplaced = _unplaced(con, store)
        partial = _partial_force_months(con)
        con.close()
        # The read pass decodes only the columns it uses; any other bad byte is found
        # by the checksum thread, which reads every byte anyway.
        hashes = []
        for file, (digest, utf8) in zip(files, checked.result(), strict=True):
            if not utf8:
                problem = locate_problem(file, _name_force(file))
                raise ImportRejected(problem or Problem(file.name, "is not valid UTF-8 text"))
            hashes.append(digest)
        progress("Writing partitions", 3, total_steps)
        written = _write_partitions(rows, groups, staging / "rows")
        del rows
        partitions = [w.partition for w in written]
        duplicates = sum(w.dropped for w in written)
        unlocated = sum(w.unlocated for w in written)
        rows_by_file: dict[str, int] = {f.name: 0 for f in files}
        for g in groups:
            rows_by_file[files[g.fi].name] += g.rows
        for w in written:
            for fi, n in w.dropped_by_file.items():
                rows_by_file[files[fi].name] -= n
        blank_ids = sum(g.rows - g.ids for g in groups)
        forces = sorted({g.slug for g in groups})
        months = sorted({p.relpath.split("/")[-1][:7] for p in partitions})
        progress("Saving", 4, total_steps)
        return StagedImport(
            partitions,
            ImportRecord(
                source_kind="police-uk",
                format=FORMAT,
                label=label or _label(forces, months),
                files=files,
                hashes=hashes,
                rows_by_file=rows_by_file,
                months=months,
                user=user,
                detail={
                    "forces": forces,
                    "rows_stored": sum(p.rows for p in partitions),
                    "duplicate_crime_ids_dropped": duplicates,
                    "unlocated_rows": unlocated,
                    "rows_without_crime_id": blank_ids,
                    "partial_force_months": partial,
                    "unplaced_rows": sum(n for _, n in unplaced),
                    "unplaced_lsoa_codes": [code for code, _ in unplaced[:50]],
                    "partitions": [p.relpath for p in partitions],
                },
            ),
            rows=sum(p.rows for p in partitions),
            months=months,
            notes=_notes(duplicates, unlocated, partial, unplaced),
        )

    result = commit_staged(store, stage, report)
    progress("Done", total_steps, total_steps)
    return result


def _notes(
    duplicates: int,
    unlocated: int,
    partial: list[dict[str, object]],
    unplaced: list[tuple[str, int]],
) -> list[str]:
    """What a person should know about an import that succeeded."""
    notes = []
    if duplicates:
        notes.append(f"{duplicates:,} duplicate crime ID row(s) counted once")
    if unlocated:
        notes.append(f"{unlocated:,} row(s) with no location (counted for the force only)")
    if partial:
        few_types = [p for p in partial if "usual_rows" not in p]
        if few_types:
            shown = ", ".join(
                f"{p['force']} {p['month']} ({p['crime_types']})" for p in few_types[:4]
            )
            notes.append(
                f"{len(few_types)} force-month(s) hold fewer than {FULL_MONTH_MIN_TYPES} crime "
                f"types, e.g. {shown}: an extract, not a force's published street file; those "
                "months are never complete"
            )
        small = [p for p in partial if "usual_rows" in p]
        if small:
            shown = ", ".join(
                f"{p['force']} {p['month']} ({p['rows']:,} rows; usually {p['usual_rows']:,})"
                for p in small[:4]
            )
            notes.append(
                f"{len(small)} force-month(s) hold under half the crimes of the force's other "
                f"months, e.g. {shown}: evidently partial, so those months are never complete"
            )
    if unplaced:
        codes = ", ".join(code for code, _ in unplaced[:5])
        notes.append(
            f"{sum(n for _, n in unplaced):,} row(s) with an LSOA code no ONS lookup holds "
            f"({len(unplaced):,} code(s), e.g. {codes}): counted for the force only, in no "
            "local authority; `geography import` a newer lookup to place them"
        )
    return notes


def _unplaced(con: duckdb.DuckDBPyConnection, store: CrimeStore) -> list[tuple[str, int]]:
    """(LSOA code, rows) of every code in the rows that no lookup holds (the store's
    imported lookups, else the ones shipped with the package), most rows first: such
    rows are placed in no local authority, and the import says so."""
    from saferboard.crime.geography import known_lsoa_codes

    con.register("known_codes", known_lsoa_codes(store))
    found = con.execute(
        """SELECT lsoa_code, count(*) FROM rows
           WHERE lsoa_code IS NOT NULL
             AND lsoa_code NOT IN (SELECT code FROM known_codes)
           GROUP BY lsoa_code ORDER BY 2 DESC, 1"""
    ).fetchall()
    con.unregister("known_codes")
    return [(str(code), int(n)) for code, n in found]


def _partial_force_months(con: duckdb.DuckDBPyConnection) -> list[dict[str, object]]:
    """Force-months of the import that are evidently not a force's full published file:
    fewer than 8 crime types, or under half the median rows of the force's other full
    months in the same import (when it holds at least three). Flagged on import; the
    engine applies the same rule over everything stored, and never counts such a month
    as complete."""
    found = con.execute(
        f"""WITH m AS (SELECT force, period, count(DISTINCT category) AS types,
                              count(*) AS n
                       FROM rows GROUP BY force, period)
            SELECT m.force, m.period, m.types, m.n,
                   (SELECT CASE WHEN count(*) >= {PARTIAL_MIN_OTHER_MONTHS}
                                THEN median(o.n) END
                    FROM m o WHERE o.force = m.force AND o.period <> m.period
                      AND o.types >= {FULL_MONTH_MIN_TYPES}) AS usual
            FROM m ORDER BY 2, 1"""  # nosec B608  # numbers from module constants
    ).fetchall()
    partial: list[dict[str, object]] = []
    for force, period, types, n, usual in found:
        if force is None:
            continue
        entry: dict[str, object] = {
            "force": FORCE_SLUGS[force],
            "month": period,
            "crime_types": int(types),
        }
        if types < FULL_MONTH_MIN_TYPES:
            partial.append(entry)
        elif usual is not None and n < PARTIAL_SHARE_OF_USUAL * usual:
            partial.append({**entry, "rows": int(n), "usual_rows": int(usual)})
    return partial


def _label(forces: list[str], months: list[str]) -> str:
    if not months:
        return "police.uk (no rows)"
    span = months[0] if len(months) == 1 else f"{months[0]} to {months[-1]}"
    return f"police.uk {', '.join(forces)} {span}"


# Stored category and force values, by the small integer codes the read pass uses.
CATEGORY_KEYS: tuple[str, ...] = tuple(sorted({era.key for era in CATEGORY_ERAS}))
FORCE_SLUGS: tuple[str, ...] = tuple(sorted(FORCE_IDS))

# The per-row rule (the SQL twin of the Longitude and Latitude checks in CHECKS): true
# when a coordinate is present but not a number in range.
_COORDINATES_SQL = (
    'r."Longitude" IS NOT NULL AND NOT coalesce(abs(TRY_CAST(r."Longitude" AS DOUBLE))'
    " <= 180, false) OR "
    'r."Latitude" IS NOT NULL AND NOT coalesce(abs(TRY_CAST(r."Latitude" AS DOUBLE))'
    " <= 90, false)"
)


def _enum(values: Sequence[str]) -> str:
    return "ENUM (" + ", ".join(sql_string(v) for v in values) + ")"


_CRIME_TYPES: tuple[str, ...] = tuple(sorted({era.name for era in CATEGORY_ERAS}))
_FORCE_NAMES: tuple[str, ...] = tuple(sorted(FORCES))
# Names are mapped by expressions, not joins: a join may reorder rows, and the import
# relies on rows arriving in file order. An ENUM cast is a hash lookup (NULL when the
# name is unknown); the dated category is a CASE over the eras.
_FORCE_SQL = (
    f"[{', '.join(str(FORCE_SLUGS.index(FORCES[n])) for n in _FORCE_NAMES)}]"
    f'[enum_code(TRY_CAST(r."Reported by" AS {_enum(_FORCE_NAMES)})) + 1]::TINYINT'
)
_CRIME_TYPE_SQL = f'enum_code(TRY_CAST(r."Crime type" AS {_enum(_CRIME_TYPES)}))'
# Over the inner query's columns: ``ct`` (the crime type's code) and ``period``.
_CATEGORY_SQL = (
    "CASE "
    + " ".join(
        f"WHEN ct = {_CRIME_TYPES.index(e.name)} AND period >= {sql_string(e.first)} "
        f"AND period <= {sql_string(e.last)} THEN {CATEGORY_KEYS.index(e.key)}"
        for e in CATEGORY_ERAS
    )
    + " END::TINYINT"
)


def _reference_tables(con: duckdb.DuckDBPyConnection, files: Sequence[InputFile]) -> None:
    con.execute(
        "CREATE TEMP TABLE input_files (fi INTEGER, name_month VARCHAR, name_force TINYINT)"
    )
    rows = []
    for index, f in enumerate(files):
        m = f.street_name()
        force = FORCE_SLUGS.index(m["force"]) if m and m["force"] in FORCE_IDS else None
        rows.append((index, m["month"] if m else None, force))
    con.executemany("INSERT INTO input_files VALUES (?, ?, ?)", rows)


def _name_force(file: InputFile) -> str | None:
    m = file.street_name()
    return m["force"] if m and m["force"] in FORCE_IDS else None


def _locate_any(files: Sequence[InputFile], error: Exception) -> Problem:
    """After DuckDB refused the input, find the problem with Python's csv module: in
    the file DuckDB's message names first (so a large import does not re-read every
    file before it), then in every file in order."""
    text = str(error)
    named = [f for f in files if str(f.path) in text]
    for file in [*named, *files]:
        problem = locate_problem(file, _name_force(file))
        if problem:
            return problem
    for file in [*named, *files]:
        problem = locate_line_break_mix(file)
        if problem:
            return problem
    first_line = text.splitlines()[0] if text else type(error).__name__
    return Problem(files[0].name if len(files) == 1 else "input", f"cannot be read: {first_line}")


@dataclass(frozen=True)
class _Group:
    """The rows of one file with one month and force: what the checks and the
    partitions are worked out from."""

    fi: int
    period: str
    force: int  # code in FORCE_SLUGS (from "Reported by", else the file name)
    rows: int
    ids: int  # rows with a Crime ID

    @property
    def slug(self) -> str:
        return FORCE_SLUGS[self.force]


def _checked_groups(con: duckdb.DuckDBPyConnection, files: Sequence[InputFile]) -> list[_Group]:
    """Check every rule set-based over the read rows; raise for the first file (in the
    order given) that breaks one, located by :func:`locate_problem`. Returns the
    (file, month, force) groups of a clean import.

    The SQL twins of CHECKS: the month matches YYYY-MM (and the file name's month); the
    force is known (from "Reported by" or the file name); the crime type was published
    under that name in that month (``category IS NULL`` otherwise); the coordinates are
    numbers in range (flagged per row while reading); the LSOA code has the form
    ``[EW]01`` and six digits (checked once per distinct code).
    """
    found = con.execute(
        """
        WITH g AS (
          SELECT fi, period, force, bool_or(category IS NULL OR bad_coordinates) AS bad_row,
                 count(*)::BIGINT AS n, count(cid)::BIGINT AS ids
          FROM rows GROUP BY fi, period, force)
        SELECT g.fi, g.period, coalesce(g.force, f.name_force) AS force, g.n, g.ids,
               g.bad_row
               OR NOT coalesce(regexp_full_match(g.period, '\\d{4}-(0[1-9]|1[0-2])'), false)
               OR coalesce(g.force, f.name_force) IS NULL
               OR (f.name_month IS NOT NULL AND g.period <> f.name_month) AS bad
        FROM g JOIN input_files f USING (fi)
        """
    ).fetchall()
    bad = {row[0] for row in found if row[5]}
    bad_lsoas = con.execute(
        r"""SELECT list(lsoa_code) FROM (SELECT DISTINCT lsoa_code FROM rows
            WHERE lsoa_code IS NOT NULL)
            WHERE NOT regexp_full_match(lsoa_code, '[EW]01\d{6}')"""
    ).fetchone()
    if bad_lsoas and bad_lsoas[0]:
        bad |= {
            row[0]
            for row in con.execute(
                "SELECT DISTINCT fi FROM rows WHERE list_contains(?, lsoa_code)", [bad_lsoas[0]]
            ).fetchall()
        }
    if bad:
        file = files[min(bad)]
        problem = locate_problem(file, _name_force(file))
        raise ImportRejected(problem or Problem(file.name, "has a row that breaks a rule"))
    groups: dict[tuple[int, str, int], _Group] = {}
    for fi, period, force, n, ids, _ in found:
        key = (fi, period, force)
        if key in groups:  # a row naming its force, and one relying on the file name
            old = groups[key]
            groups[key] = _Group(fi, period, force, old.rows + n, old.ids + ids)
        else:
            groups[key] = _Group(fi, period, force, n, ids)
    return sorted(groups.values(), key=lambda g: (g.fi, g.period, g.force))


@dataclass
class _Written:
    partition: StagedPartition
    dropped: int
    unlocated: int
    dropped_by_file: dict[int, int]


_CATEGORY_DICTIONARY = pa.array(CATEGORY_KEYS)


def _write_partitions(rows: pa.Table, groups: list[_Group], out: Path) -> list[_Written]:
    """One Parquet file per (force, month): the rows of its files in the order given,
    a repeated Crime ID kept only on its first row. Partitions are written in parallel
    (pyarrow releases the GIL)."""
    out.mkdir(parents=True)
    sizes: dict[int, int] = {}
    keys_of_file: dict[int, set[tuple[int, str]]] = {}
    for g in groups:
        sizes[g.fi] = sizes.get(g.fi, 0) + g.rows
        keys_of_file.setdefault(g.fi, set()).add((g.force, g.period))
    offsets, position = {}, 0
    for fi in sorted(sizes):
        offsets[fi] = position
        position += sizes[fi]
    pieces: dict[tuple[int, str], list[tuple[int, bool]]] = {}
    for fi in sorted(sizes):
        whole = len(keys_of_file[fi]) == 1
        for key in sorted(keys_of_file[fi]):
            pieces.setdefault(key, []).append((fi, whole))

    def piece(fi: int, whole: bool, key: tuple[int, str]) -> pa.Table:
        part = rows.slice(offsets[fi], sizes[fi])
        if whole:
            return part
        force, period = key
        files_force = pc.fill_null(part.column("force"), force)
        mask = pc.and_(pc.equal(part.column("period"), period), pc.equal(files_force, force))
        return part.filter(mask)

    def write(key: tuple[int, str]) -> _Written:
        force, period = key
        table = pa.concat_tables([piece(fi, whole, key) for fi, whole in pieces[key]])
        dropped_by_file: dict[int, int] = {}
        cid = table.column("cid")
        with_id = len(table) - cid.null_count
        if with_id and pc.count_distinct(cid, mode="only_valid").as_py() < with_id:
            position = pa.array(np.arange(len(table)))
            first = (
                pa.table({"cid": cid, "pos": position})
                .filter(pc.is_valid(cid))
                .group_by("cid", use_threads=False)
                .aggregate([("pos", "min")])
                .column("pos_min")
            )
            keep = pc.or_(pc.is_null(cid), pc.is_in(position, value_set=first))
            for item in pc.value_counts(table.column("fi").filter(pc.invert(keep))):
                dropped_by_file[item["values"].as_py()] = item["counts"].as_py()
            table = table.filter(keep)
        n = len(table)
        zeros = pa.array(np.zeros(n, dtype=np.int8))
        category = pc.cast(table.column("category"), pa.int8()).combine_chunks()
        stored = pa.table(
            {
                "period": pa.DictionaryArray.from_arrays(zeros, pa.array([period])),
                "force": pa.DictionaryArray.from_arrays(zeros, pa.array([FORCE_SLUGS[force]])),
                "lsoa_code": table.column("lsoa_code"),
                "category": pa.DictionaryArray.from_arrays(category, _CATEGORY_DICTIONARY),
            }
        )
        target = out / f"{FORCE_SLUGS[force]}-{period}.parquet"
        pq.write_table(
            stored, target, compression="snappy", write_statistics=["period", "force", "category"]
        )
        return _Written(
            StagedPartition(target, f"police-uk/{FORCE_SLUGS[force]}/{period}.parquet", n),
            sum(dropped_by_file.values()),
            table.column("lsoa_code").null_count,
            dropped_by_file,
        )

    keys = sorted(pieces, key=lambda k: (FORCE_SLUGS[k[0]], k[1]))
    workers = max(1, min(len(keys), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sabo-parquet") as pool:
        return list(pool.map(write, keys))
