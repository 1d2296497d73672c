"""The shared Word pieces (issue 23): page, header row, shading, read back."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from saferboard.core import docx_writer


def test_a_document_with_a_header_table_and_a_shaded_cell_reads_back() -> None:
    document = docx_writer.new_document(font_size=10.5, font_name="Arial", a4_margins_cm=2)
    table = docx_writer.header_table(document, ["Partner", "RAG"])
    docx_writer.add_row(table, ["Police", "Amber"])
    docx_writer.shade(table.rows[1].cells[1], "FCD6C3")

    read = Document(io.BytesIO(docx_writer.to_bytes(document)))
    section = read.sections[0]
    # Word stores lengths in twips, so they read back to the nearest twip.
    assert (round(section.page_width.cm, 2), round(section.page_height.cm, 2)) == (21, 29.7)
    assert round(section.left_margin.cm, 2) == round(section.bottom_margin.cm, 2) == 2
    assert read.styles["Normal"].font.size == Pt(10.5)
    assert read.styles["Normal"].font.name == "Arial"
    (table,) = read.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Partner", "RAG"],
        ["Police", "Amber"],
    ]
    assert table.style.name == "Table Grid"
    assert all(c.paragraphs[0].runs[0].bold for c in table.rows[0].cells)
    header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
    assert header is not None and header.get(qn("w:val")) == "true"
    assert table.rows[1]._tr.trPr is None or table.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None
    fill = table.rows[1].cells[1]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    assert fill == "FCD6C3"


def test_a_plain_document_keeps_the_default_page() -> None:
    document = docx_writer.new_document(font_size=11)
    read = Document(io.BytesIO(docx_writer.to_bytes(document)))
    assert read.styles["Normal"].font.size == Pt(11)
    assert read.styles["Normal"].font.name is None
