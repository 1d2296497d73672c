"""The spreadsheet template: its layout, the round trip, and broken uploads."""

from __future__ import annotations

import hashlib
import io
import time

import pytest
from openpyxl import Workbook, load_workbook

from saferboard.core.periods import Period
from saferboard.measures.models import Measure, Observation
from saferboard.returns import xlsx
from saferboard.returns.models import Submission
from saferboard.returns.services import accept_upload, template_workbook
from tests.returns.factories import make_template

JAN = Period.month(2025, 1)


@pytest.fixture
def template(db):
    return make_template()


def fill(
    content: bytes, values: dict[int, object], comments: dict[int, str] | None = None, edit=None
) -> bytes:
    """Type values into the Value column by row, as a partner would in Excel."""
    book = load_workbook(io.BytesIO(content))
    sheet = book[xlsx.SHEET]
    for row, value in values.items():
        sheet.cell(row, xlsx.VALUE_COLUMN).value = value
    for row, text in (comments or {}).items():
        sheet.cell(row, xlsx.COMMENT_COLUMN).value = text
    if edit:
        edit(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_template_layout_is_fixed(template) -> None:
    book = load_workbook(io.BytesIO(template_workbook(template, JAN)))
    sheet = book[xlsx.SHEET]
    assert sheet["A1"].value == "Template" and sheet["B1"].value == template.slug
    assert sheet["B3"].value == "2025-01"
    assert [c.value for c in sheet[xlsx.HEADER_ROW]] == xlsx.HEADERS
    assert [sheet.cell(r, 1).value for r in range(6, 9)] == [
        "victim-referrals",
        "victims-offered-rj",
        "call-blockers-installed",
    ]
    assert sheet.protection.sheet is True
    assert sheet.cell(6, xlsx.VALUE_COLUMN).protection.locked is False
    assert sheet["A6"].protection.locked is True


def test_round_trip_accepts_the_return_with_file_provenance(template, make_user) -> None:
    user = make_user("partner_lead", organisation=template.organisation)
    content = fill(template_workbook(template, JAN), {6: 41, 7: "3", 8: None}, {7: "Two declined"})
    submission = accept_upload(template, content, file_name="referrals-jan.xlsx", user=user)
    assert submission.version == 1
    assert submission.channel == "xlsx"
    values = {v.measure.slug: (v.value, v.comment) for v in submission.values.all()}
    assert values == {
        "victim-referrals": (41, ""),
        "victims-offered-rj": (3, "Two declined"),
        "call-blockers-installed": (None, ""),
    }
    files = submission.data_import.files
    assert files[0]["name"] == "referrals-jan.xlsx"
    assert files[0]["sha256"] == hashlib.sha256(content).hexdigest()
    assert Observation.objects.get(measure__slug="victim-referrals").source == (
        submission.data_import
    )
    # The next download carries the accepted values back, ready to correct.
    again = load_workbook(io.BytesIO(template_workbook(template, JAN)))[xlsx.SHEET]
    assert again.cell(6, xlsx.VALUE_COLUMN).value == 41
    assert again.cell(7, xlsx.COMMENT_COLUMN).value == "Two declined"


def test_text_that_looks_like_a_formula_is_escaped_and_round_trips(template) -> None:
    Measure.objects.filter(slug="victim-referrals").update(label='=HYPERLINK("http://x")')
    content = template_workbook(template, JAN)
    sheet = load_workbook(io.BytesIO(content))[xlsx.SHEET]
    assert sheet["B6"].value == '\'=HYPERLINK("http://x")'
    assert sheet["B6"].data_type == "s"
    filled = fill(content, {6: 1, 7: 1}, {6: "'=1+1 was the sum"})
    submission = accept_upload(template, filled, file_name="f.xlsx", user=None)
    assert submission.values.get(measure__slug="victim-referrals").comment == "=1+1 was the sum"
    assert xlsx.escape("-5 fewer") == "'-5 fewer"
    assert xlsx.escape("Fewer") == "Fewer"


def rejected(template, content: bytes, name: str = "return.xlsx") -> list[xlsx.UploadProblem]:
    with pytest.raises(xlsx.UploadRejected) as caught:
        accept_upload(template, content, file_name=name, user=None)
    assert not Submission.objects.exists()
    assert not Observation.objects.exists()
    return caught.value.problems


def test_value_problems_are_located_by_row_and_column(template) -> None:
    content = fill(template_workbook(template, JAN), {6: "many", 7: -2})
    problems = rejected(template, content)
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("return.xlsx", 6, "E", "many"),
        ("return.xlsx", 7, "E", "-2"),
    ]
    assert str(problems[0]) == (
        "return.xlsx, row 6, column E: Victim referrals must be a number (value 'many')"
    )


