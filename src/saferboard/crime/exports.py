"""The dashboard table as CSV and XLSX downloads.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return)
as a formula, so every text cell that does is prefixed with a single quote. Numbers
are written as numbers.
"""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from saferboard.core.spreadsheet_cells import safe_cell
from saferboard.crime.dashboard import Dashboard

HEADERS = [
    "Measure",
    "Measure identifier",
    "Rolling year from",
    "Rolling year to",
    "Rolling year count",
    "Previous year count",
    "Change",
    "Change %",
    "RAG",
    "RAG rule",
    "Significant change (5%)",
    "p-value",
    "Rate per 1,000 residents",
    "Rank on count",
    "Areas ranked",
    "Complete",
    "Missing months",
    "RAG reason",
]


def rows(board: Dashboard) -> list[list[object]]:
    out: list[list[object]] = []
    for m in board.measures:
        missing = m.missing_previous + m.missing_current
        out.append(
            [
                m.label,
                m.measure,
                board.comparison.current.first,
                board.comparison.current.last,
                m.current,
                m.previous,
                m.change,
                None if m.change_pct is None else round(m.change_pct, 4),
                # The stored rating ('amber/green' for a split judgement) and the rule
                # version that set it: the observation's, never worked out here.
                m.rating.label.lower() if m.rating else "none",
                m.rule,
                {True: "yes", False: "no", None: ""}[m.significant],
                None if m.p_value is None else round(m.p_value, 6),
                None if m.rate_per_1000 is None else round(m.rate_per_1000, 4),
                m.rank.get("count"),
                m.peers_ranked or None,
                "yes" if m.complete else "no",
                " ".join(missing),
                m.rag_reason,
            ]
        )
    return out


def title(board: Dashboard) -> str:
    return (
        f"{board.area.name} ({board.area.code}) crime dashboard, {board.source}, "
        f"rolling year to {board.to}"
    )


def to_csv(board: Dashboard) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(title(board))])
    writer.writerow([safe_cell(h) for h in HEADERS])
    for row in rows(board):
        writer.writerow([safe_cell("" if v is None else v) for v in row])
    return buffer.getvalue()


def to_xlsx(board: Dashboard) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Dashboard"
    sheet.append([safe_cell(title(board))])
    sheet["A1"].font = Font(bold=True)
    sheet.append([safe_cell(h) for h in HEADERS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(board):
        sheet.append([safe_cell(v) for v in row])
    notes = book.create_sheet("Notes")
    for note in board.notes:
        notes.append([safe_cell(note)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
