"""ONS mid-year population estimates by single year of age: import and look-up.

The published CSV (``Code,Name,Geography,All ages,0,1,…,89,90+``) has its quirks:
numbers are quoted with thousands separators (``"4,394"``), some releases carry a
latin-1 byte, trailing empty columns and empty rows. Rows are checked (every count a
whole number, the ages adding up to "All ages") and stored in the columnar store, one
file per year, long format: ``code, name, geography, age (NULL for all ages; 90 means
90 and over), persons``.
"""
# ruff: noqa: S608 - SQL here is built only from quoted identifiers, quoted file paths
# and constants; values from the data are bound as parameters or read by DuckDB itself.

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa

from saferboard.core.csv_records import records
from saferboard.core.importing.columns import Column, read_row
from saferboard.core.importing.reading import decode_text
from saferboard.core.models import User
from saferboard.crime.inputs import InputFile, Progress, hash_in_background, no_progress
from saferboard.crime.problems import ImportRejected, Problem
from saferboard.crime.provenance import ImportRecord, ImportResult
from saferboard.crime.store import CrimeStore, StagedPartition, sql_string
from saferboard.crime.store_import import StagedImport, commit_staged

FORMAT = "ons-mye-single-year"
AGES = [str(a) for a in range(90)] + ["90+"]
# At most 15 digits: int() refuses over 4,300, and no area holds a billion people.
_COUNT = re.compile(r"\d{1,3}(,\d{3}){0,4}|\d{1,15}")
# (code, name, geography, age, persons): age None is the all-ages total.
Row = tuple[str, str, str, int | None, int]


def _area_code(text: str) -> str:
    if not re.fullmatch(r"[EWSNK]\d{8}", text.strip()):
        raise ValueError("not an ONS area code")
    return text.strip()


def _people(text: str) -> int:
    if not _COUNT.fullmatch(text.strip()):
        raise ValueError("not a whole number")
    return int(text.strip().replace(",", ""))


# The file's columns as a table (core.importing.columns): an empty cell gets the same
# message as a wrong one, as it always has.
_BAD_CODE = "is not an ONS area code"
_BAD_COUNT = "must be a whole number of people"
_CODE_COLUMN = [
    Column(
        "Code",
        parser=_area_code,
        message=_BAD_CODE,
        missing=_BAD_CODE,
    )
]
_COUNT_COLUMNS = [
    Column(
        column,
        parser=_people,
        message=_BAD_COUNT,
        missing=_BAD_COUNT,
    )
    for column in ["All ages", *AGES]
]


def year_from_name(name: str) -> int | None:
    m = re.search(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)", Path(name).name)
    return int(m[1]) if m else None


def _decode(raw: bytes) -> str:
    """UTF-8 where it is; the odd Windows-1252 or latin-1 byte of some releases otherwise
    (the shared encoding policy, core.importing.reading)."""
    return decode_text(raw).text


def parse(file: InputFile) -> list[Row]:
    """Rows (code, name, geography, age, persons) of one file, or a located refusal."""
    import gzip

    raw = file.path.read_bytes()
    if file.path.name.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:  # not gzip, or cut short
            raise ImportRejected(Problem(file.name, f"cannot be read: {error}")) from error
    reader = records(
        csv.reader(io.StringIO(_decode(raw), newline="")),
        lambda line, error: ImportRejected(
            Problem(file.name, f"is not well-formed CSV: {error}", row=line)
        ),
    )
    header = [h.strip() for h in next(reader, [])]
    while header and header[-1] == "":
        header.pop()
    expected = ["Code", "Name", "Geography", "All ages", *AGES]
    if header[: len(expected)] != expected or len(header) != len(expected):
        got = next(
            (h for h, e in zip(header + [""] * len(expected), expected, strict=False) if h != e),
            "",
        )
        raise ImportRejected(
            Problem(
                file.name,
                "is not an ONS single-year-of-age estimate (expected Code, Name, Geography, "
                "All ages, 0 … 89, 90+)",
                row=1,
                value=got,
            )
        )
    out: list[Row] = []
    seen: dict[str, int] = {}
    for row_number, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue  # the trailing empty rows of the published file
        cells = record[: len(expected)] + [""] * (len(expected) - len(record))
        if any(c.strip() for c in record[len(expected) :]):
            raise ImportRejected(
                Problem(file.name, "has values beyond the 90+ column", row=row_number)
            )
        code, name, geography = (c.strip() for c in cells[:3])
        checked = read_row(file.name, row_number, {"Code": code}, _CODE_COLUMN)
        if checked.problems:
            raise ImportRejected(checked.problems[0])
        if code in seen:
            raise ImportRejected(
                Problem(
                    file.name, f"repeats the area of row {seen[code]}", row=row_number,
                    column="Code", value=code,
                )
            )  # fmt: skip
        seen[code] = row_number
        read = read_row(
            file.name, row_number, dict(zip(expected[3:], cells[3:], strict=True)), _COUNT_COLUMNS
        )
        if read.problems:  # the first, as a person fixes one cell at a time
            raise ImportRejected(read.problems[0])
        counts: list[int] = [read.values[column] for column in expected[3:]]
        if sum(counts[1:]) != counts[0]:
            raise ImportRejected(
                Problem(
                    file.name,
                    f"the ages add up to {sum(counts[1:]):,}, not the {counts[0]:,} of All ages",
                    row=row_number,
                    column="All ages",
                    value=cells[3],
                )
            )
        out.append((code, name, geography, None, counts[0]))
        out.extend((code, name, geography, age, n) for age, n in enumerate(counts[1:]))
    if not out:
        raise ImportRejected(Problem(file.name, "holds no areas"))
    return out