def test_formulas_are_refused(template) -> None:
    problems = rejected(template, fill(template_workbook(template, JAN), {6: "=2+2", 7: 1}))
    assert [(p.row, p.column, p.message) for p in problems] == [
        (6, "E", "Type the figure itself, not a formula")
    ]


def test_not_a_workbook(template) -> None:
    problems = rejected(template, b"Crime ID,Month\n1,2025-01\n", "return.csv")
    assert problems[0].message == "The file is not an Excel .xlsx workbook"
    assert problems[0].file == "return.csv"


def test_another_workbook(template) -> None:
    book = Workbook()
    out = io.BytesIO()
    book.save(out)
    assert "no sheet called 'Return'" in rejected(template, out.getvalue())[0].message


def test_wrong_template_and_changed_headings(template) -> None:
    other = make_template(slug="other-template")
    content = template_workbook(other, JAN)

    def rename(sheet):
        sheet.cell(xlsx.HEADER_ROW, xlsx.VALUE_COLUMN).value = "Figure"

    problems = rejected(template, fill(content, {}, edit=rename))
    assert [(p.row, p.column) for p in problems] == [(1, "B"), (5, "E")]
    assert problems[1].value == "Figure"


def test_missing_extra_and_duplicated_rows(template) -> None:
    def tamper(sheet):
        sheet.cell(8, 1).value = "victim-referrals"  # duplicate of row 6; blockers missing
        sheet.cell(9, 1).value = "arrests"
        sheet.cell(9, xlsx.VALUE_COLUMN).value = 3

    problems = rejected(template, fill(template_workbook(template, JAN), {6: 1, 7: 1}, edit=tamper))
    assert [(p.row, p.column, p.message) for p in problems] == [
        (8, "A", "Measure victim-referrals appears twice (first on row 6)"),
        (9, "A", "This row's measure ID is not on the template"),
        (None, None, "The row for measure call-blockers-installed is missing"),
    ]


def test_upload_for_another_period_is_refused(template) -> None:
    content = fill(template_workbook(template, JAN), {6: 1, 7: 1})
    with pytest.raises(xlsx.UploadRejected) as caught:
        accept_upload(
            template, content, file_name="f.xlsx", user=None, expected_period=Period.month(2025, 2)
        )
    assert caught.value.problems[0].message == "This file is the return for Jan 2025, not Feb 2025"


def test_bad_period_cell(template) -> None:
    def period(sheet):
        sheet["B3"].value = "FY2024-25 Q3"

    problems = rejected(template, fill(template_workbook(template, JAN), {6: 1, 7: 1}, edit=period))
    assert (problems[0].row, problems[0].column) == (3, "B")
    assert "is not a month" in problems[0].message


def test_combined_datasheet(template) -> None:
    from saferboard.returns.services import datasheet_rows

    accept_upload(
        template,
        fill(template_workbook(template, JAN), {6: 5, 7: 1}),
        file_name="a.xlsx",
        user=None,
    )
    content = xlsx.build_datasheet(datasheet_rows([template]))
    book = load_workbook(io.BytesIO(content))
    long = book["All values"]
    assert long["A1"].value == "Organisation"
    assert [long.cell(r, 3).value for r in range(2, 5)] == [
        "victim-referrals",
        "victims-offered-rj",
        "call-blockers-installed",
    ]
    assert long["H2"].value == 5
    wide = book["By period"]
    assert wide["C1"].value == "Jan 2025"
    assert sorted(wide.cell(r, 3).value or 0 for r in range(2, 5)) == [0, 1, 5]


def test_a_far_cell_refuses_the_upload_at_once(template) -> None:
    """Issue 18, finding 1: one cell at row 5,000, column 100 held a thread for 136 s."""

    def far(sheet):
        sheet.cell(5000, 100).value = "x"

    content = fill(template_workbook(template, JAN), {6: 1, 7: 1, 8: 1}, edit=far)
    started = time.monotonic()
    problems = rejected(template, content)
    assert time.monotonic() - started < 2
    assert [p.message for p in problems] == [
        "The file is refused: the sheet's used range reaches row 5,000, column CV; nothing "
        "may be below row 108 or right of column Z (clear those cells, including any "
        "formatting, and upload it again)"
    ]


def test_text_right_of_the_comment_column_is_still_located(template) -> None:
    def wide(sheet):
        sheet.cell(7, 10).value = "stray"

    problems = rejected(
        template, fill(template_workbook(template, JAN), {6: 1, 7: 1, 8: 1}, edit=wide)
    )
    assert [(p.row, p.column, p.value) for p in problems] == [(7, "J", "stray")]
