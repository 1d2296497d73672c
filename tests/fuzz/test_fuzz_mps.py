"""Met recorded crime wide CSVs, fuzzed through the crime import's single entry point."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferboard.core.models import AuditEvent
from saferboard.crime.importer import import_files
from saferboard.crime.problems import ImportRejected
from saferboard.measures.models import DataImport
from tests.fuzz.hostile import hostile_text_under, mangled
from tests.fuzz.stores import snapshot

pytestmark = [pytest.mark.slow, pytest.mark.django_db]
FIXTURE_SAFE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
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


@settings(suppress_health_check=FIXTURE_SAFE)
@given(case=borough_files(), mangle=st.data())
def test_a_met_file_imports_or_is_refused_with_nothing_written(
    tmp_path: Path, case: tuple[bytes, dict[int, str], int], mangle: st.DataObject
) -> None:
    raw, broken, _ = case
    mangling = mangle.draw(st.integers(0, 2)) == 0
    if mangling:
        raw = mangle.draw(mangled(raw))
    path = tmp_path / "MPS_Borough_Level_Crime.csv"
    path.write_bytes(raw)
    before = snapshot([DataImport, AuditEvent])
    try:
        result = import_files([path])
    except ImportRejected as rejected:
        problem = rejected.problem
        assert problem.file == str(path), str(problem)
        assert snapshot([DataImport, AuditEvent]) == before
        if not mangling:
            assert broken, str(problem)
            assert problem.row is not None and problem.row >= 2, str(problem)
        return
    assert mangling or not broken
    assert DataImport.objects.count() == before[0]["measures.DataImport"] + 1
    assert result.data_import.pk and result.rows >= 0


def test_a_blank_borough_is_refused(tmp_path: Path) -> None:
    """The borough rule was ``NOT (borough IN (...) OR regexp(...))``, NULL for a blank
    cell, so the row slipped through and was stored with no borough (found by fuzzing)."""
    path = tmp_path / "MPS_Borough_Level_Crime.csv"
    path.write_bytes(b"MajorText,MinorText,LookUp_BoroughName,202301\r\nTheft,Shoplifting,,1\r\n")
    with pytest.raises(ImportRejected) as caught:
        import_files([path])
    assert (caught.value.problem.row, caught.value.problem.column) == (2, "LookUp_BoroughName")
