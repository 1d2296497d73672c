"""Spreadsheet import: a real-shaped improvement plan, and broken files (nothing half-loads)."""

from __future__ import annotations

import io
import time
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from saferboard.actions.importing import (
    TableError,
    commit_plan,
    guess_mapping,
    parse_plan,
    read_table,
)
from saferboard.actions.models import Action, ActionPlan, PlanKind, Recommendation
from saferboard.core.models import AuditAction, AuditEvent, Organisation, Partnership, RagEntry

DATA = Path(__file__).resolve().parents[1] / "data" / "actions"


@pytest.fixture
def partnership(demo) -> Partnership:  # type: ignore[no-untyped-def]
    return Partnership.objects.get(slug="example-borough")


def _read(name: str):  # type: ignore[no-untyped-def]
    return read_table(name, (DATA / name).read_bytes())


def test_header_row_is_found_below_the_title_and_columns_are_guessed() -> None:
    table = _read("improvement_plan.xlsx")
    assert table.header_row == 3
    assert table.sheet == "Improvement plan"
    assert guess_mapping(table.headers) == [
        "rec_number",
        "recommendation",
        "action_ref",
        "action",
        "outcome",
        "lead",
        "timescale",
        "rag",
        "steps",  # a column headed "Progress" lists progress steps (issue 20)
    ]


@pytest.mark.parametrize("name", ["improvement_plan.xlsx", "improvement_plan.csv"])
def test_real_shaped_plan_parses_into_lettered_actions(partnership, name) -> None:
    table = _read(name)
    parsed = parse_plan(table, guess_mapping(table.headers), partnership)
    assert parsed.errors == []
    assert [r.number for r in parsed.recommendations] == [1, 2, 3, 4, 5]
    refs = [a.reference for r in parsed.recommendations for a in r.actions]
    assert refs == ["1a", "1b", "1c", "2a", "2b", "3a", "3b", "4a", "5a", "5b"]
    first = parsed.recommendations[0].actions[0]
    # Multi-line lead cell: two leads, kept as written (neither is a record here).
    assert first.lead_lines == ["Chair of YOS Management Board", "Head of Youth Offending Service"]
    assert (first.commence, first.completion, first.ongoing, first.review) == (
        date(2015, 9, 1),
        date(2015, 12, 31),
        False,
        "quarterly",
    )
    ongoing = parsed.recommendations[0].actions[1]
    assert ongoing.ongoing and ongoing.completion is None and ongoing.review == "quarterly"
    assert ongoing.lead_people  # "Owen Price" is a demo person
    assert ongoing.timescale_text == "Commence: October 2015 Completion: Ongoing Review: Quarterly"
    multi_line_timescale = parsed.recommendations[0].actions[2]
    assert multi_line_timescale.review == "six_monthly"
    assert len(multi_line_timescale.lead_organisations) == 2
    if name.endswith(".xlsx"):
        assert [r.area for r in parsed.recommendations] == [
            "Leadership and partnership",
            "Leadership and partnership",
            "Quality",
            "Looked after children",
            "Voice of the young person",
        ]
    assert any("kept as written" in w.message for w in parsed.warnings)


def test_commit_creates_the_plan_with_rag_history_and_audit(partnership, make_user) -> None:
    user = make_user("coordinator")
    table = _read("improvement_plan.xlsx")
    parsed = parse_plan(table, guess_mapping(table.headers), partnership)
    plan = commit_plan(
        parsed,
        partnership=partnership,
        title="YOS improvement plan 2015",
        kind=PlanKind.INSPECTION,
        owner=Organisation.objects.get(slug="yos"),
        user=user,
        file_name="improvement_plan.xlsx",
    )
    assert plan.recommendations.count() == 5
    actions = {a.reference: a for a in plan.actions.all()}
    assert len(actions) == 10
    assert actions["2a"].rag_status == "red"
    assert actions["1a"].rag_status == "blue"
    assert actions["1a"].timescale_text.startswith("Commence: September 2015")
    assert [p.full_name for p in actions["2a"].lead_people.all()] == ["Dr Fiona Grant"]
    assert (
        actions["1a"].lead_text == "Chair of YOS Management Board\nHead of Youth Offending Service"
    )
    assert RagEntry.objects.filter(object_id__in=[a.pk for a in actions.values()]).count() >= 10
    assert AuditEvent.objects.filter(action=AuditAction.IMPORT, object_id=str(plan.pk)).exists()


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_broken_rows_are_located_and_nothing_is_loaded(partnership, make_user) -> None:
    data = _xlsx_bytes(
        [
            ["Rec No.", "Recommendation", "Action", "Lead", "Completion date", "RAG"],
            [1, "Improve assessments", "Audit assessments", "Owen Price", "March 2016", "Green"],
            ["one", "Bad number", "An action", "", "", ""],
            [2, "Improve plans", "Review plans", "", "not a date", "Amber"],
            [3, "Voice", "Exit survey", "", "April 2016", "Purple"],
        ]
    )
    table = read_table("broken.xlsx", data)
    parsed = parse_plan(table, guess_mapping(table.headers), partnership)
    messages = [str(p) for p in parsed.errors]
    assert messages == [
        "broken.xlsx, row 3, column A (Rec No.): Recommendation number must be a number "
        "(found ‘one’)",
        "broken.xlsx, row 4, column E (Completion date): Completion date must be a date like "
        "September 2015 or 30/09/2015 (found ‘not a date’)",
        "broken.xlsx, row 5, column F (RAG): RAG status must be Red, Amber, Green or Blue "
        "(found ‘Purple’)",
    ]
    before = (ActionPlan.objects.count(), Action.objects.count(), Recommendation.objects.count())
    with pytest.raises(ValueError, match="nothing was imported"):
        commit_plan(
            parsed,
            partnership=partnership,
            title="Broken",
            kind=PlanKind.OTHER,
            owner=Organisation.objects.get(slug="yos"),
            user=make_user("coordinator"),
            file_name="broken.xlsx",
        )
    assert (ActionPlan.objects.count(), Action.objects.count(), Recommendation.objects.count()) == (
        before
    )


