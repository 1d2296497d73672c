"""The shared pieces of every Word document the app writes (issue 23): a new document
with its page and text set up, a table with a header row, a shaded cell, the bytes.

python-docx is imported inside the functions: most requests never write Word, so a
web worker does not pay for loading it.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import Table, _Cell, _Row


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


def header_table(document: WordDocument, headers: list[str] | tuple[str, ...]) -> Table:
    """A 'Table Grid' table whose first row holds ``headers`` in bold, marked as the
    header row."""
    table: Table = document.add_table(rows=1, cols=len(headers))
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


def to_bytes(document: WordDocument) -> bytes:
    """The document as a .docx file's bytes."""
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
