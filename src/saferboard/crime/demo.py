"""Demo data: real London crime figures for the demo partnership's borough (Bromley).

Imports the files shipped in ``crime/data`` (see its PROVENANCE.md): the ONS lookups
and population estimates, the Met's recorded crime for every London borough (so ranks
work) with Bromley's wards and LSOAs (hotspots), the borough rows of the Met's monthly
crime dashboard extract (knife crime, domestic abuse, hate crime, gun crime), and
police.uk burglary rows for Bromley. Then stores the partnership's dashboard figures
as observations.

Idempotent: a file set already imported (same checksums) whose partitions are still in
the store is not imported again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from saferboard.core.checksums import file_sha256
from saferboard.core.models import Partnership
from saferboard.crime.geography import ensure_boroughs, import_geography
from saferboard.crime.inputs import InputFile, expanded
from saferboard.crime.measures import ensure_measures
from saferboard.crime.mps import import_mps
from saferboard.crime.mps_dashboard import import_mps_dashboard
from saferboard.crime.policeuk import import_police_uk
from saferboard.crime.population import import_population
from saferboard.crime.sources import preferred_source
from saferboard.crime.store import CrimeStore
from saferboard.measures.models import DataImport

DATA = Path(__file__).resolve().parent / "data"
log = logging.getLogger(__name__)


def demo_imports() -> list[tuple[str, list[Path], Callable[..., object]]]:
    return [
        ("geography", sorted((DATA / "geography").glob("*.csv.gz")), import_geography),
        ("population", sorted((DATA / "population").glob("*.csv.gz")), import_population),
        (
            "mps",
            [
                DATA / "mps" / "recorded-crime-borough-historical.parquet",
                DATA / "mps" / "recorded-crime-borough.parquet",
                DATA / "mps" / "recorded-crime-ward_bromley_only.csv.gz",
                DATA / "mps" / "recorded-crime-lsoa_bromley_only.csv.gz",
            ],
            import_mps,
        ),
        # The dashboard extract's "Other" sheet (to 2025-07), then the later knife-crime
        # file, which replaces knife crime's months from 2022-03 with the revised figures.
        (
            "mps-dashboard-other",
            [DATA / "mps" / "monthly-crime-dashboard_other-sheet_boroughs.parquet"],
            import_mps_dashboard,
        ),
        (
            "mps-dashboard-knife",
            [DATA / "mps" / "monthly-crime-dashboard_knife-crime_boroughs.parquet"],
            import_mps_dashboard,
        ),
        ("police-uk", sorted((DATA / "police_uk").glob("*.csv.gz")), import_police_uk),
    ]


def _already_imported(paths: list[Path], store: CrimeStore) -> bool:
    hashes = sorted(file_sha256(p) for p in paths)
    live = {meta.get("import_id") for meta in store.partitions().values()}
    for data_import in DataImport.objects.filter(pk__in=[i for i in live if i]):
        if sorted(f["sha256"] for f in data_import.files) == hashes:
            return True
    return False


def load(partnership: Partnership) -> None:
    from saferboard.crime.observations import store_dashboard

    ensure_measures()
    ensure_boroughs()
    store = CrimeStore()
    for _name, paths, importer in demo_imports():
        if _already_imported(paths, store):
            continue
        with expanded(paths, street_only=False) as files:
            shown = [
                InputFile(f.path, f"saferboard/crime/data/{f.path.parent.name}/{f.path.name}")
                for f in files
            ]
            importer(shown)
    if partnership.local_authority is not None:
        # The partnership's chosen source only (the Met's, for Bromley): the police.uk
        # rows shipped are a burglary-only extract, never a complete month.
        store_dashboard(partnership.local_authority.code, preferred_source(partnership) or "mps")
