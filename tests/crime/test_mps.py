"""Met recorded crime (London Datastore wide files): real figures and refusals."""
# ruff: noqa: S608 - SQL here is built only from quoted identifiers, quoted file paths
# and constants; values from the data are bound as parameters or read by DuckDB itself.

from __future__ import annotations

import gzip
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferboard.crime.importer import import_files
from saferboard.crime.problems import ImportRejected
from saferboard.crime.store import CrimeStore
from tests.crime.conftest import MPS_BOROUGH, MPS_WARD, store_snapshot

pytestmark = pytest.mark.django_db


def test_borough_file_partitions_by_month(sabo_data_dir: Path) -> None:
    result = import_files([MPS_BOROUGH])
    assert result.data_import.format == "mps-recorded-crime"
    assert result.rows == 1032  # category × borough rows of the wide file
    assert result.months[0] == "2024-03" and result.months[-1] == "2026-02"
    assert len(CrimeStore().partitions("mps/borough/")) == 24


def test_csv_and_parquet_import_the_same(sabo_data_dir: Path, tmp_path: Path) -> None:
    csv_copy = tmp_path / "recorded-crime-borough.csv"
    duckdb.execute(f"COPY (SELECT * FROM '{MPS_BOROUGH}') TO '{csv_copy}' (HEADER)")
    import_files([MPS_BOROUGH])
    parquet_cells = {k: v["rows"] for k, v in CrimeStore().partitions("mps/").items()}
    again = import_files([csv_copy])
    assert len(again.replaced) == 24  # every month replaced, none added
    assert {k: v["rows"] for k, v in CrimeStore().partitions("mps/").items()} == parquet_cells


def test_ward_file(sabo_data_dir: Path) -> None:
    result = import_files([MPS_WARD])
    assert result.data_import.detail["datasets"] == ["ward"]
    assert result.rows == 607


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    row=st.integers(min_value=2, max_value=608),
    column=st.integers(min_value=5, max_value=29),
    value=st.sampled_from(["-1", "twelve", "3.5", "", " 4", "1e3"]),
)
def test_a_bad_count_is_rejected_where_it_is(
    sabo_data_dir: Path, tmp_path: Path, row: int, column: int, value: str
) -> None:
    import csv
    import io

    before = store_snapshot(sabo_data_dir / "crime")
    text = gzip.decompress(MPS_WARD.read_bytes()).decode("utf-8")
    records = list(csv.reader(io.StringIO(text, newline="")))
    name = records[0][column]
    records[row - 1][column] = value
    bad = tmp_path / "ward.csv"
    with open(bad, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(records)
    with pytest.raises(ImportRejected) as caught:
        import_files([bad])
    problem = caught.value.problem
    assert (problem.file, problem.row, problem.column) == (str(bad), row, name)
    assert problem.value == (value or "(blank)")
    assert store_snapshot(sabo_data_dir / "crime") == before


def test_unknown_borough_and_repeated_rows(sabo_data_dir: Path, tmp_path: Path) -> None:
    header = "majortext,minortext,boroughname,202401\n"
    bad = tmp_path / "b.csv"
    bad.write_text(header + "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Gotham,4\n")
    with pytest.raises(ImportRejected) as caught:
        import_files([bad])
    assert (caught.value.problem.row, caught.value.problem.value) == (2, "Gotham")
    bad.write_text(
        header + "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Bromley,4\n"
        "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Bromley,5\n"
    )
    with pytest.raises(ImportRejected) as caught:
        import_files([bad])
    assert caught.value.problem.row == 3
    assert "row 2" in caught.value.problem.message
