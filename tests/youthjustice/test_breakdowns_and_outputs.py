"""Breakdowns, disproportionality, small-number suppression, charts and safe exports."""

from __future__ import annotations

import csv
import io
from datetime import date as d

import pytest

from saferboard.youthjustice.breakdowns import (
    breakdown,
    count_cell,
    derived_cell,
    disproportionality,
)
from saferboard.youthjustice.charts import Series, bar_chart, line_chart
from saferboard.youthjustice.exports import safe_text, to_csv
from tests.youthjustice.builders import SERVICE, Cases

YEAR = (d(2022, 4, 1), d(2023, 3, 31))


@pytest.fixture
def cases() -> Cases:
    """Ten White and five Black children enter in 2022-23; populations 8,000 and 2,000."""
    c = Cases()
    c.populate(2023, 1250)  # 10,000 aged 10-17
    c.populate_ethnicity(2023, {"White": 8000, "Black": 2000, "Asian": 0, "Mixed": 0, "Other": 0})
    for i in range(10):
        child = c.child(d(2008, 1, 1), ethnicity="White", sex="Male")
        c.outcome(child, d(2022, 5, 1 + i), "youth_caution", offence=d(2022, 4, 1))
        if i < 2:  # two White reoffenders
            c.reoffence(child, d(2022, 6, 1), d(2023, 6, 1), outcome_type="fine")
    for i in range(5):
        child = c.child(d(2006, 6, 1), ethnicity="Black", sex="Female", looked_after=True)
        c.outcome(child, d(2022, 7, 1 + i), "referral_order", offence=d(2022, 6, 1))
        if i < 3:  # three Black reoffenders
            c.reoffence(child, d(2022, 8, 1), d(2023, 8, 1), outcome_type="fine")
    return c


def test_breakdown_by_ethnicity_hand_computed(cases: Cases) -> None:
    rows = {r.group: r for r in breakdown(cases.data(), SERVICE, *YEAR, "12m", "ethnicity")}
    assert [g for g in rows] == ["White", "Black", "Asian", "Mixed", "Other", "Unknown"]
    white, black = rows["White"], rows["Black"]
    assert white.fte.value == 10 and white.fte_rate_per_100k.value == 10 * 100000 / 8000
    assert black.fte.value == 5 and black.fte_rate_per_100k.value == 5 * 100000 / 2000
    assert (white.cohort.value, white.reoffenders.value) == (10, 2)
    assert (black.cohort.value, black.reoffenders.value) == (5, 3)
    assert black.binary_rate_pct.value == 60.0
    assert black.reoffenders.small and not black.reoffenders.suppressed
    assert rows["Asian"].fte.value == 0 and rows["Asian"].fte_rate_per_100k.value is None


def test_breakdown_by_age_sex_looked_after_and_offence_type(cases: Cases) -> None:
    data = cases.data()
    ages = {r.group: r for r in breakdown(data, SERVICE, *YEAR, "12m", "age_band")}
    # White children are 14 in May 2022; Black children 16 in July 2022.
    assert ages["10-14"].fte.value == 10 and ages["15-17"].fte.value == 5
    assert ages["10-14"].fte_rate_per_100k.value == 10 * 100000 / 6250  # ages 10-14
    sexes = {r.group: r.fte.value for r in breakdown(data, SERVICE, *YEAR, "12m", "sex")}
    assert sexes == {"Male": 10, "Female": 5, "Unknown": 0}
    cared = {r.group: r.fte.value for r in breakdown(data, SERVICE, *YEAR, "12m", "looked_after")}
    assert cared == {"Looked after": 5, "Not looked after": 10}
    types = {r.group: r.fte.value for r in breakdown(data, SERVICE, *YEAR, "12m", "offence_type")}
    assert types == {"Theft and handling": 15}


def test_disproportionality_hand_computed(cases: Cases) -> None:
    rows = disproportionality(cases.data(), SERVICE, *YEAR, "12m")
    fte = {r.group: r for r in rows if r.measure == "fte"}
    # Black: 5 of 15 entrants (33.3%) against 2,000 of 10,000 of the population (20%).
    assert fte["Black"].share_pct.value == pytest.approx(100 / 3)
    assert fte["Black"].representation_ratio.value == pytest.approx((100 / 3) / 20)
    assert fte["White"].representation_ratio.value == pytest.approx((200 / 3) / 80)
    # Rates: Black 250 per 100,000, White 125: relative rate index 2.
    assert fte["Black"].relative_rate_index.value == pytest.approx(2.0)
    assert fte["White"].relative_rate_index.value == 1.0
    reoffenders = {r.group: r for r in rows if r.measure == "reoffenders"}
    # Binary rates: Black 60%, White 20%: index 3, built on small counts (3 and 2).
    assert reoffenders["Black"].relative_rate_index.value == pytest.approx(3.0)
    assert reoffenders["Black"].relative_rate_index.small


def test_publication_mode_suppresses_small_counts_and_what_is_built_on_them(cases: Cases):
    rows = disproportionality(cases.data(), SERVICE, *YEAR, "12m", publication=True)
    reoffenders = {r.group: r for r in rows if r.measure == "reoffenders"}
    assert reoffenders["Black"].count.suppressed and reoffenders["Black"].count.shown is None
    assert reoffenders["Black"].rate.suppressed
    assert reoffenders["Black"].relative_rate_index.suppressed
    # White's index is built on White's own small count (2) too.
    assert reoffenders["White"].relative_rate_index.suppressed
    fte = {r.group: r for r in rows if r.measure == "fte"}
    assert not fte["White"].count.suppressed and fte["White"].count.shown == 10
    assert not fte["Asian"].count.suppressed  # zero is not disclosive


def test_cells() -> None:
    assert not count_cell(0, True).small
    assert count_cell(4, True).suppressed and not count_cell(5, True).suppressed
    assert count_cell(1, False).small and not count_cell(1, False).suppressed
    assert derived_cell(0.5, True, 10, 3).suppressed
    assert not derived_cell(0.5, True, 10, 30).suppressed


def test_charts_are_accessible_and_escape_text() -> None:
    svg = line_chart(
        "FTE <rate>", ["2021-22", "2022-23"], [Series("A & B", [1.0, None])], "per 100,000"
    )
    assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
    assert "FTE &lt;rate&gt;" in svg and "A &amp; B" in svg
    assert "style=" not in svg  # the CSP forbids inline styles
    bars = bar_chart("Ratio", [("White", 0.84), ("Other", None)], "ratio", reference=1.0)
    assert "not available" in bars and 'stroke-dasharray="4 3"' in bars


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_formula_like_text_is_neutralised(text: str) -> None:
    assert safe_text(text) == "'" + text
    assert safe_text("Bromley") == "Bromley" and safe_text(-2) == -2
    rows = list(csv.reader(io.StringIO(to_csv(["a"], [[text]]).decode("utf-8-sig"), newline="")))
    assert rows[1] == ["'" + text]
