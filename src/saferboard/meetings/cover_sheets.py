"""A paper's report cover sheet: what it is for, what it asks and what it implies.

The clerk fills it in on the paper's page. In the board pack it is the paper's first
page (PDF and DOCX, and first in the web pack); a paper without one prints as before.
:class:`CoverSheetPage` is the pack block: its own template for the web and PDF, and
:meth:`CoverSheetPage.docx_blocks` for the Word writer, followed by a page break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django.db import transaction
from django.http import HttpRequest

from saferboard.core.audit import record_change, snapshot
from saferboard.core.models import User
from saferboard.meetings.models import AgendaItem, CoverSheet, Purpose
from saferboard.reports.sections import Block, Heading, Paragraph

FIELDS = (
    "report_number",
    "author",
    "purpose",
    "summary",
    "recommendations",
    "financial",
    "legal",
    "equalities",
    "children",
    "background_papers",
)
IMPLICATIONS = (
    ("financial", "Financial"),
    ("legal", "Legal"),
    ("equalities", "Equalities"),
    ("children", "Children and young people"),
)
NONE_IDENTIFIED = "None identified."


@dataclass(frozen=True)
class CoverSheetPage(Block):
    """The cover sheet as a pack block (a page of its own before the paper)."""

    title: str
    report_number: str
    author: str
    purpose: str  # 'For decision'
    summary: str
    recommendations: tuple[str, ...]
    implications: tuple[tuple[str, str], ...]  # ('Financial', 'None identified.')
    background_papers: tuple[str, ...]
    template: ClassVar[str] = "meetings/pack/cover_sheet.html"
    page_break_after: ClassVar[bool] = True

    def details(self) -> tuple[tuple[str, str], ...]:
        rows = [("Report number", self.report_number)] if self.report_number else []
        return (*rows, ("Author", self.author), ("Purpose", self.purpose))

    def docx_blocks(self) -> tuple[Block, ...]:
        """The same content as Word headings, a table and paragraphs."""
        blocks: list[Block] = [
            Heading("Report cover sheet", level=3),
            *(Paragraph(f"{label}: {value}") for label, value in self.details()),
            Heading("Summary", level=4),
            Paragraph(self.summary),
            Heading("Recommendations", level=4),
        ]
        if self.recommendations:
            blocks += [Paragraph(f"{n}. {r}") for n, r in enumerate(self.recommendations, 1)]
        else:
            blocks.append(Paragraph("None: the paper is for the board to note."))
        blocks.append(Heading("Implications", level=4))
        blocks += [Paragraph(f"{label}: {text}") for label, text in self.implications]
        blocks.append(Heading("Background papers", level=4))
        blocks += [Paragraph(p) for p in self.background_papers] or [Paragraph("None.")]
        return tuple(blocks)


def cover_sheet_page(sheet: CoverSheet) -> CoverSheetPage:
    """The pack block for ``sheet`` (implications left empty say 'None identified.')."""
    return CoverSheetPage(
        title=sheet.agenda_item.title,
        report_number=sheet.report_number,
        author=sheet.author,
        purpose=str(Purpose(sheet.purpose).label),
        summary=sheet.summary,
        recommendations=tuple(sheet.recommendation_list()),
        implications=tuple(
            (label, getattr(sheet, name).strip() or NONE_IDENTIFIED) for name, label in IMPLICATIONS
        ),
        background_papers=tuple(sheet.background_list()),
    )


def cover_sheet_of(item: AgendaItem) -> CoverSheet | None:
    """The item's cover sheet, if it has one."""
    return CoverSheet.objects.filter(agenda_item=item).select_related("agenda_item").first()


def save_cover_sheet(
    item: AgendaItem,
    *,
    actor: User | None = None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> CoverSheet:
    """Create or change the item's cover sheet (audited: before and after)."""
    if item.meeting.minutes_locked:
        raise ValueError("The minutes of this meeting are agreed: its papers are closed")
    sheet = cover_sheet_of(item)
    before = snapshot(sheet, FIELDS) if sheet else None
    if sheet is None:
        sheet = CoverSheet(agenda_item=item)
    for name in FIELDS:
        value = fields.get(name, "")
        setattr(sheet, name, value.strip() if isinstance(value, str) else value)
    if sheet.purpose not in Purpose.values:
        raise ValueError("Choose the paper's purpose")
    with transaction.atomic():
        sheet.save()
        record_change(
            sheet,
            before=before,
            after=snapshot(sheet, FIELDS),
            actor=actor,
            request=request,
            meeting=item.meeting_id,
            agenda_item=item.pk,
            change="cover sheet added" if before is None else "cover sheet changed",
        )
    return sheet


def remove_cover_sheet(
    item: AgendaItem, *, actor: User | None = None, request: HttpRequest | None = None
) -> bool:
    """Remove the item's cover sheet (audited with what it held); False if none."""
    if item.meeting.minutes_locked:
        raise ValueError("The minutes of this meeting are agreed: its papers are closed")
    sheet = cover_sheet_of(item)
    if sheet is None:
        return False
    with transaction.atomic():
        record_change(
            sheet,
            before=snapshot(sheet, FIELDS),
            after=None,
            actor=actor,
            request=request,
            meeting=item.meeting_id,
            agenda_item=item.pk,
            change="cover sheet removed",
        )
        sheet.delete()
    return True