def import_population(
    files: Sequence[InputFile],
    *,
    year: int | None = None,
    user: User | None = None,
    progress: Progress = no_progress,
    store: CrimeStore | None = None,
) -> ImportResult:
    """Import mid-year estimates (one file per year), all-or-nothing."""
    store = store or CrimeStore()
    hashes = hash_in_background(files)
    parsed: dict[int, list[Row]] = {}
    rows_by_file: dict[str, int] = {}
    for done, file in enumerate(files):
        progress(f"Reading {file.path.name}", done, len(files) + 1)
        file_year = year or year_from_name(file.name)
        if file_year is None:
            raise ImportRejected(
                Problem(file.name, "no year in the file name: give the year with --year")
            )
        if file_year in parsed:
            raise ImportRejected(Problem(file.name, f"a second file for mid-{file_year}"))
        parsed[file_year] = parse(file)
        rows_by_file[file.name] = sum(1 for r in parsed[file_year] if r[3] is None)

    def stage(staging: Path) -> StagedImport:
        con = duckdb.connect()
        staged = []
        for file_year, rows in parsed.items():
            code, name, geo, age, persons = zip(*rows, strict=True)
            table = pa.table(
                {
                    "code": pa.array(code, pa.string()),
                    "name": pa.array(name, pa.string()),
                    "geography": pa.array(geo, pa.string()),
                    "age": pa.array(age, pa.int16()),
                    "persons": pa.array(persons, pa.int64()),
                }
            )
            con.register("pop", table)
            target = staging / f"{file_year}.parquet"
            con.execute(
                f"COPY (SELECT {file_year}::INTEGER AS year, * FROM pop) TO "
                f"{sql_string(target)} (FORMAT parquet)"  # nosec B608  # identifiers validated, paths quoted, values bound
            )
            con.unregister("pop")
            staged.append(StagedPartition(target, f"population/{file_year}.parquet", len(rows)))
        con.close()
        return StagedImport(
            staged,
            ImportRecord(
                source_kind="published",
                format=FORMAT,
                label="ONS mid-year population estimates "
                + ", ".join(f"mid-{y}" for y in sorted(parsed)),
                files=files,
                hashes=hashes.result(),
                rows_by_file=rows_by_file,
                months=[f"{y}-06" for y in sorted(parsed)],
                user=user,
                detail={"years": sorted(parsed)},
            ),
            rows=sum(rows_by_file.values()),
        )

    result = commit_staged(store, stage)
    progress("Done", len(files) + 1, len(files) + 1)
    return result


def population(
    codes: Sequence[str],
    *,
    year: int,
    min_age: int = 0,
    max_age: int = 90,
    store: CrimeStore | None = None,
) -> dict[str, tuple[int, int]]:
    """Residents aged ``min_age``–``max_age`` (90 means 90 and over) per area code, from
    the latest estimate no later than mid-``year``: ``{code: (persons, estimate year)}``.
    Areas with no estimate are left out."""
    store = store or CrimeStore()
    years = sorted(
        int(p.stem) for p in store.path("population").glob("*.parquet") if p.stem.isdigit()
    )
    usable = [y for y in years if y <= year] or years[:1]
    if not usable or not codes:
        return {}
    chosen = usable[-1]
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"""SELECT code, sum(persons)::BIGINT FROM
                read_parquet({sql_string(store.path(f"population/{chosen}.parquet"))})
                WHERE age BETWEEN ? AND ? AND code IN (SELECT unnest(?))
                GROUP BY code""",  # nosec B608  # identifiers validated, paths quoted, values bound
            [min_age, max_age, list(codes)],
        ).fetchall()
    finally:
        con.close()
    return {code: (int(n), chosen) for code, n in rows}
