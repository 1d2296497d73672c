"""Youth justice case record exports (children, outcomes, offences, population), fuzzed."""

from __future__ import annotations

import contextlib
import csv
import io
import zipfile
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferboard.core.models import AuditEvent
from saferboard.measures.models import DataImport
from saferboard.youthjustice.definitions import CUSTODIAL, ETHNICITIES, OUTCOME_TYPES, SEXES
from saferboard.youthjustice.importer import (
    FILES,
    ImportFailed,
    import_export,
    parse_export,
    read_zip,
)
from saferboard.youthjustice.models import (
    Child,
    Offence,
    Outcome,
    Population,
    PopulationEthnicity,
    Service,
)
from tests.fuzz.hostile import ODD_DATES, hostile_text, mangled
from tests.fuzz.isolation import fresh_example
from tests.fuzz.stores import snapshot

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
STORED = [Child, Outcome, Offence, Population, PopulationEthnicity, Service, DataImport, AuditEvent]

any_date = st.one_of(
    st.dates(date(1, 1, 1), date(9999, 12, 31)).map(
        lambda d: d.isoformat() if d.day % 2 else f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
    ),
    st.sampled_from(ODD_DATES),
)
plausible_date = st.dates(date(2000, 1, 1), date(2024, 12, 31)).map(date.isoformat)


def table(name: str, rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([list(FILES[name]), *rows])
    return buffer.getvalue().encode("utf-8")


@st.composite
def exports(draw: st.DrawFn, *, hostile: bool = True) -> dict[str, bytes]:
    """An export whose values are mostly plausible, with hostile text and dates mixed in
    wherever ``draw`` chooses (so both clean imports and refusals come up); with
    ``hostile`` false, plausible values only and the bytes left whole."""

    def cell(plausible: st.SearchStrategy[str], bad: st.SearchStrategy[str]) -> str:
        return draw(bad if hostile and draw(st.integers(0, 9)) == 0 else plausible)

    children, outcomes, offences = [], [], []
    for c in range(draw(st.integers(1, 4))):
        children.append(
            [
                cell(st.just(f"C{c}"), hostile_text),
                cell(st.dates(date(2004, 1, 1), date(2012, 12, 31)).map(str), any_date),
                cell(st.sampled_from([*SEXES, "m", "F"]), hostile_text),
                cell(st.sampled_from(ETHNICITIES), hostile_text),
                cell(st.sampled_from(["Fuzzborough", "Testshire"]), hostile_text),
                cell(st.sampled_from(["true", "no", "Y", "0"]), hostile_text),
            ]
        )
    for o in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(OUTCOME_TYPES))
        outcomes.append(
            [
                cell(st.just(f"O{o}"), hostile_text),
                cell(st.sampled_from([f"C{c}" for c in range(len(children))]), hostile_text),
                cell(st.dates(date(2023, 1, 1), date(2023, 12, 31)).map(str), any_date),
                cell(st.just(kind), hostile_text),
                cell(st.just("2024-06-01" if kind in CUSTODIAL else ""), any_date),
            ]
        )
    for f in range(draw(st.integers(0, 4))):
        offences.append(
            [
                cell(st.just(f"F{f}"), hostile_text),
                cell(st.sampled_from([f"C{c}" for c in range(len(children))]), hostile_text),
                cell(st.just("2022-12-01"), any_date),
                cell(st.sampled_from(["Theft", "Criminal damage"]), hostile_text),
                cell(st.sampled_from(["", "false", "true"]), hostile_text),
                "",
            ]
        )
    files = {
        "children.csv": table("children.csv", children),
        "outcomes.csv": table("outcomes.csv", outcomes),
        "offences.csv": table("offences.csv", offences),
    }
    if draw(st.booleans()):
        files["population.csv"] = table(
            "population.csv",
            [
                [
                    cell(st.just("Fuzzborough"), hostile_text),
                    cell(st.just("2023"), hostile_text),
                    str(age),
                    cell(st.integers(0, 5000).map(str), hostile_text),
                ]
                for age in range(10, 10 + draw(st.integers(0, 3)))
            ],
        )
    if hostile and draw(st.integers(0, 3)) == 0:
        name = draw(st.sampled_from(sorted(files)))
        files[name] = draw(mangled(files[name]))
    return files


