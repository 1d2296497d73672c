"""Fixtures for the crime engine tests: the shipped real files, imported on demand."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import pytest

from saferboard.crime import engine as crime_engine

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "data" / "crime"
DEMO_DATA = REPO / "src" / "saferboard" / "crime" / "data"
CITY = FIXTURES / "police_uk"
CITY_JUNE = CITY / "2023-06" / "2023-06-city-of-london-street.csv"
CITY_OCTOBER = CITY / "2023-10" / "2023-10-city-of-london-street.csv"
MPS_BOROUGH = DEMO_DATA / "mps" / "recorded-crime-borough.parquet"
MPS_BOROUGH_HISTORICAL = DEMO_DATA / "mps" / "recorded-crime-borough-historical.parquet"
MPS_WARD = DEMO_DATA / "mps" / "recorded-crime-ward_bromley_only.csv.gz"
MPS_LSOA = DEMO_DATA / "mps" / "recorded-crime-lsoa_bromley_only.csv.gz"
POPULATION_2020 = DEMO_DATA / "population" / "ONS2020_PopnByAgeYearEstimate.csv.gz"
LOOKUPS = sorted((DEMO_DATA / "geography").glob("*.csv.gz"))


@pytest.fixture(autouse=True)
def _fresh_engines():  # type: ignore[no-untyped-def]
    yield
    crime_engine.forget_engines()


def london_lookups(folder: Path) -> list[Path]:
    """The shipped ONS lookups cut to London's rows (quicker to import in a test)."""
    out = []
    for path in LOOKUPS:
        target = folder / path.name.removesuffix(".gz")
        with (
            gzip.open(path, "rt", encoding="utf-8-sig", newline="") as src,
            open(target, "w", encoding="utf-8", newline="") as dst,
        ):
            reader = csv.reader(src)
            writer = csv.writer(dst)
            header = next(reader)
            writer.writerow(header)
            lad = next(i for i, h in enumerate(header) if h.startswith("LAD") and h.endswith("CD"))
            for row in reader:
                if row[lad].startswith("E09"):
                    writer.writerow(row)
        out.append(target)
    return out


@pytest.fixture
def london_geography(db, tmp_path):  # type: ignore[no-untyped-def]
    from saferboard.crime.geography import import_geography
    from saferboard.crime.inputs import expanded

    with expanded(london_lookups(tmp_path), street_only=False) as files:
        return import_geography(files)


@pytest.fixture
def population_2020(db):  # type: ignore[no-untyped-def]
    from saferboard.crime.inputs import expanded
    from saferboard.crime.population import import_population

    with expanded([POPULATION_2020], street_only=False) as files:
        return import_population(files)


@pytest.fixture
def met_borough(db):  # type: ignore[no-untyped-def]
    """The Met's borough file for 2024-03 … 2026-02 (two full rolling years to 2026-02)."""
    from saferboard.crime.importer import import_files

    return import_files([MPS_BOROUGH])


def store_snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the crime store (bar scratch folders) and its bytes."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    }
