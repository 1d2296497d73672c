"""Inspection ratings: reading HMI Probation's published youth justice ratings, and
comparing ours with other services', standard by standard (pure, except
:func:`import_published` which stores a checked file all or nothing).

The published file (data-to-insight's scrape of HMI Probation's reports) has one row
per inspection: ``la_name, la_ref, score_%, overall_rating, publication_date,
report_url`` and then one column per standard, blank where the framework of the day
did not rate it.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Protocol

from saferboard.actions.importing import Problem, column_letter, plan_problem
from saferboard.actions.models import Judgement
from saferboard.core.importing.reading import decode_text

# The standards HMI Probation rates youth justice services on, as the file's columns
# name them, with the words a page shows. The order is the report's, by domain.
HMI_STANDARDS: list[tuple[str, str]] = [
    ("governance_and_leadership", "Governance and leadership"),
    ("staff", "Staff"),
    ("partnerships_and_services", "Partnerships and services"),
    ("information_and_facilities", "Information and facilities"),
    ("assessment", "Assessment"),
    ("planning", "Planning"),
    ("implementation_and_delivery", "Implementation and delivery"),
    ("reviewing", "Reviewing"),
    ("outofcourt_disposal_policy_and_provision", "Out-of-court disposal policy and provision"),
    ("policy_and_provision", "Policy and provision"),
    ("resettlement_policy_and_provision", "Resettlement policy and provision"),
    ("joint_working", "Joint working"),
]
STANDARD_LABELS = dict(HMI_STANDARDS)
REQUIRED_COLUMNS = ["la_name", "la_ref", "overall_rating", "publication_date"]
OPTIONAL_COLUMNS = ["score_%", "report_url"]
JUDGEMENTS = [j.value for j in Judgement]
_JUDGEMENT_WORDS = {j.lower(): j for j in JUDGEMENTS}
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000


def standard_key(label: str) -> str:
    """'1.1 Governance and leadership' → 'governance_and_leadership' (matches the file's
    columns, so our ratings line up with the published ones)."""
    words = label.strip().lower().replace("-", "").replace("&", "and").split()
    if words and words[0].replace(".", "").isdigit():
        words = words[1:]
    return "_".join(words)


def judgement(text: str) -> str | None:
    """The inspectorate's word for ``text`` ('Requires Improvement' → 'Requires
    improvement'); ``None`` if it is not one of the four."""
    return _JUDGEMENT_WORDS.get(" ".join(text.split()).lower())


@dataclass(frozen=True)
class PublishedRow:
    """One published inspection, read and checked."""

    row: int
    service_ref: str
    service_name: str
    published_on: date
    overall: str  # '' where the file gives no overall rating
    score_percent: Decimal | None = None
    report_url: str = ""
    ratings: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReadResult:
    rows: list[PublishedRow]
    problems: list[Problem]


