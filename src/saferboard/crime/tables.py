"""Loading one input file (CSV, gzipped CSV or Parquet) into a DuckDB table of text cells.

The Met importers (recorded crime, crime dashboard) check every cell in SQL, so they
first load a file as it is: every kept column as text, blanks as NULL, plus ``_row``,
the row number in the file (the header is row 1). Which columns to keep is decided by
the importer from the header (``choose``), which also refuses an unknown layout.
"""
# ruff: noqa: S608 - SQL here is built only from quoted identifiers, quoted file paths
# and constants; values from the data are bound as parameters or read by DuckDB itself.

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import duckdb
import pyarrow as pa

from saferboard.crime.inputs import InputFile, open_text
from saferboard.crime.problems import ImportRejected, Problem
from saferboard.crime.store import StagedPartition, sql_string
from saferboard.crime.store import sql_identifier as ident

Layout = TypeVar("Layout")
# (file, header) → (what the importer learnt from the header, the columns to keep)
Chooser = Callable[[InputFile, list[str]], tuple[Layout, list[str]]]


def parquet_columns(file: InputFile) -> list[str]:
    """The column names of a Parquet file, or a located refusal if it is not one."""
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"DESCRIBE SELECT * FROM read_parquet({sql_string(file.path)})"  # nosec B608  # identifiers validated, paths quoted, values bound
        ).fetchall()
    except duckdb.Error as error:
        raise ImportRejected(
            Problem(file.name, f"is not a readable Parquet file: {error}")
        ) from error
    finally:
        con.close()
    return [r[0] for r in rows]


def load_text_table(
    con: duckdb.DuckDBPyConnection, file: InputFile, table: str, choose: Chooser[Layout]
) -> Layout:
    """Load ``file`` into the temporary table ``table`` (kept columns as text, plus
    ``_row``) and return what ``choose`` made of its header."""
    if file.is_parquet:
        layout, keep = choose(file, parquet_columns(file))
        select = ", ".join(f"{ident(c)}::VARCHAR AS {ident(c)}" for c in keep)
        try:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {ident(table)} AS "
                f"SELECT file_row_number + 1 AS _row, {select} "
                f"FROM read_parquet({sql_string(file.path)}, file_row_number = true)"  # nosec B608  # identifiers validated, paths quoted, values bound
            )
        except duckdb.Error as error:
            # A readable schema says nothing of the pages after it (found by fuzzing:
            # damaged data pages escaped as a DuckDB error).
            raise ImportRejected(
                Problem(file.name, f"is not a readable Parquet file: {error}")
            ) from error
        return layout
    with open_text(file.path) as handle:
        reader = csv.reader(handle, strict=True)
        try:
            row_number = 1
            header = next(reader, None)
            if not header:
                raise ImportRejected(Problem(file.name, "is empty", row=1))
            header[0] = header[0].lstrip("\ufeff")
            layout, keep = choose(file, header)
            index = [header.index(c) for c in keep]
            data: list[list[str | None]] = [[] for _ in keep]
            rows: list[int] = []
            for row_number, record in enumerate(reader, start=2):
                if not any(record):
                    continue  # blank line at the end of a spreadsheet export
                if len(record) != len(header):
                    raise ImportRejected(
                        Problem(
                            file.name,
                            f"has {len(record)} fields where the header has {len(header)}",
                            row=row_number,
                        )
                    )
                rows.append(row_number)
                for slot, i in enumerate(index):
                    value = record[i]
                    if any("\udc80" <= ch <= "\udcff" for ch in value):
                        raise ImportRejected(
                            Problem(
                                file.name, "is not valid UTF-8 text", row=row_number,
                                column=keep[slot],
                                value=value.encode("utf-8", "surrogateescape").decode(
                                    "utf-8", "replace"),
                            )
                        )  # fmt: skip
                    data[slot].append(value if value != "" else None)
        except csv.Error as error:
            raise ImportRejected(
                Problem(
                    file.name,
                    f"is not well-formed CSV from this row on (an unclosed quote?): {error}",
                    row=row_number + 1,
                )
            ) from error
    arrow = pa.table(
        {"_row": pa.array(rows, pa.int64())}
        | {c: pa.array(data[i], pa.string()) for i, c in enumerate(keep)}
    )
    con.register("_text_table_arrow", arrow)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {ident(table)} AS SELECT * FROM _text_table_arrow"  # nosec B608  # identifiers validated, paths quoted, values bound
    )
    con.unregister("_text_table_arrow")
    return layout


def stage_partitions(
    con: duckdb.DuckDBPyConnection,
    table: str,
    staging: Path,
    folder: str,
    parts: Iterable[tuple[str, str]],
    order: str,
) -> list[StagedPartition]:
    """Write ``table`` (with ``dataset`` and ``period`` columns) into ``staging`` as one
    Parquet file per (dataset, period) of ``parts``, bound for
    ``<folder>/<dataset>/<period>.parquet`` in the store. A part with no rows is written
    as an empty file: a month published with nothing in it is still a month with data."""
    out = staging / folder
    con.execute(
        f"COPY (SELECT * FROM {ident(table)} ORDER BY {order}) TO {sql_string(out)} "
        "(FORMAT parquet, COMPRESSION zstd, PARTITION_BY (dataset, period), "
        "WRITE_PARTITION_COLUMNS true, FILENAME_PATTERN 'rows')"  # nosec B608  # identifiers validated, paths quoted, values bound
    )
    counts = {
        (d, p): int(n)
        for d, p, n in con.execute(
            f"SELECT dataset, period, count(*) FROM {ident(table)} GROUP BY ALL"  # nosec B608  # identifiers validated, paths quoted, values bound
        ).fetchall()
    }
    staged = []
    for dataset, period in sorted(set(parts)):
        written = out / f"dataset={dataset}" / f"period={period}"
        files = sorted(written.glob("*.parquet")) if written.exists() else []
        target = staging / f"{folder}-{dataset}-{period}.parquet"
        if len(files) == 1:
            files[0].rename(target)
        else:  # nothing that month (or several files): write it whole
            con.execute(
                f"COPY (SELECT * FROM {ident(table)} WHERE dataset = ? AND period = ? "
                f"ORDER BY {order}) TO {sql_string(target)} "
                "(FORMAT parquet, COMPRESSION zstd)",  # nosec B608  # identifiers validated, paths quoted, values bound
                [dataset, period],
            )
        rows = counts.get((dataset, period), 0)
        staged.append(StagedPartition(target, f"{folder}/{dataset}/{period}.parquet", rows))
    return staged
