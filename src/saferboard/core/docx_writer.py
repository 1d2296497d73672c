"""The shared pieces of every Word document the app writes (issue 23): a new document
with its page and text set up, a table with a header row, a shaded cell, a RAG cell,
sanitised narrative HTML as Word paragraphs, the bytes.

python-docx is imported inside the functions: most requests never write Word, so a
web worker does not pay for loading it.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from saferboard.core.presenters import docx_fill

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import Table, _Cell, _Row
    from docx.text.paragraph import Paragraph


def new_document(
    *, font_size: float, font_name: str = "", a4_margins_cm: float | None = None
) -> WordDocument:
    """A blank document whose Normal style has ``font_size`` points (and ``font_name``);
    with ``a4_margins_cm``, an A4 page with that margin on every side."""
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    if a4_margins_cm is not None:
        section = document.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(a4_margins_cm))
    normal = document.styles["Normal"]
    if font_name:
        normal.font.name = font_name
    normal.font.size = Pt(font_size)
    return document


def mark_header_row(row: _Row) -> None:
    """Mark a table's first row as its header: repeated on each page, read as a header
    by screen readers."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def header_table(parent: WordDocument | _Cell, headers: list[str] | tuple[str, ...]) -> Table:
    """A 'Table Grid' table whose first row holds ``headers`` in bold, marked as the
    header row; at the end of the document, or of a table cell (a table in a table)."""
    table: Table = parent.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    mark_header_row(table.rows[0])
    return table


def add_row(table: Table, values: list[str] | tuple[str, ...]) -> None:
    """A row of plain text cells at the end of ``table``."""
    for cell, text in zip(table.add_row().cells, values, strict=True):
        cell.text = text


def shade(cell: _Cell, fill: str) -> None:
    """Shade a cell with ``fill`` (hex digits, as ``core.presenters.docx_fill`` gives)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def shade_status(cell: _Cell, status: str) -> None:
    """Shade a cell with a RAG status's tint (:func:`saferboard.core.presenters.docx_fill`;
    blank: the not-rated grey)."""
    shade(cell, docx_fill(status))


def rag_cell(cell: _Cell, label: str, status: str | None) -> None:
    """A RAG rating in a cell: its label in bold (text, never colour alone), the cell
    shaded with its status's tint; ``status`` None (not rated): no shading."""
    cell.paragraphs[0].add_run(label).bold = True
    if status is not None:
        shade_status(cell, status)


def to_bytes(document: WordDocument) -> bytes:
    """The document as a .docx file's bytes."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


class HtmlToDocx(HTMLParser):
    """Write sanitised narrative HTML (the allow-list of ``strategy/content.py``) into a
    Word document or a table cell: paragraphs, bullet and numbered lists, bold, italic,
    links (their address in brackets) and simple tables. One converter for every Word
    output (the priority report, the board pack)."""

    def __init__(self, cell: WordDocument | _Cell) -> None:
        super().__init__(convert_charrefs=True)
        self.cell = cell
        self.paragraph: Paragraph | None = None
        self.bold = self.italic = 0
        self.lists: list[str] = []
        self.href: str | None = None
        self.table_rows: list[list[str]] | None = None
        self.header_rows = 0
        self.in_head = False
        self.cell_text: list[str] | None = None

    def _new_paragraph(self, style: str | None = None) -> Paragraph:
        paragraph: Paragraph  # python-docx leaves Cell.paragraphs unannotated
        if self.cell.paragraphs and not self.cell.paragraphs[-1].text and self.paragraph is None:
            paragraph = self.cell.paragraphs[-1]
            if style:
                paragraph.style = style
        else:
            paragraph = self.cell.add_paragraph(style=style)
        self.paragraph = paragraph
        return paragraph

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.table_rows, self.header_rows = [], 0
        elif self.table_rows is not None:
            if tag == "thead":
                self.in_head = True
            elif tag == "tr":
                self.table_rows.append([])
                if self.in_head:
                    self.header_rows += 1
            elif tag in ("td", "th"):
                self.cell_text = []
        elif tag == "p":
            self._new_paragraph()
        elif tag in ("ul", "ol"):
            self.lists.append(tag)
        elif tag == "li":
            style = "List Number" if self.lists and self.lists[-1] == "ol" else "List Bullet"
            self._new_paragraph(style)
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "a":
            self.href = dict(attrs).get("href")

    def handle_endtag(self, tag: str) -> None:
        if self.table_rows is not None:
            if tag in ("td", "th") and self.cell_text is not None:
                self.table_rows[-1].append("".join(self.cell_text).strip())
                self.cell_text = None
            elif tag == "thead":
                self.in_head = False
            elif tag == "table":
                self._write_table()
            return
        if tag in ("p", "li"):
            self.paragraph = None
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
        elif tag == "strong":
            self.bold = max(0, self.bold - 1)
        elif tag == "em":
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            if self.href and self.paragraph is not None and not self.href.startswith("mailto:"):
                self.paragraph.add_run(f" ({self.href})")
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.table_rows is not None:
            if self.cell_text is not None:
                self.cell_text.append(data)
            return
        if not data.strip() and self.paragraph is None:
            return
        paragraph = self.paragraph or self._new_paragraph()
        run = paragraph.add_run(data)
        run.bold = bool(self.bold) or None
        run.italic = bool(self.italic) or None

    def _write_table(self) -> None:
        rows = [r for r in (self.table_rows or []) if r]
        self.table_rows = None
        if not rows:
            return
        width = max(len(r) for r in rows)
        table = self.cell.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        for index, values in enumerate(rows):
            cells = table.add_row().cells
            for cell, text in zip(cells, values, strict=False):
                run = cell.paragraphs[0].add_run(text)
                run.bold = index < max(self.header_rows, 1) or None
        self.paragraph = None
        self.cell.add_paragraph()
