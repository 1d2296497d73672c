"""Crime engine benchmark: one run, the same files, ours against two baselines.

    uv run python -m bench.crime_bench --rows 10000000        # generates the files first
    uv run python -m bench.crime_bench --files var/crime-bench/files

Prints, for the same synthetic police.uk files (see ``bench/crime_generate.py``):

1. DuckDB's raw ``read_csv`` count (the same parse options): the ceiling for reading;
2. our import (parse, validate every row, map categories, drop duplicate Crime IDs,
   write month partitions, record provenance), and our import plus the aggregation the
   engine needs (monthly counts per LSOA, LA and force);
3. an idiomatic vectorised pandas import doing the same validation, de-duplication and
   aggregation (``read_csv``, column operations, ``merge``, ``groupby``; no loops over
   rows; it writes no Parquet, which flatters it);
4. every local authority × every measure, rolling year against the year before;
5. one area's dashboard, warm (median of 20): the engine's figures alone
   (``build_dashboard``), and as every rendering shows them, read from the stored,
   rated observations (``dashboard_figures``: compare, then read; no writes), with the
   first request, which stores the window, timed apart.

Not a test: run it by hand; figures go in docs/performance.md. Uses its own SQLite
database and data directory under the work folder.
"""
# ruff: noqa: S608 - benchmark SQL built from constants and generated file paths only

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def _setup_django(work: Path) -> None:
    os.environ["SABO_MODE"] = "test"
    os.environ["SABO_DATA_DIR"] = str(work / "data")
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "saferboard.settings"
    (work / "data").mkdir(parents=True, exist_ok=True)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def duckdb_count(files: list[Path]) -> tuple[float, int]:
    import duckdb

    from saferboard.crime.policeuk import HEADER

    columns = "{" + ", ".join(f"'{h}': 'VARCHAR'" for h in HEADER) + "}"
    listing = "[" + ", ".join(f"'{f}'" for f in files) + "]"
    con = duckdb.connect()
    started = time.perf_counter()
    n = con.execute(
        f"SELECT count(*) FROM read_csv({listing}, header = true, columns = {columns}, "
        "auto_detect = false, delim = ',', quote = '\"', escape = '\"', strict_mode = true)"
    ).fetchone()[0]  # type: ignore[index]
    return time.perf_counter() - started, int(n)


