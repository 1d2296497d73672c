"""Reading a set-up workbook: cells to checked rows, every problem located.

Pure reading: nothing here looks at the database. Sheets and headers are found whatever
their case, extra columns and a missing sheet are allowed, and each cell is checked for
what its column allows (a type, a role, a number like "3.1", an email address). What a
row refers to (an organisation by name, a person by email) is checked when the rows are
applied (:mod:`saferboard.setup.workbook_apply`), against the workbook and the database.

A problem is a :class:`saferboard.crime.problems.Problem` whose ``file`` is the sheet's
name, ``row`` the spreadsheet row, ``column`` the header and ``value`` the cell's text.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from saferboard.core.spreadsheet_cells import restore_text
from saferboard.core.workbooks import DAMAGED_WORKBOOK_ERRORS, SheetRefused, read_bounded_sheet
from saferboard.crime.problems import Problem
from saferboard.setup.workbook_schema import (
    ORGANISATION_TYPE_WORDS,
    ROLE_WORDS,
    Sheet,
    board_kind_value,
    board_kind_words,
    empty_row,
    normalise_header,
    organisation_type_value,
    role_value,
    sheets,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_EXPANDED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 5_000
"""Rows read per sheet; a partnership has tens of organisations and hundreds of people."""
MAX_COLUMNS = 60
"""Columns read per sheet: extra columns are allowed (and ignored) up to here."""
ABSURD_COLUMNS = 1_000

LocatedRow = tuple[int, dict[str, Any]]
"""A row's spreadsheet row number and its values keyed by column key."""


