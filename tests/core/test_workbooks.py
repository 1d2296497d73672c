"""Uploaded workbooks are read bounded: streamed, never past the caller's rows and
columns, and refused at once when they declare or expand to an absurd size (issue 18,
finding 1)."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from openpyxl import Workbook

from saferboard.core.workbooks import SheetRefused, read_bounded_sheet


def far_cell_workbook(row: int = 5000, column: int = 100, title: str = "Return") -> bytes:
    """The adversarial file: a few kilobytes, one cell set far out."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.cell(1, 1).value = "Template"
    sheet.cell(row, column).value = "x"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def lying_dimension(content: bytes, ref: str = "A1:B2") -> bytes:
    """The same workbook with its sheet's declared used range rewritten to ``ref``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/sheet"):
                data = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), data)
            target.writestr(info.filename, data)
    return out.getvalue()


def test_a_far_cell_is_refused_at_once_by_its_declared_range() -> None:
    content = far_cell_workbook()
    assert len(content) < 10_000
    started = time.monotonic()
    with pytest.raises(SheetRefused, match="reaches row 5,000, column CV"):
        read_bounded_sheet(content, max_rows=50, max_columns=10, max_expanded_bytes=1 << 20)
    assert time.monotonic() - started < 2


def test_a_far_cell_behind_a_lying_range_is_refused_after_bounded_reading() -> None:
    content = lying_dimension(far_cell_workbook(row=1_000_000, column=16_000))
    started = time.monotonic()
    with pytest.raises(SheetRefused, match="cells below row 50"):
        read_bounded_sheet(content, max_rows=50, max_columns=10, max_expanded_bytes=1 << 20)
    assert time.monotonic() - started < 2


def test_cells_right_of_the_bound_are_never_built() -> None:
    content = lying_dimension(far_cell_workbook(row=3, column=16_000))
    grid = read_bounded_sheet(content, max_rows=50, max_columns=4, max_expanded_bytes=1 << 20)
    assert all(len(row) == 4 for row in grid.rows)
    assert grid.rows[0][0] == "Template"


def test_a_workbook_that_expands_too_far_is_refused_unread() -> None:
    book = Workbook()
    book.active.cell(1, 1).value = "y" * 30_000
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(SheetRefused, match="expands to"):
        read_bounded_sheet(out.getvalue(), max_rows=5, max_columns=5, max_expanded_bytes=20_000)


def test_a_missing_sheet_is_named() -> None:
    with pytest.raises(SheetRefused, match="no sheet called 'Return'"):
        read_bounded_sheet(
            far_cell_workbook(row=2, column=2, title="Other"),
            sheet_name="Return",
            max_rows=5,
            max_columns=5,
            max_expanded_bytes=1 << 20,
        )
