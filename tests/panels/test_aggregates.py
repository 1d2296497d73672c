"""Aggregates: hand-computed representation ratios, small-number suppression (primary
and secondary), trends and the headline sentence. Pure functions, no database."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from saferboard.panels import aggregates as agg
from saferboard.panels.board import populations

# Population shares used throughout (Census 2021 children, Bromley; see population.json).
ETHNICITY = {
    "asian": 0.08,
    "black": 0.10,
    "mixed": 0.12,
    "other": 0.04,
    "white_british": 0.59,
    "white_other": 0.07,
}
LABELS = {k: k for k in [*ETHNICITY, "not_stated"]}
BANDS = [
    {"key": "10_12", "label": "10 to 12", "min": 10, "max": 12, "count": 13011},
    {"key": "13_15", "label": "13 to 15", "min": 13, "max": 15, "count": 12098},
    {"key": "16_17", "label": "16 to 17", "min": 16, "max": 17, "count": 7605},
]


def test_shipped_population_matches_the_ons_figures() -> None:
    bromley = populations()["bromley-10-17-2020"]
    assert bromley["total"] == 32714 == sum(b["count"] for b in bromley["age_bands"])
    assert [b["count"] for b in bromley["age_bands"]] == [13011, 12098, 7605]
    assert sum(bromley["ethnicity_shares"].values()) == pytest.approx(1.0)
    assert sum(bromley["sex_shares"].values()) == pytest.approx(1.0)
    assert populations()["bromley-18plus-2020"]["total"] == 257289


def test_representation_ratios_by_hand() -> None:
    # 19 people, none 'not stated': Black 6, Mixed 5, White British 8.
    counts = {
        "asian": 0,
        "black": 6,
        "mixed": 5,
        "other": 0,
        "white_british": 8,
        "white_other": 0,
        "not_stated": 0,
    }
    result = agg.make_up("Ethnicity", counts, LABELS, ETHNICITY, publish=False)
    rows = {r.key: r for r in result.rows}
    # Black: 6/19 = 0.315789… of the list, 0.10 of the population: ratio 3.157894…
    assert rows["black"].list_share == pytest.approx(6 / 19)
    assert rows["black"].ratio == pytest.approx(3.1578947, rel=1e-6)
    # Mixed: 5/19 = 0.263158 ÷ 0.12 = 2.192982…
    assert rows["mixed"].ratio == pytest.approx(2.1929825, rel=1e-6)
    # White British: 8/19 = 0.421053 ÷ 0.59 = 0.713649…
    assert rows["white_british"].ratio == pytest.approx(0.7136485, rel=1e-6)
    assert rows["asian"].ratio == 0
    assert rows["not_stated"].ratio is None and rows["not_stated"].list_share is None
    assert (result.total, result.recorded) == (19, 19)


def test_not_stated_is_left_out_of_the_shares() -> None:
    counts = {"black": 6, "white_british": 13, "not_stated": 5}
    shares = {"black": 0.10, "white_british": 0.59}  # renormalised over the two: 0.1449…
    ratios = agg.representation_ratios(counts, shares)
    share, pop, ratio = ratios["black"]
    assert share == pytest.approx(6 / 19)
    assert pop == pytest.approx(0.10 / 0.69)
    assert ratio == pytest.approx((6 / 19) / (0.10 / 0.69))
    assert ratios["not_stated"] == (None, None, None)


def test_age_bands_and_ratios_with_secondary_suppression() -> None:
    ages = [11, 12] + [13, 14, 15, 13, 14, 15, 14, 13] + [16, 17] * 5
    counts = agg.count_by(
        (agg.age_band(a, BANDS) for a in ages), ["10_12", "13_15", "16_17", agg.OUTSIDE_RANGE]
    )
    assert counts == {"10_12": 2, "13_15": 8, "16_17": 10, agg.OUTSIDE_RANGE: 0}
    shares = {b["key"]: b["count"] / 32714 for b in BANDS}
    private = {r.key: r for r in agg.make_up("Age", counts, {}, shares, publish=False).rows}
    # 16–17: half the list against 7,605/32,714 of the population: 16,357/7,605 = 2.150822…
    assert private["16_17"].ratio == pytest.approx(16357 / 7605)
    assert private["13_15"].ratio == pytest.approx(0.4 * 32714 / 12098)  # 1.081633…
    assert private["10_12"].ratio == pytest.approx(0.1 * 32714 / 13011)  # 0.251433…
    published = agg.make_up("Age", counts, {}, shares, publish=True)
    rows = {r.key: r for r in published.rows}
    # 2 is suppressed; alone it could be recovered (20 − 8 − 10), so the next smallest
    # cell, 8, is withheld too. 'Outside the range' (0) is protected and stays.
    assert [rows[k].count for k in counts] == ["<5", "[c]", 10, 0]
    assert rows["10_12"].ratio is None and rows["13_15"].ratio is None
    assert rows["16_17"].ratio == pytest.approx(2.150822, rel=1e-6)
    assert published.total == 20 and not published.withheld_ratios


def test_a_suppressed_not_stated_withholds_every_ratio() -> None:
    counts = {
        "asian": 1,
        "black": 6,
        "mixed": 3,
        "other": 0,
        "white_british": 8,
        "white_other": 1,
        "not_stated": 1,
    }
    published = agg.make_up("Ethnicity", counts, LABELS, ETHNICITY, publish=True)
    shown = {r.key: r.count for r in published.rows}
    assert shown == {
        "asian": "<5",
        "black": 6,
        "mixed": "<5",
        "other": 0,
        "white_british": 8,
        "white_other": "<5",
        "not_stated": "<5",
    }
    # The four hidden cells sum to 6: none can be pinned down, so no secondary cell.
    assert published.withheld_ratios
    assert all(r.ratio is None and r.list_share is None for r in published.rows)
    assert published.recorded == "[c]" and published.total == 20


def test_secondary_suppression_by_hand() -> None:
    # Low 2 alone could be recovered from the total 18 − 7 − 9: withhold medium (7) too.
    risk = {"low": 2, "medium": 7, "high": 9, "very_high": 0, "not_assessed": 0}
    assert agg.suppress(risk) == {
        "low": "<5",
        "medium": "[c]",
        "high": 9,
        "very_high": 0,
        "not_assessed": 0,
    }
    # 1 and a secondary 5 would still give the 1 away (the [c] cannot be 2–4): hide more.
    assert agg.suppress({"a": 1, "b": 5, "c": 20}) == {"a": "<5", "b": "[c]", "c": "[c]"}
    # Two primary cells of 4 summing to 8 reveal each other: a zero cell is withheld.
    assert agg.suppress({"a": 4, "b": 4, "c": 0}) == {"a": "<5", "b": "<5", "c": "[c]"}
    # A total of 1–4 is itself suppressed, so nothing can be subtracted from it.
    assert agg.suppress({"a": 2, "b": 0}) == {"a": "<5", "b": 0}
    assert agg.publish_total(2) == "<5" and agg.publish_total(0) == 0
    # Flags overlap (no published total): primary suppression only.
    assert agg.suppress({"gang": 9, "cse": 3}, additive=False) == {"gang": 9, "cse": "<5"}


def _possible_values(hidden: dict[str, tuple[int, str]]) -> dict[str, set[int]]:
    """Brute force: every value each hidden cell could take, given their sum."""
    total = sum(v for v, _ in hidden.values())
    keys = list(hidden)
    domains = [
        range(1, 5) if hidden[k][1] == "primary" else [0, *range(5, total + 1)] for k in keys
    ]
    possible: dict[str, set[int]] = {k: set() for k in keys}
    for combo in itertools.product(*domains):
        if sum(combo) == total:
            for k, v in zip(keys, combo, strict=True):
                possible[k].add(v)
    return possible


@given(st.lists(st.integers(min_value=0, max_value=12), min_size=2, max_size=5))
def test_no_suppressed_cell_can_be_recovered_from_the_total(values: list[int]) -> None:
    counts = {f"k{i}": v for i, v in enumerate(values)}
    shown, shown_total = agg.suppress_table(counts)
    assert shown == agg.suppress(counts)
    total = sum(values)
    for key, value in counts.items():
        if value in agg.SMALL:
            assert shown[key] == "<5"
        elif shown[key] not in ("[c]",):
            assert shown[key] == value
    if isinstance(shown_total, str):  # a withheld total leaves nothing to subtract from
        return
    assert shown_total == total
    hidden = {
        k: (counts[k], "primary" if shown[k] == "<5" else "secondary")
        for k in counts
        if isinstance(shown[k], str)
    }
    for key, options in _possible_values(hidden).items():
        assert len(options) >= 2, (counts, shown, key, options)


def test_status_on_and_trend() -> None:
    history = (
        (date(2025, 1, 6), "referred"),
        (date(2025, 1, 20), "open"),
        (date(2025, 4, 2), "closed"),
    )
    assert agg.status_on(history, date(2025, 1, 5)) is None
    assert agg.status_on(history, date(2025, 1, 31)) == "open"
    assert agg.status_on(history, date(2025, 4, 2)) == "closed"
    one = agg.CaseFacts("closed", "low", (), "black", "male", 14, history)
    two = agg.CaseFacts("open", "high", (), "black", "male", 15, ((date(2025, 3, 1), "referred"),))
    days = [
        date(2024, 12, 31),
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
    ]
    trend = agg.list_size_trend([one, two], days, ("referred", "open"))
    assert [n for _, n in trend] == [0, 1, 1, 2, 1]


def test_flag_counts_and_headline() -> None:
    cases = [agg.CaseFacts("open", "high", ("gang",), "x", "x", 15)] * 9
    cases += [agg.CaseFacts("open", "high", ("cse", "cse"), "x", "x", 15)] * 6
    cases += [agg.CaseFacts("open", "low", ("missing",), "x", "x", 15)] * 3
    flags = agg.flag_counts(cases, ["gang", "cse", "missing", "knife"])
    assert flags == {"gang": 9, "cse": 6, "missing": 3, "knife": 0}
    labels = {
        "gang": "Gang association",
        "cse": "Child sexual exploitation risk",
        "missing": "Missing episodes",
        "knife": "Knife carrying",
    }
    assert agg.headline(18, flags, labels, noun="young people") == (
        "18 young people on the list: 9 monitored for gang association, 6 for child "
        "sexual exploitation risk, fewer than 5 for missing episodes."
    )
    assert agg.headline(0, {}, labels, noun="people") == "No people on the list."
    assert agg.headline(3, {}, labels, noun="people") == "fewer than 5 people on the list."
