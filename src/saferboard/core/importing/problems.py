"""The one located-problem type: what is wrong with an input file, and where.

Every importer reports a refusal the same way: the file, the row as a spreadsheet
counts it (header row 1), the column, the value found there and a message. Importers
have always worded the location slightly differently and people (and tests, and
saved reports) rely on that wording, so the wording is a :class:`ProblemStyle` chosen
by the importer, not a different type:

- :data:`SOURCE_STYLE` (crime, population, geography, setup workbook):
  ``file, row 3, column 'Month': message (value '2024-13')``;
- :data:`RETURN_STYLE` (partners' return spreadsheets):
  ``file, row 3, column E: message (value 'abc')``;
- :data:`PLAN_STYLE` (action plans and inspections):
  ``file, row 3, column B (Lead): message (found ‘abc’)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ProblemStyle:
    """How a problem's column and value are written after its file and row."""

    quote_column: bool
    """``column 'Month'`` (quoted, as a CSV header) or ``column E`` (a letter)."""
    value_word: str
    """``value`` or ``found``."""
    value_limit: int
    """The longest value shown, ellipsis included."""
    ellipsis: str = ""
    """Added where a long value is cut (empty: cut silently)."""
    curly_quotes: bool = False
    """‘value’ in typographic quotes rather than Python's ``'value'``."""
    show_empty_value: bool = True
    """Whether an empty value is shown (as ``''``) or left out."""


SOURCE_STYLE = ProblemStyle(quote_column=True, value_word="value", value_limit=80, ellipsis="...")
RETURN_STYLE = ProblemStyle(quote_column=False, value_word="value", value_limit=60)
PLAN_STYLE = ProblemStyle(
    quote_column=False,
    value_word="found",
    value_limit=80,
    curly_quotes=True,
    show_empty_value=False,
)


@dataclass(frozen=True)
class LocatedProblem:
    """One thing wrong with an input file, located as a person would look for it.

    ``row`` counts as a spreadsheet does: the header is row 1, the first record row 2.
    ``row`` and ``column`` are ``None`` (or ``column`` empty) when the problem is the
    file as a whole. The style only changes how the problem is written, never what it
    is, so two problems compare equal whatever their style.
    """

    file: str
    message: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    style: ProblemStyle = field(default=SOURCE_STYLE, compare=False, repr=False)

    @property
    def file_name(self) -> str:
        """The file, under the name the action-plan importer has always used."""
        return self.file

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(
                f"column {self.column!r}" if self.style.quote_column else f"column {self.column}"
            )
        return ", ".join(where) + f": {self.message}" + self._value_text()

    def _value_text(self) -> str:
        style = self.style
        if self.value is None or (not self.value and not style.show_empty_value):
            return ""
        shown = self.value
        if len(shown) > style.value_limit:
            shown = shown[: style.value_limit - len(style.ellipsis)] + style.ellipsis
        quoted = f"‘{shown}’" if style.curly_quotes else repr(shown)
        return f" ({style.value_word} {quoted})"

    def as_dict(self) -> dict[str, object]:
        """The problem as JSON-ready fields (file, row, column, value, message)."""
        return {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


class ImportRejected(Exception):
    """An import refused as a whole; nothing was written. Carries the first problem."""

    def __init__(self, problem: LocatedProblem) -> None:
        super().__init__(str(problem))
        self.problem = problem
