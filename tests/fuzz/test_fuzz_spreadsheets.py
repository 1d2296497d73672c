"""Spreadsheet imports, fuzzed: the action plan (XLSX or CSV) and youth justice
benchmark figures and peer groups."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from saferboard.actions.importing import (
    TableError,
    commit_plan,
    guess_mapping,
    parse_plan,
    read_table,
)
from saferboard.actions.models import Action, ActionPlan, PlanKind, Recommendation
from saferboard.core.models import AuditEvent, Organisation, Partnership, User
from saferboard.measures.models import DataImport
from saferboard.youthjustice.benchmarks import import_benchmark
from saferboard.youthjustice.definitions import BENCHMARK_MEASURES
from saferboard.youthjustice.importer import ImportFailed
from saferboard.youthjustice.models import BenchmarkFigure, PeerGroup, Service
from tests.factories import make_user
from tests.fuzz.hostile import ODD_DATES, hostile_text, hostile_text_under, mangled
from tests.fuzz.isolation import fresh_example
from tests.fuzz.stores import snapshot

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
# The partnership and importer fixtures are made once per test and shared by its
# examples; that is safe because each example runs in fresh_example(): what it writes
# is rolled back, so every example starts from the same rows and an empty data directory.
FIXTURE_SAFE = [HealthCheck.function_scoped_fixture]

PLAN_HEADERS = ["Rec", "Recommendation", "Action", "Lead", "Timescale", "RAG", "Notes"]
plan_cell = st.one_of(
    hostile_text_under(2000),
    st.sampled_from(["1", "2.", "1a", "b)", "(c)", "Red", "Amber", "green", "Ongoing"]),
    st.sampled_from(["Commence: September 2025 Completion: 31/03/2026 Review: Quarterly"]),
    st.sampled_from(ODD_DATES),
)


@st.composite
def plan_files(draw: st.DrawFn) -> tuple[str, bytes]:
    """A plan as CSV or XLSX: an optional title row, a header, hostile rows."""
    grid = []
    if draw(st.booleans()):
        grid.append([draw(plan_cell)])
    headers = draw(st.permutations(PLAN_HEADERS))[: draw(st.integers(1, len(PLAN_HEADERS)))]
    grid.append(headers)
    for _ in range(draw(st.integers(0, 6))):
        grid.append([draw(plan_cell) for _ in headers])
    if draw(st.booleans()):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(grid)
        data = buffer.getvalue().encode(draw(st.sampled_from(["utf-8", "utf-8-sig"])), "replace")
        name = "plan.csv"
    else:
        book = Workbook()
        for row in grid:  # openpyxl refuses control characters a cell cannot hold
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c)[:32_000] for c in row])
        out = io.BytesIO()
        book.save(out)
        data, name = out.getvalue(), "plan.xlsx"
    if draw(st.integers(0, 3)) == 0:
        data = draw(mangled(data))
    return name, data


@pytest.fixture
def partnership(db) -> Partnership:  # type: ignore[no-untyped-def]
    partnership = Partnership.objects.create(name="Fuzz Partnership", slug="fuzz")
    Organisation.objects.create(
        partnership=partnership,
        name="Fuzz Council",
        slug="fuzz-council",
        start_date=date(2020, 1, 1),
    )
    return partnership


@pytest.fixture
def importer(partnership: Partnership) -> User:
    return make_user(organisation=Organisation.objects.get(slug="fuzz-council"))


@settings(suppress_health_check=FIXTURE_SAFE)
@given(file=plan_files())
def test_a_plan_file_reads_and_parses_or_is_refused_by_name(
    partnership: Partnership, file: tuple[str, bytes]
) -> None:
    name, data = file
    with fresh_example():
        try:
            table = read_table(name, data)
        except TableError as error:
            assert str(error).startswith(f"{name}: ")
            return
        assert table.header_row >= 1
        assert all(len(cells) == len(table.headers) for _, cells in table.rows)
        assert all(number > table.header_row for number, _ in table.rows)
        parsed = parse_plan(table, guess_mapping(table.headers), partnership)
        rows = {number for number, _ in table.rows}
        for problem in parsed.errors + parsed.warnings:
            assert problem.file_name == name
            assert problem.row is None or problem.row in rows, problem
            assert str(problem).startswith(name)


@settings(suppress_health_check=FIXTURE_SAFE)
@given(file=plan_files())
def test_a_plan_is_committed_whole_or_not_at_all(
    partnership: Partnership, importer: User, file: tuple[str, bytes]
) -> None:
    name, data = file
    with fresh_example():
        try:
            table = read_table(name, data)
        except TableError:
            return
        parsed = parse_plan(table, guess_mapping(table.headers), partnership)
        stored = [ActionPlan, Recommendation, Action, AuditEvent]
        owner, user = importer.person.organisation, importer
        before = snapshot(stored)
        arguments = {
            "partnership": partnership,
            "title": "Fuzzed plan",
            "kind": PlanKind.INSPECTION,
        }
        if parsed.errors:
            with pytest.raises(ValueError, match="nothing was imported"):
                commit_plan(parsed, owner=owner, user=user, file_name=name, **arguments)
            assert snapshot(stored) == before
            return
        plan = commit_plan(parsed, owner=owner, user=user, file_name=name, **arguments)
        assert Action.objects.filter(plan=plan).count() == parsed.action_count
        assert Recommendation.objects.filter(plan=plan).count() == len(parsed.recommendations)


FIGURE_HEADER = ["service", "period_from", "period_to", "measure", "value"]
GROUP_HEADER = ["peer_group", "peer_group_name", "service", "aggregate"]


@st.composite
def benchmark_files(draw: st.DrawFn, *, hostile: bool = True) -> tuple[str, int | None, bytes]:
    """A figures or peer groups file, and its row count when it was not mangled; with
    ``hostile`` false, plausible values only and the bytes left whole."""
    figures = draw(st.booleans())
    header = FIGURE_HEADER if figures else GROUP_HEADER

    def cell(plausible: st.SearchStrategy[str]) -> str:
        return draw(hostile_text if hostile and draw(st.integers(0, 5)) == 0 else plausible)

    rows = []
    for i in range(draw(st.integers(0, 5))):
        if figures:
            rows.append(
                [
                    cell(st.sampled_from(["Fuzzborough", "Testshire"])),
                    cell(st.just("2023-04-01")),
                    cell(st.just("2024-03-31")),
                    cell(st.just(BENCHMARK_MEASURES[i])),  # a figure per measure: no repeats
                    cell(st.decimals(0, 10_000, places=2).map(str)),
                ]
            )
        else:
            rows.append(
                [
                    cell(st.sampled_from(["london", "Statistical neighbours"])),
                    cell(st.just("")),
                    cell(st.just(f"Service {i}")),
                    cell(st.sampled_from(["", "true", "no"])),
                ]
            )
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    data = buffer.getvalue().encode("utf-8")
    if hostile and draw(st.integers(0, 3)) == 0:
        return "benchmarks.csv", None, draw(mangled(data))
    # A row whose cells are all blank is skipped, as in a spreadsheet export.
    return "benchmarks.csv", sum(1 for r in rows if any(c.strip() for c in r)), data


@given(file=benchmark_files(), earlier=st.one_of(st.none(), benchmark_files(hostile=False)))
def test_benchmarks_are_stored_whole_or_refused_with_located_problems(
    file: tuple[str, int | None, bytes], earlier: tuple[str, int | None, bytes] | None
) -> None:
    """Sometimes over an earlier import of plausible figures or groups (stored, unless
    it has no rows), which the file may update."""
    name, rows, data = file
    with fresh_example():
        if earlier is not None:
            with contextlib.suppress(ImportFailed):
                import_benchmark(earlier[2], earlier[0])
        stored = [BenchmarkFigure, PeerGroup, Service, DataImport, AuditEvent]
        before = snapshot(stored)
        try:
            report = import_benchmark(data, name)
        except ImportFailed as error:
            assert error.problems and all(p.file == name for p in error.problems)
            assert all(p.row is None or p.row >= 1 for p in error.problems)
            assert snapshot(stored) == before
            return
        assert report.rows >= 1 and (rows is None or report.rows == rows)
        # What was stored fits the columns it went into (PostgreSQL would refuse the rest).
        assert all(len(s) <= 120 for s in Service.objects.values_list("name", flat=True))
        assert all(len(s) <= 60 for s in PeerGroup.objects.values_list("slug", flat=True))
        assert all(len(s) <= 200 for s in PeerGroup.objects.values_list("name", flat=True))
