"""Disclosure control of tables typed by partners (issue 20): in the public pack, the
small counts of a table that counts people are suppressed like computed figures, with
secondary suppression so that no hidden cell can be worked out from the totals."""

from __future__ import annotations

import dataclasses

from saferboard.reports.disclosure import (
    PRIMARY_NOTE,
    SECONDARY_NOTE,
    SECONDARY_TEXT,
    SMALL_TEXT,
    counts_people,
    determined_cells,
    protect_counts,
    protect_html_tables,
    protect_partner_table,
    table_counts_people,
)

OUTCOMES = ("Outcome", "Boys", "Girls", "Total")


def test_secondary_suppression_by_hand() -> None:
    # Custody 3 boys, 6 girls (9); community 10 and 12 (22); totals 13, 18, 31.
    # The 3 is hidden (<5). With the totals printed, 3 = 9 - 6 = 13 - 10, so one more
    # cell in its row (the 6) and one in its column (the 10) are hidden; then 6 = 18 - 12
    # and 10 = 22 - 12, so the 12 goes too. The four hidden cells a, b, c, d satisfy
    # a + b = 9, c + d = 22, a + c = 13, b + d = 18: three independent equations in four
    # unknowns, so none is determined (a = t, b = 9 - t, c = 13 - t, d = 9 + t).
    rows = [
        ("Custody", "3", "6", "9"),
        ("Community", "10", "12", "22"),
        ("Total", "13", "18", "31"),
    ]
    table = protect_partner_table(OUTCOMES, rows)
    assert table.rows == (
        ("Custody", SMALL_TEXT, SECONDARY_TEXT, "9"),
        ("Community", SECONDARY_TEXT, SECONDARY_TEXT, "22"),
        ("Total", "13", "18", "31"),
    )
    assert table.footnotes == (PRIMARY_NOTE, SECONDARY_NOTE)
    # The same by the exact algebra: no hidden cell of the 3 x 3 grid is determined.
    assert determined_cells([(0, 0), (0, 1), (1, 0), (1, 1)], 3, 3) == []
    assert determined_cells([(0, 0), (0, 1), (1, 0)], 3, 3) != []  # three are not enough


def test_only_the_totals_a_table_prints_are_used() -> None:
    # A total row but no total column: 3 = 13 - 10 from the column, so the 10 is hidden;
    # the rows have no printed total, so nothing else need go.
    rows = [("Custody", "3", "6"), ("Community", "10", "12"), ("Total", "13", "18")]
    table = protect_partner_table(OUTCOMES[:3], rows)
    assert table.rows == (
        ("Custody", SMALL_TEXT, "6"),
        ("Community", SECONDARY_TEXT, "12"),
        ("Total", "13", "18"),
    )
    # No totals at all: only the small count goes.
    assert protect_partner_table(OUTCOMES[:3], rows[:2]).rows == (
        ("Custody", SMALL_TEXT, "6"),
        ("Community", "10", "12"),
    )
    grid = protect_counts([[3, 6], [10, 12]], row_totals=False, column_totals=True).grid
    assert [c.status for c in grid[0]] == ["primary", "shown", "unpublished"]


def test_rates_beside_a_hidden_count_and_text_cells() -> None:
    rows = [("Custody", "2", "5%", "remanded"), ("Community", "38", "95%", "")]
    table = protect_partner_table(("Outcome", "Young people", "Share", "Note"), rows)
    assert table.rows == (
        ("Custody", SMALL_TEXT, SECONDARY_TEXT, "remanded"),
        ("Community", "38", "95%", ""),
    )
    # Zero identifies nobody; a table with no small count is unchanged.
    assert not protect_partner_table(OUTCOMES[:2], [("Custody", "0"), ("Other", "7")]).suppressed


def test_which_tables_count_people() -> None:
    assert counts_people("Young people by outcome", ("Outcome", "Number"))
    assert counts_people("", ("Month", "Arrests"))
    assert counts_people("", ("Outcome", "Number"), ["Custody", "Community"])
    assert not counts_people("Operations", ("Month", "Licensed premises visited"))
    # The partner's own answer wins over the headings, either way.
    assert not table_counts_people("", ("Month", "Arrests"), [("May", "2")], flag=False)
    assert table_counts_people("Operations", ("Month", "Visits"), [("May", "2")], flag=True)


def test_a_pipe_table_in_a_narrative_is_protected() -> None:
    from saferboard.strategy.content import render_narrative

    html = render_narrative(
        "This quarter:\n\n| Outcome | Young people |\n| --- | --- |\n| Custody | 2 |\n"
        "| Community | 38 |\n\nNo change."
    )
    protected = protect_html_tables(html)
    assert "<td>&lt;5</td>" in protected and "<td>38</td>" in protected
    assert "<td>2</td>" not in protected and PRIMARY_NOTE.replace("<", "&lt;") in protected
    assert protected.startswith("<p>This quarter:</p>") and protected.endswith("<p>No change.</p>")
    no_people = render_narrative("| Month | Visits |\n| --- | --- |\n| May | 2 |")
    assert protect_html_tables(no_people) == no_people


def test_a_custody_count_of_2_is_suppressed_in_the_public_pack_only(demo) -> None:  # type: ignore[no-untyped-def]
    """A partner's table in an accepted update: the public pack's PDF (read back with
    pypdf) shows <5 where the restricted pack shows the 2."""
    from saferboard.meetings import services as meetings
    from saferboard.meetings.models import Meeting, MeetingStatus
    from saferboard.reports.assemble import assemble
    from saferboard.reports.render import render_pdf
    from tests.reports.conftest import pdf_text_pages
    from tests.reports.partner_tables import type_partner_table

    meeting = Meeting.objects.filter(board__kind="partnership").latest("date")
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.PLANNED)
    meeting.refresh_from_db()
    meetings.add_agenda_item(meeting, title="Priority 1: progress report", kind="priority_report")
    type_partner_table(
        meeting,
        "Outcomes this quarter",
        ["Outcome", "Number"],
        [["Remanded to custody", "2"], ["Community resolution", "31"]],
    )

    def printed(public: bool) -> str:
        content = assemble(meeting, public=public)
        entry = next(e for e in content.entries if e.kind == "priority_report")
        only = dataclasses.replace(content, entries=(entry,), sources=())
        return " ".join(" ".join(page.split()) for page in pdf_text_pages(render_pdf(only).pdf))

    public, restricted = printed(True), printed(False)
    assert "Remanded to custody <5" in public and "Community resolution 31" in public
    assert "a count of 1 to 4" in public
    assert "Remanded to custody 2" in restricted and "<5" not in restricted.split("Outcomes")[1]


def test_the_partner_sets_the_flag_on_the_update_form() -> None:
    from saferboard.strategy.content import Figures
    from saferboard.strategy.forms import UpdateForm

    data = {"version": "1", "narrative": "Done.", "figures": "Month | Visits\nMay | 2"}
    assert UpdateForm(data).is_valid()
    for answer, flag in (("", None), ("yes", True), ("no", False)):
        form = UpdateForm({**data, "figures_people": answer})
        assert form.is_valid(), form.errors
        stored = form.cleaned_data["figures_json"]
        assert ("counts_people" in stored) == (flag is not None)
        figures = Figures.from_json(stored)
        assert figures is not None and figures.counts_people is flag
        assert Figures.from_json(figures.to_json()) == figures
