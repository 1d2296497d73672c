"""Dashboards worked out by hand from the shipped real files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from saferboard.crime.dashboard import DashboardError, build_dashboard, rank_table
from saferboard.crime.importer import import_files
from saferboard.crime.observations import dashboard_figures
from saferboard.measures.models import Measure, RagRule, RagRuleVersion
from saferboard.measures.rating import rerate
from tests.crime.conftest import CITY_JUNE, CITY_OCTOBER, MPS_LSOA, MPS_WARD

pytestmark = pytest.mark.django_db


def _measure(board, slug):  # type: ignore[no-untyped-def]
    return next(m for m in board.measures if m.measure == slug)


def test_bromley_rolling_year_from_the_met_file(met_borough, population_2020) -> None:
    board, _ = dashboard_figures("Bromley", "2026-02", "mps")
    data = board.as_json()
    assert data["area"] == "E09000006"
    assert data["current"] == {"from": "2025-03", "to": "2026-02"}
    assert data["previous"] == {"from": "2024-03", "to": "2025-02"}
    total = next(m for m in data["measures"] if m["measure"] == "total-notifiable-offences")
    # Sum of Bromley's 33 category rows over the 12 month columns of each year.
    assert (total["current"], total["previous"], total["change"]) == (23_796, 24_269, -473)
    assert total["change_pct"] == pytest.approx(-473 / 24_269 * 100, rel=1e-12)
    assert total["rag"] == "green"
    assert total["significant"] is True
    assert total["rate_per_1000"] == pytest.approx(23_796 / 332_752 * 1000)
    burglary = next(m for m in data["measures"] if m["measure"] == "burglary")
    assert (burglary["current"], burglary["previous"]) == (1_257, 1_408)
    vehicles = next(m for m in data["measures"] if m["measure"] == "theft-of-motor-vehicles")
    assert (vehicles["current"], vehicles["previous"], vehicles["rag"]) == (1_479, 1_418, "amber")
    assert vehicles["significant"] is False
    assert set(data["measures"][0]) >= {
        "measure", "label", "current", "previous", "change", "change_pct", "rag",
        "significant", "rate_per_1000",
    }  # fmt: skip


def test_rules_are_versioned_and_recorded(met_borough) -> None:
    rule = RagRule.objects.create(slug="tight", name="Tight")
    RagRuleVersion.objects.create(
        rule=rule,
        version=1,
        kind="lower_is_better",
        green_max_pct=Decimal(0),
        amber_max_pct=Decimal(2),
    )
    Measure.objects.filter(source_kind="mps", slug="theft-of-motor-vehicles").update(rag_rule=rule)
    slug = "theft-of-motor-vehicles"
    vehicles = _measure(dashboard_figures("Bromley", "2026-02", "mps")[0], slug)
    assert (vehicles.rag, vehicles.rule) == ("red", "tight@1")  # +4.3% is over 2%
    RagRuleVersion.objects.create(
        rule=rule,
        version=2,
        kind="lower_is_better",
        green_max_pct=Decimal(0),
        amber_max_pct=Decimal(5),
    )
    # The stored figure keeps the rating its version gave until someone re-rates.
    vehicles = _measure(dashboard_figures("Bromley", "2026-02", "mps")[0], slug)
    assert (vehicles.rag, vehicles.rule) == ("red", "tight@1")
    rerate(Measure.objects.get(source_kind="mps", slug=slug), actor=None)
    vehicles = _measure(dashboard_figures("Bromley", "2026-02", "mps")[0], slug)
    assert (vehicles.rag, vehicles.rule) == ("amber", "tight@2")  # +4.3% is within 5%


def test_a_composite_measure_is_configuration(met_borough) -> None:
    Measure.objects.create(
        source_kind="mps",
        slug="burglary-and-robbery",
        label="Burglary and robbery",
        definition={"major": ["BURGLARY", "ROBBERY"]},
        display_order=50,
    )
    board = build_dashboard("Bromley", "2026-02", "mps")
    both = _measure(board, "burglary-and-robbery")
    assert both.current == _measure(board, "burglary").current + _measure(board, "robbery").current


def test_ranks_among_london_boroughs(met_borough) -> None:
    measure = Measure.objects.get(source_kind="mps", slug="burglary")
    label, _, rows = rank_table("mps", measure, "2026-02", "london")
    assert label == "London boroughs"
    assert len(rows) == 32  # the City of London is not in the Met's file
    assert (rows[0].name, rows[0].current, rows[0].rank_count) == ("Kingston upon Thames", 611, 1)
    bromley = _measure(build_dashboard("Bromley", "2026-02", "mps"), "burglary")
    assert bromley.rank["count"] == next(r.rank_count for r in rows if r.area == "E09000006")
    assert bromley.peers_ranked == 32


def test_hotspots_from_ward_and_lsoa_files(met_borough) -> None:
    import_files([MPS_WARD])
    import_files([MPS_LSOA])
    board = build_dashboard(
        "Bromley", "2026-02", "mps", hotspot_measure="total-notifiable-offences"
    )
    wards, lsoas = board.hotspots
    assert wards.level == "ward" and wards.complete
    assert wards.highest[0].name == "Bromley Town"
    assert all(
        a.current >= b.current for a, b in zip(wards.highest, wards.highest[1:], strict=False)
    )
    assert all(h.change > 0 for h in lsoas.rises)


def test_city_of_london_month_with_asb_and_unlocated_rows(london_geography) -> None:
    import_files([CITY_JUNE])
    force = build_dashboard("city-of-london", "2023-06", "police-uk")
    june = {slug: points[-1].value for slug, points in force.trends.items()}
    # 747 rows after duplicates: 26 anti-social behaviour, 721 crimes (60 with no location).
    assert june["anti-social-behaviour"] == 26
    assert june["recorded-crime"] == 721
    assert june["other-theft"] == 204
    assert any("60 crime(s)" in n for n in force.notes)
    city = build_dashboard("E09000001", "2023-06", "police-uk")
    la_june = {slug: points[-1].value for slug, points in city.trends.items()}
    # Rows whose LSOA lies in the City (660, of which 23 ASB); the rest are elsewhere.
    assert la_june["recorded-crime"] == 637
    assert la_june["burglary"] == 35
    # Five of the City Police's rows lie in Camden. Camden is policed by the Met, whose
    # street files are not imported: its month is missing, not 5 (issue 17: the old
    # expectation took a few stray rows for a complete month).
    camden = build_dashboard("Camden", "2023-06", "police-uk")
    assert camden.trends["recorded-crime"][-1].value is None
    assert any("policed by Metropolitan Police Service" in n for n in camden.notes)


def test_missing_months_are_missing_not_zero(london_geography) -> None:
    import_files([CITY_JUNE, CITY_OCTOBER])
    board = build_dashboard("E09000001", "2023-10", "police-uk")
    crime = _measure(board, "recorded-crime")
    assert not crime.complete
    assert {"2023-07", "2023-08", "2023-09"} <= set(crime.missing_current)
    assert (crime.change, crime.change_pct, crime.rag, crime.significant) == (
        None,
        None,
        "none",
        None,
    )
    points = {p.month: p.value for p in board.trends["recorded-crime"]}
    assert points["2023-06"] == 637
    assert points["2023-07"] is None and points["2023-08"] is None and points["2023-09"] is None
    assert points["2023-10"] == 716
    assert any("2023-07, 2023-08, 2023-09" in note for note in board.notes)
    json_crime = next(m for m in board.as_json()["measures"] if m["measure"] == "recorded-crime")
    assert json_crime["rag"] == "none" and json_crime["change_pct"] is None


def test_unknown_area_and_month(met_borough) -> None:
    with pytest.raises(DashboardError):
        build_dashboard("Gotham", "2026-02", "mps")
    with pytest.raises(DashboardError):
        build_dashboard("Bromley", "2026-13", "mps")


def test_change_pct_is_none_when_previous_is_zero(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    months = [f"{y}{m:02d}" for y in (2024, 2025) for m in range(1, 13)]
    counts = ["0"] * 12 + ["3"] * 12
    path.write_text(
        "majortext,minortext,boroughname," + ",".join(months) + "\n"
        "ROBBERY,ROBBERY OF PERSONAL PROPERTY,Bromley," + ",".join(counts) + "\n"
    )
    import_files([path])
    robbery = _measure(dashboard_figures("Bromley", "2025-12", "mps")[0], "robbery")
    assert (robbery.current, robbery.previous, robbery.change) == (36, 0, 36)
    assert robbery.change_pct is None
    assert robbery.rag == "red"  # a rise from none
