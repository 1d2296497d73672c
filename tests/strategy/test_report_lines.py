"""The priority report's sub-commitment lines and 'on track' figures."""

from __future__ import annotations

from datetime import date

from saferboard.measures.models import Measure, Observation
from saferboard.strategy.models import Commitment, SuccessIndicator
from saferboard.strategy.report import build_priority_report, render_docx, render_html
from tests.factories import AreaFactory


def test_sub_commitments_print_numbered_under_their_commitment(world) -> None:  # type: ignore[no-untyped-def]
    Commitment.objects.create(
        priority=world.priority, parent=world.commitment, number=1, title="Monthly ASB panel"
    )
    retired = Commitment.objects.create(
        priority=world.priority, parent=world.commitment, number=2, title="Old line"
    )
    retired.retired_on = date(2020, 1, 1)
    retired.save()
    round = world.open()
    report = build_priority_report(round, world.priority)
    # Sub-commitments are lines of their commitment, not commitments of their own.
    assert [c.title for c in report.commitments] == ["Tackle ASB", "Support victims"]
    lines = report.commitments[0].sub_commitments
    assert [(s.number, s.text) for s in lines] == [("1.1.1", "Monthly ASB panel")]
    assert report.commitments[0].display_number == "1.1"
    assert "1.1.1" in render_html(report)


def test_on_track_line_prints_the_measures_latest_figure(world) -> None:  # type: ignore[no-untyped-def]
    measure = Measure.objects.create(slug="burglary", source_kind="manual", label="Burglary")
    empty = Measure.objects.create(slug="asb", source_kind="manual", label="ASB calls")
    area = AreaFactory()
    for end, value in ((date(2025, 12, 31), 1200.0), (date(2026, 1, 31), 1070.0)):
        Observation.objects.create(
            measure=measure,
            area=area,
            period_start=date(end.year - 1, end.month % 12 + 1, 1),
            period_end=end,
            value=value,
            # The stored rating is what the report shows; a stale RAG string left in the
            # comparators (as the crime import once wrote) is not read any more.
            comparators={"rag": "red", "rag_reason": "Stale"},
            rag_status="green",
            rag_reason="Down 11%",
            rag_rule="burglary-down@2",
        )
    SuccessIndicator.objects.create(
        commitment=world.commitment, text="Fewer burglaries", measure=measure, order=1
    )
    SuccessIndicator.objects.create(
        commitment=world.commitment, text="Fewer ASB calls", measure=empty, order=2
    )
    SuccessIndicator.objects.create(
        commitment=world.commitment, text="Residents feel safe", order=3
    )
    report = build_priority_report(world.open(), world.priority)
    first, second, third = report.commitments[0].indicators
    assert (first.figure, first.period) == ("1,070", "February 2025 to January 2026")
    assert first.rag is not None and first.rag.status == "green"
    assert (first.rag.reason, first.rag_rule) == ("Down 11%", "burglary-down@2")
    assert second.measure == "ASB calls" and second.figure == ""
    assert not third.has_measure
    html = render_html(report)
    assert "1,070" in html and "no figure yet" in html
    assert render_docx(report)[:2] == b"PK"