def pandas_import(files: list[Path], lookup: Path) -> tuple[float, int]:
    """The same work in idiomatic, vectorised pandas."""
    import pandas as pd

    from saferboard.crime.categories import CATEGORY_ERAS

    started = time.perf_counter()
    frames = [
        pd.read_csv(f, dtype=str, keep_default_na=False).assign(source_file=f.name) for f in files
    ]
    df = pd.concat(frames, ignore_index=True)
    # Validation: every rule the importer applies.
    bad = ~df["Month"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])")
    eras = pd.DataFrame(
        [(e.name, e.key, e.first, e.last) for e in CATEGORY_ERAS],
        columns=["Crime type", "category", "first", "last"],
    )
    df = df.merge(eras, on="Crime type", how="left")
    in_era = (df["Month"] >= df["first"]) & (df["Month"] <= df["last"])
    df = df[in_era | df["category"].isna()].drop(columns=["first", "last"])
    bad = ~df["Month"].str.fullmatch(r"\d{4}-(0[1-9]|1[0-2])") | df["category"].isna()
    for column, limit in (("Longitude", 180), ("Latitude", 90)):
        number = pd.to_numeric(df[column].replace("", None), errors="coerce")
        bad |= (df[column] != "") & ~(number.abs() <= limit)
    bad |= (df["LSOA code"] != "") & ~df["LSOA code"].str.fullmatch(r"[EW]01\d{6}")
    if bad.any():
        raise SystemExit(f"pandas found {int(bad.sum())} bad rows")
    # One count per Crime ID within a force and month.
    has_id = df["Crime ID"] != ""
    dup = df[has_id].duplicated(subset=["Reported by", "Month", "Crime ID"])
    df = pd.concat([df[has_id][~dup], df[~has_id]])
    # Place rows in local authorities through their LSOA, and count.
    places = pd.read_csv(lookup, dtype=str, usecols=["LSOA21CD", "LAD24CD"]).rename(
        columns={"LSOA21CD": "LSOA code", "LAD24CD": "lad"}
    )
    df = df.merge(places, on="LSOA code", how="left")
    counts = df.groupby(["lad", "Month", "category"], dropna=False).size()
    elapsed = time.perf_counter() - started
    return elapsed, int(counts.sum())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--months", type=int, default=13)
    parser.add_argument("--files", type=Path, default=None, help="use files already written")
    parser.add_argument("--work", type=Path, default=None, help="work folder (default: temp)")
    parser.add_argument("--skip-pandas", action="store_true")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="crime-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from bench.crime_generate import LOOKUP, generate

    if args.files is None:
        started = time.perf_counter()
        files = generate(args.rows, args.months, work / "files")
        print(f"generated {args.rows:,} rows in {time.perf_counter() - started:.1f} s")
    else:
        files = sorted(args.files.glob("*/*-street.csv"))
    size = sum(f.stat().st_size for f in files)
    print(f"{len(files)} files, {size / 1e9:.2f} GB, work folder {work}")
    _setup_django(work)

    from saferboard.crime.dashboard import build_dashboard, measure_categories, source_measures
    from saferboard.crime.engine import engine
    from saferboard.crime.geography import import_geography
    from saferboard.crime.inputs import expanded
    from saferboard.crime.measures import ensure_measures
    from saferboard.crime.policeuk import import_police_uk
    from saferboard.crime.windows import Comparison

    ensure_measures()
    with expanded(sorted(LOOKUP.parent.glob("*.csv.gz")), street_only=False) as lookups:
        import_geography(lookups)

    raw_s, raw_rows = duckdb_count(files)
    print(f"duckdb read_csv count : {raw_rows:>12,} rows in {raw_s:7.2f} s = "
          f"{raw_rows / raw_s:>12,.0f} rows/s")  # fmt: skip

    with expanded(files, street_only=True) as inputs:
        started = time.perf_counter()
        result = import_police_uk(inputs)
        ours_s = time.perf_counter() - started
    print(f"our import            : {raw_rows:>12,} rows in {ours_s:7.2f} s = "
          f"{raw_rows / ours_s:>12,.0f} rows/s  ({result.rows:,} kept, "
          f"{result.data_import.detail['duplicate_crime_ids_dropped']:,} duplicates)")  # fmt: skip
    started = time.perf_counter()
    eng = engine()
    build_s = time.perf_counter() - started
    print(f"engine aggregation    : {build_s:7.2f} s (monthly counts per LSOA, LA, force)")
    both = ours_s + build_s
    print(f"our import + aggregate: {raw_rows / both:>12,.0f} rows/s")

    pandas_s = None
    if not args.skip_pandas:
        pandas_s, counted = pandas_import(files, LOOKUP)
        print(f"pandas import         : {raw_rows:>12,} rows in {pandas_s:7.2f} s = "
              f"{raw_rows / pandas_s:>12,.0f} rows/s  ({counted:,} counted)")  # fmt: skip

    to = result.months[-1]
    measures = source_measures("police-uk")
    cats = measure_categories(eng, "police-uk", measures)
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        rows = eng.compare("police-uk", Comparison.to(to), cats)
        timings.append(time.perf_counter() - started)
    areas = len({r.area for r in rows})
    print(f"all LAs x all measures: {areas} LAs x {len(measures)} measures in "
          f"{statistics.median(timings) * 1000:.1f} ms (median of 5; "
          f"cold, with the aggregation: {(build_s + timings[0]) * 1000:.0f} ms)")  # fmt: skip

    area = rows[0].area
    build_dashboard(area, to, "police-uk")
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        build_dashboard(area, to, "police-uk")
        timings.append(time.perf_counter() - started)
    print(f"one dashboard, engine : {statistics.median(timings) * 1000:.1f} ms "
          f"(median of 20; {area}, with trends, ranks and hotspots; unrated)")  # fmt: skip
    stored_dashboard(area, to)
    print(f"ratios                : ours / duckdb raw = {raw_s / ours_s:.2f}; "
          f"ours+aggregate / duckdb raw = {raw_s / both:.2f}"
          + (f"; ours / pandas = {pandas_s / ours_s:.1f}x; ours+aggregate / pandas = "
             f"{pandas_s / both:.1f}x" if pandas_s else ""))  # fmt: skip


def stored_dashboard(area: str, to: str) -> None:
    """The dashboard as every rendering shows it (issue 19): the first request stores
    the window's figures; a warm one compares and reads, writing nothing."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from saferboard.crime.observations import dashboard_figures

    started = time.perf_counter()
    _, stored = dashboard_figures(area, to, "police-uk")
    first_s = time.perf_counter() - started
    timings = []
    writes = 0
    for _ in range(20):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            dashboard_figures(area, to, "police-uk")
            timings.append(time.perf_counter() - started)
        writes += sum(
            1
            for q in queries.captured_queries
            if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        )
    print(f"one dashboard, stored : {statistics.median(timings) * 1000:.1f} ms warm "
          f"(median of 20, {writes} writes; read from {len(stored)} stored, rated "
          f"observations); first request, storing them: {first_s * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
