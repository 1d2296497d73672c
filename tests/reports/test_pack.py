"""The pack end to end: content, page ranges read back from the PDF, bookmarks, tags,
language, appendices, DOCX tables, reproducibility, public and restricted packs."""

from __future__ import annotations

import io
import re

from saferboard.reports.assemble import assemble
from saferboard.reports.pagination import pdf_outline
from saferboard.reports.render import render_document_html, render_docx, render_pdf
from saferboard.reports.sections import kind_of
from tests.reports.conftest import PLANTED, pdf_text_pages


def test_page_ranges_bookmarks_tags_language_and_appendix(pack_setting) -> None:  # type: ignore[no-untyped-def]
    from pypdf import PdfReader

    content = assemble(pack_setting["meeting"], public=False)
    result = render_pdf(content)
    pages = pdf_text_pages(result.pdf)
    assert len(pages) == result.pages
    outline = pdf_outline(result.pdf)
    by_title = {title: page for title, page, _ in outline}
    for entry in content.paged_entries:
        page_range = result.ranges[entry.anchor]
        heading = f"{entry.number}. {entry.title}"
        # The bookmark lands on the first page of the item's range…
        assert by_title[heading] == page_range.start
        # …its heading is printed on that page, and the next item starts after the end.
        assert heading in " ".join(pages[page_range.start - 1].split())
        # The agenda (page 2) prints the same range.
        assert page_range.label in pages[1]
    starts = [result.ranges[e.anchor].start for e in content.paged_entries]
    ends = [result.ranges[e.anchor].end for e in content.paged_entries]
    assert all(e < s for e, s in zip(ends, starts[1:], strict=False))
    assert "Agenda" in by_title and "Sources and definitions" in by_title

    # The uploaded 2-page paper is laid onto its item's last two pages, counted in range.
    paper = next(e for e in content.paged_entries if e.title.startswith("Serious violence"))
    paper_range = result.ranges[paper.anchor]
    assert paper_range.count >= 3  # the item's page plus the two appendix pages
    assert "APPENDIXMARKER page 1" in pages[paper_range.end - 2]
    assert "APPENDIXMARKER page 2" in pages[paper_range.end - 1]
    assert f"Page {paper_range.end} of {result.pages}" in pages[paper_range.end - 1]

    # Title, language and tagging (what `pdfinfo` reports as Title and "Tagged: yes").
    reader = PdfReader(io.BytesIO(result.pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert reader.metadata.title.startswith("Safer Testborough Board, 20 March 2026")
    # Running header with board and date, page numbers. Compared without spaces: text
    # extraction splits a kerned pair ("T estborough") with some fonts.
    assert "SaferTestboroughBoard·20March2026" in "".join(pages[2].split())
    assert f"Page 3 of {result.pages}" in pages[2]


def test_public_pack_leaves_out_exempt_items_and_suppresses_small_counts(pack_setting) -> None:  # type: ignore[no-untyped-def]
    public = assemble(pack_setting["meeting"], public=True)
    restricted = assemble(pack_setting["meeting"], public=False)
    exempt_public = next(e for e in public.entries if e.exempt)
    assert exempt_public.withheld and exempt_public.section is None
    assert next(e for e in restricted.entries if e.exempt).section is not None
    html_public = render_document_html(public)
    html_restricted = render_document_html(restricted)
    assert "Case summaries" not in html_public and "Case summaries" in html_restricted
    assert "Three children discussed" not in html_public
    assert "Three children discussed" in html_restricted
    # Gun crime 3 (previous 6): suppressed in the public pack only, with the footnote.
    dashboard = next(e for e in public.entries if e.kind == "crime_dashboard")
    table = dashboard.section.blocks[1].table  # type: ignore[union-attr]
    gun = next(r for r in table.rows if r[0] == "Gun crime")
    assert gun[2] == "<5" and gun[4] == "<5"
    from saferboard.reports.disclosure import PRIMARY_NOTE

    assert PRIMARY_NOTE in table.footnotes
    restricted_table = (
        next(e for e in restricted.entries if e.kind == "crime_dashboard").section.blocks[1].table
    )  # type: ignore[union-attr]
    assert next(r for r in restricted_table.rows if r[0] == "Gun crime")[2] == "3"


def test_provenance_sources_appendix_and_versions(pack_setting) -> None:  # type: ignore[no-untyped-def]
    content = assemble(pack_setting["meeting"], public=False)
    assert [s.label for _, s in content.sources] == ["police.uk Testshire 2026-01"] * 2
    assert {s.measure for _, s in content.sources} == {"Burglary", "Gun crime"}
    html = render_document_html(content)
    assert 'href="#source-S1"' in html and 'id="source-S1"' in html
    assert "Crimes recorded as burglary." in html and "28 Feb 2026" in html
    assert content.code_version and len(content.data_version) == 64


def test_figure_check_finds_the_planted_contradiction(pack_setting) -> None:  # type: ignore[no-untyped-def]
    content = assemble(pack_setting["meeting"], public=False)
    assert len(content.issues) == 1
    issue = content.issues[0]
    assert PLANTED in issue.found and "50%" in issue.message
    assert issue.link == "#item-3"  # the minutes item


def test_reproducible_same_data_same_figures_and_pages(pack_setting) -> None:  # type: ignore[no-untyped-def]
    first = assemble(pack_setting["meeting"], public=True)
    second = assemble(pack_setting["meeting"], public=True)
    assert first.data_version == second.data_version
    a, b = render_pdf(first), render_pdf(second)
    assert a.ranges == b.ranges and a.pages == b.pages
    assert pdf_text_pages(a.pdf) == pdf_text_pages(b.pdf)


def test_docx_has_headings_and_tables(pack_setting) -> None:  # type: ignore[no-untyped-def]
    from docx import Document

    content = assemble(pack_setting["meeting"], public=True)
    result = render_pdf(content)
    document = Document(io.BytesIO(render_docx(content, result.ranges)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Agenda" in headings and "Sources and definitions" in headings
    assert any(h.endswith("Crime performance dashboard") for h in headings)
    tables = {t.rows[0].cells[0].text: t for t in document.tables}
    agenda = tables["Item"]
    assert any(re.fullmatch(r"\(Pages? \d+( - \d+)?\)", row.cells[2].text) for row in agenda.rows)
    crime = tables["Measure"]
    assert [c.text for c in crime.rows[0].cells][:3] == ["Measure", "Rolling year", "Count"]
    assert crime.rows[1].cells[2].text == "1,280"
    assert document.core_properties.title.startswith("Safer Testborough Board")


def test_verbal_items_have_no_pages_and_kinds_are_read_from_titles(pack_setting) -> None:  # type: ignore[no-untyped-def]
    meeting = pack_setting["meeting"]
    kinds = {i.title: kind_of(i) for i in meeting.agenda_items.all()}
    assert kinds["Minutes of the last meeting"] == "minutes"
    assert kinds["Matters arising"] == "matters_arising"
    assert kinds["Crime performance dashboard"] == "crime_dashboard"
    assert kinds["Questions"] == "paper"
    content = assemble(meeting, public=True)
    verbal = next(e for e in content.entries if e.title == "Questions")
    assert verbal.section is None and verbal.anchor == ""


def test_an_app_without_content_is_reported_not_faked(pack_setting) -> None:  # type: ignore[no-untyped-def]
    from saferboard.meetings import services as meetings

    meetings.add_agenda_item(pack_setting["meeting"], title="Youth justice performance report")
    content = assemble(pack_setting["meeting"], public=True)
    entry = next(e for e in content.entries if e.title == "Youth justice performance report")
    assert entry.section is not None and not entry.section.available
    assert entry in content.unavailable
    html = render_document_html(content)
    assert "Not available in this pack" in html


def test_crime_section_shows_the_financial_year_to_date(pack_setting) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: the stored financial year to date beside the rolling year. Burglary
    April 2025 to January 2026: 1,070 against 1,200 the same months a year earlier,
    (1070 - 1200) / 1200 = -10.8%, shown -11%; gun crime 2 against 5 (small, so <5 in
    the public pack); an observation stored before the figure existed says so."""
    from saferboard.measures.models import Observation

    burglary = Observation.objects.get(measure__slug="burglary")
    burglary.comparators = {
        **burglary.comparators,
        "fytd_from": "2025-04",
        "fytd_to": "2026-01",
        "fytd": 1070,
        "fytd_previous": 1200,
        "fytd_change_pct": (1070 - 1200) / 1200 * 100,
        "fytd_complete": True,
    }
    burglary.save()
    gun = Observation.objects.get(measure__slug="gun-crime")
    gun.comparators = {
        **gun.comparators,
        "fytd_from": "2025-04",
        "fytd_to": "2026-01",
        "fytd": 2,
        "fytd_previous": 5,
        "fytd_complete": True,
    }
    gun.save()

    def table(public: bool):  # type: ignore[no-untyped-def]
        pack = assemble(pack_setting["meeting"], public=public)
        entry = next(e for e in pack.entries if e.kind == "crime_dashboard")
        return entry.section.blocks[1].table

    restricted = table(False)
    assert restricted.columns[5] == "Financial year to date"
    rows = {r[0]: r for r in restricted.rows}
    assert rows["Burglary"][5] == "1,070 against 1,200, -11% (Apr 2025 to Jan 2026)"
    assert rows["Burglary"][2] == "1,280"  # the rolling year beside it is unchanged
    assert rows["Gun crime"][5] == "2 against 5, -60% (Apr 2025 to Jan 2026)"
    public = {r[0]: r for r in table(True).rows}
    assert public["Gun crime"][5] == "<5 (Apr 2025 to Jan 2026)"
    assert public["Burglary"][5] == rows["Burglary"][5]

    gun.comparators = {k: v for k, v in gun.comparators.items() if not k.startswith("fytd")}
    gun.save()
    assert {r[0]: r for r in table(False).rows}["Gun crime"][5] == "Not available"


def _rate_observation(area_code: str, numerator: int, denominator: int, previous: float):  # type: ignore[no-untyped-def]
    from datetime import date

    from saferboard.measures.models import DataImport, Measure, Unit
    from saferboard.measures.services import ObservationValue, store_observations
    from saferboard.measures.standard import ensure_standard_rules

    measure = Measure.objects.create(
        slug="domestic-abuse-positive-outcome-rate",
        source_kind="police-uk",  # the pack setting's crime source
        label="Domestic abuse positive outcome rate",
        unit=Unit.PERCENT,
        direction="higher",
        rag_rule=ensure_standard_rules()["higher-is-better"],
        display_order=3,
    )
    source = DataImport.objects.get(label="police.uk Testshire 2026-01")
    store_observations(
        measure,
        [
            ObservationValue(
                area_code=area_code,
                period_start=date(2025, 2, 1),
                period_end=date(2026, 1, 31),
                value=100 * numerator / denominator,
                numerator=numerator,
                denominator=denominator,
                comparators={"previous_period": previous},
            )
        ],
        source=source,
        data_as_at=date(2026, 2, 28),
    )


def test_crime_section_shows_a_rate_as_a_rate(pack_setting) -> None:  # type: ignore[no-untyped-def]
    """Issue 17: the domestic abuse positive outcome rate is a percentage with its parts
    and a change in points (48 of 240 = 20.0% against 15.0%: +5.0 points, Green for a
    higher-is-better measure), never a count; it is left out of the counts' chart; a
    public pack withholds a rate made of small counts."""
    from saferboard.measures.models import Observation

    area = Observation.objects.get(measure__slug="burglary").area.code
    _rate_observation(area, 48, 240, 15.0)

    def entry(public: bool):  # type: ignore[no-untyped-def]
        pack = assemble(pack_setting["meeting"], public=public)
        return next(e for e in pack.entries if e.kind == "crime_dashboard")

    section = entry(False).section
    rows = {r[0]: r for r in section.blocks[1].table.rows}
    rate = rows["Domestic abuse positive outcome rate"]
    assert rate[2:5] == ("20.0% (48 of 240)", "15.0%", "+5.0 points")
    assert rate[6].status == "green"
    charts = [b for b in section.blocks if hasattr(b, "svg")]
    assert charts and all("Domestic abuse positive outcome rate" not in c.svg for c in charts)
    assert "Burglary" in charts[0].svg

    Observation.objects.filter(measure__slug="domestic-abuse-positive-outcome-rate").update(
        numerator=3, denominator=20, value=15.0
    )
    public = {r[0]: r for r in entry(True).section.blocks[1].table.rows}
    assert public["Domestic abuse positive outcome rate"][2] == "Not shown: small numbers"


def test_priority_report_prints_sub_commitments_on_track_lines_and_corrections(demo) -> None:  # type: ignore[no-untyped-def]
    """Issue 16: the pack's progress report reads like the web and Word report: each
    commitment numbered "1.1", its sub-commitments ("1.1.1 …") with partners' ratings,
    its "how we will know we are on track" lines with the linked measure's stored
    figure, and an accepted update's corrections."""
    from saferboard.core.models import User
    from saferboard.meetings import services as meetings
    from saferboard.meetings.models import Meeting, MeetingStatus
    from saferboard.strategy.corrections import Correction, correct_update
    from saferboard.strategy.models import Commitment, PartnerUpdate, ReportingRound, UpdateState
    from saferboard.strategy.report import build_priority_report, indicator_figure

    # The demo board's next meeting, its agenda reopened for one more item.
    meeting = Meeting.objects.filter(board__kind="partnership").latest("date")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.PLANNED)
    meeting.refresh_from_db()
    meetings.add_agenda_item(meeting, title="Priority 1: Safer neighbourhoods progress report")
    # The round the pack reports: the latest to have started by the meeting.
    round_ = max(
        (r for r in ReportingRound.objects.all() if r.period.start <= meeting.date),
        key=lambda r: (r.financial_year, r.quarter),
    )
    accepted = PartnerUpdate.objects.filter(
        round=round_, commitment__priority__number=1, state=UpdateState.ACCEPTED
    ).first()
    assert accepted is not None
    correct_update(
        accepted,
        Correction(reason="The figure was a year out", narrative="<p>Corrected text.</p>"),
        version=accepted.version,
        actor=User.objects.get(username="coordinator"),
    )
    pack = assemble(meeting, public=False)
    entry = next(e for e in pack.entries if e.kind == "priority_report")
    assert entry.section is not None and entry.section.available
    tables = {b.table.caption: b.table for b in entry.section.blocks if hasattr(b, "table")}
    notes = [b.text for b in entry.section.blocks if getattr(b, "note", False)]
    assert any("corrected on" in n and "The figure was a year out" in n for n in notes)
    expected = build_priority_report(round_, round_.strategy.priorities.get(number=1))
    first = expected.commitments[0]
    assert first.display_number == "1.1"
    subs = tables["Commitment 1.1: sub-commitments and partners' ratings"]
    assert [r[0] for r in subs.rows] == [f"{s.number} {s.text}" for s in first.sub_commitments]
    assert Commitment.objects.filter(parent__number=1, parent__priority__number=1).exists()
    on_track = tables["Commitment 1.1: how we will know we are on track"]
    assert [r[0] for r in on_track.rows] == [
        "Fewer residential burglaries than the year before",
        "Every repeat victim offered target-hardening",
    ]
    assert on_track.rows[0][1] == indicator_figure(first.indicators[0])
    assert on_track.rows[0][1].startswith("Residential burglary")
    assert on_track.rows[1][1] == "No measure linked"
    assert "Commitment 1.1: RAG by partner" in tables
