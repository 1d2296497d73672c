"""The Word pieces the priority report and the board pack share (issue 23): a RAG cell,
a table inside a cell, narrative HTML, and the one 'Not rated' label."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn

from saferboard.core import docx_writer
from saferboard.core.presenters import rag_tag
from saferboard.core.rag import NOT_RATED_LABEL, status_label


def _fill(cell) -> str | None:  # type: ignore[no-untyped-def]
    props = cell._tc.tcPr
    shading = props.find(qn("w:shd")) if props is not None else None
    return None if shading is None else shading.get(qn("w:fill"))


def test_one_not_rated_label() -> None:
    assert NOT_RATED_LABEL == "Not rated"
    assert status_label("") == NOT_RATED_LABEL and rag_tag(None).text == NOT_RATED_LABEL
    assert status_label("amber", "green") == "Amber/Green"


def test_rag_cells_read_back_with_text_and_tint() -> None:
    document = docx_writer.new_document(font_size=10)
    table = docx_writer.header_table(document, ["Partner", "RAG"])
    for partner, label, status in (
        ("Police", "Amber", "amber"),
        ("Council", NOT_RATED_LABEL, None),
    ):
        row = table.add_row().cells
        row[0].text = partner
        docx_writer.rag_cell(row[1], label, status)
    docx_writer.shade_status(table.rows[0].cells[1], "red")
    (read,) = Document(io.BytesIO(docx_writer.to_bytes(document))).tables
    amber, unrated = read.rows[1].cells[1], read.rows[2].cells[1]
    assert [(r.text, r.bold) for r in amber.paragraphs[0].runs] == [("Amber", True)]
    assert _fill(amber) == "FCD6C3"  # GOV.UK orange tint, as core.presenters gives it
    assert [(r.text, r.bold) for r in unrated.paragraphs[0].runs] == [("Not rated", True)]
    assert _fill(unrated) is None  # not rated: the text says so, no colour
    assert _fill(read.rows[0].cells[1]) == "F4CDC6"


def test_a_header_table_inside_a_cell() -> None:
    document = docx_writer.new_document(font_size=10)
    outer = docx_writer.header_table(document, ["Update"])
    cell = outer.add_row().cells[0]
    inner = docx_writer.header_table(cell, ("Month", "Count"))
    docx_writer.add_row(inner, ("April", "12"))
    (read,) = Document(io.BytesIO(docx_writer.to_bytes(document))).tables
    (nested,) = read.rows[1].cells[0].tables
    assert [[c.text for c in row.cells] for row in nested.rows] == [
        ["Month", "Count"],
        ["April", "12"],
    ]
    assert nested.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_narrative_html_into_word() -> None:
    document = Document()
    docx_writer.HtmlToDocx(document).feed(
        "<p>Burglary <strong>fell</strong>; see <a href='https://example.org/x'>the data</a>.</p>"
        "<ol><li>First</li></ol><table><thead><tr><th>A</th></tr></thead>"
        "<tbody><tr><td>1</td></tr></tbody></table>"
    )
    paragraphs = [p for p in document.paragraphs if p.text]
    assert paragraphs[0].text == "Burglary fell; see the data (https://example.org/x)."
    assert [r.text for r in paragraphs[0].runs if r.bold] == ["fell"]
    assert (paragraphs[1].text, paragraphs[1].style.name) == ("First", "List Number")
    (table,) = document.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [["A"], ["1"]]
    assert table.rows[0].cells[0].paragraphs[0].runs[0].bold
    assert not table.rows[1].cells[0].paragraphs[0].runs[0].bold
