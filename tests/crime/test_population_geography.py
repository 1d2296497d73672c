"""ONS population estimates and LSOA lookups: the published quirks, and refusals."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from saferboard.core.models import Area, AreaKind
from saferboard.crime.geography import import_geography
from saferboard.crime.inputs import expanded
from saferboard.crime.population import import_population, population
from saferboard.crime.problems import ImportRejected
from saferboard.crime.store import CrimeStore
from tests.crime.conftest import POPULATION_2020, london_lookups, store_snapshot

pytestmark = pytest.mark.django_db


def test_quirky_2020_estimates(population_2020) -> None:
    # The published file: quoted thousands, a latin-1 byte, trailing empty columns and rows.
    assert population_2020.data_import.detail["years"] == [2020]
    assert population(["E09000006"], year=2025) == {"E09000006": (332_752, 2020)}
    # Bromley aged 10 to 17, mid-2020 (the youth justice population).
    assert population(["E09000006"], year=2020, min_age=10, max_age=17) == {
        "E09000006": (32_714, 2020)
    }


def _mangled(tmp_path: Path, old: bytes, new: bytes) -> Path:
    raw = gzip.decompress(POPULATION_2020.read_bytes())
    assert old in raw
    path = tmp_path / "ONS2020_PopnByAgeYearEstimate.csv"
    path.write_bytes(raw.replace(old, new, 1))
    return path


def test_bad_numbers_are_located(db, tmp_path: Path, sabo_data_dir: Path) -> None:
    bad = _mangled(tmp_path, b'"701,897"', b'"701,8x7"')
    with expanded([bad], street_only=False) as files, pytest.raises(ImportRejected) as caught:
        import_population(files)
    problem = caught.value.problem
    assert (problem.row, problem.column, problem.value) == (2, "0", "701,8x7")
    bad = _mangled(tmp_path, b'"701,897"', b'"701,898"')
    with expanded([bad], street_only=False) as files, pytest.raises(ImportRejected) as caught:
        import_population(files)
    assert caught.value.problem.column == "All ages"
    assert store_snapshot(sabo_data_dir / "crime") == {}


def test_year_must_be_known(db, tmp_path: Path) -> None:
    path = tmp_path / "estimates.csv"
    path.write_bytes(gzip.decompress(POPULATION_2020.read_bytes()))
    with expanded([path], street_only=False) as files, pytest.raises(ImportRejected):
        import_population(files)
    with expanded([path], street_only=False) as files:
        assert import_population(files, year=2020).rows == 420


def test_lookups_make_areas(london_geography) -> None:
    assert sorted(london_geography.data_import.detail["lookups"]) == [
        "lsoa11-lsoa21",
        "lsoa21-ward-lad",
    ]
    bromley = Area.objects.get(code="E09000006")
    assert bromley.kind == AreaKind.LOCAL_AUTHORITY
    town = Area.objects.get(code="E05013991")
    assert (town.name, town.kind, town.parent) == ("Bromley Town", AreaKind.WARD, bromley)
    assert Area.objects.filter(kind=AreaKind.LOCAL_AUTHORITY, code__startswith="E09").count() == 33


def test_a_bad_lookup_code_is_located(db, tmp_path: Path, sabo_data_dir: Path) -> None:
    ward_lookup = next(p for p in london_lookups(tmp_path) if "Ward" in p.name)
    lines = ward_lookup.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("E01", "X01", 1)
    ward_lookup.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (
        expanded([ward_lookup], street_only=False) as files,
        pytest.raises(ImportRejected) as caught,
    ):
        import_geography(files)
    assert (caught.value.problem.row, caught.value.problem.column) == (5, "LSOA21CD")
    assert CrimeStore().partitions() == {}


def test_a_lookup_with_quotes_in_names_reads_its_header(tmp_path: Path) -> None:
    """Left to sniff, DuckDB took '' in a ward name for a quote character and the heading
    line for data (found by the fuzz run); the dialect is now fixed."""
    from saferboard.crime.inputs import InputFile

    path = tmp_path / "LSOA21_WD22_LAD22_lookup.csv"
    path.write_bytes(
        b"LSOA21CD,LSOA21NM,WD22CD,WD22NM,LAD22CD,LAD22NM\r\n"
        b'E01000001,"City of London 001A",E05009288,'
        b"'',E09000001,City of London\r\n"
    )
    result = import_geography([InputFile(path, path.name)])
    assert result.rows == 1
