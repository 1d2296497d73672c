"""A paper's report cover sheet: page 1 of the paper in the pack PDF (read back with
pypdf), first in the Word pack, and a paper without one prints as before."""

from __future__ import annotations

import io
from datetime import date

import pytest

from saferboard.core.models import AuditEvent
from saferboard.meetings import services
from saferboard.meetings.cover_sheets import (
    NONE_IDENTIFIED,
    CoverSheetPage,
    cover_sheet_page,
    remove_cover_sheet,
    save_cover_sheet,
)
from saferboard.reports.assemble import assemble
from saferboard.reports.render import render_docx, render_pdf

SHEET = {
    "report_number": "SPB/26/014",
    "author": "Ada Clerk, Community Safety Manager",
    "purpose": "decision",
    "summary": "The plan for the serious violence duty's second year.",
    "recommendations": "Approve the plan\n\nNote the funding gap",
    "financial": "Within the existing grant.",
    "legal": "",
    "equalities": "An equality impact assessment is attached.",
    "children": "Supports the youth justice plan.",
    "background_papers": "Strategic needs assessment 2025",
}


@pytest.fixture
def paper(setting):  # type: ignore[no-untyped-def]
    meeting = services.create_meeting(setting["board"], day=date(2026, 10, 15), place="Hall")
    item = services.add_agenda_item(
        meeting,
        title="Serious violence duty",
        kind="paper",
        presenter="Ada Clerk",
        papers="PAPERLINE the delivery plan",
    )
    return item


def test_the_block_lists_what_the_clerk_wrote_and_says_none_for_empty_implications(
    paper, clerk
) -> None:  # type: ignore[no-untyped-def]
    sheet = save_cover_sheet(paper, actor=clerk, **SHEET)
    page = cover_sheet_page(sheet)
    assert page.details() == (
        ("Report number", "SPB/26/014"),
        ("Author", "Ada Clerk, Community Safety Manager"),
        ("Purpose", "For decision"),
    )
    assert page.recommendations == ("Approve the plan", "Note the funding gap")
    assert dict(page.implications)["Legal"] == NONE_IDENTIFIED
    implications = dict(page.implications)
    assert implications["Children and young people"] == "Supports the youth justice plan."
    assert page.background_papers == ("Strategic needs assessment 2025",)
    texts = [getattr(b, "text", "") for b in page.docx_blocks()]
    assert "1. Approve the plan" in texts and "Legal: None identified." in texts


def test_saving_and_removing_are_audited(paper, clerk) -> None:  # type: ignore[no-untyped-def]
    save_cover_sheet(paper, actor=clerk, **SHEET)
    save_cover_sheet(paper, actor=clerk, **{**SHEET, "purpose": "information"})
    assert remove_cover_sheet(paper, actor=clerk)
    assert not remove_cover_sheet(paper, actor=clerk)
    events = AuditEvent.objects.filter(detail__agenda_item=paper.pk).order_by("pk")
    changes = [e.detail["change"] for e in events]
    assert changes == ["cover sheet added", "cover sheet changed", "cover sheet removed"]
    assert events[1].detail["before"] == {"purpose": "decision"}
    assert events[1].detail["after"] == {"purpose": "information"}
    with pytest.raises(ValueError, match="purpose"):
        save_cover_sheet(paper, actor=clerk, **{**SHEET, "purpose": "for fun"})


def _pages(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_cover_sheet_is_page_one_of_the_paper_in_the_pdf_and_first_in_word(
    paper, clerk
) -> None:  # type: ignore[no-untyped-def]
    meeting = paper.meeting
    before = assemble(meeting, public=True)
    entry = next(e for e in before.entries if e.title == "Serious violence duty")
    assert entry.section is not None
    assert not any(isinstance(b, CoverSheetPage) for b in entry.section.blocks)

    save_cover_sheet(paper, actor=clerk, **SHEET)
    content = assemble(meeting, public=True)
    entry = next(e for e in content.entries if e.title == "Serious violence duty")
    assert entry.section is not None and isinstance(entry.section.blocks[0], CoverSheetPage)
    # The summary goes to the figure check with the other narratives.
    assert any("cover sheet summary" in n.location for n in entry.section.narratives)

    result = render_pdf(content)
    pages = _pages(result.pdf)
    span = result.ranges[entry.anchor]
    first, following = pages[span.start - 1], pages[span.start]
    assert "Report cover sheet" in first and "SPB/26/014" in first
    assert "For decision" in first and "Approve the plan" in first
    assert "Strategic needs assessment 2025" in first
    assert "PAPERLINE" not in first  # the paper itself starts on its second page
    assert "PAPERLINE" in following
    assert span.end >= span.start + 1

    from docx import Document

    word = Document(io.BytesIO(render_docx(content, result.ranges)))
    texts = [p.text for p in word.paragraphs]
    heading = texts.index(f"{entry.number}. Serious violence duty")
    cover = texts.index("Report cover sheet")
    paper_line = texts.index("PAPERLINE the delivery plan")
    assert heading < cover < paper_line
    assert "Report number: SPB/26/014" in texts[cover:paper_line]
    # A page break separates the cover sheet from the paper.
    breaks = [
        i
        for i, p in enumerate(word.paragraphs)
        if 'w:br w:type="page"' in p._p.xml and cover < i < paper_line
    ]
    assert breaks


def test_a_paper_without_a_cover_sheet_prints_as_before(paper) -> None:  # type: ignore[no-untyped-def]
    content = assemble(paper.meeting, public=False)
    entry = next(e for e in content.entries if e.title == "Serious violence duty")
    assert entry.section is not None
    assert [getattr(b, "text", "") for b in entry.section.blocks] == [
        "Presented by Ada Clerk.",
        "PAPERLINE the delivery plan",
    ]


def test_the_clerk_fills_it_in_on_the_papers_page_and_readers_only_read(
    paper, clerk, setting, make_user
) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client
    from django.urls import reverse

    from saferboard.core.models import Role

    meeting = paper.meeting
    page = reverse("meetings:paper", args=[meeting.pk, paper.pk])
    edit = reverse("meetings:cover-sheet", args=[meeting.pk, paper.pk])
    client = Client()
    client.force_login(clerk)
    assert "This paper has no cover sheet" in client.get(page).content.decode()
    refused = client.post(edit, {"author": "Ada Clerk"}).content.decode()
    assert "Select the report&#x27;s purpose" in refused or "Select the report's purpose" in refused
    assert "Enter a summary of the report" in refused
    response = client.post(edit, {**SHEET, "legal": ""})
    assert response.status_code == 302 and response["Location"] == page
    shown = client.get(page).content.decode()
    assert "SPB/26/014" in shown and "None identified." in shown

    reader = make_user(Role.BOARD_MEMBER, organisation=setting["orgs"]["police"])
    client.force_login(reader)
    assert "SPB/26/014" in client.get(page).content.decode()
    assert client.get(edit).status_code == 403
    # An exempt paper is not there at all for someone who may not see exempt items.
    secret = services.add_agenda_item(
        meeting, title="Named cases", kind="paper", papers="x", exempt=True
    )
    assert client.get(reverse("meetings:paper", args=[meeting.pk, secret.pk])).status_code == 404
