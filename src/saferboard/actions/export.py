"""Exporting a plan to XLSX and DOCX from plain data (no request, so packs can reuse it)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from saferboard.actions.models import Action, ActionPlan
from saferboard.actions.rollup import RagCounts
from saferboard.actions.services import plan_summary
from saferboard.core import docx_writer
from saferboard.core.rag import NOT_RATED_LABEL, RagAssessment
from saferboard.core.spreadsheet_cells import safe_cell, safe_text

if TYPE_CHECKING:
    pass

COLUMNS = [
    ("Recommendation", 40),
    ("Response", 14),
    ("Action", 8),
    ("Description", 45),
    ("Intended outcome", 35),
    ("Lead", 25),
    ("Timescale", 30),
    ("RAG", 10),
    ("Status", 10),
    ("Latest update", 45),
]


@dataclass(frozen=True)
class PlanRow:
    recommendation: str
    response: str
    reference: str
    description: str
    outcome: str
    leads: str
    timescale: str
    rag: str
    status: str
    latest_update: str


@dataclass(frozen=True)
class PlanDocument:
    title: str
    kind: str
    owner: str
    as_at: date
    counts: RagCounts
    rows: list[PlanRow]


def plan_document(plan: ActionPlan, as_at: date) -> PlanDocument:
    """The plan as plain rows, one per action, in plan order."""
    rows = []
    actions = plan.actions.select_related("recommendation").prefetch_related(
        "lead_people", "lead_organisations", "updates"
    )
    for action in actions:
        rec = action.recommendation
        updates = [u for u in action.updates.all() if u.kind == "update"]
        timescale = action.timescale_text or _timescale(action)
        rows.append(
            PlanRow(
                recommendation=f"{rec.number}. {rec.wording}" if rec else "",
                response=rec.get_response_display() if rec else "",
                reference=action.reference,
                description=action.description,
                outcome=action.intended_outcome,
                leads="\n".join(action.leads_display()),
                timescale=timescale,
                rag=RagAssessment(action.rag_status, action.rag_second_status or None).label
                if action.rag_status
                else NOT_RATED_LABEL,
                status=action.get_status_display(),
                latest_update=updates[-1].text if updates else "",
            )
        )
    return PlanDocument(
        title=plan.title,
        kind=plan.get_kind_display(),
        owner=plan.owner.name,
        as_at=as_at,
        counts=plan_summary(plan, as_at).counts,
        rows=rows,
    )


def _timescale(action: Action) -> str:
    from saferboard.actions.timescale import format_timescale

    return format_timescale(
        action.commence_date,
        action.completion_date,
        action.ongoing,
        action.cadence,
        action.review_date,
    )


def to_xlsx(doc: PlanDocument) -> bytes:
    """One sheet: a title, the roll-up sentence, then a row per action."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Action plan"
    sheet.append([safe_cell(doc.title)])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            safe_text(
                f"{doc.kind}, owned by {doc.owner}. "
                f"As at {doc.as_at:%-d %B %Y}: {doc.counts.sentence()}"
            )
        ]
    )
    sheet.append([])
    sheet.append([name for name, _ in COLUMNS])
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in doc.rows:
        sheet.append(
            [
                safe_cell(v)
                for v in (
                    row.recommendation,
                    row.response,
                    row.reference,
                    row.description,
                    row.outcome,
                    row.leads,
                    row.timescale,
                    row.rag,
                    row.status,
                    row.latest_update,
                )
            ]
        )
    for index, (_, width) in enumerate(COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cells in sheet.iter_rows(min_row=5):
        for cell in cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A5"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_docx(doc: PlanDocument) -> bytes:
    """A Word document with real headings and a table per recommendation."""
    document = docx_writer.new_document(font_size=10)
    document.add_heading(doc.title, level=1)
    document.add_paragraph(
        f"{doc.kind}, owned by {doc.owner}. As at {doc.as_at:%-d %B %Y}: {doc.counts.sentence()}."
    )
    current = None
    table = None
    for row in doc.rows:
        if row.recommendation != current or table is None:
            current = row.recommendation
            if current:
                document.add_heading(f"Recommendation {current}", level=2)
                if row.response:
                    document.add_paragraph(f"Response: {row.response}")
            table = docx_writer.header_table(
                document,
                ("Action", "Description and outcome", "Lead", "Timescale", "RAG", "Latest update"),
            )
        cells = table.add_row().cells
        description = row.description + (f"\nOutcome: {row.outcome}" if row.outcome else "")
        values = (
            row.reference,
            description,
            row.leads,
            row.timescale,
            f"{row.rag} ({row.status.lower()})",
            row.latest_update,
        )
        for cell, text in zip(cells, values, strict=True):
            cell.text = text
    return docx_writer.to_bytes(document)
