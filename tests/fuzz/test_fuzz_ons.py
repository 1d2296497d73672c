"""ONS population estimates and geography lookups, fuzzed."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferboard.core.models import Area, AuditEvent
from saferboard.crime.geography import import_geography
from saferboard.crime.inputs import InputFile
from saferboard.crime.population import AGES, import_population, parse
from saferboard.crime.problems import ImportRejected
from saferboard.measures.models import DataImport
from tests.fuzz.hostile import hostile_text_under, mangled
from tests.fuzz.isolation import fresh_example
from tests.fuzz.stores import snapshot

# The properties are marked fuzz one by one; the regression tests here run in the quick suite.
pytestmark = pytest.mark.django_db
HEADER = ["Code", "Name", "Geography", "All ages", *AGES]
NAME = "ONS2021_PopnByAgeYearEstimate.csv"
BAD_COUNTS = ["1.5", "-3", "", "1,00", "x", "9" * 5000, "1 000", "=1+1", "½"]
BAD_CODES = ["E0900001", "x", "", "E09000001X", "=cmd"]


@st.composite
def population_rows(draw: st.DrawFn) -> tuple[list[list[str]], dict[int, str]]:
    """Areas with counts (some written "1,234"), and at most one bad cell per area:
    row index → the column a refusal must name."""
    rows, broken = [], {}
    for index in range(draw(st.integers(1, 4))):
        # One draw of 182 bytes, read as 91 counts: far quicker than 91 integer draws.
        raw = draw(st.binary(min_size=182, max_size=182))
        counts = [int.from_bytes(raw[i : i + 2], "big") % 2501 for i in range(0, 182, 2)]
        total = sum(counts)
        cells = [f"{n:,}" if draw(st.booleans()) else str(n) for n in [total, *counts]]
        # Names under the csv module's 128 KiB field limit (a longer one is refused,
        # which the mangled-file test covers).
        name, geography = (draw(hostile_text_under(100_000)) for _ in "ng")
        row = [f"E0900{index:04d}", name, geography, *cells]
        fault = draw(st.sampled_from(["none", "none", "count", "code", "sum"]))
        if fault == "count":
            column = draw(st.integers(3, len(HEADER) - 1))
            row[column] = draw(st.sampled_from(BAD_COUNTS))
            broken[index] = HEADER[column]
        elif fault == "code":
            row[0] = draw(st.sampled_from(BAD_CODES))
            broken[index] = "Code"
        elif fault == "sum":
            row[3] = str(total + draw(st.sampled_from([-1, 1, 1000])))
            if total + (int(row[3]) - total) >= 0:
                broken[index] = "All ages"
            else:
                row[3] = str(total)
        rows.append(row)
    return rows, broken


def to_csv(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode("utf-8")


@pytest.mark.fuzz
@given(case=population_rows())
def test_population_parses_exactly_or_names_the_first_bad_cell(
    case: tuple[list[list[str]], dict[int, str]],
) -> None:
    rows, broken = case
    with fresh_example() as inputs:
        path = inputs / NAME
        path.write_bytes(to_csv(rows))
        file = InputFile(path, NAME)
        if broken:
            first = min(broken)
            with pytest.raises(ImportRejected) as caught:
                parse(file)
            problem = caught.value.problem
            assert (problem.file, problem.row, problem.column) == (NAME, first + 2, broken[first])
            return
        parsed = parse(file)
        assert len(parsed) == 92 * len(rows)  # All ages and 91 single years per area
        totals = {code: n for code, _, _, age, n in parsed if age is None}
        assert totals == {r[0]: int(r[3].replace(",", "")) for r in rows}
        assert all(r[1] == rows[0][1].strip() for r in parsed[:92])


@pytest.mark.fuzz
@given(data=st.data())
def test_mangled_population_is_parsed_or_refused_with_a_location(data: st.DataObject) -> None:
    rows, _ = data.draw(population_rows())
    raw = data.draw(mangled(to_csv(rows)))
    with fresh_example() as inputs:
        path = inputs / NAME
        path.write_bytes(raw)
        try:
            parsed = parse(InputFile(path, NAME))
        except ImportRejected as rejected:
            assert rejected.problem.file == NAME
            assert str(rejected.problem).startswith(NAME)
        else:
            assert parsed and len(parsed) % 92 == 0


@pytest.mark.fuzz
@given(data=st.data())
def test_population_import_is_all_or_nothing(data: st.DataObject) -> None:
    rows, broken = data.draw(population_rows())
    raw = to_csv(rows)
    if data.draw(st.booleans()):
        raw = data.draw(mangled(raw))
    with fresh_example() as inputs:
        path = inputs / NAME
        path.write_bytes(raw)
        before = snapshot([DataImport, AuditEvent])
        try:
            result = import_population([InputFile(path, NAME)])
        except ImportRejected as rejected:
            assert rejected.problem.file == NAME
            assert snapshot([DataImport, AuditEvent]) == before
        else:
            assert result.rows >= 1  # an import needs at least one area
            if raw == to_csv(rows):
                assert result.rows == len(rows) and not broken


GEOGRAPHY_HEADER = ["LSOA21CD", "LSOA21NM", "WD22CD", "WD22NM", "LAD22CD", "LAD22NM"]
BAD_GEOGRAPHY = {
    "LSOA21CD": ["E0100001", "S01000001", "", "=1"],
    "WD22CD": ["E0500001", "E01000001", ""],
    "LAD22CD": ["E10000001", "E0900001", ""],
}


@st.composite
def lookup_rows(draw: st.DrawFn) -> tuple[list[list[str]], dict[int, str]]:
    rows, broken = [], {}
    for index in range(draw(st.integers(1, 5))):
        row = [
            f"E01{index:06d}",
            draw(hostile_text_under(300)),
            f"E05{index % 2:06d}",
            draw(hostile_text_under(300)),
            "E09000001",
            "City of London",
        ]
        if draw(st.integers(0, 4)) == 0:
            column = draw(st.sampled_from(sorted(BAD_GEOGRAPHY)))
            row[GEOGRAPHY_HEADER.index(column)] = draw(st.sampled_from(BAD_GEOGRAPHY[column]))
            broken[index] = column
        rows.append(row)
    return rows, broken


@pytest.mark.fuzz
@given(case=lookup_rows(), mangle=st.data())
def test_geography_lookup_imports_or_is_refused_with_nothing_written(
    case: tuple[list[list[str]], dict[int, str]], mangle: st.DataObject
) -> None:
    rows, broken = case
    raw = to_csv(rows, GEOGRAPHY_HEADER)
    mangling = mangle.draw(st.booleans())
    if mangling:
        raw = mangle.draw(mangled(raw))
    with fresh_example() as inputs:
        path = inputs / "LSOA21_WD22_LAD22_lookup.csv"
        path.write_bytes(raw)
        before = snapshot([DataImport, AuditEvent, Area])
        try:
            result = import_geography([InputFile(path, path.name)])
        except ImportRejected as rejected:
            problem = rejected.problem
            assert problem.file == path.name
            assert snapshot([DataImport, AuditEvent, Area]) == before
            if not mangling:
                # Codes are checked column by column (LSOA, ward, then LA), each top down.
                order = ["LSOA21CD", "WD22CD", "LAD22CD"]
                column = min(set(broken.values()), key=order.index)
                row = min(i for i, c in broken.items() if c == column)
                assert (problem.row, problem.column) == (row + 2, column)
            return
        assert mangling or not broken
        if not mangling:
            assert result.rows == len(rows)


GOOD_ROW = b"E01000001,A,E05000001,W,E09000001,City\r\n"


@pytest.mark.parametrize(
    ("tail", "row"),
    [
        (b"E01000003,\xff\xfe,E05000001,W,E09000001,City\r\n", 3002),  # past the sniffer
        (b"E01000004,A,E05000001\r\n", None),
    ],
)
def test_a_bad_row_past_the_sniffed_sample_is_refused(
    tmp_path: Path, tail: bytes, row: int | None
) -> None:
    path = tmp_path / "lookup.csv"
    path.write_bytes(",".join(GEOGRAPHY_HEADER).encode() + b"\r\n" + GOOD_ROW * 3000 + tail)
    before = snapshot([DataImport, AuditEvent, Area])
    with pytest.raises(ImportRejected) as caught:
        import_geography([InputFile(path, "lookup.csv")])
    assert caught.value.problem.file == "lookup.csv"
    if row is not None:
        assert caught.value.problem.row == row
    assert snapshot([DataImport, AuditEvent, Area]) == before


def test_one_ward_code_with_two_names_is_stored_once(tmp_path: Path) -> None:
    path = tmp_path / "lookup.csv"
    path.write_bytes(
        ",".join(GEOGRAPHY_HEADER).encode() + b"\r\n"
        b"E01000001,A,E05000001,Old name,E09000001,City\r\n"
        b"E01000002,B,E05000001,New name,E09000001,City\r\n"
    )
    import_geography([InputFile(path, "lookup.csv")])
    assert Area.objects.filter(code="E05000001").count() == 1


def test_a_population_file_that_is_not_gzip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ONS2021.csv.gz"
    path.write_bytes(b"not gzip")
    with pytest.raises(ImportRejected) as caught:
        parse(InputFile(path, path.name))
    assert caught.value.problem.file == path.name
