"""The figure check compares narrative with the stored observations (issue 20).

Pure tests on small known cases: every stored figure here is written out by hand, and
each expected finding (or its absence) is worked out in the comments.
"""

from __future__ import annotations

from datetime import date

import pytest

from saferboard.reports.figurecheck import (
    MeasureTerms,
    Narrative,
    StoredFigure,
    check_against_data,
    claims_in,
    periods_in,
)

KNIFE = MeasureTerms("1", "Knife crime", ("knife crime", "knife offences"))
BURGLARY = MeasureTerms("2", "Burglary", ("burglary", "burglaries"))
REOFFENDING = MeasureTerms("3", "Reoffending rate", ("reoffending rate",), unit="percent")
NAMES = [KNIFE, BURGLARY, REOFFENDING]
YEAR = (date(2025, 1, 1), date(2025, 12, 31))  # the pack's rolling year to December 2025
Q3 = (date(2025, 10, 1), date(2025, 12, 31))


def figure(
    measure: str,
    value: float,
    previous: float | None,
    *,
    area: str = "Bromley",
    period: tuple[date, date] = YEAR,
    unit: str = "count",
) -> StoredFigure:
    return StoredFigure(
        measure=measure,
        area=area,
        start=period[0],
        end=period[1],
        value=value,
        previous=previous,
        period_label="12 months to December 2025" if period == YEAR else "Q3 2025-26",
        source_label="Met crime dashboard extract, data as at 31 January 2026",
        measure_label={"1": "Knife crime", "2": "Burglary", "3": "Reoffending rate"}[measure],
        unit=unit,
    )


# Knife crime in Bromley: 289 in the year to December 2025 against 340 the year before,
# a change of (289 - 340) / 340 = -15.0%. Q3 alone: 70 against 80 (-12.5%).
# Knife crime in Lambeth: 500 against 400 (+25%). Burglary in Bromley: 1,280 against
# 1,451 (-11.8%). Reoffending rate: 34.4% (previous 36.0%).
FIGURES = [
    figure("1", 289, 340),
    figure("1", 70, 80, period=Q3),
    figure("1", 500, 400, area="Lambeth"),
    figure("2", 1280, 1451),
    figure("3", 34.4, 36.0, unit="percent"),
]


def findings(text: str) -> list:  # type: ignore[type-arg]
    return check_against_data(
        [Narrative("Item 5: Police update", text, link="#item-5", edit_url="/edit/5/")],
        NAMES,
        FIGURES,
        home_area="Bromley",
        defaults={"1": YEAR, "2": YEAR, "3": YEAR},
        areas=["Bromley", "Lambeth"],
    )


def test_the_issues_example_is_flagged_with_both_figures() -> None:
    # "fell by 40% to 150": the stored figures are 289 and -15%, so both differ.
    found = findings("Knife crime fell by 40% to 150 offences.")
    assert len(found) == 2
    change, count = found
    assert change.detail["text_figure"] == "-40%"
    assert change.detail["stored_figure"] == "a fall of 15%"
    assert "from 340 to 289" in change.message
    assert count.detail["text_figure"] == "150" and count.detail["stored_figure"] == "289"
    for issue in found:
        assert issue.detail["period"] == "12 months to December 2025"
        assert issue.detail["area"] == "Bromley"
        assert issue.detail["source"].startswith("Met crime dashboard extract")
        assert issue.edit_url == "/edit/5/" and issue.link == "#item-5"
    # Stable identity: the same text and data give the same fingerprints on a rebuild.
    assert [i.key for i in findings("Knife crime fell by 40% to 150 offences.")] == [
        i.key for i in found
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Knife crime fell by 15% to 289 offences.",  # exactly the stored figures
        "Knife offences fell from 340 to 289.",  # a synonym; both figures right
        "Burglaries were down 12% on the year before, at 1,280.",  # -11.8% rounds to 12%
        "The reoffending rate was 34.4%.",
    ],
)
def test_a_matching_figure_is_not_flagged(text: str) -> None:
    assert findings(text) == []


def test_rounding_tolerance() -> None:
    # 149.6 written as 150 is right; as 152 it is not (more than half a unit away).
    stored = [figure("1", 149.6, 176)]

    def check(text: str) -> list:  # type: ignore[type-arg]
        return check_against_data(
            [Narrative("Item 5", text)], NAMES, stored, home_area="Bromley", defaults={"1": YEAR}
        )

    assert check("Knife crime stood at 150 offences.") == []
    assert len(check("Knife crime stood at 152 offences.")) == 1
    # "about 290" allows anything from 285 to 295 (half of the last non-zero digit's
    # unit); a plain "290" does not allow 289.
    assert findings("Knife crime stood at about 290 offences.") == []
    assert len(findings("Knife crime stood at 290 offences.")) == 1