@dataclass
class ReadWorkbook:
    """What a workbook holds: each sheet's rows with their row numbers, and the problems
    found in its cells (none means every cell is well formed)."""

    rows: dict[str, list[LocatedRow]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class WorkbookUnreadable(Exception):
    """The file as a whole cannot be read (not a workbook, too big)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def cell_text(value: object) -> str:
    """A cell as text: numbers without a trailing .0, dates as YYYY-MM-DD, text trimmed
    and un-escaped (an export's leading apostrophe removed)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return restore_text(str(value).strip()).strip()


def read_workbook(data: bytes, file_name: str = "workbook") -> ReadWorkbook:
    """Read every known sheet of a set-up workbook; raise :class:`WorkbookUnreadable`
    when the file is not a readable workbook."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise WorkbookUnreadable(Problem(file_name, "The file is larger than 5 MB"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            expanded = sum(info.file_size for info in archive.infolist())
        if expanded > MAX_EXPANDED_BYTES:
            raise WorkbookUnreadable(Problem(file_name, "The workbook expands to too much data"))
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True)
        names = list(book.sheetnames)
        book.close()
        grids: dict[str, list[tuple[object, ...]]] = {}
        for sheet in sheets():
            actual = next((n for n in names if n.strip().lower() == sheet.title.lower()), None)
            if actual is not None:
                grids[sheet.key] = read_bounded_sheet(
                    data,
                    sheet_name=actual,
                    max_rows=MAX_ROWS,
                    max_columns=MAX_COLUMNS,
                    absurd_columns=ABSURD_COLUMNS,
                    max_expanded_bytes=MAX_EXPANDED_BYTES,
                ).rows
    except SheetRefused as error:
        raise WorkbookUnreadable(Problem(file_name, f"The file is refused: {error}")) from error
    except DAMAGED_WORKBOOK_ERRORS as error:
        raise WorkbookUnreadable(
            Problem(file_name, "The file is not an Excel .xlsx workbook")
        ) from error
    result = ReadWorkbook()
    for sheet in sheets():
        result.rows[sheet.key] = []
        grid = grids.get(sheet.key)
        if grid:
            _read_sheet(sheet, grid, result)
    return result


def _read_sheet(sheet: Sheet, grid: list[tuple[object, ...]], result: ReadWorkbook) -> None:
    headers = [normalise_header(cell_text(v)) for v in grid[0]]
    positions: dict[str, int] = {}
    for column in sheet.columns:
        wanted = normalise_header(column.header)
        if wanted in headers:
            positions[column.key] = headers.index(wanted)
        elif column.required and len(grid) > 1:
            result.problems.append(
                Problem(sheet.title, f"The sheet has no {column.header!r} column", 1, None)
            )
    if any(c.required and c.key not in positions for c in sheet.columns):
        return
    for number, cells in enumerate(grid[1:], start=2):
        texts = {key: cell_text(cells[index]) for key, index in positions.items()}
        if not any(texts.values()):
            continue
        raw = {c.key: texts.get(c.key, "") for c in sheet.columns}
        row, problems = check_row(sheet, number, raw)
        result.problems.extend(problems)
        result.rows[sheet.key].append((number, row))
    _check_unique(sheet, result)


def split_list(text: str, separator: str) -> list[str]:
    """A list cell's items, trimmed, empty ones dropped, in order, without repeats
    (compared ignoring case)."""
    items: list[str] = []
    for part in text.split(separator):
        part = part.strip()
        if part and part.lower() not in {i.lower() for i in items}:
            items.append(part)
    return items


def check_row(
    sheet: Sheet, number: int, raw: dict[str, str]
) -> tuple[dict[str, Any], list[Problem]]:
    """One row's cells (as text) checked and put in the workbook's own words."""
    problems: list[Problem] = []
    row = empty_row(sheet)

    def problem(key: str, message: str, value: str | None = None) -> None:
        problems.append(
            Problem(sheet.title, message, number, sheet.column(key).header, value or raw[key])
        )

    for column in sheet.columns:
        text = raw.get(column.key, "")
        if column.required and not text:
            problems.append(
                Problem(
                    sheet.title, f"Enter the {column.header.lower()}", number, column.header, ""
                )
            )
        row[column.key] = split_list(text, column.separator) if column.is_list else text
        items = row[column.key] if column.is_list else [text]
        for item in items:
            if len(item) > column.max_length:
                problems.append(
                    Problem(
                        sheet.title,
                        f"Use at most {column.max_length:,} characters (this has {len(item):,})",
                        number,
                        column.header,
                        item[:80],
                    )
                )
    checker = _CHECKERS.get(sheet.key)
    if checker is not None:
        checker(row, problem)
    return row, problems


def _check_partnership(row: dict[str, Any], problem: Any) -> None:
    days = {}
    for key in ("strategy_start", "strategy_end"):
        if row[key]:
            try:
                days[key] = parse_day(row[key])
                row[key] = days[key].isoformat()
            except ValueError:
                problem(key, "Enter a date like 2024-04-01")
    if row["strategy"] or row["strategy_start"] or row["strategy_end"]:
        for key in ("strategy", "strategy_start", "strategy_end"):
            if not row[key]:
                problem(key, "Enter the strategy's title, start and end together")
    if len(days) == 2 and days["strategy_end"] < days["strategy_start"]:
        problem("strategy_end", "The strategy must end after it starts")


def _check_organisation(row: dict[str, Any], problem: Any) -> None:
    if row["type"]:
        value = organisation_type_value(row["type"])
        if value is None:
            problem(
                "type", "Not a type of organisation: use one of " + _words(ORGANISATION_TYPE_WORDS)
            )
        else:
            row["type"] = ORGANISATION_TYPE_WORDS[value]
    if row["parent"] and row["parent"].lower() == row["name"].lower():
        problem("parent", "An organisation cannot be its own parent")


def _check_email(key: str, text: str, problem: Any) -> None:
    try:
        validate_email(text)
    except ValidationError:
        problem(key, "Not an email address", text)


def _check_person(row: dict[str, Any], problem: Any) -> None:
    if row["email"]:
        _check_email("email", row["email"], problem)
    roles: list[str] = []
    for text in row["roles"]:
        value = role_value(text)
        if value is None:
            problem("roles", f"{text!r} is not a role: use " + _words(ROLE_WORDS), text)
        elif value not in roles:
            roles.append(value)
    order = list(ROLE_WORDS)
    row["roles"] = [ROLE_WORDS[v] for v in sorted(roles, key=order.index)]


MAX_NUMBER = 999
"""The largest priority or commitment number (the models store small integers)."""


def _positive(text: str) -> int | None:
    """A whole number from 1 to :data:`MAX_NUMBER` written in ASCII digits, else None
    (``str.isdigit`` would pass "²", which ``int`` refuses)."""
    if not re.fullmatch(r"[0-9]{1,6}", text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_NUMBER else None


def _check_priority(row: dict[str, Any], problem: Any) -> None:
    if row["number"] and _positive(row["number"]) is None:
        problem("number", f"Enter a whole number from 1 to {MAX_NUMBER}")


def _check_commitment(row: dict[str, Any], problem: Any) -> None:
    priority = _positive(row["priority"]) if row["priority"] else None
    if row["priority"] and priority is None:
        problem("priority", f"Enter the priority's number, from 1 to {MAX_NUMBER}")
        return
    if priority is None or not row["number"]:
        return
    parts = _number_parts(row["number"])
    parent = _number_parts(row["parent"]) if row["parent"] else []
    if parts is None:
        problem("number", "Enter a number like 3.1 (or 3.1.2 for a sub-commitment)")
        return
    if parent is None or (row["parent"] and not 1 <= len(parent) <= 2):
        problem("parent", "Enter the parent commitment's number, like 3.1")
        return
    if parent and len(parent) == 2 and parent[0] != priority:
        problem("parent", f"Commitment {row['parent']} is not under priority {priority}")
        return
    parent_full = [priority, parent[-1]] if parent else [priority]
    if len(parts) > 1 and parts[:-1] != parent_full:
        expected = ".".join(str(p) for p in parent_full)
        problem("number", f"Enter the number as {expected}.N (its priority and parent), or N")
        return
    row["number"] = ".".join(str(p) for p in [*parent_full, parts[-1]])
    row["parent"] = ".".join(str(p) for p in parent_full) if parent else ""
    row["priority"] = str(priority)


def _number_parts(text: str) -> list[int] | None:
    parts = [p.strip() for p in text.strip().rstrip(".").split(".")]
    numbers = [_positive(p) for p in parts]
    if not parts or any(n is None for n in numbers):
        return None
    return [n for n in numbers if n is not None]


def _check_board(row: dict[str, Any], problem: Any) -> None:
    if row["kind"]:
        value = board_kind_value(row["kind"])
        if value is None:
            problem("kind", "Not a kind of board: use one of " + _words(board_kind_words()))
        else:
            row["kind"] = board_kind_words()[value]
    if row["chair"]:
        _check_email("chair", row["chair"], problem)
    for email in row["members"]:
        _check_email("members", email, problem)
    if row["parent"] and row["parent"].lower() == row["name"].lower():
        problem("parent", "A board cannot report to itself")
    row["members"] = [m for m in row["members"] if m.lower() != row["chair"].lower()]


_CHECKERS = {
    "partnership": _check_partnership,
    "organisations": _check_organisation,
    "people": _check_person,
    "priorities": _check_priority,
    "commitments": _check_commitment,
    "boards": _check_board,
}

_KEYS = {
    "organisations": ("name", "Name"),
    "people": ("email", "Email"),
    "priorities": ("number", "Number"),
    "commitments": ("number", "Number"),
    "boards": ("name", "Name"),
}


def _check_unique(sheet: Sheet, result: ReadWorkbook) -> None:
    if sheet.key == "partnership":
        for number, _row in result.rows[sheet.key][1:]:
            result.problems.append(
                Problem(sheet.title, "The Partnership sheet has one row only", number, None)
            )
        return
    key, header = _KEYS[sheet.key]
    seen: dict[str, int] = {}
    for number, row in result.rows[sheet.key]:
        value = str(row[key]).lower()
        if not value:
            continue
        if value in seen:
            result.problems.append(
                Problem(
                    sheet.title,
                    f"This {header.lower()} is on row {seen[value]} already",
                    number,
                    header,
                    str(row[key]),
                )
            )
        else:
            seen[value] = number


def parse_day(text: str) -> date:
    """A date typed as YYYY-MM-DD or DD/MM/YYYY; raises ValueError otherwise."""
    for form in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), form).date()
        except ValueError:
            continue
    raise ValueError(text)


def _words(words: dict[str, str]) -> str:
    return ", ".join(words.values())
