"""Import the ONS LSOA → ward → local authority lookups.

Two published lookups are understood (detected by their columns, any vintage):

* LSOA (2011) → LSOA (2021) → LAD, e.g. ``LSOA11CD,LSOA11NM,LSOA21CD,…,CHGIND,LAD22CD``:
  maps the 2011 LSOA codes police.uk used until 2023 onto 2021 LSOAs.
* LSOA (2021) → electoral ward → LAD, e.g. ``LSOA21CD,LSOA21NM,…,WD24CD,WD24NM,
  LAD24CD,LAD24NM``: places every 2021 LSOA in its ward and local authority.

They are kept as Parquet in the store (35,000 LSOAs are a lookup, not database rows);
local authorities and wards become :class:`~saferboard.core.models.Area` rows so the
rest of Saferboard can name them and store observations against them.
"""
# ruff: noqa: S608 - SQL here is built only from quoted identifiers, quoted file paths
# and constants; values from the data are bound as parameters or read by DuckDB itself.

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Sequence
from pathlib import Path

import duckdb
import pyarrow as pa
from django.db import transaction

from saferboard.core.models import Area, AreaKind, User
from saferboard.crime.inputs import InputFile, Progress, hash_in_background, no_progress
from saferboard.crime.problems import ImportRejected, Problem
from saferboard.crime.provenance import ImportRecord, ImportResult
from saferboard.crime.store import CrimeStore, StagedPartition, one_row, sql_string
from saferboard.crime.store import sql_identifier as ident
from saferboard.crime.store_import import StagedImport, commit_staged

FORMAT = "ons-lsoa-lookup"
# ONS publishes plain CSV with a header. Left to guess, DuckDB's sniffer can take a
# single quote for the quote character (a name like O'Brien, or '' in a cell) and the
# heading line for data; saying so keeps every file read the same way (found by fuzzing).
CSV_DIALECT = "header = true, delim = ',', quote = '\"', escape = '\"'"


def _columns(con: duckdb.DuckDBPyConnection, file: InputFile) -> list[str]:
    try:
        rows = con.execute(
            f"DESCRIBE SELECT * FROM read_csv({sql_string(file.path)}, {CSV_DIALECT}, "
            "all_varchar = true)"  # nosec B608  # identifiers validated, paths quoted, values bound
        ).fetchall()
    except duckdb.Error as error:
        raise ImportRejected(Problem(file.name, f"cannot be read as CSV: {error}")) from error
    return [r[0].lstrip("\ufeff") for r in rows]


def _unreadable(file: InputFile, error: duckdb.Error) -> Problem:
    """A located refusal from DuckDB's CSV error (it names the line: header is line 1)."""
    text = str(error)
    line = re.search(r"Line: (\d+)", text)
    return Problem(
        file.name,
        f"cannot be read as CSV: {text.splitlines()[0] if text else type(error).__name__}",
        row=int(line[1]) if line else None,
    )


def _find(columns: list[str], pattern: str) -> str | None:
    for c in columns:
        if re.fullmatch(pattern, c, re.IGNORECASE):
            return c
    return None


def _first_bad(
    con: duckdb.DuckDBPyConnection, file: InputFile, checks: list[tuple[str, str]]
) -> None:
    """Refuse the file at the first row whose code column breaks its pattern."""
    for column, pattern in checks:
        bad = con.execute(
            f"""SELECT rn, {ident(column)} FROM (
                  SELECT row_number() OVER () + 1 AS rn, * FROM src)
                WHERE NOT coalesce(regexp_full_match({ident(column)}, '{pattern}'), false)
                ORDER BY rn LIMIT 1"""  # nosec B608  # identifiers validated, paths quoted, values bound
        ).fetchone()
        if bad:
            raise ImportRejected(
                Problem(
                    file.name,
                    "is not a valid ONS code",
                    row=int(bad[0]),
                    column=column,
                    value=bad[1] or "",
                )
            )


