"""What a damaged ZIP archive, or a damaged spreadsheet, makes Python and openpyxl raise.

Uploaded workbooks are untrusted bytes, and openpyxl fails on damage in many ways: a
broken zip directory or deflate stream (``BadZipFile``, ``zlib.error``, ``EOFError``),
a compression method byte turned into nonsense (``NotImplementedError``), a missing
part (``KeyError``), bad XML (``SyntaxError`` covers the XML parsers' ``ParseError``),
odd values (``ValueError``, ``TypeError``). Read-only workbooks are parsed lazily, so
these can surface while rows are read as well as when the file opens. Each importer
catches this tuple around both and refuses the file by name; anything else is a bug.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

DAMAGED_ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,  # also a member whose CRC does not match
    zlib.error,
    EOFError,
    NotImplementedError,  # an unknown compression method
    RuntimeError,  # an encrypted member
    OSError,
    ValueError,
)
"""What reading the members of an uploaded ZIP archive can raise on damage."""

DAMAGED_WORKBOOK_ERRORS: tuple[type[BaseException], ...] = (
    *DAMAGED_ZIP_ERRORS,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
    SyntaxError,
)
"""What opening a workbook and reading its rows can raise on damage."""


class SheetRefused(Exception):
    """An uploaded workbook refused before its cells are read, with a reason for people."""


@dataclass(frozen=True)
class SheetGrid:
    """The cells of one sheet, as values, row by row from row 1 (rows are tuples of
    exactly ``max_columns`` values)."""

    title: str
    rows: list[tuple[object, ...]]


def read_bounded_sheet(
    data: bytes,
    *,
    sheet_name: str | None = None,
    max_rows: int,
    max_columns: int,
    absurd_columns: int | None = None,
    max_expanded_bytes: int,
    data_only: bool = True,
) -> SheetGrid:
    """Read one sheet of an uploaded workbook, never more than ``max_rows`` by
    ``max_columns`` cells, in read-only (streaming) mode.

    openpyxl's ordinary mode builds a cell object for every cell up to the sheet's extent,
    so one cell typed at row 5,000, column 100 of a 6 KB file costs half a million cells
    and minutes of a server thread. Here the workbook is refused at once when its parts
    would expand past ``max_expanded_bytes`` or its sheet declares a used range past the
    bounds (``absurd_columns``, when given, replaces ``max_columns`` for that check: a
    caller that reports wide rows itself may tolerate some formatting past its table). A
    sheet whose declared range lies is still read only to the bounds: rows are streamed,
    reading stops at the first row past ``max_rows`` (refused too), and cells right of
    ``max_columns`` are never built.

    Raises :class:`SheetRefused` with a reason, or one of
    :data:`DAMAGED_WORKBOOK_ERRORS` for a damaged file.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        expanded = sum(info.file_size for info in archive.infolist())
    if expanded > max_expanded_bytes:
        raise SheetRefused(
            f"the workbook expands to {expanded:,} bytes, more than the "
            f"{max_expanded_bytes:,} a file of this kind can need"
        )
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    try:
        if sheet_name is None:
            sheet = book.worksheets[0]
        elif sheet_name in book.sheetnames:
            sheet = book[sheet_name]
        else:
            raise SheetRefused(f"the workbook has no sheet called {sheet_name!r}")
        declared_rows, declared_columns = sheet.max_row or 0, sheet.max_column or 0
        column_limit = absurd_columns or max_columns
        if declared_rows > max_rows or declared_columns > column_limit:
            raise SheetRefused(
                f"the sheet's used range reaches row {declared_rows:,}, column "
                f"{get_column_letter(min(max(declared_columns, 1), 18278))}; nothing may be "
                f"below row {max_rows:,} or right of column {get_column_letter(column_limit)} "
                "(clear those cells, including any formatting, and upload it again)"
            )
        rows: list[tuple[object, ...]] = []
        for row in sheet.iter_rows(
            min_row=1, max_row=max_rows + 1, max_col=max_columns, values_only=True
        ):
            rows.append(tuple(row) + (None,) * (max_columns - len(row)))
        if len(rows) > max_rows:  # a declared range that lied
            raise SheetRefused(
                f"the sheet has cells below row {max_rows:,} (clear those cells, including "
                "any formatting, and upload it again)"
            )
        return SheetGrid(sheet.title, rows)
    finally:
        book.close()
