"""CSV and XLSX downloads of the aggregate tables, safe to open in a spreadsheet.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would
be run as a formula by Excel or LibreOffice (CSV/formula injection), so it is written
with a leading apostrophe. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from saferboard.core.rag import NOT_RATED_LABEL
from saferboard.core.spreadsheet_cells import safe_cell
from saferboard.youthjustice.breakdowns import (
    DISPROPORTIONALITY_MEASURES,
    Cell,
    DisproportionalityRow,
    GroupRow,
)
from saferboard.youthjustice.definitions import COUNTS
from saferboard.youthjustice.report import PerformanceReport, PeriodRow

SUPPRESSED = "[c]"
# Any value (numbers pass through): the name the tests and callers know it by.
safe_text = safe_cell


def _cell(cell: Cell | None) -> Any:
    if cell is None:
        return None
    if cell.suppressed:
        return SUPPRESSED
    return cell.value


def kpi_rows(report: PerformanceReport) -> tuple[list[str], list[list[Any]]]:
    """One row per year and quarter: the counts, each indicator with its stored rating
    (status, reason, rule version) and rank, as the page shows them."""
    header = ["Service", "Period type", "Period", "From", "To"]
    header += [label for _, label, _, _ in COUNTS]
    header += [kpi.label for kpi in report.kpis]
    for kpi in report.kpis:
        header += [f"{kpi.label}: {part}" for part in RATING_COLUMNS]
    header += ["Population aged 10-17", "Reoffending cohort method", "Provisional", "Data to"]
    rows = []
    for kind, period_rows in (("Year", report.years), ("Quarter", report.quarters)):
        for row in period_rows:
            ratings: list[Any] = []
            for kpi in report.kpis:
                ratings += _rating(row, kpi.key)
            rows.append(
                [
                    report.service.name,
                    kind,
                    row.period.label,
                    row.period.start.isoformat(),
                    row.period.end.isoformat(),
                    *[_cell(row.cells[key]) for key, _, _, _ in COUNTS],
                    *[_cell(row.cells[kpi.key]) for kpi in report.kpis],
                    *ratings,
                    row.population,
                    report.kind,
                    "yes" if row.provisional else "no",
                    report.data_to.isoformat() if report.data_to else "",
                ]
            )
    return header, rows


RATING_COLUMNS = ("RAG", "RAG reason", "Rule", "Rank")


def _rating(row: PeriodRow, key: str) -> list[Any]:
    """The stored rating and rank of one indicator (blank when suppressed: a rating or
    rank of a suppressed figure would hint at it)."""
    obs = row.figures.get(key)
    if obs is None or row.cells[key].suppressed:
        return ["", "", "", ""]
    rag = obs.rag
    rank = (
        f"{obs.rank} of {obs.peer_group_size} ({obs.peer_group})"
        if obs.rank and obs.peer_group_size
        else ""
    )
    if rag is None:
        return [NOT_RATED_LABEL, "", "", rank]
    return [rag.label, rag.reason, obs.rag_rule, rank]


def breakdown_rows(
    service: str, dimension_label: str, period: str, rows: Sequence[GroupRow]
) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Service",
        "Period",
        dimension_label,
        "First time entrants",
        "First time entrants per 100,000",
        "Custodial sentences",
        "Custody per 1,000",
        "Reoffending cohort",
        "Reoffenders",
        "Reoffences",
        "Binary reoffending rate (%)",
        "Reoffences per child in the cohort",
        "Population aged 10-17",
    ]
    body = [
        [
            service,
            period,
            r.group,
            _cell(r.fte),
            _cell(r.fte_rate_per_100k),
            _cell(r.custody),
            _cell(r.custody_rate_per_1000),
            _cell(r.cohort),
            _cell(r.reoffenders),
            _cell(r.reoffences),
            _cell(r.binary_rate_pct),
            _cell(r.frequency_rate),
            r.population,
        ]
        for r in rows
    ]
    return header, body


def disproportionality_rows(
    service: str, period: str, rows: Sequence[DisproportionalityRow]
) -> tuple[list[str], list[list[Any]]]:
    header = [
        "Service",
        "Period",
        "Measure",
        "Ethnic group",
        "Count",
        "Total of known ethnicity",
        "Share (%)",
        "Population aged 10-17",
        "Population share (%)",
        "Representation ratio",
        "Rate",
        "Rate definition",
        "Relative rate index (vs White)",
    ]
    body = [
        [
            service,
            period,
            DISPROPORTIONALITY_MEASURES[r.measure][0],
            r.group,
            _cell(r.count),
            r.known_total,
            _cell(r.share_pct),
            r.population,
            _cell(r.population_share_pct),
            _cell(r.representation_ratio),
            _cell(r.rate),
            DISPROPORTIONALITY_MEASURES[r.measure][1],
            _cell(r.relative_rate_index),
        ]
        for r in rows
    ]
    return header, body


def to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow(["" if v is None else safe_text(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(title: str, header: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([safe_text(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_text(v) for v in row])
    # openpyxl would store any string starting with "=" as a formula: force text type.
    for row_cells in sheet.iter_rows(min_row=1):
        for cell in row_cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