def import_geography(
    files: Sequence[InputFile],
    *,
    user: User | None = None,
    progress: Progress = no_progress,
    store: CrimeStore | None = None,
) -> ImportResult:
    """Import one or both ONS lookups, all-or-nothing."""
    store = store or CrimeStore()
    hashes = hash_in_background(files)
    rows_by_file: dict[str, int] = {}
    kinds: list[str] = []

    def stage(staging: Path) -> StagedImport:
        con = duckdb.connect()
        # One thread keeps row_number() in file order (the lookups are small).
        con.execute("SET threads = 1")
        staged: list[StagedPartition] = []
        areas: list[tuple[str, str, str, str | None]] = []
        for done, file in enumerate(files):
            progress(f"Reading {file.path.name}", done, len(files) + 1)
            columns = _columns(con, file)
            try:
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE src AS SELECT * FROM read_csv("
                    f"{sql_string(file.path)}, {CSV_DIALECT}, all_varchar = true, "
                    "strict_mode = true)"  # nosec B608  # identifiers validated, paths quoted, values bound
                )
            except duckdb.Error as error:
                # The sniffer reads a sample only: a bad row further on fails here.
                raise ImportRejected(_unreadable(file, error)) from error
            # DuckDB keeps a byte-order mark in the first column name: rename it.
            first = one_row(con.execute("DESCRIBE src"))[0]
            if first != first.lstrip("\ufeff"):
                con.execute(
                    f"ALTER TABLE src RENAME {ident(first)} TO {ident(first.lstrip(chr(0xFEFF)))}"
                )
            rows_by_file[file.name] = int(one_row(con.execute("SELECT count(*) FROM src"))[0])
            lsoa11 = _find(columns, r"LSOA11CD")
            lsoa21 = _find(columns, r"LSOA21CD")
            ward = _find(columns, r"WD\d\dCD")
            lad = _find(columns, r"LAD\d\dCD")
            if lsoa11 and lsoa21:
                _first_bad(con, file, [(lsoa11, "[EW]01\\d{6}"), (lsoa21, "[EW]01\\d{6}")])
                chg = _find(columns, r"CHGIND")
                target = staging / "lsoa11.parquet"
                con.execute(
                    f"""COPY (SELECT {ident(lsoa11)} AS lsoa11, {ident(lsoa21)} AS lsoa21,
                               {ident(chg) if chg else "NULL"} AS change,
                               {ident(lad) if lad else "NULL"} AS lad
                        FROM src) TO {sql_string(target)} (FORMAT parquet)"""  # nosec B608  # identifiers validated, paths quoted, values bound
                )
                staged.append(
                    StagedPartition(target, "geography/lsoa11.parquet", rows_by_file[file.name])
                )
                kinds.append("lsoa11-lsoa21")
            elif lsoa21 and ward and lad:
                names = {
                    "lsoa_name": _find(columns, r"LSOA21NM"),
                    "ward_name": _find(columns, ward[:4] + "NM"),
                    "lad_name": _find(columns, lad[:5] + "NM"),
                }
                _first_bad(
                    con,
                    file,
                    [(lsoa21, "[EW]01\\d{6}"), (ward, "[EW]05\\d{6}"), (lad, "[EW]0[6-9]\\d{6}")],
                )
                target = staging / "lsoa21.parquet"
                select = ", ".join(
                    f"{ident(col) if col else 'NULL'} AS {alias}" for alias, col in names.items()
                )
                con.execute(
                    f"""COPY (SELECT {ident(lsoa21)} AS lsoa21, {ident(ward)} AS ward,
                               {ident(lad)} AS lad, {select}
                        FROM src ORDER BY lad, ward, lsoa21) TO {sql_string(target)}
                        (FORMAT parquet)"""  # nosec B608  # identifiers validated, paths quoted, values bound
                )
                staged.append(
                    StagedPartition(target, "geography/lsoa21.parquet", rows_by_file[file.name])
                )
                kinds.append("lsoa21-ward-lad")
                areas = [
                    tuple(r)
                    for r in con.execute(
                        f"""SELECT DISTINCT 'lad', {ident(lad)},
                                   coalesce({ident(names["lad_name"] or lad)}, {ident(lad)}),
                                   NULL
                            FROM src
                            UNION ALL
                            SELECT DISTINCT 'ward', {ident(ward)},
                                   coalesce({ident(names["ward_name"] or ward)}, {ident(ward)}),
                                   {ident(lad)}
                            FROM src"""  # nosec B608  # identifiers validated, paths quoted, values bound
                    ).fetchall()
                ]
            else:
                raise ImportRejected(
                    Problem(
                        file.name,
                        "is not an ONS LSOA lookup (expected LSOA11CD and LSOA21CD, or "
                        "LSOA21CD with ward and local authority codes)",
                        row=1,
                    )
                )
        con.close()
        progress("Saving", len(files), len(files) + 1)
        return StagedImport(
            staged,
            ImportRecord(
                source_kind="published",
                format=FORMAT,
                label="ONS LSOA lookups (" + ", ".join(kinds) + ")",
                files=files,
                hashes=hashes.result(),
                rows_by_file=rows_by_file,
                months=[],
                user=user,
                detail={"lookups": kinds},
            ),
            rows=sum(rows_by_file.values()),
            write_rows=(lambda: upsert_areas(areas)) if areas else None,
        )

    result = commit_staged(store, stage)
    progress("Done", len(files) + 1, len(files) + 1)
    return result


