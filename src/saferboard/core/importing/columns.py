"""Table-driven column validation: an importer declares its columns, this checks rows.

A :class:`Column` names a header, says whether a value is required, how the cell text
is turned into a value (a parser that raises ``ValueError`` with the reason) and the
message a person sees when it cannot be. :func:`check_header` and :func:`read_row`
report :class:`~saferboard.core.importing.problems.LocatedProblem` s located by file,
row and column, so an importer writes a table instead of a chain of ``if`` s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from saferboard.core.importing.problems import SOURCE_STYLE, LocatedProblem, ProblemStyle


def text(value: str) -> str:
    """The cell's text, trimmed (the default parser)."""
    return value.strip()


@dataclass(frozen=True)
class Column:
    """One declared column: its header, whether it must have a value, how to read it."""

    name: str
    required: bool = True
    parser: Callable[[str], Any] = text
    message: str = "cannot be read"
    """Shown when ``parser`` raises ``ValueError``; ``{error}`` is replaced by its reason."""
    missing: str = "is required"
    """Shown when a required value is empty."""


@dataclass
class RowResult:
    """One row read under a column table: the values read, and what was wrong."""

    values: dict[str, Any] = field(default_factory=dict)
    problems: list[LocatedProblem] = field(default_factory=list)


def check_header(
    file: str,
    header: Sequence[str],
    columns: Sequence[Column],
    *,
    style: ProblemStyle = SOURCE_STYLE,
) -> list[LocatedProblem]:
    """A problem for each declared column missing from ``header`` (row 1)."""
    found = {h.strip() for h in header}
    return [
        LocatedProblem(file, f"the column {c.name!r} is missing", row=1, style=style)
        for c in columns
        if c.name not in found
    ]


def read_row(
    file: str,
    row: int,
    cells: Mapping[str, str],
    columns: Sequence[Column],
    *,
    style: ProblemStyle = SOURCE_STYLE,
) -> RowResult:
    """Read one row's cells (by header) under ``columns``, collecting every problem.

    An empty optional cell reads as ``None``; the parser never sees it.
    """
    result = RowResult()
    for column in columns:
        raw = cells.get(column.name, "") or ""
        if not raw.strip():
            if column.required:
                result.problems.append(
                    LocatedProblem(file, column.missing, row, column.name, raw, style=style)
                )
            result.values[column.name] = None
            continue
        try:
            result.values[column.name] = column.parser(raw)
        except ValueError as error:
            message = column.message.replace("{error}", str(error))
            result.problems.append(
                LocatedProblem(file, message, row, column.name, raw, style=style)
            )
    return result
