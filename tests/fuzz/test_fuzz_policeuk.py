"""police.uk street files, fuzzed: a correct import or a located refusal that wrote nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferboard.core.models import AuditEvent
from saferboard.crime.importer import import_files, sniff
from saferboard.crime.inputs import InputFile
from saferboard.crime.policeuk import HEADER, locate_problem
from saferboard.crime.problems import ImportRejected
from saferboard.crime.store import CrimeStore
from saferboard.measures.models import DataImport
from tests.fuzz.hostile import hostile_text_under, mangled
from tests.fuzz.isolation import fresh_example
from tests.fuzz.stores import crime_import, snapshot

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
# crime_reference_rows is made once per test and shared by its examples; that is safe
# because each example runs in fresh_example(): what it writes is rolled back, so every
# example starts from the same rows and an empty data directory.
FIXTURE_SAFE = [HealthCheck.function_scoped_fixture]
NAME = "2023-06-city-of-london-street.csv"
# Crime types published under these names in June 2023.
CRIME_TYPES = ["Burglary", "Other theft", "Theft from the person", "Anti-social behaviour"]
# One bad value per checked column, and the column the refusal must name.
BAD_CELLS = {
    "Month": ["2023-13", "23-06", "", "2023-06-01", "2023-6"],
    "Crime type": ["Bicycle crime", "burglary", "Violent crime", "=1+1"],
    "Longitude": ["west", "180.5", "nan", "inf", "1e309"],
    "Latitude": ["95.5", "-90.01", "north", "NaN"],
    "LSOA code": ["E0100091", "e01000916", "S01000001", "E01000916 "],
}
COLUMN = {name: index for index, name in enumerate(HEADER)}


@st.composite
def street_rows(draw: st.DrawFn) -> list[list[str]]:
    """Valid police.uk rows with hostile text in the columns nobody checks."""
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        rows.append(
            [
                draw(st.sampled_from(["", "id-a", "id-b", "id-c", "=id"])),
                "2023-06",
                "City of London Police",
                draw(hostile_text_under(500)),
                draw(st.sampled_from(["", "-0.106823", "0", "-180", "179.9999"])),
                draw(st.sampled_from(["", "51.519382", "-90", "90"])),
                draw(hostile_text_under(500)),
                draw(st.sampled_from(["", "E01000916", "W01000001"])),
                draw(hostile_text_under(500)),
                draw(st.sampled_from(CRIME_TYPES)),
                draw(hostile_text_under(500)),
                draw(hostile_text_under(500)),
            ]
        )
    return rows


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def stored_rows() -> int:
    return sum(p["rows"] for p in CrimeStore().partitions("police-uk/").values())


def import_earlier(folder: Path, count: int) -> None:
    """An earlier import of the same force and month, of ``count`` rows (none: no
    import), so the import under test has a month to replace."""
    if count:
        rest = ["2023-06", "City of London Police", "", "", "", "", "", "", "Burglary", "", ""]
        path = folder / "earlier" / NAME
        path.parent.mkdir()
        path.write_bytes(to_csv([[f"earlier-{i}", *rest] for i in range(count)]))
        assert import_files([path]).rows == count


@given(data=st.data())
def test_the_locating_parser_never_crashes(data: st.DataObject) -> None:
    """The pure checker (used to name the bad cell) on mangled bytes: a Problem located
    in the file, or none; never an exception. Also the format sniffer."""
    raw = data.draw(mangled(to_csv(data.draw(street_rows()))))
    with fresh_example() as inputs:
        path = inputs / NAME
        path.write_bytes(raw)
        file = InputFile(path, NAME)
        problem = locate_problem(file, "city-of-london")
        if problem is not None:
            assert problem.file == NAME and problem.row is not None and problem.row >= 1
            assert str(problem).startswith(f"{NAME}, row {problem.row}")
        try:
            assert sniff(file) == "police-uk"
        except ImportRejected as rejected:
            assert rejected.problem.file == NAME and rejected.problem.row == 1


@settings(suppress_health_check=FIXTURE_SAFE)
@given(
    rows=street_rows(),
    bad=st.lists(st.tuples(st.integers(0, 5), st.data()), max_size=2),
    earlier=st.one_of(st.just(0), st.integers(1, 3)),
)
def test_rows_import_counted_or_the_first_bad_cell_is_named(
    crime_reference_rows: None,
    rows: list[list[str]],
    bad: list[tuple[int, st.DataObject]],
    earlier: int,
) -> None:
    """Each example imports for real. A clean file stores one row per distinct Crime ID
    (blank IDs each count); a file with a bad cell is refused at the first one. About
    half the examples import over an earlier import of the same month, which a clean
    file replaces and a refused one leaves as it was."""
    broken: dict[int, str] = {}
    for index, data in bad:
        if index < len(rows) and index not in broken:
            column = data.draw(st.sampled_from(sorted(BAD_CELLS)))
            rows[index][COLUMN[column]] = data.draw(st.sampled_from(BAD_CELLS[column]))
            broken[index] = column
    with fresh_example() as inputs:
        import_earlier(inputs, earlier)
        path = inputs / NAME
        path.write_bytes(to_csv(rows))
        before = snapshot([DataImport, AuditEvent])
        stored_before = stored_rows()
        if broken:
            first = min(broken)
            with pytest.raises(ImportRejected) as caught:
                import_files([path])
            problem = caught.value.problem
            assert (problem.file, problem.row, problem.column) == (
                str(path),
                first + 2,
                broken[first],
            )
            assert problem.value == rows[first][COLUMN[broken[first]]]
            assert snapshot([DataImport, AuditEvent]) == before
            assert stored_rows() == stored_before
            return
        result = import_files([path])
        ids = [r[0] for r in rows]
        expected = len(set(i for i in ids if i)) + ids.count("")
        assert result.rows == expected
        assert result.data_import.rows == expected
        # The month is replaced: what is stored now is this file's rows alone (a header
        # alone is an import of no rows, which replaces nothing).
        assert stored_rows() == (expected if rows else stored_before)


@settings(suppress_health_check=FIXTURE_SAFE)
@given(data=st.data())
def test_a_mangled_file_imports_or_is_refused_with_nothing_written(
    crime_reference_rows: None, data: st.DataObject
) -> None:
    raw = data.draw(mangled(to_csv(data.draw(street_rows()))))
    with fresh_example() as inputs:
        path = inputs / NAME
        path.write_bytes(raw)
        result = crime_import(path)
        if isinstance(result, ImportRejected):
            problem = result.problem
            assert problem.row is not None and problem.row >= 1, str(problem)
            return
        assert result.rows <= raw.count(b"\n")  # never more rows than lines after the header
        written = CrimeStore().partitions("police-uk/")
        mine = result.data_import.detail["partitions"]
        assert result.rows == sum(written[p]["rows"] for p in mine)
        assert all(written[p]["import_id"] == result.data_import.pk for p in mine)