def upsert_areas(areas: list[tuple[str, str, str, str | None]]) -> None:
    """Create or rename local authorities and wards (kind, code, name, parent code)."""
    # One row per code: a lookup giving a code two names would make PostgreSQL's
    # ON CONFLICT DO UPDATE touch a row twice, which it refuses.
    areas = list({(k, c): (k, c, n, p) for k, c, n, p in areas}.values())
    lads = [
        Area(code=c, name=n, kind=AreaKind.LOCAL_AUTHORITY) for k, c, n, _ in areas if k == "lad"
    ]
    Area.objects.bulk_create(
        lads, update_conflicts=True, unique_fields=["code"], update_fields=["name"],
        batch_size=500,
    )  # fmt: skip
    parents = dict(Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY).values_list("code", "pk"))
    wards = [
        Area(code=c, name=n, kind=AreaKind.WARD, parent_id=parents.get(p) if p else None)
        for k, c, n, p in areas
        if k == "ward"
    ]
    Area.objects.bulk_create(
        wards, update_conflicts=True, unique_fields=["code"],
        update_fields=["name", "parent"], batch_size=500,
    )  # fmt: skip


def ensure_boroughs() -> None:
    """The London boroughs as areas (the MPS files need no lookup to be placed)."""
    from saferboard.crime.categories import LONDON_BOROUGHS

    present = set(
        Area.objects.filter(code__in=LONDON_BOROUGHS.values()).values_list("code", flat=True)
    )
    if present >= set(LONDON_BOROUGHS.values()):
        return
    with transaction.atomic():
        for name, code in LONDON_BOROUGHS.items():
            Area.objects.get_or_create(
                code=code, defaults={"name": name, "kind": AreaKind.LOCAL_AUTHORITY}
            )


# Shipped with the package ------------------------------------------------------------------
SHIPPED = Path(__file__).resolve().parent / "data" / "geography"
SHIPPED_LSOA11 = SHIPPED / (
    "LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Exact_Fit_Lookup_for_EW_(V3)"
    ".csv.gz"
)
SHIPPED_LSOA21 = (
    SHIPPED / "LSOA_(2021)_to_Electoral_Ward_(2024)_to_LAD_(2024)_Best_Fit_Lookup_in_EW.csv.gz"
)
SHIPPED_FORCES = SHIPPED / "lad_police_force.csv"
SHIPPED_LABEL = "ONS LSOA lookups shipped with Saferboard"


@functools.cache
def shipped_lookups() -> tuple[pa.Table, pa.Table]:
    """The ONS lookups shipped in the package, as the store would hold them:
    ``(lsoa11, lsoa21)`` Arrow tables (read once per process, about 0.2 s).

    The engine uses them whenever the store holds no lookup of its own, so police.uk
    rows are placed without a ``geography import``; an imported lookup (a newer
    edition) takes precedence."""
    con = duckdb.connect()
    try:
        lsoa11 = con.execute(
            f"""SELECT LSOA11CD AS lsoa11, LSOA21CD AS lsoa21, CHGIND AS change,
                       LAD22CD AS lad
                FROM read_csv({sql_string(SHIPPED_LSOA11)}, {CSV_DIALECT}, all_varchar = true)"""  # nosec B608  # identifiers validated, paths quoted, values bound
        ).fetch_arrow_table()
        lsoa21 = con.execute(
            f"""SELECT LSOA21CD AS lsoa21, WD24CD AS ward, LAD24CD AS lad,
                       LSOA21NM AS lsoa_name, WD24NM AS ward_name, LAD24NM AS lad_name
                FROM read_csv({sql_string(SHIPPED_LSOA21)}, {CSV_DIALECT}, all_varchar = true)
                ORDER BY lad, ward, lsoa21"""  # nosec B608  # identifiers validated, paths quoted, values bound
        ).fetch_arrow_table()
    finally:
        con.close()
    return lsoa11, lsoa21


