"""Met recorded crime wide CSVs, fuzzed through the crime import's single entry point."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferboard.crime.importer import import_files
from saferboard.crime.problems import ImportRejected
from tests.fuzz.hostile import hostile_text_under, mangled
from tests.fuzz.isolation import fresh_example
from tests.fuzz.stores import crime_import

# The properties are marked fuzz one by one; the regression tests here run in the quick suite.
pytestmark = pytest.mark.django_db
# crime_reference_rows is made once per test and shared by its examples; that is safe
# because each example runs in fresh_example(): what it writes is rolled back, so every
# example starts from the same rows and an empty data directory.
FIXTURE_SAFE = [HealthCheck.function_scoped_fixture]
HEADER = ["MajorText", "MinorText", "LookUp_BoroughName", "202301", "202302"]
BAD = {
    # A blank borough is not here: see test_a_blank_borough_is_refused (a known bug).
    "LookUp_BoroughName": ["Gotham", "E0900001", "=Bromley"],
    "202301": ["-1", "1.5", "", "x", "9" * 20],
    "MajorText": [""],
}

MINOR_CATEGORY = hostile_text_under(200).filter(str.strip)


@st.composite
def borough_files(draw: st.DrawFn) -> tuple[bytes, dict[int, str], int]:
    """A borough-level file, the bad cells put in it (row index → column), and its rows."""
    rows, broken = [], {}
    for index in range(draw(st.integers(1, 5))):
        row = [
            draw(st.sampled_from(["Theft", "Violence Against the Person"])),
            f"{draw(MINOR_CATEGORY)} {index}",
            draw(st.sampled_from(["Bromley", "Croydon", "E09000006"])),
            str(draw(st.integers(0, 500))),
            str(draw(st.integers(0, 500))),
        ]
        if draw(st.integers(0, 5)) == 0:
            column = draw(st.sampled_from(sorted(BAD)))
            row[HEADER.index(column)] = draw(st.sampled_from(BAD[column]))
            broken[index] = column
        rows.append(row)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8"), broken, len(rows)


@pytest.mark.fuzz
@settings(suppress_health_check=FIXTURE_SAFE)
@given(case=borough_files(), mangle=st.data())
def test_a_met_file_imports_or_is_refused_with_nothing_written(
    crime_reference_rows: None, case: tuple[bytes, dict[int, str], int], mangle: st.DataObject
) -> None:
    raw, broken, _ = case
    mangling = mangle.draw(st.integers(0, 2)) == 0
    if mangling:
        raw = mangle.draw(mangled(raw))
    with fresh_example() as inputs:
        path = inputs / "MPS_Borough_Level_Crime.csv"
        path.write_bytes(raw)
        outcome = crime_import(path)
        if isinstance(outcome, ImportRejected):
            problem = outcome.problem
            if not mangling:
                assert broken, str(problem)
                assert problem.row is not None and problem.row >= 2, str(problem)
            return
        assert mangling or not broken


def test_a_blank_borough_is_refused(tmp_path: Path) -> None:
    """The borough rule was ``NOT (borough IN (...) OR regexp(...))``, NULL for a blank
    cell, so the row slipped through and was stored with no borough (found by fuzzing)."""
    path = tmp_path / "MPS_Borough_Level_Crime.csv"
    path.write_bytes(b"MajorText,MinorText,LookUp_BoroughName,202301\r\nTheft,Shoplifting,,1\r\n")
    with pytest.raises(ImportRejected) as caught:
        import_files([path])
    assert (caught.value.problem.row, caught.value.problem.column) == (2, "LookUp_BoroughName")


# The monthly crime dashboard extract (long layout) ------------------------------------
DASHBOARD_HEADER = [
    "month_year", "area_type", "borough_snt", "area_name", "area_code", "crime_type",
    "crime_subtype", "measure", "count", "refresh_date",
]  # fmt: skip
DASHBOARD_BAD = {
    "month_year": ["2024-13", "24-05", "", "May 2024", "2024-05-02"],
    "area_type": ["Ward", "", "borough "],
    "borough_snt": [""],
    "area_code": ["E09999999"],
    "crime_type": ["", "Knife|Crime", "---", "k" * 101],
    "crime_subtype": ["", "a|b"],
    "measure": ["Arrests", ""],
    "count": ["-1", "1.5", "", "x", "9" * 20],
}
SUBTYPE = hostile_text_under(120).filter(lambda t: t.strip() and "|" not in t)


@st.composite
def dashboard_rows(draw: st.DrawFn) -> tuple[list[list[str]], dict[int, str]]:
    """Distinct rows of the extract (so none repeats another) and the bad cells put in
    them (row index → column)."""
    rows, broken = [], {}
    for index in range(draw(st.integers(1, 6))):
        row = [
            f"2024-{draw(st.integers(1, 12)):02d}" + draw(st.sampled_from(["", "-01"])),
            draw(st.sampled_from(["Borough", "Safer Neighbourhood Teams"])),
            draw(st.sampled_from(["Bromley", "Croydon", "=Bromley"])),
            draw(hostile_text_under(60)),
            draw(st.sampled_from(["E09000006", "E09000008", "", "=1+1"])),
            draw(st.sampled_from(["Knife Crime", "Domestic Abuse", "Hate Crime"])),
            f"{draw(SUBTYPE)} {index}",  # the index keeps rows distinct
            draw(st.sampled_from(["Offences", "Positive Outcomes", "offences "])),
            str(draw(st.integers(0, 500))),
            draw(st.sampled_from(["", "2025-01-05", "=cmd|' /C calc'!A0"])),
        ]
        if draw(st.integers(0, 5)) == 0:
            column = draw(st.sampled_from(sorted(DASHBOARD_BAD)))
            row[DASHBOARD_HEADER.index(column)] = draw(st.sampled_from(DASHBOARD_BAD[column]))
            if column == "area_code":  # a code is checked on borough rows only
                row[DASHBOARD_HEADER.index("area_type")] = "Borough"
            broken[index] = column
        rows.append(row)
    return rows, broken


def _dashboard_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([DASHBOARD_HEADER, *rows])
    return buffer.getvalue().encode("utf-8")


@pytest.mark.fuzz
@settings(suppress_health_check=FIXTURE_SAFE)
@given(case=dashboard_rows(), mangle=st.data())
def test_a_dashboard_file_imports_or_is_refused_with_nothing_written(
    crime_reference_rows: None,
    case: tuple[list[list[str]], dict[int, str]],
    mangle: st.DataObject,
) -> None:
    """Bad cells are refused at the first one (file order), named by row and column;
    any other file imports every row, or is refused, with nothing written."""
    rows, broken = case
    raw = _dashboard_csv(rows)
    mangling = mangle.draw(st.integers(0, 2)) == 0
    if mangling:
        raw = mangle.draw(mangled(raw))
    with fresh_example() as inputs:
        path = inputs / "monthly-crime-dashboard.csv"
        path.write_bytes(raw)
        outcome = crime_import(path)
        if mangling:
            return
        if not isinstance(outcome, ImportRejected):
            assert not broken
            return
        problem = outcome.problem
        assert broken, str(problem)
        first = min(broken)
        assert problem.row == first + 2, str(problem)
        # Within the first bad row another cell may be refused first only if it comes
        # earlier in the header; the bad cell put there is never passed over.
        assert DASHBOARD_HEADER.index(problem.column) <= DASHBOARD_HEADER.index(broken[first])


# Parquet (both Met layouts): typed columns, nulls, hostile text, damaged bytes ---------
parquet_cell = st.one_of(st.none(), hostile_text_under(200))
INT64 = re.compile(r"[0-9]{1,18}")  # counts a Parquet int64 column can hold


@st.composite
def parquet_files(draw: st.DrawFn) -> bytes:
    """A Parquet file of either Met layout whose columns are text, integers, floats or
    timestamps, with nulls and hostile text mixed in; sometimes its bytes damaged."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    if draw(st.booleans()):
        rows, _ = draw(dashboard_rows())
        columns = {name: [r[i] for r in rows] for i, name in enumerate(DASHBOARD_HEADER)}
    else:
        rows = [
            [draw(st.sampled_from(["Theft", "Burglary"])), f"{draw(SUBTYPE)} {i}",
             draw(st.sampled_from(["Bromley", "Croydon", "E09000006"])),
             str(draw(st.integers(0, 500))), str(draw(st.integers(0, 500)))]
            for i in range(draw(st.integers(1, 5)))
        ]  # fmt: skip
        columns = {name: [r[i] for r in rows] for i, name in enumerate(HEADER)}
    arrays = {}
    for name, values in columns.items():
        values = [v if draw(st.integers(0, 9)) else draw(parquet_cell) for v in values]
        kind = draw(st.sampled_from(["text", "text", "int", "float", "timestamp"]))
        if kind == "int" and all(v is None or INT64.fullmatch(v.strip()) for v in values):
            arrays[name] = pa.array([None if v is None else int(v) for v in values], pa.int64())
        elif kind == "float":
            arrays[name] = pa.array([draw(st.floats(allow_nan=True)) for _ in values])
        elif kind == "timestamp":
            arrays[name] = pa.array(
                [draw(st.datetimes()) if draw(st.booleans()) else None for _ in values],
                pa.timestamp("us"),
            )
        else:
            arrays[name] = pa.array(values, pa.string())
    buffer = io.BytesIO()
    pq.write_table(pa.table(arrays), buffer)
    raw = buffer.getvalue()
    if draw(st.integers(0, 3)) == 0:
        raw = draw(mangled(raw))
    return raw


@pytest.mark.fuzz
@settings(suppress_health_check=FIXTURE_SAFE)
@given(raw=parquet_files())
def test_a_met_parquet_file_imports_or_is_refused_with_nothing_written(
    crime_reference_rows: None, raw: bytes
) -> None:
    with fresh_example() as inputs:
        path = inputs / "met-extract.parquet"
        path.write_bytes(raw)
        crime_import(path)