def data_rows(content: bytes) -> list[list[str]]:
    """The non-blank records under the header, as the importer counts them."""
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    return [r for r in rows[1:] if any(c.strip() for c in r)]


def assert_located(error: ImportFailed, files: dict[str, bytes]) -> None:
    """Every problem names a file of the export; one with a row and a column names the
    value that really is in that cell."""
    assert error.problems
    for problem in error.problems:
        assert problem.file in FILES, problem
        if problem.row is not None:
            assert problem.row >= 1 and str(problem).startswith(f"{problem.file}, row ")
        if problem.row and problem.row > 1 and problem.column and problem.value:
            content = files[problem.file].decode("utf-8-sig")
            reader = csv.reader(io.StringIO(content, newline=""))
            # Only as far as the problem's row: the importer stops reading a file at a
            # record the csv module refuses, and so does this check.
            records = [next(reader) for _ in range(problem.row)]
            header = [h.strip().lower() for h in records[0]]
            found = records[problem.row - 1][header.index(problem.column)]
            assert problem.value in {found, found.strip()}, (problem, found)


@given(files=exports())
def test_an_export_parses_with_every_row_or_every_problem_located(
    files: dict[str, bytes],
) -> None:
    try:
        parsed = parse_export(files)
    except ImportFailed as error:
        assert_located(error, files)
        return
    assert len(parsed.children) == len(data_rows(files["children.csv"]))
    assert len(parsed.outcomes) == len(data_rows(files["outcomes.csv"]))
    assert len(parsed.offences) == len(data_rows(files["offences.csv"]))
    if "population.csv" in files:
        assert len(parsed.population) == len(data_rows(files["population.csv"]))


def counts_for(services: list[str]) -> dict[str, Any]:
    return {
        "children": Child.objects.filter(service__name__in=services).count(),
        "outcomes": Outcome.objects.filter(child__service__name__in=services).count(),
        "offences": Offence.objects.filter(child__service__name__in=services).count(),
    }


@given(files=exports(), earlier=st.one_of(st.none(), exports(hostile=False)))
def test_an_export_is_stored_whole_or_not_at_all(
    files: dict[str, bytes], earlier: dict[str, bytes] | None
) -> None:
    """Sometimes over an earlier export of plausible records (stored, mostly), whose
    children the new one replaces."""
    with fresh_example():
        if earlier is not None:
            with contextlib.suppress(ImportFailed):
                import_export(earlier)
        before = snapshot(STORED)
        try:
            report = import_export(files)
        except ImportFailed as error:
            assert_located(error, files)
            assert snapshot(STORED) == before
            return
        assert counts_for(report.services) == {
            "children": len(data_rows(files["children.csv"])),
            "outcomes": len(data_rows(files["outcomes.csv"])),
            "offences": len(data_rows(files["offences.csv"])),
        }


@given(files=exports(), data=st.data())
def test_a_zip_upload_is_read_or_refused_by_name(
    files: dict[str, bytes], data: st.DataObject
) -> None:
    """An export uploaded as a ZIP archive, its bytes damaged: the files come out as
    they went in, or the upload is refused naming the archive or the damaged member."""
    buffer = io.BytesIO()
    method = data.draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))
    with zipfile.ZipFile(buffer, "w", compression=method) as archive:
        for name, content in files.items():
            archive.writestr(f"export-2024-03/{name}", content)
    raw = buffer.getvalue()
    damaged = data.draw(st.booleans())
    if damaged:
        raw = data.draw(mangled(raw))
    try:
        read = read_zip(raw)
    except ImportFailed as error:
        assert damaged
        assert [p.file for p in error.problems] in (["upload"], *([n] for n in FILES))
        return
    assert set(read) <= set(FILES)
    if not damaged:
        assert read == files
