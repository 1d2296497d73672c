"""Issue 19 in the board pack: the crime and youth justice sections show the rating
stored with each figure and name the rule version that set it; a rule change alters
nothing until the measure is re-rated; without a local authority there is no one area,
and the sections say so instead of picking one.

By hand (the pack setting): Burglary 1,280 against 1,451 is -11.8%, Green under
lower-is-better@1 (Green up to 0% worse). Under higher-is-better@1 a fall of 11.8% is
worse than Amber's 10%: Red, but only once someone re-rates.
"""

from __future__ import annotations

from datetime import date

from saferboard.measures.models import Measure, Observation
from saferboard.measures.rating import rerate
from saferboard.measures.services import ObservationValue, store_observations
from saferboard.measures.standard import ensure_standard_rules
from saferboard.reports.providers import NO_AREA, crime_dashboard, youth_justice
from saferboard.reports.sections import PackContext


def crime_item(meeting):  # type: ignore[no-untyped-def]
    return meeting.agenda_items.get(title="Crime performance dashboard")


def crime_table(meeting):  # type: ignore[no-untyped-def]
    section = crime_dashboard(crime_item(meeting), PackContext(meeting=meeting, public=False))
    return section.blocks[1].table


def test_crime_rag_is_the_stored_rating_until_rerated(pack_setting) -> None:  # type: ignore[no-untyped-def]
    meeting = pack_setting["meeting"]
    table = crime_table(meeting)
    assert table.columns[6] == "RAG"
    rows = {r[0]: r for r in table.rows}
    assert (rows["Burglary"][6].status, rows["Burglary"][6].label) == ("green", "Green")
    assert rows["Burglary"][6].reason.startswith("-11.8% on the previous period")
    assert table.footnotes[0] == (
        "RAG: the rating stored with each figure, set by rule lower-is-better@1 "
        "(Burglary, Gun crime)."
    )
    # The rule changes: the pack still shows what was stored, naming the old version.
    burglary = Measure.objects.get(slug="burglary")
    burglary.rag_rule = ensure_standard_rules()["higher-is-better"]
    burglary.save()
    rows = {r[0]: r for r in crime_table(meeting).rows}
    assert rows["Burglary"][6].status == "green"
    # Re-rated explicitly: now Red, under the new rule.
    rerate(burglary, actor=pack_setting["coordinator"])
    table = crime_table(meeting)
    rows = {r[0]: r for r in table.rows}
    assert (rows["Burglary"][6].status, rows["Gun crime"][6].status) == ("red", "green")
    assert table.footnotes[0] == (
        "RAG: the rating stored with each figure, set by rule higher-is-better@1 "
        "(Burglary); lower-is-better@1 (Gun crime)."
    )


def test_unrated_figure_shows_not_rated(pack_setting) -> None:  # type: ignore[no-untyped-def]
    Observation.objects.filter(measure__slug="gun-crime").update(
        rag_status="", rag_reason="", rag_rule="", rag_set_at=None
    )
    table = crime_table(pack_setting["meeting"])
    gun = next(r for r in table.rows if r[0] == "Gun crime")
    assert gun[6].label == "Not rated"
    assert table.footnotes[0].endswith("lower-is-better@1 (Burglary). Not rated: Gun crime.")


def test_youth_justice_table_has_the_stored_rag(pack_setting) -> None:  # type: ignore[no-untyped-def]
    """FTE rate 180 against 200 (lower is better): -10.0%, Green, stored under
    lower-is-better@1; a KPI with no previous value is not rated."""
    from saferboard.meetings import services as meetings

    meeting = pack_setting["meeting"]
    area = meeting.board.partnership.local_authority
    rules = ensure_standard_rules()
    for slug, label, previous, order in (
        ("fte-rate", "First time entrants rate", 200, 1),
        ("custody-rate", "Use of custody rate", None, 2),
    ):
        measure = Measure.objects.create(
            slug=slug,
            source_kind="youth-justice",
            label=label,
            unit="rate_per_100000",
            rag_rule=rules["lower-is-better"],
            display_order=order,
        )
        store_observations(
            measure,
            [
                ObservationValue(
                    area_code=area.code,
                    period_start=date(2024, 4, 1),
                    period_end=date(2025, 3, 31),
                    value=180,
                    numerator=36,
                    comparators={"previous_period": previous} if previous else {},
                )
            ],
        )
    item = meetings.add_agenda_item(meeting, title="Youth justice performance")
    section = youth_justice(item, PackContext(meeting=meeting, public=False))
    table = section.blocks[0].table
    assert table.columns[-1] == "RAG"
    rows = {r[0]: r for r in table.rows}
    assert (rows["First time entrants rate"][-1].label, rows["Use of custody rate"][-1].label) == (
        "Green",
        "Not rated",
    )
    assert table.footnotes[0] == (
        "RAG: the rating stored with each figure, set by rule lower-is-better@1 "
        "(First time entrants rate). Not rated: Use of custody rate."
    )


def test_no_local_authority_says_so(pack_setting) -> None:  # type: ignore[no-untyped-def]
    """Without an area the sections are unavailable, naming what to set, rather than
    showing one arbitrary area per measure."""
    meeting = pack_setting["meeting"]
    partnership = meeting.board.partnership
    partnership.local_authority = None
    partnership.save()
    meeting.refresh_from_db()
    context = PackContext(meeting=meeting, public=False)
    crime = crime_dashboard(crime_item(meeting), context)
    assert not crime.available and crime.note == NO_AREA
    assert "Set the partnership's local authority" in crime.blocks[0].text
    youth = youth_justice(crime_item(meeting), context)
    assert not youth.available and youth.note == NO_AREA