def test_about_a_round_hundred_allows_half_a_hundred() -> None:
    # "about 300": the last non-zero digit is the hundreds, so 250 to 350 is "about 300"
    # and 289 passes; "about 350" (tens) allows 345 to 355, so 289 is flagged.
    assert findings("Knife crime stood at about 350 offences.") != []
    assert findings("Knife crime stood at around 300 offences.") == []


def test_a_percentage_is_compared_with_the_stored_change_within_a_point() -> None:
    assert findings("Knife crime fell by 15%.") == []  # -15.0%
    assert findings("Knife crime fell by 14%.") != []  # a point away
    assert findings("Knife crime rose by 15%.") != []  # the wrong direction
    # A percentage with no direction word is not a change ("15% of knife crime…").
    assert findings("About 40% of knife crime happened at night.") == []


def test_a_sentence_naming_two_measures_is_not_compared() -> None:
    assert claims_in("Knife crime and burglary both fell by 40% to 150.", NAMES) == []
    assert findings("Knife crime and burglary both fell by 40% to 150.") == []


def test_the_area_and_period_named_in_the_text_are_used() -> None:
    # Lambeth's knife crime rose 25% to 500: right for Lambeth, though not for Bromley.
    assert findings("In Lambeth knife crime rose by 25% to 500.") == []
    assert findings("In Lambeth knife crime rose by 25% to 600.") != []
    # Q3 2025/26 alone: 70 offences, 12.5% down.
    assert findings("In Q3 2025/26 knife crime fell 12.5% to 70 offences.") == []
    wrong = findings("In Q3 2025/26 knife crime fell to 289 offences.")
    assert [i.detail["stored_figure"] for i in wrong] == ["70"]
    # A period with no stored figure is not compared (nothing to compare with).
    assert findings("In Q1 2024/25 knife crime fell to 12 offences.") == []


def test_conservative_readings() -> None:
    # Two areas, a comparator, two periods or two counts: no comparison.
    assert findings("Knife crime in Bromley fell to 150, and in Lambeth to 500.") == []
    assert findings("Knife crime was 40% below the London average.") == []
    assert findings("Knife crime fell to 150 in 2024/25 and 200 in Q3 2025/26.") == []
    assert findings("Knife crime: 150 offences in 12 wards, 30 more than 120.") == []
    # "More than 150" is a bound, not a figure.
    assert findings("Knife crime stood at more than 150 offences.") == []
    # A time span or a rate base is not a figure of the measure.
    assert findings("Knife crime has been tracked for 36 months.") == []
    # A number counting something else, or in another clause (the demo's minute).
    assert findings("Knife crime work reached 3 schools and 140 residents.") == []
    assert findings("Knife crime fell; 140 residents have call blockers.") == []
    # A plural of the measure's name names it.
    assert [i.detail["text_figure"] for i in findings("Knife crimes fell to 150.")] == ["150"]


def test_periods_read_from_text() -> None:
    def read(text: str) -> list[tuple[date, date]]:
        return [(p.start, p.end) for p, _ in periods_in(text)]

    assert read("in Q3 2025/26") == [Q3]
    assert read("quarter 1 of 2025-26") == [(date(2025, 4, 1), date(2025, 6, 30))]
    assert read("in 2024/25") == [(date(2024, 4, 1), date(2025, 3, 31))]
    assert read("the year to December 2025") == [YEAR]
    assert read("12 months to March 2026") == [(date(2025, 4, 1), date(2026, 3, 31))]
    assert read("in November 2025") == [(date(2025, 11, 1), date(2025, 11, 30))]
    assert read("during 2024") == [(date(2024, 1, 1), date(2024, 12, 31))]
    assert read("2025/27") == []  # not a financial year


def test_a_rate_is_compared_as_a_value_only_when_unambiguous() -> None:
    assert findings("The reoffending rate was 40%.") != []  # stored 34.4%
    # Two percentages, or a change: not compared.
    assert findings("The reoffending rate was 40%, against 36% the year before.") == []
    assert findings("The reoffending rate fell by 5%.") == []
