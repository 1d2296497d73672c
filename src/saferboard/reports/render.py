"""Render a :class:`PackContent` as the web pack, the PDF and the DOCX.

One template tree (``reports/pack/document.html``) renders both the web pack and the
print pack; the PDF adds the print stylesheet, real page ranges (computed from the
laid-out document, see :mod:`saferboard.reports.pagination`), bookmarks per agenda
item, the document title and language, PDF/UA tagging, and the uploaded appendices
laid onto their reserved pages. The DOCX is written from the same blocks, with real
Word headings and tables, by the one DOCX writer (:mod:`saferboard.core.docx_writer`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string

from saferboard.core import docx_writer
from saferboard.core.docx_writer import HtmlToDocx
from saferboard.core.presenters import docx_fill
from saferboard.reports.assemble import AgendaEntry, PackContent
from saferboard.reports.marking import mark_docx_section, print_css
from saferboard.reports.pagination import PageRange, paginate, placeholder
from saferboard.reports.sections import Chart, Heading, Html, Paragraph, Rag, Table, TableData

if TYPE_CHECKING:
    from weasyprint.document import Document

PRINT_CSS = Path(__file__).resolve().parent / "static" / "reports" / "print.css"
PDF_VARIANT = "pdf/ua-1"  # tagged PDF with title and language (WeasyPrint ≥ 63)


@dataclass(frozen=True)
class PdfResult:
    pdf: bytes
    ranges: dict[str, PageRange]
    pages: int
    passes: int


def _agenda(
    content: PackContent, ranges: dict[str, PageRange] | None, *, web: bool
) -> list[dict[str, Any]]:
    """Agenda rows with their page text and each appendix's reserved pages."""
    total = sum(a.pages for _, section in content.sections for a in section.appendices)
    wide = placeholder(40 * len(content.entries) + total)
    rows = []
    for entry in content.entries:
        pages = ""
        if entry.anchor and not web:
            page_range = (ranges or {}).get(entry.anchor) if ranges is not None else wide
            pages = page_range.label if page_range else ""
        appendices = []
        if entry.section is not None:
            for k, ref in enumerate(entry.section.appendices, 1):
                appendices.append(
                    {
                        "ref": ref,
                        "ident": f"app-{entry.number}-{k}",
                        "pages": range(1, ref.pages + 1),
                    }
                )
        rows.append({"entry": entry, "pages": pages, "appendices": appendices})
    return rows


def render_document_html(
    content: PackContent,
    ranges: dict[str, PageRange] | None = None,
    *,
    web: bool = False,
    link_prefix: str = "",
) -> str:
    """The pack body (``web``) or the whole print document with its page ranges."""
    context = {
        "content": content,
        "agenda": _agenda(content, ranges, web=web),
        "data_version": content.data_version,
        "web": web,
        "link_prefix": link_prefix,
        "marking_css": print_css(content.marking),
    }
    template = "reports/pack/document.html" if web else "reports/pack/print.html"
    return render_to_string(template, context)


def _layout(content: PackContent, ranges: dict[str, PageRange] | None) -> Document:
    from weasyprint import CSS, HTML

    html = render_document_html(content, ranges)
    return HTML(string=html, base_url=str(PRINT_CSS.parent)).render(
        stylesheets=[CSS(filename=str(PRINT_CSS))], pdf_variant=PDF_VARIANT
    )


def render_pdf(content: PackContent) -> PdfResult:
    """The A4 PDF with real page ranges in its agenda, and appendices merged in."""
    ids = [e.anchor for e in content.paged_entries]
    document, ranges, passes = paginate(lambda r: _layout(content, r), ids)
    appendix_pages = _appendix_pages(document, content)
    # pypdf reads WeasyPrint's compressed object streams slowly (seconds per page of
    # structure tree), so a pack with appendices is written uncompressed, merged, and
    # its content streams compressed again by pypdf.
    pdf = document.write_pdf(pdf_variant=PDF_VARIANT, uncompressed_pdf=bool(appendix_pages))
    if appendix_pages:
        pdf = _lay_appendices(pdf, appendix_pages)
    return PdfResult(pdf=pdf, ranges=ranges, pages=len(document.pages), passes=passes)


def _appendix_pages(document: Document, content: PackContent) -> list[tuple[int, str, int]]:
    """(0-based pack page, appendix file, 0-based appendix page) for each reserved page."""
    where: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            where.setdefault(anchor, number)
    found = []
    for entry, section in content.sections:
        for k, ref in enumerate(section.appendices, 1):
            for page in range(1, ref.pages + 1):
                found.append((where[f"app-{entry.number}-{k}-p{page}"], ref.path, page - 1))
    return found


