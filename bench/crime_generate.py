"""Write synthetic police.uk street-level files for the crime benchmark.

    uv run python -m bench.crime_generate --rows 10000000 --months 13 --out var/crime-bench

Every local authority of England and Wales in the shipped ONS lookup gets rows on its
2021 LSOAs; the authorities are dealt to the 43 territorial forces in code order, and
each force gets one file a month named as police.uk names them
(``YYYY-MM/YYYY-MM-<force>-street.csv``, the 12 published columns). Categories follow
roughly the national mix; anti-social behaviour rows have no Crime ID (as published),
about 2% of rows have no location, and about 0.1% repeat a Crime ID within their month.
Written by DuckDB, so generating ten million rows takes a minute or so, not an hour.
"""
# ruff: noqa: S608 - benchmark SQL built from constants and generated file paths only

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

import duckdb

from saferboard.crime.categories import FORCES

LOOKUP = (
    Path(__file__).resolve().parents[1]
    / "src/saferboard/crime/data/geography"
    / "LSOA_(2021)_to_Electoral_Ward_(2024)_to_LAD_(2024)_Best_Fit_Lookup_in_EW.csv.gz"
)

# (police.uk name, share of rows): roughly the England and Wales mix.
CATEGORIES = [
    ("Anti-social behaviour", 0.22),
    ("Violence and sexual offences", 0.33),
    ("Public order", 0.08),
    ("Criminal damage and arson", 0.08),
    ("Other theft", 0.07),
    ("Shoplifting", 0.06),
    ("Vehicle crime", 0.05),
    ("Burglary", 0.04),
    ("Drugs", 0.03),
    ("Other crime", 0.02),
    ("Theft from the person", 0.01),
    ("Robbery", 0.01),
    ("Possession of weapons", 0.005),
    ("Bicycle theft", 0.005),
]
TERRITORIAL = sorted(
    {
        (slug, name)
        for name, slug in FORCES.items()
        if slug not in {"btp", "northern-ireland"}
        and name not in {"Devon and Cornwall Police", "Hampshire Constabulary"}
    }
)


def generate(rows: int, months: int, out: Path, first_month: str = "2024-01") -> list[Path]:
    """Write the files and return their paths."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    con = duckdb.connect()
    con.execute(
        f"""CREATE TABLE lsoa AS
            SELECT LSOA21CD AS lsoa, LSOA21NM AS name, LAD24CD AS lad,
                   row_number() OVER (ORDER BY LSOA21CD) - 1 AS i
            FROM read_csv('{LOOKUP}', header = true, all_varchar = true)"""
    )
    con.execute("CREATE TABLE forces (f INTEGER, slug VARCHAR, name VARCHAR)")
    con.executemany(
        "INSERT INTO forces VALUES (?, ?, ?)",
        [(i, slug, name) for i, (slug, name) in enumerate(TERRITORIAL)],
    )
    con.execute(
        f"""CREATE TABLE lad_force AS
            SELECT lad, (dense_rank() OVER (ORDER BY lad) - 1) % {len(TERRITORIAL)} AS f
            FROM (SELECT DISTINCT lad FROM lsoa)"""
    )
    cumulative, edges = 0.0, []
    for name, share in CATEGORIES:
        cumulative += share
        edges.append((name, cumulative / sum(s for _, s in CATEGORIES)))
    category_case = (
        "CASE "
        + " ".join(f"WHEN u < {edge} THEN '{name}'" for name, edge in edges[:-1])
        + f" ELSE '{edges[-1][0]}' END"
    )
    n_lsoa = con.execute("SELECT count(*) FROM lsoa").fetchone()[0]  # type: ignore[index]
    year, month = (int(x) for x in first_month.split("-"))
    con.execute(
        f"""
        CREATE TABLE rows AS
        WITH r AS (
          SELECT i, hash(i, 1) % {n_lsoa} AS li, (hash(i, 2) % 1000000) / 1e6 AS u,
                 (hash(i, 3) % 1000) AS flags, i % {months} AS m
          FROM range({rows}) t(i)),
        c AS (SELECT r.*, {category_case} AS crime_type FROM r)
        SELECT
          strftime(DATE '{year:04d}-{month:02d}-01' + to_months(c.m::INTEGER), '%Y-%m')
            AS "Month",
          fo.slug AS force,
          CASE WHEN c.crime_type = 'Anti-social behaviour' THEN NULL
               WHEN c.flags = 0 AND c.i > {months}
                 THEN sha256(((c.i - {months}) * 7919)::VARCHAR)  -- repeats a row's ID
               ELSE sha256((c.i * 7919)::VARCHAR) END AS "Crime ID",
          fo.name AS "Reported by",
          fo.name AS "Falls within",
          CASE WHEN c.flags BETWEEN 1 AND 20 THEN NULL
               ELSE round(-3.0 + (hash(c.i, 4) % 400000) / 100000.0, 6) END AS "Longitude",
          CASE WHEN c.flags BETWEEN 1 AND 20 THEN NULL
               ELSE round(50.5 + (hash(c.i, 5) % 300000) / 100000.0, 6) END AS "Latitude",
          CASE WHEN c.flags BETWEEN 1 AND 20 THEN 'No Location'
               ELSE 'On or near Street ' || (hash(c.i, 6) % 5000) END AS "Location",
          CASE WHEN c.flags BETWEEN 1 AND 20 THEN NULL ELSE l.lsoa END AS "LSOA code",
          CASE WHEN c.flags BETWEEN 1 AND 20 THEN NULL ELSE l.name END AS "LSOA name",
          c.crime_type AS "Crime type",
          CASE WHEN c.crime_type = 'Anti-social behaviour' THEN NULL
               ELSE 'Investigation complete; no suspect identified' END
            AS "Last outcome category",
          NULL AS "Context"
        FROM c JOIN lsoa l ON l.i = c.li JOIN lad_force lf ON lf.lad = l.lad
        JOIN forces fo ON fo.f = lf.f
        """
    )
    stage = out / "_partitions"
    con.execute("SET partitioned_write_max_open_files = 100000")
    con.execute(
        f"""COPY (SELECT "Month" AS pmonth, force AS pforce, "Crime ID", "Month",
                  "Reported by", "Falls within", "Longitude", "Latitude", "Location",
                  "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"
                  FROM rows)
            TO '{stage}' (FORMAT csv, HEADER, PARTITION_BY (pmonth, pforce))"""
    )
    files = []
    for folder in sorted(stage.glob("pmonth=*/pforce=*")):
        month_key = folder.parent.name.split("=", 1)[1]
        force = folder.name.split("=", 1)[1]
        target = out / month_key / f"{month_key}-{force}-street.csv"
        target.parent.mkdir(exist_ok=True)
        parts = sorted(folder.glob("*.csv"))
        parts[0].rename(target)
        with open(target, "ab") as sink:  # any further pieces, without their headers
            for part in parts[1:]:
                with open(part, "rb") as piece:
                    piece.readline()
                    shutil.copyfileobj(piece, sink)
        files.append(target)
    shutil.rmtree(stage)
    con.close()
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--months", type=int, default=13)
    parser.add_argument("--out", type=Path, default=Path("var/crime-bench/files"))
    args = parser.parse_args()
    started = time.perf_counter()
    files = generate(args.rows, args.months, args.out)
    size = sum(f.stat().st_size for f in files)
    print(
        f"wrote {args.rows:,} rows in {len(files)} files ({size / 1e9:.2f} GB) "
        f"to {args.out} in {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