def parse_published_date(text: str) -> date | None:
    """'07/01/25' or '07/01/2025' (day first, as the file writes them) or '2025-01-07'."""
    text = text.strip()
    for pattern in ("%d/%m/%y", "%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def read_published_ratings(file_name: str, data: bytes) -> ReadResult:
    """Read and check the whole file; every problem names its row and column. A file
    with any problem imports nothing (the caller checks ``problems``)."""
    problems: list[Problem] = []

    def problem(row: int | None, column: str, value: str, message: str) -> None:
        problems.append(plan_problem(file_name, row, column, value, message))

    grid = _read_grid(data, problem)
    if grid is None:
        return ReadResult([], problems)
    headers = [h.strip() for h in grid[0]]
    where = {name: i for i, name in enumerate(headers)}
    rows: list[PublishedRow] = []
    seen: dict[tuple[str, date], int] = {}
    for number, cells in enumerate(grid[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        cells = [c.strip() for c in cells] + [""] * (len(headers) - len(cells))
        if len(cells) > len(headers):
            problem(number, "", "", f"The row has {len(cells)} cells, the header {len(headers)}")
            continue
        value = {name: cells[i] for name, i in where.items()}
        before = len(problems)
        read = _read_row(number, value, where, problem)
        if len(problems) > before or read is None:
            continue
        if (read.service_ref, read.published_on) in seen:
            problem(
                number,
                _col(where, "la_ref"),
                read.service_ref,
                f"The inspection of {read.service_ref} published "
                f"{read.published_on:%d/%m/%Y} is also on row "
                f"{seen[(read.service_ref, read.published_on)]}",
            )
            continue
        seen[(read.service_ref, read.published_on)] = number
        rows.append(read)
    if not rows and not problems:
        problem(None, "", "", "The file has no inspections")
    return ReadResult(rows, problems)


class _Report(Protocol):
    def __call__(self, row: int | None, column: str, value: str, message: str) -> None: ...


def _read_grid(data: bytes, problem: _Report) -> list[list[str]] | None:
    """The file's cells, or ``None`` with the one problem that refuses the whole file."""
    if not data:
        problem(None, "", "", "The file is empty")
        return None
    if len(data) > MAX_BYTES:
        problem(None, "", "", "The file must be under 2MB")
        return None
    try:
        # Only UTF-8: the published file is written by a script, never by Excel.
        text = decode_text(data, encodings=("utf-8-sig",)).text
    except UnicodeDecodeError:
        problem(None, "", "", "The file is not UTF-8 text")
        return None
    grid = list(csv.reader(io.StringIO(text)))
    if not grid:
        problem(None, "", "", "The file is empty")
        return None
    headers = [h.strip() for h in grid[0]]
    missing = [c for c in REQUIRED_COLUMNS if c not in headers]
    if missing:
        problem(1, "", "", f"The header row has no column {', '.join(missing)}")
        return None
    if not any(key in headers for key, _ in HMI_STANDARDS):
        problem(1, "", "", "The header row names none of HMI Probation's standards")
        return None
    if len(grid) > MAX_ROWS + 1:
        problem(None, "", "", f"The file has more than {MAX_ROWS} rows")
        return None
    return grid


def _col(where: Mapping[str, int], name: str) -> str:
    return f"{column_letter(where[name])} ({name})"


def _read_row(
    number: int, value: Mapping[str, str], where: Mapping[str, int], problem: _Report
) -> PublishedRow | None:
    """One inspection, with every problem in its row reported (``None`` if unusable)."""
    name, ref = value["la_name"], value["la_ref"]
    if not name:
        problem(number, _col(where, "la_name"), "", "Enter the service's name")
    if not ref:
        problem(number, _col(where, "la_ref"), "", "Enter the service's reference")
    published = parse_published_date(value["publication_date"])
    if published is None:
        problem(
            number,
            _col(where, "publication_date"),
            value["publication_date"],
            "Publication date must be a date like 07/01/25",
        )
    # A blank overall rating is "not given"; anything else must be a judgement.
    overall = judgement(value["overall_rating"]) if value["overall_rating"] else ""
    if overall is None:
        problem(
            number,
            _col(where, "overall_rating"),
            value["overall_rating"],
            "Overall rating must be Outstanding, Good, Requires improvement or Inadequate",
        )
    score: Decimal | None = None
    if raw := value.get("score_%", ""):
        try:
            score = Decimal(raw)
        except InvalidOperation:
            score = None
        if score is None or not Decimal(0) <= score <= Decimal(100):
            problem(number, _col(where, "score_%"), raw, "Score must be a percentage from 0 to 100")
    url = value.get("report_url", "")
    if url and not url.startswith("https://"):
        problem(number, _col(where, "report_url"), url, "Report address must start with https://")
    ratings = _read_ratings(number, value, where, problem)
    if published is None or overall is None:
        return None
    return PublishedRow(
        row=number,
        service_ref=ref,
        service_name=name,
        published_on=published,
        overall=overall,
        score_percent=score,
        report_url=url,
        ratings=ratings,
    )


def _read_ratings(
    number: int, value: Mapping[str, str], where: Mapping[str, int], problem: _Report
) -> dict[str, str]:
    ratings: dict[str, str] = {}
    for key, _ in HMI_STANDARDS:
        raw = value.get(key, "")
        if not raw:
            continue
        rated = judgement(raw)
        if rated is None:
            problem(
                number,
                _col(where, key),
                raw,
                "Rating must be Outstanding, Good, Requires improvement or Inadequate",
            )
        else:
            ratings[key] = rated
    return ratings


@dataclass(frozen=True)
class StandardComparison:
    """One standard: our rating beside how the other services were rated."""

    key: str
    label: str
    ours: str
    counts: dict[str, int]
    rated: int

    def sentence(self) -> str:
        """'Ours: Good. Of 60 other services rated: 10 Outstanding, 35 Good, …'."""
        spread = ", ".join(f"{self.counts[j]} {j}" for j in JUDGEMENTS)
        mine = f"Ours: {self.ours}." if self.ours else "Not rated in ours."
        return f"{mine} Of {self.rated} other services rated: {spread}"


def compare(
    ours: Mapping[str, str],
    others: Iterable[Mapping[str, str]],
    standards: Sequence[tuple[str, str]] = HMI_STANDARDS,
) -> list[StandardComparison]:
    """For each standard (ours keyed as :func:`standard_key` gives), our rating and the
    count of each judgement among ``others`` (each a standard → judgement mapping).
    Standards neither we nor any other service were rated on are left out."""
    others = list(others)
    result = []
    for key, label in standards:
        tally = Counter(o[key] for o in others if o.get(key))
        counts = {j: tally.get(j, 0) for j in JUDGEMENTS}
        rated = sum(counts.values())
        mine = ours.get(key, "")
        if rated or mine:
            result.append(StandardComparison(key, label, mine, counts, rated))
    return result
