"""Importing an action plan from a spreadsheet (XLSX or CSV), all or nothing.

Every council already keeps its improvement plan in an Excel or Word table, so the
import meets the table where it is:

1. :func:`read_table` reads the file into rows of text, finding the header row;
2. the person maps each column to a field (:func:`guess_mapping` proposes one);
3. :func:`parse_plan` reads the rows under that mapping into recommendations and
   lettered actions, collecting every problem with its file, row, column and value;
4. :func:`commit_plan` writes the plan in one transaction, only if there is no error.

Real plans merge the recommendation cell down over its actions, put several leads in
one cell on separate lines, letter their actions ("1a", "b)", "(c)") and write
timescales as "Commence: September 2015 Completion: Ongoing Review: Quarterly".
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from saferboard.actions.models import Action, ActionPlan, Recommendation, Response
from saferboard.actions.services import add_action, letter_for
from saferboard.actions.timescale import Cadence, parse_cadence, parse_date, parse_timescale
from saferboard.core import audit
from saferboard.core.importing.cells import cell_text
from saferboard.core.importing.pipeline import run_import
from saferboard.core.importing.problems import PLAN_STYLE, LocatedProblem
from saferboard.core.importing.reading import decode_text
from saferboard.core.models import AuditAction, Organisation, Partnership, Person, User
from saferboard.core.rag import RagAssessment, record_rag, status_label
from saferboard.core.workbooks import DAMAGED_WORKBOOK_ERRORS, SheetRefused, read_bounded_sheet

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
ABSURD_COLUMNS = 1000
"""A sheet whose used range reaches further right than this is refused before it is read
(wide formatting up to here is tolerated: only columns with text count towards 60)."""
MAX_EXPANDED_BYTES = 100 * 1024 * 1024
"""What a 5 MB plan may expand to (spreadsheets compress about 5 to 10 times)."""

# (field, label) in the order the mapping select lists them.
FIELDS: list[tuple[str, str]] = [
    ("", "Do not import"),
    ("area", "Area"),
    ("rec_number", "Recommendation number"),
    ("recommendation", "Recommendation"),
    ("response", "Response (agreed, partly agreed, not agreed)"),
    ("response_reason", "Reason for the response"),
    ("action_ref", "Action number or letter"),
    ("action", "Action"),
    ("outcome", "Intended outcome"),
    ("lead", "Lead"),
    ("timescale", "Timescale (commence, completion, review)"),
    ("commence", "Commence date"),
    ("completion", "Completion date"),
    ("review", "Review cadence"),
    ("steps", "Progress steps"),
    ("rag", "RAG status"),
    ("notes", "Notes"),
]
FIELD_LABELS = dict(FIELDS)

# Headers that are a plan's progress checklist, matched whole ("Progress update" is notes).
_PROGRESS_HEADERS = ("progress", "progress to date", "progress made")

# Header words that suggest each field (checked in this order; first match wins).
_GUESSES: list[tuple[str, tuple[str, ...]]] = [
    ("action_ref", ("action no", "action ref", "action number", "letter")),
    (
        "rec_number",
        (
            "rec no",
            "rec. no",
            "recommendation no",
            "recommendation number",
            "no.",
            "ref",
            "number",
            "#",
        ),
    ),
    ("response_reason", ("reason",)),
    ("response", ("response", "agreed")),
    ("recommendation", ("recommendation",)),
    ("area", ("area", "theme", "section")),
    ("outcome", ("outcome",)),
    ("action", ("action",)),
    ("lead", ("lead", "owner", "responsible", "who")),
    ("timescale", ("timescale", "timeline", "timeframe", "when")),
    ("commence", ("commence", "start")),
    ("completion", ("completion", "complete by", "deadline", "due", "end date")),
    ("review", ("review",)),
    ("steps", ("progress step", "steps", "milestone", "checklist")),
    # A column headed just "Progress" lists what has been done: progress steps.
    ("steps", _PROGRESS_HEADERS),
    ("rag", ("rag", "status", "rating")),
    ("notes", ("notes", "comment", "progress", "update")),
]

_RAG_WORDS = {
    "r": "red",
    "red": "red",
    "a": "amber",
    "amber": "amber",
    "g": "green",
    "green": "green",
    "b": "blue",
    "blue": "blue",
    "complete": "blue",
    "completed": "blue",
}
_RESPONSE_WORDS = {
    "agreed": Response.AGREED,
    "agree": Response.AGREED,
    "accepted": Response.AGREED,
    "yes": Response.AGREED,
    "partly agreed": Response.PARTLY,
    "partly": Response.PARTLY,
    "partially agreed": Response.PARTLY,
    "partially": Response.PARTLY,
    "not agreed": Response.NOT_AGREED,
    "disagreed": Response.NOT_AGREED,
    "rejected": Response.NOT_AGREED,
    "no": Response.NOT_AGREED,
}
_LETTERED = re.compile(r"^\s*\(?(\d{1,3})?\s*\.?\s*([a-z]{1,2})\s*[).:]\s+(.*)$", re.S | re.I)
_REF = re.compile(r"^\s*(\d{1,3})?\s*\.?\s*\(?([a-z]{1,2})?\)?\s*\.?$", re.I)
_REC_NUMBER = re.compile(
    r"^\s*(?:rec(?:ommendation)?\.?\s*(?:no\.?)?\s*)?(\d{1,3})\s*\.?\s*$", re.I
)
_REC_WITH_TEXT = re.compile(
    r"^\s*(?:rec(?:ommendation)?\.?\s*)?(\d{1,3})\s*[.):]\s+(.*)$", re.S | re.I
)
_DONE = ("[x]", "✓", "✔", "(done)", "done:", "completed:", "complete:")


class TableError(ValueError):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class Table:
    """A spreadsheet read into text: its header row and the rows under it."""

    file_name: str
    sheet: str
    header_row: int
    headers: list[str]
    rows: list[tuple[int, list[str]]]


Problem = LocatedProblem
"""A problem in a plan: the shared located problem, in the plan style."""


def plan_problem(
    file_name: str, row: int | None, column: str, value: str, message: str
) -> LocatedProblem:
    """A located problem worded as plan imports always have been (``found ‘…’``)."""
    return LocatedProblem(file_name, message, row, column, value, style=PLAN_STYLE)


@dataclass
class ParsedAction:
    row: int
    reference: str
    description: str
    outcome: str = ""
    lead_lines: list[str] = field(default_factory=list)
    lead_people: list[int] = field(default_factory=list)
    lead_organisations: list[int] = field(default_factory=list)
    timescale_text: str = ""
    commence: date | None = None
    completion: date | None = None
    ongoing: bool = False
    review: str = ""
    review_date: date | None = None
    steps: list[tuple[str, bool]] = field(default_factory=list)
    rag: str = ""
    rag_second: str = ""
    notes: str = ""

    @property
    def review_label(self) -> str:
        if self.review:
            return Cadence(self.review).label
        return f"{self.review_date:%B %Y}" if self.review_date else "None"

    @property
    def rag_label(self) -> str:
        """'Amber', 'Amber/Green' for a split rating, '' when not rated."""
        return status_label(self.rag, self.rag_second or None) if self.rag else ""


@dataclass
class ParsedRecommendation:
    number: int
    wording: str
    area: str = ""
    response: str = ""
    response_reason: str = ""
    actions: list[ParsedAction] = field(default_factory=list)


@dataclass
class ParsedPlan:
    recommendations: list[ParsedRecommendation]
    loose_actions: list[ParsedAction]
    errors: list[Problem]
    warnings: list[Problem]

    @property
    def action_count(self) -> int:
        return sum(len(r.actions) for r in self.recommendations) + len(self.loose_actions)


# Reading --------------------------------------------------------------------------


def read_table(file_name: str, data: bytes) -> Table:
    """Read an XLSX (first sheet) or CSV file into a :class:`Table`."""
    suffix = Path(file_name).suffix.lower()
    if not data:
        raise TableError(f"{file_name}: the file is empty")
    if len(data) > MAX_BYTES:
        raise TableError(f"{file_name}: the file must be smaller than 5MB")
    if suffix == ".xlsx":
        sheet, grid = _read_xlsx(file_name, data)
    elif suffix == ".csv":
        sheet, grid = "", _read_csv(file_name, data)
    else:
        raise TableError(f"{file_name}: the file must be an XLSX or CSV spreadsheet")
    if len(grid) > MAX_ROWS:
        raise TableError(f"{file_name}: the file has more than {MAX_ROWS} rows")
    header_index = _find_header(grid)
    if header_index is None:
        raise TableError(f"{file_name}: there is no header row (the file has no text)")
    width = max(len(r) for r in grid)
    if width > MAX_COLUMNS:
        raise TableError(f"{file_name}: the file has more than {MAX_COLUMNS} columns")
    headers = [_clean(v) for v in grid[header_index]]
    headers += [""] * (width - len(headers))
    rows = [
        (i + 1, ([*row, *[""] * width])[:width]) for i, row in enumerate(grid) if i > header_index
    ]
    return Table(file_name, sheet, header_index + 1, headers, rows)


def _read_xlsx(file_name: str, data: bytes) -> tuple[str, list[list[str]]]:
    if not data.startswith(b"PK\x03\x04"):
        raise TableError(f"{file_name}: the file is not a real XLSX spreadsheet")
    try:
        # Streamed, and never more than the rows and columns a plan may have (plus one,
        # to tell a table that is too big): see core.workbooks.read_bounded_sheet.
        sheet = read_bounded_sheet(
            data,
            max_rows=MAX_ROWS + 50,
            max_columns=MAX_COLUMNS + 1,
            absurd_columns=ABSURD_COLUMNS,
            max_expanded_bytes=MAX_EXPANDED_BYTES,
        )
    except SheetRefused as error:
        raise TableError(f"{file_name}: {error}") from error
    except DAMAGED_WORKBOOK_ERRORS as error:
        raise TableError(f"{file_name}: the spreadsheet cannot be opened ({error})") from error
    grid = [_trim([cell_text(v, _clean_cell) for v in row]) for row in sheet.rows]
    while grid and not any(grid[-1]):
        grid.pop()
    return sheet.title, grid


def _read_csv(file_name: str, data: bytes) -> list[list[str]]:
    text = decode_text(data).text  # the shared policy: UTF-8, Windows-1252, latin-1
    if "\x00" in text:
        raise TableError(f"{file_name}: the file is not a CSV text file")
    try:
        grid = [_trim([_clean_cell(c) for c in row]) for row in csv.reader(io.StringIO(text))]
    except csv.Error as error:
        raise TableError(f"{file_name}: the CSV cannot be read ({error})") from error
    while grid and not any(grid[-1]):
        grid.pop()
    return grid


def _trim(row: list[str]) -> list[str]:
    """The row without its empty cells at the end (spreadsheets pad rows out)."""
    while row and not row[-1]:
        row.pop()
    return row


def _clean_cell(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\xa0", " ").strip()


def _clean(text: str) -> str:
    return " ".join(text.split())


def _find_header(grid: list[list[str]]) -> int | None:
    """The first row among the first ten that names known columns; else the first with
    two or more cells; else the first with any text."""
    candidates = [(i, row) for i, row in enumerate(grid[:10]) if any(row)]
    for i, row in candidates:
        if sum(1 for cell in row if _guess(cell)) >= 2:
            return i
    for i, row in candidates:
        if sum(1 for cell in row if cell) >= 2:
            return i
    return candidates[0][0] if candidates else None


def _guess(header: str) -> str:
    lowered = _clean(header).lower()
    if not lowered:
        return ""
    if lowered.rstrip(":") in _PROGRESS_HEADERS:
        return "steps"
    for name, words in _GUESSES:
        if words is _PROGRESS_HEADERS:
            continue
        if any(word in lowered for word in words):
            return name
    return ""


def guess_mapping(headers: Sequence[str]) -> list[str]:
    """A field for each column from its header, each field used at most once."""
    used: set[str] = set()
    mapping = []
    for header in headers:
        name = _guess(header)
        if name in used:
            name = ""
        used.add(name)
        mapping.append(name)
    return mapping


def column_letter(index: int) -> str:
    """0 → 'A', 26 → 'AA'."""
    return letter_for(index).upper()


# Parsing --------------------------------------------------------------------------


class _ReportProblem(Protocol):
    """Records a problem with a cell (an error, or with ``warn`` a warning)."""

    def __call__(
        self, row: int, name: str, value: str, message: str, *, warn: bool = False
    ) -> None: ...


@dataclass
class _Directory:
    """People and organisations leads can be matched to, by lower-cased name."""

    people: dict[str, int]
    organisations: dict[str, int]

    @classmethod
    def for_partnership(cls, partnership: Partnership) -> _Directory:
        orgs = Organisation.objects.filter(partnership=partnership)
        organisations: dict[str, int] = {}
        for org in orgs:
            organisations[org.name.lower()] = org.pk
            organisations[org.slug.lower()] = org.pk
        people = {
            p.full_name.lower(): p.pk
            for p in Person.objects.filter(organisation__partnership=partnership)
        }
        return cls(people, organisations)


def check_mapping(table: Table, mapping: Sequence[str]) -> list[Problem]:
    """Problems with the mapping itself (no action column, a field used twice)."""
    problems = []
    if len(mapping) != len(table.headers):
        return [plan_problem(table.file_name, None, "", "", "Choose a field for every column")]
    seen: dict[str, int] = {}
    for index, name in enumerate(mapping):
        if name and name not in FIELD_LABELS:
            problems.append(
                plan_problem(table.file_name, None, _col(table, index), name, "Unknown field")
            )
        elif name and name in seen:
            problems.append(
                plan_problem(
                    table.file_name,
                    None,
                    _col(table, index),
                    "",
                    f"‘{FIELD_LABELS[name]}’ is chosen for more than one column",
                )
            )
        seen.setdefault(name, index)
    if "action" not in seen:
        problems.append(
            plan_problem(table.file_name, None, "", "", "Choose the column that holds the actions")
        )
    return problems


def _col(table: Table, index: int) -> str:
    header = table.headers[index] if index < len(table.headers) else ""
    return f"{column_letter(index)} ({header})" if header else column_letter(index)


def parse_plan(table: Table, mapping: Sequence[str], partnership: Partnership) -> ParsedPlan:
    """Read the rows under ``mapping`` into recommendations and actions, with problems."""
    errors = check_mapping(table, mapping)
    if errors:
        return ParsedPlan([], [], errors, [])
    directory = _Directory.for_partnership(partnership)
    index = {name: i for i, name in enumerate(mapping) if name}
    warnings: list[Problem] = []
    recs: dict[int, ParsedRecommendation] = {}
    loose: list[ParsedAction] = []
    current: ParsedRecommendation | None = None
    area = ""
    references: dict[str, int] = {}

    def problem(row: int, name: str, value: str, message: str, *, warn: bool = False) -> None:
        col = _col(table, index[name]) if name in index else ""
        (warnings if warn else errors).append(
            plan_problem(table.file_name, row, col, value, message)
        )

    for row_number, cells in table.rows:
        values = {name: cells[i] for name, i in index.items()}
        if not any(values.values()):
            continue
        filled = [(i, c) for i, c in enumerate(cells) if c]
        if _is_heading(filled, values, mapping):
            area = _clean(filled[0][1])
            continue
        if values.get("area"):
            area = _clean(values["area"])
        found = _recommendation_number(row_number, values, current, recs, problem)
        if found is None:
            continue
        number, wording = found
        if number is not None:
            current = _recommendation(number, wording, area, recs)
            _read_response(row_number, values, current, problem)
        if not values.get("action", ""):
            if any(v for k, v in values.items() if k not in _RECOMMENDATION_FIELDS):
                problem(
                    row_number,
                    "action",
                    "",
                    "Enter the action (this row has details but no action)",
                )
            continue
        parsed = _parse_action(row_number, values, current, directory, problem)
        if parsed is None:
            continue
        if parsed.reference in references:
            problem(
                row_number,
                "action_ref" if "action_ref" in index else "action",
                parsed.reference,
                f"Action {parsed.reference} appears twice (first on row "
                f"{references[parsed.reference]})",
            )
            continue
        references[parsed.reference] = row_number
        (current.actions if current else loose).append(parsed)
        _warn_unknown_leads(row_number, parsed, directory, problem)
    errors.extend(_plan_problems(table, index, recs, loose, errors))
    return ParsedPlan(sorted(recs.values(), key=lambda r: r.number), loose, errors, warnings)


_RECOMMENDATION_FIELDS = {"rec_number", "recommendation", "area", "response", "response_reason"}
"""Fields a row may fill without an action (they belong to its recommendation)."""


def _is_heading(
    filled: list[tuple[int, str]], values: dict[str, str], mapping: Sequence[str]
) -> bool:
    """A heading row: one cell of text, not a recommendation number, no action."""
    return (
        len(filled) == 1
        and not values.get("action")
        and mapping[filled[0][0]] in {"", "rec_number", "area", "recommendation"}
        and not _REC_NUMBER.match(filled[0][1])
        and not _REC_WITH_TEXT.match(filled[0][1])
        and mapping[filled[0][0]] != "recommendation"
    )


def _recommendation_number(
    row: int,
    values: dict[str, str],
    current: ParsedRecommendation | None,
    recs: dict[int, ParsedRecommendation],
    problem: _ReportProblem,
) -> tuple[int | None, str] | None:
    """The row's recommendation number (``None``: the row continues the current one)
    and wording; ``None`` when the number cannot be read (the problem is reported)."""
    number: int | None = None
    wording = values.get("recommendation", "")
    if raw := values.get("rec_number", ""):
        if m := _REC_NUMBER.match(raw):
            number = int(m[1])
        elif m2 := _REC_WITH_TEXT.match(raw):
            number, wording = int(m2[1]), wording or m2[2].strip()
        else:
            problem(row, "rec_number", raw, "Recommendation number must be a number")
            return None
    elif wording and (m := _REC_WITH_TEXT.match(wording)):
        number, wording = int(m[1]), m[2].strip()
    elif wording and (current is None or wording != current.wording):
        number = max(recs, default=0) + 1
    return number, wording


def _recommendation(
    number: int, wording: str, area: str, recs: dict[int, ParsedRecommendation]
) -> ParsedRecommendation:
    """Recommendation ``number``, created under ``area`` when it is new."""
    if number in recs:
        current = recs[number]
        if wording and not current.wording:
            current.wording = wording
        return current
    recs[number] = ParsedRecommendation(number=number, wording=wording, area=area)
    return recs[number]


def _read_response(
    row: int, values: dict[str, str], current: ParsedRecommendation, problem: _ReportProblem
) -> None:
    if resp := values.get("response", ""):
        chosen = _RESPONSE_WORDS.get(_clean(resp).lower().rstrip("."))
        if chosen is None:
            problem(row, "response", resp, "Response must be agreed, partly agreed or not agreed")
        else:
            current.response = chosen
    if reason := values.get("response_reason", ""):
        current.response_reason = reason


def _warn_unknown_leads(
    row: int, action: ParsedAction, directory: _Directory, problem: _ReportProblem
) -> None:
    for line in action.lead_lines:
        if line.lower() not in directory.people and line.lower() not in directory.organisations:
            problem(
                row,
                "lead",
                line,
                "Lead is not a person or organisation in Saferboard: kept as written",
                warn=True,
            )


def _plan_problems(
    table: Table,
    index: dict[str, int],
    recs: dict[int, ParsedRecommendation],
    loose: list[ParsedAction],
    errors: list[Problem],
) -> list[Problem]:
    """Problems with the plan as a whole: no actions, or actions before any recommendation."""
    if not recs and not loose and not errors:
        return [plan_problem(table.file_name, None, "", "", "The file has no actions")]
    if recs and loose:
        return [
            plan_problem(
                table.file_name,
                action.row,
                _col(table, index["action"]),
                action.description[:80],
                "Action comes before any recommendation",
            )
            for action in loose
        ]
    return []


def _parse_action(
    row: int,
    values: dict[str, str],
    current: ParsedRecommendation | None,
    directory: _Directory,
    problem: _ReportProblem,
) -> ParsedAction | None:
    referenced = _action_reference(row, values, current, problem)
    if referenced is None:
        return None
    reference, text = referenced
    action = ParsedAction(row=row, reference=reference, description=text.strip())
    action.outcome = values.get("outcome", "")
    action.notes = values.get("notes", "")
    action.lead_lines = split_leads(values.get("lead", ""))
    for line in action.lead_lines:
        if (pk := directory.people.get(line.lower())) is not None:
            action.lead_people.append(pk)
        elif (pk := directory.organisations.get(line.lower())) is not None:
            action.lead_organisations.append(pk)
    _read_timescale(row, values, action, problem)
    # Each reader reports its problem and says whether the action can be kept; the
    # first that cannot stops the row (as a person fixes one cell at a time).
    readers = (_read_dates, _read_review, _check_date_order, _read_rag)
    if not all(read(row, values, action, problem) for read in readers):
        return None
    action.steps = _read_steps(values.get("steps", ""))
    return action


def _action_reference(
    row: int,
    values: dict[str, str],
    current: ParsedRecommendation | None,
    problem: _ReportProblem,
) -> tuple[str, str] | None:
    """The action's reference ("3b", or "A12" for a loose action) and its text without
    any lettering; ``None`` when its number contradicts its recommendation."""
    text = values["action"]
    number = current.number if current else None
    letter = ""
    if m := _LETTERED.match(text):
        if m[1] and number is not None and int(m[1]) != number:
            problem(
                row, "action", text[:40], f"Action is numbered {m[1]} under recommendation {number}"
            )
            return None
        letter, text = m[2].lower(), m[3].strip()
    if raw := values.get("action_ref", ""):
        m = _REF.match(raw)
        if not m or not (m[1] or m[2]):
            problem(row, "action_ref", raw, "Action number must be like 1a, a or 3")
            return None
        if m[1] and number is not None and int(m[1]) != number:
            problem(
                row, "action_ref", raw, f"Action is numbered {m[1]} under recommendation {number}"
            )
            return None
        letter = (m[2] or "").lower() or letter
        if not m[2] and number is None:
            letter = m[1]
    if current is not None:
        return f"{number}{letter or letter_for(len(current.actions))}", text
    reference = letter.upper() if letter and letter.isdigit() else ""
    return reference or f"A{row}", text


def _read_timescale(
    row: int, values: dict[str, str], action: ParsedAction, problem: _ReportProblem
) -> None:
    if timescale := values.get("timescale", ""):
        parsed = parse_timescale(timescale)
        action.timescale_text = timescale
        action.commence, action.completion = parsed.commence, parsed.completion
        action.ongoing = parsed.ongoing
        action.review = parsed.review.value if parsed.review else ""
        action.review_date = parsed.review_date
        for message in parsed.problems:
            problem(row, "timescale", timescale, f"{message}: kept as written", warn=True)


def _read_dates(
    row: int, values: dict[str, str], action: ParsedAction, problem: _ReportProblem
) -> bool:
    for name, end in (("commence", False), ("completion", True)):
        if raw := values.get(name, ""):
            if name == "completion" and raw.lower().strip(" .") in {"ongoing", "on-going"}:
                action.ongoing = True
                continue
            day = parse_date(raw, end_of_month=end)
            if day is None:
                problem(
                    row,
                    name,
                    raw,
                    f"{FIELD_LABELS[name]} must be a date like September 2015 or 30/09/2015",
                )
                return False
            setattr(action, name, day)
    return True


def _read_review(
    row: int, values: dict[str, str], action: ParsedAction, problem: _ReportProblem
) -> bool:
    if raw := values.get("review", ""):
        cadence = parse_cadence(raw)
        # "Review: June 2016" (or just "June 2016") is a review date, not a cadence.
        dated = parse_date(re.sub(r"^\s*review\s*(?:date)?\s*:?", "", raw, flags=re.I))
        if cadence is not None:
            action.review = Cadence(cadence).value
        elif dated is not None:
            action.review_date = dated
        else:
            problem(
                row,
                "review",
                raw,
                "Review must be a cadence (monthly, quarterly, six-monthly, annually) "
                "or a date like June 2016",
            )
            return False
    return True


def _check_date_order(
    row: int, values: dict[str, str], action: ParsedAction, problem: _ReportProblem
) -> bool:
    if action.commence and action.completion and action.completion < action.commence:
        problem(
            row,
            "completion" if "completion" in values else "timescale",
            str(action.completion),
            "Completion date is before the commence date",
        )
        return False
    return True


def _read_rag(
    row: int, values: dict[str, str], action: ParsedAction, problem: _ReportProblem
) -> bool:
    if raw := values.get("rag", ""):
        rag = parse_rag_cell(raw)
        if rag is None:
            problem(row, "rag", raw, "RAG status must be Red, Amber, Green or Blue")
            return False
        action.rag, action.rag_second = rag
    return True


def _read_steps(raw: str) -> list[tuple[str, bool]]:
    """Progress steps, one a line, each with whether it is marked done."""
    steps: list[tuple[str, bool]] = []
    for line in raw.split("\n"):
        line = line.strip(" •-*")
        if not line:
            continue
        done = line.lower().startswith(_DONE)
        for mark in _DONE:
            if line.lower().startswith(mark):
                line = line[len(mark) :].strip()
        if not line:
            continue
        steps.append((line, done))
    return steps


def parse_rag_cell(text: str) -> tuple[str, str] | None:
    """('amber', '') for "Amber", ('amber', 'green') for a split "Amber/Green" (also
    "A/G", "Amber - Green"); ``None`` when the cell is not a RAG status."""
    words = [w for w in re.split(r"\s*[/\\–-]\s*|\s+to\s+", _clean(text).lower().rstrip(".")) if w]
    statuses = [_RAG_WORDS.get(w) for w in words]
    if not statuses or len(statuses) > 2 or any(s is None for s in statuses):
        return None
    first, second = statuses[0] or "", statuses[1] if len(statuses) == 2 else ""
    if first == second:
        second = ""
    return first, second or ""


def split_leads(text: str) -> list[str]:
    """The leads in a cell, one per line or separated by ';' — but never split inside
    brackets: "YOS Management Team (Name; Name)" is one lead, as the plan wrote it."""
    leads: list[str] = []
    current: list[str] = []
    depth = 0
    for char in text:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(depth - 1, 0)
        if char == "\n" or (char == ";" and depth == 0):
            leads.append("".join(current))
            current = []
            if char == "\n":
                depth = 0  # a new line starts a new lead, whatever the brackets
            continue
        current.append(char)
    leads.append("".join(current))
    cleaned = (" ".join(lead.split()).strip(" •-*;,") for lead in leads)
    return [lead for lead in cleaned if lead]


# Committing -----------------------------------------------------------------------


def commit_plan(
    parsed: ParsedPlan,
    *,
    partnership: Partnership,
    title: str,
    kind: str,
    owner: Organisation,
    user: User,
    file_name: str,
) -> ActionPlan:
    """Create the plan from ``parsed``: everything or, on any error, nothing
    (:class:`~saferboard.core.importing.pipeline.ImportRefused`, a ``ValueError``)."""
    return run_import(_PlanImport(parsed, partnership, title, kind, owner, user, file_name))


@dataclass
class _PlanImport:
    """The plan import's steps in the shared pipeline (core.importing.pipeline)."""

    parsed: ParsedPlan
    partnership: Partnership
    title: str
    kind: str
    owner: Organisation
    user: User
    file_name: str

    def check(self) -> list[Problem]:
        return self.parsed.errors

    def stage(self) -> ParsedPlan:
        return self.parsed  # parse_plan has already worked out every row

    def commit(self, staged: ParsedPlan) -> ActionPlan:
        plan = ActionPlan.objects.create(
            partnership=self.partnership, kind=self.kind, title=self.title, owner=self.owner
        )
        reason = f"Imported from {self.file_name}"
        for rec in staged.recommendations:
            recommendation = Recommendation.objects.create(
                plan=plan,
                number=rec.number,
                area=rec.area,
                wording=rec.wording,
                response=rec.response,
                response_reason=rec.response_reason,
            )
            for action in rec.actions:
                _create_action(plan, recommendation, action, self.user, reason)
        for action in staged.loose_actions:
            _create_action(plan, None, action, self.user, reason)
        return plan

    def provenance(self, result: ActionPlan) -> None:
        """Nothing beyond the audit entry: the file name is recorded there and in each
        action's first RAG reason ("Imported from ...")."""

    def audit(self, result: ActionPlan) -> None:
        audit.record(
            AuditAction.IMPORT,
            actor=self.user,
            obj=result,
            what="action plan import",
            file=self.file_name,
            recommendations=len(self.parsed.recommendations),
            actions=self.parsed.action_count,
        )

    def refresh(self, result: ActionPlan) -> None:
        """Nothing derived to recompute: plan pages read the actions directly."""


def _create_action(
    plan: ActionPlan,
    recommendation: Recommendation | None,
    parsed: ParsedAction,
    user: User,
    reason: str,
) -> Action:
    action = add_action(
        plan,
        recommendation=recommendation,
        reference=parsed.reference,
        description=parsed.description,
        intended_outcome=parsed.outcome,
        lead_people=Person.objects.filter(pk__in=parsed.lead_people),
        lead_organisations=Organisation.objects.filter(pk__in=parsed.lead_organisations),
        lead_text="\n".join(parsed.lead_lines),
        commence_date=parsed.commence,
        completion_date=parsed.completion,
        ongoing=parsed.ongoing,
        review_cadence=parsed.review,
        review_date=parsed.review_date,
        timescale_text=parsed.timescale_text,
        notes=parsed.notes,
        steps=[text for text, _ in parsed.steps],
    )
    for step, (_, done) in zip(action.steps.order_by("position"), parsed.steps, strict=True):
        if done:
            step.done = True
            step.save(update_fields=["done"])
    if parsed.rag:
        rating = RagAssessment(
            status=parsed.rag, second_status=parsed.rag_second or None, reason=reason
        )
        record_rag(action, rating, actor=user)
    return action
