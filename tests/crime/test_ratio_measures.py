"""Issue 17: domestic abuse positive outcomes as a rate — a ratio measure, computed by
hand on a small Met crime dashboard file made here.

Bromley: 20 domestic abuse offences a month in 2023 and 2024; 3 positive outcomes a
month in 2023 (36 of 240 = 15.0%), 4 a month in 2024 (48 of 240 = 20.0%).
Croydon: 10 offences a month; 1 outcome a month in 2023 (10.0%), 3 in 2024 (30.0%).
Bexley: 10 offences and 2 outcomes a month in both years (20.0%, tying with Bromley).
The Met's file covers every borough in each month it holds (a borough without a row has
none), so a month the file does not hold makes every borough's window incomplete.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from saferboard.crime import engine as crime_engine
from saferboard.crime.dashboard import build_dashboard, rank_table
from saferboard.crime.engine import AreaCounts
from saferboard.crime.importer import import_files
from saferboard.crime.measures import ensure_measures
from saferboard.crime.observations import dashboard_figures
from saferboard.crime.ratios import ratio, with_ratios
from saferboard.measures.models import Direction, Measure, Observation, Unit

pytestmark = pytest.mark.django_db

SLUG = "domestic-abuse-positive-outcome-rate"
HEADER = [
    "month_year",
    "area_type",
    "borough_snt",
    "area_name",
    "area_code",
    "crime_type",
    "crime_subtype",
    "measure",
    "financial_year",
    "fy_fyindex",
    "count",
    "refresh_date",
    "sheet",
]
BOROUGHS = {
    # name: (code, offences a month, outcomes a month in 2023, in 2024, months left out)
    "Bromley": ("E09000006", 20, 3, 4, set()),
    "Croydon": ("E09000008", 10, 1, 3, set()),
    "Bexley": ("E09000004", 10, 2, 2, set()),
}


@pytest.fixture(autouse=True)
def _fresh_engines():  # type: ignore[no-untyped-def]
    yield
    crime_engine.forget_engines()


def _write(path: Path, skip: frozenset[str] = frozenset()) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADER)
        for name, (code, offences, before, after, gaps) in BOROUGHS.items():
            for year in (2023, 2024):
                for month in range(1, 13):
                    key = f"{year}-{month:02d}"
                    fy = year if month >= 4 else year - 1
                    common = [f"{key}-01", "Borough", name, name, code, "Domestic Abuse"]
                    tail = [f"fy{fy % 100}-{(fy + 1) % 100}", "x", "2025-01-05", "Other"]
                    if key in gaps or key in skip:
                        continue
                    outcomes = before if year == 2023 else after
                    for measure, count in (("Offences", offences), ("Positive Outcomes", outcomes)):
                        out.writerow(
                            [*common, "Domestic Abuse", measure, *tail[:2], count, *tail[2:]]
                        )
    return path


def test_ratio_is_the_parts_ratio_and_a_zero_denominator_gives_none() -> None:
    assert ratio(48, 240) == 20.0
    assert ratio(3, 0) is None and ratio(None, 10) is None
    rows = [
        AreaCounts("A", "r:numerator", 48, 36, 12, 12),
        AreaCounts("A", "r:denominator", 240, 240, 12, 11),
        AreaCounts("A", "r", 288, 276, 12, 12),
        AreaCounts("B", "r:numerator", 5, 0, 12, 12),
        AreaCounts("B", "r:denominator", 10, 0, 12, 12),
        AreaCounts("B", "r", 15, 0, 12, 12),
    ]
    out = {r.area: r for r in with_ratios(rows, {"r": 100}) if r.measure == "r"}
    assert (out["A"].current, out["A"].previous) == (20.0, 15.0)
    assert (out["A"].current_months, out["A"].previous_months) == (12, 11)
    # No offences in the previous year: no ratio, so that year counts as having no months.
    assert out["B"].current == 50.0 and out["B"].previous_months == 0


def test_domestic_abuse_positive_outcome_rate_by_hand(sabo_data_dir: Path, tmp_path: Path) -> None:
    ensure_measures()
    measure = Measure.objects.get(source_kind="mps", slug=SLUG)
    assert measure.unit == Unit.PERCENT and measure.direction == Direction.HIGHER_IS_BETTER
    import_files([_write(tmp_path / "dashboard.csv")], format="auto")

    board, stored = dashboard_figures("Bromley", "2024-12", "mps")
    rate = next(m for m in board.measures if m.measure == SLUG)
    assert rate.complete and rate.observation == stored[SLUG]
    assert (rate.current, rate.previous) == (20.0, 15.0)
    assert (rate.numerator, rate.denominator) == (48, 240)
    assert rate.change == 5.0 and round(rate.change_pct or 0, 1) == 33.3
    assert rate.rag == "green"  # higher is better: a rise is an improvement
    assert rate.p_value is None and rate.rate_per_1000 is None
    # Ranked on the rate, highest first; Bexley's equal rate shares Bromley's rank.
    assert rate.rank["count"] == 2 and rate.peers_ranked == 3
    # Financial year to date: April–December 2024 (36 of 180) against 2023 (27 of 180).
    assert rate.fytd is not None and rate.fytd["complete"]
    assert (rate.fytd["current_count"], rate.fytd["previous_count"]) == (20.0, 15.0)
    # Monthly trend: 4 of 20 in December 2024 against 3 of 20 a year earlier.
    december = board.trends[SLUG][-1]
    assert (december.month, december.value, december.year_before) == ("2024-12", 20.0, 15.0)
    # The domestic abuse count beside it is unchanged by the ratio.
    offences = next(m for m in board.measures if m.measure == "domestic-abuse")
    assert (offences.current, offences.previous) == (240, 240)

    _, _, ranked = rank_table("mps", measure, "2024-12", "london")
    order = [(r.name, r.current, r.rank_count) for r in ranked if r.complete]
    assert order == [("Croydon", 30.0, 1), ("Bexley", 20.0, 2), ("Bromley", 20.0, 2)]
    assert all(r.rate_per_1000 is None for r in ranked)


def test_a_ratio_short_of_a_month_is_not_compared(sabo_data_dir: Path, tmp_path: Path) -> None:
    ensure_measures()
    import_files([_write(tmp_path / "dashboard.csv", frozenset({"2023-03"}))], format="auto")
    board = build_dashboard("Bromley", "2024-12", "mps")
    rate = next(m for m in board.measures if m.measure == SLUG)
    assert not rate.complete and rate.rag == "none" and rate.rank.get("count") is None
    assert rate.missing_previous == ["2023-03"]


def test_stored_observation_holds_the_ratio_and_its_parts(
    sabo_data_dir: Path, tmp_path: Path
) -> None:
    from saferboard.crime.observations import store_dashboard

    ensure_measures()
    import_files([_write(tmp_path / "dashboard.csv")], format="auto")
    store_dashboard("Bromley", "mps", "2024-12")
    stored = Observation.objects.get(measure__slug=SLUG, area__code="E09000006")
    assert (stored.value, stored.numerator, stored.denominator) == (20.0, 48.0, 240.0)
    assert stored.comparators["previous_period"] == 15.0


def test_the_ratio_measure_reads_and_edits_without_losing_its_parts(make_user) -> None:
    """The measure pages and command show a ratio in words; changing its label keeps the
    numerator and denominator, and naming categories for it is refused."""
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    from saferboard.core.models import Role
    from saferboard.measures.definitions import describe
    from saferboard.measures.editing import MeasureChange, save_measure

    ensure_measures()
    measure = Measure.objects.get(source_kind="mps", slug=SLUG)
    definition = dict(measure.definition)
    assert describe(definition) == (
        "Counts Domestic Abuse|Domestic Abuse|Positive Outcomes, as a percentage of: "
        "Counts Domestic Abuse|Domestic Abuse|Offences"
    )
    out = StringIO()
    call_command("measure", "list", "--json", stdout=out)
    listed = next(m for m in json.loads(out.getvalue()) if m["slug"] == SLUG)
    assert listed["unit"] == "percent" and listed["direction"] == "higher"
    client = Client()
    client.force_login(make_user(Role.ANALYST))
    page = client.get(f"/measures/mps/{SLUG}/edit/")
    assert page.status_code == 200
    save_measure(
        "met-crime-dashboard", MeasureChange(label="DA positive outcomes"), measure=measure
    )
    measure.refresh_from_db()
    assert measure.label == "DA positive outcomes" and measure.definition == definition
    with pytest.raises(Exception, match="ratio of two counts"):
        save_measure(
            "met-crime-dashboard",
            MeasureChange(include=["Domestic Abuse|Domestic Abuse|Offences"]),
            measure=measure,
        )