def test_duplicate_action_letters_and_details_without_action_are_errors(partnership) -> None:
    data = (
        b"Rec No.,Recommendation,Action No.,Action,Lead\n"
        b"1,Improve,1a,First,\n"
        b",,1a,Second,\n"
        b",,,,Someone\n"
    )
    table = read_table("dupes.csv", data)
    parsed = parse_plan(table, guess_mapping(table.headers), partnership)
    assert [(p.row, p.message) for p in parsed.errors] == [
        (3, "Action 1a appears twice (first on row 2)"),
        (4, "Enter the action (this row has details but no action)"),
    ]


def test_mapping_must_name_the_action_column_once(partnership) -> None:
    table = read_table("plan.csv", b"A,B\nx,y\n")
    parsed = parse_plan(table, ["action", "action"], partnership)
    assert "chosen for more than one column" in parsed.errors[0].message
    parsed = parse_plan(table, ["", "notes"], partnership)
    assert parsed.errors[0].message == "Choose the column that holds the actions"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("plan.xlsx", b"", "the file is empty"),
        ("plan.xlsx", b"this is not a spreadsheet", "not a real XLSX"),
        ("plan.xlsx", b"PK\x03\x04broken zip", "cannot be opened"),
        ("plan.docx", b"PK\x03\x04", "must be an XLSX or CSV"),
        ("plan.csv", b"\n\n\n", "no header row"),
        ("plan.csv", b"a,b\x00c\n", "not a CSV text file"),
    ],
)
def test_unreadable_files_are_refused_with_the_file_named(name, data, message) -> None:
    with pytest.raises(TableError, match=message) as error:
        read_table(name, data)
    assert str(error.value).startswith(name)


def test_truncated_xlsx_is_refused() -> None:
    data = (DATA / "improvement_plan.xlsx").read_bytes()
    with pytest.raises(TableError, match="cannot be opened"):
        read_table("plan.xlsx", data[: len(data) // 2])


def test_windows_csv_is_read() -> None:
    table = read_table("plan.csv", "Action,Lead\nRéview plans,Zoë\n".encode("cp1252"))
    assert table.rows == [(2, ["Réview plans", "Zoë"])]


def test_generated_file_matches_committed_copy() -> None:
    book = load_workbook(DATA / "improvement_plan.xlsx")
    assert book.active["A1"].value.startswith("Example Borough Youth Offending Service")


def test_a_damaged_workbook_is_refused_by_name_wherever_the_damage_is() -> None:
    """openpyxl reads lazily in read-only mode, so damage inside a sheet surfaces while
    rows are read (zlib and XML errors), not when the workbook opens."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Recommendation", "Action", "Owner", "Due"])
    for n in range(200):
        sheet.append([f"R{n}", f"Do thing {n} " * 5, "Police", "2026-03-31"])
    buffer = io.BytesIO()
    book.save(buffer)
    good = buffer.getvalue()
    refused = 0
    for offset in range(0, len(good) - 16, max(1, len(good) // 400)):
        damaged = good[:offset] + bytes(b ^ 0x5A for b in good[offset : offset + 16])
        damaged += good[offset + 16 :]
        try:
            read_table("plan.xlsx", damaged)
        except TableError as error:
            assert str(error).startswith("plan.xlsx: ")
            refused += 1
    assert refused > 0  # most damage is caught; what is not was outside the cells read


def test_a_far_cell_refuses_the_plan_at_once() -> None:
    """Issue 18, finding 1: a plan's sheet declaring a huge range is refused unread."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Action", "Lead"])
    book.active.cell(1_000_000, 16_000).value = "x"
    out = io.BytesIO()
    book.save(out)
    started = time.monotonic()
    with pytest.raises(TableError, match="used range reaches row 1,000,000"):
        read_table("plan.xlsx", out.getvalue())
    assert time.monotonic() - started < 2