class UnreadableAppendix(ValueError):
    """An uploaded appendix PDF the pack build could not lay onto its pages."""


def appendix_pages(data: bytes) -> int:
    """The number of pages of an appendix PDF, after reading from every page what
    :func:`_lay_appendices` reads (media box, contents, resources).

    pypdf fails on damaged files in many ways (AttributeError, UnboundLocalError,
    RecursionError... found by fuzzing the upload form), and counting pages alone
    would let through a file that then breaks the pack build. So the upload is read
    here as the build will read it, and any failure refuses the upload.
    """
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        if not encrypted:
            for page in reader.pages:
                box = page.mediabox
                _read = (float(box.width), float(box.height), float(box.left), float(box.bottom))
                contents = page.get_contents()
                if contents is not None:
                    contents.get_data()
                page.get("/Resources", None)
            count = len(reader.pages)
    except Exception as error:  # any failure of the parser means a damaged file
        raise UnreadableAppendix("The PDF could not be read: it may be damaged") from error
    if encrypted:
        raise UnreadableAppendix("The PDF is password-protected: upload an open copy")
    if count == 0:
        raise UnreadableAppendix("The PDF has no pages")
    return count


def _lay_appendices(pdf: bytes, pages: list[tuple[int, str, int]]) -> bytes:
    """Draw each appendix page, scaled to fit under its caption, onto its reserved page.

    The appendix page becomes a form XObject drawn as an artifact (its own text is not
    part of the pack's tag tree; the reserved page's tagged caption names it). The
    reserved page keeps the pack's running header, page number, structure tree,
    outline, title and language. Drawing an XObject, rather than merging content
    streams, keeps this fast: nothing is parsed.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
    )

    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    readers: dict[str, PdfReader] = {}
    mm = 72 / 25.4
    for n, (pack_page, path, source_page) in enumerate(pages):
        reader = readers.setdefault(path, PdfReader(path))
        source = reader.pages[source_page]
        target = writer.pages[pack_page]
        tw, th = float(target.mediabox.width), float(target.mediabox.height)
        box = source.mediabox
        sw, sh = float(box.width), float(box.height)
        # The content box: 18 mm sides, below the caption, above the page number.
        box_w, box_h = tw - 36 * mm, th - 50 * mm
        scale = min(box_w / sw, box_h / sh)
        x = (tw - sw * scale) / 2 - float(box.left) * scale
        y = 20 * mm + (box_h - sh * scale) / 2 - float(box.bottom) * scale
        form = DecodedStreamObject()
        contents = source.get_contents()
        form.set_data(contents.get_data() if contents is not None else b"")
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(FloatObject(v) for v in box),
                NameObject("/Resources"): source.get("/Resources", DictionaryObject()).clone(
                    writer
                ),
            }
        )
        name = NameObject(f"/SaboAppendix{n}")
        resources = target.setdefault(NameObject("/Resources"), DictionaryObject())
        resources = resources.get_object()
        xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
        xobjects[name] = writer._add_object(form)
        draw = DecodedStreamObject()
        matrix = f"{scale:.5f} 0 0 {scale:.5f} {x:.3f} {y:.3f}"
        draw.set_data(f"/Artifact BMC q {matrix} cm {name} Do Q EMC\n".encode())
        existing = target.get("/Contents")
        parts = ArrayObject()
        if existing is not None:
            existing_object = existing.get_object()
            if isinstance(existing_object, ArrayObject):
                parts.extend(existing_object)
            else:
                parts.append(existing)
        parts.append(writer._add_object(draw))
        target[NameObject("/Contents")] = parts
    for page in writer.pages:
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# DOCX -----------------------------------------------------------------------------------


def render_docx(content: PackContent, ranges: dict[str, PageRange] | None = None) -> bytes:
    """The pack as an editable Word document: real headings and tables."""
    document = docx_writer.new_document(font_size=10.5, font_name="Arial", a4_margins_cm=1.8)
    section = document.sections[0]
    document.core_properties.title = content.title[0].upper() + content.title[1:]
    document.core_properties.subject = content.audience_label
    document.core_properties.author = content.partnership
    document.core_properties.language = "en-GB"
    section.header.paragraphs[0].text = content.running_header
    mark_docx_section(section, content.marking)

    document.add_paragraph(content.partnership, style="Subtitle")
    document.add_heading(document.core_properties.title, level=0)
    for label, value in (
        (
            "Date",
            f"{content.meeting_date:%A %-d %B %Y}"
            + (f" at {content.start_time}" if content.start_time else ""),
        ),
        ("Venue", content.venue),
        ("Pack", content.audience_label),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    document.add_heading("Membership", level=2)
    _docx_table(
        document,
        TableData(
            caption="Members of the board on the date of the meeting",
            columns=("Name", "Organisation", "Role"),
            rows=tuple((m.name, m.organisation, m.role) for m in content.members),
        ),
        content,
    )
    unavailable = [(e, s) for e, s in content.sections if not s.available]
    if unavailable:
        document.add_heading("Not available in this pack", level=2)
        for entry, item_section in unavailable:
            document.add_paragraph(
                f"Item {entry.number}, {entry.title}: {item_section.note}",
                style="List Bullet",
            )

    document.add_heading("Agenda", level=1)
    _docx_table(
        document,
        TableData(
            caption="Agenda items" + (" and their pages in the PDF pack" if ranges else ""),
            columns=("Item", "Title", "Pages in the PDF"),
            rows=tuple(
                (
                    str(e.number),
                    _agenda_title(e),
                    ranges[e.anchor].label if ranges and e.anchor in ranges else "",
                )
                for e in content.entries
            ),
        ),
        content,
    )
    for entry, item_section in content.sections:
        document.add_page_break()
        document.add_heading(f"{entry.number}. {entry.title}", level=1)
        if entry.presenter:
            document.add_paragraph(f"Presented by {entry.presenter}")
        if entry.exempt:
            document.add_paragraph().add_run(
                "Exempt item (Part 2). Not for publication."
            ).bold = True
        for block in item_section.blocks:
            _docx_block(document, block, content)
        for ref in item_section.appendices:
            document.add_paragraph(
                f"Appendix: {ref.title} ({ref.pages} page{'s' if ref.pages != 1 else ''}), "
                "included in the PDF pack."
            )
    document.add_page_break()
    document.add_heading("Sources and definitions", level=1)
    _docx_table(
        document,
        TableData(
            caption="Where each figure in this pack comes from",
            columns=(
                "Ref",
                "Measure and definition",
                "Source",
                "Extract date",
                "Data as at",
                "Code version",
            ),
            rows=tuple(
                (
                    key,
                    f"{s.measure}: {s.definition}",
                    s.label,
                    f"{s.extract_date:%-d %b %Y}" if s.extract_date else "Not recorded",
                    f"{s.data_as_at:%-d %b %Y}" if s.data_as_at else "Not recorded",
                    s.code_version or "Not recorded",
                )
                for key, s in content.sources
            ),
        ),
        content,
    )
    document.add_paragraph(
        f"Data version {content.data_version}; Saferboard {content.code_version}."
    )
    return docx_writer.to_bytes(document)


def _agenda_title(entry: AgendaEntry) -> str:
    text = entry.title
    if entry.withheld:
        text += " (exempt item: not in the public pack)"
    elif entry.section is None:
        text += " (verbal item)"
    elif not entry.section.available:
        text += f" (not available: {entry.section.note})"
    return text


def _docx_block(document: Any, block: Any, content: PackContent) -> None:
    if isinstance(block, Heading):
        document.add_heading(block.text, level=2 if block.level <= 3 else 3)
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph(block.text)
        if block.note:
            for run in paragraph.runs:
                run.italic = True
    elif isinstance(block, Html):
        _docx_html(document, block.html)
    elif isinstance(block, Chart):
        document.add_paragraph(
            f"{block.title}: the chart is in the PDF and web pack; its figures are in this table."
        )
        _docx_table(document, block.table, content)
    elif isinstance(block, Table):
        _docx_table(document, block.table, content)
    elif hasattr(block, "docx_blocks"):  # a block made of others (a paper's cover sheet)
        for inner in block.docx_blocks():
            _docx_block(document, inner, content)
        if getattr(block, "page_break_after", False):
            document.add_page_break()


def _docx_html(document: Any, html: str) -> None:
    """Sanitised narrative HTML into Word paragraphs, lists and tables (the one
    converter, :class:`saferboard.core.docx_writer.HtmlToDocx`: the same allow-list of
    tags everywhere)."""
    HtmlToDocx(document).feed(html)


def _docx_table(document: Any, table: TableData, content: PackContent) -> None:
    document.add_paragraph(table.caption, style="Caption")
    grid = docx_writer.header_table(document, table.columns)
    for row in table.rows:
        cells = grid.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row, strict=False)):
            run = cell.paragraphs[0].add_run(str(value))
            if isinstance(value, Rag):
                run.bold = True
                if value.status:
                    docx_writer.shade(cell, docx_fill(value.status))
            elif i == 0 and table.row_headers:
                run.bold = True
    keys = content.source_keys
    if table.sources:
        refs = "; ".join(f"{keys.get(s.ident, '?')} ({s.label})" for s in table.sources)
        document.add_paragraph(f"Sources: {refs}. Definitions in the sources appendix.")
    for note in table.footnotes:
        document.add_paragraph(note)