@functools.cache
def force_areas() -> dict[str, str]:
    """``{local authority code: police.uk force}`` from the shipped table of the forces
    that police each authority (London's 33 today: the City of London Police for the
    City, the Metropolitan Police for the 32 boroughs). An authority not in the table
    takes its forces from the data (see :mod:`saferboard.crime.engine`)."""
    with open(SHIPPED_FORCES, encoding="utf-8", newline="") as handle:
        return {row["lad_code"]: row["force"] for row in csv.DictReader(handle)}


def store_lookups(store: CrimeStore) -> dict[str, str]:
    """Where each lookup comes from: ``{'lsoa11': …, 'lsoa21': …}``, each ``'imported'``
    (a ``geography import`` into the store) or ``'shipped'``."""
    return {
        kind: "imported" if store.has(f"geography/{kind}.parquet") else "shipped"
        for kind in ("lsoa11", "lsoa21")
    }


def ensure_authorities(codes: Sequence[str]) -> None:
    """Create the local authority areas named by ``codes`` that are not yet ``Area``
    rows, named from the lookups (a shipped lookup creates no rows by itself)."""
    wanted = set(codes) - set(
        Area.objects.filter(code__in=list(codes)).values_list("code", flat=True)
    )
    if not wanted:
        return
    _, lsoa21 = shipped_lookups()
    names = {
        code: name
        for code, name in zip(
            lsoa21.column("lad").to_pylist(), lsoa21.column("lad_name").to_pylist(), strict=True
        )
        if code in wanted
    }
    from saferboard.crime.categories import LONDON_BOROUGHS

    names.update({c: n for n, c in LONDON_BOROUGHS.items() if c in wanted})
    upsert: list[tuple[str, str, str, str | None]] = [
        ("lad", code, str(names[code]), None) for code in sorted(wanted) if code in names
    ]
    if upsert:
        upsert_areas(upsert)


AREA_KINDS = {"lad": AreaKind.LOCAL_AUTHORITY, "force": AreaKind.FORCE, "region": AreaKind.REGION}
"""The core area kind of each kind of dashboard area."""


def ensure_area(kind: str, code: str, name: str) -> Area:
    """The ``Area`` row of a dashboard's area (a local authority, a police force, or a
    region such as London), made on first use so that every dashboard window can be
    stored as observations. A local authority is named from the lookups; a force or
    region by ``name``. An existing row is returned as it is."""
    found = Area.objects.filter(code=code).first()
    if found is not None:
        return found
    if kind == "lad":
        ensure_authorities([code])
        found = Area.objects.filter(code=code).first()
        if found is not None:
            return found
    area, _ = Area.objects.get_or_create(
        code=code, defaults={"name": name or code, "kind": AREA_KINDS[kind]}
    )
    return area


def known_lsoa_codes(store: CrimeStore) -> pa.Table:
    """Every LSOA code (2011 and 2021) the lookups the engine will use can place: the
    store's imported lookups where it has them, else the shipped ones."""
    if not store.has("geography/lsoa21.parquet") and not store.has("geography/lsoa11.parquet"):
        return _shipped_lsoa_codes()
    return _lsoa_codes(store)


@functools.cache
def _shipped_lsoa_codes() -> pa.Table:
    """The codes the shipped lookups place: the same for every import of a process, so
    worked out once (about 40 ms) rather than on every police.uk import."""
    return _lsoa_codes(None)


def _lsoa_codes(store: CrimeStore | None) -> pa.Table:
    """The distinct LSOA codes of the store's lookups (the shipped ones where the store
    holds none, or where ``store`` is None)."""
    shipped11, shipped21 = shipped_lookups()
    con = duckdb.connect()
    try:
        sources = []
        for name, shipped, column in (
            ("lsoa21", shipped21, "lsoa21"),
            ("lsoa11", shipped11, "lsoa11"),
        ):
            if store is not None and store.has(f"geography/{name}.parquet"):
                path = sql_string(store.path(f"geography/{name}.parquet"))
                sources.append(f"SELECT {column} AS code FROM read_parquet({path})")  # nosec B608  # a fixed column name and a quoted store path
            else:
                con.register(f"shipped_{name}", shipped)
                sources.append(f"SELECT {column} AS code FROM shipped_{name}")  # nosec B608  # fixed column and table names
        return con.execute(
            "SELECT DISTINCT code FROM (" + " UNION ALL ".join(sources) + ") WHERE code IS NOT NULL"  # nosec B608  # identifiers validated, paths quoted, values bound
        ).fetch_arrow_table()
    finally:
        con.close()
