"""A restricted pack is marked OFFICIAL-SENSITIVE in every page's header and footer
(PDF and Word) and in a banner at the top and bottom of the web pack; a public pack
carries no marking. One pack is built here (PDF builds take seconds)."""

from __future__ import annotations

import io

from django.urls import reverse

from saferboard.reports import services
from saferboard.reports.assemble import assemble
from saferboard.reports.files import packs_dir
from saferboard.reports.marking import RESTRICTED_MARKING, marking_for, print_css
from saferboard.reports.models import Audience, Pack, PackStatus
from saferboard.reports.render import render_document_html
from tests.reports.conftest import pdf_text_pages

PAGE_FONT = "Liberation-Sans"


def page_fonts(pdf: bytes) -> set[str]:
    """The fonts each page's own text is set in (an appendix drawn onto a page is an
    XObject with its own fonts, not counted)."""
    from pypdf import PdfReader

    fonts = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"].get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return fonts


def test_marking_rules() -> None:
    assert marking_for(public=False) == RESTRICTED_MARKING == "OFFICIAL-SENSITIVE"
    assert marking_for(public=True) == ""
    assert print_css("") == ""
    css = print_css(RESTRICTED_MARKING)
    # Header and footer of every page, the cover (:first) included.
    assert css.count('content: "OFFICIAL-SENSITIVE"') == 4
    assert "@page :first" in css and "@top-center" in css and "@bottom-left" in css


def test_restricted_pack_is_marked_on_every_page_and_in_word_and_web(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    coordinator = pack_setting["coordinator"]
    meeting = pack_setting["meeting"]
    pack = services.start_build(meeting, Audience.RESTRICTED, coordinator)
    assert pack.status == PackStatus.DRAFT, pack.error

    pdf = (packs_dir() / pack.files["pdf"]["path"]).read_bytes()
    pages = pdf_text_pages(pdf)
    assert len(pages) == pack.pages >= 5
    for number, text in enumerate(pages, 1):
        # Once in the header, once in the footer: the cover and appendix pages too.
        assert text.count(RESTRICTED_MARKING) >= 2, f"page {number}: {text[:200]!r}"
    # Narrative, tables and the chart's SVG text are all in the page's font.
    assert page_fonts(pdf) and all(f.startswith(PAGE_FONT) for f in page_fonts(pdf))

    word = Document(io.BytesIO((packs_dir() / pack.files["docx"]["path"]).read_bytes()))
    section = word.sections[0]
    assert not section.different_first_page_header_footer  # one header for every page
    header = [p.text for p in section.header.paragraphs]
    footer = [p.text for p in section.footer.paragraphs]
    assert header[0] == RESTRICTED_MARKING and any("Safer Testborough" in t for t in header)
    assert RESTRICTED_MARKING in footer
    assert section.header.paragraphs[0].runs[0].bold

    client.force_login(coordinator)
    web = client.get(reverse("reports:web", args=[pack.pk])).content.decode()
    top, bottom = web.index('id="marking-top"'), web.index('id="marking-bottom"')
    assert top < web.index('class="sabo-pack"') < bottom
    assert web.count(f"<strong>{RESTRICTED_MARKING}</strong>") == 2


def test_public_pack_carries_no_marking(client, pack_setting) -> None:  # type: ignore[no-untyped-def]
    content = assemble(pack_setting["meeting"], public=True)
    assert content.marking == ""
    assert RESTRICTED_MARKING not in render_document_html(content)  # the print document
    pack = Pack(meeting=pack_setting["meeting"], audience=Audience.PUBLIC, version=1)
    assert pack.marking == ""
    restricted = assemble(pack_setting["meeting"], public=False)
    assert f'content: "{RESTRICTED_MARKING}"' in render_document_html(restricted)
